"""Elementwise math of one tensor: trigonometric, hyperbolic, exponential and logarithmic variants,
erf and its kin, sinc, angle units, logit, nan_to_num (rounding and sign are in rounding.py).
numpy's dtype rules hold on integer and boolean inputs (np.sin(int) is float64, np.square(int) int)."""

from __future__ import annotations

import math as _math
from typing import Any

import numpy as np
import scipy.special  # erf, erfc, erfinv: numpy has none (a runtime dependency for these)

from ..rules import holomorphic, rule
from ..tensor import Tensor
from ._args import as_tensor, refuse_complex
from ._args import unary_op as _unary
from ._decl import op

_M = "math"
_LN2, _LN10 = _math.log(2.0), _math.log(10.0)
_PI = _math.pi
_TWO_BY_SQRT_PI = 2.0 / _math.sqrt(_math.pi)  # d erf(x)/dx = 2/sqrt(pi) e^(-x^2)
_HALF_SQRT_PI = _math.sqrt(_math.pi) / 2.0  # d erfinv(y)/dy = sqrt(pi)/2 e^(erfinv(y)^2)


# --- trigonometric and hyperbolic -----------------------------------------------------------------
@op(family=_M)
def sin(x: Any) -> Tensor:
    """Sine, elementwise."""
    return _unary(x, np.sin, "sin")


@op(family=_M)
def cos(x: Any) -> Tensor:
    """Cosine, elementwise."""
    return _unary(x, np.cos, "cos")


@op(family=_M)
def tan(x: Any) -> Tensor:
    """Tangent, elementwise."""
    return _unary(x, np.tan, "tan")


@op(family=_M, torch=("asin",))
def arcsin(x: Any) -> Tensor:
    """Inverse sine, elementwise (domain [-1, 1]; the gradient is inf at the ends)."""
    return _unary(x, np.arcsin, "arcsin")


@op(family=_M, torch=("acos",))
def arccos(x: Any) -> Tensor:
    """Inverse cosine, elementwise (domain [-1, 1]; the gradient is -inf at the ends)."""
    return _unary(x, np.arccos, "arccos")


@op(family=_M, torch=("atan",))
def arctan(x: Any) -> Tensor:
    """Inverse tangent, elementwise."""
    return _unary(x, np.arctan, "arctan")


@op(family=_M)
def sinh(x: Any) -> Tensor:
    """Hyperbolic sine, elementwise."""
    return _unary(x, np.sinh, "sinh")


@op(family=_M)
def cosh(x: Any) -> Tensor:
    """Hyperbolic cosine, elementwise."""
    return _unary(x, np.cosh, "cosh")


@op(family=_M, torch=("asinh",))
def arcsinh(x: Any) -> Tensor:
    """Inverse hyperbolic sine, elementwise."""
    return _unary(x, np.arcsinh, "arcsinh")


@op(family=_M, torch=("acosh",))
def arccosh(x: Any) -> Tensor:
    """Inverse hyperbolic cosine, elementwise (domain [1, inf); the gradient is inf at 1)."""
    return _unary(x, np.arccosh, "arccosh")


@op(family=_M, torch=("atanh",))
def arctanh(x: Any) -> Tensor:
    """Inverse hyperbolic tangent, elementwise (domain (-1, 1))."""
    return _unary(x, np.arctanh, "arctanh")


# --- exponential and logarithmic --------------------------------------------------------------------
@op(family=_M)
def log1p(x: Any) -> Tensor:
    """log(1 + x), elementwise, accurate for small x."""
    return _unary(x, np.log1p, "log1p")


@op(family=_M)
def expm1(x: Any) -> Tensor:
    """e ** x - 1, elementwise, accurate for small x."""
    return _unary(x, np.expm1, "expm1")


@op(family=_M)
def log2(x: Any) -> Tensor:
    """Base-2 logarithm, elementwise."""
    return _unary(x, np.log2, "log2")


@op(family=_M)
def log10(x: Any) -> Tensor:
    """Base-10 logarithm, elementwise."""
    return _unary(x, np.log10, "log10")


@op(family=_M)
def exp2(x: Any) -> Tensor:
    """2 ** x, elementwise."""
    return _unary(x, np.exp2, "exp2")


@op(family=_M)
def square(x: Any) -> Tensor:
    """x * x, elementwise (integers stay integers, as in numpy)."""
    return _unary(x, np.square, "square")


@op(family=_M, differs="torch.reciprocal of integers is float 1/x; numpy's (and this one) stays integer")
def reciprocal(x: Any) -> Tensor:
    """1 / x, elementwise (numpy's integer reciprocal on integers)."""
    return _unary(x, np.reciprocal, "reciprocal")


@op(family=_M)
def cbrt(x: Any) -> Tensor:
    """Cube root, elementwise (real, so cbrt(-8) = -2; the gradient is inf at 0)."""
    return _unary(x, np.cbrt, "cbrt")  # numpy has no complex cbrt: a complex input is a TypeError


