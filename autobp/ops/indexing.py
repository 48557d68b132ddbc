"""Indexing: ``t[index]`` (slices, None, ..., boolean masks, integer arrays) and its adjoint,
scatter_add (repeated indices accumulate); the gathers written as one ``t[index]`` each: take,
index_select, take_along_axis, gather, masked_select; nonzero and argwhere (no gradient)."""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from .._broadcast import DTypeError, ShapeError, normalize_axes
from .._numpy_ops import scatter_add as _scatter_add
from .._torch_out import takes_out as torch_out
from .._views import index_view, link_view
from .._zero_d import zero_d_as_one_element
from ..rules import rule
from ..tensor import Tensor
from ._args import as_tensor
from ._decl import op
from .shape import broadcast_to, reshape

_I = "indexing"


def normalize_index(index: Any) -> tuple:
    """Index as a tuple with Tensors and lists turned into numpy arrays."""
    if not isinstance(index, tuple):
        index = (index,)
    out = []
    for i in index:
        if isinstance(i, Tensor):
            i = i._data
        elif isinstance(i, list):
            i = np.asarray(i)
            if i.size == 0 and i.dtype.kind == "f":  # an empty list selects nothing (numpy's, PyTorch's)
                i = i.astype(np.intp)
        if isinstance(i, np.ndarray) and i.dtype.kind == "f":
            raise IndexError(f"tensor index must be integer or boolean, got dtype {i.dtype}")
        out.append(i)
    return tuple(out)


def show_index(index: tuple) -> str:
    parts = [
        f"array(shape={i.shape}, dtype={i.dtype})" if isinstance(i, np.ndarray) else repr(i) for i in index
    ]
    return "[" + ", ".join(parts) + "]"


_TORCH_WORDS = (  # numpy's index error -> PyTorch's words for it, added to the message
    (
        re.compile(r"is out of bounds for axis \d+ with size 0\b"),
        "index is out of bounds for dimension with size 0",
    ),
    (
        re.compile(r"index (-?\d+) is out of bounds for axis (\d+) with size (\d+)"),
        r"index \1 is out of bounds for dimension \2 with size \3",
    ),
    (
        re.compile(r"array is 0-dimensional, but \d+ were indexed"),
        "invalid index of a 0-dim tensor. Use `tensor.item()` to convert a 0-dim tensor to a number",
    ),
    (
        re.compile(
            r"boolean index did not match indexed array along axis (\d+); size of axis is (\d+) but "
            r"size of corresponding boolean axis is (\d+)"
        ),
        r"The shape of the mask [\3] at index \1 does not match the shape of the indexed tensor "
        r"[\2] at index \1",
    ),
)


def torch_words(message: str) -> str:
    """``message`` (numpy's indexing error) with PyTorch's wording of it appended, when known."""
    for pattern, words in _TORCH_WORDS:
        found = pattern.search(message)
        if found:
            return f"{message} (PyTorch: {found.expand(words)})"
    return message


def _getitem(self: Tensor, index: Any) -> Tensor:
    index = normalize_index(index)
    try:
        data = index_view(self._data, index)
    except (IndexError, OverflowError) as e:
        raise IndexError(
            torch_words(f"index {show_index(index)} on tensor of shape {self.shape}: {e}")
        ) from None
    out = Tensor._make(data, (self,), "getitem", index)
    if np.may_share_memory(data, self._data):  # a view of self's memory: it follows self's recorded writes
        link_view(out, self, "getitem", index)
    return out


DUNDERS = {"__getitem__": _getitem}


def scatter_add(g: Tensor, index: tuple, shape: tuple) -> Tensor:
    """zeros(shape) with ``g`` added at ``index`` (repeats accumulate): getitem's adjoint (internal;
    the rules reach it as ``F.scatter_add``)."""
    return Tensor._make(_scatter_add(g._data, index, shape), (g,), "scatter_add", (index, shape))


@rule("getitem")  # ctx = the (normalised) index
def _getitem_rule(F, g, out, xs, ctx, need):
    return (F.scatter_add(g, ctx, xs[0].shape),)


@rule("scatter_add")  # ctx = (index, shape): zeros(shape) with g added at index
def _scatter_add_rule(F, g, out, xs, ctx, need):
    return (g[ctx[0]],)


def int_index(index: Any, op: str) -> np.ndarray:
    arr = np.asarray(index._data if isinstance(index, Tensor) else index)
    if arr.dtype.kind not in "iu":
        if arr.size == 0:
            return arr.astype(np.intp)
        raise TypeError(f"{op}: indices must be integers, got dtype {arr.dtype}")
    return arr


