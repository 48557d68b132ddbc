"""Predicates and logical/bitwise ops (isclose, isnan, logical_and, bitwise_and, ...): boolean or
integer results, as numpy gives them, outside the graph (no gradient). The operators & | ^ ~ << >>
are numpy's bitwise ops, defined on integer and boolean tensors only."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._broadcast import DTypeError, ShapeError
from ..tensor import Tensor
from ._decl import op

_L = "logic"


def _raw(x: Any) -> Any:
    """An operand for numpy: a Tensor's array, anything else as given (so numpy's own promotion
    rules apply: a Python int beside an int32 array keeps int32)."""
    return x._data if isinstance(x, Tensor) else x


def _describe(*xs: Any) -> str:
    arrays = [np.asarray(_raw(x)) for x in xs]
    return " and ".join(f"{a.shape} {a.dtype}" for a in arrays)


def _apply(name: str, fn: Any, *xs: Any, **kwargs: Any) -> Tensor:
    try:
        # keywords too (a Tensor atol/rtol would send numpy's isclose back here without end)
        return Tensor._const(np.asarray(fn(*map(_raw, xs), **{k: _raw(v) for k, v in kwargs.items()})))
    except ValueError:
        raise ShapeError(f"{name}: shapes and dtypes {_describe(*xs)} cannot be broadcast together") from None


def _bitwise(name: str, fn: Any, symbol: str, *xs: Any) -> Tensor:
    """numpy's bitwise op, with a clear error for float operands (numpy refuses them too)."""
    kinds = [np.asarray(_raw(x)).dtype.kind for x in xs]
    if any(k not in "iub" for k in kinds):
        logical = {"&": "logical_and", "|": "logical_or", "^": "logical_xor", "~": "logical_not"}.get(symbol)
        hint = (
            f"; for truth values of float tensors compare first (x > 0) or use {logical}" if logical else ""
        )
        raise DTypeError(
            f"{name} ({symbol}): defined for integer and boolean tensors only, got {_describe(*xs)}{hint}"
        )
    return _apply(name, fn, *xs)


# --- closeness and special values -----------------------------------------------------------------
def _constant_tolerances(rtol: Any, atol: Any, who: str) -> None:
    """PyTorch refuses a tolerance Tensor that requires grad (its tolerances are floats); numpy's
    array tolerances, and Tensors without a gradient, pass (numpy's broadcasting)."""
    for name, v in (("rtol", rtol), ("atol", atol)):
        if isinstance(v, Tensor) and v.requires_grad:
            raise TypeError(
                f"{who}(): argument '{name}' must be float, not Tensor (a Tensor that requires grad; "
                f"a tolerance takes no gradient: pass float(t) or t.detach())"
            )


