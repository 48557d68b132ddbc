"""Elementwise functions of one tensor (exp, log, tanh, sigmoid, relu, sqrt, abs, clip) and of two
(maximum, minimum, where), with their rules; comparisons, which have no gradient, are here too."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _kernels
from ..rules import RULES, rule
from ..tensor import Tensor, _as_array, _lift
from ._args import as_tensor, pair
from ._decl import op

_E = "elementwise"


@op(family=_E)
def exp(x: Any) -> Tensor:
    """e ** x, elementwise."""
    x = as_tensor(x)
    return Tensor._make(np.exp(x._data), (x,), "exp")


@op(family=_E)
def log(x: Any) -> Tensor:
    """Natural logarithm, elementwise."""
    x = as_tensor(x)
    return Tensor._make(np.log(x._data), (x,), "log")


@op(family=_E)
def tanh(x: Any) -> Tensor:
    """Hyperbolic tangent, elementwise."""
    x = as_tensor(x)
    return Tensor._make(np.tanh(x._data), (x,), "tanh")


@op(family=_E, numpy=None)
def sigmoid(x: Any) -> Tensor:
    """1 / (1 + e^-x), exact at both ends (see ``_kernels.sigmoid_of``)."""
    x = as_tensor(x)
    return Tensor._make(_kernels.sigmoid_of(x._data), (x,), "sigmoid")


@op(family=_E, numpy=None)
def relu(x: Any) -> Tensor:
    """max(x, 0); the gradient at 0 is 0 (PyTorch's choice)."""
    x = as_tensor(x)
    return Tensor._make(np.maximum(x._data, 0), (x,), "relu")


@op(family=_E)
def sqrt(x: Any) -> Tensor:
    """Square root, elementwise."""
    x = as_tensor(x)
    return Tensor._make(np.sqrt(x._data), (x,), "sqrt")


@op(family=_E, numpy=(np.abs,), torch=("absolute",))
def abs(x: Any) -> Tensor:  # noqa: A001
    """|x|, elementwise; the gradient at 0 is 0 (sign(0))."""
    x = as_tensor(x)
    return Tensor._make(np.abs(x._data), (x,), "abs")


@op(family=_E)
def clip(x: Any, lo: float | None = None, hi: float | None = None) -> Tensor:
    """Limit values to [lo, hi]; the gradient passes only where the input is inside."""
    x = as_tensor(x)
    if lo is None and hi is None:
        raise ValueError("clip: give lo, hi or both")
    if lo is not None and hi is not None and lo > hi:
        raise ValueError(f"clip: lo={lo} is greater than hi={hi}")
    out, ctx = _kernels.clip([x._data], (lo, hi, None))
    return Tensor._make(out, (x,), "clip", ctx)


@op(family=_E, method=False)
def maximum(a: Any, b: Any) -> Tensor:
    """Elementwise maximum; on ties each input gets half of the gradient."""
    a, b = pair(a, b, "maximum")
    try:
        data, ctx = _kernels.maximum([a._data, b._data], None)
    except ValueError:
        raise ValueError(f"maximum: shapes {a.shape} and {b.shape} cannot be broadcast") from None
    return Tensor._make(data, (a, b), "maximum", ctx)


@op(family=_E, method=False)
def minimum(a: Any, b: Any) -> Tensor:
    """Elementwise minimum; on ties each input gets half of the gradient."""
    a, b = pair(a, b, "minimum")
    try:
        data, ctx = _kernels.minimum([a._data, b._data], None)
    except ValueError:
        raise ValueError(f"minimum: shapes {a.shape} and {b.shape} cannot be broadcast") from None
    return Tensor._make(data, (a, b), "minimum", ctx)


@op(family=_E, method=False)
def where(cond: Any, a: Any, b: Any) -> Tensor:
    """Elements of ``a`` where ``cond`` is true, else of ``b`` (numpy broadcasting)."""
    c = cond._data if isinstance(cond, Tensor) else np.asarray(cond)
    if c.dtype != bool:
        raise TypeError(f"where: condition must be boolean, got dtype {c.dtype}")
    a, b = pair(a, b, "where")
    try:
        data = np.where(c, a._data, b._data)
    except ValueError:
        raise ValueError(
            f"where: shapes {c.shape} (condition), {a.shape} and {b.shape} cannot be broadcast"
        ) from None
    return Tensor._make(data, (a, b), "where", c)


# --- comparisons: boolean tensors outside the graph ------------------------------------------
def _compare(a: Any, b: Any, fn: Any, symbol: str) -> Tensor:
    if not isinstance(a, Tensor):
        a = Tensor._const(_as_array(a, None)) if not isinstance(b, Tensor) else _lift(a, b, symbol)
    b = _lift(b, a, symbol)
    try:
        return Tensor._const(fn(a._data, b._data))
    except ValueError:
        raise ValueError(f"comparison {symbol}: shapes {a.shape} and {b.shape} cannot be broadcast") from None


def _comparison(name: str, fn: Any, symbol: str, torch: tuple) -> Any:
    def compare(a: Any, b: Any) -> Tensor:
        return _compare(a, b, fn, symbol)

    compare.__name__ = compare.__qualname__ = name
    compare.__doc__ = f"a {symbol} b, elementwise, as a boolean Tensor (no gradient)."
    return op(family=_E, method=False, differentiable=False, torch=torch)(compare)


less = _comparison("less", np.less, "<", ("lt",))
less_equal = _comparison("less_equal", np.less_equal, "<=", ("le",))
greater = _comparison("greater", np.greater, ">", ("gt",))
greater_equal = _comparison("greater_equal", np.greater_equal, ">=", ("ge",))
equal = _comparison("equal", np.equal, "==", ("eq",))
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
@rule("exp")
def _exp(F, g, out, xs, ctx, need):
    return (F.scale(g, out),)


@rule("log")
def _log(F, g, out, xs, ctx, need):
    return (g / xs[0],)


@rule("tanh")
def _tanh(F, g, out, xs, ctx, need):
    return (F.scale(g, 1.0 - out * out),)


@rule("sigmoid")
def _sigmoid(F, g, out, xs, ctx, need):
    return (F.scale(g, out * (1.0 - out)),)


@rule("relu")
def _relu(F, g, out, xs, ctx, need):
    # out > 0 exactly where x > 0 (subgradient 0 at the kink); reading the output, which the next
    # layer's rule reads too, spares the backward pass a read of the input array
    return (F.scale(g, out > 0),)


@rule("sqrt")
def _sqrt(F, g, out, xs, ctx, need):
    return (g / (2.0 * out),)


@rule("abs")
def _abs(F, g, out, xs, ctx, need):
    return (g * F.sign(xs[0]),)  # subgradient 0 at the kink


@rule("clip")  # ctx = (lo, hi, boolean mask of the elements inside [lo, hi])
def _clip(F, g, out, xs, ctx, need):
    return (g * ctx[2],)


@rule("maximum")  # ctx = weight of x: 1 where x > y, 1/2 on ties, 0 elsewhere
def _maximum(F, g, out, xs, ctx, need):
    return (g * ctx if need[0] else None), (g * (1.0 - ctx) if need[1] else None)


RULES["minimum"] = _maximum  # ctx = weight of x: 1 where x < y, 1/2 on ties


@rule("where")  # ctx = the boolean condition
def _where(F, g, out, xs, ctx, need):
    zero = 0.0 * g
    return (F.where(ctx, g, zero) if need[0] else None), (F.where(ctx, zero, g) if need[1] else None)
