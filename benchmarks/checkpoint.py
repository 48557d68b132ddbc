"""``checkpoint``: a deep ReLU MLP step, plain and with ``autobp.checkpoint`` every few layers.

32 layers of 256 ReLU units, batch 4096, float32, loss mean(h^2) of the last layer, one SGD step.
The plain step keeps every layer's intermediates until backward; the checkpointed step keeps only
each segment's input and recomputes the segment in backward: peak memory for time. The suite
reports both (time, and tracemalloc's peak) and checks that the gradients are bit for bit the same.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._harness import Workload
from ._machine import torch_matched
from .mlp_problem import make_weights


@dataclass
class DeepProblem:
    weights: list[np.ndarray]  # W1, b1, ..., W of shape (width, width)
    x: np.ndarray
    lr: float
    every: int  # layers per checkpointed segment


def deep_problem(
    depth: int = 32, width: int = 256, batch: int = 4096, every: int = 4, dtype: type = np.float32
) -> DeepProblem:
    x = np.random.default_rng(0).standard_normal((batch, width)).astype(dtype)
    return DeepProblem(make_weights((width,) * (depth + 1), dtype, 4), x, lr=0.01, every=every)


def tiny_deep_problem() -> DeepProblem:
    return deep_problem(depth=6, width=5, batch=7, every=2, dtype=np.float64)


class AutobpDeep:
    """The plain autobp step; ``every`` > 0 checkpoints each run of that many layers."""

    every = 0

    def __init__(self, pb: DeepProblem) -> None:
        import autobp
        from autobp.optim import SGD

        self.ab = autobp
        self.ps = [autobp.tensor(a, requires_grad=True) for a in pb.weights]
        self.x = autobp.tensor(pb.x)
        self.opt = SGD(self.ps, lr=pb.lr)
        self.n = len(self.ps) // 2
        self.span = pb.every if self.every else 0

    def params(self) -> list[np.ndarray]:
        return [p.data for p in self.ps]

    def grads(self) -> list[np.ndarray]:
        """The gradients of the last step."""
        return [p.grad for p in self.ps]

    def _layers(self, lo: int, hi: int):
        def run(h):
            for k in range(lo, hi):
                h = (h @ self.ps[2 * k] + self.ps[2 * k + 1]).relu()
            return h

        return run

    def step(self) -> float:
        h = self.x
        if self.span:
            for lo in range(0, self.n, self.span):
                h = self.ab.checkpoint(self._layers(lo, min(lo + self.span, self.n)), h)
        else:
            h = self._layers(0, self.n)(h)
        loss = (h * h).mean()
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()
        return loss.item()


class AutobpCheckpointDeep(AutobpDeep):
    every = 1  # use the problem's segment length


class TorchDeep:
    """The same step in PyTorch; ``every`` > 0 uses torch.utils.checkpoint (non-reentrant)."""

    every = 0
    memory = "torch"

    def __init__(self, pb: DeepProblem) -> None:
        torch = torch_matched()
        from torch.utils.checkpoint import checkpoint

        self.torch, self.checkpoint = torch, checkpoint
        self.ps = [torch.tensor(a, requires_grad=True) for a in pb.weights]
        self.x = torch.from_numpy(pb.x)
        self.opt = torch.optim.SGD(self.ps, lr=pb.lr)
        self.n = len(self.ps) // 2
        self.span = pb.every if self.every else 0

    def params(self) -> list[np.ndarray]:
        return [p.detach().numpy() for p in self.ps]

    def _layers(self, lo: int, hi: int):
        def run(h):
            for k in range(lo, hi):
                h = (h @ self.ps[2 * k] + self.ps[2 * k + 1]).relu()
            return h

        return run

    def step(self) -> float:
        h = self.x
        if self.span:
            for lo in range(0, self.n, self.span):
                run = self._layers(lo, min(lo + self.span, self.n))
                h = self.checkpoint(run, h, use_reentrant=False)
        else:
            h = self._layers(0, self.n)(h)
        loss = (h * h).mean()
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()
        return loss.item()


class TorchCheckpointDeep(TorchDeep):
    every = 1


CHECKPOINT = Workload(
    "checkpoint",
    "32-layer 256-wide ReLU MLP, batch 4096, float32, mean(h^2), one SGD step: plain autobp vs "
    "autobp.checkpoint every 4 layers (and the same in PyTorch)",
    deep_problem,
    tiny_deep_problem,
    {
        "autobp": AutobpDeep,
        "autobp.checkpoint": AutobpCheckpointDeep,
        "torch": TorchDeep,
        "torch.checkpoint": TorchCheckpointDeep,
    },
    base="autobp",
    unit="s",
    min_sample_s=0.0,
    max_repeats=5,
    rtol=1e-6,
    identical=("autobp.checkpoint", "autobp"),
)