@op(family=_L, differentiable=False)
def isclose(a: Any, b: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> Tensor:
    """|a - b| <= atol + rtol * |b|, elementwise, as a boolean Tensor (numpy's and torch.isclose)."""
    _constant_tolerances(rtol, atol, "isclose")
    return _apply("isclose", np.isclose, a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)


@op(family=_L, differentiable=False)
def allclose(a: Any, b: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> bool:
    """True when every element of a and b is close (a Python bool, as numpy and PyTorch return)."""
    _constant_tolerances(rtol, atol, "allclose")
    return bool(isclose(a, b, rtol, atol, equal_nan)._data.all())


@op(family=_L, differentiable=False, method=False)
def array_equal(a1: Any, a2: Any, equal_nan: bool = False) -> bool:
    """True when the two have the same shape and elements (a Python bool, as numpy returns)."""
    return bool(np.array_equal(_raw(a1), _raw(a2), equal_nan=equal_nan))


@op(family=_L, differentiable=False)
def isnan(x: Any) -> Tensor:
    """x is NaN, elementwise (boolean)."""
    return _apply("isnan", np.isnan, x)


@op(family=_L, differentiable=False)
def isinf(x: Any) -> Tensor:
    """x is +inf or -inf, elementwise (boolean)."""
    return _apply("isinf", np.isinf, x)


@op(family=_L, differentiable=False)
def isfinite(x: Any) -> Tensor:
    """x is neither infinite nor NaN, elementwise (boolean)."""
    return _apply("isfinite", np.isfinite, x)


def _inf_test(name: str, fn: Any, x: Any, out: Any) -> Tensor:
    """isposinf/isneginf: complex refused (numpy's TypeError, PyTorch's RuntimeError), and numpy's and
    PyTorch's out=: a Tensor must be boolean (as PyTorch requires); a numpy array (or a 1-tuple) is
    written as numpy writes it."""
    if np.asarray(_raw(x)).dtype.kind == "c":
        raise DTypeError(f"{name}: not defined for complex values; {name} does not support complex inputs.")
    result = _apply(name, fn, x)
    if out is None:
        return result
    if isinstance(out, tuple) and len(out) == 1:
        out = out[0]
    if not isinstance(out, Tensor):
        from .._ufunc_keywords import write_out as numpy_write_out

        return numpy_write_out(result, out, name)
    if out.dtype != np.bool_:
        raise DTypeError(
            f"{name}: out= must be a boolean Tensor, got {out.dtype}; {name} does not support non-boolean "
            "outputs."
        )
    from .._torch_out import write_out

    return write_out(result, out, name)


@op(family=_L, differentiable=False)
def isposinf(x: Any, out: Any = None) -> Tensor:
    """x is +inf, elementwise (boolean); ``out``: a boolean Tensor or numpy array to write into."""
    return _inf_test("isposinf", np.isposinf, x, out)


@op(family=_L, differentiable=False)
def isneginf(x: Any, out: Any = None) -> Tensor:
    """x is -inf, elementwise (boolean); ``out``: a boolean Tensor or numpy array to write into."""
    return _inf_test("isneginf", np.isneginf, x, out)


@op(family=_L, differentiable=False)
def signbit(x: Any) -> Tensor:
    """The sign bit of x is set (negative numbers and -0.0), elementwise (boolean)."""
    if np.asarray(_raw(x)).dtype.kind == "c":
        raise DTypeError(
            "signbit: not defined for complex values (signbit is not implemented for complex tensors.)"
        )
    return _apply("signbit", np.signbit, x)


# --- logical: truth values of any numeric dtype ---------------------------------------------------
@op(family=_L, differentiable=False)
def logical_and(x1: Any, x2: Any) -> Tensor:
    """x1 and x2, elementwise, on truth values (nonzero is true); boolean."""
    return _apply("logical_and", np.logical_and, x1, x2)


@op(family=_L, differentiable=False)
def logical_or(x1: Any, x2: Any) -> Tensor:
    """x1 or x2, elementwise, on truth values (nonzero is true); boolean."""
    return _apply("logical_or", np.logical_or, x1, x2)


@op(family=_L, differentiable=False)
def logical_xor(x1: Any, x2: Any) -> Tensor:
    """Exactly one of x1, x2 true, elementwise (nonzero is true); boolean."""
    return _apply("logical_xor", np.logical_xor, x1, x2)


@op(family=_L, differentiable=False)
def logical_not(x: Any) -> Tensor:
    """not x, elementwise (nonzero is true); boolean."""
    return _apply("logical_not", np.logical_not, x)


# --- bitwise: integer and boolean tensors ----------------------------------------------------------
@op(family=_L, differentiable=False)
def bitwise_and(x1: Any, x2: Any) -> Tensor:
    """x1 & x2, elementwise, on integers and booleans (logical and for booleans)."""
    return _bitwise("bitwise_and", np.bitwise_and, "&", x1, x2)


@op(family=_L, differentiable=False)
def bitwise_or(x1: Any, x2: Any) -> Tensor:
    """x1 | x2, elementwise, on integers and booleans."""
    return _bitwise("bitwise_or", np.bitwise_or, "|", x1, x2)


@op(family=_L, differentiable=False)
def bitwise_xor(x1: Any, x2: Any) -> Tensor:
    """x1 ^ x2, elementwise, on integers and booleans."""
    return _bitwise("bitwise_xor", np.bitwise_xor, "^", x1, x2)


@op(family=_L, differentiable=False, numpy=(np.invert,), torch=("bitwise_not",))
def invert(x: Any) -> Tensor:
    """~x, elementwise: bitwise not of integers, logical not of booleans (numpy's invert)."""
    return _bitwise("invert", np.invert, "~", x)


@op(family=_L, differentiable=False, torch=("bitwise_left_shift",))
def left_shift(x1: Any, x2: Any) -> Tensor:
    """x1 << x2, elementwise, on integers: bits shifted left (x1 * 2**x2 in x1's dtype, wrapping)."""
    return _bitwise("left_shift", np.left_shift, "<<", x1, x2)


@op(family=_L, differentiable=False, torch=("bitwise_right_shift",))
def right_shift(x1: Any, x2: Any) -> Tensor:
    """x1 >> x2, elementwise, on integers: bits shifted right (floor(x1 / 2**x2), the sign kept)."""
    return _bitwise("right_shift", np.right_shift, ">>", x1, x2)


DUNDERS = {
    "__lshift__": lambda self, other: left_shift(self, other),
    "__rlshift__": lambda self, other: left_shift(other, self),
    "__rshift__": lambda self, other: right_shift(self, other),
    "__rrshift__": lambda self, other: right_shift(other, self),
    "__and__": lambda self, other: bitwise_and(self, other),
    "__rand__": lambda self, other: bitwise_and(other, self),
    "__or__": lambda self, other: bitwise_or(self, other),
    "__ror__": lambda self, other: bitwise_or(other, self),
    "__xor__": lambda self, other: bitwise_xor(self, other),
    "__rxor__": lambda self, other: bitwise_xor(other, self),
    "__invert__": invert,
}
