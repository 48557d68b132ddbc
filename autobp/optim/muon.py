"""Muon: momentum SGD whose step for a 2-D weight is the momentum orthogonalised by a Newton-Schulz
iteration (Jordan et al. 2024), with ``torch.optim.Muon``'s arguments, defaults and state names."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from .optimizer import Optimizer

NS_COEFFICIENTS = (3.4445, -4.775, 2.0315)  # PyTorch's quintic: the steepest slope at zero


def newton_schulz(g: np.ndarray, coefficients: tuple, steps: int, eps: float) -> np.ndarray:
    """An approximate orthogonal polar factor of the 2-D ``g`` (U V^T of its SVD, with the singular
    values only driven towards 1): X = g / max(|g|_F, eps) (so every singular value is <= 1), then
    ``steps`` times X <- a X + (b A + c A^2) X with A = X X^T, on the wide orientation of g."""
    if steps >= 100:
        raise ValueError(f"Muon: ns_steps must be below 100, got {steps}")
    if len(coefficients) != 3:
        raise ValueError(f"Muon: ns_coefficients must be 3 numbers (a, b, c), got {coefficients}")
    a, b, c = coefficients
    tall = g.shape[0] > g.shape[1]
    x = g.T if tall else g
    x = x / max(float(np.linalg.norm(x)), eps)
    for _ in range(steps):
        gram = x @ x.T
        x = a * x + (b * gram + c * (gram @ gram)) @ x
    return x.T if tall else x


class Muon(Optimizer):
    """Muon for 2-D parameters, as ``torch.optim.Muon``. Per weight W (A x B) with gradient g:

        buf <- momentum * buf + (1 - momentum) * g            (``state[p]["momentum_buffer"]``)
        u   = (1 - momentum) * g + momentum * buf   if nesterov, else buf
        W   <- W (1 - lr * weight_decay) - lr' * newton_schulz(u)

    with lr' = lr * sqrt(max(1, A / B)) (``adjust_lr_fn`` None or 'original'), 0.2 lr sqrt(max(A, B))
    ('match_rms_adamw'). PyTorch runs the Newton-Schulz iteration in bfloat16; here it runs in the
    parameter's dtype, so steps agree with torch's to bfloat16 precision (about 1%), not to round-off.

    >>> opt = Muon([layer.weight], lr=0.02)   # doctest: +SKIP
    """

    _real_only = True

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        weight_decay: float = 0.1,
        momentum: float = 0.95,
        nesterov: bool = True,
        ns_coefficients: tuple[float, float, float] = NS_COEFFICIENTS,
        eps: float = 1e-7,
        ns_steps: int = 5,
        adjust_lr_fn: str | None = None,
    ) -> None:
        if adjust_lr_fn not in (None, "original", "match_rms_adamw"):
            raise ValueError(
                f"Muon: adjust_lr_fn must be None, 'original' or 'match_rms_adamw', got {adjust_lr_fn!r}"
            )
        defaults = {
            "lr": lr,
            "weight_decay": weight_decay,
            "momentum": momentum,
            "nesterov": nesterov,
            "ns_coefficients": tuple(ns_coefficients),
            "eps": eps,
            "ns_steps": ns_steps,
            "adjust_lr_fn": adjust_lr_fn,
        }
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                if p.ndim != 2:
                    raise ValueError(f"Muon: only 2-D parameters are supported, got one of shape {p.shape}")

    def _update(self, w: np.ndarray, grad: np.ndarray, group: dict, state: dict) -> None:
        mu = group["momentum"]
        buf = state.get("momentum_buffer")
        if buf is None:
            buf = state["momentum_buffer"] = np.zeros_like(w)
        buf += (grad - buf) * (1 - mu)  # lerp towards g
        u = grad + (buf - grad) * mu if group["nesterov"] else buf
        step = newton_schulz(u, group["ns_coefficients"], group["ns_steps"], group["eps"]).astype(w.dtype)
        A, B = w.shape
        if group["adjust_lr_fn"] == "match_rms_adamw":
            ratio = 0.2 * math.sqrt(max(A, B))
        else:
            ratio = math.sqrt(max(1, A / B))
        w *= 1 - group["lr"] * group["weight_decay"]
        w -= (group["lr"] * ratio) * step
