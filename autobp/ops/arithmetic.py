"""Arithmetic: + - * / ** and negation, the operators' functions (numpy's names), and their rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .._broadcast import NEG_BOOL, DTypeError, ShapeError
from .._default_dtype import DEFAULT, F64, int_number_result
from .._graph import _mode, hooks, next_seq, off_threads
from .._scalars import FLOATS
from ..rules import rule
from ..tensor import Tensor, _lift
from ._args import pair
from ._decl import op
from ._deferral import defers_to
from .binary import divide_rounded

_make = Tensor._make
_new = object.__new__
ndarray = np.ndarray


def _binary(a: Tensor, b: Tensor, op: str, fn: Any, symbol: str) -> Tensor:
    try:
        data = fn(a._data, b._data)
    except ValueError as e:
        try:
            np.broadcast_shapes(a.shape, b.shape)
        except ValueError:
            raise _shapes_error(a, b, op, symbol) from None
        # the shapes agree: numpy refused the values (an integer to a negative integer power); numpy's
        # ValueError and PyTorch's RuntimeError both, as for a Python exponent
        raise ShapeError(f"{op} ({symbol}): {e} (dtypes {a.dtype} and {b.dtype}, as numpy)") from None
    return _make(data, (a, b), op)


def _shapes_error(a: Tensor, b: Tensor, op: str, symbol: str) -> ValueError:
    return ShapeError(f"{op} ({symbol}): shapes {a.shape} and {b.shape} cannot be broadcast together")


# --- the operators: Tensor.__add__ and friends (attached in ops/__init__.py) ---------------
# A Python number next to a float64 or float32 tensor records a one-input node with the number in
# ctx ("mul_scalar", ...), and builds no constant Tensor: numpy casts a Python number to the array's
# dtype ("weak", NEP 50), so x * c computes x * asarray(c, x.dtype) bit for bit, and the rule's g * c
# what the two-input rule computed. Other operands (arrays, numpy scalars, other dtypes) are lifted.
_SCALAR_DTYPES = (np.dtype(np.float64), np.dtype(np.float32))
_EXACT_INT = 2**24  # ints up to this size are exact in float32, so float(c) changes nothing


def _scalar(x: Tensor, c: Any) -> float | None:
    """``c`` as the float a one-input node records, or None when it must be lifted to a Tensor."""
    if type(c) is float:
        return c if x._data.dtype in _SCALAR_DTYPES else None
    if type(c) is int and -_EXACT_INT <= c <= _EXACT_INT and x._data.dtype in _SCALAR_DTYPES:
        return float(c)
    return None


def _operator(op: str, ufunc: Any, symbol: str) -> Callable[[Tensor, Any], Tensor]:
    """``Tensor.__add__`` and its siblings: ``self <symbol> other`` by ``ufunc`` (what the operator
    on the arrays calls), recorded as ``op``, or as ``op + "_scalar"`` with a Python number."""
    scalar_op = op + "_scalar"
    dunder = "__truediv__" if op == "div" else f"__{op}__"

    def method(self: Tensor, other: Any) -> Tensor:
        if type(other) is not Tensor:
            c = _scalar(self, other)
            if c is not None:
                return _make(ufunc(self._data, c), (self,), scalar_op, c, True)
            if defers_to(other, dunder):  # Python asks the other operand (its __radd__, ...)
                return NotImplemented
            if DEFAULT[0] is not F64 and self._data.dtype.kind in "iub":  # int * 1.5: the default dtype
                if (out := int_number_result(self, other, op, ufunc)) is not None:
                    return out
            other = _lift(other, self, op)
        try:
            data = ufunc(self._data, other._data)
        except ValueError:
            raise _shapes_error(self, other, op, symbol) from None
        # _make's last argument: every input has the result's shape (so backward takes the rule's
        # gradients as they are, without summing back). Two shapes are read only when both inputs
        # want gradients: for one, that costs what backward saves.
        a, b = self.requires_grad, other.requires_grad
        same = a and b and self._data.shape == other._data.shape
        if (
            (a or b)
            and (not off_threads or _mode.enabled)
            and type(data) is ndarray
            and hooks.on_make is None
        ):
            # _make's usual case written out: on a small net the call is a sixth of the op's cost
            t = _new(Tensor)
            t._data = data
            t.requires_grad = True
            t._parents = (self, other)
            t._op = op
            t._ctx = None
            t._retains_grad = False
            t._seq = next_seq()
            t._same = same
            return t
        return _make(data, (self, other), op, None, same)

    method.__name__ = f"_{op}"
    method.checks_operand = True  # type: ignore[attr-defined]
    return method


_add = _operator("add", np.add, "+")
_sub = _operator("sub", np.subtract, "-")
_mul = _operator("mul", np.multiply, "*")
_truediv = _operator("div", np.true_divide, "/")


def _radd(self: Tensor, other: Any) -> Tensor:
    c = _scalar(self, other)
    if c is not None:
        return _make(c + self._data, (self,), "add_scalar", c, True)
    if defers_to(other, "__radd__"):
        return NotImplemented
    if DEFAULT[0] is not F64 and self._data.dtype.kind in "iub":  # int * 1.5: the default dtype
        if (out := int_number_result(self, other, "add", np.add, reflected=True)) is not None:
            return out
    return _binary(_lift(other, self, "add"), self, "add", np.add, "+")


def _rsub(self: Tensor, other: Any) -> Tensor:
    c = _scalar(self, other)
    if c is not None:
        return _make(c - self._data, (self,), "rsub_scalar", c, True)
    if defers_to(other, "__rsub__"):
        return NotImplemented
    if DEFAULT[0] is not F64 and self._data.dtype.kind in "iub":  # int * 1.5: the default dtype
        if (out := int_number_result(self, other, "sub", np.subtract, reflected=True)) is not None:
            return out
    return _binary(_lift(other, self, "sub"), self, "sub", np.subtract, "-")


def _rmul(self: Tensor, other: Any) -> Tensor:
    c = _scalar(self, other)
    if c is not None:
        return _make(c * self._data, (self,), "mul_scalar", c, True)
    if defers_to(other, "__rmul__"):
        return NotImplemented
    if DEFAULT[0] is not F64 and self._data.dtype.kind in "iub":  # int * 1.5: the default dtype
        if (out := int_number_result(self, other, "mul", np.multiply, reflected=True)) is not None:
            return out
    return _binary(_lift(other, self, "mul"), self, "mul", np.multiply, "*")


def _rtruediv(self: Tensor, other: Any) -> Tensor:
    c = _scalar(self, other)
    if c is not None:
        return _make(c / self._data, (self,), "rdiv_scalar", c, True)
    if defers_to(other, "__rtruediv__"):
        return NotImplemented
    if DEFAULT[0] is not F64 and self._data.dtype.kind in "iub":  # int * 1.5: the default dtype
        if (out := int_number_result(self, other, "div", np.true_divide, reflected=True)) is not None:
            return out
    return _binary(_lift(other, self, "div"), self, "div", np.true_divide, "/")


def _neg(self: Tensor) -> Tensor:
    if self._data.dtype == np.bool_:  # numpy's TypeError, PyTorch's RuntimeError
        raise DTypeError(NEG_BOOL)
    return _make(-self._data, (self,), "neg", None, True)


def _pos(self: Tensor) -> Tensor:
    return self


def _pow(self: Tensor, other: Any, ufunc: bool = False) -> Tensor:
    """``self ** other``; ``ufunc``: numpy.power's values (its ** fast paths differ: complex inf ** -1)."""
    if isinstance(other, (int, float, np.number)) and not isinstance(other, bool):
        if DEFAULT[0] is not F64 and self._data.dtype.kind in "iub":  # int * 1.5: the default dtype
            if (out := int_number_result(self, other, "pow", np.power)) is not None:
                return out
        try:
            data = np.power(self._data, other) if ufunc else self._data**other
        except ValueError as e:  # numpy: integers to negative integer powers (PyTorch: RuntimeError)
            raise ShapeError(f"pow: {e} (tensor of dtype {self.dtype}, exponent {other!r})") from None
        return _make(data, (self,), "pow_scalar", other, True)
    if defers_to(other, "__pow__"):
        return NotImplemented
    return _binary(self, _lift(other, self, "pow"), "pow", np.power, "**")


