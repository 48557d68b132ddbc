"""numpy's histogram and histogram_bin_edges on Tensors. Counts are piecewise constant in the data,
so they are constants (numpy's values and dtypes); weighted histograms are sums of the weights, so
they are differentiable in ``weights`` (and stay so with ``density``)."""

from __future__ import annotations

import operator
from typing import Any

import numpy as np

from .. import return_types as _rt
from .._broadcast import ShapeError
from .._torch_out import takes_out
from ..tensor import Tensor
from ._args import as_tensor
from ._decl import op
from .indexing import take
from .scatter import index_add

_H = "histograms"


def _data(x: Any) -> Any:
    return x._data if isinstance(x, Tensor) else x


def _range(r: Any) -> Any:
    """``range=`` with Tensors (the pair, or either bound) as their values: numpy given a Tensor
    dispatches back to autobp, which refuses numpy's internal subtract(..., dtype=)."""
    if isinstance(r, (list, tuple)):
        return type(r)(_data(v) for v in r)
    return _data(r)


def _bin_of(a: np.ndarray, edges: np.ndarray) -> tuple:
    """Each value's bin (numpy's half-open bins, the last one closed) and which values fall in one."""
    idx = np.searchsorted(edges, a, side="right") - 1
    idx[a == edges[-1]] = len(edges) - 2  # the last bin includes its right edge
    inside = (a >= edges[0]) & (a <= edges[-1])
    return idx, inside


@op(
    family=_H,
    rules=("index_put", "div"),
    method=False,
    differs="torch.histogram returns float counts and spells the weights weight=; autobp's is numpy's "
    "(integer counts unless weighted or density, weights=)",
)
@takes_out("histogram", "cast", ("hist", "bin_edges"))
def histogram(a: Any, bins: Any = 10, range: Any = None, density: Any = None, weights: Any = None) -> tuple:  # noqa: A002
    """(hist, bin_edges) of the flattened ``a`` (numpy's histogram; ``bins`` a count, edges or an
    estimator's name). Counts and edges are constants: a gets no gradient (as torch.histogram, the
    counts only jump). With Tensor ``weights``, hist (each bin's sum of weights, divided by the total
    and the bin widths with ``density``) is differentiable in the weights.
    """
    x = as_tensor(a)
    if x.dtype.kind == "c":
        raise TypeError(f"histogram: complex data (dtype {x.dtype}, shape {x.shape}) has no order to bin")
    if not isinstance(weights, Tensor) or not weights.requires_grad:
        try:
            hist, edges = np.histogram(x._data, _data(bins), _range(range), density, _data(weights))
        except ValueError as e:
            raise ValueError(f"histogram: {e} (a of shape {x.shape})") from None
        return _rt.histogram._make((Tensor._const(hist), Tensor._const(edges)))
    if weights.shape != x.shape:
        raise ValueError(f"histogram: weights of shape {weights.shape} do not match a of shape {x.shape}")
    edges = np.histogram_bin_edges(x._data, _data(bins), _range(range), weights._data)
    idx, inside = _bin_of(x._data.ravel(), edges)
    w = weights.reshape((-1,))[np.flatnonzero(inside)]
    zeros = Tensor._const(np.zeros(len(edges) - 1, weights.dtype))
    hist = index_add(zeros, 0, idx[inside], w)
    if density:  # numpy: hist / widths / hist.sum()
        hist = hist / np.diff(edges).astype(hist.dtype) / hist.sum()
    return _rt.histogram._make((hist, Tensor._const(edges)))


@op(family=_H, differentiable=False, method=False)
def histogram_bin_edges(a: Any, bins: Any = 10, range: Any = None, weights: Any = None) -> Tensor:  # noqa: A002
    """The bin edges numpy's histogram would use for ``a`` (numpy's histogram_bin_edges; constants)."""
    x = as_tensor(a)
    try:
        return Tensor._const(np.histogram_bin_edges(x._data, _data(bins), _range(range), _data(weights)))
    except ValueError as e:
        raise ValueError(f"histogram_bin_edges: {e} (a of shape {x.shape})") from None


