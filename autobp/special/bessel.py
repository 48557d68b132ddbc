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
from ._common import FAMILY, NS, as_float, float_result


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
    """I1(x), the modified Bessel function of order 1; derivative (I0(x) + I2(x)) / 2 (1/2 at 0)."""
    return _unary("i1", sc.i1, x)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def i0e(x: Any) -> Tensor:
    """exp(-|x|) I0(x); derivative i1e(x) - sign(x) i0e(x)."""
    return _unary("i0e", sc.i0e, x)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def i1e(x: Any) -> Tensor:
    """exp(-|x|) I1(x); derivative (i0e(x) + ive(2, x)) / 2 - sign(x) i1e(x) (1/2 at 0)."""
    return _unary("i1e", sc.i1e, x)


def _f(F, name, x, g):
    return as_float(getattr(F, name)(x), g)


@rule("i0")
def _i0(F, g, out, xs, ctx, need):
    return (g * _f(F, "i1", xs[0], g),)


@rule("i1")
def _i1(F, g, out, xs, ctx, need):
    # (I0 + I2) / 2, not I0 - I1/x: no division by x, so every higher derivative stays accurate near 0
    x = xs[0]
    return (g * (_f(F, "i0", x, g) + as_float(F.iv(2.0, x), g)) / 2.0,)


@rule("i0e")
def _i0e(F, g, out, xs, ctx, need):
    x = xs[0]
    return (g * (_f(F, "i1e", x, g) - F.sign(x) * out),)


@rule("i1e")
def _i1e(F, g, out, xs, ctx, need):
    x = xs[0]
    half_sum = (_f(F, "i0e", x, g) + as_float(F.ive(2.0, x), g)) / 2.0
    return (g * (half_sum - F.sign(x) * out),)