def _rpow(self: Tensor, other: Any) -> Tensor:
    if defers_to(other, "__rpow__"):
        return NotImplemented
    if DEFAULT[0] is not F64 and self._data.dtype.kind in "iub":  # int * 1.5: the default dtype
        if (out := int_number_result(self, other, "pow", np.power, reflected=True)) is not None:
            return out
    return _binary(_lift(other, self, "pow"), self, "pow", np.power, "**")


for _f in (_radd, _rsub, _rmul, _rtruediv, _pow, _rpow):
    _f.checks_operand = True  # type: ignore[attr-defined]

DUNDERS = {
    "__add__": _add,
    "__radd__": _radd,
    "__sub__": _sub,
    "__rsub__": _rsub,
    "__mul__": _mul,
    "__rmul__": _rmul,
    "__truediv__": _truediv,
    "__rtruediv__": _rtruediv,
    "__div__": _truediv,  # PyTorch keeps Python 2's names: t.__div__(o), t.__rdiv__(o)
    "__rdiv__": _rtruediv,
    "__neg__": _neg,
    "__pos__": _pos,
    "__pow__": _pow,
    "__rpow__": _rpow,
}


# --- the functions -----------------------------------------------------------------------
def _kind(x: Any) -> str:
    return (x._data if isinstance(x, Tensor) else np.asarray(x)).dtype.kind


