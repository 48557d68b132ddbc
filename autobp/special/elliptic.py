"""Elliptic integrals (ellipk, ellipe, ellipkinc, ellipeinc), the Struve function, Lambert's W and
the Faddeeva function wofz under scipy.special's names and parameter conventions (m = k^2), with
derivatives in closed form. lambertw and wofz give complex results, as scipy's, and take complex
arguments; their gradients follow PyTorch's convention (g conj(f'); its real part for a real input)."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.special as sc

from ..ops._decl import op
from ..rules import rule
from ..tensor import Tensor
from ._common import FAMILY, NS, as_float
from ._scipy_op import cgrad, mask, no_grad_in, scipy_op

_PI_2 = np.pi / 2.0
# below these |m| the closed forms of the m-derivatives cancel; their Taylor series take over
_SMALL, _SMALL_INC = 1e-4, 1e-5


def _i2(F, phi):
    """int_0^phi sin^2 t dt."""
    return 0.5 * phi - 0.25 * F.sin(2.0 * phi)


def _i4(F, phi):
    """int_0^phi sin^4 t dt."""
    return 0.375 * phi - 0.25 * F.sin(2.0 * phi) + F.sin(4.0 * phi) / 32.0


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def ellipk(m: Any) -> Tensor:
    """The complete elliptic integral of the first kind K(m), m < 1; derivative
    (E(m) - (1 - m) K(m)) / (2 m (1 - m)) (its Taylor series near m = 0: pi/8 at 0)."""
    return scipy_op("ellipk", sc.ellipk, (m,))


@rule("ellipk")
def _ellipk(F, g, out, xs, ctx, need):
    m = xs[0]
    small = mask(m, lambda a: np.abs(a) < _SMALL)  # the formula cancels: K' = pi/8 (1 + 9m/8 + ...)
    s = F.where(small, 0.5, m)
    d = (as_float(F.ellipe(s), g) - (1.0 - s) * as_float(F.ellipk(s), g)) / (2.0 * s * (1.0 - s))
    return (g * F.where(small, _PI_2 * (0.25 + m * (9.0 / 32.0 + m * 75.0 / 256.0)), d),)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def ellipe(m: Any) -> Tensor:
    """The complete elliptic integral of the second kind E(m), m <= 1; derivative (E(m) - K(m)) / (2m),
    -pi/8 at m = 0 (a Taylor series near 0)."""
    return scipy_op("ellipe", sc.ellipe, (m,))


@rule("ellipe")
def _ellipe(F, g, out, xs, ctx, need):
    m = xs[0]
    small = mask(m, lambda a: np.abs(a) < _SMALL)  # E' = -pi/8 (1 + 3m/8 + ...)
    s = F.where(small, 0.5, m)
    d = (as_float(F.ellipe(s), g) - as_float(F.ellipk(s), g)) / (2.0 * s)
    return (g * F.where(small, -_PI_2 * (0.25 + m * (3.0 / 32.0 + m * 15.0 / 256.0)), d),)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def ellipkinc(phi: Any, m: Any) -> Tensor:
    """The incomplete elliptic integral of the first kind F(phi | m); derivatives
    1 / sqrt(1 - m sin^2 phi) in phi and E(phi|m) / (2m(1-m)) - F / (2m) - sin(2 phi) / (4 (1 - m)
    sqrt(1 - m sin^2 phi)) in m (phi/4 - sin(2 phi)/8 at m = 0)."""
    return scipy_op("ellipkinc", sc.ellipkinc, (phi, m))


@rule("ellipkinc")
def _ellipkinc(F, g, out, xs, ctx, need):
    phi, m = xs
    sn = F.sin(phi)
    root = F.sqrt(1.0 - m * sn * sn)
    gphi = g / root if need[0] else None
    gm = None
    if need[1]:
        small = mask(m, lambda a: np.abs(a) < _SMALL_INC)
        s = F.where(small, 0.5, m)
        r = F.sqrt(1.0 - s * sn * sn)
        e = as_float(F.ellipeinc(phi, s), g)
        f = as_float(F.ellipkinc(phi, s), g)
        d = e / (2.0 * s * (1.0 - s)) - f / (2.0 * s) - F.sin(2.0 * phi) / (4.0 * (1.0 - s) * r)
        gm = g * F.where(small, 0.5 * _i2(F, phi) + 0.75 * m * _i4(F, phi), d)
    return gphi, gm


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def ellipeinc(phi: Any, m: Any) -> Tensor:
    """The incomplete elliptic integral of the second kind E(phi | m); derivatives
    sqrt(1 - m sin^2 phi) in phi and (E(phi|m) - F(phi|m)) / (2m) in m (sin(2 phi)/8 - phi/4 at m = 0)."""
    return scipy_op("ellipeinc", sc.ellipeinc, (phi, m))


@rule("ellipeinc")
def _ellipeinc(F, g, out, xs, ctx, need):
    phi, m = xs
    sn = F.sin(phi)
    gphi = g * F.sqrt(1.0 - m * sn * sn) if need[0] else None
    gm = None
    if need[1]:
        small = mask(m, lambda a: np.abs(a) < _SMALL_INC)
        s = F.where(small, 0.5, m)
        d = (as_float(F.ellipeinc(phi, s), g) - as_float(F.ellipkinc(phi, s), g)) / (2.0 * s)
        gm = g * F.where(small, -0.5 * _i2(F, phi) - 0.25 * m * _i4(F, phi), d)
    return gphi, gm


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def struve(v: Any, x: Any) -> Tensor:
    """The Struve function H_v(x); derivative in x H_(v-1)(x) - v H_v(x) / x (from
    d/dx x^v H_v = x^v H_(v-1)), none in the order v."""
    return scipy_op("struve", sc.struve, (v, x))


@rule("struve")
def _struve(F, g, out, xs, ctx, need):
    v, x = xs
    if need[0]:
        raise no_grad_in("struve", "the order v")
    return None, g * (as_float(F.struve(v - 1.0, x), g) - v * out / x)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def lambertw(z: Any, k: int = 0, tol: float = 1e-8) -> Tensor:
    """Lambert's W on branch ``k`` (W e^W = z), complex as scipy's; derivative W / (z (1 + W)) =
    exp(-W) / (1 + W) (so 1 at z = 0 on the principal branch), infinite at the branch point -1/e."""
    if isinstance(k, Tensor) or not float(k).is_integer():
        raise ValueError(f"lambertw: the branch k must be an integer, got {k!r}")
    k = int(k)
    return scipy_op("lambertw", lambda a: sc.lambertw(a, k, tol), (z,), ctx=k, complex_out=True)


@rule("lambertw")
def _lambertw(F, g, out, xs, ctx, need):
    z = xs[0]  # W / (z (1 + W)) = exp(-W) / (1 + W), as W / z = exp(-W): no 0/0 at z = 0
    return (cgrad(F, g, F.exp(-out) / (1.0 + out), z),)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def wofz(z: Any) -> Tensor:
    """The Faddeeva function w(z) = exp(-z^2) erfc(-i z) (complex); derivative -2 z w(z) + 2i/sqrt(pi)."""
    return scipy_op("wofz", sc.wofz, (z,), complex_out=True)


@rule("wofz")
def _wofz(F, g, out, xs, ctx, need):
    z = xs[0]
    return (cgrad(F, g, -2.0 * z * out + 2j / np.sqrt(np.pi), z),)
