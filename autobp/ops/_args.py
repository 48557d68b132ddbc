"""What the op families share: inputs as Tensors, PyTorch's ``dim``/``keepdim`` spellings folded
into numpy's ``axis``/``keepdims``, the checks every op repeats, a one-input op's forward, and the
exact zero gradient of piecewise-constant ops."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._broadcast import ShapeError
from ..tensor import Tensor, _as_array, _lift


def as_tensor(x: Any) -> Tensor:
    """``x`` as a Tensor (a constant unless it is one already); integer and bool arrays and numbers
    keep numpy's dtype, as numpy's functions would see them (``prod((28, 28))`` is the int 784)."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, (list, tuple)) and _holds_tensor(x):  # np.asarray would drop their graphs
        from .construction import array

        return array(x)
    arr = np.asarray(x) if isinstance(x, (np.ndarray, np.generic, int, list, tuple)) else None
    if arr is not None and arr.dtype.kind in "iub":
        return Tensor._const(arr)
    return Tensor._const(_as_array(x))


def _holds_tensor(x: Any) -> bool:
    return isinstance(x, Tensor) or (isinstance(x, (list, tuple)) and any(_holds_tensor(v) for v in x))


def pair(a: Any, b: Any, op: str) -> tuple[Tensor, Tensor]:
    """Two operands as Tensors; a non-Tensor takes the dtype of the Tensor beside it."""
    if isinstance(a, Tensor):
        return a, _lift(b, a, op)
    if isinstance(b, Tensor):
        return _lift(a, b, op), b
    # neither is a Tensor: a Python number next to an array or numpy scalar is "weak" (numpy's NEP 50:
    # multiply(float32 array, 2) stays float32), as it is next to a Tensor
    if type(b) in _PY_NUMBERS and type(a) not in _PY_NUMBERS:
        a = as_tensor(a)
        return a, _lift(b, a, op)
    if type(a) in _PY_NUMBERS and type(b) not in _PY_NUMBERS:
        b = as_tensor(b)
        return _lift(a, b, op), b
    return as_tensor(a), as_tensor(b)


_PY_NUMBERS = (bool, int, float, complex)


def axis_arg(axis: Any, dim: Any, op: str) -> Any:
    """numpy's ``axis`` or PyTorch's ``dim`` (either, not both)."""
    if dim is not None:
        if axis is not None:
            raise TypeError(f"{op}: give axis= or dim=, not both")
        return tuple(dim) if isinstance(dim, list) else dim
    return tuple(axis) if isinstance(axis, list) else axis


def spelled_once(value: Any, torch_value: Any, missing: str, both: str) -> Any:
    """A required argument given in numpy's spelling (``value``) or PyTorch's (``torch_value``), exactly
    once: TypeError(``missing``) for neither, TypeError(``both``) for both."""
    if torch_value is None:
        if value is None:
            raise TypeError(missing)
        return value
    if value is not None:
        raise TypeError(both)
    return torch_value


def keep_arg(keepdims: Any, keepdim: Any) -> bool:
    """numpy's ``keepdims`` or PyTorch's ``keepdim``."""
    return bool(keepdim) if keepdim is not None else keepdims


def broadcast_error(op: str, *tensors: Any) -> ValueError:
    shapes = " and ".join(str(np.shape(t._data if isinstance(t, Tensor) else t)) for t in tensors)
    return ShapeError(f"{op}: shapes {shapes} cannot be broadcast together")  # ValueError, RuntimeError


class ComplexRefusedError(TypeError):
    """An op refused complex input (no order, or a rule that is real-only so far). Called with numpy
    arrays only (constants in), ``autobp.<op>`` answers with numpy's function instead (``_plain.py``)."""


_NO_ORDER = "complex numbers have no order; apply it to abs(z), z.real or z.imag instead"


def refuse_complex(x: Any, op: str, why: str = _NO_ORDER) -> None:
    """Ordering ops (comparisons, max, sort, clip, relu, rounding) are undefined on complex numbers:
    raise, as PyTorch does, where numpy would silently order by the real part first. Ops whose rule
    is not yet written for complex inputs refuse them the same way (``why`` says so)."""
    if isinstance(x, Tensor) and x._data.dtype.kind == "c":
        raise ComplexRefusedError(
            f"{op}: not defined for complex tensors (dtype {x.dtype}, shape {x.shape}): {why}"
        )


NOT_YET = "its derivative rule is real-only so far (docs/concepts/complex.md lists what is supported)"


def unary_op(x: Any, fn: Any, name: str, ctx: Any = None) -> Tensor:
    """``fn`` of x's array, recorded under rule ``name``; a dtype numpy refuses is a clear TypeError."""
    x = as_tensor(x)
    try:
        data = fn(x._data)
    except TypeError:
        raise TypeError(f"{name}: not defined for dtype {x.dtype} (shape {x.shape})") from None
    return Tensor._make(data, (x,), name, ctx)


def zeros_for(g: Any) -> Any:
    """Exact zeros of g's shape and dtype, the gradient of a piecewise-constant op; a constant under
    create_graph (its own derivative is 0), and exact where g holds inf or NaN (0 * g would not be)."""
    if isinstance(g, Tensor):
        return Tensor._const(np.zeros(g.shape, g.dtype))
    return np.zeros(np.shape(g), np.result_type(g))
