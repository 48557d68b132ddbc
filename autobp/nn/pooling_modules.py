"""Pooling layers as modules (PyTorch's nn.MaxPool2d, nn.AvgPool2d, ...): each holds its window
settings and calls the function of the same name in ``pooling``."""

from __future__ import annotations

from typing import Any

from ..tensor import Tensor
from .module import Module
from .pooling import (
    adaptive_avg_pool1d,
    adaptive_avg_pool2d,
    adaptive_avg_pool3d,
    adaptive_max_pool1d,
    adaptive_max_pool2d,
    adaptive_max_pool3d,
    avg_pool1d,
    avg_pool2d,
    avg_pool3d,
    lp_pool1d,
    lp_pool2d,
    lp_pool3d,
    max_pool1d,
    max_pool2d,
    max_pool3d,
    max_unpool1d,
    max_unpool2d,
    max_unpool3d,
)


class _MaxPool(Module):
    _fn: Any = None

    def __init__(
        self, kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False
    ):
        super().__init__()
        self.kernel_size, self.stride, self.padding, self.dilation = kernel_size, stride, padding, dilation
        self.return_indices, self.ceil_mode = return_indices, ceil_mode

    def forward(self, input: Any) -> Any:
        return type(self)._fn(
            input,
            self.kernel_size,
            self.stride,
            self.padding,
            self.dilation,
            self.ceil_mode,
            self.return_indices,
        )

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxPool1d(_MaxPool):
    """Max pooling over windows of the last axis of (N, C, L); see ``nn.functional.max_pool1d``."""

    _fn = staticmethod(max_pool1d)


class MaxPool2d(_MaxPool):
    """Max pooling over windows of the last two axes of (N, C, H, W); see ``nn.functional.max_pool2d``."""

    _fn = staticmethod(max_pool2d)


class AvgPool1d(Module):
    """Average pooling over windows of the last axis of (N, C, L); see ``nn.functional.avg_pool1d``."""

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
        super().__init__()
        self.kernel_size, self.stride, self.padding = kernel_size, stride, padding
        self.ceil_mode, self.count_include_pad = ceil_mode, count_include_pad

    def forward(self, input: Any) -> Tensor:
        return avg_pool1d(
            input, self.kernel_size, self.stride, self.padding, self.ceil_mode, self.count_include_pad
        )


class MaxPool3d(_MaxPool):
    """Max pooling over the last three axes of (N, C, D, H, W); see ``nn.functional.max_pool3d``."""

    _fn = staticmethod(max_pool3d)


class AvgPool2d(Module):
    """Average pooling over windows of the last two axes of (N, C, H, W); see ``nn.functional.avg_pool2d``."""

    _fn = staticmethod(avg_pool2d)

    def __init__(
        self,
        kernel_size,
        stride=None,
        padding=0,
        ceil_mode=False,
        count_include_pad=True,
        divisor_override=None,
    ):
        super().__init__()
        self.kernel_size, self.stride, self.padding = kernel_size, stride, padding
        self.ceil_mode, self.count_include_pad, self.divisor_override = (
            ceil_mode,
            count_include_pad,
            divisor_override,
        )

    def forward(self, input: Any) -> Tensor:
        return type(self)._fn(
            input,
            self.kernel_size,
            self.stride,
            self.padding,
            self.ceil_mode,
            self.count_include_pad,
            self.divisor_override,
        )


class AvgPool3d(AvgPool2d):
    """Average pooling over the last three axes of (N, C, D, H, W); see ``nn.functional.avg_pool3d``."""

    _fn = staticmethod(avg_pool3d)


class _Adaptive(Module):
    _fn: Any = None

    def __init__(self, output_size: Any, return_indices: bool = False) -> None:
        super().__init__()
        self.output_size, self.return_indices = output_size, return_indices

    def forward(self, input: Any) -> Any:
        if self.return_indices:
            return type(self)._fn(input, self.output_size, True)
        return type(self)._fn(input, self.output_size)


class AdaptiveAvgPool1d(_Adaptive):
    """Average pooling to a given output length, windows chosen as PyTorch's."""

    _fn = staticmethod(adaptive_avg_pool1d)


class AdaptiveAvgPool2d(_Adaptive):
    """Average pooling to a given output size (H, W), windows chosen as PyTorch's."""

    _fn = staticmethod(adaptive_avg_pool2d)


class AdaptiveMaxPool1d(_Adaptive):
    """Max pooling to a given output length, windows chosen as PyTorch's."""

    _fn = staticmethod(adaptive_max_pool1d)


class AdaptiveMaxPool2d(_Adaptive):
    """Max pooling to a given output size (H, W), windows chosen as PyTorch's."""

    _fn = staticmethod(adaptive_max_pool2d)


class AdaptiveAvgPool3d(_Adaptive):
    """Average pooling to a given output size (D, H, W), windows chosen as PyTorch's."""

    _fn = staticmethod(adaptive_avg_pool3d)


class AdaptiveMaxPool3d(_Adaptive):
    """Max pooling to a given output size (D, H, W), windows chosen as PyTorch's."""

    _fn = staticmethod(adaptive_max_pool3d)


class _LPPool(Module):
    _fn: Any = None

    def __init__(
        self, norm_type: float, kernel_size: Any, stride: Any = None, ceil_mode: bool = False
    ) -> None:
        super().__init__()
        self.norm_type, self.kernel_size, self.stride, self.ceil_mode = (
            norm_type,
            kernel_size,
            stride,
            ceil_mode,
        )

    def forward(self, input: Any) -> Tensor:
        return type(self)._fn(input, self.norm_type, self.kernel_size, self.stride, self.ceil_mode)


class LPPool1d(_LPPool):
    """Power-average pooling, (sum of x^p over a window)^(1/p), over the last axis."""

    _fn = staticmethod(lp_pool1d)


class LPPool2d(_LPPool):
    """Power-average pooling, (sum of x^p over a window)^(1/p), over the last two axes."""

    _fn = staticmethod(lp_pool2d)


class LPPool3d(_LPPool):
    """Power-average pooling, (sum of x^p over a window)^(1/p), over the last three axes."""

    _fn = staticmethod(lp_pool3d)


class _MaxUnpool(Module):
    _fn: Any = None

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0) -> None:
        super().__init__()
        self.kernel_size, self.stride, self.padding = kernel_size, stride, padding

    def forward(self, input: Any, indices: Any, output_size: Any = None) -> Tensor:
        return type(self)._fn(input, indices, self.kernel_size, self.stride, self.padding, output_size)


class MaxUnpool1d(_MaxUnpool):
    """``max_unpool1d`` as a layer."""

    _fn = staticmethod(max_unpool1d)


class MaxUnpool2d(_MaxUnpool):
    """``max_unpool2d`` as a layer."""

    _fn = staticmethod(max_unpool2d)


class MaxUnpool3d(_MaxUnpool):
    """``max_unpool3d`` as a layer."""

    _fn = staticmethod(max_unpool3d)
