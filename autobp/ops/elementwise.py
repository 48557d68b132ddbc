"""Elementwise functions of one tensor (exp, log, tanh, sigmoid, relu, sqrt, abs, clip) and of two
(maximum, minimum, where), with their rules; comparisons, which have no gradient, are here too."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _kernels
from .._broadcast import ShapeError
from .._scalars import FLOATS, ONE
from .._torch_out import takes_out
from ..rules import RULES, rule
from ..tensor import Tensor, _as_array, _lift
from ._args import as_tensor, pair, refuse_complex
from ._decl import op
from ._deferral import foreign_equality
from .complex_parts import real_part

_ndarray = np.ndarray

_E = "elementwise"


@op(family=_E)
def exp(x: Any) -> Tensor:
    """e ** x, elementwise."""
    if type(x) is not Tensor:  # the method's case skips the call (tiny nets pay per op)
        x = as_tensor(x)
    return Tensor._make(np.exp(x._data), (x,), "exp")


@op(family=_E)
def log(x: Any) -> Tensor:
    """Natural logarithm, elementwise."""
    if type(x) is not Tensor:  # the method's case skips the call (tiny nets pay per op)
        x = as_tensor(x)
    return Tensor._make(np.log(x._data), (x,), "log")


@op(family=_E)
def tanh(x: Any) -> Tensor:
    """Hyperbolic tangent, elementwise."""
    if type(x) is not Tensor:  # the method's case skips the call (tiny nets pay per op)
        x = as_tensor(x)
    return Tensor._make(np.tanh(x._data), (x,), "tanh", None, True)


@op(family=_E, numpy=None)
def sigmoid(x: Any) -> Tensor:
    """1 / (1 + e^-x), exact at both ends (see ``_kernels.sigmoid_of``)."""
    if type(x) is not Tensor:  # the method's case skips the call (tiny nets pay per op)
        x = as_tensor(x)
    return Tensor._make(_kernels.sigmoid_of(x._data), (x,), "sigmoid", None, True)


@op(family=_E, numpy=None)
def relu(x: Any) -> Tensor:
    """max(x, 0); the gradient at 0 is 0 (PyTorch's choice). relu(-0.0) is +0.0 (PyTorch: -0.0): numpy's
    maximum is one pass, where torch's x < 0 ? 0 : x takes two (+14% on the mlp and checkpoint steps)."""
    if type(x) is not Tensor:  # the method's case skips the call (tiny nets pay per op)
        x = as_tensor(x)
    data = np.maximum(x._data, 0)
    if data.dtype.kind == "c":
        refuse_complex(x, "relu")
    return Tensor._make(data, (x,), "relu", None, True)


@op(family=_E)
def sqrt(x: Any) -> Tensor:
    """Square root, elementwise."""
    if type(x) is not Tensor:  # the method's case skips the call (tiny nets pay per op)
        x = as_tensor(x)
    return Tensor._make(np.sqrt(x._data), (x,), "sqrt")


@op(family=_E, numpy=(np.abs,), torch=("absolute",))
def abs(x: Any) -> Tensor:  # noqa: A001
    """|x|, elementwise; the gradient at 0 is 0 (sign(0))."""
    if type(x) is not Tensor:  # the method's case skips the call (tiny nets pay per op)
        x = as_tensor(x)
    return Tensor._make(np.abs(x._data), (x,), "abs")


_NOTHING = object()


@op(
    family=_E,
    rules=("clip", "clip_tensor"),
    torch=("clamp",),
    differs="torch.clamp refuses min and max both None; numpy's clip (and autobp's) returns a copy",
)
@takes_out("clamp", "cast")
def clip(
    x: Any,
    a_min: Any = None,
    a_max: Any = None,
    *,
    min: Any = _NOTHING,
    max: Any = _NOTHING,  # noqa: A002
) -> Tensor:
    """Limit values to [a_min, a_max] (numpy's clip; PyTorch's clamp, ``min=``/``max=`` too); the
    gradient passes where the input is inside, the bounds included. Bounds may be Tensors: each then
    receives the gradient where it is the result (PyTorch's clamp with tensor bounds). Where
    a_min > a_max the result is a_max (numpy's and PyTorch's min(max(x, a_min), a_max)); with no
    bound at all, a copy (numpy's)."""
    if (min is not _NOTHING or max is not _NOTHING) and (a_min is not None or a_max is not None):
        raise ValueError(  # numpy's words
            "clip: Passing `min` or `max` keyword argument when `a_min` and `a_max` are provided "
            "is forbidden."
        )
    lo = a_min if min is _NOTHING else min
    hi = a_max if max is _NOTHING else max
    x = as_tensor(x)
    refuse_complex(x, "clip")
    typed = [b for b in (lo, hi) if isinstance(b, (np.generic, np.ndarray))]
    if typed:  # numpy scalars and arrays are typed (NEP 50): numpy's promotion of x with them
        want = np.result_type(x._data, *typed)
        if want != x.dtype and want.kind in "biuf":
            x = x.astype(want)
    if lo is None and hi is None:  # numpy (>= 2.1) returns a copy; torch.clamp refuses
        return Tensor._make(x._data.copy(), (x,), "clip_tensor", (np.ones(x.shape, bool),))
    if isinstance(lo, (Tensor, np.ndarray, list)) or isinstance(hi, (Tensor, np.ndarray, list)):
        return _clip_tensor(x, lo, hi)
    if lo is not None and hi is not None and lo > hi:  # numpy and torch.clamp: hi everywhere, no
        return _clip_tensor(x, lo, hi)  # gradient to x (min(max(x, lo), hi) is hi)
    out, ctx = _kernels.clip([x._data], (lo, hi, None))
    return Tensor._make(out, (x,), "clip", ctx)


def _clip_tensor(x: Tensor, lo: Any, hi: Any) -> Tensor:
    """minimum(maximum(x, lo), hi) as numpy computes it (so hi wins where lo > hi), one node."""
    bounds = [None if b is None else _lift(b, x, "clip") for b in (lo, hi)]
    a = x._data
    try:
        low = a if bounds[0] is None else np.maximum(a, bounds[0]._data)
        out = low if bounds[1] is None else np.minimum(low, bounds[1]._data)
    except ValueError:
        shapes = [x.shape] + [b.shape for b in bounds if b is not None]
        raise ValueError(
            f"clip: shapes {' and '.join(map(str, shapes))} cannot be broadcast together"
        ) from None
    # PyTorch's masks (as its comparisons give them, so a NaN anywhere sends no gradient anywhere):
    # x where lo <= x <= hi; lo where x < lo < hi (or x < lo alone); hi where x > hi or hi < lo
    lo_, hi_ = (None if b is None else b._data for b in bounds)
    inside = np.ones(out.shape, bool)
    if lo_ is not None:
        inside = inside & (a >= lo_)
    if hi_ is not None:
        inside = inside & (a <= hi_)
    lower = None if lo_ is None else (a < lo_) & (True if hi_ is None else lo_ < hi_)
    upper = None if hi_ is None else (a > hi_) | (False if lo_ is None else hi_ < lo_)
    lower, upper = (None if m is None else np.broadcast_to(m, out.shape) for m in (lower, upper))
    parents = (x,) + tuple(b for b in bounds if b is not None)
    which = (inside,) + tuple(m for m, b in zip((lower, upper), bounds) if b is not None)
    return Tensor._make(out, parents, "clip_tensor", which)


@op(family=_E, rules=("clip", "clip_tensor"), numpy=None)
def clamp_min(x: Any, min: Any) -> Tensor:  # noqa: A002
    """max(x, min), PyTorch's clamp_min: the gradient passes where x >= min."""
    return clip(x, min, None)


@op(family=_E, rules=("clip", "clip_tensor"), numpy=None)
def clamp_max(x: Any, max: Any) -> Tensor:  # noqa: A002
    """min(x, max), PyTorch's clamp_max: the gradient passes where x <= max."""
    return clip(x, None, max)


@op(family=_E, method=False)
def maximum(a: Any, b: Any) -> Tensor:
    """Elementwise maximum; ties split the gradient, a NaN sends all of it to both (PyTorch's).

    On ties each input gets half of the gradient; where either is NaN no comparison ranks them, so
    both get the whole gradient, as PyTorch's rule gives."""
    a, b = pair(a, b, "maximum")
    refuse_complex(a, "maximum")
    refuse_complex(b, "maximum")
    try:
        data, ctx = _kernels.maximum([a._data, b._data], None)
    except ValueError:
        raise ShapeError(f"maximum: shapes {a.shape} and {b.shape} cannot be broadcast") from None
    return Tensor._make(data, (a, b), "maximum", ctx)


@op(family=_E, method=False)
def minimum(a: Any, b: Any) -> Tensor:
    """Elementwise minimum; ties split the gradient, a NaN sends all of it to both (PyTorch's).

    On ties each input gets half of the gradient; where either is NaN no comparison ranks them, so
    both get the whole gradient, as PyTorch's rule gives."""
    a, b = pair(a, b, "minimum")
    refuse_complex(a, "minimum")
    refuse_complex(b, "minimum")
    try:
        data, ctx = _kernels.minimum([a._data, b._data], None)
    except ValueError:
        raise ShapeError(f"minimum: shapes {a.shape} and {b.shape} cannot be broadcast") from None
    return Tensor._make(data, (a, b), "minimum", ctx)


_ONE_ARGUMENT = object()


@op(family=_E, method=False)
def where(condition: Any, x: Any = _ONE_ARGUMENT, y: Any = _ONE_ARGUMENT) -> Any:
    """Elements of ``x`` where ``condition`` is true, else of ``y`` (numpy broadcasting); with the
    condition alone, the indices where it is true (numpy's ``nonzero``: a tuple of int64 Tensors).
    A condition that is not boolean counts by its truth value (nonzero), as in numpy.

    numpy's names, also accepted as keywords (numpy takes them positionally only)."""
    cond, a, b = condition, x, y
    c = cond._data if isinstance(cond, Tensor) else np.asarray(cond)
    if a is _ONE_ARGUMENT and b is _ONE_ARGUMENT:
        return tuple(Tensor._const(i) for i in np.nonzero(c))
    if a is _ONE_ARGUMENT or b is _ONE_ARGUMENT:
        raise TypeError("where: give both branches, or neither (then it is nonzero(cond))")
    if c.dtype != bool:  # numpy: any condition, by its truth value (PyTorch wants a bool one)
        c = c.astype(bool)
    if not isinstance(a, Tensor) and not isinstance(b, Tensor):  # constants: numpy's dtype, no graph
        try:
            return Tensor._const(np.where(c, a, b))
        except ValueError:
            raise ShapeError(
                f"where: shapes {c.shape}, {np.shape(a)} and {np.shape(b)} cannot be broadcast"
            ) from None
    a, b = pair(a, b, "where")
    try:
        data = np.where(c, a._data, b._data)
    except ValueError:
        raise ShapeError(
            f"where: shapes {c.shape} (condition), {a.shape} and {b.shape} cannot be broadcast"
        ) from None
    return Tensor._make(data, (a, b), "where", c)


# --- comparisons: boolean tensors outside the graph ------------------------------------------
def _numeric(x: Any) -> bool:
    """A number or numeric array numpy compares exactly as given (a uint8 against -1, an int64
    against a uint64 beyond 2**53): compared raw, not first cast to the other side's dtype."""
    if isinstance(x, (bool, int, float, np.number, np.bool_)):
        return True
    return isinstance(x, np.ndarray) and x.dtype.kind in "biuf"


def _compare(a: Any, b: Any, fn: Any, symbol: str) -> Tensor:
    if (isinstance(a, Tensor) or _numeric(a)) and (isinstance(b, Tensor) or _numeric(b)):
        x, y = (v._data if isinstance(v, Tensor) else v for v in (a, b))
        kinds = {np.asarray(v).dtype.kind for v in (x, y)} if symbol[0] in "<>" else set()
        if "c" not in kinds:
            try:
                return Tensor._const(np.asarray(fn(x, y)))
            except ValueError:
                shapes = f"{np.shape(x)} and {np.shape(y)}"
                raise ShapeError(f"comparison {symbol}: shapes {shapes} cannot be broadcast") from None
    if symbol in ("==", "!=") and (r := foreign_equality(a, b, fn, symbol)) is not None:
        return r
    if not isinstance(a, Tensor):
        a = Tensor._const(_as_array(a, None)) if not isinstance(b, Tensor) else _lift(a, b, symbol)
    b = _lift(b, a, symbol)
    if symbol[0] in "<>":  # == and != compare complex numbers; the others need an order
        refuse_complex(a, f"comparison {symbol}")
        refuse_complex(b, f"comparison {symbol}")
    try:
        return Tensor._const(fn(a._data, b._data))
    except ValueError:
        raise ShapeError(f"comparison {symbol}: shapes {a.shape} and {b.shape} cannot be broadcast") from None


def _comparison(name: str, fn: Any, symbol: str, torch: tuple, differs: Any = None) -> Any:
    def compare(a: Any, b: Any) -> Tensor:
        return _compare(a, b, fn, symbol)

    compare.__name__ = compare.__qualname__ = name
    compare.__doc__ = f"a {symbol} b, elementwise, as a boolean Tensor (no gradient)."
    return op(family=_E, method=False, differentiable=False, torch=torch, differs=differs)(compare)


less = _comparison("less", np.less, "<", ("lt",))
less_equal = _comparison("less_equal", np.less_equal, "<=", ("le",))
greater = _comparison("greater", np.greater, ">", ("gt",))
greater_equal = _comparison("greater_equal", np.greater_equal, ">=", ("ge",))
equal = _comparison(
    "equal",
    np.equal,
    "==",
    ("eq",),
    differs="torch.equal(a, b) is one bool (same shape and values); autobp's equal is numpy's elementwise "
    "a == b: array_equal gives PyTorch's meaning",
)
not_equal = _comparison("not_equal", np.not_equal, "!=", ("ne",))

DUNDERS = {
    "__lt__": less,
    "__le__": less_equal,
    "__gt__": greater,
    "__ge__": greater_equal,
    "__eq__": equal,
    "__ne__": not_equal,
    "__abs__": abs,
}


# --- rules ---------------------------------------------------------------------------------
# Holomorphic f: the gradient is g * conj(f'(z)) (PyTorch's convention, docs/concepts/complex.md). The
# conjugate is taken only for complex results (one dtype test), so real arrays pay no copy.
@rule("exp")
def _exp(F, g, out, xs, ctx, need):
    if type(out) is not float and out.dtype.kind == "c":  # Value rules see Python floats
        out = F.conj(out)
    return (F.scale(g, out),)


@rule("log")
def _log(F, g, out, xs, ctx, need):
    x = xs[0]
    if type(out) is not float and out.dtype.kind == "c":  # Value rules see Python floats
        x = F.conj(x)
    return (g / x,)


# 1 as a 0-d array of out's dtype where there is one (ONE): the same numbers as the literal 1.0, without
# numpy's slower handling of a Python scalar operand (a tiny net pays it per node)
@rule("tanh")
def _tanh(F, g, out, xs, ctx, need):
    if type(out) is not float and out.dtype not in FLOATS and out.dtype.kind == "c":  # Value: Python floats
        out = F.conj(out)
    one = ONE.get(out.dtype, 1.0) if type(out) is np.ndarray else 1.0
    return (F.scale(g, one - out * out),)


@rule("sigmoid")
def _sigmoid(F, g, out, xs, ctx, need):
    one = ONE.get(out.dtype) if type(out) is _ndarray else None
    if one is not None:  # a float64/float32 array (the usual case): one dtype look-up, not three
        return (F.scale(g, out * (one - out)),)
    if type(out) is not float and out.dtype not in FLOATS and out.dtype.kind == "c":  # Value: Python floats
        out = F.conj(out)
    one = ONE.get(out.dtype, 1.0) if type(out) is np.ndarray else 1.0
    return (F.scale(g, out * (one - out)),)


@rule("relu")
def _relu(F, g, out, xs, ctx, need):
    # out > 0 exactly where x > 0 (subgradient 0 at the kink); reading the output, which the next
    # layer's rule reads too, spares the backward pass a read of the input array
    return (F.scale(g, out > 0),)


@rule("sqrt")
def _sqrt(F, g, out, xs, ctx, need):
    if type(out) is not float and out.dtype.kind == "c":  # Value rules see Python floats
        out = F.conj(out)
    return (g / (2.0 * out),)


@rule("abs")
def _abs(F, g, out, xs, ctx, need):
    x = xs[0]
    if x.dtype.kind == "c":  # |z| is real: z.grad = g z / |z|, and 0 at z = 0 (PyTorch's value)
        g = real_part(F, g)
        zero = (out._data if isinstance(out, Tensor) else out) == 0
        return (F.where(zero, 0.0 * x, g * x / F.where(zero, 1.0, out)),)
    return (g * F.sign(x),)  # subgradient 0 at the kink


@rule("clip")  # ctx = (lo, hi, boolean mask of the elements inside [lo, hi])
def _clip(F, g, out, xs, ctx, need):
    return (g * ctx[2],)


@rule("clip_tensor")  # ctx = per parent, the boolean mask of the result elements it supplied
def _clip_tensor_rule(F, g, out, xs, ctx, need):
    return tuple(g * m if n else None for m, n in zip(ctx, need))


@rule("maximum")  # ctx = weights of x and y: 0 for the loser, 1/2 on ties, 1 else (NaN: 1 to both, torch's)
def _maximum(F, g, out, xs, ctx, need):
    return (g * ctx[0] if need[0] else None), (g * ctx[1] if need[1] else None)


RULES["minimum"] = _maximum  # the same weights with the loser the larger


@rule("where")  # ctx = the boolean condition
def _where(F, g, out, xs, ctx, need):
    # true zeros, not 0 * g: a nan or inf gradient of the branch not taken must not leak (as torch.where)
    return (F.where(ctx, g, 0.0) if need[0] else None), (F.where(ctx, 0.0, g) if need[1] else None)
