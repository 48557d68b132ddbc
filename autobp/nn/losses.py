"""Regression, distribution and embedding losses with PyTorch's signatures and values, written with
Tensor ops so the engine differentiates them (targets included: they stay on the graph).

Every loss takes ``reduction="mean" | "sum" | "none"`` (PyTorch's legacy ``size_average``/``reduce``
too). nll_loss and cross_entropy, re-exported here, are in ``classification.py``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..ops import maximum, minimum, stack, where
from ..tensor import Tensor

REDUCTIONS = ("mean", "sum", "none")


def as_tensor(x: Any, like: Tensor | None = None) -> Tensor:
    """A Tensor as itself; anything else as a constant, in ``like``'s float dtype if it has one."""
    if isinstance(x, Tensor):
        return x
    dtype = like.dtype if like is not None and like.dtype.kind == "f" else None
    return Tensor(x, dtype=dtype)


def legacy_reduction(size_average: Any, reduce: Any, reduction: str) -> str:
    """PyTorch's mapping of the deprecated ``size_average``/``reduce`` flags onto ``reduction``."""
    if size_average is None and reduce is None:
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    return ("mean" if size_average else "sum") if reduce else "none"


def check_reduction(reduction: str, who: str, extra: tuple = ()) -> None:
    if reduction not in REDUCTIONS + extra:
        raise ValueError(f"{who}: reduction must be one of {REDUCTIONS + extra}, got {reduction!r}")


def apply_reduction(loss: Tensor, reduction: str, who: str) -> Tensor:
    """The mean, the sum, or the elementwise losses themselves."""
    check_reduction(reduction, who)
    if reduction == "mean":
        return loss.mean()
    return loss.sum() if reduction == "sum" else loss


def same_shape(input: Any, target: Any, who: str) -> tuple[Tensor, Tensor]:
    """Input and target as Tensors of one shape (PyTorch would broadcast with a warning: that
    usually hides a bug, so it is an error here)."""
    x = as_tensor(input)
    t = as_tensor(target, x)
    if x.shape != t.shape:
        raise ValueError(f"{who}: input shape {x.shape} and target shape {t.shape} differ")
    return x, t


def softplus(x: Tensor) -> Tensor:
    """log(1 + e^x) = logsumexp(0, x): finite for any x, gradient sigmoid(x)."""
    zero = Tensor._const(np.zeros(x.shape, dtype=x.dtype))
    return stack([zero, x], axis=0).logsumexp(axis=0)


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
    x, t = same_shape(input, target, "l1_loss")
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
        raise ValueError(f"smooth_l1_loss: beta must be >= 0, got {beta}")
    x, t = same_shape(input, target, "smooth_l1_loss")
    d = x - t
    ad = d.abs()
    if beta == 0:
        return apply_reduction(ad, reduction, "smooth_l1_loss")
    return apply_reduction(
        where((ad < beta)._data, 0.5 * d * d / beta, ad - 0.5 * beta), reduction, "smooth_l1_loss"
    )


def huber_loss(
    input: Any, target: Any, reduction: str = "mean", delta: float = 1.0, weight: Any = None
) -> Tensor:
    """0.5 d^2 where |d| < delta, else delta (|d| - 0.5 delta): smooth_l1_loss times delta (beta = delta).
    An elementwise ``weight`` scales each term (the mean stays over elements, as PyTorch's)."""
    if not delta > 0:
        raise ValueError(f"huber_loss: delta must be > 0, got {delta}")
    x, t = same_shape(input, target, "huber_loss")
    d = x - t
    ad = d.abs()
    loss = where((ad < delta)._data, 0.5 * d * d, delta * (ad - 0.5 * delta))
    if weight is not None:
        loss = loss * _elementwise_weight(weight, x, "huber_loss")
    return apply_reduction(loss, reduction, "huber_loss")


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
    x, t = same_shape(input, target, "kl_div")
    if log_target:
        loss = t.exp() * (t - x)
    else:  # xlogy(t, t) - t x: t log t is taken as 0 at t = 0 (the log sees 1 there, so no nan)
        zero = (t == 0)._data
        loss = where(zero, 0.0, t * where(zero, 1.0, t).log()) - t * x
    if reduction == "batchmean":
        total = loss.sum()
        return total / x.shape[0] if x.ndim else total
    return apply_reduction(loss, reduction, "kl_div")


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
    x, t = same_shape(input, target, "poisson_nll_loss")
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
    t = as_tensor(target, x)
    if isinstance(var, (int, float)) and not isinstance(var, bool):
        if var < 0:
            raise ValueError(f"gaussian_nll_loss: var has a negative entry ({var})")
        var = Tensor._const(np.full(x.shape, var, dtype=x.dtype))
    v = as_tensor(var, x)
    if np.any(v._data < 0):
        raise ValueError(f"gaussian_nll_loss: var has negative entries (min {v._data.min()})")
    if v.shape != x.shape:
        if x.shape[:-1] == v.shape:  # one variance per sample: broadcast over the last axis
            v = v.reshape(v.shape + (1,))
        elif not (
            v.ndim == x.ndim and sum(b for a, b in zip(x.shape, v.shape) if a != b) == 1
        ):  # the heteroscedastic case allows exactly one axis of size 1 where input's differs
            raise ValueError(f"gaussian_nll_loss: var of shape {v.shape} does not fit input {x.shape}")
    check_reduction(reduction, "gaussian_nll_loss")
    vd = v._data
    v = v + Tensor._const((np.maximum(vd, eps) - vd).astype(vd.dtype))  # straight-through clamp
    d = x - t
    loss = 0.5 * (v.log() + d * d / v)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return apply_reduction(loss, reduction, "gaussian_nll_loss")


