"""Margin and embedding losses (cosine embedding, margin ranking, triplet, hinge, soft margin,
multi-label and multi-class margin) with PyTorch's signatures and values, written with Tensor ops."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._autocast import autocasts
from .._broadcast import ShapeError
from ..ops import maximum, minimum, where
from ..ops.norms import vector_norm
from ..tensor import Tensor
from ._loss_common import apply_reduction, as_tensor, float_target, legacy_reduction, same_shape, softplus


@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
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
    _check_cosine_shapes(a.shape, b.shape, y.shape)
    eps = 1e-12
    cos = (a * b).sum(axis=-1) / (((a * a).sum(axis=-1) + eps) * ((b * b).sum(axis=-1) + eps)).sqrt()
    pos = where(y == 1, 1 - cos, 0.0)
    neg = where(y == -1, (cos - margin).clip(0, None), 0.0)
    return apply_reduction(pos + neg, reduction, "cosine_embedding_loss")


@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
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
    b, y = as_tensor(input2, a), float_target(as_tensor(target, a), a)
    if not a.shape == b.shape == y.shape:
        raise ValueError(
            f"margin_ranking_loss: input1 {a.shape}, input2 {b.shape} and target {y.shape} must match"
        )
    return apply_reduction((-y * (a - b) + margin).clip(0, None), reduction, "margin_ranking_loss")


def pairwise_distance(x1: Any, x2: Any, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> Tensor:
    """||x1 - x2 + eps||_p along the last axis (PyTorch's ``pairwise_distance``: its ``norm`` of the
    difference, so any p, 0 and the infinities included, and the modulus of complex differences; eps
    keeps the gradient finite where the points coincide)."""
    a = as_tensor(x1)
    return vector_norm(a - as_tensor(x2, a) + eps, ord=p, axis=-1, keepdims=keepdim)


@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
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


@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
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


@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def soft_margin_loss(
    input: Any, target: Any, size_average: Any = None, reduce: Any = None, reduction: str = "mean"
) -> Tensor:
    """log(1 + exp(-target input)), elementwise (targets +-1)."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    x, t = same_shape(input, target, "soft_margin_loss")
    return apply_reduction(softplus(-t * x), reduction, "soft_margin_loss")


@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
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


@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
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
    if x.ndim == 0:  # one score: a single class, read as (C,) = (1,) with a 0-d target (PyTorch's)
        x = x.reshape((1,))
    if x.ndim == 1 and y.shape == (1,):  # (C,) with a (1,) target is a batch of one, (1, C) (PyTorch's)
        x = x.reshape((1, x.shape[0]))
    if x.ndim not in (1, 2) or y.shape != x.shape[:-1] or y.dtype.kind not in "iu" or x.shape[-1] == 0:
        raise ShapeError(  # PyTorch's RuntimeError
            f"multi_margin_loss: Expected a non-empty input {x.shape} with integer targets of shape "
            f"{x.shape[:-1]}, "
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


def _check_cosine_shapes(sa: tuple, sb: tuple, sy: tuple) -> None:
    """PyTorch's checks (and words) for cosine_embedding_loss: a 1-d target with (N, D) inputs, a 0-d
    target with (D,) inputs, inputs of one shape; refused as ValueError and RuntimeError both."""
    if len(sy) > 1:
        raise ShapeError(
            f"cosine_embedding_loss: 0D or 1D target tensor expected, multi-target not supported, got {sy}"
        )
    want = 2 if len(sy) == 1 else 1
    if len(sa) != want or len(sb) != want:
        raise ShapeError(
            f"cosine_embedding_loss: {len(sy)}D target tensor expects {want}D input tensors, "
            f"but found inputs with sizes {list(sa)} and {list(sb)}"
        )
    if sa != sb:
        raise ShapeError(f"cosine_embedding_loss: the size of input1 {sa} must match the size of input2 {sb}")
    if sy and sy[0] != sa[0]:
        raise ShapeError(
            f"cosine_embedding_loss: the size of target {sy} must match the batch of the inputs {sa}"
        )
