"""Helpers of the NaN-ignoring reductions in ``reductions.py`` (nansum, nanmean, nanmax, nanmin):
the mask of counted elements (not NaN, and selected by numpy's ``where=``) and the extremes."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .._broadcast import reduction_axes, reduction_ctx
from ..tensor import Tensor
from ._args import as_tensor, axis_arg, keep_arg, refuse_complex
from .scans import _typed


def _present(data: np.ndarray) -> np.ndarray:
    return ~np.isnan(data) if data.dtype.kind == "f" else np.ones(data.shape, dtype=bool)


def inexact_dtype(x: Tensor, dtype: Any, name: str) -> None:
    """numpy's rule for nanmean/nanvar/nanstd: a float or complex input keeps an inexact dtype."""
    if dtype is not None and x.dtype.kind in "fc" and np.dtype(dtype).kind not in "fc":
        raise TypeError(f"{name}: If a is inexact, then dtype must be inexact (got {np.dtype(dtype)})")


def _nan_reduction(x, axis, dtype, out, keepdims, dim, keepdim, name, where_=True):
    if name == "nanmean":
        inexact_dtype(as_tensor(x), dtype, name)
    x = as_tensor(x)
    if dtype is not None and x.dtype.kind in "fc" and np.dtype(dtype).kind not in "fc":
        x = Tensor._const(np.where(np.isnan(x._data), 0, x._data))  # numpy: NaN is 0 before the cast
    x = _typed(x, dtype, out, name)
    axis, keepdims = axis_arg(axis, dim, name), keep_arg(keepdims, keepdim)
    axes = reduction_axes(axis, x.ndim, name, x.shape)
    present = _present(x._data)
    if where_ is not True:  # numpy's where=: the elements left out count as NaNs do (not at all)
        mask = np.asarray(where_._data if isinstance(where_, Tensor) else where_, dtype=bool)
        present = present & np.broadcast_to(mask, x.shape)
    return x, axes, keepdims, x._data, present


def _numpy_extras(initial: Any, where_: Any) -> dict:
    """numpy's initial= and where= as given (left out when not)."""
    extra = {} if initial is None else {"initial": initial}
    if where_ is not True:
        extra["where"] = np.asarray(where_._data if isinstance(where_, Tensor) else where_, dtype=bool)
    return extra


def _share_dtype(data: np.ndarray) -> Any:
    return data.dtype if data.dtype.kind == "f" else np.float64


def _nan_extreme(x, axis, out, keepdims, dim, keepdim, name, fn, fill, initial=None, where_=True):
    x, axes, keepdims, data, present = _nan_reduction(
        x, axis, None, out, keepdims, dim, keepdim, name, where_
    )
    refuse_complex(x, name)
    for a in axes:
        if x.shape[a] == 0 and initial is None:
            raise ValueError(f"{name}: cannot reduce over empty axis {a} of shape {x.shape}")
    if initial is not None or where_ is not True:  # numpy's initial= / where=: numpy's value
        filled = np.where(present, data, fill)
        kept = fn(filled, axis=axes, keepdims=True, initial=fill if initial is None else initial)
        value = getattr(np, name)(data, axis=axes, keepdims=keepdims, **_numpy_extras(initial, where_))
    else:
        filled = np.where(present, data, fill) if data.dtype.kind == "f" else data
        kept = fn(filled, axis=axes, keepdims=True)
        value = kept
        if data.dtype.kind == "f":
            found = present.any(axis=axes, keepdims=True)
            value = np.where(found, kept, np.nan)
            if not found.all():  # numpy's warning, its category and words
                warnings.warn("All-NaN slice encountered", RuntimeWarning, stacklevel=4)
        if not keepdims:
            value = np.squeeze(value, axis=axes)
    hit = (filled == kept) & present
    share = (hit / np.maximum(hit.sum(axis=axes, keepdims=True), 1)).astype(_share_dtype(data))
    return Tensor._make(value, (x,), name, reduction_ctx(axes, keepdims, x.shape, share))
