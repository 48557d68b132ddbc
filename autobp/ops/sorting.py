"""Sorting and selection: sort, argsort (numpy's), topk and kthvalue (PyTorch's, as (values, indices)),
and the order statistics median, quantile and percentile (numpy's).

Values are differentiable: each one's gradient goes back to the element it came from. Every order is
stable (ties keep their order, as torch.sort's does), so which of tied elements is picked is defined.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._broadcast import count, normalize_axes, reduction_ctx
from .._numpy_ops import DistinctIndex
from ..rules import RULES, rule
from ..tensor import Tensor
from ._args import as_tensor, axis_arg, keep_arg, refuse_complex
from ._decl import op
from .scans import ValuesIndices, _typed, raw

_O = "sorting"


def _sort_axis(x: Tensor, axis: Any, dim: Any, name: str) -> tuple:
    """The tensor to sort and its axis: numpy's axis=-1 default, None for the flattened tensor,
    PyTorch's ``dim`` in place of ``axis``."""
    refuse_complex(x, name)
    if dim is not None:
        if axis not in (None, -1) and axis != dim:
            raise TypeError(f"{name}: give axis= or dim=, not both")
        axis = dim
    if axis is None:
        return x.reshape((-1,)), 0
    if x.ndim == 0:
        raise ValueError(f"{name}: a 0-d tensor has no axis {axis} to sort along; use axis=None")
    if isinstance(axis, (tuple, list)):
        raise TypeError(f"{name}: axis must be an int or None, got {axis!r}")
    return x, normalize_axes(axis, x.ndim, name, x.shape)[0]


def stable_order(data: np.ndarray, axis: int, descending: bool = False) -> np.ndarray:
    """Stable sorting permutation along ``axis``: ascending, or descending with ties still in their
    original order (reverse, sort stably, reverse again). NaN sorts as the largest value either way."""
    if not descending:
        return np.argsort(data, axis=axis, kind="stable")
    n = data.shape[axis]
    backwards = np.argsort(np.flip(data, axis), axis=axis, kind="stable")
    return n - 1 - np.flip(backwards, axis)


def gathered(x: Tensor, indices: np.ndarray, axis: int, name: str) -> Tensor:
    """x's elements at ``indices`` along ``axis`` (distinct in each slice), recorded as op ``name``."""
    index = tuple(indices if i == axis else p for i, p in enumerate(np.indices(indices.shape, sparse=True)))
    index = DistinctIndex(index)  # a permutation, or part of one: the scatter may assign
    return Tensor._make(x._data[index], (x,), name, index)


def _stable(kind: Any, stable: Any, name: str) -> None:
    kinds = (None, "quicksort", "mergesort", "heapsort", "stable")
    if kind not in kinds:
        raise ValueError(f"{name}: kind must be one of {kinds[1:]}, got {kind!r}")
    if stable is False and kind == "stable":
        raise ValueError(f"{name}: kind='stable' contradicts stable=False")


@op(
    family=_O,
    differs="torch.sort returns (values, indices) and takes dim=, descending=, stable=; autobp's sort "
    "returns the sorted values as numpy's does (use argsort for the indices), and x.sort() returns "
    "a sorted copy where ndarray.sort() sorts in place (Tensors have no in-place ops)",
)
def sort(
    x: Any,
    axis: Any = -1,
    kind: Any = None,
    order: Any = None,
    *,
    stable: Any = None,
    descending: bool = False,
    dim: Any = None,
) -> Tensor:
    """Sorted values along ``axis`` (last by default; None: flattened), stable, optionally descending.

    Each value's gradient goes to the element it came from; ties keep their order (torch.sort's).
    """
    if order is not None:
        raise TypeError("sort: order= (fields of structured arrays) is not supported")
    _stable(kind, stable, "sort")
    x, a = _sort_axis(as_tensor(x), axis, dim, "sort")
    return gathered(x, stable_order(x._data, a, descending), a, "sort")


@op(family=_O, differentiable=False)
def argsort(
    x: Any,
    axis: Any = -1,
    kind: Any = None,
    order: Any = None,
    *,
    stable: Any = None,
    descending: bool = False,
    dim: Any = None,
) -> Tensor:
    """Indices that sort ``x`` along ``axis`` (int64, no gradient), in a stable order.

    Ties keep their order (numpy's default quicksort may order ties differently for long axes).
    """
    if order is not None:
        raise TypeError("argsort: order= (fields of structured arrays) is not supported")
    _stable(kind, stable, "argsort")
    x, a = _sort_axis(as_tensor(x), axis, dim, "argsort")
    return Tensor._const(stable_order(x._data, a, descending).astype(np.int64))


