"""max_unpool1d/2d/3d: the partial inverse of max pooling, values put back at the indices that
``max_pool*(return_indices=True)`` returned, zeros elsewhere (a scatter, so the gradient gathers)."""

from __future__ import annotations

import math

import numpy as np

from .._autocast import autocasts
from ..tensor import Tensor
from ._layout import tensor_laid_out_like
from ._nn_errors import NNArgumentError
from .conv_functional import _tuple
from .pooling import _batched


def _unpool_size(x_shape, k, s, p, output_size, nd: int) -> tuple:
    """The output's spatial size: the pooled-from size, or ``output_size`` (nd sizes, or nd + 2 with the
    leading two ignored) if within one stride of it, as PyTorch's F.max_unpool checks."""
    default = tuple((x_shape[2 + i] - 1) * s[i] - 2 * p[i] + k[i] for i in range(nd))
    if output_size is None:
        return default
    size = tuple(int(n) for n in tuple(output_size))
    if len(size) == nd + 2:
        size = size[2:]
    if len(size) != nd:
        raise ValueError(
            f"output_size should be a sequence containing {nd} or {nd + 2} elements, but it has a length "
            f"of {len(size)}"
        )
    for i in range(nd):
        lo, hi = default[i] - s[i], default[i] + s[i]
        if not lo < size[i] < hi:
            raise ValueError(f'invalid output_size "{size}" (dim {i} must be between {lo} and {hi})')
    return size


def _max_unpool(input, indices, kernel_size, stride, padding, output_size, nd, who):
    """Zeros of the pooled-from size with each input value put back at its index (the flat position
    in its plane that ``max_pool`` returned); the gradient reads those positions back."""
    from ..ops import scatter, zeros

    x, unbatched = _batched(input, nd, who, empty_ok=True)
    idx = np.asarray(indices._data if isinstance(indices, Tensor) else indices)
    idx = idx.reshape((1,) + idx.shape) if unbatched else idx
    if idx.shape != x.shape or idx.dtype.kind not in "iu":
        raise NNArgumentError(
            f"{who}: indices {idx.shape} ({idx.dtype}) must be integers of the input's shape {x.shape}"
        )
    k = _tuple(kernel_size, nd, "kernel_size", who)
    s = k if stride is None else _tuple(stride, nd, "stride", who)
    p = _tuple(padding, nd, "padding", who, lo=0)
    size = _unpool_size(x.shape, k, s, p, output_size, nd)
    N, C = x.shape[:2]
    plane = int(np.prod(size))
    bad = (idx < 0) | (idx >= plane)
    if bad.any():  # PyTorch's words
        raise NNArgumentError(
            f"{who}: Found an invalid max index: {idx[bad].flat[0]} (output volumes are of size "
            f"{'x'.join(map(str, size))})"
        )
    rows, cols = N * C, math.prod(x.shape[2:])  # explicit: an empty batch cannot infer a -1
    out = scatter(zeros((rows, plane), dtype=x.dtype), 1, idx.reshape(rows, cols), x.reshape(rows, cols))
    out = tensor_laid_out_like(out.reshape((N, C) + size), x._data)
    return out.reshape(out.shape[1:]) if unbatched else out


def max_unpool1d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """The partial inverse of ``max_pool1d``: (N, C, L') values back at their indices, zeros elsewhere."""
    return _max_unpool(input, indices, kernel_size, stride, padding, output_size, 1, "max_unpool1d")


@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """The partial inverse of ``max_pool2d``: values back at their flat H * W indices, zeros elsewhere."""
    return _max_unpool(input, indices, kernel_size, stride, padding, output_size, 2, "max_unpool2d")


@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def max_unpool3d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """The partial inverse of ``max_pool3d``: values back at their flat D * H * W indices."""
    return _max_unpool(input, indices, kernel_size, stride, padding, output_size, 3, "max_unpool3d")