def cosine_embedding_loss(
    input1: Any,
    input2: Any,
    target: Any,
    margin: float = 0.0,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
) -> Tensor:
    """1 - cos(x1, x2) where target = 1, max(0, cos(x1, x2) - margin) where target = -1 (cosine along
    the last axis of (N, D) or (D,) inputs, with PyTorch's 1e-12 added to each squared norm)."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    a = as_tensor(input1)
    b = as_tensor(input2, a)
    y = target._data if isinstance(target, Tensor) else np.asarray(target)
    if a.shape != b.shape or a.ndim not in (1, 2) or y.shape != a.shape[:-1]:
        raise ValueError(
            f"cosine_embedding_loss: inputs {a.shape} and {b.shape} must be one shape (N, D) or (D,) "
            f"with targets of shape {a.shape[:-1]}, got targets {y.shape}"
        )
    eps = 1e-12
    cos = (a * b).sum(axis=-1) / (((a * a).sum(axis=-1) + eps) * ((b * b).sum(axis=-1) + eps)).sqrt()
    pos = where(y == 1, 1 - cos, 0.0)
    neg = where(y == -1, (cos - margin).clip(0, None), 0.0)
    return apply_reduction(pos + neg, reduction, "cosine_embedding_loss")


def margin_ranking_loss(
    input1: Any,
    input2: Any,
    target: Any,
    margin: float = 0.0,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
) -> Tensor:
    """max(0, -target (input1 - input2) + margin), elementwise (target usually +-1; differentiable)."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    a = as_tensor(input1)
    b, y = as_tensor(input2, a), as_tensor(target, a)
    if not a.shape == b.shape == y.shape:
        raise ValueError(
            f"margin_ranking_loss: input1 {a.shape}, input2 {b.shape} and target {y.shape} must match"
        )
    return apply_reduction((-y * (a - b) + margin).clip(0, None), reduction, "margin_ranking_loss")


