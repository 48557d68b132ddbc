"""Modified Bessel functions of the first kind, orders 0 and 1, plain and exponentially scaled
(i0, i1, i0e, i1e), with PyTorch's derivatives (i1' and i1e' are 1/2 at 0)."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.special as sc

from ..ops._args import as_tensor
from ..ops._decl import op
from ..rules import rule
from ..tensor import Tensor
from ._common import FAMILY, NS, as_float, data_of, float_result


def _unary(name: str, fn: Any, x: Any) -> Tensor:
    x = as_tensor(x)
    return Tensor._make(float_result(fn(x._data), x), (x,), name)


@op(family=FAMILY, namespace=NS, numpy=(np.i0,), method=False)
def i0(x: Any) -> Tensor:
    """I0(x), the modified Bessel function of order 0; derivative I1(x). Real x only (numpy's i0
    refuses complex values too)."""
    data = x._data if isinstance(x, Tensor) else np.asarray(x)
    if data.dtype.kind == "c":
        raise TypeError(f"i0 not supported for complex values (dtype {data.dtype}, shape {data.shape})")
    return _unary("i0", sc.i0, x)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def i1(x: Any) -> Tensor:
    """I1(x), the modified Bessel function of order 1; derivative I0(x) - I1(x)/x (1/2 at 0)."""
    return _unary("i1", sc.i1, x)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def i0e(x: Any) -> Tensor:
    """exp(-|x|) I0(x); derivative i1e(x) - sign(x) i0e(x)."""
    return _unary("i0e", sc.i0e, x)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def i1e(x: Any) -> Tensor:
    """exp(-|x|) I1(x); derivative i0e(x) - i1e(x) (sign(x) + 1/x) (1/2 at 0)."""
    return _unary("i1e", sc.i1e, x)


def _f(F, name, x, g):
    return as_float(getattr(F, name)(x), g)


@rule("i0")
def _i0(F, g, out, xs, ctx, need):
    return (g * _f(F, "i1", xs[0], g),)


def _over_x(F, y, x):
    """y / x with 1/2's limit where x = 0 supplied by the caller's where (safe denominator)."""
    zero = data_of(x) == 0
    return zero, y / F.where(zero, 1.0, x)


@rule("i1")
def _i1(F, g, out, xs, ctx, need):
    x = xs[0]
    zero, ratio = _over_x(F, out, x)
    return (g * F.where(zero, 0.5, _f(F, "i0", x, g) - ratio),)


@rule("i0e")
def _i0e(F, g, out, xs, ctx, need):
    x = xs[0]
    return (g * (_f(F, "i1e", x, g) - F.sign(x) * out),)


@rule("i1e")
def _i1e(F, g, out, xs, ctx, need):
    x = xs[0]
    zero, ratio = _over_x(F, out, x)
    return (g * F.where(zero, 0.5, _f(F, "i0e", x, g) - F.sign(x) * out - ratio),)
