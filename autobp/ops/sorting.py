"""Sorting and selection: sort, argsort (numpy's), topk and kthvalue (PyTorch's, as (values, indices)).
The order statistics (median, quantile, percentile and their NaN-ignoring forms) are in quantiles.py.

Values are differentiable: each one's gradient goes back to the element it came from. Every order is
stable (ties keep their order, as torch.sort's does), so which of tied elements is picked is defined.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import return_types as _rt
from .._broadcast import normalize_axes
from .._numpy_ops import DistinctIndex
from .._torch_out import takes_out
from ..rules import RULES, rule
from ..tensor import Tensor
from ._args import as_tensor, refuse_complex
from ._decl import op

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
    if isinstance(axis, (tuple, list)):
        raise TypeError(f"{name}: axis must be an int or None, got {axis!r}")
    if x.ndim == 0:  # axis 0 / -1 of a 0-d tensor: its one element, sorted as a 1-d tensor
        normalize_axes(axis, 1, name, x.shape)
        return x.reshape((1,)), 0
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


def _descending_by_position(kind: Any, descending: bool) -> tuple:
    """PyTorch's x.sort(dim, descending) / x.argsort(dim, descending): a bool where numpy takes ``kind``
    (always a string or None there) is PyTorch's ``descending``."""
    if isinstance(kind, (bool, np.bool_)):
        return None, bool(kind) or bool(descending)
    return kind, descending


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
    "a sorted copy where ndarray.sort() sorts in place and returns None",
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
    A bool in ``kind``'s place is PyTorch's positional ``descending`` (x.sort(dim, True)).
    """
    if order is not None:
        raise TypeError("sort: order= (fields of structured arrays) is not supported")
    kind, descending = _descending_by_position(kind, descending)
    _stable(kind, stable, "sort")
    x = as_tensor(x)
    scalar = x.ndim == 0 and (axis is not None or dim is not None)
    x, a = _sort_axis(x, axis, dim, "sort")
    out = gathered(x, stable_order(x._data, a, descending), a, "sort")
    return out.reshape(()) if scalar else out  # numpy refuses a 0-d sort along an axis; PyTorch's keeps 0-d


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
    A bool in ``kind``'s place is PyTorch's positional ``descending`` (x.argsort(dim, True)).
    """
    if order is not None:
        raise TypeError("argsort: order= (fields of structured arrays) is not supported")
    kind, descending = _descending_by_position(kind, descending)
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
@takes_out("topk", "exact", ("values", "indices"))
def topk(
    x: Any, k: int, dim: int = -1, largest: bool = True, sorted: bool = True, *, axis: Any = None
) -> _rt.topk:
    """The ``k`` largest (or smallest) elements along ``dim`` and their indices, as torch.topk.

    Returns ``return_types.topk`` (values, indices), values differentiable, always sorted (best first).
    """
    scalar = np.ndim(x.data if isinstance(x, Tensor) else x) == 0
    x, a, k, n = _pick(x, k, dim, axis, "topk")
    if not 0 <= k <= n:
        raise ValueError(f"topk: k={k} is out of range for dimension {a} of size {n} (shape {x.shape})")
    chosen = stable_order(x._data, a, descending=bool(largest))
    chosen = chosen[(slice(None),) * a + (slice(0, k),)]
    values = gathered(x, chosen, a, "topk")
    if scalar and k == 1:  # a 0-d input gives 0-d results, as PyTorch's
        values, chosen = values.reshape(()), chosen.reshape(())
    return _rt.topk._make((values, Tensor._const(chosen.astype(np.int64))))


@op(family=_O, numpy=None, differs=_TIES.format("kthvalue"))
@takes_out("kthvalue", "exact", ("values", "indices"))
def kthvalue(x: Any, k: int, dim: int = -1, keepdim: bool = False, *, axis: Any = None) -> _rt.kthvalue:
    """The ``k``-th smallest element (1-based) along ``dim`` and its index, as torch.kthvalue.

    Returns ``return_types.kthvalue`` (values, indices), values differentiable.
    """
    scalar = np.ndim(x.data if isinstance(x, Tensor) else x) == 0
    x, a, k, n = _pick(x, k, dim, axis, "kthvalue")
    if not 1 <= k <= n:
        raise ValueError(f"kthvalue: k={k} is out of range for dimension {a} of size {n} (shape {x.shape})")
    chosen = stable_order(x._data, a)[(slice(None),) * a + (slice(k - 1, k),)]
    values = gathered(x, chosen, a, "kthvalue")
    if not keepdim or scalar:  # a 0-d input gives 0-d results, as PyTorch's
        values, chosen = values.squeeze(a), chosen.squeeze(a)
    return _rt.kthvalue._make((values, Tensor._const(chosen.astype(np.int64))))


@rule("sort")  # ctx = the index each value was taken from (distinct): the gradient goes back there
def _sort(F, g, out, xs, ctx, need):
    return (F.scatter_add(g, ctx, xs[0].shape),)


RULES["topk"] = RULES["kthvalue"] = _sort