def along_index(index: np.ndarray, dim: int, shape: tuple) -> tuple:
    """The numpy index that reads ``a[i0, ..., index[i0, ..., ik], ..., ik]``: ``index`` at axis
    ``dim``, and each other axis's own position (an arange that broadcasts against ``index``)."""
    nd = len(shape)
    return tuple(
        index if i == dim else np.arange(shape[i]).reshape((-1,) + (1,) * (nd - 1 - i)) for i in range(nd)
    )


def check_dim_index(x: Tensor, dim: int, index: np.ndarray, op: str, src: Any = None) -> int:
    (d,) = normalize_axes(dim, max(x.ndim, 1), op, x.shape)
    if index.ndim != x.ndim and not (x.ndim == 0 and index.ndim <= 1):
        raise ShapeError(f"{op}: index has {index.ndim} axes, the input {x.shape} has {x.ndim}")
    for i, n in enumerate(index.shape):
        if i != d and i < x.ndim and n > x.shape[i]:
            raise ShapeError(f"{op}: index shape {index.shape} exceeds input shape {x.shape} at axis {i}")
        if src is not None and n > src.shape[i]:
            raise ShapeError(f"{op}: index shape {index.shape} exceeds src shape {src.shape} at axis {i}")
    n = x.shape[d] if x.ndim else 1  # a 0-d input is one element along its dim (PyTorch's reading)
    if index.size and (index.max() >= n or index.min() < -n):
        raise IndexError(f"{op}: index out of range for axis {d} of shape {x.shape}")
    return d


def nonnegative_index(x: Tensor, dim: int, index: np.ndarray, op: str) -> None:
    """PyTorch's index_select / index_add / index_copy take indices in [0, size) only: a negative
    index is refused (numpy would count it from the end), as is one past the end."""
    (d,) = normalize_axes(dim, max(x.ndim, 1), op, x.shape)
    n = x.shape[d] if x.ndim else 1
    bad = index[(index < 0) | (index >= n)]
    if bad.size:
        first = int(bad.flat[0])
        raise IndexRangeError(f"{op}(): index {first} is out of bounds for dimension {d} with size {n}")


class IndexRangeError(IndexError, RuntimeError):
    """An index past a dim's end: numpy's and most of PyTorch's IndexError, the RuntimeError that
    PyTorch's index_add raises."""


# --- gathers: one getitem each ----------------------------------------------------------------
@op(family=_I, rules=("reshape", "getitem"))
def take(a: Any, indices: Any, axis: Any = None, out: Any = None, mode: str = "raise") -> Tensor:
    """Elements at ``indices`` along ``axis`` (of the flattened tensor when None), as numpy's take.

    ``out=`` (a Tensor or a numpy array) receives the result, as numpy's."""
    x = as_tensor(a)
    given = np.asarray(indices._data if isinstance(indices, Tensor) else indices)
    idx = given.astype(np.intp) if given.dtype == bool else int_index(given, "take")  # numpy: True is 1
    if out is not None:  # numpy's out=: the result written into a Tensor (recorded) or an ndarray
        from .reduction_keywords import into_out

        return into_out(take(x, idx, axis, None, mode), out, "take")
    if axis is None:
        x, axis = reshape(x, (-1,)), 0
    (ax,) = normalize_axes(axis, x.ndim, "take", x.shape)
    n = x.shape[ax]
    mode = "raise" if mode is None else mode  # numpy reads None as its default
    if mode == "wrap":
        idx = idx % n if n else idx
    elif mode == "clip":
        idx = np.clip(idx, 0, max(n - 1, 0))
    elif mode != "raise":
        raise ValueError(f"take: mode must be 'raise', 'wrap' or 'clip', got {mode!r}")
    return x[(slice(None),) * ax + (idx,)]


@op(family=_I, rules=("getitem",), numpy=None)
@zero_d_as_one_element
def index_select(x: Any, dim: int, index: Any) -> Tensor:
    """PyTorch's index_select: the entries ``index`` (1-D) along ``dim``."""
    idx = int_index(index, "index_select")
    if idx.ndim > 1:
        raise ValueError(f"index_select: index must be 1-D, got shape {idx.shape}")
    nonnegative_index(as_tensor(x), dim, idx, "index_select")
    return take(x, idx, axis=dim)


