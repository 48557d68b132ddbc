"""``autobp.amp``: PyTorch's automatic mixed precision, ``autocast`` (float16 matmuls and convs, float32
losses) and ``GradScaler`` (loss scaling with inf/NaN-skipping steps), on the CPU."""

from .autocast_mode import (
    autocast,
    get_autocast_dtype,
    is_autocast_available,
    is_autocast_enabled,
    set_autocast_dtype,
    set_autocast_enabled,
)
from .grad_scaler import GradScaler, OptState

__all__ = [
    "autocast",
    "GradScaler",
    "OptState",
    "is_autocast_available",
    "is_autocast_enabled",
    "get_autocast_dtype",
    "set_autocast_enabled",
    "set_autocast_dtype",
]
