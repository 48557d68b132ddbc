"""Adafactor (Shazeer & Stern 2018) as ``torch.optim.Adafactor``: second moments kept as row and column
averages for matrices (memory O(n + m), not O(n m)), a relative step size and update clipping."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from ._torch_flags import FOREACH
from .optimizer import Optimizer


class Adafactor(Optimizer):
    """PyTorch's Adafactor. At step t, with b2_t = t ** beta2_decay, rho_t = min(lr, 1 / sqrt(t)) and
    alpha = max(eps2, RMS(w)) * rho_t:

        matrices (over the last two axes): r <- lerp(r, mean_j g^2, b2_t), c <- lerp(c, mean_i g^2, b2_t),
                   v = r c / mean(r)  (``state[p]["row_var"]``, ``["col_var"]``)
        vectors:   v <- lerp(v, g^2, b2_t)  (``state[p]["variance"]``)
        u = g / sqrt(max(v, eps1^2));  w <- w (1 - lr weight_decay) - alpha / max(1, RMS(u) / d) * u

    ``eps=(None, 1e-3)``: eps1 None is the dtype's machine epsilon.
    """

    _real_only = True

    _torch_flags = dict(FOREACH)

    _unshaped_state = ("row_var", "col_var")

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-2,
        beta2_decay: float = -0.8,
        eps: tuple[float | None, float] = (None, 1e-3),
        d: float = 1.0,
        weight_decay: float = 0.0,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = {
            "lr": lr,
            "beta2_decay": beta2_decay,
            "eps": tuple(eps),
            "d": d,
            "weight_decay": weight_decay,
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    def _check_group(self, group: dict[str, Any]) -> None:
        eps1, eps2 = group["eps"]
        if not group["lr"] >= 0 or not group["weight_decay"] >= 0:
            raise ValueError(
                f"Adafactor: lr and weight_decay must be >= 0, got {group['lr']}, {group['weight_decay']}"
            )
        if not group["beta2_decay"] <= 0:
            raise ValueError(f"Adafactor: beta2_decay must be <= 0, got {group['beta2_decay']}")
        if (eps1 is not None and not eps1 >= 0) or not eps2 >= 0:
            raise ValueError(f"Adafactor: eps values must be >= 0, got {group['eps']}")
        if not group["d"] >= 1:
            raise ValueError(f"Adafactor: the clipping threshold d must be >= 1, got {group['d']}")

    def _update(self, w: np.ndarray, grad: np.ndarray, group: dict, state: dict) -> None:
        eps1, eps2 = group["eps"]
        if eps1 is None:
            eps1 = float(np.finfo(w.dtype).eps)
        if "step" not in state:
            state["step"] = 0
            if grad.ndim > 1:
                state["row_var"] = np.zeros(grad.shape[:-1] + (1,), dtype=w.dtype)
                state["col_var"] = np.zeros(grad.shape[:-2] + (1, grad.shape[-1]), dtype=w.dtype)
            else:
                state["variance"] = np.zeros_like(w)
        state["step"] += 1
        t = float(state["step"])
        b2 = t ** group["beta2_decay"]
        rho = min(group["lr"], 1 / t**0.5)
        alpha = max(eps2, float(np.linalg.norm(w)) / max(w.size, 1) ** 0.5) * rho
        if group["weight_decay"]:
            w *= 1 - group["lr"] * group["weight_decay"]
        g2 = grad * grad
        if grad.ndim > 1:
            r, c = state["row_var"], state["col_var"]
            r += (g2.mean(axis=-1, keepdims=True) - r) * b2
            c += (g2.mean(axis=-2, keepdims=True) - c) * b2
            v = (r @ c) / np.maximum(r.mean(axis=-2, keepdims=True), eps1)
        else:
            v = state["variance"]
            v += (g2 - v) * b2
        u = grad / np.sqrt(np.maximum(v, eps1 * eps1))
        denom = max(1.0, float(np.linalg.norm(u)) / (max(u.size, 1) ** 0.5 * group["d"]))
        w -= (alpha / denom) * u
