"""nll_loss and cross_entropy with PyTorch's options: class ``weight``, ``ignore_index``,
``label_smoothing``, probability targets (differentiable) and K-dimensional inputs (N, C, d1, ...).

Plain integer targets with 1-D or 2-D input and no option take one fused graph node
(``ops.nll`` / ``ops.cross_entropy``); any option takes the general path, written with Tensor ops.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._autocast import autocasts
from .._broadcast import ShapeError
from .._numpy_ops import DistinctIndex
from ..ops import cross_entropy as fused_cross_entropy
from ..ops import nll as fused_nll
from ..tensor import Tensor
from ._loss_common import as_tensor, check_reduction, legacy_reduction
from ._nn_errors import NNArgumentError


def _class_targets(x: Tensor, target: Any, ignore_index: int, who: str) -> tuple[np.ndarray, bool]:
    """Integer targets of shape (N, d1, ...) for input (N, C, d1, ...) ((), for input (C,)), each a
    class in [0, C) or ``ignore_index``. Returns them and whether any is ignored."""
    t = target._data if isinstance(target, Tensor) else np.asarray(target)
    if x.ndim == 0:
        raise ValueError(f"{who}: input must have a class axis, got a 0-d tensor")
    if t.dtype.kind not in "iu":
        raise TypeError(f"{who}: targets must be integer class indices, got dtype {t.dtype}")
    want = x.shape[:1] + x.shape[2:] if x.ndim >= 2 else ()
    if t.shape != want:
        said = f"{who}: input {x.shape} and targets {t.shape}: need targets of shape {want}"
        if x.ndim == 2 and t.ndim == 2:  # PyTorch's RuntimeError (and words) for this one
            raise NNArgumentError(f"{said} (1D target tensor expected, multi-target not supported)")
        if x.ndim >= 2 and t.ndim >= 1 and t.shape[0] != x.shape[0]:
            raise ValueError(
                f"{said} (Expected input batch_size ({x.shape[0]}) to match target batch_size "
                f"({t.shape[0]}).)"
            )
        raise ValueError(said)
    classes = x.shape[1] if x.ndim >= 2 else x.shape[0]
    if t.size == 0:
        return t, False
    lo, hi = t.min(), t.max()
    if 0 <= lo and hi < classes:  # the usual case, decided by two reductions
        return t, bool(0 <= ignore_index < classes and (t == ignore_index).any())
    valid = (t == ignore_index) | ((t >= 0) & (t < classes))
    if not valid.all():
        bad = t[~valid]
        raise ValueError(
            f"{who}: targets must be in [0, {classes}) (or ignore_index {ignore_index}), "
            f"got min {bad.min()}, max {bad.max()}"
        )
    return t, True


def _fused_picks(x: Tensor, t: np.ndarray, reduction: str, who: str) -> tuple[tuple, int | None]:
    """For 1-D/2-D input: each row's target index, and what the sum is divided by (None: no reduction)."""
    index = DistinctIndex((np.arange(t.shape[0]), t)) if x.ndim == 2 else (int(t),)  # one pick per row
    if reduction == "none":
        return index, None
    check_reduction(reduction, who)
    return index, t.size if reduction == "mean" else 1


def _class_weight(weight: Any, x: Tensor, classes: int, who: str) -> Tensor | None:
    if weight is None:
        return None
    w = as_tensor(weight, x)
    if w.shape != (classes,):
        raise NNArgumentError(
            f"{who}: weight must have shape ({classes},) (one per class), got {w.shape} (weight tensor "
            f"should be defined either for all {classes} classes or no classes but got weight tensor of "
            f"shape: {list(w.shape)})"
        )
    return w


def _picked(logp: Tensor, t: np.ndarray, w: Tensor | None, ignore_index: int) -> tuple[Tensor, Tensor]:
    """-w[t] logp[n, t, d...] per target (0 where ignored), and the weights w[t] (0 where ignored)."""
    keep = t != ignore_index
    safe = np.where(keep, t, 0)
    xl = logp.transpose((0,) + tuple(range(2, logp.ndim)) + (1,)) if logp.ndim > 2 else logp
    picked = xl[np.indices(safe.shape, sparse=True) + (safe,)]  # class axis last: one pick each
    wt = Tensor._const(keep.astype(logp.dtype))
    if w is not None:
        wt = w[safe] * wt
    return -picked * wt, wt


def _weighted(loss: Tensor, wt: Tensor, reduction: str) -> Tensor:
    """PyTorch's weighted mean: the sum of the losses over the sum of the targets' weights."""
    if reduction == "mean":
        total = wt.sum()
        if total._data == 0:  # every target ignored: the mean is nan, and the gradient 0 (as PyTorch)
            return loss.sum() * 0.0 + np.nan
        return loss.sum() / total
    return loss.sum() if reduction == "sum" else loss


def _reduction(weight: Any, size_average: Any, reduce: Any, reduction: str) -> tuple[Any, str]:
    if isinstance(weight, str):  # autobp's earlier positional form f(input, target, reduction)
        weight, reduction = None, weight
    reduction = legacy_reduction(size_average, reduce, reduction)
    return weight, reduction


