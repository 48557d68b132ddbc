"""Rprop (steps from the gradient's sign only) and ASGD (SGD with a decaying step and a running
average of the iterates), with PyTorch's updates, arguments and state names."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from ._torch_flags import CAPTURABLE, DIFFERENTIABLE, FOREACH
from .optimizer import Optimizer


class Rprop(Optimizer):
    """Resilient backpropagation (Riedmiller & Braun 1993), as ``torch.optim.Rprop``.

    Each weight has its own step size s (starting at ``lr``). With f = etaplus where g * g_prev > 0,
    etaminus where < 0, and 1 where 0: s <- clamp(s * f, *step_sizes); where the sign flipped
    (f = etaminus) the gradient is taken as 0 (no move, and no flip seen at the next step);
    w <- w - sign(g) * s.

    >>> opt = Rprop(net.parameters(), lr=0.01, etas=(0.5, 1.2))   # doctest: +SKIP
    """

    _torch_flags = {**FOREACH, **CAPTURABLE, **DIFFERENTIABLE}

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-2,
        etas: tuple[float, float] = (0.5, 1.2),
        step_sizes: tuple[float, float] = (1e-6, 50.0),
        *,
        maximize: bool = False,
    ) -> None:
        etaminus, etaplus = etas
        if not 0.0 < etaminus < 1.0 < etaplus:
            raise ValueError(
                f"Invalid eta values: {etaminus}, {etaplus} "
                "(Rprop: etas must satisfy 0 < etaminus < 1 < etaplus)"
            )
        super().__init__(
            params, {"lr": lr, "etas": tuple(etas), "step_sizes": tuple(step_sizes), "maximize": maximize}
        )

    def _update(self, w: np.ndarray, grad: np.ndarray, group: dict, state: dict) -> None:
        etaminus, etaplus = group["etas"]
        lo, hi = group["step_sizes"]
        if "step" not in state:  # a complex parameter's real view: lr for both parts, as torch
            state["step"] = 0
            state["prev"] = np.zeros_like(w)
            state["step_size"] = np.full_like(w, group["lr"])
        state["step"] += 1
        agree = grad * state["prev"]
        f = np.where(agree > 0, etaplus, np.where(agree < 0, etaminus, 1.0)).astype(w.dtype)
        s = state["step_size"]
        np.clip(s * f, lo, hi, out=s)
        g = np.where(agree < 0, 0, grad).astype(w.dtype)  # the sign flipped: f is etaminus
        w -= np.sign(g) * s
        state["prev"][...] = g


class ASGD(Optimizer):
    """Averaged SGD (Polyak & Juditsky 1992), as ``torch.optim.ASGD``.

    With g = dE/dw + weight_decay * w, per step t: w <- w (1 - lambd * eta) - eta * g; the average
    ax follows w (ax = w while mu = 1, then ax <- ax + mu (w - ax)); then
    eta <- lr / (1 + lambd * lr * t) ** alpha and mu <- 1 / max(1, t - t0).
    ``state[p]["ax"]`` is the averaged weight; eta and mu are float32 scalars, as PyTorch keeps them
    (its default dtype), so trajectories agree with ``torch.optim.ASGD`` to round-off.
    """

    _torch_flags = {**FOREACH, **CAPTURABLE, **DIFFERENTIABLE}
    _scalar_state = ("step", "eta", "mu")

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-2,
        lambd: float = 1e-4,
        alpha: float = 0.75,
        t0: float = 1e6,
        weight_decay: float = 0.0,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = {"lr": lr, "lambd": lambd, "alpha": alpha, "t0": t0, "weight_decay": weight_decay}
        super().__init__(params, {**defaults, "maximize": maximize})

    def _update(self, w: np.ndarray, grad: np.ndarray, group: dict, state: dict) -> None:
        lr, lambd = group["lr"], group["lambd"]
        if "step" not in state:
            state.update(step=0, eta=np.float32(lr), mu=np.float32(1.0), ax=np.zeros_like(w))
        state["step"] += 1
        t = state["step"]
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * w
        eta = float(state["eta"])
        w *= 1 - lambd * eta
        w -= eta * grad
        ax = state["ax"]
        if state["mu"] != 1:
            ax += (w - ax) * float(state["mu"])
        else:
            ax[...] = w
        state["eta"] = np.float32(lr / (1 + lambd * lr * t) ** group["alpha"])
        state["mu"] = np.float32(1 / max(1, t - group["t0"]))