def _pick(x: Any, k: Any, dim: Any, axis: Any, name: str) -> tuple:
    x = as_tensor(x)
    x, a = _sort_axis(x.reshape((1,)) if x.ndim == 0 else x, axis if axis is not None else dim, None, name)
    if not isinstance(k, (int, np.integer)) or isinstance(k, bool):
        raise TypeError(f"{name}: k must be an integer, got {k!r}")
    return x, a, int(k), x.shape[a]


_TIES = (
    "among equal values, torch.{0} picks whichever its selection algorithm meets (not specified); "
    "autobp's picks them in a stable order (the first ones in the input come first)"
)


@op(family=_O, numpy=None, differs=_TIES.format("topk"))
def topk(
    x: Any, k: int, dim: int = -1, largest: bool = True, sorted: bool = True, *, axis: Any = None
) -> ValuesIndices:
    """The ``k`` largest (or smallest) elements along ``dim`` and their indices, as torch.topk.

    Returns (values, indices), values differentiable, always sorted (best first).
    """
    x, a, k, n = _pick(x, k, dim, axis, "topk")
    if not 0 <= k <= n:
        raise ValueError(f"topk: k={k} is out of range for dimension {a} of size {n} (shape {x.shape})")
    chosen = stable_order(x._data, a, descending=bool(largest))
    chosen = chosen[(slice(None),) * a + (slice(0, k),)]
    return ValuesIndices(gathered(x, chosen, a, "topk"), Tensor._const(chosen.astype(np.int64)))


@op(family=_O, numpy=None, differs=_TIES.format("kthvalue"))
def kthvalue(x: Any, k: int, dim: int = -1, keepdim: bool = False, *, axis: Any = None) -> ValuesIndices:
    """The ``k``-th smallest element (1-based) along ``dim`` and its index, as torch.kthvalue.

    Returns (values, indices), values differentiable.
    """
    x, a, k, n = _pick(x, k, dim, axis, "kthvalue")
    if not 1 <= k <= n:
        raise ValueError(f"kthvalue: k={k} is out of range for dimension {a} of size {n} (shape {x.shape})")
    chosen = stable_order(x._data, a)[(slice(None),) * a + (slice(k - 1, k),)]
    values = gathered(x, chosen, a, "kthvalue")
    if not keepdim:
        values, chosen = values.squeeze(a), chosen.squeeze(a)
    return ValuesIndices(values, Tensor._const(chosen.astype(np.int64)))


@rule("sort")  # ctx = the index each value was taken from (distinct): the gradient goes back there
def _sort(F, g, out, xs, ctx, need):
    return (F.scatter_add(g, ctx, xs[0].shape),)


RULES["topk"] = RULES["kthvalue"] = _sort


# --- order statistics over any axes: median, quantile, percentile ----------------------------
def _axes(x: Tensor, axis: Any, keepdims: Any, dim: Any, keepdim: Any, name: str) -> tuple:
    refuse_complex(x, name)
    axis, keepdims = axis_arg(axis, dim, name), keep_arg(keepdims, keepdim)
    return normalize_axes(axis, x.ndim, name, x.shape), keepdims


def _last(a: np.ndarray, axes: tuple) -> np.ndarray:
    """``a`` with the axes not in ``axes`` first (in order) and ``axes`` merged into one last axis."""
    keep = [i for i in range(a.ndim) if i not in axes]
    lead = tuple(a.shape[i] for i in keep)
    return np.transpose(a, keep + list(axes)).reshape(lead + (count(a.shape, axes),))


def _from_last(b: np.ndarray, axes: tuple, shape: tuple) -> np.ndarray:
    """The inverse of ``_last``: ``b`` (lead + (n,)) back in the layout of an array of ``shape``."""
    keep = [i for i in range(len(shape)) if i not in axes]
    perm = keep + list(axes)
    b = b.reshape(tuple(shape[i] for i in perm))
    return np.transpose(b, np.argsort(perm))


def _nonempty(x: Tensor, axes: tuple, name: str) -> None:
    if x.size == 0:
        raise ValueError(f"{name}: tensor of shape {x.shape} is empty (over axes {axes})")