def _rsqrt(a: np.ndarray) -> np.ndarray:
    return np.reciprocal(np.sqrt(a))


@op(family=_M, numpy=None)
def rsqrt(x: Any) -> Tensor:
    """1 / sqrt(x), elementwise (PyTorch's name; numpy has none)."""
    return _unary(x, _rsqrt, "rsqrt")


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
def nan_to_num(
    x: Any, copy: bool = True, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None
) -> Tensor:
    """NaN -> ``nan``, +-inf -> ``posinf``/``neginf`` (default: the dtype's largest finite values).

    Always a new Tensor (``copy=False`` does not write in place); the gradient is 1 at finite
    entries and 0 at replaced ones, as PyTorch gives.
    """
    x = as_tensor(x)
    finite = np.isfinite(x._data)
    fn = lambda a: np.nan_to_num(a, copy=True, nan=nan, posinf=posinf, neginf=neginf)  # noqa: E731
    return _unary(x, fn, "nan_to_num", finite)


# --- rules: d/dx of each, written with ops so create_graph differentiates them again ------------------
@rule("sin")
@holomorphic
def _sin(F, g, out, xs, ctx, need):
    return (g * F.cos(xs[0]),)


@rule("cos")
@holomorphic
def _cos(F, g, out, xs, ctx, need):
    return (-(g * F.sin(xs[0])),)


@rule("tan")
@holomorphic
def _tan(F, g, out, xs, ctx, need):
    return (g * (1.0 + out * out),)  # sec^2 = 1 + tan^2


@rule("arcsin")
@holomorphic
def _arcsin(F, g, out, xs, ctx, need):
    x = xs[0]
    return (g / F.sqrt(1.0 - x * x),)


@rule("arccos")
@holomorphic
def _arccos(F, g, out, xs, ctx, need):
    x = xs[0]
    return (-g / F.sqrt(1.0 - x * x),)


@rule("arctan")
@holomorphic
def _arctan(F, g, out, xs, ctx, need):
    x = xs[0]
    return (g / (1.0 + x * x),)


@rule("sinh")
@holomorphic
def _sinh(F, g, out, xs, ctx, need):
    return (g * F.cosh(xs[0]),)


@rule("cosh")
@holomorphic
def _cosh(F, g, out, xs, ctx, need):
    return (g * F.sinh(xs[0]),)


@rule("arcsinh")
@holomorphic
def _arcsinh(F, g, out, xs, ctx, need):
    x = xs[0]
    return (g / F.sqrt(x * x + 1.0),)


@rule("arccosh")
@holomorphic
def _arccosh(F, g, out, xs, ctx, need):
    x = xs[0]
    return (g / F.sqrt(x * x - 1.0),)


@rule("arctanh")
@holomorphic
def _arctanh(F, g, out, xs, ctx, need):
    x = xs[0]
    return (g / (1.0 - x * x),)


@rule("log1p")
@holomorphic
def _log1p(F, g, out, xs, ctx, need):
    return (g / (xs[0] + 1.0),)


@rule("expm1")
@holomorphic
def _expm1(F, g, out, xs, ctx, need):
    return (g * (out + 1.0),)


@rule("log2")
@holomorphic
def _log2(F, g, out, xs, ctx, need):
    return (g / (xs[0] * _LN2),)


@rule("log10")
@holomorphic
def _log10(F, g, out, xs, ctx, need):
    return (g / (xs[0] * _LN10),)


@rule("exp2")
@holomorphic
def _exp2(F, g, out, xs, ctx, need):
    return (g * (out * _LN2),)


@rule("square")
@holomorphic
def _square(F, g, out, xs, ctx, need):
    return (g * (xs[0] + xs[0]),)


@rule("reciprocal")
@holomorphic
def _reciprocal(F, g, out, xs, ctx, need):
    return (-g * (out * out),)  # d(1/x) = -1/x^2 = -out^2


@rule("rsqrt")
@holomorphic
def _rsqrt_rule(F, g, out, xs, ctx, need):
    return (g * (-0.5 * out * out * out),)  # d x^(-1/2) = -x^(-3/2) / 2


@rule("cbrt")
def _cbrt(F, g, out, xs, ctx, need):
    return (g / (3.0 * (out * out)),)  # d x^(1/3) = x^(-2/3) / 3 = 1 / (3 cbrt(x)^2), on both sides of 0


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


@rule("sinc")
@holomorphic  # d sinc = (cos(pi x) - sinc(x)) / x, and 0 at x = 0 (PyTorch's value; the limit is 0)
def _sinc(F, g, out, xs, ctx, need):
    x = xs[0]
    zero = x == 0
    safe = F.where(zero, 1.0, x)  # no 0/0 computed, so none leaks into a second derivative
    return (F.where(zero, 0.0, g * ((F.cos(safe * _PI) - out) / safe)),)


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
