"""PyTorch's ``torch.nn.grad``: the gradient of a convolution in its input or its weight, given the
output gradient, without running the forward convolution by hand.

Each is the reverse-mode derivative of the matching ``conv{1,2,3}d`` taken with ``create_graph``, so
the result is itself differentiable (in the weight / input and in ``grad_output``) to any order. A
convolution is linear in each argument, so the placeholder's (zero) values do not enter the result.
"""

from __future__ import annotations

from typing import Any

from .. import autograd
from ..ops import zeros
from ..ops._args import as_tensor
from ..tensor import Tensor
from . import conv_functional as CF

__all__ = [
    "conv1d_input",
    "conv1d_weight",
    "conv2d_input",
    "conv2d_weight",
    "conv3d_input",
    "conv3d_weight",
]

_CONV = {1: CF.conv1d, 2: CF.conv2d, 3: CF.conv3d}


def _size(size: Any, who: str) -> tuple:
    try:
        return tuple(int(n) for n in size)
    except TypeError:
        raise TypeError(f"{who}: the size must be a sequence of ints (a shape), got {size!r}") from None


def _conv_grad(nd: int, wrt: str, given: Any, size: Any, grad_output, stride, padding, dilation, groups):
    """The gradient of conv{nd}d in ``wrt`` ("input" or "weight", of shape ``size``), the other
    argument ``given``: a zero placeholder of that shape differentiated with create_graph."""
    who = f"conv{nd}d_{wrt}"
    other, g = as_tensor(given), as_tensor(grad_output)
    free = zeros(_size(size, who), dtype=other.dtype, requires_grad=True)
    x, w = (free, other) if wrt == "input" else (other, free)
    out = _CONV[nd](x, w, None, stride, padding, dilation, groups)
    if out.shape != g.shape:
        raise ValueError(f"{who}: grad_output {g.shape} must have the convolution's output shape {out.shape}")
    return autograd.grad(out, free, g, create_graph=True)[0]


def conv1d_input(
    input_size: Any,
    weight: Any,
    grad_output: Any,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
) -> Tensor:
    """Gradient of ``conv1d`` in its input (of shape ``input_size``), as ``torch.nn.grad.conv1d_input``."""
    return _conv_grad(1, "input", weight, input_size, grad_output, stride, padding, dilation, groups)


def conv1d_weight(
    input: Any,
    weight_size: Any,
    grad_output: Any,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
) -> Tensor:
    """Gradient of ``conv1d`` in its weight (of shape ``weight_size``), as ``torch.nn.grad.conv1d_weight``."""
    return _conv_grad(1, "weight", input, weight_size, grad_output, stride, padding, dilation, groups)


def conv2d_input(
    input_size: Any,
    weight: Any,
    grad_output: Any,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
) -> Tensor:
    """Gradient of ``conv2d`` in its input (of shape ``input_size``), as ``torch.nn.grad.conv2d_input``."""
    return _conv_grad(2, "input", weight, input_size, grad_output, stride, padding, dilation, groups)


def conv2d_weight(
    input: Any,
    weight_size: Any,
    grad_output: Any,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
) -> Tensor:
    """Gradient of ``conv2d`` in its weight (of shape ``weight_size``), as ``torch.nn.grad.conv2d_weight``."""
    return _conv_grad(2, "weight", input, weight_size, grad_output, stride, padding, dilation, groups)


def conv3d_input(
    input_size: Any,
    weight: Any,
    grad_output: Any,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
) -> Tensor:
    """Gradient of ``conv3d`` in its input (of shape ``input_size``), as ``torch.nn.grad.conv3d_input``."""
    return _conv_grad(3, "input", weight, input_size, grad_output, stride, padding, dilation, groups)


def conv3d_weight(
    input: Any,
    weight_size: Any,
    grad_output: Any,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
) -> Tensor:
    """Gradient of ``conv3d`` in its weight (of shape ``weight_size``), as ``torch.nn.grad.conv3d_weight``."""
    return _conv_grad(3, "weight", input, weight_size, grad_output, stride, padding, dilation, groups)
