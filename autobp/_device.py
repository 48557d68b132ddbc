"""PyTorch's ``device=`` argument, accepted where ported code passes it: autobp computes on the CPU
(numpy), so the CPU (``None``, ``"cpu"``, ``"cpu:0"``, a ``torch.device("cpu")``, a tensor's
``.device``) is accepted and any other device is refused with a clear error."""

from __future__ import annotations

from typing import Any


def check_device(device: Any, name: str) -> None:
    """Raise a ValueError unless ``device`` names the CPU (or is None)."""
    if device is None:
        return
    kind = getattr(device, "type", device)  # torch.device has .type
    if isinstance(kind, str) and kind.split(":")[0] == "cpu":
        return
    raise ValueError(
        f"{name}: autobp tensors live in numpy arrays on the CPU; device {device!r} is not available"
    )
