"""Optimisers that divide by accumulated squared gradients: Adagrad, RMSprop, Adadelta, with
PyTorch's updates and state names (trajectories agree with ``torch.optim`` to round-off)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from ._torch_flags import CAPTURABLE, DIFFERENTIABLE, FOREACH, FUSED
from .optimizer import Optimizer


def _l2(w: np.ndarray, grad: np.ndarray, wd: float) -> np.ndarray:
    return grad + wd * w if wd else grad


def _refuse_uninitialized(p: Any) -> None:
    """Adagrad sizes its accumulators when made: a lazy placeholder has no size yet (PyTorch's error)."""
    if hasattr(type(p), "cls_to_become"):  # nn.UninitializedParameter
        raise ValueError(
            "Attempted to use an uninitialized parameter in Adagrad. This error happens when you are using "
            "a `LazyModule` or explicitly manipulating `UninitializedParameter` objects: call `forward` with "
            "a dummy batch to initialize the parameters before making the optimizer"
        )


class Adagrad(Optimizer):
    """Adagrad (Duchi et al. 2011), as PyTorch's: s <- s + g^2 (s starts at
    ``initial_accumulator_value``), w <- w - lr_t g / (sqrt(s) + eps), lr_t = lr / (1 + (t-1) lr_decay)."""

    _torch_flags = {**FOREACH, **DIFFERENTIABLE, **FUSED}

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-2,
        lr_decay: float = 0.0,
        weight_decay: float = 0.0,
        initial_accumulator_value: float = 0.0,
        eps: float = 1e-10,
        *,
        maximize: bool = False,
    ) -> None:
        if not initial_accumulator_value >= 0:
            raise ValueError(
                f"Invalid initial_accumulator_value value: {initial_accumulator_value} "
                "(Adagrad: initial_accumulator_value must be >= 0)"
            )
        defaults = {
            "lr": lr,
            "lr_decay": lr_decay,
            "weight_decay": weight_decay,
            "initial_accumulator_value": initial_accumulator_value,
            "eps": eps,
            "maximize": maximize,
        }
        super().__init__(params, defaults)
        # PyTorch fills the accumulators when the optimiser is made, from each group's value
        for group in self.param_groups:
            for p in group["params"]:
                _refuse_uninitialized(p)
                self._init_state(p._data, group, self.state.setdefault(p, {}))

    def add_param_group(self, group: dict[str, Any]) -> None:
        """Add a group (its accumulators start at its ``initial_accumulator_value``)."""
        super().add_param_group(group)
        if hasattr(self, "state"):
            added = self.param_groups[-1]
            for p in added["params"]:
                _refuse_uninitialized(p)
                self._init_state(p._data, added, self.state.setdefault(p, {}))

    @staticmethod
    def _init_state(w: np.ndarray, group: dict, state: dict) -> None:
        if "sum" not in state:
            state["step"] = 0
            v = group["initial_accumulator_value"]  # both parts of a complex one, as torch
            state["sum"] = np.full_like(w, complex(v, v) if w.dtype.kind == "c" else v)

    def _update(self, w: np.ndarray, grad: np.ndarray, group: dict, state: dict) -> None:
        self._init_state(w, group, state)
        state["step"] += 1
        grad = _l2(w, grad, group["weight_decay"])
        clr = group["lr"] / (1 + (state["step"] - 1) * group["lr_decay"])
        s = state["sum"]
        s += grad * grad
        w -= clr * (grad / (np.sqrt(s) + group["eps"]))


class RMSprop(Optimizer):
    """RMSprop (Hinton's lecture 6e), as PyTorch's: a <- alpha a + (1 - alpha) g^2; with ``centered``
    the running mean gbar of g is subtracted, d = sqrt(a - gbar^2) + eps, else d = sqrt(a) + eps;
    w <- w - lr g / d, or with ``momentum`` b <- momentum b + g / d, w <- w - lr b."""

    _torch_flags = {**FOREACH, **CAPTURABLE, **DIFFERENTIABLE}

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        if not 0 <= alpha:
            raise ValueError(f"Invalid alpha value: {alpha} (RMSprop: alpha must be >= 0)")
        defaults = {
            "lr": lr,
            "alpha": alpha,
            "eps": eps,
            "weight_decay": weight_decay,
            "momentum": momentum,
            "centered": centered,
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    def _update(self, w: np.ndarray, grad: np.ndarray, group: dict, state: dict) -> None:
        alpha, eps, mu = group["alpha"], group["eps"], group["momentum"]
        if "step" not in state:
            state["step"] = 0
            state["square_avg"] = np.zeros_like(w)
        state["step"] += 1
        grad = _l2(w, grad, group["weight_decay"])
        a = state["square_avg"]
        a *= alpha
        a += (grad * grad) * (1 - alpha)
        if group["centered"]:
            gbar = state.get("grad_avg")
            if gbar is None:
                gbar = state["grad_avg"] = np.zeros_like(w)
            gbar += (grad - gbar) * (1 - alpha)
            denom = np.sqrt(a - gbar * gbar) + eps
        else:
            denom = np.sqrt(a) + eps
        if mu > 0:
            b = state.get("momentum_buffer")
            if b is None:
                b = state["momentum_buffer"] = np.zeros_like(w)
            b *= mu
            b += grad / denom
            w -= group["lr"] * b
        else:
            w -= group["lr"] * (grad / denom)


class Adadelta(Optimizer):
    """Adadelta (Zeiler 2012), as PyTorch's (with its ``lr`` factor, default 1):
    a <- rho a + (1 - rho) g^2;  d = sqrt(u + eps) / sqrt(a + eps) * g;  u <- rho u + (1 - rho) d^2;
    w <- w - lr d."""

    _torch_flags = {**FOREACH, **CAPTURABLE, **DIFFERENTIABLE}

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1.0,
        rho: float = 0.9,
        eps: float = 1e-6,
        weight_decay: float = 0.0,
        *,
        maximize: bool = False,
    ) -> None:
        if not 0 <= rho <= 1:
            raise ValueError(f"Invalid rho value: {rho} (Adadelta: rho must be in [0, 1])")
        defaults = {"lr": lr, "rho": rho, "eps": eps, "weight_decay": weight_decay, "maximize": maximize}
        super().__init__(params, defaults)

    def _update(self, w: np.ndarray, grad: np.ndarray, group: dict, state: dict) -> None:
        rho, eps = group["rho"], group["eps"]
        if "step" not in state:
            state["step"] = 0
            state["square_avg"] = np.zeros_like(w)
            state["acc_delta"] = np.zeros_like(w)
        state["step"] += 1
        grad = _l2(w, grad, group["weight_decay"])
        a, u = state["square_avg"], state["acc_delta"]
        a *= rho
        a += (grad * grad) * (1 - rho)
        delta = np.sqrt(u + eps) / np.sqrt(a + eps) * grad
        u *= rho
        u += (delta * delta) * (1 - rho)
        w -= group["lr"] * delta
