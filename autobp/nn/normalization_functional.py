"""The normalisations as functions (``batch_norm``, ``instance_norm``, ``layer_norm``, ``group_norm``,
``rms_norm``, PyTorch's ``nn.functional`` names), composed of autobp ops; ``batch_norm`` and
``instance_norm`` update running statistics exactly as PyTorch does (the running variance takes the
unbiased batch variance, the normalisation the biased one). The layers are in normalization.py."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._broadcast import ShapeError
from ..tensor import Tensor


def _t(x: Any) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


def _channel(v: Any, nd: int, x: Tensor) -> Any:
    """A per-channel vector (C,) shaped (1, C, 1, ...) to broadcast against x of nd dimensions."""
    if v is None:
        return None
    v = v if isinstance(v, Tensor) else Tensor._const(np.asarray(v, dtype=x.dtype))
    return v.reshape((1, -1) + (1,) * (nd - 2))


def _normalise(x: Tensor, axes: tuple, eps: float) -> tuple[Tensor, Tensor, Tensor]:
    """(x - mean) / sqrt(var + eps) over ``axes`` with the biased variance; also mean and var."""
    mean = x.mean(axis=axes, keepdims=True)
    d = x - mean
    var = (d * d).mean(axis=axes, keepdims=True)
    return d / (var + eps) ** 0.5, mean, var


def _update(running: Any, batch: np.ndarray, momentum: float) -> None:
    """running <- (1 - momentum) running + momentum batch, in place (a buffer: outside any graph)."""
    arr = running._data if isinstance(running, Tensor) else running
    arr *= 1.0 - momentum
    arr += momentum * batch.astype(arr.dtype)


def batch_norm(
    input: Any,
    running_mean: Any,
    running_var: Any,
    weight: Any = None,
    bias: Any = None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    """Normalise each channel of (N, C, *) by the batch statistics (``training``, updating the
    running ones in place when given) or by ``running_mean``/``running_var``; then * weight + bias."""
    x = _t(input)
    if x.ndim < 2:
        raise ValueError(f"batch_norm: input must be (N, C, *), got shape {x.shape}")
    C = x.shape[1]
    for name, v in (
        ("running_mean", running_mean),
        ("running_var", running_var),
        ("weight", weight),
        ("bias", bias),
    ):
        if v is not None and np.shape(v._data if isinstance(v, Tensor) else v) != (C,):
            raise ShapeError(f"batch_norm: {name} must have shape ({C},) for input {x.shape}")
    if training and eps <= 0:  # PyTorch's checks: eps divides by sqrt(var + eps)
        raise ValueError(f"batch_norm: eps must be positive during training, got {eps}")
    if eps < 0:
        raise ValueError(f"batch_norm: eps must be non-negative, got {eps}")
    axes = (0,) + tuple(range(2, x.ndim))
    n = int(np.prod([x.shape[a] for a in axes]))  # values per channel
    if training and n == 0:
        y = x * 1  # an empty batch (as PyTorch): empty output, running statistics untouched
    elif training:
        if n == 1:
            raise ValueError(
                f"batch_norm: expected more than 1 value per channel when training, got input {x.shape}"
            )
        y, mean, var = _normalise(x, axes, eps)
        if running_mean is not None:
            _update(running_mean, mean._data.reshape(C), momentum)
        if running_var is not None:
            _update(running_var, var._data.reshape(C) * (n / (n - 1)), momentum)  # unbiased
    else:
        if running_mean is None or running_var is None:
            raise ValueError("batch_norm: evaluation (training=False) needs running_mean and running_var")
        rm = _channel(running_mean, x.ndim, x).detach()
        rv = _channel(running_var, x.ndim, x).detach()
        y = (x - rm) / (rv + eps) ** 0.5
    if weight is not None:
        y = y * _channel(weight, x.ndim, x)
    if bias is not None:
        y = y + _channel(bias, x.ndim, x)
    return y


def instance_norm(
    input: Any,
    running_mean: Any = None,
    running_var: Any = None,
    weight: Any = None,
    bias: Any = None,
    use_input_stats: bool = True,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    """Normalise each (sample, channel) over its spatial axes; running statistics (if given) take
    the batch average of the per-instance mean and unbiased variance."""
    x = _t(input)
    if x.ndim < 3:
        raise ValueError(f"instance_norm: input must be (N, C, *spatial), got shape {x.shape}")
    axes = tuple(range(2, x.ndim))
    if use_input_stats:
        n = int(np.prod(x.shape[2:]))
        if n <= 1:
            raise ValueError(
                f"instance_norm: expected more than 1 spatial element per channel, got {x.shape}"
            )
        y, mean, var = _normalise(x, axes, eps)
        N, C = x.shape[:2]
        if running_mean is not None:
            _update(running_mean, mean._data.reshape(N, C).mean(axis=0), momentum)
        if running_var is not None:
            _update(running_var, (var._data.reshape(N, C) * (n / (n - 1))).mean(axis=0), momentum)
    else:
        rm = _channel(running_mean, x.ndim, x).detach()
        rv = _channel(running_var, x.ndim, x).detach()
        y = (x - rm) / (rv + eps) ** 0.5
    if weight is not None:
        y = y * _channel(weight, x.ndim, x)
    if bias is not None:
        y = y + _channel(bias, x.ndim, x)
    return y


def _trailing(x: Tensor, normalized_shape: Any, who: str) -> tuple:
    shape = (
        (normalized_shape,) if isinstance(normalized_shape, (int, np.integer)) else tuple(normalized_shape)
    )
    if x.shape[x.ndim - len(shape) :] != shape or len(shape) > x.ndim:
        raise ValueError(f"{who}: input {x.shape} must end with normalized_shape {shape}")
    return tuple(range(x.ndim - len(shape), x.ndim))


def layer_norm(
    input: Any, normalized_shape: Any, weight: Any = None, bias: Any = None, eps: float = 1e-5
) -> Tensor:
    """Normalise over the trailing ``normalized_shape`` axes (biased variance), then * weight + bias."""
    x = _t(input)
    y, _, _ = _normalise(x, _trailing(x, normalized_shape, "layer_norm"), eps)
    if weight is not None:
        y = y * weight
    if bias is not None:
        y = y + bias
    return y


def group_norm(
    input: Any, num_groups: int, weight: Any = None, bias: Any = None, eps: float = 1e-5
) -> Tensor:
    """Normalise (N, C, *) over each group of C / num_groups channels and all spatial positions."""
    x = _t(input)
    if x.ndim < 2 or x.shape[1] % num_groups:
        raise ValueError(
            f"group_norm: channels of input {x.shape} must be divisible by num_groups={num_groups}"
        )
    N, C = x.shape[:2]
    if N * C // num_groups * math.prod(x.shape[2:]) == 1:  # PyTorch's check (its _verify_batch_size)
        raise ValueError(f"group_norm: Expected more than 1 value per group, got input of size {x.shape}")
    per_group = math.prod(x.shape[1:]) // num_groups  # explicit: an empty batch has no -1 to infer
    y, _, _ = _normalise(x.reshape(N, num_groups, per_group), (2,), eps)
    y = y.reshape(x.shape)
    if weight is not None:
        y = y * _channel(weight, x.ndim, x)
    if bias is not None:
        y = y + _channel(bias, x.ndim, x)
    return y


def rms_norm(input: Any, normalized_shape: Any, weight: Any = None, eps: float | None = None) -> Tensor:
    """x / sqrt(mean(x^2) + eps) over the trailing axes, then * weight; eps None is the dtype's epsilon."""
    x = _t(input)
    axes = _trailing(x, normalized_shape, "rms_norm")
    e = float(np.finfo(x.dtype).eps) if eps is None else eps
    y = x / ((x * x).mean(axis=axes, keepdims=True) + e) ** 0.5
    return y if weight is None else y * weight


# --- modules -------------------------------------------------------------------------------------
