"""Modified Bessel functions of the second kind (k0, k1 and the scaled k0e, k1e), the spherical
Bessel function spherical_jn and the Airy function Ai, under scipy.special's names, with their
derivatives in x (PyTorch's torch.special versions of these have no gradient at all)."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.special as sc

from ..ops._args import as_tensor
from ..ops._decl import op
from ..rules import rule
from ..tensor import Tensor
from ._common import FAMILY, NS, as_float, float_result


def _unary(name: str, fn: Any, x: Any, ctx: Any = None) -> Tensor:
    x = as_tensor(x)
    with np.errstate(all="ignore"):
        return Tensor._make(float_result(fn(x._data), x), (x,), name, ctx)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def k0(x: Any) -> Tensor:
    """K_0(x), the modified Bessel function of the second kind of order 0 (x > 0); derivative -K_1."""
    return _unary("k0", sc.k0, x)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def k1(x: Any) -> Tensor:
    """K_1(x) (x > 0); derivative -K_0(x) - K_1(x) / x."""
    return _unary("k1", sc.k1, x)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def k0e(x: Any) -> Tensor:
    """exp(x) K_0(x) (x > 0); derivative k0e(x) - k1e(x)."""
    return _unary("k0e", sc.k0e, x)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def k1e(x: Any) -> Tensor:
    """exp(x) K_1(x) (x > 0); derivative k1e(x) (1 - 1/x) - k0e(x)."""
    return _unary("k1e", sc.k1e, x)


@rule("k0")
def _k0(F, g, out, xs, ctx, need):
    return (-g * as_float(F.k1(xs[0]), g),)


@rule("k1")  # K_1' = -K_0 - K_1 / x (the recurrence K_v' = -K_{v-1} - v K_v / x)
def _k1(F, g, out, xs, ctx, need):
    x = xs[0]
    return (-g * (as_float(F.k0(x), g) + out / x),)


@rule("k0e")  # d/dx e^x K_0 = e^x K_0 - e^x K_1
def _k0e(F, g, out, xs, ctx, need):
    return (g * (out - as_float(F.k1e(xs[0]), g)),)


@rule("k1e")  # d/dx e^x K_1 = e^x K_1 - e^x (K_0 + K_1 / x)
def _k1e(F, g, out, xs, ctx, need):
    x = xs[0]
    return (g * (out - as_float(F.k0e(x), g) - out / x),)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def spherical_jn(n: int, z: Any) -> Tensor:
    """j_n(z), the spherical Bessel function of the first kind of integer order n >= 0, in z.

    Derivative (n j_{n-1}(z) - (n + 1) j_{n+1}(z)) / (2n + 1), finite at z = 0 (-j_1 for n = 0).
    Only scipy's default ``derivative=False`` form; differentiate the result for the derivative.
    """
    if isinstance(n, Tensor) or not float(n).is_integer() or int(n) < 0:
        raise ValueError(f"spherical_jn: the order n must be a Python integer >= 0, got {n!r}")
    n = int(n)
    return _unary("spherical_jn", lambda a: _spherical(n, a), z, n)


def _spherical(n: int, z: Any) -> np.ndarray:
    # scipy gives nan at subnormal z for n > 0, where j_n(z) ~ z^n / (2n+1)!! underflows to 0
    v = np.asarray(sc.spherical_jn(n, z))
    return np.where(np.isnan(v) & (np.abs(z) < 1e-300), 0.0, v) if n > 0 else v


@rule("spherical_jn")
def _spherical_jn(F, g, out, xs, ctx, need):
    n, z = ctx, xs[0]
    d = -(n + 1) * _sph(F, n + 1, z, g)
    if n > 0:
        d = d + n * _sph(F, n - 1, z, g)
    return (g * d / (2 * n + 1),)


def _sph(F, n: int, z: Any, like: Any) -> Any:
    if isinstance(z, Tensor):
        return spherical_jn(n, z)
    return as_float(_spherical(n, z), like)


@op(family=FAMILY, namespace=NS, numpy=None, method=False, rules=("airy_ai", "airy_ai_prime"))
def airy_ai(x: Any) -> Tensor:
    """Ai(x), the Airy function of the first kind (scipy.special.airy's first output); derivative
    Ai'(x), whose own derivative is x Ai(x) (Airy's equation). torch.special.airy_ai has no gradient."""
    return _unary("airy_ai", lambda a: sc.airy(a)[0], x)


def _airy_prime(x: Any, like: Any) -> Any:
    """Ai'(x): a recorded node on a Tensor (create_graph), scipy's numbers on an array."""
    if isinstance(x, Tensor):
        with np.errstate(all="ignore"):
            return Tensor._make(float_result(sc.airy(x._data)[1], x), (x,), "airy_ai_prime")
    with np.errstate(all="ignore"):
        return as_float(sc.airy(x)[1], like)


@rule("airy_ai")
def _airy_ai(F, g, out, xs, ctx, need):
    return (g * _airy_prime(xs[0], g),)


@rule("airy_ai_prime")  # Ai'' = x Ai
def _airy_ai_prime(F, g, out, xs, ctx, need):
    x = xs[0]
    return (g * x * airy_ai(x) if isinstance(x, Tensor) else g * x * as_float(sc.airy(x)[0], g),)
