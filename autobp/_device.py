"""PyTorch's ``device=`` argument, accepted where ported code passes it: autobp computes on the CPU
(numpy), so the CPU (``None``, ``"cpu"``, ``"cpu:0"``, a ``torch.device("cpu")``, a tensor's
``.device``) is accepted and any other device is refused with a clear error."""

from __future__ import annotations

import builtins
from typing import Any


def check_device(device: Any, name: str) -> None:
    """Raise a ValueError unless ``device`` names the CPU (or is None)."""
    if device is None:
        return
    kind = getattr(device, "type", device)  # torch.device has .type
    if isinstance(kind, str) and kind.split(":")[0] == "cpu":
        return
    raise DeviceError(
        f"{name}: autobp tensors live in numpy arrays on the CPU; device {device!r} is not available"
    )


class DeviceError(ValueError, RuntimeError):
    """A device other than the CPU: autobp's ValueError, PyTorch's RuntimeError (Generator('opengl'))."""


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


_TYPES = (
    "cpu",
    "cuda",
    "ipu",
    "xpu",
    "mkldnn",
    "opengl",
    "opencl",
    "ideep",
    "hip",
    "ve",
    "fpga",
    "maia",
    "xla",
    "lazy",
    "vulkan",
    "mps",
    "meta",
    "hpu",
    "mtia",
    "privateuseone",
)  # PyTorch's device types, in its error message's order


def _parse(spec: str) -> tuple:
    """``"cuda:1"`` as ("cuda", 1), ``"cpu"`` as ("cpu", None), with PyTorch's RuntimeErrors."""
    kind, sep, idx = spec.partition(":")
    if kind not in _TYPES:
        raise RuntimeError(
            f"Expected one of {', '.join(_TYPES)} device type at start of device string: {spec}"
        )
    if not sep:
        return kind, None
    if not idx.isdigit() or (len(idx) > 1 and idx[0] == "0"):
        raise RuntimeError(f"Invalid device string: '{spec}'")
    return kind, int(idx)


class device(str):  # noqa: N801  PyTorch's name
    """PyTorch's ``torch.device``: ``device("cpu")``, ``device("cpu", 0)``, ``device("cpu:0")``,
    ``device(type="cuda", index=1)``, with ``.type`` and ``.index``. It is also the string it prints as
    (``"cpu"``, ``"cpu:0"``), as a tensor's ``.device`` (numpy's ``ndarray.device``) is the string
    ``"cpu"``: so ``t.device == device("cpu")`` and ``t.device == "cpu"`` both hold. Devices compare as
    PyTorch's (``device("cpu") != device("cpu:0")``). A device other than the CPU can be made, but
    autobp computes on the CPU only: passing one to a factory, ``.to`` or a layer raises a ValueError."""

    __slots__ = ()

    def __new__(cls, type: Any = None, index: Any = None) -> device:  # noqa: A002  PyTorch's name
        if isinstance(type, device) and index is None:
            return type if builtins.type(type) is cls else str.__new__(cls, str(type))
        if isinstance(getattr(type, "type", None), str) and not isinstance(type, str):  # a torch.device
            type, index = (type.type, type.index) if index is None else (type.type, index)
        if isinstance(type, bool) or not isinstance(type, (str, int)):
            raise TypeError(
                "device(): argument 'type' must be str (e.g. 'cpu' or 'cuda:0'), "
                f"not {builtins.type(type).__name__}"
            )
        if isinstance(type, int):
            raise RuntimeError("Cannot access accelerator device when none is available.")
        kind, idx = _parse(type)
        if index is not None:
            if isinstance(index, bool) or not isinstance(index, int):
                raise TypeError(
                    "device(): argument 'index' (position 2) must be int, "
                    f"not {builtins.type(index).__name__}"
                )
            if idx is not None:
                raise RuntimeError(
                    f"type (string) must not include an index because index was passed explicitly: {type}"
                )
            if index < 0:
                raise RuntimeError("Device index must not be negative")
            idx = index
        return str.__new__(cls, kind if idx is None else f"{kind}:{idx}")

    def __getnewargs__(self) -> tuple:
        return (str(self),)

    @property
    def type(self) -> str:  # noqa: A003
        """The kind of device: ``"cpu"``, ``"cuda"``, ... (PyTorch's ``device.type``)."""
        return str.partition(self, ":")[0]

    @property
    def index(self) -> int | None:
        """The device's index, or None when not given (PyTorch's ``device.index``)."""
        idx = str.partition(self, ":")[2]
        return int(idx) if idx else None

    def __str__(self) -> str:
        return str.__str__(self)

    def __repr__(self) -> str:
        idx = self.index
        return f"device(type='{self.type}')" if idx is None else f"device(type='{self.type}', index={idx})"

    def __enter__(self) -> device:
        """``with autobp.device("cpu"):``: nothing to change (autobp computes on the CPU); another
        device is refused."""
        check_device(self, "device")
        return self

    def __exit__(self, *exc: Any) -> None:
        return None


CPU = device("cpu")  # every Tensor's ``.device``
