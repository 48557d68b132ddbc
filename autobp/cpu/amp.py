"""PyTorch's deprecated ``torch.cpu.amp.autocast`` and ``torch.cpu.amp.GradScaler``: ``autobp.amp``'s
with the device fixed to the CPU, warning (FutureWarning) as PyTorch's do."""

from __future__ import annotations

from ..amp._deprecated import DeviceAutocast, DeviceGradScaler

__all__ = ["autocast", "GradScaler"]


class autocast(DeviceAutocast):  # noqa: N801  PyTorch's name
    """``torch.cpu.amp.autocast(enabled, dtype, cache_enabled)``: ``autobp.autocast("cpu", ...)``. Its
    ``dtype`` must be given as ``autobp.float16``: PyTorch's default here, bfloat16, is not in numpy."""

    device_type = "cpu"


class GradScaler(DeviceGradScaler):
    """``torch.cpu.amp.GradScaler(init_scale, growth_factor, backoff_factor, growth_interval, enabled)``:
    ``autobp.amp.GradScaler("cpu", ...)``."""

    device_type = "cpu"
