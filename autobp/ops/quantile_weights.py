"""numpy's weighted quantiles (``weights=``, method 'inverted_cdf' only, as numpy's): each value is
the first element of the sorted slice whose cumulative weight reaches q of the slice's total; its
gradient goes to that element. numpy checks the weights and computes the values; this finds the
sorted position each value is taken from."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from ..tensor import Tensor


def full_weights(weights: Any, shape: tuple, axis: Any, name: str) -> np.ndarray:
    """``weights`` broadcast to the input's ``shape`` as numpy's quantile does (the input's shape,
    or the shape of the reduced axes given as ``axis``); numpy's errors for the others."""
    w = np.asarray(weights._data if isinstance(weights, Tensor) else weights)
    if w.dtype.kind not in "biuf":
        try:  # numpy takes Python numbers in an object array
            w = w.astype(np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"{name}: weights must be real numbers, got dtype {w.dtype}") from None
    if w.shape == tuple(shape):
        return w
    if axis is None:
        raise TypeError(f"{name}: Axis must be specified when shapes of a and weights differ.")
    axes = tuple(normalize_axis_tuple(axis, len(shape)))
    if w.shape != tuple(shape[a] for a in axes):
        raise ValueError(f"{name}: Shape of weights must be consistent with shape of a along specified axis.")
    w = w.transpose(np.argsort(axes))
    w = w.reshape(tuple(s if i in axes else 1 for i, s in enumerate(shape)))
    return np.broadcast_to(w, shape)


def weighted_positions(
    levels: np.ndarray, weights_last: np.ndarray, order: np.ndarray, n: np.ndarray
) -> np.ndarray:
    """The sorted position (as a float, for ``_neighbours``' 'linear' with weight 0 on the next one)
    of each level's weighted inverted-CDF quantile per slice: the first position whose normalised
    cumulative weight is >= the level (numpy's searchsorted 'left'), at most n - 1. ``weights_last``
    has the slices on its last axis (as ``order``, the stable sort of each slice); elements past the
    slice's n (NaNs, sorted last) weigh nothing."""
    ws = np.take_along_axis(weights_last, order, axis=-1).astype(np.float64)
    size = ws.shape[-1]
    ws = np.where(np.arange(size) < np.asarray(n)[..., None], ws, 0.0)
    cdf = np.cumsum(ws, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        cdf = cdf / cdf[..., -1:]
    lv = levels.reshape(levels.shape + (1,) * (cdf.ndim - 1) + (1,))
    k = (cdf < lv).sum(axis=-1)  # searchsorted(cdf, level, 'left') of each slice
    return np.minimum(k, np.maximum(np.asarray(n) - 1, 0)).astype(np.float64)
