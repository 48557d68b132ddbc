"""Convolution layers (Conv1d/2d/3d, ConvTranspose1d/2d, Fold, Unfold) with PyTorch's constructor
arguments, parameter names and shapes, and default initialisation."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._default_dtype import DEFAULT_FLOAT, default_float
from .._device import check_device
from ..tensor import Tensor
from . import conv_functional as CF
from . import init
from .fold import fold, unfold
from .module import Module, Parameter

_MODES = ("zeros", "reflect", "replicate", "circular")


def pad_mode(x: Tensor, lo: tuple, hi: tuple, mode: str) -> Tensor:
    """Pad the trailing len(lo) axes of ``x`` by reflection, replication or wrap-around (PyTorch's
    F.pad modes 'reflect', 'replicate', 'circular'), as a gather: the gradient sums back into x."""
    nd = len(lo)
    for i in range(nd):
        a, b = lo[i], hi[i]
        if not a and not b:
            continue
        axis = x.ndim - nd + i
        n = x.shape[axis]
        pos = np.arange(-a, n + b)
        if mode == "reflect":
            if a >= n or b >= n:
                raise ValueError(
                    f"padding_mode='reflect': padding ({a}, {b}) must be smaller than the size {n}"
                )
            pos = np.abs(pos)
            pos = np.where(pos > n - 1, 2 * (n - 1) - pos, pos)
        elif mode == "replicate":
            pos = np.clip(pos, 0, n - 1)
        elif mode == "circular":
            if a > n or b > n:
                raise ValueError(f"padding_mode='circular': padding ({a}, {b}) must not exceed the size {n}")
            pos = pos % n
        else:
            raise ValueError(f"padding_mode must be one of {_MODES}, got {mode!r}")
        x = x[(slice(None),) * axis + (pos,)]
    return x


class _ConvNd(Module):
    _nd = 0
    _transposed = False

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Any,
        stride: Any = 1,
        padding: Any = 0,
        dilation: Any = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        output_padding: Any = 0,
        rng: init.RngLike = None,
        dtype: Any = DEFAULT_FLOAT,
        *,
        device: Any = None,
    ) -> None:
        dtype = default_float(dtype)  # None, PyTorch's default argument: the default dtype
        check_device(device, type(self).__name__)
        super().__init__()
        nd, who = self._nd, type(self).__name__
        if not isinstance(groups, (int, np.integer)) or groups < 1:
            raise ValueError(f"{who}: groups must be a positive integer, got {groups!r}")
        if in_channels % groups or out_channels % groups:
            raise ValueError(
                f"{who}: groups={groups} must divide in_channels={in_channels} "
                f"and out_channels={out_channels}"
            )
        if not isinstance(padding_mode, str) or padding_mode not in _MODES:
            raise ValueError(
                f"{who}: padding_mode must be one of {list(_MODES)}, but got padding_mode={padding_mode!r}"
            )
        if self._transposed and padding_mode != "zeros":
            raise ValueError(f'Only "zeros" padding mode is supported for {who}')
        self.in_channels, self.out_channels, self.groups = in_channels, out_channels, groups
        self.kernel_size = CF._tuple(kernel_size, nd, "kernel_size", who)
        # a non-positive stride is refused when the layer runs (by F.conv*), as PyTorch refuses it
        self.stride = CF._tuple(stride, nd, "stride", who, lo=-(2**62))
        self.dilation = CF._tuple(dilation, nd, "dilation", who)
        if isinstance(padding, str):
            if padding not in ("same", "valid"):
                raise ValueError(
                    f"{who}: Invalid padding string {padding!r}, should be one of {{'valid', 'same'}}"
                )
            if padding == "same" and any(s != 1 for s in self.stride):
                raise ValueError(f"{who}: padding='same' is not supported for strided convolutions")
            self.padding = padding
        else:
            self.padding = CF._tuple(padding, nd, "padding", who, lo=0)
        self.output_padding = CF._tuple(output_padding, nd, "output_padding", who, lo=0)
        self.padding_mode = padding_mode
        if self._transposed:
            shape = (in_channels, out_channels // groups) + self.kernel_size
        else:
            shape = (out_channels, in_channels // groups) + self.kernel_size
        rng = init.as_generator(rng)
        self.weight = Parameter(np.empty(shape, dtype=dtype))
        self.reset_parameters(rng, bias)

    def reset_parameters(self, rng: init.RngLike = None, bias: bool | None = None) -> None:
        """PyTorch's default: weight from kaiming_uniform(a=sqrt(5)), i.e. U(+-1/sqrt(fan_in)), and
        the bias from U(+-1/sqrt(fan_in)), fan_in = weight.shape[1] * prod(kernel_size)."""
        rng = init.as_generator(rng)
        init.kaiming_uniform_(self.weight, a=math.sqrt(5), rng=rng)
        if bias is None:
            bias = self.bias is not None
        if bias:
            fan_in, _ = init.fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0.0
            self.bias = Parameter(np.empty(self.out_channels, dtype=self.weight.dtype))
            init.uniform_(self.bias, -bound, bound, rng)
        else:
            self.bias = None

    def _padding_lo_hi(self) -> tuple[tuple, tuple]:
        if self.padding == "valid":
            return (0,) * self._nd, (0,) * self._nd
        if self.padding == "same":
            total = tuple(d * (k - 1) for d, k in zip(self.dilation, self.kernel_size))
            lo = tuple(t // 2 for t in total)
            return lo, tuple(t - a for t, a in zip(total, lo))
        return self.padding, self.padding

    def extra_repr(self) -> str:
        s = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        if self.padding != (0,) * self._nd:
            s += f", padding={self.padding}"
        if self.dilation != (1,) * self._nd:
            s += f", dilation={self.dilation}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode}"
        return s


class _Conv(_ConvNd):
    def forward(self, input: Any) -> Tensor:
        fn = (None, CF.conv1d, CF.conv2d, CF.conv3d)[self._nd]
        if self.padding_mode == "zeros":
            return fn(input, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)
        lo, hi = self._padding_lo_hi()
        x = pad_mode(input if isinstance(input, Tensor) else Tensor(input), lo, hi, self.padding_mode)
        return fn(x, self.weight, self.bias, self.stride, 0, self.dilation, self.groups)


class Conv1d(_Conv):
    """1-D convolution over (N, C_in, L): weight (C_out, C_in/groups, k), bias (C_out,)."""

    _nd = 1


class Conv2d(_Conv):
    """2-D convolution over (N, C_in, H, W): weight (C_out, C_in/groups, kH, kW), bias (C_out,).

    >>> Conv2d(1, 6, 5, rng=0)(np.zeros((2, 1, 8, 8))).shape
    (2, 6, 4, 4)
    """

    _nd = 2


class Conv3d(_Conv):
    """3-D convolution over (N, C_in, D, H, W): weight (C_out, C_in/groups, kD, kH, kW)."""

    _nd = 3


class _ConvTranspose(_ConvNd):
    _transposed = True

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Any,
        stride: Any = 1,
        padding: Any = 0,
        output_padding: Any = 0,
        groups: int = 1,
        bias: bool = True,
        dilation: Any = 1,
        padding_mode: str = "zeros",
        rng: init.RngLike = None,
        dtype: Any = DEFAULT_FLOAT,
        *,
        device: Any = None,
    ) -> None:
        dtype = default_float(dtype)  # None, PyTorch's default argument: the default dtype
        check_device(device, type(self).__name__)
        super().__init__(
            in_channels,
            out_channels,
            kernel_size,
            stride,
            padding,
            dilation,
            groups,
            bias,
            padding_mode,
            output_padding,
            rng,
            dtype,
        )

    def forward(self, input: Any, output_size: Any = None) -> Tensor:
        """``output_size`` (the trailing spatial sizes) picks the output_padding, as in PyTorch."""
        nd = self._nd
        out_pad = self.output_padding
        if output_size is not None:
            x_shape = np.shape(input._data if isinstance(input, Tensor) else input)
            want = tuple(output_size)[-nd:]
            base = [
                (x_shape[-nd + i] - 1) * self.stride[i]
                - 2 * self.padding[i]
                + self.dilation[i] * (self.kernel_size[i] - 1)
                + 1
                for i in range(nd)
            ]
            out_pad = tuple(w - b for w, b in zip(want, base))
            if any(not 0 <= p < max(s, d) for p, s, d in zip(out_pad, self.stride, self.dilation)):
                raise ValueError(
                    f"{type(self).__name__}: output_size {want} is not reachable from input {x_shape}"
                )
        fn = (None, CF.conv_transpose1d, CF.conv_transpose2d, CF.conv_transpose3d)[nd]
        return fn(
            input, self.weight, self.bias, self.stride, self.padding, out_pad, self.groups, self.dilation
        )


class ConvTranspose1d(_ConvTranspose):
    """1-D transposed convolution: weight (C_in, C_out/groups, k)."""

    _nd = 1


class ConvTranspose2d(_ConvTranspose):
    """2-D transposed convolution: weight (C_in, C_out/groups, kH, kW)."""

    _nd = 2


class ConvTranspose3d(_ConvTranspose):
    """3-D transposed convolution: weight (C_in, C_out/groups, kD, kH, kW)."""

    _nd = 3


class Unfold(Module):
    """Sliding blocks as columns (im2col): (N, C, H, W) -> (N, C * kH * kW, L)."""

    def __init__(self, kernel_size: Any, dilation: Any = 1, padding: Any = 0, stride: Any = 1) -> None:
        super().__init__()
        self.kernel_size, self.dilation, self.padding, self.stride = kernel_size, dilation, padding, stride

    def forward(self, input: Any) -> Tensor:
        return unfold(input, self.kernel_size, self.dilation, self.padding, self.stride)


class Fold(Module):
    """Columns summed back into an image (col2im): (N, C * kH * kW, L) -> (N, C, H, W)."""

    def __init__(
        self, output_size: Any, kernel_size: Any, dilation: Any = 1, padding: Any = 0, stride: Any = 1
    ) -> None:
        super().__init__()
        self.output_size, self.kernel_size = output_size, kernel_size
        self.dilation, self.padding, self.stride = dilation, padding, stride

    def forward(self, input: Any) -> Tensor:
        return fold(input, self.output_size, self.kernel_size, self.dilation, self.padding, self.stride)