@op(family=_I, rules=("reshape", "getitem"))
def take_along_axis(arr: Any, indices: Any, axis: Any = -1) -> Tensor:
    """``arr[..., indices[...], ...]`` along ``axis``, the other axes broadcasting (numpy's)."""
    x = as_tensor(arr)
    given = indices._data if isinstance(indices, Tensor) else np.asarray(indices)
    if given.dtype.kind not in "iu":  # numpy's IndexError
        raise IndexError(f"take_along_axis: `indices` must be an integer array, got dtype {given.dtype}")
    idx = int_index(indices, "take_along_axis")
    if axis is None:
        x, axis = reshape(x, (-1,)), 0
    if idx.ndim != x.ndim:
        raise ValueError(f"take_along_axis: indices have {idx.ndim} axes, the array {x.shape} has {x.ndim}")
    (ax,) = normalize_axes(axis, x.ndim, "take_along_axis", x.shape)
    return x[along_index(idx, ax, x.shape)]


@op(family=_I, rules=("getitem",), numpy=None)
def gather(x: Any, dim: int, index: Any, *, sparse_grad: bool = False) -> Tensor:
    """PyTorch's gather: ``out[i][j][k] = x[i][index[i][j][k]][k]`` for dim 1 (index no larger than x)."""
    x = as_tensor(x)
    idx = int_index(index, "gather")
    if idx.size == 0 and idx.ndim != x.ndim:  # PyTorch: an empty result of the index's shape
        normalize_axes(dim, max(x.ndim, 1), "gather", x.shape)
        return x.reshape((-1,))[idx.astype(np.intp)]
    d = check_dim_index(x, dim, idx, "gather")
    if x.ndim == 0:
        return x.reshape((1,))[idx * 0] if idx.ndim else x[()]
    return x[along_index(idx, d, idx.shape)]


@op(family=_I, rules=("broadcast_to", "getitem"), numpy=None)
@torch_out("masked_select")
def masked_select(x: Any, mask: Any) -> Tensor:
    """The elements where ``mask`` (broadcast with ``x``) is true, as a 1-D tensor (PyTorch's ``out=``)."""
    x = as_tensor(x)
    m = np.asarray(mask._data if isinstance(mask, Tensor) else mask)
    if m.dtype != bool:
        raise DTypeError(
            f"masked_select: mask must be boolean (expected BoolTensor for mask), got dtype {m.dtype}"
        )
    try:
        shape = np.broadcast_shapes(x.shape, m.shape)
    except ValueError:
        raise ValueError(f"masked_select: shapes {x.shape} and mask {m.shape} do not broadcast") from None
    if shape != x.shape:
        x = broadcast_to(x, shape)
    return x[np.broadcast_to(m, shape)]


@op(family=_I, differentiable=False, differs="torch.nonzero gives one (n, ndim) tensor: see argwhere")
def nonzero(a: Any, *, as_tuple: Any = None, out: Any = None) -> Any:
    """Indices of the non-zero elements, one int64 tensor per axis (numpy's; no gradient).

    PyTorch's ``as_tuple=False`` asks for its layout instead: one (n, ndim) tensor, as ``argwhere``;
    with ``as_tuple=True`` a 0-d tensor is read as one element, as PyTorch does. PyTorch's ``out=``
    (an int64 Tensor) takes that layout too; it is refused with ``as_tuple=True``, as PyTorch."""
    if out is not None:
        from .._torch_out import OutDtypeError, write_out

        if as_tuple:
            raise ShapeError("nonzero: out= is not supported with as_tuple=True (as PyTorch)")
        if isinstance(out, Tensor) and out.dtype != np.int64:
            raise OutDtypeError(
                f"nonzero: Expected out tensor to have scalar type Long but got scalar type {out.dtype}"
            )
        return write_out(argwhere(a), out, "nonzero")
    if as_tuple is False:
        return argwhere(a)
    x = as_tensor(a)
    if as_tuple and x.ndim == 0:
        x = x.reshape(1)
    if x.ndim == 0:
        raise ValueError(
            "nonzero: Calling nonzero on 0d arrays is not allowed (a 0-d tensor has no axes to index); "
            "use atleast_1d(x).nonzero()"
        )
    return tuple(Tensor._const(i) for i in np.nonzero(x._data))


@op(family=_I, differentiable=False)
def argwhere(a: Any) -> Tensor:
    """Indices of the non-zero elements as an (n, ndim) int64 tensor (torch.nonzero's layout)."""
    return Tensor._const(np.argwhere(as_tensor(a)._data))
