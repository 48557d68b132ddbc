"""Elementwise math of one tensor: trigonometric, hyperbolic, exponential and logarithmic variants
(erf and its kin, sinc, angle units, logit, nan_to_num are in math_special.py, imported at the end;
rounding and sign are in rounding.py).
numpy's dtype rules hold on integer and boolean inputs (np.sin(int) is float64, np.square(int) int)."""

from __future__ import annotations

import math as _math
from typing import Any

import numpy as np

from ..rules import holomorphic, rule
from ..tensor import Tensor
from ._args import unary_op as _unary
from ._decl import op

_M = "math"
_LN2, _LN10 = _math.log(2.0), _math.log(10.0)


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
def _log1p_array(a: Any) -> Any:
    """np.log1p, made accurate for small complex values (numpy's loses the real part of 1e-19 + 1e-18j):
    Re log(1 + z) = log1p(x (2 + x) + y^2) / 2 where |1 + z| is near 1, else log|1 + z|;
    Im log(1 + z) = atan2(y, 1 + x)."""
    a = np.asarray(a)
    if a.dtype.kind != "c":
        return np.log1p(a)
    x, y = a.real, a.imag
    with np.errstate(all="ignore"):
        r = np.hypot(1 + x, y)
        near = (r > 0.5) & (r < 2.0)
        re = np.where(near, 0.5 * np.log1p(np.where(near, x * (2 + x) + y * y, 0)), np.log(r))
        out = np.empty_like(a)
        out.real, out.imag = re, np.arctan2(y, 1 + x)
    return out


@op(family=_M)
def log1p(x: Any) -> Tensor:
    """log(1 + x), elementwise, accurate for small x (real or complex)."""
    return _unary(x, _log1p_array, "log1p")


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
def _arcsin(F, g, out, xs, ctx, need):
    x = xs[0]
    if x.dtype.kind == "c":
        return (g / F.conj(_sqrt_one_minus_square(F, x)),)
    return (g / F.sqrt(1.0 - x * x),)


def _sqrt_one_minus_square(F, z):
    """sqrt(1 - z^2) for complex z as sqrt(1 - z) sqrt(1 + z), on the side of arcsin's and arccos's
    branch cuts that the sign of z's imaginary part (a signed zero too) picks, as their values do:
    1 - z is -(z - 1) and 1 + z is z - (-1) (1 - z or z + 1 would turn an imaginary -0 into +0). Not
    at conjugated inputs (``holomorphic``): conj(z) is on the other side of the cut."""
    return F.sqrt(-(z - 1.0)) * F.sqrt(z - (-1.0))


@rule("arccos")
def _arccos(F, g, out, xs, ctx, need):
    x = xs[0]
    if x.dtype.kind == "c":
        return (-g / F.conj(_sqrt_one_minus_square(F, x)),)
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
    # 1 / (sqrt(x - 1) sqrt(x + 1)), not 1 / sqrt(x^2 - 1): the same for real x >= 1 (and no x^2 - 1
    # cancellation near 1), but for complex x with Re x < 0 the latter has the wrong sign (branch cut)
    # For real x the square root of the product (x - 1)(x + 1), as torch: for x < -1 (a NaN value) the
    # gradient is torch's finite 1 / sqrt(x^2 - 1), where a product of two roots would be NaN.
    x = xs[0]
    if x.dtype.kind != "c":
        return (g / F.sqrt((x - 1.0) * (x + 1.0)),)
    return (g / (F.sqrt(x - 1.0) * F.sqrt(x + 1.0)),)


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


# erf and its kin, sinc, angle units, logit, nan_to_num: declared (after the ops above, as before) and
# kept importable from here
from .math_special import (  # noqa: E402, F401
    deg2rad,
    degrees,
    erf,
    erfc,
    erfinv,
    logit,
    nan_to_num,
    rad2deg,
    radians,
    sinc,
)
