"""Diagonals and triangles (family "creation", as numpy lists them): diag, diagonal (a view, as
PyTorch's), trace, tril, triu."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._autocast import autocasts
from .._broadcast import normalize_axes
from .._graph import _mode
from .._torch_out import takes_out
from ..rules import rule
from ..tensor import Tensor, _view
from ._args import as_tensor
from ._decl import op
from .axis_moves import moveaxis
from .indexing import scatter_add
from .reduction_keywords import takes_out as numpy_out

_C = "creation"


def _diag_positions(rows: int, cols: int, k: int) -> tuple:
    n = max(0, min(rows + min(k, 0), cols - max(k, 0)))
    i = np.arange(n)
    return i - min(k, 0), i + max(k, 0)


@op(family=_C, rules=("getitem", "scatter_add"))
@takes_out("diag", "cast")
def diag(v: Any, k: int = 0, *, diagonal: Any = None) -> Tensor:
    """numpy's diag: a 1-D input becomes a square matrix with it on diagonal ``k``; a 2-D input
    gives its diagonal ``k`` (PyTorch calls k ``diagonal``)."""
    x = as_tensor(v)
    k = k if diagonal is None else diagonal
    if x.ndim == 1:
        n = x.shape[0] + abs(k)
        return scatter_add(x, _diag_positions(n, n, k), (n, n))  # zeros, v added on the diagonal
    if x.ndim == 2:
        return x[_diag_positions(*x.shape, k)]
    raise ValueError(f"diag: input must be 1-D or 2-D, got shape {x.shape}")


@op(family=_C, rules=("transpose", "getitem"))
def diagonal(
    a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1, *, dim1: Any = None, dim2: Any = None
) -> Tensor:
    """The diagonal ``offset`` of the planes (axis1, axis2), as a new last axis (numpy's and PyTorch's
    diagonal; PyTorch spells the axes dim1, dim2). A view, as PyTorch's: a write into it (``zero_()``)
    reaches ``a`` outside a graph, and is refused on one (as a transpose's is)."""
    x = as_tensor(a)
    axis1, axis2 = (axis1 if dim1 is None else dim1), (axis2 if dim2 is None else dim2)
    if x.ndim < 2:
        raise ValueError(f"diagonal: needs at least 2 axes, got shape {x.shape}")
    a1, a2 = (normalize_axes(i, x.ndim, "diagonal", x.shape)[0] for i in (axis1, axis2))
    if a1 == a2:
        raise ValueError(f"diagonal: axis1 and axis2 must differ, got {axis1} and {axis2}")
    out = _view(diagonal_node(x, offset, a1, a2), x)
    if out._source is x and out._nograd_view is None and (out._op is not None or _mode.enabled):
        # how a recorded write into x remakes it, and a write through it reaches x (recorded_writes.py)
        out._view_how = ("diagonal", (offset, a1, a2), out._parents[0] if out._parents else None)
    elif out._nograd_view is not None and out._source is x:
        out._nograd_how = ("diagonal", (offset, a1, a2))
    return out


def diagonal_node(x: Tensor, offset: int, a1: int, a2: int) -> Tensor:
    """The node of ``x.diagonal(offset, a1, a2)`` (normalised axes): ``moveaxis(x)[index]`` (getitem's
    rule: no gather made), whose data is numpy's diagonal, a view of ``x``'s memory."""
    moved = moveaxis(x, (a1, a2), (-2, -1))
    index = (Ellipsis,) + _diag_positions(x.shape[a1], x.shape[a2], offset)
    data = np.diagonal(x._data, offset, a1, a2)  # moved[index]'s numbers, as a view of a's memory
    if x._data.flags.writeable:
        data.flags.writeable = True  # numpy's diagonal is read-only only to warn of the view
    return Tensor._make(data, (moved,), "getitem", index)


@op(family=_C, rules=("transpose", "getitem", "sum"))
@numpy_out
@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def trace(
    a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1, dtype: Any = None, out: Any = None
) -> Tensor:
    """Sum along diagonal ``offset`` of the planes (axis1, axis2)."""
    if out is not None:
        raise TypeError("trace: out= is not supported (results are new tensors)")
    s = diagonal(a, offset, axis1, axis2).sum(axis=-1)
    return s if dtype is None else s.astype(dtype)


def _triangle(m: Any, k: int, lower: bool, name: str) -> Tensor:
    x = as_tensor(m)
    if x.ndim == 0:
        raise ValueError(f"{name}: needs at least 1 axis, got a 0-d tensor")
    rows, cols = x.shape[-2:] if x.ndim >= 2 else (x.shape[0], x.shape[0])
    keep = np.tri(rows, cols, k, dtype=bool) if lower else ~np.tri(rows, cols, k - 1, dtype=bool)
    data = (np.tril if lower else np.triu)(x._data, k)
    return Tensor._make(data, (x,), "triangle", keep)


@op(family=_C, rules=("triangle",))
def tril(m: Any, k: int = 0, *, diagonal: Any = None) -> Tensor:
    """The lower triangle (at and below diagonal ``k``) of the last two axes; the rest zero."""
    return _triangle(m, k if diagonal is None else diagonal, True, "tril")


@op(family=_C, rules=("triangle",))
def triu(m: Any, k: int = 0, *, diagonal: Any = None) -> Tensor:
    """The upper triangle (at and above diagonal ``k``) of the last two axes; the rest zero."""
    return _triangle(m, k if diagonal is None else diagonal, False, "triu")


@rule("triangle")  # ctx = the kept positions of the last two axes
def _triangle_rule(F, g, out, xs, ctx, need):
    return (g * ctx,)