def _check_alpha(a: Any, b: Any, alpha: Any, name: str) -> None:
    """PyTorch's checks of ``alpha``: no float alpha for integer (or bool) inputs, no bool alpha
    unless the inputs are bool (it would be silently truncated or promote the result)."""
    kinds, k = {_kind(a), _kind(b)}, _kind(alpha)
    if kinds <= set("biu") and k in "fc":
        raise DTypeError(
            f"{name}: For integral input tensors, argument alpha must not be a floating point number "
            f"(alpha={alpha!r}, inputs of kinds {sorted(kinds)})"
        )
    if k == "b" and kinds != {"b"}:
        raise DTypeError(f"{name}: Boolean alpha only supported for Boolean results (alpha={alpha!r})")


def _scaled(b: Any, alpha: Any) -> Any:
    """alpha * b; two Python numbers stay a Python number (a weak scalar: ``sub(int32, 1, alpha=2)``
    stays int32, as PyTorch's, where a numpy int64 product would promote it)."""
    python = (bool, int, float, complex)
    if type(b) in python and type(alpha) in python:
        return b * alpha
    return multiply(b, alpha)


@op(family="arithmetic", method=False, rules=("add", "mul"), torch=("add",))
def add(a: Any, b: Any, *, alpha: Any = 1) -> Tensor:
    """a + b, elementwise with broadcasting; PyTorch's ``alpha``: a + alpha * b."""
    _check_alpha(a, b, alpha, "add")
    if alpha != 1:
        b = _scaled(b, alpha)
    return _add(*pair(a, b, "add"))


@op(family="arithmetic", method=False, rules=("sub", "mul"), torch=("sub",))
def subtract(a: Any, b: Any, *, alpha: Any = 1) -> Tensor:
    """a - b, elementwise with broadcasting; PyTorch's ``alpha``: a - alpha * b."""
    _check_alpha(a, b, alpha, "sub")
    if alpha != 1:
        b = _scaled(b, alpha)
    return _sub(*pair(a, b, "sub"))


@op(family="arithmetic", method=False, rules=("mul",), torch=("mul",))
def multiply(a: Any, b: Any) -> Tensor:
    """a * b, elementwise with broadcasting."""
    return _mul(*pair(a, b, "mul"))


@op(
    family="arithmetic",
    method=False,
    rules=("div", "div_rounded"),
    numpy=(np.true_divide,),
    torch=("div", "true_divide"),
)
def divide(a: Any, b: Any, *, rounding_mode: str | None = None) -> Tensor:
    """a / b, elementwise with broadcasting; PyTorch's rounding_mode "trunc"/"floor" rounds the
    quotient (a zero gradient, as PyTorch's)."""
    if rounding_mode is not None:
        return divide_rounded(a, b, rounding_mode)
    return _truediv(*pair(a, b, "div"))


@op(family="arithmetic", method=False, rules=("neg",))
def negative(x: Any) -> Tensor:
    """-x, elementwise."""
    return _neg(pair(x, 0.0, "neg")[0])