@op(
    family=_O,
    differs="torch.median returns the lower of the two middle values for an even count (and, with "
    "dim, (values, indices)); autobp's median is numpy's: the mean of the two middle values",
)
def median(
    x: Any,
    axis: Any = None,
    out: Any = None,
    overwrite_input: bool = False,
    keepdims: bool = False,
    *,
    dim: Any = None,
    keepdim: Any = None,
) -> Tensor:
    """Median over ``axis``, numpy's: the mean of the two middle values for an even count.

    The gradient of a middle value is split equally among the elements equal to it (torch.median's).
    """
    x = _typed(as_tensor(x), None, out, "median")
    axes, keepdims = _axes(x, axis, keepdims, dim, keepdim, "median")
    _nonempty(x, axes, "median")
    data = x._data
    y = _last(data, axes)
    n = y.shape[-1]
    s = np.sort(y, axis=-1)
    share = np.zeros(y.shape, dtype=data.dtype if data.dtype.kind == "f" else np.float64)
    for k in ((n - 1) // 2, n // 2):  # the two middle positions (one position twice for odd n)
        tied = y == s[..., k : k + 1]
        share += 0.5 * tied / np.maximum(tied.sum(axis=-1, keepdims=True), 1)
    ctx = reduction_ctx(axes, keepdims, x.shape, _from_last(share, axes, x.shape))
    return Tensor._make(np.median(data, axis=axes, keepdims=keepdims), (x,), "median", ctx)


def _quantile(x, q, axis, out, method, keepdims, weights, interpolation, dim, keepdim, scale, name):
    x = _typed(as_tensor(x), None, out, name)
    method = interpolation if interpolation is not None else method
    if method != "linear":
        raise ValueError(f"{name}: only method='linear' (numpy's default) is supported, got {method!r}")
    if weights is not None:
        raise ValueError(f"{name}: weights= needs method='inverted_cdf', which autobp does not have")
    qs = np.asarray(raw(q) if isinstance(q, Tensor) else q, dtype=np.float64)
    if not np.all((qs >= 0) & (qs <= scale)):
        raise ValueError(f"{name}: q must lie in [0, {scale:g}], got {qs.tolist()}")
    axes, keepdims = _axes(x, axis, keepdims, dim, keepdim, name)
    _nonempty(x, axes, name)
    if x.ndim == 0 or not axes:  # nothing to gather along: quantiles of one-element slices
        x, axes = x.reshape(x.shape + (1,)), (x.ndim,)
        keepdims = False
    data = x._data
    qv = q if isinstance(q, (int, float, np.number)) else qs  # numpy's result dtype depends on which
    values = (np.quantile if scale == 1 else np.percentile)(data, qv, axis=axes, keepdims=keepdims)
    # the gradient: numpy's linear method is (1 - t) s[i] + t s[i + 1] of the sorted slice s, at
    # i + t = q (n - 1); s[i] comes from the element a stable sort puts at i (as torch.quantile)
    y = _last(data, axes)
    n, lead = y.shape[-1], y.shape[:-1]
    order = np.argsort(y, axis=-1, kind="stable")
    at = qs / scale * (n - 1)
    below = np.floor(at).astype(np.intp)
    t = (at - below).reshape(qs.shape + (1,) * len(lead))
    keep = [i for i in range(x.ndim) if i not in axes]
    kept = [k.reshape((1,) * qs.ndim + k.shape) for k in np.indices(lead, sparse=True)]
    picks = []
    for position, weight in ((below, 1.0 - t), (np.minimum(below + 1, n - 1), t)):
        source = np.moveaxis(
            np.take(order, position, axis=-1), range(len(lead)), range(qs.ndim, qs.ndim + len(lead))
        )
        coords = dict(zip(axes, np.unravel_index(source, tuple(x.shape[a] for a in axes))))
        coords.update(zip(keep, kept))
        picks.append((tuple(coords[i] for i in range(x.ndim)), weight.astype(values.dtype)))
    return Tensor._make(values, (x,), "quantile", (qs.shape + lead, picks))


@op(family=_O)
def quantile(
    x: Any,
    q: Any,
    axis: Any = None,
    out: Any = None,
    overwrite_input: bool = False,
    method: str = "linear",
    keepdims: bool = False,
    *,
    weights: Any = None,
    interpolation: Any = None,
    dim: Any = None,
    keepdim: Any = None,
) -> Tensor:
    """q-th quantile(s) over ``axis``, numpy's 'linear' method (q in [0, 1], scalar or array).

    The result has q's axes first; each value's gradient goes to its two neighbours in sorted order.
    """
    return _quantile(x, q, axis, out, method, keepdims, weights, interpolation, dim, keepdim, 1, "quantile")


@op(family=_O, rules=("quantile",))
def percentile(
    x: Any,
    q: Any,
    axis: Any = None,
    out: Any = None,
    overwrite_input: bool = False,
    method: str = "linear",
    keepdims: bool = False,
    *,
    weights: Any = None,
    interpolation: Any = None,
    dim: Any = None,
    keepdim: Any = None,
) -> Tensor:
    """q-th percentile(s) over ``axis``: quantile at q / 100 (numpy's 'linear' method)."""
    return _quantile(
        x, q, axis, out, method, keepdims, weights, interpolation, dim, keepdim, 100, "percentile"
    )


@rule("quantile")  # ctx = (shape of g without kept axes, [(index into x, weight)] for the two neighbours)
def _quantile_rule(F, g, out, xs, ctx, need):
    g = g.reshape(ctx[0])
    (low, w_low), (high, w_high) = ctx[1]
    shape = xs[0].shape
    return (F.scatter_add(g * w_low, low, shape) + F.scatter_add(g * w_high, high, shape),)


# median weights g by a constant share of each element (ctx[2]), as max and min do
RULES["median"] = RULES["max"]
