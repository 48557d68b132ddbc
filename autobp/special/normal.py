"""The standard normal's distribution function and its relatives: ndtr, log_ndtr, ndtri, and
erf/erfc/erfinv, which autobp declares in its elementwise math (re-exported; until that lands,
exact compositions of ndtr/ndtri stand in)."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.special as sc

from .. import ops as _ops
from ..ops._args import as_tensor
from ..ops._decl import op
from ..rules import rule
from ..tensor import Tensor
from ._common import FAMILY, NS, as_float, float_result

_INV_SQRT_2PI = 1.0 / np.sqrt(2.0 * np.pi)


def _unary(name: str, fn: Any, x: Any) -> Tensor:
    x = as_tensor(x)
    with np.errstate(all="ignore"):
        return Tensor._make(float_result(fn(x._data), x), (x,), name)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def ndtr(x: Any) -> Tensor:
    """The standard normal CDF, (1 + erf(x / sqrt 2)) / 2, elementwise; derivative the density."""
    return _unary("ndtr", sc.ndtr, x)


@rule("ndtr")
def _ndtr(F, g, out, xs, ctx, need):
    x = xs[0]
    return (g * F.exp(-0.5 * x * x) * _INV_SQRT_2PI,)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def log_ndtr(x: Any) -> Tensor:
    """log(ndtr(x)), accurate far into the left tail, elementwise."""
    return _unary("log_ndtr", sc.log_ndtr, x)


@rule("log_ndtr")  # density / cdf = exp(-x^2/2 - log_ndtr(x)) / sqrt(2 pi), no underflow
def _log_ndtr(F, g, out, xs, ctx, need):
    x = xs[0]
    return (g * F.exp(-0.5 * x * x - out) * _INV_SQRT_2PI,)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def ndtri(p: Any) -> Tensor:
    """The inverse of ndtr (the standard normal quantile), elementwise."""
    return _unary("ndtri", sc.ndtri, p)


@rule("ndtri")  # 1 / density at the quantile
def _ndtri(F, g, out, xs, ctx, need):
    return (g * F.exp(0.5 * out * out) * as_float(np.sqrt(2.0 * np.pi), g),)


# --- erf, erfc, erfinv: autobp's own (autobp/ops/math.py), under scipy.special's names too
erf, erfc, erfinv = _ops.erf, _ops.erfc, _ops.erfinv
