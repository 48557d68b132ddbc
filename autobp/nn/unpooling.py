"""PyTorch's ``max_unpool1d``/``max_unpool2d``: the inverse placement of max pooling. Each pooled value
goes back to the position its index names (max_pool's return_indices, flat over the spatial axes of
one (N, C) plane); everything else is 0. A scatter, so the gradient gathers at those positions."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._broadcast import ShapeError
from ..ops.scatter import scatter
from ..tensor import Tensor
from .conv_functional import _tuple


def _max_unpool(
    input: Any, indices: Any, kernel_size, stride, padding, output_size, nd: int, who: str
) -> Tensor:
    x = input if isinstance(input, Tensor) else Tensor(input)
    idx = np.asarray(indices._data if isinstance(indices, Tensor) else indices)
    if idx.dtype.kind not in "iu":
        raise TypeError(f"{who}: indices must be integers, got dtype {idx.dtype}")
    if x.ndim not in (nd + 1, nd + 2) or idx.shape != x.shape:
        raise ShapeError(f"{who}: input {x.shape} and indices {idx.shape} must be one (N, C, *spatial) shape")
    k = _tuple(kernel_size, nd, "kernel_size", who)
    s = k if stride is None else _tuple(stride, nd, "stride", who)
    p = _tuple(padding, nd, "padding", who, lo=0)
    spatial = x.shape[-nd:]
    if output_size is None:  # max_pool's output-size formula inverted
        out = tuple((n - 1) * s[i] - 2 * p[i] + k[i] for i, n in enumerate(spatial))
    else:
        out = tuple(int(v) for v in tuple(output_size)[-nd:])  # PyTorch ignores leading N, C
    size = int(np.prod(out))
    if idx.size and (idx.min() < 0 or idx.max() >= size):
        raise ShapeError(f"{who}: an index is out of range for output size {out} ({size} positions)")
    lead = x.shape[:-nd]
    flat = x.reshape((-1, int(np.prod(spatial))))
    zeros = Tensor._const(np.zeros((flat.shape[0], size), dtype=x.dtype))
    placed = scatter(zeros, 1, idx.reshape(flat.shape).astype(np.int64), flat)
    return placed.reshape(lead + out)


def max_unpool1d(
    input: Any, indices: Any, kernel_size: Any, stride: Any = None, padding: Any = 0, output_size=None
):
    """PyTorch's ``F.max_unpool1d``: (N, C, L) values placed at ``indices`` of a zero (N, C, L_out)."""
    return _max_unpool(input, indices, kernel_size, stride, padding, output_size, 1, "max_unpool1d")


def max_unpool2d(
    input: Any, indices: Any, kernel_size: Any, stride: Any = None, padding: Any = 0, output_size=None
):
    """PyTorch's ``F.max_unpool2d``: (N, C, H, W) values placed at ``indices`` (flat over H_out W_out,
    as max_pool2d(return_indices=True) gives them) of a zero (N, C, H_out, W_out).

    >>> y, i = F.max_pool2d(autobp.Tensor(np.arange(16.0).reshape(1, 1, 4, 4)), 2, return_indices=True)
    >>> F.max_unpool2d(y, i, 2).shape
    (1, 1, 4, 4)
    """
    return _max_unpool(input, indices, kernel_size, stride, padding, output_size, 2, "max_unpool2d")
