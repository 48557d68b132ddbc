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
