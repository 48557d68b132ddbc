"""Regression and distribution losses with PyTorch's signatures and values, written with
Tensor ops so the engine differentiates them (targets included: they stay on the graph).

Every loss takes ``reduction="mean" | "sum" | "none"`` (PyTorch's legacy ``size_average``/``reduce``
too). nll_loss and cross_entropy (``classification.py``) and the margin losses (``margin_losses.py``) are
re-exported here.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._autocast import autocasts
from .._broadcast import ShapeError
from ..ops import where, xlogy
from ..tensor import Tensor
from ._loss_common import (
    apply_reduction,
    as_tensor,
    broadcast_pair,
    check_reduction,
    float_target,
    legacy_reduction,
)


@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def l1_loss(
    input: Any,
    target: Any,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    weight: Any = None,
) -> Tensor:
    """|input - target| (gradient 0 where they are equal, as PyTorch's sign(0) = 0). An elementwise
    ``weight`` scales each term, and the mean is then divided by the sum of the weights (PyTorch's rule)."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    x, t = broadcast_pair(input, target, "l1_loss")
    loss = (x - t).abs()
    if weight is None:
        return apply_reduction(loss, reduction, "l1_loss")
    w = _elementwise_weight(weight, x, "l1_loss")
    check_reduction(reduction, "l1_loss")
    loss = loss * w
    return loss.sum() / w.sum() if reduction == "mean" else apply_reduction(loss, reduction, "l1_loss")


def _elementwise_weight(weight: Any, x: Tensor, who: str) -> Tensor:
    w = as_tensor(weight, x)
    if w.shape != x.shape:
        raise ValueError(f"{who}: weight shape {w.shape} must equal the input shape {x.shape}")
    return w


@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def smooth_l1_loss(
    input: Any,
    target: Any,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    beta: float = 1.0,
) -> Tensor:
    """0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta (d = input - target); beta = 0 is L1."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    if not beta >= 0:
        raise ShapeError(
            f"smooth_l1_loss: beta must be >= 0 (smooth_l1_loss does not support negative values for beta), "
            f"got {beta}"
        )
    x, t = broadcast_pair(input, target, "smooth_l1_loss")
    d = x - t
    ad = d.abs()
    if beta == 0:
        return apply_reduction(ad, reduction, "smooth_l1_loss")
    return apply_reduction(
        where((ad < beta)._data, 0.5 * d * d / beta, ad - 0.5 * beta), reduction, "smooth_l1_loss"
    )


@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def huber_loss(
    input: Any, target: Any, reduction: str = "mean", delta: float = 1.0, weight: Any = None
) -> Tensor:
    """0.5 d^2 where |d| < delta, else delta (|d| - 0.5 delta): smooth_l1_loss times delta (beta = delta).
    An elementwise ``weight`` scales each term (the mean stays over elements, as PyTorch's)."""
    if not delta > 0:
        raise ShapeError(
            f"huber_loss: delta must be > 0 (huber_loss does not support non-positive values for delta), "
            f"got {delta}"
        )
    x, t = broadcast_pair(input, target, "huber_loss")
    d = x - t
    ad = d.abs()
    loss = where((ad < delta)._data, 0.5 * d * d, delta * (ad - 0.5 * delta))
    if weight is not None:
        loss = loss * _elementwise_weight(weight, x, "huber_loss")
    return apply_reduction(loss, reduction, "huber_loss")


@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def kl_div(
    input: Any,
    target: Any,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    log_target: bool = False,
) -> Tensor:
    """KL(target || exp(input)) pointwise, ``input`` being log-probabilities: target (log target - input),
    0 where target = 0; with ``log_target`` the target is given as log-probabilities too.
    ``reduction="batchmean"`` divides the sum by the batch size (the true KL divergence per sample);
    "mean" divides by the number of elements, as PyTorch does."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    check_reduction(reduction, "kl_div", ("batchmean",))
    x, t = broadcast_pair(input, target, "kl_div", warn=False)
    if log_target:
        loss = t.exp() * (t - x)
    else:  # as torch's: xlogy(t, t) - t x, so t = 0 gives 0 and xlogy's gradients (nan w.r.t. t there)
        loss = xlogy(t, t) - t * x
    if reduction == "batchmean":
        total = loss.sum()
        return total / x.shape[0] if x.ndim else total
    return apply_reduction(loss, reduction, "kl_div")


@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def poisson_nll_loss(
    input: Any,
    target: Any,
    log_input: bool = True,
    full: bool = False,
    size_average: Any = None,
    eps: float = 1e-8,
    reduce: Any = None,
    reduction: str = "mean",
) -> Tensor:
    """Negative log-likelihood of ``target`` under Poisson(rate): exp(input) - target input with
    ``log_input`` (input = log rate), else input - target log(input + eps); ``full`` adds Stirling's
    log(target!) ~ target log target - target + 0.5 log(2 pi target) where target > 1."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    x, t = broadcast_pair(input, target, "poisson_nll_loss", warn=False)
    loss = x.exp() - t * x if log_input else x - t * (x + eps).log()
    if full:
        big = (t > 1)._data
        tb = where(big, t, 2.0)  # keeps log finite where the term is masked out
        stirling = tb * tb.log() - tb + 0.5 * (2 * math.pi * tb).log()
        loss = loss + where(big, stirling, 0.0)
    return apply_reduction(loss, reduction, "poisson_nll_loss")


def gaussian_nll_loss(
    input: Any, target: Any, var: Any, full: bool = False, eps: float = 1e-6, reduction: str = "mean"
) -> Tensor:
    """0.5 (log var + (input - target)^2 / var) (+ 0.5 log 2 pi with ``full``), PyTorch's rules:
    var of input's shape, or without input's last axis, or with one axis of size 1 (broadcast);
    a float var is one variance for all. Var is clamped at ``eps`` for the value only: its gradient
    passes through the clamp unchanged, as PyTorch's clamp under no_grad does."""
    x = as_tensor(input)
    t = float_target(as_tensor(target, x), x)
    if isinstance(var, (int, float)) and not isinstance(var, bool):
        if var < 0:
            raise ValueError(f"gaussian_nll_loss: var has negative entry/entries ({var})")
        var = Tensor._const(np.full(x.shape, var, dtype=x.dtype))
    v = as_tensor(var, x)
    if np.any(v._data < 0):
        raise ValueError(f"gaussian_nll_loss: var has negative entry/entries (min {v._data.min()})")
    if v.shape != x.shape:
        if x.shape[:-1] == v.shape:  # one variance per sample: broadcast over the last axis
            v = v.reshape(v.shape + (1,))
        elif not (
            v.ndim == x.ndim and sum(b for a, b in zip(x.shape, v.shape) if a != b) == 1
        ):  # the heteroscedastic case allows exactly one axis of size 1 where input's differs
            raise ValueError(
                f"gaussian_nll_loss: var is of incorrect size: "
                f"var of shape {v.shape} does not fit input {x.shape}"
            )
    check_reduction(reduction, "gaussian_nll_loss")
    vd = v._data
    v = v + Tensor._const((np.maximum(vd, eps) - vd).astype(vd.dtype))  # straight-through clamp
    d = x - t
    loss = 0.5 * (v.log() + d * d / v)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return apply_reduction(loss, reduction, "gaussian_nll_loss")


from .classification import cross_entropy, nll_loss  # noqa: E402  (it builds on the helpers above)
from .margin_losses import (  # noqa: E402
    cosine_embedding_loss,
    hinge_embedding_loss,
    margin_ranking_loss,
    multi_margin_loss,
    multilabel_soft_margin_loss,
    pairwise_distance,
    soft_margin_loss,
    triplet_margin_loss,
)

__all__ = [
    "nll_loss",
    "cross_entropy",
    "l1_loss",
    "smooth_l1_loss",
    "huber_loss",
    "kl_div",
    "poisson_nll_loss",
    "gaussian_nll_loss",
    "cosine_embedding_loss",
    "margin_ranking_loss",
    "pairwise_distance",
    "triplet_margin_loss",
    "hinge_embedding_loss",
    "soft_margin_loss",
    "multilabel_soft_margin_loss",
    "multi_margin_loss",
]
