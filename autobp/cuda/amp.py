"""PyTorch's deprecated ``torch.cuda.amp.autocast`` and ``torch.cuda.amp.GradScaler`` as a PyTorch build
without CUDA has them: a FutureWarning, then a warning that CUDA is missing, and they do nothing (the
region casts nothing; the scaler passes losses and steps through), so ported training loops run."""

from __future__ import annotations

import warnings
from typing import Any

from ..amp import GradScaler as _GradScaler
from ..amp import autocast as _autocast

__all__ = ["autocast", "GradScaler"]


class autocast(_autocast):  # noqa: N801  PyTorch's name
    """``torch.cuda.amp.autocast(enabled, dtype, cache_enabled)``: ``autobp.autocast("cuda", ...)``, a
    region that casts nothing (no CUDA)."""

    def __init__(self, enabled: bool = True, dtype: Any = None, cache_enabled: bool = True) -> None:
        warnings.warn(
            "`autobp.cuda.amp.autocast(args...)` is deprecated, as torch.cuda.amp.autocast is. "
            "Please use `autobp.amp.autocast('cuda', args...)` instead.",
            FutureWarning,
            stacklevel=2,
        )
        super().__init__("cuda", dtype=dtype, enabled=enabled, cache_enabled=cache_enabled)


class GradScaler(_GradScaler):
    """``torch.cuda.amp.GradScaler(init_scale, growth_factor, backoff_factor, growth_interval, enabled)``:
    ``autobp.amp.GradScaler("cuda", ...)``, disabled (no CUDA): a pass-through."""

    def __init__(
        self,
        init_scale: float = 2.0**16,
        growth_factor: float = 2.0,
        backoff_factor: float = 0.5,
        growth_interval: int = 2000,
        enabled: bool = True,
    ) -> None:
        warnings.warn(
            "`autobp.cuda.amp.GradScaler(args...)` is deprecated, as torch.cuda.amp.GradScaler is. "
            "Please use `autobp.amp.GradScaler('cuda', args...)` instead.",
            FutureWarning,
            stacklevel=2,
        )
        super().__init__("cuda", init_scale, growth_factor, backoff_factor, growth_interval, enabled)
