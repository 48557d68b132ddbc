"""The standardisation every location-scale distribution starts from: its arguments as Tensors,
y = (x - loc) / scale, and the shape parameters; plus scipy's out-of-range ppf (nan outside [0, 1])."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..ops import exp, expm1, log, log1p, where
from ._common import arg, data, outside, tensors


def standard(x: Any, loc: Any, scale: Any, *shapes: Any) -> tuple:
    """(y, scale, *shapes) as Tensors, y = (x - loc) / scale; numbers take the Tensors' float dtype."""
    x, loc, scale, *shapes = tensors(x, loc, scale, *shapes)
    scale = arg(scale)
    return ((arg(x) - loc) / scale, scale, *(arg(s) for s in shapes))


def probability(q: Any, loc: Any, scale: Any, *shapes: Any) -> tuple:
    """(q, loc, scale, *shapes) as Tensors for a ppf, q's values outside [0, 1] noted for nan."""
    q, loc, scale, *shapes = tensors(q, loc, scale, *shapes)
    return (arg(q), arg(loc), arg(scale), *(arg(s) for s in shapes))


def nan_outside_unit(q: Any, value: Any) -> Any:
    """``value`` with nan where q is outside [0, 1] (scipy's ppf)."""
    qd = data(q)
    return outside((qd < 0) | (qd > 1) | np.isnan(qd), np.nan, value)


def log1mexp(t: Any) -> Any:
    """log(1 - exp(-t)) for t >= 0, accurate at both ends: log(-expm1(-t)) for t < log 2 (tiny t:
    1 - exp(-t) is t, not a rounded 1 - 1) and log1p(-exp(-t)) beyond (1 - exp(-t) near 1). Each branch
    sees a harmless stand-in where the other is taken (no nan gradient)."""
    small = data(t) < np.log(2.0)
    near = where(small, t, 0.5)
    far = where(small, 1.0, t)
    return where(small, log(-expm1(-near)), log1p(-exp(-far)))
