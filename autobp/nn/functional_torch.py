"""torch.nn.functional's remaining names: gumbel_softmax, the *_with_indices pooling forms, the
deprecated upsample/upsample_nearest/upsample_bilinear (interpolate with their align_corners
defaults) and pdist (autobp.pdist). Compositions of autobp's differentiable functions."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .. import random as _random
from ..ops.nnops import softmax
from ..pytorch_functions import pdist
from ..tensor import Tensor
from . import pooling
from .upsampling import interpolate


def gumbel_softmax(
    logits: Any, tau: float = 1.0, hard: bool = False, eps: float = 1e-10, dim: int = -1
) -> Tensor:
    """A sample of the Gumbel-softmax (concrete) distribution: softmax((logits + g) / tau) along
    ``dim`` with g = -log(E), E ~ Exponential(1) drawn from autobp's global generator
    (``autobp.manual_seed``), as torch.nn.functional.gumbel_softmax. ``hard=True`` returns the one-hot
    of its argmax in the forward pass and the soft sample's gradient (straight-through).
    ``eps`` is accepted and unused, as in PyTorch."""
    x = logits if isinstance(logits, Tensor) else Tensor(np.asarray(logits, dtype=float))
    if x.dtype.kind != "f":
        raise TypeError(f"gumbel_softmax: logits must be floating point, got {x.dtype}")
    if not tau > 0:
        raise ValueError(f"gumbel_softmax: tau must be positive, got {tau}")
    if x.ndim == 0 or not -x.ndim <= dim < x.ndim:
        raise ValueError(f"gumbel_softmax: dim {dim} is out of range for logits of shape {x.shape}")
    e = _random.default_generator().exponential(size=x.shape).astype(x.dtype)
    gumbels = Tensor._const(-np.log(e))
    y = softmax((x + gumbels) / tau, dim=dim)
    if not hard:
        return y
    axis = dim % x.ndim
    idx = np.expand_dims(np.argmax(y.data, axis=axis), axis)
    onehot = np.zeros(x.shape, dtype=x.dtype)
    np.put_along_axis(onehot, idx, 1.0, axis=axis)
    return (y - y.detach()) + Tensor._const(onehot)  # forward: the one-hot; backward: y's gradient


def max_pool1d_with_indices(
    input: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> tuple:  # noqa: E501
    """(values, indices) of max_pool1d, whatever ``return_indices`` says (PyTorch's form)."""
    return pooling.max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices=True)


def max_pool2d_with_indices(
    input: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> tuple:  # noqa: E501
    """(values, indices) of max_pool2d (indices flat over each H*W plane), PyTorch's form."""
    return pooling.max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices=True)


def max_pool3d_with_indices(
    input: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> tuple:  # noqa: E501
    """(values, indices) of max_pool3d, PyTorch's form."""
    return pooling.max_pool3d(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices=True)


def adaptive_max_pool1d_with_indices(input: Any, output_size: Any, return_indices: bool = False) -> tuple:
    """(values, indices) of adaptive_max_pool1d, PyTorch's form."""
    return pooling.adaptive_max_pool1d(input, output_size, return_indices=True)


def adaptive_max_pool2d_with_indices(input: Any, output_size: Any, return_indices: bool = False) -> tuple:
    """(values, indices) of adaptive_max_pool2d, PyTorch's form."""
    return pooling.adaptive_max_pool2d(input, output_size, return_indices=True)


def adaptive_max_pool3d_with_indices(input: Any, output_size: Any, return_indices: bool = False) -> tuple:
    """(values, indices) of adaptive_max_pool3d, PyTorch's form."""
    return pooling.adaptive_max_pool3d(input, output_size, return_indices=True)


def upsample(
    input: Any,
    size: Any = None,
    scale_factor: Any = None,
    mode: str = "nearest",
    align_corners: bool | None = None,
) -> Tensor:
    """Deprecated in PyTorch: interpolate with the same arguments (a warning says so)."""
    warnings.warn(
        "nn.functional.upsample is deprecated. Use nn.functional.interpolate instead.", stacklevel=2
    )
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input: Any, size: Any = None, scale_factor: Any = None) -> Tensor:
    """Deprecated in PyTorch: interpolate(mode='nearest') (a warning says so)."""
    warnings.warn(
        "nn.functional.upsample_nearest is deprecated. Use nn.functional.interpolate instead.", stacklevel=2
    )
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input: Any, size: Any = None, scale_factor: Any = None) -> Tensor:
    """Deprecated in PyTorch: interpolate(mode='bilinear', align_corners=True) (a warning says so)."""
    warnings.warn(
        "nn.functional.upsample_bilinear is deprecated. Use nn.functional.interpolate instead.", stacklevel=2
    )
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


__all__ = [
    "gumbel_softmax",
    "max_pool1d_with_indices",
    "max_pool2d_with_indices",
    "max_pool3d_with_indices",
    "adaptive_max_pool1d_with_indices",
    "adaptive_max_pool2d_with_indices",
    "adaptive_max_pool3d_with_indices",
    "upsample",
    "upsample_nearest",
    "upsample_bilinear",
    "pdist",
]
