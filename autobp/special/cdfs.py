"""scipy.special's distribution functions: owens_t, chdtr, gdtr, pdtr, bdtr, nbdtr and kolmogorov,
with scipy's values and derivatives in their continuous arguments (a density, in closed form).
Counts (k, and the n of bdtr and nbdtr) are truncated by scipy: the derivative in them is 0; shape
parameters with no closed-form derivative (chdtr's v, gdtr's b) raise NotImplementedError when asked."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.special as sc

from ..ops._decl import op
from ..rules import rule
from ..tensor import Tensor
from ._common import FAMILY, NS, as_float
from ._scipy_op import no_grad_in, scipy_op

_INV_2PI = 1.0 / (2.0 * np.pi)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def owens_t(h: Any, a: Any) -> Tensor:
    """Owen's T function T(h, a) = (1/2pi) int_0^a exp(-h^2 (1 + x^2) / 2) / (1 + x^2) dx; derivatives
    -phi(h) erf(a h / sqrt 2) / 2 in h and exp(-h^2 (1 + a^2) / 2) / (2 pi (1 + a^2)) in a."""
    return scipy_op("owens_t", sc.owens_t, (h, a))


@rule("owens_t")
def _owens_t(F, g, out, xs, ctx, need):
    h, a = xs
    gh = ga = None
    if need[0]:
        phi = F.exp(-0.5 * h * h) / np.sqrt(2.0 * np.pi)
        gh = -0.5 * g * phi * as_float(F.erf(a * h / np.sqrt(2.0)), g)
    if need[1]:
        s = 1.0 + a * a
        ga = g * _INV_2PI * F.exp(-0.5 * h * h * s) / s
    return gh, ga


def _gamma_density(F, a, x, g):
    return F.exp(F.xlogy(a - 1.0, x) - x - as_float(F.gammaln(a), g))


def _beta_density(F, a, b, x, g):
    return F.exp(F.xlogy(a - 1.0, x) + F.xlog1py(b - 1.0, -x) - as_float(F.betaln(a, b), g))


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def chdtr(v: Any, x: Any) -> Tensor:
    """The chi-squared CDF with v degrees of freedom, gammainc(v/2, x/2); derivative in x the
    chi-squared density."""
    return scipy_op("chdtr", sc.chdtr, (v, x))


@rule("chdtr")
def _chdtr(F, g, out, xs, ctx, need):
    v, x = xs
    if need[0]:
        raise no_grad_in("chdtr", "v")
    return None, 0.5 * g * _gamma_density(F, 0.5 * v, 0.5 * x, g)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def gdtr(a: Any, b: Any, x: Any) -> Tensor:
    """The gamma CDF of rate a and shape b, gammainc(b, a x); derivatives a f and x f in x and a
    (f the gamma(b) density at a x), none in b."""
    return scipy_op("gdtr", sc.gdtr, (a, b, x))


@rule("gdtr")
def _gdtr(F, g, out, xs, ctx, need):
    a, b, x = xs
    if need[1]:
        raise no_grad_in("gdtr", "b")
    f = g * _gamma_density(F, b, a * x, g)
    return (f * x if need[0] else None), None, (f * a if need[2] else None)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def pdtr(k: Any, m: Any) -> Tensor:
    """The Poisson CDF P(K <= k) for mean m, gammaincc(floor(k) + 1, m); derivative in m
    -m^k e^-m / k! (0 in k)."""
    return scipy_op("pdtr", sc.pdtr, (k, m))


@rule("pdtr")
def _pdtr(F, g, out, xs, ctx, need):
    k, m = xs
    kk = np.floor(k._data if isinstance(k, Tensor) else k)
    gm = -g * _gamma_density(F, kk + 1.0, m, g)
    return (0.0 * g if need[0] else None), gm


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def bdtr(k: Any, n: Any, p: Any) -> Tensor:
    """The binomial CDF P(K <= k) for n trials of probability p, I_(1-p)(n - k, k + 1) (k floored);
    derivative in p -p^k (1 - p)^(n-k-1) / B(n - k, k + 1) (0 in k and n)."""
    return scipy_op("bdtr", sc.bdtr, (k, n, p))


@rule("bdtr")
def _bdtr(F, g, out, xs, ctx, need):
    k, n, p = xs
    kk = np.floor(k._data if isinstance(k, Tensor) else k)
    nn = np.floor(n._data if isinstance(n, Tensor) else n)  # scipy truncates n too
    gp = -g * _beta_density(F, nn - kk, kk + 1.0, 1.0 - p, g)
    gp = F.where(kk >= nn, 0.0, gp)  # P(K <= n) = 1
    return (0.0 * g if need[0] else None), (0.0 * g if need[1] else None), gp


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def nbdtr(k: Any, n: Any, p: Any) -> Tensor:
    """The negative binomial CDF (at most k failures before the n-th success of probability p),
    I_p(n, k + 1) (k and n truncated, as scipy); derivative in p p^(n-1) (1 - p)^k / B(n, k + 1) (0 in
    k and n)."""
    return scipy_op("nbdtr", sc.nbdtr, (k, n, p))


@rule("nbdtr")
def _nbdtr(F, g, out, xs, ctx, need):
    k, n, p = xs
    kk = np.floor(k._data if isinstance(k, Tensor) else k)
    nn = np.floor(n._data if isinstance(n, Tensor) else n)  # scipy truncates n too
    zero = (0.0 * g if need[0] else None), (0.0 * g if need[1] else None)
    return (*zero, g * _beta_density(F, nn, kk + 1.0, p, g))


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def kolmogorov(y: Any) -> Tensor:
    """The Kolmogorov distribution's survival function P(sqrt(n) D_n > y) as n -> inf; derivative
    minus its density (scipy.stats.kstwobign.pdf), summed as a series of autobp ops (the theta-function
    form below y = 1, the alternating one above), so it differentiates to any order."""
    return scipy_op("kolmogorov", sc.kolmogorov, (y,))


_TERMS = np.arange(1, 21, dtype=np.float64)
_THETA_A = ((2.0 * _TERMS - 1.0) * np.pi) ** 2 / 8.0


def _kolmogorov_pdf(F: Any, y: Any) -> Any:
    """The Kolmogorov density at y: 0 below 0.04 (it is below 1e-300 there)."""
    yd = y._data if isinstance(y, Tensor) else np.asarray(y)
    tiny, small = yd < 0.04, yd < 1.0
    shape = (1,) * yd.ndim + (-1,)
    ys = F.where(tiny | ~small, 0.5, y)[
        ..., None
    ]  # the theta form: sqrt(2 pi) sum e^(-a/y^2) (2a/y^4 - 1/y^2)
    a = _THETA_A.reshape(shape)
    inv2 = 1.0 / (ys * ys)
    theta = np.sqrt(2.0 * np.pi) * (F.exp(-a * inv2) * (2.0 * a * inv2 - 1.0) * inv2).sum(axis=-1)
    yl = F.where(small, 1.5, y)[..., None]  # the alternating form: 8 y sum (-1)^(k-1) k^2 e^(-2 k^2 y^2)
    k = _TERMS.reshape(shape)
    sign = np.where(k % 2 == 1, 1.0, -1.0)
    alt = 8.0 * yl[..., 0] * (sign * k * k * F.exp(-2.0 * k * k * yl * yl)).sum(axis=-1)
    return F.where(tiny, 0.0, F.where(small, theta, alt))


@rule("kolmogorov")
def _kolmogorov(F, g, out, xs, ctx, need):
    return (-g * as_float(_kolmogorov_pdf(F, xs[0]), g),)