@op(family="arithmetic", method=False, rules=("pow", "pow_scalar"), torch=("pow",))
def power(a: Any, b: Any) -> Tensor:
    """a ** b, elementwise with broadcasting; a constant exponent records one input."""
    if isinstance(a, Tensor):
        return _pow(a, b, ufunc=True)
    a, b = pair(a, b, "pow")
    return _binary(a, b, "pow", np.power, "**")


@op(
    family="arithmetic",
    method=False,
    rules=("astype",),
    differs="torch.positive returns the tensor itself (as the + operator here); numpy's positive, "
    "and this one, a new array",
)
def positive(x: Any) -> Tensor:
    """+x as numpy's positive: a new Tensor of the same values; the gradient passes unchanged."""
    x = pair(x, 0.0, "positive")[0]
    if x.dtype == np.bool_:  # numpy has no boolean positive either
        raise TypeError(f"positive: not defined for dtype bool (shape {x.shape})")
    return Tensor._make(x._data.copy(), (x,), "astype")


# --- rules ---------------------------------------------------------------------------------
# Constants in the rules' arithmetic are float literals: numpy takes a Python int against a float
# array through a slower path (0.1 us more per op on small arrays); a float keeps the dtype just the same.
@rule("add")
def _add_rule(F, g, out, xs, ctx, need):  # _engine._plain_pass has a written-out twin
    return g, g


@rule("sub")
def _sub_rule(F, g, out, xs, ctx, need):
    return g, (-g if need[1] else None)


@rule("neg")
def _neg_rule(F, g, out, xs, ctx, need):
    return (-g,)


# Complex results: each input's gradient is g * conj(d out / d input) (PyTorch's convention,
# docs/concepts/complex.md); one dtype test on the output, so real arrays are never conjugated.
@rule("mul")
def _mul_rule(F, g, out, xs, ctx, need):  # _engine._plain_pass has a written-out twin (real floats)
    x, y = xs
    if type(out) is not float and out.dtype not in FLOATS and out.dtype.kind == "c":  # Value: Python floats
        x, y = F.conj(x), F.conj(y)
    return (g * y if need[0] else None), (g * x if need[1] else None)


@rule("div")
def _div_rule(F, g, out, xs, ctx, need):
    x, y = xs
    if type(out) is not float and out.dtype not in FLOATS and out.dtype.kind == "c":  # Value: Python floats
        y, out = F.conj(y), F.conj(out)
    gx = g / y if need[0] else None
    return gx, (-(g * out) / y if need[1] else None)  # d(x/y)/dy = -x/y^2 = -out/y


# the one-input forms of the operators with a Python number c (ctx) as the other operand
@rule("add_scalar")  # x + c, c + x
def _add_scalar_rule(F, g, out, xs, ctx, need):
    return (g,)


@rule("sub_scalar")  # x - c
def _sub_scalar_rule(F, g, out, xs, ctx, need):
    return (g,)


@rule("rsub_scalar")  # c - x
def _rsub_scalar_rule(F, g, out, xs, ctx, need):
    return (-g,)


@rule("mul_scalar")  # x * c, c * x
def _mul_scalar_rule(F, g, out, xs, ctx, need):
    return (g * ctx,)


@rule("div_scalar")  # x / c
def _div_scalar_rule(F, g, out, xs, ctx, need):
    return (g / ctx,)


@rule("rdiv_scalar")  # c / x: d/dx = -c/x^2 = -out/x
def _rdiv_scalar_rule(F, g, out, xs, ctx, need):
    return (-(g * out) / xs[0],)


@rule("pow_scalar")  # x ** p with a constant p (ctx)
def _pow_scalar_rule(F, g, out, xs, ctx, need):
    (x,) = xs
    p = ctx
    if type(out) is not float and out.dtype.kind == "c":  # Value rules see Python floats
        x, p = F.conj(x), np.conj(p)
    if p == 2:
        return (g * (x + x),)  # 2x exactly, without converting a Python 2 for numpy
    if p == 0:  # x ** 0 is constant, also at x = 0 where p * x ** (p - 1) would be 0 * inf (PyTorch: 0)
        return (g * 0.0,)
    return (g * (p * x ** (p - 1)),)


from . import _pow_rule  # noqa: E402,F401  (x ** y with both differentiable)
