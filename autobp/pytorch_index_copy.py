"""PyTorch's index_copy, index_fill and take_along_dim (re-exported by pytorch_functions.py, which
lists them in its ``__all__``): written with numpy indexing, checked as PyTorch checks them."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._broadcast import DTypeError, ShapeError
from ._zero_d import zero_d_as_one_element
from .ops import copy, take_along_axis
from .ops._args import as_tensor
from .ops.indexing import int_index, nonnegative_index
from .tensor import Tensor


def _along(x: Tensor, dim: int, index: Any) -> tuple:
    """The numpy index selecting ``index`` along ``dim`` of ``x``."""
    d = dim % max(x.ndim, 1)
    return (slice(None),) * d + (
        np.asarray(index._data if isinstance(index, Tensor) else index, dtype=np.intp),
    )


@zero_d_as_one_element
def index_copy(input: Any, dim: int, index: Any, source: Any) -> Tensor:
    """``input`` with the slices at ``index`` along ``dim`` replaced by ``source``'s (``index_copy``).

    As PyTorch's: ``index`` (0-d or 1-D) holds indices in [0, size) (a negative one is refused), and a
    0-d or one-element ``source`` fills a one-element input."""
    x = as_tensor(input)
    idx = np.atleast_1d(int_index(index, "index_copy"))
    nonnegative_index(x, dim, idx, "index_copy")
    src = as_tensor(source)
    if src.ndim != x.ndim and src.size == 1 and x.size == 1:  # PyTorch's scalar shapes: (), (1,)
        src = src.reshape(x.shape)
    out = copy(x)
    out[_along(x, dim, idx)] = src
    return out


@zero_d_as_one_element
def index_fill(input: Any, dim: int, index: Any, value: Any) -> Tensor:
    """``input`` with the slices at ``index`` along ``dim`` set to ``value`` (``torch.index_fill``).

    ``value`` is a number or a 0-d tensor; a complex number for a real input is refused, as PyTorch."""
    x = as_tensor(input)
    v = value._data if isinstance(value, Tensor) else value
    if np.iscomplexobj(v) and x.dtype.kind != "c":
        raise DTypeError(f"index_fill: cannot fill a {x.dtype} tensor with the complex Scalar {value!r}")
    out = copy(x)
    out[_along(x, dim, index)] = value
    return out


def take_along_dim(input: Any, indices: Any, dim: int | None = None) -> Tensor:
    """Values at ``indices`` along ``dim``, both flattened when ``dim`` is None (``torch.take_along_dim``)."""
    x = as_tensor(input)
    idx = np.asarray(indices._data if isinstance(indices, Tensor) else indices)
    if idx.dtype != np.int64:  # PyTorch's check (numpy's take_along_axis takes any integers)
        raise DTypeError(f"take_along_dim(): dtype of indices should be Long (int64), got {idx.dtype}")
    if dim is None:
        return take_along_axis(x.reshape((-1,)), idx.reshape(-1), axis=0)
    if idx.ndim != x.ndim:
        raise ShapeError(
            f"take_along_dim(): input and indices should have the same number of dimensions, but got "
            f"{x.ndim} dimensions for input {x.shape}, and {idx.ndim} dimensions for indices {idx.shape}"
        )
    return take_along_axis(x, idx, axis=dim)