def pairwise_distance(x1: Any, x2: Any, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> Tensor:
    """||x1 - x2 + eps||_p along the last axis (PyTorch's ``pairwise_distance``; eps keeps the
    gradient finite where the points coincide)."""
    a = as_tensor(x1)
    d = a - as_tensor(x2, a) + eps
    if p == math.inf:
        out = d.abs().max(axis=-1, keepdims=keepdim)
    elif p == 2:
        out = (d * d).sum(axis=-1, keepdims=keepdim).sqrt()
    elif p == 1:
        out = d.abs().sum(axis=-1, keepdims=keepdim)
    elif p > 0:
        out = (d.abs() ** p).sum(axis=-1, keepdims=keepdim) ** (1.0 / p)
    else:
        raise ValueError(f"pairwise_distance: p must be > 0, got {p}")
    return out


def triplet_margin_loss(
    anchor: Any,
    positive: Any,
    negative: Any,
    margin: float = 1.0,
    p: float = 2,
    eps: float = 1e-6,
    swap: bool = False,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
) -> Tensor:
    """max(0, margin + d(a, p) - d(a, n)) with d the pairwise p-norm distance; ``swap`` uses
    min(d(a, n), d(p, n)) as the negative distance (Balntas et al. 2016)."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    a = as_tensor(anchor)
    pos, neg = as_tensor(positive, a), as_tensor(negative, a)
    if not a.ndim == pos.ndim == neg.ndim or a.ndim not in (1, 2):
        raise ValueError(
            f"triplet_margin_loss: anchor {a.shape}, positive {pos.shape} and negative {neg.shape} "
            "must all be (N, D) or (D,)"
        )
    if margin <= 0:
        raise ValueError(f"triplet_margin_loss: margin must be > 0, got {margin}")
    d_pos = pairwise_distance(a, pos, p, eps)
    d_neg = pairwise_distance(a, neg, p, eps)
    if swap:
        d_neg = minimum(d_neg, pairwise_distance(pos, neg, p, eps))
    return apply_reduction((margin + d_pos - d_neg).clip(0, None), reduction, "triplet_margin_loss")


def hinge_embedding_loss(
    input: Any,
    target: Any,
    margin: float = 1.0,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
) -> Tensor:
    """input where target = 1, max(0, margin - input) where target = -1 (as PyTorch: other target
    values count both terms)."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    x = as_tensor(input)
    y = target._data if isinstance(target, Tensor) else np.asarray(target)
    if y.shape != x.shape:
        raise ValueError(f"hinge_embedding_loss: input shape {x.shape} and target shape {y.shape} differ")
    loss = where(y != 1, (margin - x).clip(0, None), 0.0) + where(y != -1, x, 0.0)
    return apply_reduction(loss, reduction, "hinge_embedding_loss")


def soft_margin_loss(
    input: Any, target: Any, size_average: Any = None, reduce: Any = None, reduction: str = "mean"
) -> Tensor:
    """log(1 + exp(-target input)), elementwise (targets +-1)."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    x, t = same_shape(input, target, "soft_margin_loss")
    return apply_reduction(softplus(-t * x), reduction, "soft_margin_loss")


def multilabel_soft_margin_loss(
    input: Any,
    target: Any,
    weight: Any = None,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
) -> Tensor:
    """Per sample, the mean over the C classes (last axis) of the binary cross-entropy of
    sigmoid(input) against 0/1 targets, each class scaled by ``weight`` (broadcast like PyTorch)."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    x, t = same_shape(input, target, "multilabel_soft_margin_loss")
    if x.ndim == 0:
        raise ValueError("multilabel_soft_margin_loss: input must have a class axis, got a 0-d tensor")
    # -(t log sigmoid(x) + (1 - t) log sigmoid(-x)), with log sigmoid(x) = -softplus(-x)
    loss = t * softplus(-x) + (1 - t) * softplus(x)
    if weight is not None:
        loss = loss * as_tensor(weight, x)
    loss = loss.sum(axis=-1) / x.shape[-1]
    return apply_reduction(loss, reduction, "multilabel_soft_margin_loss")


def multi_margin_loss(
    input: Any,
    target: Any,
    p: int = 1,
    margin: float = 1.0,
    weight: Any = None,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
) -> Tensor:
    """Multi-class hinge: per sample sum over classes i != y of max(0, margin - x[y] + x[i])^p / C,
    each term scaled by weight[y] (input (N, C) or (C,), integer targets)."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    if p not in (1, 2):
        raise ValueError(f"multi_margin_loss: p must be 1 or 2, got {p}")
    x = as_tensor(input)
    y = target._data if isinstance(target, Tensor) else np.asarray(target)
    if x.ndim not in (1, 2) or y.shape != x.shape[:-1] or y.dtype.kind not in "iu":
        raise ValueError(
            f"multi_margin_loss: input {x.shape} needs integer targets of shape {x.shape[:-1]}, "
            f"got {y.shape} {y.dtype}"
        )
    c = x.shape[-1]
    if y.size and (y.min() < 0 or y.max() >= c):
        raise ValueError(f"multi_margin_loss: targets must be in [0, {c}), got {y.min()}..{y.max()}")
    onehot = np.arange(c) == y[..., None]
    picked = where(onehot, x, 0.0).sum(axis=-1, keepdims=True)  # x[y] per sample
    z = maximum(margin - picked + x, 0.0)
    if p == 2:
        z = z * z
    if weight is not None:
        w = as_tensor(weight, x)
        z = z * w[y][..., None]
    loss = where(onehot, 0.0, z).sum(axis=-1) / c
    return apply_reduction(loss, reduction, "multi_margin_loss")


from .classification import cross_entropy, nll_loss  # noqa: E402  (it builds on the helpers above)

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
