"""Normalisation layers (BatchNorm, LayerNorm, GroupNorm, InstanceNorm, RMSNorm) holding their
parameters and running statistics; the computation is in normalization_functional.py."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .._default_dtype import DEFAULT_FLOAT, default_float
from .._device import check_device
from ..tensor import Tensor
from .module import Module, Parameter
from .normalization_functional import _t, batch_norm, group_norm, instance_norm, layer_norm, rms_norm


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
        dtype: Any = DEFAULT_FLOAT,
        *,
        bias: bool = True,
        device: Any = None,
    ) -> None:
        dtype = default_float(dtype)  # None, PyTorch's default argument: the default dtype
        check_device(device, type(self).__name__)
        super().__init__()
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats, self._has_bias = affine, track_running_stats, bias
        if affine:  # bias=False: a weight only (PyTorch's keyword)
            self.weight = Parameter(np.ones(num_features, dtype=dtype))
            self.bias = Parameter(np.zeros(num_features, dtype=dtype)) if bias else None
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

    _version = 2  # PyTorch's: version 2 added num_batches_tracked to the state dict

    def _load_from_state_dict(self, state_dict: Any, prefix: str, local_metadata: dict, *rest: Any) -> None:
        """A state dict saved before version 2 has no ``num_batches_tracked``: keep the current count
        (PyTorch's backward compatibility)."""
        key = prefix + "num_batches_tracked"
        if local_metadata.get("version", 1) < 2 and self.track_running_stats and key not in state_dict:
            state_dict[key] = self.num_batches_tracked
        super()._load_from_state_dict(state_dict, prefix, local_metadata, *rest)

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
        no_bias = "" if self._has_bias else ", bias=False"
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}"
            f"{no_bias}, track_running_stats={self.track_running_stats}"
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
        dtype: Any = DEFAULT_FLOAT,
        *,
        bias: bool = True,
        device: Any = None,
    ) -> None:
        dtype = default_float(dtype)  # None, PyTorch's default argument: the default dtype
        super().__init__(
            num_features, eps, momentum, affine, track_running_stats, dtype, bias=bias, device=device
        )

    def forward(self, input: Any) -> Tensor:
        x = _t(input)
        nd = self._dims[-1]
        unbatched = x.ndim == nd - 1
        if unbatched:
            x = x.reshape((1,) + x.shape)
        if x.ndim == nd and x.shape[1] != self.num_features and not self.track_running_stats:
            # PyTorch's rule: the statistics are per (sample, channel) whatever num_features says, so
            # only the affine weights need it to match
            if self.affine:
                raise ValueError(
                    f"expected input's size at dim=1 to match num_features ({self.num_features}), but got: "
                    f"{x.shape[1]}."
                )
            warnings.warn(
                "input's size at dim=1 does not match num_features. You can silence this warning by not "
                "passing in num_features, which is not used because affine=False",
                stacklevel=2,
            )
        else:
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
        dtype: Any = DEFAULT_FLOAT,
        *,
        device: Any = None,
    ) -> None:
        dtype = default_float(dtype)  # None, PyTorch's default argument: the default dtype
        check_device(device, type(self).__name__)
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
        dtype: Any = DEFAULT_FLOAT,
        *,
        bias: bool = True,
        device: Any = None,
    ) -> None:
        dtype = default_float(dtype)  # None, PyTorch's default argument: the default dtype
        check_device(device, "GroupNorm")
        super().__init__()
        if num_channels % num_groups:
            raise ValueError(
                f"GroupNorm: num_channels={num_channels} must be divisible by num_groups={num_groups}"
            )
        self.num_groups, self.num_channels, self.eps, self.affine = num_groups, num_channels, eps, affine
        self.weight = Parameter(np.ones(num_channels, dtype=dtype)) if affine else None
        self.bias = Parameter(np.zeros(num_channels, dtype=dtype)) if affine and bias else None

    def forward(self, input: Any) -> Tensor:
        return group_norm(input, self.num_groups, self.weight, self.bias, self.eps)


class RMSNorm(Module):
    """x / sqrt(mean(x^2) + eps) over the trailing axes, times a weight (ones)."""

    def __init__(
        self,
        normalized_shape: Any,
        eps: float | None = None,
        elementwise_affine: bool = True,
        dtype: Any = DEFAULT_FLOAT,
        *,
        device: Any = None,
    ) -> None:
        dtype = default_float(dtype)  # None, PyTorch's default argument: the default dtype
        check_device(device, type(self).__name__)
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
