"""jax.scipy.stats' sample summaries with scipy.stats' values: sem (differentiable, composed of
autobp's std/nanstd), and mode and rankdata (piecewise constant in the data: computed on the
numbers, no gradient). Arrays in, arrays out; a Tensor in, Tensors out."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from .._plain import has_tensor, to_plain
from ..tensor import Tensor
from ._common import arg, data

_NAN_POLICIES = ("propagate", "omit", "raise")


class ModeResult(NamedTuple):
    """scipy.stats.mode's result: the most frequent value (the smallest among ties) and its count."""

    mode: Any
    count: Any


def _policy(name: str, nan_policy: str, values: np.ndarray) -> None:
    if nan_policy not in _NAN_POLICIES:
        raise ValueError(f"{name}: nan_policy must be one of {_NAN_POLICIES}, got {nan_policy!r}")
    if nan_policy == "raise" and values.dtype.kind in "fc" and np.isnan(values).any():
        raise ValueError(f"{name}: the input contains nan (nan_policy='raise')")


def sem(
    a: Any, axis: Any = 0, ddof: int = 1, nan_policy: str = "propagate", *, keepdims: bool = False
) -> Any:
    """Standard error of the mean, std(a, ddof) / sqrt(n) along ``axis`` (all entries for None);
    ``nan_policy="omit"`` leaves nans out of both (scipy's). Differentiable in ``a``."""
    import autobp

    x = arg(a)
    _policy("sem", nan_policy, np.asarray(data(x)))
    if x.dtype.kind not in "fc":
        x = x.astype(np.float64)
    if axis is None:
        shape = (1,) * x.ndim
        x, axis = x.reshape(-1), 0
    else:
        shape = None
    with np.errstate(all="ignore"):
        if nan_policy == "omit":
            n = np.sum(~np.isnan(data(x)), axis=axis, keepdims=keepdims and shape is None)
            out = autobp.nanstd(x, axis=axis, ddof=ddof, keepdims=keepdims and shape is None)
        else:
            n = x.shape[axis]
            out = autobp.std(x, axis=axis, ddof=ddof, keepdims=keepdims and shape is None)
        out = out / np.sqrt(np.asarray(n, dtype=data(out).dtype))
    if shape is not None and keepdims:
        out = out.reshape(shape)
    return out if has_tensor([a]) else to_plain(out)


def mode(a: Any, axis: Any = 0, nan_policy: str = "propagate", keepdims: bool = False) -> ModeResult:
    """The most frequent value along ``axis`` (all entries for None) and its count; the smallest
    value among ties, nans counted as equal to each other and above every number (scipy's
    "propagate"), left out with "omit"; an empty slice gives (nan, 0)."""
    x = np.asarray(data(arg(a)))
    _policy("mode", nan_policy, x)
    ndim, flat = x.ndim, axis is None
    if flat:
        x, axis = x.reshape(-1), 0
    axis = axis + x.ndim if axis < 0 else axis
    if not 0 <= axis < max(x.ndim, 1):
        raise ValueError(f"mode: axis {axis} is out of range for an array of {ndim} dimensions")
    x = np.moveaxis(np.atleast_1d(x), axis, -1)
    omit = nan_policy == "omit" and x.dtype.kind in "fc"
    lead = x.shape[:-1]
    if x.shape[-1] == 0 or (omit and np.isnan(x).all()):
        modes, counts = np.full(lead, np.nan), np.zeros(lead)
    else:
        modes = np.empty(lead, dtype=np.float64 if omit else x.dtype)
        counts = np.zeros(lead, dtype=np.int64)
        for idx in np.ndindex(*lead):
            row = x[idx]
            if omit:
                row = row[~np.isnan(row)]
            if row.size == 0:
                modes[idx], counts[idx] = np.nan, 0
                continue
            values, n = np.unique(row, return_counts=True)  # sorted, nans (equal) last
            best = int(np.argmax(n))
            modes[idx], counts[idx] = values[best], n[best]
    if keepdims and flat:  # axis=None: one entry per dimension of a
        modes, counts = modes.reshape((1,) * max(ndim, 1)), counts.reshape((1,) * max(ndim, 1))
    elif keepdims:
        modes, counts = np.expand_dims(modes, axis), np.expand_dims(counts, axis)
    return _result(a, modes, counts)


def _result(a: Any, modes: np.ndarray, counts: np.ndarray) -> ModeResult:
    if has_tensor([a]):
        return ModeResult(Tensor._const(np.asarray(modes)), Tensor._const(np.asarray(counts)))
    return ModeResult(modes[()] if modes.ndim == 0 else modes, counts[()] if counts.ndim == 0 else counts)


def rankdata(a: Any, method: str = "average", *, axis: Any = None, nan_policy: str = "propagate") -> Any:
    """Ranks 1..n of the entries (of the flattened array for ``axis=None``, else along ``axis``);
    ties by ``method``: "average", "min", "max", "dense" or "ordinal" (order of appearance). A slice
    containing nan is all nan ("propagate"); floats for "average" and with nans, else integers."""
    if method not in ("average", "min", "max", "dense", "ordinal"):
        raise ValueError(f"rankdata: unknown method {method!r}")
    if nan_policy not in ("propagate", "raise"):
        raise ValueError(f"rankdata: nan_policy must be 'propagate' or 'raise', got {nan_policy!r}")
    x = np.asarray(data(arg(a)))
    _policy("rankdata", nan_policy, x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    x = np.moveaxis(np.atleast_1d(x), axis, -1)
    floats = method == "average" or (x.dtype.kind in "fc" and np.isnan(x).any())
    out = np.zeros(x.shape, dtype=np.float64 if floats else np.int64)
    for idx in np.ndindex(*x.shape[:-1]):
        out[idx] = _ranks(x[idx], method)
    out = np.moveaxis(out, -1, axis)
    return Tensor._const(out) if has_tensor([a]) else out


def _ranks(row: np.ndarray, method: str) -> np.ndarray:
    if row.size == 0:
        return row.astype(np.float64)
    if row.dtype.kind in "fc" and np.isnan(row).any():
        return np.full(row.shape, np.nan)
    order = np.argsort(row, kind="mergesort")
    inverse = np.empty(row.size, dtype=np.int64)
    inverse[order] = np.arange(row.size)
    if method == "ordinal":
        return inverse + 1
    s = row[order]
    first = np.r_[True, s[1:] != s[:-1]]
    dense = np.cumsum(first)[inverse]
    if method == "dense":
        return dense
    ends = np.r_[np.nonzero(first)[0], row.size]  # run starts, then n
    if method == "max":
        return ends[dense]
    if method == "min":
        return ends[dense - 1] + 1
    return 0.5 * (ends[dense] + ends[dense - 1] + 1)
