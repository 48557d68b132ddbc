"""Undo numpy broadcasting on gradients, and normalise reduction axes."""

from __future__ import annotations

from typing import Any


def unbroadcast(g: Any, shape: tuple) -> Any:
    """Sum ``g`` (ndarray or Tensor) over the axes broadcasting added or stretched."""
    gshape = g.shape
    if gshape == shape:
        return g
    lead = len(gshape) - len(shape)
    if lead < 0:  # a gradient with fewer axes than its input: only size-1 axes are missing
        return g.reshape(shape)
    if lead:
        g = g.sum(axis=0 if lead == 1 else tuple(range(lead)))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and gshape[i + lead] != 1)
    if stretched:
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
            raise ValueError(f"{op}: axis {a} is out of range for a tensor of shape {shape}")
        a %= ndim
        if a in out:
            raise ValueError(f"{op}: axis {a} is repeated in {axis!r}")
        out.append(a)
    return tuple(sorted(out))
