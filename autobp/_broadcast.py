"""Undo numpy broadcasting on gradients, and normalise reduction axes (and the ctx reductions keep)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

from ._scalars import FLOATS

_add_reduce = np.add.reduce
_ONES: dict = {}  # (rows, dtype) -> a read-only vector of ones, for sum_leading


def sum_leading(g: np.ndarray, lead: Any, out: np.ndarray | None = None) -> np.ndarray:
    """``g`` summed over its leading axes ``lead`` (a bias's gradient). A float matrix's column sums
    are ones @ g, BLAS's matrix-vector product: a third to a quarter of add.reduce's time from (64, 2)
    to (256, 256). Eager and compiled steps both call this, so they sum alike, bit for bit."""
    if lead == 0 and g.ndim == 2 and g.dtype in FLOATS:
        key = (g.shape[0], g.dtype)
        ones = _ONES.get(key)
        if ones is None:
            ones = _ONES[key] = np.ones(key[0], key[1])
            ones.flags.writeable = False
        return np.dot(ones, g, out=out)
    return _add_reduce(g, lead, out=out)


class AxisError(np.exceptions.AxisError):
    """An axis out of range: both a ValueError and an IndexError, as numpy's AxisError is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)


class ShapeError(ValueError, RuntimeError):
    """Shapes, axes or arguments that do not fit the op: numpy's ValueError and PyTorch's
    RuntimeError both, so code written for either library catches it."""


class DTypeError(TypeError, RuntimeError):
    """A dtype the op is not defined for: numpy's TypeError and PyTorch's RuntimeError both."""


NEG_BOOL = (  # -x of a boolean x: numpy's words, then PyTorch's
    "The numpy boolean negative, the `-` operator, is not supported, use the `~` operator or the logical_not "
    "function instead. (Negation, the `-` operator, on a bool tensor is not supported. If you are trying to "
    "invert a mask, use the `~` or `logical_not()` operator instead.)"
)


@lru_cache(maxsize=4096)
def _reduction(gshape: tuple, shape: tuple) -> tuple:
    """The axes to sum a gradient of ``gshape`` over to get ``shape``: (leading, stretched)."""
    lead = len(gshape) - len(shape)
    if lead < 0:  # fewer axes than the input: only size-1 axes are missing
        return None, None
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and gshape[i + lead] != 1)
    return (0 if lead == 1 else tuple(range(lead))) if lead else None, stretched or None


def unbroadcast(g: Any, shape: tuple) -> Any:
    """Sum ``g`` (ndarray or Tensor) over the axes broadcasting added or stretched."""
    gshape = g.shape
    if gshape == shape:
        return g
    if len(gshape) < len(shape):  # a value with extra leading size-1 axes (x[i] = y): sum on the rest
        return unbroadcast(g, shape[len(shape) - len(gshape) :]).reshape(shape)
    lead, stretched = _reduction(gshape, shape)
    if type(g) is np.ndarray:  # what ndarray.sum calls, without its Python wrapper (a bias's gradient)
        if stretched is None:
            return g.reshape(shape) if lead is None else sum_leading(g, lead)
        if lead is not None:
            g = sum_leading(g, lead)
        return _add_reduce(g, stretched, keepdims=True)
    if lead is None and stretched is None:
        return g.reshape(shape)
    if lead is not None:
        g = g.sum(axis=lead)
    if stretched is not None:
        g = g.sum(axis=stretched, keepdims=True)
    return g


def normalize_axes(axis: Any, ndim: int, op: str, shape: tuple) -> tuple:
    """``axis`` (None, int or tuple, negatives allowed) as sorted non-negative ints."""
    if axis is None:
        return tuple(range(ndim))
    items = axis if isinstance(axis, (tuple, list)) else (axis,)
    out = []
    for a in items:
        if isinstance(a, bool) or not hasattr(a, "__index__"):
            raise TypeError(f"{op}: axis must be an int or a tuple of ints, got {axis!r}")
        a = a.__index__()
        if not -ndim <= a < ndim:
            raise AxisError(
                f"{op}: axis {a} is out of bounds for array of dimension {ndim} (numpy's words; out of range "
                f"for a tensor of shape {shape}; PyTorch: Dimension out "
                f"of range (expected to be in range of [{-max(ndim, 1)}, {max(ndim, 1) - 1}], but got {a}))"
            )
        a %= ndim
        if a in out:
            raise ShapeError(f"{op}: axis {a} is repeated in {axis!r}")
        out.append(a)
    return tuple(sorted(out))


def reduction_axes(axis: Any, ndim: int, op: str, shape: tuple) -> tuple:
    """``normalize_axes`` for reductions, where a 0-d tensor also takes axis 0 or -1 (or ``(0,)``,
    ``(-1,)``): its one element is the whole of that axis, so the reduction reduces over nothing and
    returns the element (numpy's ``sum(a0, axis=0)``, PyTorch's every reduction with dim 0 / -1)."""
    if ndim or axis is None:
        return normalize_axes(axis, ndim, op, shape)
    items = axis if isinstance(axis, (tuple, list)) else (axis,)
    for a in items:
        if isinstance(a, bool) or not hasattr(a, "__index__"):
            raise TypeError(f"{op}: axis must be an int or a tuple of ints, got {axis!r}")
        if a.__index__() not in (0, -1):
            raise AxisError(
                f"{op}: axis {a.__index__()} is out of range for a 0-d tensor (shape {shape}): "
                "only axis 0 or -1, its one element, can be reduced over"
            )
    if len(items) > 1:
        raise ShapeError(f"{op}: axis 0 is repeated in {axis!r} (a 0-d tensor has one axis to reduce over)")
    return ()


def one_axis(axis: Any, ndim: int, op: str, shape: tuple) -> tuple:
    """A single normalised axis (as a 1-tuple) for ops that normalise along one axis."""
    axes = normalize_axes(axis, ndim, op, shape)
    if len(axes) != 1:
        raise ValueError(f"{op}: needs a single axis, got axis={axis!r} for a tensor of shape {shape}")
    return axes


def count(shape: tuple, axes: tuple) -> int:
    """Number of elements a reduction over ``axes`` of ``shape`` combines."""
    n = 1
    for a in axes:
        n *= shape[a]
    return n


@lru_cache(maxsize=64)
def full_reduction(ndim: int) -> tuple:
    """The ctx of a reduction over every axis of an ``ndim``-d tensor, without keepdims."""
    return (tuple(range(ndim)), (1,) * ndim, None)


def reduction_ctx(axes: tuple, keepdims: bool, shape: tuple, extra: Any = None) -> tuple:
    """A reduction's ctx: its axes, the kept shape (None with keepdims) and op-specific data."""
    if not isinstance(keepdims, (bool, np.bool_)):
        raise TypeError(f"keepdims must be True or False, got {keepdims!r}")
    kept = None if keepdims else tuple(1 if i in axes else n for i, n in enumerate(shape))
    return (axes, kept, extra)
