"""PyTorch's deprecated ``torch.cpu.amp.autocast`` and ``torch.cpu.amp.GradScaler``: ``autobp.amp``'s
with the device fixed to the CPU, warning (FutureWarning) as PyTorch's do."""

from __future__ import annotations

import warnings
from typing import Any

from ..amp import GradScaler as _GradScaler
from ..amp import autocast as _autocast

__all__ = ["autocast", "GradScaler"]


class autocast(_autocast):  # noqa: N801  PyTorch's name
    """``torch.cpu.amp.autocast(enabled, dtype, cache_enabled)``: ``autobp.autocast("cpu", ...)``. Its
    ``dtype`` must be given as ``autobp.float16``: PyTorch's default here, bfloat16, is not in numpy."""

    def __init__(self, enabled: bool = True, dtype: Any = None, cache_enabled: bool = True) -> None:
        warnings.warn(
            "`autobp.cpu.amp.autocast(args...)` is deprecated, as torch.cpu.amp.autocast is. "
            "Please use `autobp.amp.autocast('cpu', args...)` instead.",
            FutureWarning,
            stacklevel=2,
        )
        super().__init__("cpu", dtype=dtype, enabled=enabled, cache_enabled=cache_enabled)


class GradScaler(_GradScaler):
    """``torch.cpu.amp.GradScaler(init_scale, growth_factor, backoff_factor, growth_interval, enabled)``:
    ``autobp.amp.GradScaler("cpu", ...)``."""

    def __init__(
        self,
        init_scale: float = 2.0**16,
        growth_factor: float = 2.0,
        backoff_factor: float = 0.5,
        growth_interval: int = 2000,
        enabled: bool = True,
    ) -> None:
        warnings.warn(
            "`autobp.cpu.amp.GradScaler(args...)` is deprecated, as torch.cpu.amp.GradScaler is. "
            "Please use `autobp.amp.GradScaler('cpu', args...)` instead.",
            FutureWarning,
            stacklevel=2,
        )
        super().__init__("cpu", init_scale, growth_factor, backoff_factor, growth_interval, enabled)
