"""LAMB (You et al. 2020): Adam's step rescaled per parameter by the trust ratio |w| / |step|, for
large-batch training; tinygrad's ``nn.optim.LAMB`` (PyTorch has none), with PyTorch-style arguments."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from .adam import _check_betas, _moments
from .optimizer import Optimizer


class LAMB(Optimizer):
    """Layer-wise adaptive moments. Per parameter w (one "layer"), with Adam's moments m, v:

        u = (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps) + weight_decay * w
        r = |w| / |u| (2-norms; 1 if either is 0, or always 1 with ``adam=True``)
        w <- w - lr * r * u

    so each parameter moves by lr * |w| whatever its gradient's scale. ``adam=True`` without weight
    decay is Adam with eps added to the bias-corrected sqrt(v) (tinygrad's Adam). ``b1``/``b2`` are
    accepted for ``betas`` as tinygrad spells them.

    >>> opt = LAMB(net.parameters(), lr=1e-3, weight_decay=0.01)   # doctest: +SKIP
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-6,
        weight_decay: float = 0.0,
        adam: bool = False,
        *,
        b1: float | None = None,
        b2: float | None = None,
        maximize: bool = False,
    ) -> None:
        betas = (betas[0] if b1 is None else b1, betas[1] if b2 is None else b2)
        defaults = {
            "lr": lr,
            "betas": _check_betas("LAMB", betas),
            "eps": eps,
            "weight_decay": weight_decay,
            "adam": adam,
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    def _update(self, w: np.ndarray, grad: np.ndarray, group: dict, state: dict) -> None:
        b1, b2 = group["betas"]
        t, m, v = _moments(state, w, grad, b1, b2)
        u = (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + group["eps"])
        if group["weight_decay"]:
            u = u + group["weight_decay"] * w
        ratio = 1.0
        if not group["adam"]:
            w_norm, u_norm = float(np.linalg.norm(w)), float(np.linalg.norm(u))
            if w_norm > 0 and u_norm > 0:
                ratio = w_norm / u_norm
        w -= (group["lr"] * ratio) * u
