"""scipy.special's entr (-x log x), erfcx (the scaled complementary error function) and the Hurwitz
zeta function zeta(x, q), with PyTorch's gradients (torch.special.entr, erfcx, zeta)."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.special as sc

from ..ops._args import as_tensor, pair
from ..ops._decl import op
from ..rules import rule
from ..tensor import Tensor
from ._common import FAMILY, NS, as_float, float_result
from ._zeta_series import zeta_derivative

_TWO_OVER_SQRT_PI = 2.0 / np.sqrt(np.pi)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def entr(x: Any) -> Tensor:
    """-x log(x) for x > 0, 0 at x = 0, -inf for x < 0, elementwise; derivative -(log x + 1)."""
    x = as_tensor(x)
    with np.errstate(all="ignore"):
        return Tensor._make(float_result(sc.entr(x._data), x), (x,), "entr")


@rule("entr")  # PyTorch's: -(1 + log x), so +inf at 0 and nan for x < 0
def _entr(F, g, out, xs, ctx, need):
    with np.errstate(all="ignore"):
        return (-g * (F.log(xs[0]) + 1.0),)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def erfcx(x: Any) -> Tensor:
    """exp(x^2) erfc(x), without overflow for large x, elementwise; derivative 2x erfcx(x) - 2/sqrt(pi)."""
    x = as_tensor(x)
    with np.errstate(all="ignore"):
        return Tensor._make(float_result(sc.erfcx(x._data), x), (x,), "erfcx")


@rule("erfcx")
def _erfcx(F, g, out, xs, ctx, need):
    return (g * (2.0 * xs[0] * out - _TWO_OVER_SQRT_PI),)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def zeta(x: Any, q: Any = None) -> Tensor:
    """The Hurwitz zeta function sum_k (k + q)^-x (Riemann's for q = None), elementwise.

    Differentiable in q (d/dq = -x zeta(x + 1, q)) as in PyTorch, and in x (-sum_k log(k + q)
    (k + q)^-x, to any order) as in JAX, where torch.special.zeta has no x-derivative.
    """
    x, q = pair(x, 1.0 if q is None else q, "zeta")
    with np.errstate(all="ignore"):
        return Tensor._make(float_result(sc.zeta(x._data, q._data), x, q), (x, q), "zeta")


def _zeta_dx(F, x: Any, q: Any, n: int, g: Any) -> Any:
    """d^n/dx^n zeta(x, q) in g's dtype: zeta itself for n = 0; a recorded node when x or q is a Tensor."""
    if n == 0:
        return as_float(F.zeta(x, q), g)
    if isinstance(x, Tensor) or isinstance(q, Tensor):
        x, q = pair(x, q, "zeta")
        return Tensor._make(float_result(zeta_derivative(x._data, q._data, n), x, q), (x, q), "zeta_dx", n)
    return as_float(zeta_derivative(x, q, n), g)


@rule("zeta")
def _zeta(F, g, out, xs, ctx, need):
    return _zeta_dx_rule(F, g, out, xs, 0, need)


@rule("zeta_dx")  # ctx = n, the order of the x-derivative: d/dq D_n(x, q) = -x D_n(x+1, q) - n D_n-1(x+1, q)
def _zeta_dx_rule(F, g, out, xs, ctx, need):
    x, q, n = xs[0], xs[1], ctx
    with np.errstate(all="ignore"):
        gx = g * _zeta_dx(F, x, q, n + 1, g) if need[0] else None
        gq = None
        if need[1]:
            gq = -x * _zeta_dx(F, x + 1.0, q, n, g)
            if n:
                gq = gq - n * _zeta_dx(F, x + 1.0, q, n - 1, g)
            gq = g * gq
    return gx, gq
