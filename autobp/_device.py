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


def no_device_method(owner: str, device: str, what: str) -> Any:
    """PyTorch's ``x.cuda()``-style move for a device autobp has not: a method that raises, naming it
    (``what``: what ``.cpu()`` returns instead)."""

    def move(self: Any, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(
            f"{owner}.{device}(): autobp computes with numpy on the CPU and has no {device} device; "
            f"leave the call out (.cpu() returns {what})"
        )

    move.__name__ = device
    move.__doc__ = f"PyTorch's ``{owner.lower()}.{device}()``: refused, as autobp has no {device} device."
    return move


class CpuDevice(str):
    """A tensor's ``.device``: the string ``"cpu"`` (numpy's ``ndarray.device``), which also answers
    PyTorch's ``torch.device`` attributes ``type`` ("cpu") and ``index`` (None)."""

    __slots__ = ()

    @property
    def type(self) -> str:
        """``"cpu"``: the kind of device (PyTorch's ``device.type``)."""
        return "cpu"

    @property
    def index(self) -> None:
        """None: the CPU has no device index (PyTorch's ``device.index``)."""
        return None


CPU = CpuDevice("cpu")
