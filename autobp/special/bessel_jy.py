"""Bessel functions of the first and second kind (j0, j1, y0, y1, jv, yv, jn, yn) and the modified
ones of real order (iv, ive), differentiable in x by the recurrences
J'_v = (J_{v-1} - J_{v+1}) / 2 (the same for Y) and I'_v = (I_{v-1} + I_{v+1}) / 2. The order v is
not differentiable (scipy and PyTorch have no derivative in it either)."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import scipy.special as sc

from ..ops._args import as_tensor, pair
from ..ops._decl import op
from ..rules import rule
from ..tensor import Tensor
from ._common import FAMILY, NS, as_float, float_result


def _order(name: str, v: Any, x: Any) -> tuple:
    v, x = pair(v, x, name)
    return v, x


def _two(name: str, fn: Any, v: Any, x: Any) -> Tensor:
    v, x = _order(name, v, x)
    with np.errstate(all="ignore"):
        return Tensor._make(float_result(fn(v._data, x._data), v, x), (v, x), name)


def _one(name: str, fn: Any, x: Any) -> Tensor:
    x = as_tensor(x)
    with np.errstate(all="ignore"):
        return Tensor._make(float_result(fn(x._data), x), (x,), name)


def _no_order_gradient(name: str) -> NotImplementedError:
    return NotImplementedError(f"{name}: no derivative with respect to the order v; pass it as a constant")


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def jv(v: Any, x: Any) -> Tensor:
    """J_v(x), the Bessel function of the first kind of real order v."""
    return _two("jv", sc.jv, v, x)


@op(family=FAMILY, namespace=NS, numpy=None, method=False, rules=("jv",))
def jn(n: Any, x: Any) -> Tensor:
    """J_n(x) for integer order n (scipy's alias of jv)."""
    return jv(n, x)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def yv(v: Any, x: Any) -> Tensor:
    """Y_v(x), the Bessel function of the second kind of real order v (x > 0)."""
    return _two("yv", sc.yv, v, x)


@op(family=FAMILY, namespace=NS, numpy=None, method=False, rules=("yv",))
def yn(n: Any, x: Any) -> Tensor:
    """Y_n(x) for integer order n; a fractional n is truncated toward 0 with scipy's RuntimeWarning."""
    nd = np.asarray(n._data if isinstance(n, Tensor) else n)
    if nd.dtype.kind == "f" and np.any(np.isfinite(nd) & (nd != np.trunc(nd))):
        warnings.warn("floating point number truncated to an integer", RuntimeWarning, stacklevel=2)
        n = np.trunc(nd)
    return yv(n, x)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def iv(v: Any, x: Any) -> Tensor:
    """I_v(x), the modified Bessel function of the first kind of real order v."""
    return _two("iv", sc.iv, v, x)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def ive(v: Any, x: Any) -> Tensor:
    """exp(-|x|) I_v(x); derivative (I_{v-1} + I_{v+1}) e^-|x| / 2 - sign(x) ive(v, x)."""
    return _two("ive", sc.ive, v, x)


@rule("jv")
def _jv(F, g, out, xs, ctx, need):
    v, x = xs
    if need[0]:
        raise _no_order_gradient("jv")
    return None, g * as_float(F.jv(v - 1.0, x) - F.jv(v + 1.0, x), g) / 2.0


@rule("yv")
def _yv(F, g, out, xs, ctx, need):
    v, x = xs
    if need[0]:
        raise _no_order_gradient("yv")
    return None, g * as_float(F.yv(v - 1.0, x) - F.yv(v + 1.0, x), g) / 2.0


@rule("iv")
def _iv(F, g, out, xs, ctx, need):
    v, x = xs
    if need[0]:
        raise _no_order_gradient("iv")
    return None, g * as_float(F.iv(v - 1.0, x) + F.iv(v + 1.0, x), g) / 2.0


@rule("ive")
def _ive(F, g, out, xs, ctx, need):
    v, x = xs
    if need[0]:
        raise _no_order_gradient("ive")
    return None, g * (as_float(F.ive(v - 1.0, x) + F.ive(v + 1.0, x), g) / 2.0 - F.sign(x) * out)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def j0(x: Any) -> Tensor:
    """J_0(x); derivative -J_1(x)."""
    return _one("j0", sc.j0, x)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def j1(x: Any) -> Tensor:
    """J_1(x); derivative (J_0(x) - J_2(x)) / 2."""
    return _one("j1", sc.j1, x)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def y0(x: Any) -> Tensor:
    """Y_0(x) (x > 0); derivative -Y_1(x)."""
    return _one("y0", sc.y0, x)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def y1(x: Any) -> Tensor:
    """Y_1(x) (x > 0); derivative (Y_0(x) - Y_2(x)) / 2."""
    return _one("y1", sc.y1, x)


@rule("j0")
def _j0(F, g, out, xs, ctx, need):
    return (-g * as_float(F.j1(xs[0]), g),)


@rule("y0")
def _y0(F, g, out, xs, ctx, need):
    return (-g * as_float(F.y1(xs[0]), g),)


@rule("j1")
def _j1(F, g, out, xs, ctx, need):
    return (g * as_float(F.j0(xs[0]) - F.jv(2.0, xs[0]), g) / 2.0,)


@rule("y1")
def _y1(F, g, out, xs, ctx, need):
    return (g * as_float(F.y0(xs[0]) - F.yv(2.0, xs[0]), g) / 2.0,)
