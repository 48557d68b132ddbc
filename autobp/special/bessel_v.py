"""Bessel functions of real order v not covered elsewhere: kv, kve (modified, second kind) and the
exponentially scaled jve, yve, differentiable in x by the order recurrences (none in the order, as
JAX); and the spherical harmonics sph_harm_y (scipy's current name and argument order) and JAX's
sph_harm (the older order), differentiable in the angles, not in the integer degree and order."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.special as sc

from ..ops._decl import op
from ..rules import rule
from ..tensor import Tensor
from ._common import FAMILY, NS, as_float, data_of
from ._scipy_op import args, cgrad, complex_result, no_grad_in, scipy_op


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def kv(v: Any, x: Any) -> Tensor:
    """K_v(x), the modified Bessel function of the second kind of real order v (x > 0); derivative in
    x -(K_(v-1)(x) + K_(v+1)(x)) / 2."""
    return scipy_op("kv", sc.kv, (v, x))


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def kve(v: Any, x: Any) -> Tensor:
    """exp(x) K_v(x); derivative in x kve(v, x) - (kve(v-1, x) + kve(v+1, x)) / 2."""
    return scipy_op("kve", sc.kve, (v, x))


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def jve(v: Any, x: Any) -> Tensor:
    """J_v(x) exp(-|Im x|), which is J_v(x) on real x; derivative in x (jve(v-1, x) - jve(v+1, x)) / 2."""
    return scipy_op("jve", sc.jve, (v, x))


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def yve(v: Any, x: Any) -> Tensor:
    """Y_v(x) exp(-|Im x|), Y_v(x) on real x > 0; derivative in x (yve(v-1, x) - yve(v+1, x)) / 2."""
    return scipy_op("yve", sc.yve, (v, x))


def _neighbours(F, name, v, x, g):
    fn = getattr(F, name)
    return as_float(fn(v - 1.0, x), g), as_float(fn(v + 1.0, x), g)


@rule("kv")
def _kv(F, g, out, xs, ctx, need):
    if need[0]:
        raise no_grad_in("kv", "the order v")
    lo, hi = _neighbours(F, "kv", *xs, g)
    return None, -0.5 * g * (lo + hi)


@rule("kve")
def _kve(F, g, out, xs, ctx, need):
    if need[0]:
        raise no_grad_in("kve", "the order v")
    lo, hi = _neighbours(F, "kve", *xs, g)
    return None, g * (out - 0.5 * (lo + hi))


@rule("jve")
def _jve(F, g, out, xs, ctx, need):
    if need[0]:
        raise no_grad_in("jve", "the order v")
    lo, hi = _neighbours(F, "jve", *xs, g)
    return None, 0.5 * g * (lo - hi)


@rule("yve")
def _yve(F, g, out, xs, ctx, need):
    if need[0]:
        raise no_grad_in("yve", "the order v")
    lo, hi = _neighbours(F, "yve", *xs, g)
    return None, 0.5 * g * (lo - hi)


def _degree_order(n: Any, m: Any, name: str) -> tuple:
    nd, md = np.asarray(data_of(n)), np.asarray(data_of(m))
    if (isinstance(n, Tensor) and n.requires_grad) or (isinstance(m, Tensor) and m.requires_grad):
        raise ValueError(f"{name}: the degree n and order m are integers, not differentiable")
    if not (np.all(nd == np.floor(nd)) and np.all(md == np.floor(md))):
        raise ValueError(f"{name}: the degree n and order m must be integers, got {nd!r} and {md!r}")
    return nd.astype(np.int64), md.astype(np.int64)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def sph_harm_y(n: Any, m: Any, theta: Any, phi: Any, *, n_max: int | None = None) -> Tensor:
    """The spherical harmonic Y_n^m(theta, phi) of degree n and order m (integers) at polar angle theta
    and azimuth phi (scipy's current argument order), complex; differentiable in theta and phi to any
    order: d/dphi = i m Y_n^m, d/dtheta by the ladder relation through Y_n^(m+1) and Y_n^(m-1).
    ``n_max`` (JAX's bound on the degree) clips n to it, as JAX does."""
    nd, md = _degree_order(n, m, "sph_harm_y")
    if n_max is not None:
        nd = np.minimum(nd, int(n_max))
    theta, phi = args((theta, phi), "sph_harm_y")
    with np.errstate(all="ignore"):
        data = complex_result(sc.sph_harm_y(nd, md, theta._data, phi._data), theta, phi)
    return Tensor._make(data, (theta, phi), "sph_harm_y", (nd, md))


def _y(nd: Any, md: Any, theta: Any, phi: Any, like: Any) -> Any:
    if isinstance(theta, Tensor):
        return sph_harm_y(nd, md, theta, phi)
    with np.errstate(all="ignore"):
        return np.asarray(sc.sph_harm_y(nd, md, theta, phi)).astype(np.result_type(like, np.complex64))


@rule("sph_harm_y")
def _sph_harm_y(F, g, out, xs, ctx, need):
    theta, phi = xs
    nd, md = ctx
    gt = gp = None
    if need[0]:  # dY/dtheta = (c+ e^(-i phi) Y^(m+1) - c- e^(i phi) Y^(m-1)) / 2
        up = np.sqrt(np.maximum((nd - md) * (nd + md + 1), 0)).astype(np.float64)
        down = np.sqrt(np.maximum((nd + md) * (nd - md + 1), 0)).astype(np.float64)
        turn = F.exp(1j * phi)
        hi = _y(nd, md + 1, theta, phi, out) / turn
        lo = _y(nd, md - 1, theta, phi, out) * turn
        gt = cgrad(F, g, 0.5 * (up * hi - down * lo), theta)
    if need[1]:
        gp = cgrad(F, g, 1j * md * out, phi)
    return gt, gp


@op(family=FAMILY, namespace=NS, numpy=None, method=False, rules=("sph_harm_y",))
def sph_harm(m: Any, n: Any, theta: Any, phi: Any, n_max: int | None = None) -> Tensor:
    """JAX's (and older scipy's) spherical harmonic: order m, degree n, azimuth theta, polar angle phi;
    sph_harm_y(n, m, phi, theta); ``n_max`` as sph_harm_y's."""
    return sph_harm_y(n, m, phi, theta, n_max=n_max)


@op(family=FAMILY, namespace=NS, numpy=None, method=False, rules=("jv",))
def bessel_jn(z: Any, *, v: int, n_iter: int = 50) -> Tensor:
    """JAX's J_0(z) .. J_v(z) stacked along a new first axis (shape (v + 1, *z.shape)), differentiable
    in z; computed with scipy's jv, so ``n_iter`` (JAX's recurrence length) only is accepted."""
    from ..ops import stack
    from .bessel_jy import jv

    if isinstance(v, Tensor) or not float(v).is_integer() or int(v) < 0:
        raise ValueError(f"bessel_jn: v must be an integer >= 0, got {v!r}")
    (z,) = args((z,), "bessel_jn")
    return stack([jv(k, z) for k in range(int(v) + 1)])