@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def nll_loss(
    input: Any,
    target: Any,
    weight: Any = None,
    size_average: Any = None,
    ignore_index: int = -100,
    reduce: Any = None,
    reduction: str = "mean",
) -> Tensor:
    """Negative log-likelihood of integer classes: -weight[t] input[n, t, d...] for input (N, C, d1, ...)
    or (C,) of log-probabilities; targets equal to ``ignore_index`` count nothing. ``reduction="mean"``
    divides by the sum of the counted targets' weights (their number without ``weight``).

    >>> float(nll_loss(np.log([[0.5, 0.5], [0.9, 0.1]]), np.array([0, 1])))   # doctest: +ELLIPSIS
    1.497...
    """
    weight, reduction = _reduction(weight, size_average, reduce, reduction)
    x = as_tensor(input)
    t, ignored = _class_targets(x, target, ignore_index, "nll_loss")
    if weight is None and not ignored and x.ndim <= 2 and t.size:  # (an empty batch: the mean is nan)
        index, divisor = _fused_picks(x, t, reduction, "nll_loss")
        return -x[index] if divisor is None else fused_nll(x, index, divisor)
    check_reduction(reduction, "nll_loss")
    w = _class_weight(weight, x, x.shape[1] if x.ndim >= 2 else x.shape[0], "nll_loss")
    loss, wt = _picked(x, t, w, ignore_index)
    return _weighted(loss, wt, reduction)


@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def cross_entropy(
    input: Any,
    target: Any,
    weight: Any = None,
    size_average: Any = None,
    ignore_index: int = -100,
    reduce: Any = None,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor:
    """Softmax cross-entropy from logits (N, C, d1, ...) or (C,), PyTorch's: integer class targets
    (N, d1, ...) (with ``weight``, ``ignore_index`` and the weighted mean, as ``nll_loss``), or
    class-probability targets of the input's shape (float; differentiable, mean over N d1 ...).
    ``label_smoothing`` e mixes the target with the uniform distribution: (1 - e) target + e / C.
    Uses log_softmax, so it is stable for logits of any size.

    >>> x = Tensor([[2.0, 0.0, -1.0]], requires_grad=True)
    >>> cross_entropy(x, np.array([0]), label_smoothing=0.1).backward()   # doctest: +SKIP
    """
    weight, reduction = _reduction(weight, size_average, reduce, reduction)
    x = as_tensor(input)
    if x.ndim == 0:
        raise ValueError("cross_entropy: logits must have a class axis, got a 0-d tensor")
    if not 0 <= label_smoothing <= 1:
        raise NNArgumentError(
            f"cross_entropy: label_smoothing must be in [0, 1], got {label_smoothing} (label_smoothing "
            f"must be between 0.0 and 1.0. Got: {label_smoothing})"
        )
    axis = 1 if x.ndim >= 2 else 0
    classes = x.shape[axis]
    t_kind = target.dtype.kind if isinstance(target, Tensor) else np.asarray(target).dtype.kind
    if t_kind == "f":
        if ignore_index != -100:  # PyTorch refuses it rather than ignore it silently
            raise ValueError(
                f"cross_entropy: ignore_index={ignore_index} is not supported for class-probability "
                "(floating point) targets"
            )
        return _probability_targets(x, target, weight, reduction, label_smoothing, axis)
    t, ignored = _class_targets(x, target, ignore_index, "cross_entropy")
    if weight is None and not ignored and not label_smoothing and x.ndim <= 2 and t.size:
        index, divisor = _fused_picks(x, t, reduction, "cross_entropy")  # before the softmax: no work
        if divisor is None:
            return -x.log_softmax(axis=-1)[index]
        return fused_cross_entropy(
            x, index, divisor
        )  # one node: its gradient is (softmax - onehot) / divisor
    check_reduction(reduction, "cross_entropy")
    w = _class_weight(weight, x, classes, "cross_entropy")
    logp = x.log_softmax(axis=axis)
    loss, wt = _picked(logp, t, w, ignore_index)
    nll = _weighted(loss, wt, reduction)
    if not label_smoothing:
        return nll
    # the uniform part: -sum_c w_c logp_c per target (0 where ignored), reduced with nll's divisor
    wb = None if w is None else w.reshape((classes,) + (1,) * (x.ndim - axis - 1))
    smooth = -(logp if wb is None else logp * wb).sum(axis=axis)
    smooth = smooth * Tensor._const((t != ignore_index).astype(x.dtype))
    return (1 - label_smoothing) * nll + _weighted(smooth, wt, reduction) * (label_smoothing / classes)


def _probability_targets(
    x: Tensor, target: Any, weight: Any, reduction: str, label_smoothing: float, axis: int
) -> Tensor:
    """-sum_c w_c t_c log softmax(x)_c per sample; the mean is over samples (weights do not divide)."""
    t = as_tensor(target, x)
    if t.shape != x.shape:
        raise ShapeError(f"cross_entropy: probability targets {t.shape} must match logits {x.shape}")
    check_reduction(reduction, "cross_entropy")
    classes = x.shape[axis]
    if label_smoothing:
        t = t * (1 - label_smoothing) + label_smoothing / classes
    terms = x.log_softmax(axis=axis) * t
    w = _class_weight(weight, x, classes, "cross_entropy")
    if w is not None:
        terms = terms * w.reshape((classes,) + (1,) * (x.ndim - axis - 1))
    loss = -terms.sum(axis=axis)
    if reduction == "mean":
        return loss.sum() / (x.size // classes) if x.size else loss.sum() * np.nan
    return loss.sum() if reduction == "sum" else loss


__all__ = ["nll_loss", "cross_entropy"]
