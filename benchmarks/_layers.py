"""Runners shared by the layer workloads (conv, lstm, attention): the same model built in autobp.nn
and in torch.nn from one state dict, trained by plain SGD steps on fixed batches."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._machine import torch_matched


@dataclass
class LayerProblem:
    state: dict  # parameter name -> float32 array, PyTorch's names (loaded by both)
    x: np.ndarray
    y: np.ndarray  # integer classes (cross-entropy) or float targets (mean squared error)
    lr: float
    build: Callable[[Any], Any]  # build(nn) -> model, for nn = autobp.nn or torch.nn
    loss: str  # "cross_entropy" or "mse_loss"


def problem_from_torch(
    build: Callable[[Any], Any], x: np.ndarray, y: np.ndarray, loss: str, lr: float = 0.01
):
    """Initial weights from torch's default initialisation (seeded), as float32 arrays."""
    torch = torch_matched()
    torch.manual_seed(0)
    model = build(torch.nn)
    state = {k: v.detach().numpy().copy() for k, v in model.state_dict().items()}
    return LayerProblem(state, x, y, lr, build, loss)


class AutobpLayers:
    def __init__(self, pb: LayerProblem) -> None:
        from autobp import Tensor, nn

        self.model = pb.build(nn).to(pb.x.dtype)  # the layers' dtype, then the weights
        self.model.load_state_dict(pb.state)
        self.F = nn.functional
        self.x, self.y, self.lr, self.loss_name = Tensor(pb.x, dtype=pb.x.dtype), pb.y, pb.lr, pb.loss
        self.ps = list(self.model.parameters())

    def params(self) -> list[np.ndarray]:
        return [p.data for p in self.ps]

    def step(self) -> float:
        out = self.model(self.x)
        loss = getattr(self.F, self.loss_name)(
            out.reshape(-1, out.shape[-1]), self.y.reshape(-1, *self.y.shape[2:])
        )
        loss.backward()
        for p in self.ps:  # plain SGD
            p.data -= self.lr * p.grad
            p.grad = None
        return float(loss.data)


class TorchLayers:
    def __init__(self, pb: LayerProblem) -> None:
        torch = torch_matched()
        self.model = pb.build(torch.nn).to(torch.float64 if pb.x.dtype == np.float64 else torch.float32)
        self.model.load_state_dict({k: torch.from_numpy(v.copy()) for k, v in pb.state.items()})
        self.x, self.y = torch.from_numpy(pb.x), torch.from_numpy(pb.y)
        self.lossf = getattr(torch.nn.functional, pb.loss)
        self.opt = torch.optim.SGD(self.model.parameters(), lr=pb.lr)

    def params(self) -> list[np.ndarray]:
        return [p.detach().numpy() for p in self.model.parameters()]

    def step(self) -> float:
        out = self.model(self.x)
        loss = self.lossf(out.reshape(-1, out.shape[-1]), self.y.reshape(-1, *self.y.shape[2:]))
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()
        return loss.item()


IMPLS = {"torch": TorchLayers, "autobp.nn": AutobpLayers}
