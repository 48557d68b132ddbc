"""Binary cross-entropy's elementwise node, with PyTorch's gradient formulas, so the numbers agree at
saturated probabilities (p = 0 or 1 exactly, where a sigmoid in float lands) as well as inside."""

from __future__ import annotations

import numpy as np

from ..rules import rule
from ..tensor import Tensor

_EPS = float(np.float32(1e-12))  # PyTorch's floor on p (1 - p) in the input gradient (a float 1e-12)


def bce_pointwise(p: Tensor, t: Tensor) -> Tensor:
    """-(t log p + (1 - t) log(1 - p)), each log floored at -100 as PyTorch's."""
    pd, td = p._data, t._data
    with np.errstate(divide="ignore"):
        log_p = np.maximum(np.log(pd), -100.0)
        log_q = np.maximum(np.log1p(-pd), -100.0)
    loss = -(td * log_p + (1 - td) * log_q)
    return Tensor._make(np.asarray(loss, dtype=np.result_type(pd, td)), (p, t), "binary_cross_entropy")


@rule("binary_cross_entropy")
def _bce(F, g, out, xs, ctx, need):
    # PyTorch's: d/dp = (p - t) / max(p (1 - p), 1e-12), so p = 1 with t = 1 gives 0 and p = 1 with t = 0
    # a large push back (the clamped loss itself is flat there); d/dt = -logit(p), unclamped
    p, t = xs
    gp = g * (p - t) / F.maximum(p * (1.0 - p), _EPS) if need[0] else None
    if need[1]:
        with np.errstate(divide="ignore"):
            gt = g * (F.log1p(-p) - F.log(p))
    else:
        gt = None
    return gp, gt
