"""Per-op dispatch cost on (2, 2) float64 tensors: a chain of 100 ops, x = x * w then x = x + b.

Arithmetic is negligible at this size, so the time per op is what a library
adds around one numpy call: checking, wrapping, recording the graph and, in the
second phase, walking it back. ``numpy`` is the bare calls (and, for
forward+backward, the hand-written backward of the same chain).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._harness import Workload
from ._machine import torch_matched

OPS = 100  # ops per call (50 multiplies, 50 adds)


@dataclass
class ChainProblem:
    x: np.ndarray
    w: np.ndarray
    b: np.ndarray
    ops: int


def chain_problem(ops: int = OPS, shape: tuple[int, ...] = (2, 2)) -> ChainProblem:
    rng = np.random.default_rng(3)
    return ChainProblem(
        rng.standard_normal(shape), 0.99 + 0.02 * rng.random(shape), 0.01 * rng.standard_normal(shape), ops
    )


class NumpyChain:
    def __init__(self, pb: ChainProblem) -> None:
        self.x, self.w, self.b, self.n = pb.x.copy(), pb.w.copy(), pb.b.copy(), pb.ops // 2
        self.grads: list[np.ndarray] = []

    def params(self) -> list[np.ndarray]:
        return self.grads

    def forward(self) -> float:
        x, w, b = self.x, self.w, self.b
        for _ in range(self.n):
            x = x * w
            x = x + b
        return float(x.sum())

    def forward_backward(self) -> float:
        x, w, b = self.x, self.w, self.b
        saved = []
        for _ in range(self.n):
            saved.append(x)
            x = x * w
            x = x + b
        g = np.ones_like(x)
        gw, gb = np.zeros_like(w), np.zeros_like(b)
        for xk in reversed(saved):  # d(x w + b): db += g, dw += g x, dx = g w
            gb += g
            gw += g * xk
            g = g * w
        self.grads = [g, gw, gb]
        return float(x.sum())


class AutobpChain:
    def __init__(self, pb: ChainProblem) -> None:
        import autobp

        self.x, self.w, self.b = (autobp.tensor(a, requires_grad=True) for a in (pb.x, pb.w, pb.b))
        self.n = pb.ops // 2

    def params(self) -> list[np.ndarray]:
        """Gradients of the last forward_backward (none before the first)."""
        if self.x.grad is None:
            return []
        return [np.asarray(t.grad) for t in (self.x, self.w, self.b)]

    def _chain(self):
        x, w, b = self.x, self.w, self.b
        for _ in range(self.n):
            x = x * w
            x = x + b
        return x

    def forward(self) -> float:
        return self._chain().sum().item()

    def forward_backward(self) -> float:
        self.x.grad = self.w.grad = self.b.grad = None
        y = self._chain().sum()
        y.backward()
        return y.item()


class TorchChain(AutobpChain):
    memory = "torch"  # torch's allocator: measured with torch.profiler (see _memory)

    def __init__(self, pb: ChainProblem) -> None:
        torch = torch_matched()
        self.x, self.w, self.b = (torch.tensor(a, requires_grad=True) for a in (pb.x, pb.w, pb.b))
        self.n = pb.ops // 2
        self.torch = torch

    def params(self) -> list[np.ndarray]:
        if self.x.grad is None:
            return []
        return [t.grad.numpy() for t in (self.x, self.w, self.b)]


class TorchInferenceChain(TorchChain):
    """The forward chain under ``torch.inference_mode()``: what torch adds per op with no graph."""

    forward_backward = None

    def forward(self) -> float:
        with self.torch.inference_mode():
            return self._chain().sum().item()


class MygradChain(AutobpChain):
    def __init__(self, pb: ChainProblem) -> None:
        import mygrad as mg

        self.x, self.w, self.b = (mg.tensor(a) for a in (pb.x, pb.w, pb.b))
        self.n = pb.ops // 2

    def forward_backward(self) -> float:
        y = self._chain().sum()
        y.backward()  # MyGrad sets (not accumulates) .grad on each backward
        return y.item()


class HipsChain:
    """Functional: no graph outside ``grad``, so only forward+backward is timed."""

    def __init__(self, pb: ChainProblem) -> None:
        import autograd
        import autograd.numpy as anp

        n = pb.ops // 2

        def f(x, w, b):
            for _ in range(n):
                x = x * w
                x = x + b
            return anp.sum(x)

        self.f = f
        self.vg = autograd.value_and_grad(f, argnum=[0, 1, 2])
        self.args = (pb.x.copy(), pb.w.copy(), pb.b.copy())
        self.grads: list[np.ndarray] = []

    def params(self) -> list[np.ndarray]:
        return self.grads

    def forward_backward(self) -> float:
        value, grads = self.vg(*self.args)
        self.grads = list(grads)
        return float(value)


OVERHEAD = Workload(
    "overhead",
    f"per-op cost of a {OPS}-op chain (x*w, +b) on (2, 2) float64 tensors; times are per op",
    chain_problem,
    lambda: chain_problem(ops=6, shape=(2, 3)),
    {
        "numpy": NumpyChain,
        "autobp": AutobpChain,
        "torch": TorchChain,
        "torch.inference_mode": TorchInferenceChain,
        "mygrad": MygradChain,
        "autograd": HipsChain,
    },
    phases=("forward", "forward_backward"),
    unit="us",
    repeat_factor=3,
    per=OPS,
    rtol=1e-9,
)
