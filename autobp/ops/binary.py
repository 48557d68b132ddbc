"""Elementwise functions of two tensors beyond + - * /: arctan2, hypot, logaddexp, copysign, fmod,
remainder (the ``%`` operator), floor_divide (``//``, no gradient), lerp, xlogy, float_power, fmax/fmin,
and ``divide_rounded`` (PyTorch's ``divide(rounding_mode=...)``). Gradients and special points follow
PyTorch's."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._broadcast import ShapeError
from ..rules import holomorphic, rule
from ..tensor import Tensor, _lift
from ._args import NOT_YET, broadcast_error, pair, refuse_complex, zeros_for
from ._decl import op

_B = "binary"


def _raw(given: Any, lifted: Tensor) -> Any:
    """The operand numpy computes with: a Python number as given, so numpy's weak promotion keeps an
    integer tensor's dtype (int32 // 2 is int32), else the (lifted) Tensor's array."""
    return given if type(given) in (int, float, bool) else lifted._data


def _apply(a: Any, b: Any, fn: Any, name: str) -> tuple[Tensor, Tensor, np.ndarray]:
    """The operands as Tensors (the graph's parents) and fn of them (numpy broadcasting and dtypes)."""
    ta, tb = pair(a, b, name)
    try:
        return ta, tb, fn(_raw(a, ta), _raw(b, tb))
    except ValueError:
        raise broadcast_error(name, ta, tb) from None
    except TypeError:
        raise TypeError(f"{name}: not defined for dtypes {ta.dtype} and {tb.dtype}") from None


_COMPLEX_RULES = ("logaddexp",)  # rules right for complex operands (holomorphic below)


def _binary(a: Any, b: Any, fn: Any, name: str, ctx: Any = None, rule_name: str | None = None) -> Tensor:
    """fn(a, b) recorded under ``rule_name`` (default ``name``); ``ctx(a, b)`` of the arrays, if given."""
    ta, tb, data = _apply(a, b, fn, name)
    if data.dtype.kind == "c" and name not in _COMPLEX_RULES:  # orders, remainders: no complex rule
        refuse_complex(
            ta if ta.dtype.kind == "c" else tb, name, *(() if name in ("fmax", "fmin") else (NOT_YET,))
        )
    return Tensor._make(data, (ta, tb), rule_name or name, ctx(ta._data, tb._data) if ctx else None)


@op(family=_B, torch=("atan2",))
def arctan2(x1: Any, x2: Any) -> Tensor:
    """The angle of the point (x2, x1) (numpy's argument order: y first); the gradient at (0, 0) is 0."""
    return _binary(x1, x2, np.arctan2, "arctan2")


@op(family=_B)
def hypot(x1: Any, x2: Any) -> Tensor:
    """sqrt(x1^2 + x2^2) without overflow; the gradient at (0, 0) is NaN, as PyTorch's."""
    return _binary(x1, x2, np.hypot, "hypot")


def _logaddexp_data(a: Any, b: Any) -> np.ndarray:
    """numpy's logaddexp; for complex operands (numpy has none, PyTorch has) PyTorch's formula."""
    if np.asarray(a).dtype.kind != "c" and np.asarray(b).dtype.kind != "c":
        return np.logaddexp(a, b)  # a Python number stays weak: float16 with 1.5 is float16, as numpy's
    return complex_log_add_exp(np.asarray(a), np.asarray(b))


def complex_log_add_exp(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """log(e^x + e^y) for complex numbers as PyTorch computes it: max + log1p(e^(min - max)), min and
    max by real part (ties: y is the min), so the imaginary part follows max's rather than being
    reduced to (-pi, pi]; -inf real parts on both sides give min, +inf both the plain formula, and a
    NaN anywhere NaN + NaN j. logcumsumexp folds it along the axis."""
    x, y = np.broadcast_arrays(*np.asarray(np.broadcast_arrays(x, y)).astype(np.result_type(x, y, 1j)))
    low = x.real < y.real
    mn, mx = np.where(low, x, y), np.where(low, y, x)
    with np.errstate(all="ignore"):
        out = np.log1p(np.exp(mn - mx)) + mx
        both_inf = ~np.isfinite(mn.real) & (mn.real == mx.real)
        if both_inf.any():
            out = np.where(both_inf & (mn.real < 0), mn, out)
            out = np.where(both_inf & (mn.real > 0), np.log(np.exp(mn) + np.exp(mx)), out)
    return np.where(np.isnan(x) | np.isnan(y), complex(np.nan, np.nan), out)


@op(family=_B)
def logaddexp(x1: Any, x2: Any) -> Tensor:
    """log(e^x1 + e^x2) without overflow; -inf operands are exact (gradient 0 to them). Complex
    operands too, with PyTorch's formula and branch (numpy's refuses them)."""
    return _binary(x1, x2, _logaddexp_data, "logaddexp")


@op(family=_B)
def logaddexp2(x1: Any, x2: Any) -> Tensor:
    """log2(2^x1 + 2^x2) without overflow."""
    return _binary(x1, x2, np.logaddexp2, "logaddexp2")


@op(family=_B)
def copysign(x1: Any, x2: Any) -> Tensor:
    """|x1| with the sign (bit) of x2; the gradient to x1 is +-1 (0 at x1 = 0), to x2 zero."""
    return _binary(x1, x2, np.copysign, "copysign")


@op(family=_B)
def fmod(x1: Any, x2: Any) -> Tensor:
    """C's remainder: x1 - trunc(x1 / x2) * x2, the sign of x1; d/dx2 = -trunc(x1 / x2) (PyTorch's)."""
    return _binary(x1, x2, np.fmod, "fmod")


@op(family=_B)
def remainder(x1: Any, x2: Any) -> Tensor:
    """Python's ``%``: x1 - floor(x1 / x2) * x2, the sign of x2; d/dx2 = -floor(x1 / x2) (PyTorch's)."""
    return _binary(x1, x2, np.remainder, "remainder")


@op(family=_B, rules=("remainder",), method=False)
def mod(x1: Any, x2: Any) -> Tensor:
    """numpy's other name of ``remainder`` (Python's ``%``)."""
    return remainder(x1, x2)


@op(
    family=_B,
    differentiable=False,
    differs="torch.floor_divide records a node whose backward raises (no derivative); here a constant",
)
def floor_divide(x1: Any, x2: Any) -> Tensor:
    """Python's ``//``: floor(x1 / x2), a constant with no gradient (integers stay integers)."""
    return Tensor._const(np.asarray(_apply(x1, x2, np.floor_divide, "floor_divide")[2]))


@op(family=_B, rules=("remainder",), method=False)
def divmod(x1: Any, x2: Any) -> tuple[Tensor, Tensor]:  # noqa: A001
    """numpy's divmod (Python's ``divmod``): ``(floor_divide(x1, x2), remainder(x1, x2))``.

    The same values and gradients as the two ops: the quotient is a constant (floor is flat almost
    everywhere; PyTorch's floor_divide has no gradient either), the remainder has remainder's
    (d/dx1 = 1, d/dx2 = -floor(x1 / x2), PyTorch's)."""
    return floor_divide(x1, x2), remainder(x1, x2)


def _trunc_divide(a: Any, b: Any) -> np.ndarray:
    # a or b may be a Python number (kept so numpy's weak promotion keeps an integer tensor's dtype)
    if (
        np.asarray(a).dtype.kind in "iub" and np.asarray(b).dtype.kind in "iub"
    ):  # exact: a - fmod(a, b) is a multiple of b
        return np.floor_divide(a - np.fmod(a, b), b)
    return np.trunc(np.true_divide(a, b))


def divide_rounded(a: Any, b: Any, rounding_mode: str | None) -> Tensor:
    """PyTorch's ``divide(a, b, rounding_mode=...)``: None is true division; "trunc" rounds the
    quotient toward zero, "floor" down (numpy's floor_divide). Rounded quotients are recorded with a
    zero gradient, as PyTorch records them; integer inputs give integer results."""
    if rounding_mode is None:
        a, b = pair(a, b, "divide")
        return a / b
    fns = {"trunc": _trunc_divide, "floor": np.floor_divide}
    if rounding_mode not in fns:
        raise ShapeError(  # a ValueError and, as PyTorch's, a RuntimeError
            f"divide: rounding_mode must be None, 'trunc' or 'floor', got {rounding_mode!r}"
        )
    return _binary(a, b, fns[rounding_mode], "divide", rule_name="div_rounded")


@op(family=_B, numpy=None)
def lerp(start: Any, end: Any, weight: Any) -> Tensor:
    """start + weight * (end - start) (PyTorch's lerp); ``weight`` a number or a Tensor (differentiable)."""
    s, e = pair(start, end, "lerp")
    w = _lift(weight, s, "lerp")
    sd, ed, wd = s._data, e._data, w._data
    try:
        diff = ed - sd
        # PyTorch's two-sided form: exact at weight 0 (start) and at weight 1 (end)
        data = np.where(np.abs(wd) < 0.5, sd + wd * diff, ed - diff * (1.0 - wd))
    except ValueError:
        raise broadcast_error("lerp", s, e, w) from None
    return Tensor._make(data, (s, e, w), "lerp")


def _xlogy_data(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        v = x * np.log(y)
    v = np.where(x == 0, 0, v)  # 0 * log(0) and 0 * log(inf) count as 0 ...
    return np.where(np.isnan(y), np.nan, v)  # ... but a NaN y stays NaN (scipy's and PyTorch's xlogy)


@op(family=_B, numpy=None)
def xlogy(x: Any, y: Any) -> Tensor:
    """x * log(y), and 0 where x == 0 (unless y is NaN), as scipy.special.xlogy and torch.xlogy."""
    return _binary(x, y, _xlogy_data, "xlogy", ctx=lambda a, b: (a == 0) & (b <= 0))


@op(family=_B, rules=("float_power", "astype", "power"))
def float_power(x1: Any, x2: Any) -> Tensor:
    """x1 ** x2 computed in float64 whatever the inputs (numpy's and PyTorch's float_power); in
    complex128 if either is complex, recorded as power() of the operands cast to complex128."""
    ta, tb = pair(x1, x2, "float_power")
    if ta.dtype.kind == "c" or tb.dtype.kind == "c":
        from .arithmetic import power  # a sibling family, imported when needed

        return power(ta.astype(np.complex128), tb.astype(np.complex128))
    return _binary(x1, x2, np.float_power, "float_power")


@op(family=_B)
def fmax(x1: Any, x2: Any) -> Tensor:
    """Elementwise maximum ignoring NaN; ties and NaN in x2 give the gradient to x1 (PyTorch's)."""
    return _binary(x1, x2, np.fmax, "fmax", ctx=lambda a, b: (a >= b) | np.isnan(b))


@op(family=_B, rules=("fmax",))
def fmin(x1: Any, x2: Any) -> Tensor:
    """Elementwise minimum ignoring NaN; ties and NaN in x2 give the gradient to x1 (PyTorch's)."""
    return _binary(x1, x2, np.fmin, "fmin", ctx=lambda a, b: (a <= b) | np.isnan(b), rule_name="fmax")


# --- operators: % and // and divmod, attached to Tensor in ops/__init__.py ---------------------------
def _divmod(self: Tensor, other: Any) -> tuple[Tensor, Tensor]:
    return floor_divide(self, other), remainder(self, other)


def _rdivmod(self: Tensor, other: Any) -> tuple[Tensor, Tensor]:
    return floor_divide(other, self), remainder(other, self)


DUNDERS = {
    "__mod__": lambda self, other: remainder(self, other),
    "__rmod__": lambda self, other: remainder(other, self),
    "__floordiv__": lambda self, other: floor_divide(self, other),
    "__rfloordiv__": lambda self, other: floor_divide(other, self),
    "__divmod__": _divmod,
    "__rdivmod__": _rdivmod,
}


# --- rules -------------------------------------------------------------------------------------------
@rule("arctan2")  # d atan2(y, x) = (x dy - y dx) / (x^2 + y^2); 0 at (0, 0), as PyTorch gives
def _arctan2(F, g, out, xs, ctx, need):
    y, x = xs
    r2 = y * y + x * x
    origin = r2 == 0
    w = F.where(origin, 0.0, g / F.where(origin, 1.0, r2))  # no 0/0 to leak into a second derivative
    return (w * x if need[0] else None), (-(w * y) if need[1] else None)


@rule("hypot")
def _hypot(F, g, out, xs, ctx, need):
    a, b = xs
    return (g * a / out if need[0] else None), (g * b / out if need[1] else None)


@rule("logaddexp")  # d/da = 1 / (1 + e^(b - a)): PyTorch's form, exact for infinite operands
@holomorphic  # complex: g times the conjugate of that
def _logaddexp(F, g, out, xs, ctx, need):
    a, b = xs
    with np.errstate(over="ignore"):  # e^(b - a) = inf is right: its share is 1 / inf = 0
        ga = g / (1.0 + F.exp(b - a)) if need[0] else None
        gb = g / (1.0 + F.exp(a - b)) if need[1] else None
    return ga, gb


@rule("logaddexp2")  # d/da = 1 / (1 + 2^(b - a))
def _logaddexp2(F, g, out, xs, ctx, need):
    a, b = xs
    with np.errstate(over="ignore"):
        ga = g / (1.0 + F.exp2(b - a)) if need[0] else None
        gb = g / (1.0 + F.exp2(a - b)) if need[1] else None
    return ga, gb


@rule("copysign")  # d/dx1 = sign(x1) * sign(out): +-1, and 0 at x1 = 0 (PyTorch's masked out / x1)
def _copysign(F, g, out, xs, ctx, need):
    gx = g * (F.sign(xs[0]) * F.sign(out)) if need[0] else None
    return gx, (zeros_for(g) if need[1] else None)


@rule("fmod")  # a - trunc(a / b) b: d/da = 1, d/db = -trunc(a / b)
def _fmod(F, g, out, xs, ctx, need):
    a, b = xs
    return (g if need[0] else None), (-(g * F.trunc(a / b)) if need[1] else None)


@rule("remainder")  # a - floor(a / b) b: d/da = 1, d/db = -floor(a / b), PyTorch's rounded quotient
def _remainder(F, g, out, xs, ctx, need):
    a, b = xs
    return (g if need[0] else None), (-(g * F.floor_divide(a, b)) if need[1] else None)


@rule("div_rounded")  # a rounded quotient is piecewise constant
def _div_rounded(F, g, out, xs, ctx, need):
    return tuple(zeros_for(g) if n else None for n in need)


@rule("lerp")
@holomorphic  # a polynomial in start, end and weight
def _lerp(F, g, out, xs, ctx, need):
    s, e, w = xs
    gs = g * (1.0 - w) if need[0] else None
    ge = g * w if need[1] else None
    return gs, ge, (g * (e - s) if need[2] else None)


@rule("xlogy")  # ctx: where x == 0 and y <= 0, d/dx is 0 (PyTorch's mask); elsewhere log(y)
def _xlogy(F, g, out, xs, ctx, need):
    x, y = xs
    gx = F.where(ctx, 0.0, F.xlogy(g, y)) if need[0] else None
    return gx, (g * x / y if need[1] else None)


# PyTorch's pow gradients: d/dx1 = 0 where x2 == 0 (even at x1 = 0, where x2 x1^(x2-1) is 0 * inf);
# d/dx2 = 0 where x1 == 0 <= x2 (0^x2 is constant there). The masks make the second derivative at
# those points 0 too, as PyTorch's does.
@rule("float_power")
def _float_power(F, g, out, xs, ctx, need):
    x, y = xs
    gx = F.where(y == 0, 0.0, g * y * F.float_power(x, y - 1.0)) if need[0] else None
    gy = F.where((x == 0) & (y >= 0), 0.0, g * out * F.log(x)) if need[1] else None
    return gx, gy


@rule("fmax")  # ctx = mask of the elements taken from x1 (fmin records this rule too)
def _fmax(F, g, out, xs, ctx, need):
    return (F.where(ctx, g, 0.0) if need[0] else None), (F.where(ctx, 0.0, g) if need[1] else None)
