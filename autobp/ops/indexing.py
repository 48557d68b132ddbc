"""Indexing: ``t[index]`` (slices, None, ..., boolean masks, integer arrays) and its adjoint,
scatter_add (repeated indices accumulate)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._numpy_ops import scatter_add as _scatter_add
from ..rules import rule
from ..tensor import Tensor, _view


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
        if isinstance(i, np.ndarray) and i.dtype.kind == "f":
            raise IndexError(f"tensor index must be integer or boolean, got dtype {i.dtype}")
        out.append(i)
    return tuple(out)


def show_index(index: tuple) -> str:
    parts = [
        f"array(shape={i.shape}, dtype={i.dtype})" if isinstance(i, np.ndarray) else repr(i) for i in index
    ]
    return "[" + ", ".join(parts) + "]"


def _getitem(self: Tensor, index: Any) -> Tensor:
    index = normalize_index(index)
    try:
        data = self._data[index]
    except (IndexError, OverflowError) as e:
        raise IndexError(f"index {show_index(index)} on tensor of shape {self.shape}: {e}") from None
    return _view(Tensor._make(data, (self,), "getitem", index), self)


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
