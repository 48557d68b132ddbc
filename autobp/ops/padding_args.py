"""numpy's pad arguments: ``pad_width`` (an int, a pair, one pair per axis, or a dict of axis to
width) checked and broadcast with numpy's errors, the ``stat_length`` of 0 numpy refuses for maximum
and minimum, and a callable ``mode`` (numpy's legacy ``mode=function(vector, pad_width, iaxis,
kwargs)`` writing the pads in place)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..tensor import Tensor


def _dict_widths(pad_width: dict, ndim: int) -> list:
    """numpy 2.3's dict form: ``{axis: width or (before, after)}``, other axes unpadded."""
    seq = [(0, 0)] * ndim
    for axis, width in pad_width.items():
        if not isinstance(axis, (int, np.integer)) or not -ndim <= axis < ndim:
            raise ValueError(f"pad: axis {axis!r} of pad_width is out of range for {ndim} axes")
        if isinstance(width, (int, np.integer)) and not isinstance(width, bool):
            seq[axis] = (width, width)
        elif (
            isinstance(width, tuple)
            and len(width) == 2
            and all(isinstance(w, (int, np.integer)) and not isinstance(w, bool) for w in width)
        ):
            seq[axis] = tuple(width)
        else:
            raise TypeError(f"pad: pad_width[{axis!r}] must be an int or a pair of ints, got {width!r}")
    return seq


def pad_widths(pad_width: Any, ndim: int) -> list:
    """One ``(before, after)`` pair of ints per axis, as numpy's pad reads ``pad_width``: its
    TypeError for non-integer widths, ValueError for negative ones or a shape that does not fit."""
    if isinstance(pad_width, dict):
        pad_width = _dict_widths(pad_width, ndim)
    if isinstance(pad_width, Tensor):
        pad_width = pad_width.numpy()
    try:
        a = np.asarray(pad_width)
    except (ValueError, TypeError):
        raise TypeError(f"`pad_width` must be of integral type. (got {pad_width!r})") from None
    if a.dtype.kind != "i":  # numpy's words (it accepts only signed integer arrays)
        raise TypeError(f"`pad_width` must be of integral type. (got {pad_width!r}, dtype {a.dtype})")
    if a.size and a.min() < 0:
        raise ValueError(f"pad: index can't contain negative values (pad_width {pad_width!r})")
    if a.ndim < 3 and a.size == 1:
        a = np.broadcast_to(a.ravel(), (2,))
    elif a.ndim < 3 and a.size == 2 and a.shape != (2, 1):
        a = a.ravel()
    try:
        pw = np.broadcast_to(a, (ndim, 2))
    except ValueError as e:
        raise ValueError(f"pad: pad_width of shape {a.shape} does not fit {ndim} axes ({e})") from None
    return [(int(b), int(e)) for b, e in pw]


def check_stat_length(mode: str, stat_length: Any, shape: tuple) -> None:
    """numpy refuses a ``stat_length`` of 0 for maximum and minimum on every axis of a non-empty
    array, padded or not (there is no value to take)."""
    if mode not in ("maximum", "minimum") or stat_length is None or 0 in shape:
        return
    from .padding_numpy import as_pairs

    for (lb, la), n in zip(as_pairs(stat_length, len(shape), "stat_length", index=True), shape):
        left = n if lb is None or lb > n else lb  # n: the unpadded length along the axis
        right = n if la is None or la > n else la
        if left == 0 or right == 0:
            raise ValueError(f"stat_length of 0 yields no value for padding (stat_length {stat_length!r})")


def pad_with_function(x: Tensor, widths: list, fn: Callable, kwargs: dict) -> Tensor:
    """numpy's callable mode: the array zero-padded, then ``fn(vector, (before, after), axis,
    kwargs)`` called on every 1-d line along each axis in turn, writing the pads in place. The
    function works on numpy arrays, so the result is a constant: refused for an input that requires
    a gradient (its gradient would be silently lost)."""
    from .._graph import _mode

    if _mode.enabled and x.requires_grad:
        raise TypeError(
            f"pad: a callable mode ({getattr(fn, '__name__', fn)!r}) writes numpy arrays in place, so no "
            f"gradient can reach the input of shape {x.shape}; use a named mode, or pad x.detach()"
        )
    padded = np.pad(x._data, widths, mode="constant")
    for axis in range(padded.ndim):
        view = np.moveaxis(padded, axis, -1)
        for ind in np.ndindex(view.shape[:-1]):
            fn(view[ind + (Ellipsis,)], widths[axis], axis, kwargs)
    return Tensor._const(padded)
