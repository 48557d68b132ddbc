"""numpy's multidimensional histograms (histogram2d, histogramdd) on Tensors. As with histogram, the
counts and edges are constants; a weighted histogram is each bin's sum of weights, differentiable in
Tensor weights (divided by the total and the bin volumes with ``density``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import return_types as _rt
from ..tensor import Tensor
from ._decl import op
from .histograms import _bin_of
from .numpy_arrays import data_of
from .scatter import index_add
from .shape import reshape

_HD = "histograms"


def _sample(sample: Any) -> np.ndarray:
    """numpy's sample layout: an (N, D) array, or a sequence of D arrays of N values."""
    if isinstance(sample, (list, tuple)):
        return np.stack([np.ravel(data_of(s)) for s in sample], axis=1)
    a = data_of(sample)
    return a.reshape(-1, 1) if a.ndim == 1 else a


def _weighted(sample: np.ndarray, edges: list, density: Any, weights: Tensor) -> Tensor:
    """Each bin's sum of the weights of the samples in it, on numpy's bins (half open, the last one
    closed) of the given edges."""
    n, dims = sample.shape
    if weights.shape != (n,):
        raise ValueError(
            f"histogramdd: weights of shape {weights.shape} for {n} samples of {dims} dimensions"
        )
    inside = np.ones(n, bool)
    coords = []
    for i, e in enumerate(edges):
        idx, ok = _bin_of(sample[:, i], np.asarray(e))
        coords.append(idx)
        inside &= ok
    nbins = tuple(len(e) - 1 for e in edges)
    flat = np.ravel_multi_index(tuple(c[inside] for c in coords), nbins) if inside.any() else np.zeros(0, int)
    w = weights if weights.dtype.kind == "f" else weights.astype(np.float64)
    hist = index_add(
        Tensor._const(np.zeros(int(np.prod(nbins)), w.dtype)), 0, flat, w[np.flatnonzero(inside)]
    )
    hist = reshape(hist, nbins)
    if density:  # numpy: hist / (hist.sum() * volume of each bin)
        volume = np.ones(nbins)
        for i, e in enumerate(edges):
            shape = [1] * dims
            shape[i] = nbins[i]
            volume = volume * np.diff(e).reshape(shape)
        hist = hist / volume.astype(hist.dtype) / hist.sum()
    return hist


def _differentiable(weights: Any) -> bool:
    return isinstance(weights, Tensor) and weights.requires_grad


def _plain_bins(bins: Any) -> Any:
    """``bins`` with Tensors (a count, the edges, or a sequence of them) as their values: numpy given
    a Tensor would dispatch back to autobp."""
    if isinstance(bins, (list, tuple)):
        return [data_of(b) if isinstance(b, Tensor) else b for b in bins]
    return data_of(bins) if isinstance(bins, Tensor) else bins


def _plain_range(r: Any) -> Any:
    """``range`` (a Tensor, or a sequence of pairs that may hold Tensors) as plain values."""
    if isinstance(r, Tensor):
        return data_of(r)
    if isinstance(r, (list, tuple)):
        return [_plain_range(v) for v in r]
    return r


@op(family=_HD, rules=("index_put", "reshape", "div"), method=False)
def histogramdd(
    sample: Any, bins: Any = 10, range: Any = None, density: Any = None, weights: Any = None
) -> tuple:  # noqa: A002
    """(hist, edges) of N samples in D dimensions (numpy's histogramdd; ``sample`` an (N, D) array or
    D arrays of N values). Counts and edges are constants; with Tensor ``weights`` the hist is
    differentiable in the weights."""
    s = _sample(sample)
    bins, range = _plain_bins(bins), _plain_range(range)
    try:
        hist, edges = np.histogramdd(s, bins, range, density)
    except ValueError as e:
        raise ValueError(f"histogramdd: {e} (sample of shape {s.shape})") from None
    edge_ts = [Tensor._const(e) for e in edges]
    if not _differentiable(weights):
        w = None if weights is None else data_of(weights)
        return _rt.histogramdd._make((Tensor._const(np.histogramdd(s, bins, range, density, w)[0]), edge_ts))
    return _rt.histogramdd._make((_weighted(s, edges, density, weights), edge_ts))


@op(family=_HD, rules=("index_put", "reshape", "div"), method=False)
def histogram2d(
    x: Any, y: Any, bins: Any = 10, range: Any = None, density: Any = None, weights: Any = None
) -> tuple:  # noqa: A002
    """(hist, xedges, yedges) of the points (x, y) (numpy's histogram2d, x along the first axis).
    Counts and edges are constants; with Tensor ``weights`` the hist is differentiable in them."""
    xs, ys = np.ravel(data_of(x)), np.ravel(data_of(y))
    if xs.shape != ys.shape:
        raise ValueError(
            f"histogram2d: x and y must have the same length. (x of shape {np.shape(data_of(x))}, y of "
            f"{np.shape(data_of(y))})"
        )
    w = None if weights is None else data_of(weights)
    bins, range = _plain_bins(bins), _plain_range(range)
    try:
        hist, xe, ye = np.histogram2d(xs, ys, bins, range, density, w)
    except ValueError as e:
        raise ValueError(f"histogram2d: {e} (x and y of shape {xs.shape})") from None
    if not _differentiable(weights):
        return Tensor._const(hist), Tensor._const(xe), Tensor._const(ye)
    return (
        _weighted(np.stack([xs, ys], axis=1), [xe, ye], density, weights),
        Tensor._const(xe),
        Tensor._const(ye),
    )
