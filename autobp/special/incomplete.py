"""Regularised incomplete gamma and beta functions and Student's t CDF (gammainc, gammaincc, betainc,
stdtr), differentiable in x; and the small gamma/erf relatives beta, rgamma, gammasgn, erfcinv.

The derivative in x is the integrand (a density), in closed form. In the shape parameters there is
none in closed form; PyTorch's gammainc has no gradient there either, so asking for one raises
(never a silent zero)."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.special as sc

from ..ops import where
from ..ops._args import NOT_YET, as_tensor, pair, refuse_complex
from ..ops._decl import op
from ..rules import rule
from ..tensor import Tensor
from ._common import FAMILY, NS, as_float, float_result
from .gamma import betaln, gammaln
from .normal import erfinv
from .param_grads import dgammainc_da, param_grad


def _no_shape_gradient(name: str, what: str) -> NotImplementedError:
    return NotImplementedError(
        f"{name}: no derivative with respect to {what} (only x is differentiable, as in PyTorch); "
        "pass it as a constant (a numpy array or a Tensor that does not require grad)"
    )


def _three(a: Any, b: Any, x: Any, name: str) -> tuple:
    a, x = pair(a, x, name)
    b, x = pair(b, x, name)
    try:
        np.broadcast_shapes(a.shape, b.shape, x.shape)
    except ValueError:
        raise ValueError(f"{name}: shapes {a.shape}, {b.shape} and {x.shape} do not broadcast") from None
    return a, b, x


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def gammainc(a: Any, x: Any) -> Tensor:
    """P(a, x) = (1/Gamma(a)) int_0^x t^(a-1) e^-t dt; derivative in x: x^(a-1) e^-x / Gamma(a); in a
    (as JAX) the series sum_k x^(a+k) e^-x / Gamma(a+k+1) (log x - digamma(a+k+1)), first order only."""
    a, x = pair(a, x, "gammainc")
    with np.errstate(all="ignore"):
        return Tensor._make(float_result(sc.gammainc(a._data, x._data), a, x), (a, x), "gammainc")


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def gammaincc(a: Any, x: Any) -> Tensor:
    """Q(a, x) = 1 - P(a, x), accurate where P is near 1; derivative in x: -x^(a-1) e^-x / Gamma(a);
    in a minus gammainc's (first order only)."""
    a, x = pair(a, x, "gammaincc")
    with np.errstate(all="ignore"):
        return Tensor._make(float_result(sc.gammaincc(a._data, x._data), a, x), (a, x), "gammaincc")


def _gamma_density(F, a, x, g):
    """x^(a-1) e^-x / Gamma(a) as exp((a-1) log x - x - gammaln(a)), 0 at x = 0 for a > 1."""
    return F.exp(F.xlogy(a - 1.0, x) - x - as_float(F.gammaln(a), g))


@rule("gammainc")
def _gammainc(F, g, out, xs, ctx, need):
    ga = param_grad(dgammainc_da(*xs), xs, g, "gammainc") if need[0] else None
    return ga, (g * _gamma_density(F, xs[0], xs[1], g) if need[1] else None)


@rule("gammaincc")
def _gammaincc(F, g, out, xs, ctx, need):
    ga = param_grad(-dgammainc_da(*xs), xs, g, "gammaincc") if need[0] else None
    return ga, (-g * _gamma_density(F, xs[0], xs[1], g) if need[1] else None)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def betainc(a: Any, b: Any, x: Any) -> Tensor:
    """I_x(a, b) = B(x; a, b) / B(a, b) on [0, 1]; derivative in x: x^(a-1) (1-x)^(b-1) / B(a, b)."""
    a, b, x = _three(a, b, x, "betainc")
    with np.errstate(all="ignore"):
        data = float_result(sc.betainc(a._data, b._data, x._data), a, b, x)
    return Tensor._make(data, (a, b, x), "betainc")


@rule("betainc")
def _betainc(F, g, out, xs, ctx, need):
    a, b, x = xs
    if need[0] or need[1]:
        raise _no_shape_gradient("betainc", "a or b")
    dens = F.exp(F.xlogy(a - 1.0, x) + F.xlog1py(b - 1.0, -x) - as_float(F.betaln(a, b), g))
    return None, None, g * dens


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def stdtr(df: Any, t: Any) -> Tensor:
    """Student's t CDF with ``df`` degrees of freedom at t; derivative in t: the t density."""
    df, t = pair(df, t, "stdtr")
    with np.errstate(all="ignore"):
        return Tensor._make(float_result(sc.stdtr(df._data, t._data), df, t), (df, t), "stdtr")


@rule("stdtr")
def _stdtr(F, g, out, xs, ctx, need):
    df, t = xs
    if need[0]:
        raise _no_shape_gradient("stdtr", "df")
    # density: Gamma((df+1)/2) / (sqrt(df pi) Gamma(df/2)) (1 + t^2/df)^(-(df+1)/2)
    log_norm = as_float(F.gammaln((df + 1.0) / 2.0) - F.gammaln(df / 2.0), g) - 0.5 * F.log(df * np.pi)
    return None, g * F.exp(log_norm - (df + 1.0) / 2.0 * F.log1p(t * t / df))


@op(family=FAMILY, namespace=NS, numpy=None, method=False, rules=("betaln",))
def beta(a: Any, b: Any) -> Tensor:
    """B(a, b) = Gamma(a) Gamma(b) / Gamma(a + b) for all real a, b (scipy's values, negative
    arguments included), as sign * exp(betaln(a, b)) with the constant sign
    gammasgn(a) gammasgn(b) gammasgn(a + b); derivative B(a, b) (digamma(a) - digamma(a + b)) in a."""
    a, b = pair(a, b, "beta")
    with np.errstate(all="ignore"):
        sign = sc.gammasgn(a._data) * sc.gammasgn(b._data) * sc.gammasgn(a._data + b._data)
        if np.all(sign == 1):
            return betaln(a, b).exp()
        return betaln(a, b).exp() * np.asarray(sign, dtype=np.result_type(a.dtype, b.dtype, np.float16))


@op(family=FAMILY, namespace=NS, numpy=None, method=False, rules=("gammaln",))
def rgamma(x: Any) -> Tensor:
    """1 / Gamma(x) as gammasgn(x) exp(-gammaln(x)); derivative -digamma(x) / Gamma(x). At the poles
    0, -1, -2, ... the value is 0 (scipy's) and this form gives no gradient there."""
    x = as_tensor(x)
    refuse_complex(x, "autobp.special.rgamma", NOT_YET)  # the cast below would drop the imaginary part
    if x.dtype.kind != "f":
        x = Tensor._const(x._data.astype(np.float64))
    with np.errstate(all="ignore"):
        val = gammasgn(x) * (-gammaln(x)).exp()
    pole = (x._data <= 0) & (x._data == np.floor(x._data))
    return where(pole, 0.0, val) if np.any(pole) else val


@op(family=FAMILY, namespace=NS, numpy=None, method=False, differentiable=False)
def gammasgn(x: Any) -> Tensor:
    """The sign of Gamma(x) (piecewise constant: no gradient)."""
    x = as_tensor(x)
    return Tensor._const(float_result(sc.gammasgn(x._data), x))


@op(family=FAMILY, namespace=NS, numpy=None, method=False, rules=("erfinv",))
def erfcinv(y: Any) -> Tensor:
    """The inverse of erfc on (0, 2): erfinv(1 - y)."""
    y = as_tensor(y)
    return erfinv(1.0 - y)
