"""PyTorch's deprecated ``torch.cuda.amp.autocast`` and ``torch.cuda.amp.GradScaler`` as a PyTorch build
without CUDA has them: a FutureWarning, then a warning that CUDA is missing, and they do nothing (the
region casts nothing; the scaler passes losses and steps through), so ported training loops run."""

from __future__ import annotations

from ..amp._deprecated import DeviceAutocast, DeviceGradScaler

__all__ = ["autocast", "GradScaler"]


class autocast(DeviceAutocast):  # noqa: N801  PyTorch's name
    """``torch.cuda.amp.autocast(enabled, dtype, cache_enabled)``: ``autobp.autocast("cuda", ...)``, a
    region that casts nothing (no CUDA)."""

    device_type = "cuda"


class GradScaler(DeviceGradScaler):
    """``torch.cuda.amp.GradScaler(init_scale, growth_factor, backoff_factor, growth_interval, enabled)``:
    ``autobp.amp.GradScaler("cuda", ...)``, disabled (no CUDA): a pass-through."""

    device_type = "cuda"
