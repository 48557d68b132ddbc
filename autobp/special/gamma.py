"""The gamma family under scipy.special's names: gammaln, gamma, digamma (psi), polygamma,
multigammaln and betaln; each derivative is the next function of the family."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.special as sc

from ..ops._args import NOT_YET, as_tensor, pair, refuse_complex
from ..ops._decl import op
from ..rules import rule
from ..tensor import Tensor
from ._common import FAMILY, NS, as_float, float_result


def _unary(name: str, fn: Any, x: Any) -> Tensor:
    x = as_tensor(x)
    with np.errstate(all="ignore"):
        return Tensor._make(float_result(fn(x._data), x), (x,), name)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def gammaln(x: Any) -> Tensor:
    """log|Gamma(x)|, elementwise (PyTorch's lgamma); derivative digamma(x)."""
    return _unary("gammaln", sc.gammaln, x)


@rule("gammaln")
def _gammaln(F, g, out, xs, ctx, need):
    return (g * as_float(F.digamma(xs[0]), g),)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def gamma(x: Any) -> Tensor:
    """Gamma(x), elementwise, real or complex (scipy's values: nan+nanj at the complex poles);
    derivative Gamma(x) digamma(x)."""
    x = as_tensor(x)
    if x.dtype.kind == "c":
        with np.errstate(all="ignore"):
            return Tensor._make(np.asarray(sc.gamma(x._data)).astype(x.dtype, copy=False), (x,), "gamma")
    return _unary("gamma", sc.gamma, x)


@rule("gamma")
def _gamma(F, g, out, xs, ctx, need):
    x = xs[0]
    if x.dtype.kind == "c":  # PyTorch's convention for a holomorphic function: g conj(f')
        if isinstance(x, Tensor):
            raise NotImplementedError("gamma: no second derivative for complex input")
        with np.errstate(all="ignore"):
            return (g * np.conj(out * sc.psi(x)),)
    return (g * out * as_float(F.digamma(x), g),)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def digamma(x: Any) -> Tensor:
    """d/dx log Gamma(x) (also ``psi``), elementwise; derivative polygamma(1, x)."""
    return _unary("digamma", sc.digamma, x)


psi = digamma


@rule("digamma")
def _digamma(F, g, out, xs, ctx, need):
    return (g * as_float(F.polygamma(1, xs[0]), g),)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def polygamma(n: Any, x: Any) -> Tensor:
    """The n-th derivative of digamma at x (integer n >= 0, not differentiable), elementwise."""
    x = as_tensor(x)
    nd = n._data if isinstance(n, Tensor) else np.asarray(n)
    if nd.dtype.kind not in "iub" and not np.all(nd == np.floor(nd)):
        raise ValueError(f"polygamma: n must be integers, got {n!r}")
    if np.any(nd < 0):
        from .._broadcast import ShapeError  # ValueError and RuntimeError, as PyTorch raises

        raise ShapeError(
            f"polygamma: n must be >= 0, got {n!r} (polygamma(n, x) does not support negative n.)"
        )
    nd = nd.astype(np.int64)
    with np.errstate(all="ignore"):
        data = float_result(sc.polygamma(nd, x._data), x)
    return Tensor._make(data, (x,), "polygamma", nd)


@rule("polygamma")  # ctx = n
def _polygamma(F, g, out, xs, ctx, need):
    return (g * as_float(F.polygamma(ctx + 1, xs[0]), g),)


@op(family=FAMILY, namespace=NS, numpy=None, method=False, rules=("gammaln",))
def multigammaln(a: Any, d: int) -> Tensor:
    """log of the multivariate gamma function of dimension ``d``:
    d(d-1)/4 log(pi) + sum_{j=0}^{d-1} gammaln(a - j/2); needs every a > (d-1)/2, as scipy."""
    a = as_tensor(a)
    refuse_complex(a, "autobp.special.multigammaln", NOT_YET)  # the cast below would drop Im(a)
    if not isinstance(d, (int, np.integer)) or d < 1:
        raise ValueError(f"multigammaln: d must be a positive integer, got {d!r}")
    if np.any(a._data <= (d - 1) / 2):
        raise ValueError(f"multigammaln: every a must be > (d-1)/2 = {(d - 1) / 2}, got min {a._data.min()}")
    if a.dtype.kind != "f":
        a = Tensor._const(a._data.astype(np.float64))
    out = gammaln(a)
    for j in range(1, d):
        out = out + gammaln(a - j / 2)
    return out + d * (d - 1) / 4 * np.log(np.pi)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def betaln(a: Any, b: Any) -> Tensor:
    """log|B(a, b)| = gammaln(a) + gammaln(b) - gammaln(a + b), elementwise (broadcast)."""
    a, b = pair(a, b, "betaln")
    with np.errstate(all="ignore"):
        data = float_result(sc.betaln(a._data, b._data), a, b)
    return Tensor._make(data, (a, b), "betaln")


@rule("betaln")
def _betaln(F, g, out, xs, ctx, need):
    a, b = xs
    both = as_float(F.digamma(a + b), g)
    ga = g * (as_float(F.digamma(a), g) - both) if need[0] else None
    gb = g * (as_float(F.digamma(b), g) - both) if need[1] else None
    return ga, gb
