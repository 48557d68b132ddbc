"""PyTorch's linear_cross_entropy and LinearCrossEntropyLoss: the cross-entropy of a linear map's
logits, ``cross_entropy(linear(input, W, b), target, ...)``. PyTorch's ``options`` choose how its
kernel chunks the logits to save memory, not the numbers, so they are accepted and not used."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._default_dtype import DEFAULT_FLOAT, default_float
from .._device import check_device
from ..ops._args import as_tensor
from ..tensor import Tensor
from . import functional as F
from ._loss_common import register_weight, weight_arg
from .layers import Linear
from .module import Module

_NO_IGNORE = -100  # ignore_index=None: no class is ignored; class indices are never negative


def linear_cross_entropy(
    input: Any,  # noqa: A002  PyTorch's name
    linear_weight: Any,
    target: Any,
    *,
    linear_bias: Any = None,
    weight: Any = None,
    reduction: str = "mean",
    ignore_index: int | None = None,
    label_smoothing: float = 0.0,
    options: Any = None,
) -> Tensor:
    """cross_entropy(linear(input, linear_weight, linear_bias), target) for an input of shape (N, in)
    or (in,) and a weight (C, in), with cross_entropy's ``weight``, ``reduction``, ``ignore_index``
    (None: none ignored) and ``label_smoothing`` (torch.nn.functional.linear_cross_entropy).

    A weight (C, d1, ..., dK, in) (and bias (C, d1, ..., dK)) gives K-dimensional logits
    (N, C, d1, ..., dK) for a target (N, d1, ..., dK), as cross_entropy's K-dimensional loss."""
    x, w = as_tensor(input), as_tensor(linear_weight)
    if x.ndim not in (1, 2):
        raise ValueError(f"linear_cross_entropy: expected an input of 1 or 2 dimensions, got shape {x.shape}")
    if w.ndim < 2:
        raise ValueError(f"linear_cross_entropy: linear_weight must be (C, ..., in), got shape {w.shape}")
    out_shape = w.shape[:-1]  # (C, d1, ..., dK)
    if w.ndim > 2 and x.ndim == 1:
        raise ValueError(
            f"linear_cross_entropy: K-dimensional loss (linear_weight of shape {w.shape}) requires batched "
            f"input (N, {w.shape[-1]}), got unbatched input of shape {x.shape}"
        )
    if linear_bias is not None and w.ndim > 2:
        linear_bias = as_tensor(linear_bias).reshape(-1)
    logits = F.linear(x, w.reshape(-1, w.shape[-1]) if w.ndim > 2 else w, linear_bias)
    if w.ndim > 2:
        logits = logits.reshape(x.shape[:-1] + out_shape)
    return F.cross_entropy(
        logits,
        target,
        weight,
        ignore_index=_NO_IGNORE if ignore_index is None else ignore_index,
        reduction=reduction,
        label_smoothing=label_smoothing,
    )


class LinearCrossEntropyLoss(Module):
    """A ``Linear(in_features, num_classes, bias)`` and the cross-entropy of its logits in one module
    (torch.nn.LinearCrossEntropyLoss): ``loss(input, target)``; its parameters are ``linear.weight``
    and ``linear.bias``, initialised as nn.Linear's. With ``out_features=(d1, ..., dK)`` the Linear has
    num_classes * d1 * ... * dK outputs, read as logits (N, num_classes, d1, ..., dK) for a target
    (N, d1, ..., dK), PyTorch's layout; class ``weight`` is a buffer, as PyTorch's."""

    def __init__(
        self,
        in_features: int,
        num_classes: int,
        *,
        out_features: tuple = (),
        bias: bool = False,
        device: Any = None,
        dtype: Any = DEFAULT_FLOAT,
        reduction: str = "mean",
        weight: Any = None,
        ignore_index: int | None = None,
        label_smoothing: float = 0.0,
        options: Any = None,
    ) -> None:
        dtype = default_float(dtype)  # None, PyTorch's default argument: the default dtype
        check_device(device, "LinearCrossEntropyLoss")
        super().__init__()
        out_features = tuple(int(d) for d in out_features)
        if weight is not None and tuple(np.shape(weight)) != (num_classes,):
            got = tuple(np.shape(weight))
            raise ValueError(f"LinearCrossEntropyLoss: expected weight shape {(num_classes,)}, got {got}")
        if not 0.0 <= label_smoothing <= 1.0:
            raise ValueError(
                f"LinearCrossEntropyLoss: label_smoothing must be in [0, 1], got {label_smoothing}"
            )
        self.in_features, self.num_classes, self.out_features = in_features, num_classes, out_features
        # a 2-D Linear of num_classes * prod(out_features) outputs, reshaped in forward (PyTorch's layout)
        self.linear = Linear(in_features, math.prod(out_features, start=num_classes), bias=bias, dtype=dtype)
        self.reduction, self.ignore_index, self.label_smoothing = reduction, ignore_index, label_smoothing
        register_weight(self, "weight", weight)
        self.options = options

    def forward(self, input: Any, target: Any) -> Tensor:  # noqa: A002
        shape = (self.num_classes, *self.out_features)
        bias = self.linear.bias
        return linear_cross_entropy(
            input,
            self.linear.weight.reshape(shape + (self.in_features,)),
            target,
            linear_bias=None if bias is None else bias.reshape(shape),
            weight=weight_arg(self, "weight"),
            reduction=self.reduction,
            ignore_index=self.ignore_index,
            label_smoothing=self.label_smoothing,
        )

    def extra_repr(self) -> str:
        bias = self.linear.bias is not None
        return (
            f"in_features={self.in_features}, num_classes={self.num_classes}, "
            f"out_features={self.out_features}, "
            f"bias={bias}, reduction={self.reduction}, ignore_index={self.ignore_index}, "
            f"label_smoothing={self.label_smoothing}, options={self.options}"
        )
