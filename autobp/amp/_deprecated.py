"""The one implementation of PyTorch's deprecated per-device spellings (``torch.cpu.amp.autocast``,
``torch.cuda.amp.GradScaler``, ...): ``autobp.amp``'s with the device fixed by the subclass, warning
(FutureWarning) as PyTorch's do. ``autobp.cpu.amp`` and ``autobp.cuda.amp`` name the subclasses."""

from __future__ import annotations

import warnings
from typing import Any

from .autocast_mode import autocast
from .grad_scaler import GradScaler


def _warn(device: str, name: str) -> None:
    warnings.warn(
        f"`autobp.{device}.amp.{name}(args...)` is deprecated, as torch.{device}.amp.{name} is. "
        f"Please use `autobp.amp.{name}('{device}', args...)` instead.",
        FutureWarning,
        stacklevel=3,  # the caller of the subclass's constructor
    )


class DeviceAutocast(autocast):
    """``torch.<device>.amp.autocast(enabled, dtype, cache_enabled)``: ``autobp.autocast(device, ...)``."""

    device_type = ""  # set by the subclass

    def __init__(self, enabled: bool = True, dtype: Any = None, cache_enabled: bool = True) -> None:
        _warn(self.device_type, "autocast")
        super().__init__(self.device_type, dtype=dtype, enabled=enabled, cache_enabled=cache_enabled)


class DeviceGradScaler(GradScaler):
    """``torch.<device>.amp.GradScaler(init_scale, growth_factor, backoff_factor, growth_interval,
    enabled)``: ``autobp.amp.GradScaler(device, ...)``."""

    device_type = ""  # set by the subclass

    def __init__(
        self,
        init_scale: float = 2.0**16,
        growth_factor: float = 2.0,
        backoff_factor: float = 0.5,
        growth_interval: int = 2000,
        enabled: bool = True,
    ) -> None:
        _warn(self.device_type, "GradScaler")
        super().__init__(
            self.device_type, init_scale, growth_factor, backoff_factor, growth_interval, enabled
        )
