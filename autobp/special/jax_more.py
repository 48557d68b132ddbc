"""scipy.special functions jax.scipy.special offers that the rest of autobp.special did not: loggamma
(real and complex, the principal branch) and the shifted Box-Cox transform boxcox1p. Values are
scipy's; derivatives in closed form (complex ones by PyTorch's convention, g conj(f'))."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.special as sc

from ..ops._decl import op
from ..rules import rule
from ..tensor import Tensor
from ._common import FAMILY, NS, as_float
from ._scipy_op import args, cgrad, mask, scipy_op


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def loggamma(x: Any) -> Tensor:
    """The principal branch of log Gamma(x): gammaln(x) for real x > 0 (nan for real x < 0, as scipy),
    complex for complex x (branch cut on the negative real axis); derivative digamma(x)."""
    (t,) = args((x,), "loggamma")
    return scipy_op("loggamma", sc.loggamma, (t,), complex_out=t.dtype.kind == "c")


@rule("loggamma")
def _loggamma(F, g, out, xs, ctx, need):
    x = xs[0]
    if x.dtype.kind == "c":
        if isinstance(x, Tensor):
            raise NotImplementedError("loggamma: no second derivative for complex input")
        with np.errstate(all="ignore"):
            return (cgrad(F, g, sc.psi(x), x),)
    return (g * as_float(F.digamma(x), g),)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def boxcox1p(x: Any, lmbda: Any) -> Tensor:
    """The Box-Cox transform of 1 + x: ((1 + x)^lmbda - 1) / lmbda, log1p(x) at lmbda = 0;
    derivatives (1 + x)^(lmbda - 1) in x and ((1 + x)^lmbda log1p(x) - boxcox1p) / lmbda in lmbda
    (log1p(x)^2 / 2 at lmbda = 0)."""
    return scipy_op("boxcox1p", sc.boxcox1p, (x, lmbda))


@rule("boxcox1p")
def _boxcox1p(F, g, out, xs, ctx, need):
    x, lm = xs
    lx = F.log1p(x)
    gx = g * F.exp((lm - 1.0) * lx) if need[0] else None
    gl = None
    if need[1]:
        t = lm * lx  # the closed form cancels for small lmbda log1p(x): series L^2/2 + lmbda L^3/3 + ...
        small = mask(t, lambda a: np.abs(a) < 1e-3)
        safe = F.where(small, 1.0, lm)
        series = lx * lx * (0.5 + t / 3.0 + t * t / 8.0)
        gl = g * F.where(small, series, (F.exp(lm * lx) * lx - out) / safe)
    return gx, gl


def complex_logsumexp(a: Tensor, bt: Any, axes: tuple, axis: Any, keepdims: bool, return_sign: bool) -> Any:
    """logsumexp of complex input with ``b`` or ``return_sign`` (scipy >= 1.13's values): the complex
    log of the sum s, or (log|s|, s/|s|); gradient g conj(b e^(a - log s)) in a (PyTorch's convention for
    the holomorphic log s; the same for its real part log|s|), first order only."""
    shape = a.shape if bt is None else np.broadcast_shapes(a.shape, bt.shape)
    bd = None if bt is None else bt._data
    with np.errstate(all="ignore"):
        res = sc.logsumexp(a._data, axis=axis, b=bd, keepdims=True, return_sign=True)
        log_s = res[0] + np.log(res[1])  # complex log of the sum, reduced axes kept as 1
        e = np.exp(a._data - log_s)
        w = e if bd is None else bd * e
    kept = tuple(1 if i in axes else n for i, n in enumerate(shape))
    reduced = kept if keepdims else tuple(n for i, n in enumerate(shape) if i not in axes)
    single = all(t.dtype in (np.float32, np.complex64) for t in ((a,) if bt is None else (a, bt)))
    cdt, rdt = (np.complex64, np.float32) if single else (np.complex128, np.float64)
    parents = (a,) if bt is None else (a, bt)
    if return_sign:
        out = np.asarray(res[0]).astype(rdt).reshape(reduced)
        node = Tensor._make(out, parents, "logsumexp_complex", (kept, w, e))
        return node, Tensor._const(np.asarray(res[1]).astype(cdt).reshape(reduced))
    out = np.asarray(log_s).astype(cdt).reshape(reduced)
    return Tensor._make(out, parents, "logsumexp_complex", (kept, w, e))


@rule("logsumexp_complex")  # ctx = (kept shape, b e^(a - log s), e^(a - log s))
def _logsumexp_complex(F, g, out, xs, ctx, need):
    if any(isinstance(x, Tensor) for x in xs):
        raise NotImplementedError("logsumexp of complex input: first order only")
    kept, w, e = ctx
    gk = np.reshape(g, kept) if np.ndim(g) else g
    ga = cgrad(F, gk, w, xs[0]) if need[0] else None
    gb = cgrad(F, gk, e, xs[1]) if len(xs) > 1 and need[1] else None
    return (ga,) if len(xs) == 1 else (ga, gb)
