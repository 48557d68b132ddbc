"""Elementwise special functions of one tensor: erf, erfc, erfinv and sinc, angle units (deg2rad,
rad2deg and numpy's radians/degrees), PyTorch's logit and numpy's nan_to_num, each with its rule.

Split from math.py (which imports this module at its end, so both register in one place and these
names stay importable from there); the declarations keep ``family="math"``, so the op tables do not
change."""

from __future__ import annotations

import math as _math
from typing import Any

import numpy as np
import scipy.special  # erf, erfc, erfinv: numpy has none (a runtime dependency for these)

from .._torch_out import takes_out
from ..rules import holomorphic, rule
from ..tensor import Tensor
from ._args import as_tensor, refuse_complex
from ._args import unary_op as _unary
from ._decl import op

_M = "math"  # the family these are listed under (docs tables), as when they lived in math.py
_PI = _math.pi
_TWO_BY_SQRT_PI = 2.0 / _math.sqrt(_math.pi)  # d erf(x)/dx = 2/sqrt(pi) e^(-x^2)
_HALF_SQRT_PI = _math.sqrt(_math.pi) / 2.0  # d erfinv(y)/dy = sqrt(pi)/2 e^(erfinv(y)^2)


# --- special functions --------------------------------------------------------------------------
@op(family=_M)
def erf(x: Any) -> Tensor:
    """The error function 2/sqrt(pi) * integral_0^x e^(-t^2) dt, elementwise (scipy.special.erf)."""
    return _unary(x, scipy.special.erf, "erf")


@op(family=_M)
def erfc(x: Any) -> Tensor:
    """1 - erf(x), elementwise, accurate where erf(x) is near 1."""
    return _unary(x, scipy.special.erfc, "erfc")


@op(family=_M)
def erfinv(x: Any) -> Tensor:
    """Inverse of erf on (-1, 1), elementwise; +-inf at +-1 (gradient inf there, as in PyTorch)."""
    return _unary(x, scipy.special.erfinv, "erfinv")


@op(family=_M)
def sinc(x: Any) -> Tensor:
    """sin(pi x) / (pi x), elementwise, 1 at 0 (numpy's normalised sinc); the gradient at 0 is 0."""
    return _unary(x, np.sinc, "sinc")


@op(family=_M)
def deg2rad(x: Any) -> Tensor:
    """Degrees to radians, elementwise."""
    return _unary(x, np.deg2rad, "deg2rad")


@op(family=_M, rules=("deg2rad",), method=False)
def radians(x: Any) -> Tensor:
    """Degrees to radians (numpy's other name of deg2rad)."""
    return _unary(x, np.radians, "deg2rad")


@op(family=_M)
def rad2deg(x: Any) -> Tensor:
    """Radians to degrees, elementwise."""
    return _unary(x, np.rad2deg, "rad2deg")


@op(family=_M, rules=("rad2deg",), method=False)
def degrees(x: Any) -> Tensor:
    """Radians to degrees (numpy's other name of rad2deg)."""
    return _unary(x, np.degrees, "rad2deg")


@op(family=_M, numpy=None)
def logit(x: Any, eps: float | None = None) -> Tensor:
    """log(x / (1 - x)), PyTorch's logit; with ``eps``, x is first clamped to [eps, 1 - eps].

    Gradients as PyTorch: 1 / (x (1 - x)) (inf at 0 and 1); outside [0, 1] NaN without eps; with eps,
    0 outside [eps, 1 - eps] (the clamp's ends themselves pass the gradient).
    """
    x = as_tensor(x)
    refuse_complex(x, "logit")
    a = x._data if x.dtype.kind == "f" else x._data.astype(np.float64)
    lo, hi = (0.0, 1.0) if eps is None else (float(eps), 1.0 - float(eps))
    inside = ~((a < lo) | (a > hi))  # NaN counts as inside: its gradient stays NaN
    if eps is not None:
        a = np.clip(a, lo, hi)
    ctx = (inside, np.nan if eps is None else 0.0)
    return Tensor._make(np.log(a / (1.0 - a)), (x,), "logit", ctx)


@op(family=_M)
@takes_out("nan_to_num", "exact")
def nan_to_num(
    x: Any, copy: bool = True, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None
) -> Tensor:
    """NaN -> ``nan``, +-inf -> ``posinf``/``neginf`` (default: the dtype's largest finite values).

    ``copy=False`` writes into ``x`` and returns it, as numpy's does for an array (a Tensor: its
    ``nan_to_num_``, recorded); PyTorch's ``out=`` (of the input's dtype) takes the result. The
    gradient is 1 at finite entries and 0 at replaced ones, as PyTorch.
    """
    if not copy and isinstance(x, Tensor):
        return x.nan_to_num_(nan=nan, posinf=posinf, neginf=neginf)
    x = as_tensor(x)
    finite = np.isfinite(x._data)
    fn = lambda a: np.nan_to_num(a, copy=True, nan=nan, posinf=posinf, neginf=neginf)  # noqa: E731
    return _unary(x, fn, "nan_to_num", finite)


# --- rules: d/dx of each, written with ops so create_graph differentiates them again ------------------
@rule("erf")
@holomorphic
def _erf(F, g, out, xs, ctx, need):
    x = xs[0]
    return (g * (_TWO_BY_SQRT_PI * F.exp(-(x * x))),)


@rule("erfc")
@holomorphic
def _erfc(F, g, out, xs, ctx, need):
    x = xs[0]
    return (g * (-_TWO_BY_SQRT_PI * F.exp(-(x * x))),)


@rule("erfinv")
def _erfinv(F, g, out, xs, ctx, need):
    return (g * (_HALF_SQRT_PI * F.exp(out * out)),)


# sinc'(x) = sum_n c_n x^(2n-1), the Maclaurin series, used for |x| < 0.1 (|pi x| < 0.32: 11 terms are
# exact to rounding), where (cos(pi x) - sinc(x)) / x cancels (a third of the value lost at x = 1e-8)
_SINC_D = [(-1) ** n * np.pi ** (2 * n) * 2 * n / _math.factorial(2 * n + 1) for n in range(1, 12)]


@rule("sinc")
@holomorphic  # d sinc = (cos(pi x) - sinc(x)) / x; near 0 its series, so every order is exact at 0 too
def _sinc(F, g, out, xs, ctx, need):
    x = xs[0]
    small = F.abs(x) < 0.1
    safe = F.where(small, 1.0, x)  # no 0/0 computed, so none leaks into a higher derivative
    x2 = x * x
    series = _SINC_D[-1]
    for c in reversed(_SINC_D[:-1]):
        series = series * x2 + c
    return (g * F.where(small, x * series, (F.cos(safe * _PI) - out) / safe),)


@rule("deg2rad")
def _deg2rad(F, g, out, xs, ctx, need):
    return (g * (_PI / 180.0),)


@rule("rad2deg")
def _rad2deg(F, g, out, xs, ctx, need):
    return (g * (180.0 / _PI),)


@rule("logit")  # ctx = (mask where 1/(x(1-x)) applies, the value elsewhere: NaN, or 0 with eps)
def _logit(F, g, out, xs, ctx, need):
    inside, fill = ctx
    x = F.where(inside, xs[0], 0.5)  # outside, a harmless 0.5: no inf computed to leak into d2
    return (F.where(inside, g / (x * (1.0 - x)), fill),)


@rule("nan_to_num")  # ctx = mask of the finite entries, the ones passed through
def _nan_to_num(F, g, out, xs, ctx, need):
    return (F.where(ctx, g, 0.0),)
