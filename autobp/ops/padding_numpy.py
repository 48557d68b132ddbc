"""numpy's pad modes that compute their values: linear_ramp (``end_values``), maximum, minimum, mean
and median (``stat_length``), and empty.

Each axis is padded in turn, later axes seeing the earlier ones padded, as numpy does. For float and
complex inputs the pads are composed of differentiable ops (slices, reductions, arithmetic,
concatenate), so gradients reach the elements the statistics and ramps read; integer and bool inputs
(which carry no gradient) are padded by numpy itself, with its rounding."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor

STAT_MODES = ("maximum", "minimum", "mean", "median")
VALUE_MODES = (*STAT_MODES, "linear_ramp", "empty")


def as_pairs(x: Any, ndim: int, who: str, *, index: bool = False) -> list:
    """numpy's (before, after) pair per axis from a scalar, (v,), (before, after) or one pair per axis;
    ``index``: rounded to non-negative integers (None stays None)."""
    if x is None:
        return [(None, None)] * ndim
    a = np.asarray(x)
    if index:
        a = np.round(a).astype(np.intp)
        if (a < 0).any():
            raise ValueError(f"pad: index can't contain negative values ({who} {x!r})")
    if a.ndim < 3 and a.size == 1:
        v = a.ravel()[0]
        return [(v, v)] * ndim
    if a.ndim < 3 and a.size == 2 and a.shape != (2, 1):
        b, e = a.ravel()
        return [(b, e)] * ndim
    try:
        return [tuple(p) for p in np.broadcast_to(a, (ndim, 2)).tolist()]
    except ValueError:
        raise ValueError(f"pad: {who} {x!r} does not fit {ndim} axes") from None


def _at(axis: int, sl: slice) -> tuple:
    return (slice(None),) * axis + (sl,)


def _stat(chunk: Tensor, mode: str, axis: int) -> Tensor:
    from . import max as amax
    from . import mean, median
    from . import min as amin

    fn = {"maximum": amax, "minimum": amin, "mean": mean, "median": median}[mode]
    return fn(chunk, axis=axis, keepdims=True)


def _side_values(x: Tensor, axis: int, width: int, mode: str, stat_len: Any, end: Any, left: bool) -> Tensor:
    """The ``width`` values padded on one side of ``axis``."""
    from . import arange, broadcast_to, flip

    n = x.shape[axis]
    shape = x.shape[:axis] + (width,) + x.shape[axis + 1 :]
    if mode == "linear_ramp":  # numpy's linspace(end, edge, width, endpoint=False): i * step + end
        edge = x[_at(axis, slice(0, 1) if left else slice(n - 1, n))]
        wide = np.result_type(x.dtype, np.float64)  # numpy's linspace computes in float64
        step = (edge.astype(wide) - end) / width
        i = arange(width, dtype=np.float64).reshape((1,) * axis + (width,) + (1,) * (x.ndim - axis - 1))
        ramp = i * step + end
        ramp = ramp.astype(x.dtype) if ramp.dtype != x.dtype else ramp
        return ramp if left else flip(ramp, axis)
    length = n if stat_len is None or stat_len > n else int(stat_len)
    if length == 0 and mode in ("maximum", "minimum"):
        raise ValueError("stat_length of 0 yields no value for padding")
    chunk = x[_at(axis, slice(0, length) if left else slice(n - length, n))]
    return broadcast_to(_stat(chunk, mode, axis), shape)


def pad_values(x: Tensor, widths: list, mode: str, kwargs: dict) -> Tensor:
    """``x`` padded by ``widths`` in one of ``VALUE_MODES`` (keywords already checked)."""
    from . import concatenate, pad

    if mode == "empty":  # numpy leaves the pad uninitialised: zeros here
        return pad(x, widths, mode="constant")
    if x.dtype.kind not in "fc":  # no gradient to carry: numpy's own values and rounding
        data = np.pad(x._data, widths, mode=mode, **kwargs) if x.ndim else x._data.copy()
        return Tensor._const(data)
    if x.ndim == 0:  # nothing to pad (numpy returns the value)
        return x[()]
    stats = as_pairs(kwargs.get("stat_length"), x.ndim, "stat_length", index=True)
    ends = as_pairs(kwargs.get("end_values", 0), x.ndim, "end_values")
    for axis, (b, a) in enumerate(widths):
        if not (b or a):
            continue
        if x.shape[axis] == 0:
            raise ValueError(f"pad: cannot pad an empty axis of shape {x.shape} in mode {mode!r}")
        parts = [x]
        if b:
            parts.insert(0, _side_values(x, axis, b, mode, stats[axis][0], ends[axis][0], True))
        if a:
            parts.append(_side_values(x, axis, a, mode, stats[axis][1], ends[axis][1], False))
        x = concatenate(parts, axis=axis)
    return x


def pad_odd(x: Tensor, widths: list, mode: str) -> Tensor:
    """numpy's ``reflect_type='odd'`` for reflect and symmetric: the pad is 2 * edge - the mirrored
    values, numpy repeating that from the new edge when a pad is longer than the axis. Along each axis
    it is a linear map of the line, found by padding the identity with numpy and applied with
    tensordot (differentiable); integer and bool inputs are padded by numpy itself."""
    from . import moveaxis, tensordot

    if x.dtype.kind not in "fc":
        data = np.pad(x._data, widths, mode=mode, reflect_type="odd") if x.ndim else x._data.copy()
        return Tensor._const(data)
    if x.ndim == 0:
        return x[()]
    for axis, (b, a) in enumerate(widths):
        if not (b or a):
            continue
        n = x.shape[axis]
        if n == 0:
            raise ValueError(f"pad: cannot pad an empty axis of shape {x.shape} in mode {mode!r}")
        m = np.pad(np.eye(n), ((b, a), (0, 0)), mode=mode, reflect_type="odd")
        m = m.astype(np.result_type(x.dtype.type(0).real, np.float16))
        x = moveaxis(tensordot(Tensor._const(m), x, axes=([1], [axis])), 0, axis)
    return x
