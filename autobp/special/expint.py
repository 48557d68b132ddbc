"""Exponential and trigonometric integrals and their relatives under scipy.special's names: exp1,
expi, expn, sici, shichi, fresnel, dawsn, spence; values from scipy, derivatives in x in closed form
(written with autobp's ops, so they differentiate again). Real arguments only."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.special as sc

from ..ops._decl import op
from ..rules import rule
from ..tensor import Tensor
from ._common import FAMILY, NS, as_float
from ._scipy_op import args, mask, no_grad_in, scipy_op


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def exp1(x: Any) -> Tensor:
    """E1(x) = int_x^inf e^-t / t dt (x > 0; +inf at 0); derivative -e^-x / x."""
    return scipy_op("exp1", sc.exp1, (x,))


@rule("exp1")
def _exp1(F, g, out, xs, ctx, need):
    x = xs[0]
    return (-g * F.exp(-x) / x,)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def expi(x: Any) -> Tensor:
    """Ei(x) = -PV int_-x^inf e^-t / t dt (-inf at 0); derivative e^x / x."""
    return scipy_op("expi", sc.expi, (x,))


@rule("expi")
def _expi(F, g, out, xs, ctx, need):
    x = xs[0]
    return (g * F.exp(x) / x,)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def expn(n: Any, x: Any) -> Tensor:
    """E_n(x) = int_1^inf e^(-x t) / t^n dt for integer n >= 0 (not differentiable); derivative in x
    -E_(n-1)(x), and -E_0(x) (1 + 1/x) = -e^-x (1 + 1/x) / x for n = 0."""
    return scipy_op("expn", sc.expn, (n, x))


@rule("expn")
def _expn(F, g, out, xs, ctx, need):
    n, x = xs
    if need[0]:
        raise no_grad_in("expn", "the integer order n")
    nd = np.asarray(n._data if isinstance(n, Tensor) else n)
    lower = as_float(F.expn(F.maximum(n - 1, 0), x), g)
    zero = -out * (1.0 + 1.0 / x)
    return None, g * F.where(nd == 0, zero, -lower)


def _sin_over(F, x, fn):
    """fn(x) / x with its limit 1 at x = 0 (fn = sin or sinh)."""
    at0 = mask(x, lambda a: a == 0)
    safe = F.where(at0, 1.0, x)
    return F.where(at0, 1.0, fn(safe) / safe)


@op(family=FAMILY, namespace=NS, numpy=None, method=False, rules=("sici_si", "sici_ci"))
def sici(x: Any) -> tuple:
    """(Si(x), Ci(x)): the sine and cosine integrals; derivatives sin(x)/x (1 at 0) and cos(x)/x."""
    (x,) = args((x,), "sici")
    si = scipy_op("sici_si", lambda a: sc.sici(a)[0], (x,))
    return si, scipy_op("sici_ci", lambda a: sc.sici(a)[1], (x,))


@rule("sici_si")
def _si(F, g, out, xs, ctx, need):
    return (g * _sin_over(F, xs[0], F.sin),)


@rule("sici_ci")
def _ci(F, g, out, xs, ctx, need):
    x = xs[0]
    return (g * F.cos(x) / x,)


@op(family=FAMILY, namespace=NS, numpy=None, method=False, rules=("shichi_shi", "shichi_chi"))
def shichi(x: Any) -> tuple:
    """(Shi(x), Chi(x)): the hyperbolic sine and cosine integrals; derivatives sinh(x)/x (1 at 0) and
    cosh(x)/x."""
    (x,) = args((x,), "shichi")
    shi = scipy_op("shichi_shi", lambda a: sc.shichi(a)[0], (x,))
    return shi, scipy_op("shichi_chi", lambda a: sc.shichi(a)[1], (x,))


@rule("shichi_shi")
def _shi(F, g, out, xs, ctx, need):
    return (g * _sin_over(F, xs[0], F.sinh),)


@rule("shichi_chi")
def _chi(F, g, out, xs, ctx, need):
    x = xs[0]
    return (g * F.cosh(x) / x,)


@op(family=FAMILY, namespace=NS, numpy=None, method=False, rules=("fresnel_s", "fresnel_c"))
def fresnel(z: Any) -> tuple:
    """(S(z), C(z)): the Fresnel integrals int_0^z sin(pi t^2 / 2) dt and the cosine one, in scipy's
    order; derivatives sin(pi z^2 / 2) and cos(pi z^2 / 2)."""
    (z,) = args((z,), "fresnel")
    s = scipy_op("fresnel_s", lambda a: sc.fresnel(a)[0], (z,))
    return s, scipy_op("fresnel_c", lambda a: sc.fresnel(a)[1], (z,))


@rule("fresnel_s")
def _fresnel_s(F, g, out, xs, ctx, need):
    z = xs[0]
    return (g * F.sin((np.pi / 2) * z * z),)


@rule("fresnel_c")
def _fresnel_c(F, g, out, xs, ctx, need):
    z = xs[0]
    return (g * F.cos((np.pi / 2) * z * z),)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def dawsn(x: Any) -> Tensor:
    """Dawson's integral e^(-x^2) int_0^x e^(t^2) dt; derivative 1 - 2 x dawsn(x)."""
    return scipy_op("dawsn", sc.dawsn, (x,))


@rule("dawsn")
def _dawsn(F, g, out, xs, ctx, need):
    return (g * (1.0 - 2.0 * xs[0] * out),)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def spence(z: Any) -> Tensor:
    """scipy's dilogarithm spence(z) = int_1^z log(t) / (1 - t) dt for z >= 0 (spence(1 - z) = Li2(z));
    derivative log(z) / (1 - z) (a Taylor series near z = 1, -1 there), +inf at z = 0."""
    return scipy_op("spence", sc.spence, (z,))


@rule("spence")
def _spence(F, g, out, xs, ctx, need):
    z = xs[0]
    near1 = mask(z, lambda a: np.abs(a - 1.0) < 1e-3)  # log(1 + u) / -u = -(1 - u/2 + u^2/3 - u^3/4 ...)
    safe = F.where(near1, 2.0, z)
    u = z - 1.0
    series = -(1.0 - u * (0.5 - u * (1.0 / 3.0 - u * 0.25)))
    return (g * F.where(near1, series, F.log(safe) / (1.0 - safe)),)
