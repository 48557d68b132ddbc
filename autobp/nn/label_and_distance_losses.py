"""The multi-label hinge loss (``multilabel_margin_loss``) and the triplet loss with any distance
(``triplet_margin_with_distance_loss``), with their layers; PyTorch's signatures and values."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .._autocast import autocasts
from .._broadcast import ShapeError
from ..ops import minimum
from ..tensor import Tensor
from ._loss_common import apply_reduction, as_tensor, legacy_reduction
from .margin_losses import pairwise_distance
from .module import Module


@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def multilabel_margin_loss(
    input: Any, target: Any, size_average: Any = None, reduce: Any = None, reduction: str = "mean"
) -> Tensor:
    """sum over target classes j and other classes i of max(0, 1 - (x[j] - x[i])) / C per sample.

    ``target`` holds class indices (same shape as input, (C,) or (N, C)), the valid ones first and
    ended by -1 (the rest is ignored), as PyTorch reads it."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    x = as_tensor(input)
    y = np.asarray(target._data if isinstance(target, Tensor) else target)
    if x.ndim == 0 and y.ndim == 0:  # one score and one target: read as (C,) = (1,), as PyTorch does
        x, y = x.reshape((1,)), y.reshape((1,))
    if x.ndim not in (1, 2) or y.shape != x.shape or y.dtype.kind not in "iu" or x.shape[-1] == 0:
        raise ShapeError(  # PyTorch's RuntimeError
            f"multilabel_margin_loss: Expected non-empty input (C,) or (N, C) with integer targets of its "
            f"shape, got input "
            f"{x.shape} and targets {y.shape} of dtype {y.dtype}"
        )
    x2, y2 = (x.reshape(1, -1), y.reshape(1, -1)) if x.ndim == 1 else (x, y)
    N, C = x2.shape
    valid = np.cumprod(y2 >= 0, axis=1).astype(bool)  # the targets before the first -1
    if (y2[valid] >= C).any():
        raise ValueError(f"multilabel_margin_loss: target class {y2[valid].max()} is not below C={C}")
    is_target = np.zeros((N, C), dtype=bool)
    rows = np.nonzero(valid)[0]
    is_target[rows, y2[valid]] = True
    # pairs (target j, non-target i): hinge 1 - x[j] + x[i]
    pair = (valid[:, :, None] & ~is_target[:, None, :]).astype(x.dtype)  # (N, slot, i)
    xj = x2[np.arange(N)[:, None], np.where(valid, y2, 0)]  # (N, slot)
    hinge = (1 - xj.reshape(N, C, 1) + x2.reshape(N, 1, C)).clip(0, None)
    loss = (hinge * Tensor._const(pair)).sum(axis=(1, 2)) / C
    return apply_reduction(loss.reshape(()) if x.ndim == 1 else loss, reduction, "multilabel_margin_loss")


def triplet_margin_with_distance_loss(
    anchor: Any,
    positive: Any,
    negative: Any,
    *,
    distance_function: Callable[[Any, Any], Any] | None = None,
    margin: float = 1.0,
    swap: bool = False,
    reduction: str = "mean",
) -> Tensor:
    """max(0, d(a, p) - d(a, n) + margin) with any distance d (``pairwise_distance`` by default);
    ``swap`` uses min(d(a, n), d(p, n)) as the negative's distance."""
    if margin <= 0:
        raise ValueError(f"triplet_margin_with_distance_loss: margin must be positive, got {margin}")
    a = as_tensor(anchor)
    p, n = as_tensor(positive, a), as_tensor(negative, a)
    d = distance_function if distance_function is not None else pairwise_distance
    d_pos, d_neg = d(a, p), d(a, n)
    if swap:
        d_neg = minimum(d_neg, d(p, n))
    return apply_reduction(
        (d_pos - d_neg + margin).clip(0, None), reduction, "triplet_margin_with_distance_loss"
    )


class MultiLabelMarginLoss(Module):
    """``multilabel_margin_loss`` as a layer."""

    def __init__(self, size_average: Any = None, reduce: Any = None, reduction: str = "mean") -> None:
        super().__init__()
        self.reduction = legacy_reduction(size_average, reduce, reduction)

    def forward(self, input: Any, target: Any) -> Tensor:
        return multilabel_margin_loss(input, target, reduction=self.reduction)


class TripletMarginWithDistanceLoss(Module):
    """``triplet_margin_with_distance_loss`` as a layer."""

    def __init__(
        self,
        *,
        distance_function: Callable[[Any, Any], Any] | None = None,
        margin: float = 1.0,
        swap: bool = False,
        reduction: str = "mean",
    ) -> None:
        super().__init__()
        self.distance_function, self.margin, self.swap, self.reduction = (
            distance_function,
            margin,
            swap,
            reduction,
        )

    def forward(self, anchor: Any, positive: Any, negative: Any) -> Tensor:
        return triplet_margin_with_distance_loss(
            anchor,
            positive,
            negative,
            distance_function=self.distance_function,
            margin=self.margin,
            swap=self.swap,
            reduction=self.reduction,
        )
