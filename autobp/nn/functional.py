"""Losses and layer functions written with Tensor ops only, so the engine differentiates them.

Each loss takes ``reduction="mean" | "sum" | "none"`` (PyTorch's meaning) and checks shapes and values.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._numpy_ops import DistinctIndex
from ..ops import cross_entropy as ops_cross_entropy
from ..ops import linear as ops_linear
from ..ops import nll
from ..ops.activations import (  # noqa: F401  nn.functional re-exports the activation ops
    celu,
    elu,
    gelu,
    glu,
    hardshrink,
    hardsigmoid,
    hardswish,
    hardtanh,
    leaky_relu,
    logsigmoid,
    mish,
    normalize,
    prelu,
    relu6,
    selu,
    silu,
    softmin,
    softplus,
    softshrink,
    softsign,
    tanhshrink,
    threshold,
)
from ..tensor import Tensor

_REDUCTIONS = ("mean", "sum", "none")


def _as_tensor(x: Any, like: Tensor | None = None) -> Tensor:
    if isinstance(x, Tensor):
        return x
    dtype = like.dtype if like is not None and like.dtype.kind == "f" else None
    return Tensor(x, dtype=dtype)


def _reduce(loss: Tensor, reduction: str, who: str) -> Tensor:
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    if reduction == "none":
        return loss
    raise ValueError(f"{who}: reduction must be one of {_REDUCTIONS}, got {reduction!r}")


def _pair(input: Any, target: Any, who: str) -> tuple[Tensor, Tensor]:
    """Input and target as Tensors of the same shape (broadcasting here usually hides a bug)."""
    x = _as_tensor(input)
    t = _as_tensor(target, x)
    if x.shape != t.shape:
        raise ValueError(f"{who}: input shape {x.shape} and target shape {t.shape} differ")
    return x, t


def linear(x: Any, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """x @ weight.T + bias (weight shaped (out, in))."""
    return ops_linear(_as_tensor(x, weight), weight, bias)


def sigmoid(x: Tensor) -> Tensor:
    return _as_tensor(x).sigmoid()


def tanh(x: Tensor) -> Tensor:
    return _as_tensor(x).tanh()


def relu(x: Tensor) -> Tensor:
    return _as_tensor(x).relu()


def sse_loss(input: Any, target: Any, tolerance: float | None = None, reduction: str = "sum") -> Tensor:
    """The 1986 paper's error E = 1/2 sum (y - d)^2 (halved squared error; ``reduction="sum"`` default).

    With ``tolerance=0.2`` (targets must be 0 or 1) it is the paper's margin: an output that should be
    1 costs nothing above 1 - 0.2 = 0.8 and 1/2 (0.8 - y)^2 below it; one that should be 0 costs nothing
    below 0.2 and 1/2 (y - 0.2)^2 above it [Hinton 1986, families, p. 11]. The gradient is continuous.

    >>> float(sse_loss(np.array([0.9, 0.5]), np.array([1.0, 0.0]), tolerance=0.2))
    0.045
    """
    y, d = _pair(input, target, "sse_loss")
    if tolerance is None:
        diff = y - d
    else:
        if not 0 <= tolerance < 0.5:
            raise ValueError(f"sse_loss: tolerance must be in [0, 0.5), got {tolerance}")
        on, off = d.data == 1, d.data == 0
        if not np.all(on | off):
            bad = d.data[~(on | off)].ravel()[:3]
            raise ValueError(f"sse_loss: tolerance needs targets of exactly 0 or 1, got values like {bad}")
        # sign s = +1 where the target is on, -1 where off: the shortfall s * (d' - y) counts only if > 0
        s = np.where(on, 1.0, -1.0).astype(y.dtype)
        edge = np.where(on, 1 - tolerance, tolerance).astype(y.dtype)
        diff = ((edge - y) * s).relu()
    return _reduce(0.5 * diff * diff, reduction, "sse_loss")


def mse_loss(input: Any, target: Any, reduction: str = "mean") -> Tensor:
    """(input - target)^2, averaged by default (PyTorch's ``mse_loss``; no 1/2 factor)."""
    x, t = _pair(input, target, "mse_loss")
    diff = x - t
    return _reduce(diff * diff, reduction, "mse_loss")


def binary_cross_entropy(input: Any, target: Any, reduction: str = "mean") -> Tensor:
    """-(t log p + (1 - t) log(1 - p)) for probabilities p in [0, 1]; each log is floored at -100
    (as PyTorch does) so p = 0 or 1 gives a finite loss. Prefer the ``_with_logits`` form for training."""
    p, t = _pair(input, target, "binary_cross_entropy")
    if np.any((p.data < 0) | (p.data > 1)) or np.any(np.isnan(p.data)):
        raise ValueError(
            "binary_cross_entropy: input must be probabilities in [0, 1]; use the _with_logits form"
        )
    floor = float(np.exp(-100.0))  # log(floor) = -100; representable (subnormal) even in float32
    log_p = p.clip(floor, None).log()
    log_q = (1 - p).clip(floor, None).log()
    return _reduce(-(t * log_p + (1 - t) * log_q), reduction, "binary_cross_entropy")


def binary_cross_entropy_with_logits(
    input: Any, target: Any, pos_weight: Any = None, reduction: str = "mean"
) -> Tensor:
    """Binary cross-entropy of sigmoid(x), stable for any x: t*softplus(-x) + (1-t)*softplus(x).

    ``pos_weight`` multiplies the positive term, as in PyTorch.
    """
    x, t = _pair(input, target, "binary_cross_entropy_with_logits")
    pos = softplus(-x) * t
    if pos_weight is not None:
        pos = pos * _as_tensor(pos_weight, x)
    return _reduce(pos + softplus(x) * (1 - t), reduction, "binary_cross_entropy_with_logits")


def nll_loss(log_probs: Any, target: Any, reduction: str = "mean") -> Tensor:
    """Negative log-likelihood of integer classes: -log_probs[i, target[i]], averaged or summed.

    ``log_probs`` is (N, C) or (C,) with targets (N,) or (); ``cross_entropy`` is
    ``nll_loss(log_softmax(x), t)``. The mean and sum are one graph node.
    """
    x = _as_tensor(log_probs)
    t = target.data if isinstance(target, Tensor) else np.asarray(target)
    _check_classes(x, t, "nll_loss")
    index, divisor = _picks(x, t, reduction, "nll_loss")
    return -x[index] if divisor is None else nll(x, index, divisor)


def _picks(x: Tensor, t: np.ndarray, reduction: str, who: str) -> tuple[tuple, int | None]:
    """The index of each row's target class and what their sum is divided by (None: no reduction)."""
    index = DistinctIndex((np.arange(t.shape[0]), t)) if x.ndim == 2 else (int(t),)  # one pick per row
    if reduction == "none":
        return index, None
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{who}: reduction must be one of {_REDUCTIONS}, got {reduction!r}")
    if reduction == "mean" and t.size == 0:
        raise ValueError(f"{who}: the mean over an empty batch is undefined")
    return index, t.size if reduction == "mean" else 1


def _check_classes(x: Tensor, t: np.ndarray, who: str) -> None:
    """Integer targets of shape x.shape[:-1], each a valid class index."""
    if x.ndim not in (1, 2):
        raise ValueError(f"{who}: input must have shape (N, C) or (C,), got {x.shape}")
    if t.dtype.kind not in "iu":
        raise TypeError(f"{who}: targets must be integer class indices, got dtype {t.dtype}")
    if t.shape != x.shape[:-1]:
        raise ValueError(
            f"{who}: input {x.shape} and targets {t.shape}: need targets of shape {x.shape[:-1]}"
        )
    classes = x.shape[-1]
    if t.size and (t.min() < 0 or t.max() >= classes):
        raise ValueError(f"{who}: targets must be in [0, {classes}), got min {t.min()}, max {t.max()}")


def cross_entropy(input: Any, target: Any, reduction: str = "mean") -> Tensor:
    """Softmax cross-entropy from logits (N, C) or (C,) and integer class targets (N,) or ().

    Float targets of the input's shape are taken as class probabilities. Uses log_softmax, so it
    is stable for logits of any size.
    """
    x = _as_tensor(input)
    if x.ndim not in (1, 2):
        raise ValueError(f"cross_entropy: logits must have shape (N, C) or (C,), got {x.shape}")
    t = target._data if isinstance(target, Tensor) else np.asarray(target)
    if t.dtype.kind == "f":  # class probabilities: differentiable in the target too (d/dt = -log_softmax)
        if t.shape != x.shape:
            raise ValueError(f"cross_entropy: probability targets {t.shape} must match logits {x.shape}")
        probs = target if isinstance(target, Tensor) else _as_tensor(t, x)
        logp = x.log_softmax(axis=-1)
        return _reduce(-(logp * probs).sum(axis=-1), reduction, "cross_entropy")
    _check_classes(x, t, "cross_entropy")  # before the log-softmax: bad targets cost no work
    index, divisor = _picks(x, t, reduction, "cross_entropy")
    if divisor is None:
        return -x.log_softmax(axis=-1)[index]
    return ops_cross_entropy(x, index, divisor)  # one node: its gradient is (softmax - onehot) / divisor


__all__ = [
    "linear",
    "sigmoid",
    "tanh",
    "relu",
    "softplus",
    "sse_loss",
    "mse_loss",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "nll_loss",
]
