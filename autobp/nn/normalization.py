"""Normalisation layers (BatchNorm, LayerNorm, GroupNorm, InstanceNorm, RMSNorm) and their functional
forms, composed of autobp ops; running statistics are updated exactly as PyTorch updates them
(the running variance takes the unbiased batch variance, the normalisation the biased one)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor
from .module import Module, Parameter


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
            raise ValueError(f"batch_norm: {name} must have shape ({C},) for input {x.shape}")
    axes = (0,) + tuple(range(2, x.ndim))
    if training:
        n = x.size // C
        if n <= 1:
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
    y, _, _ = _normalise(x.reshape(N, num_groups, -1), (2,), eps)
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
class _NormBase(Module):
    """Per-channel affine parameters and running-statistics buffers with PyTorch's names."""

    _dims: tuple = ()

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        dtype: Any = np.float64,
    ) -> None:
        super().__init__()
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        if affine:
            self.weight = Parameter(np.ones(num_features, dtype=dtype))
            self.bias = Parameter(np.zeros(num_features, dtype=dtype))
        else:
            self.weight = self.bias = None
        if track_running_stats:
            self.register_buffer("running_mean", np.zeros(num_features, dtype=dtype))
            self.register_buffer("running_var", np.ones(num_features, dtype=dtype))
            self.register_buffer("num_batches_tracked", np.array(0, dtype=np.int64))
        else:
            self.running_mean = self.running_var = self.num_batches_tracked = None

    def reset_running_stats(self) -> None:
        if self.track_running_stats:
            self.running_mean._data[...] = 0
            self.running_var._data[...] = 1
            self.num_batches_tracked._data[...] = 0

    def _check(self, x: Tensor) -> None:
        if x.ndim not in self._dims or x.shape[1] != self.num_features:
            raise ValueError(
                f"{type(self).__name__}({self.num_features}): expected input of "
                f"{' or '.join(map(str, self._dims))} "
                f"dimensions with {self.num_features} channels, got shape {x.shape}"
            )

    def _momentum(self) -> float:
        """The update factor: ``momentum``, or 1 / batches seen (a cumulative average) when None."""
        if self.training and self.track_running_stats:
            self.num_batches_tracked._data[...] += 1
            if self.momentum is None:
                return 1.0 / float(self.num_batches_tracked._data)
        return 0.0 if self.momentum is None else self.momentum

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
            f"track_running_stats={self.track_running_stats}"
        )


class _BatchNorm(_NormBase):
    def forward(self, input: Any) -> Tensor:
        x = _t(input)
        self._check(x)
        momentum = self._momentum()
        use_batch = self.training or self.running_mean is None
        track = not self.training or self.track_running_stats  # PyTorch's rule for passing buffers
        return batch_norm(
            x,
            self.running_mean if track else None,
            self.running_var if track else None,
            self.weight,
            self.bias,
            use_batch,
            momentum,
            self.eps,
        )


class BatchNorm1d(_BatchNorm):
    """Batch normalisation of (N, C) or (N, C, L) per channel (Ioffe & Szegedy, 2015)."""

    _dims = (2, 3)


class BatchNorm2d(_BatchNorm):
    """Batch normalisation of (N, C, H, W) per channel.

    >>> bn = BatchNorm2d(3)
    >>> [k for k in bn.state_dict()]
    ['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']
    """

    _dims = (4,)


class BatchNorm3d(_BatchNorm):
    """Batch normalisation of (N, C, D, H, W) per channel."""

    _dims = (5,)


class _InstanceNorm(_NormBase):
    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = False,
        track_running_stats: bool = False,
        dtype: Any = np.float64,
    ) -> None:
        super().__init__(num_features, eps, momentum, affine, track_running_stats, dtype)

    def forward(self, input: Any) -> Tensor:
        x = _t(input)
        nd = self._dims[-1]
        unbatched = x.ndim == nd - 1
        if unbatched:
            x = x.reshape((1,) + x.shape)
        self._check(x)
        momentum = 0.0 if self.momentum is None else self.momentum  # PyTorch counts no batches here
        y = instance_norm(
            x,
            self.running_mean,
            self.running_var,
            self.weight,
            self.bias,
            self.training or not self.track_running_stats,
            momentum,
            self.eps,
        )
        return y.reshape(y.shape[1:]) if unbatched else y


class InstanceNorm1d(_InstanceNorm):
    """Normalise each (sample, channel) sequence of (N, C, L) over L; no affine by default."""

    _dims = (3,)


class InstanceNorm2d(_InstanceNorm):
    """Normalise each (sample, channel) image over H, W (Ulyanov et al., 2016); no affine by default."""

    _dims = (4,)


class InstanceNorm3d(_InstanceNorm):
    """Normalise each (sample, channel) volume of (N, C, D, H, W) over D, H, W; no affine by default."""

    _dims = (5,)


class LayerNorm(Module):
    """Normalise over the trailing ``normalized_shape`` axes; weight (ones) and bias (zeros) of that shape."""

    def __init__(
        self,
        normalized_shape: Any,
        eps: float = 1e-5,
        elementwise_affine: bool = True,
        bias: bool = True,
        dtype: Any = np.float64,
    ) -> None:
        super().__init__()
        shape = (
            (normalized_shape,)
            if isinstance(normalized_shape, (int, np.integer))
            else tuple(normalized_shape)
        )
        self.normalized_shape, self.eps, self.elementwise_affine = shape, eps, elementwise_affine
        self.weight = Parameter(np.ones(shape, dtype=dtype)) if elementwise_affine else None
        self.bias = Parameter(np.zeros(shape, dtype=dtype)) if elementwise_affine and bias else None

    def forward(self, input: Any) -> Tensor:
        return layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"


class GroupNorm(Module):
    """Normalise groups of channels (Wu & He, 2018); per-channel weight and bias."""

    def __init__(
        self,
        num_groups: int,
        num_channels: int,
        eps: float = 1e-5,
        affine: bool = True,
        dtype: Any = np.float64,
    ) -> None:
        super().__init__()
        if num_channels % num_groups:
            raise ValueError(
                f"GroupNorm: num_channels={num_channels} must be divisible by num_groups={num_groups}"
            )
        self.num_groups, self.num_channels, self.eps, self.affine = num_groups, num_channels, eps, affine
        self.weight = Parameter(np.ones(num_channels, dtype=dtype)) if affine else None
        self.bias = Parameter(np.zeros(num_channels, dtype=dtype)) if affine else None

    def forward(self, input: Any) -> Tensor:
        return group_norm(input, self.num_groups, self.weight, self.bias, self.eps)


class RMSNorm(Module):
    """x / sqrt(mean(x^2) + eps) over the trailing axes, times a weight (ones)."""

    def __init__(
        self,
        normalized_shape: Any,
        eps: float | None = None,
        elementwise_affine: bool = True,
        dtype: Any = np.float64,
    ) -> None:
        super().__init__()
        shape = (
            (normalized_shape,)
            if isinstance(normalized_shape, (int, np.integer))
            else tuple(normalized_shape)
        )
        self.normalized_shape, self.eps = shape, eps
        self.weight = Parameter(np.ones(shape, dtype=dtype)) if elementwise_affine else None

    def forward(self, input: Any) -> Tensor:
        return rms_norm(input, self.normalized_shape, self.weight, self.eps)