@op(family=_H, rules=("index_put",), method=False)
def bincount(x: Any, weights: Any = None, minlength: int = 0) -> Tensor:
    """How often each value 0, 1, ... occurs in the 1-D non-negative integer ``x`` (numpy's and
    PyTorch's bincount, at least ``minlength`` bins). With ``weights``, each bin's sum of weights,
    differentiable in Tensor weights (as a weighted histogram); the counts are constants."""
    if isinstance(x, (list, tuple)) and len(x) == 0:
        x = np.zeros(0, np.intp)  # numpy reads an empty Python sequence as integers
    x = as_tensor(x)
    minlength = operator.index(minlength)  # numpy's TypeError for a non-integer
    if minlength < 0:
        raise ValueError(f"bincount: minlength must not be negative, got {minlength}")
    if x.ndim != 1:  # numpy's ValueError ("object too deep / of too small depth")
        raise ValueError(f"bincount: x must be 1-D, got shape {x.shape}")
    if x.dtype.kind not in "iub":
        raise TypeError(f"bincount: x must be a 1-D tensor of integers, got shape {x.shape}, dtype {x.dtype}")
    if x.size and x._data.min() < 0:
        raise ValueError(f"bincount: values must be non-negative, got {x._data.min()}")
    n = max(int(minlength), int(x._data.max()) + 1 if x.size else 0)
    if not isinstance(weights, Tensor) or not weights.requires_grad:
        return Tensor._const(np.bincount(x._data, _data(weights), minlength=n))
    if weights.shape != x.shape:
        raise ValueError(f"bincount: weights of shape {weights.shape} do not match x of shape {x.shape}")
    w = weights if weights.dtype.kind == "f" else weights.astype(np.float64)
    return index_add(Tensor._const(np.zeros(n, w.dtype)), 0, x._data, w)


def empty_dim_check(shape: tuple, dim: int, name: str) -> None:
    """PyTorch's refusal of unique / unique_consecutive along ``dim`` of an empty tensor whose size-0
    dimension is not ``dim`` (or which has more than one): numpy's axis= would answer with one empty slice."""
    zeros = [i for i, n in enumerate(shape) if n == 0]
    d = dim % len(shape) if shape else dim
    if len(zeros) > 1:
        raise ShapeError(
            f"{name}: Number of zero sized dimensions is more than one, so unique cannot be applied"
        )
    if zeros and zeros[0] != d:
        raise ShapeError(
            f"{name}: There are 0 sized dimensions, and they aren't selected, so unique cannot be applied"
        )


@op(family=_H, rules=("getitem",), method=False)
def unique(
    ar: Any,
    return_index: bool = False,
    return_inverse: bool = False,
    return_counts: bool = False,
    axis: Any = None,
    *,
    equal_nan: bool = True,
    sorted: bool = True,  # noqa: A002  numpy's and PyTorch's name
    dim: Any = None,
) -> Any:
    """numpy's unique: the sorted distinct values (of the flattened ``ar``, or the distinct slices
    along ``axis``), with the optional index, inverse and counts arrays as numpy returns them. Each
    distinct value is taken from its first occurrence, so a gradient reaches that element.

    ``sorted`` (numpy's and PyTorch's keyword) is accepted; the values always come sorted, which both
    allow for ``sorted=False``. PyTorch's ``dim`` names ``axis``."""
    if dim is not None:
        if axis is not None and axis != dim:
            raise TypeError(f"unique: got both axis={axis!r} and dim={dim!r}")
        axis = dim
    x = as_tensor(ar)
    if dim is not None:  # PyTorch's keyword: PyTorch's refusal of ill-formed empty tensors
        empty_dim_check(x.shape, dim, "unique")
    if x.dtype.kind == "c":
        raise TypeError(f"unique: complex values (dtype {x.dtype}) have no order to sort")
    found = np.unique(x._data, True, return_inverse, return_counts, axis=axis, equal_nan=equal_nan)
    first = found[1]
    values = take(x, first) if axis is None else take(x, first, axis=axis)
    # found = (values, index, [inverse], [counts]): numpy returns only the arrays asked for
    extras = [Tensor._const(a) for a in found[1 if return_index else 2 :]]
    return (values, *extras) if extras else values
