"""PyTorch's default device and default tensor type (``get_default_device``, ``set_default_device``,
``set_default_tensor_type``): autobp's tensors are numpy arrays on the CPU, so the CPU is the default and
the only device it accepts; a tensor type sets the default dtype."""

from __future__ import annotations

from typing import Any

from . import legacy_tensor_types
from ._device import CPU, check_device
from ._device import device as _device_type
from .pytorch_names import set_default_dtype


def get_default_device() -> _device_type:
    """The device new tensors go to: ``autobp.device("cpu")``, always (PyTorch's ``device(type='cpu')``)."""
    return CPU


def set_default_device(device: Any) -> None:
    """PyTorch's ``torch.set_default_device``: the CPU (``"cpu"``, ``"cpu:0"``, a CPU device) or None is
    accepted, as it is the default already; any other device is refused at once with a ValueError
    (PyTorch takes it and fails at the next tensor made)."""
    check_device(device, "set_default_device")


def set_default_tensor_type(t: Any) -> None:
    """PyTorch's deprecated ``torch.set_default_tensor_type``: a CPU floating-point tensor type (a legacy
    type such as ``autobp.DoubleTensor`` or PyTorch's, or its name ``"torch.DoubleTensor"``) sets the
    default dtype through ``set_default_dtype`` (``FloatTensor``: float32); a CUDA type is a TypeError
    (autobp has no CUDA), and so is a non-floating type, as PyTorch's."""
    if isinstance(t, str):
        module, _, name = t.rpartition(".")
    elif isinstance(t, type):
        module, name = t.__module__, t.__name__
    else:
        raise TypeError(f"set_default_tensor_type: expected a tensor type or its name, got {t!r}")
    if module.endswith("cuda"):
        raise TypeError(
            f"set_default_tensor_type: type {module}.{name} not available: autobp computes with numpy on "
            "the CPU and has no CUDA"
        )
    legacy = getattr(legacy_tensor_types, name, None)
    ours = module in ("", "torch", "autobp") or module.startswith("autobp.")
    if not ours or not isinstance(legacy, legacy_tensor_types._LegacyTensorType):
        raise TypeError(f"set_default_tensor_type: invalid type {t!r}; expected e.g. autobp.DoubleTensor")
    if legacy.dtype.kind != "f":
        raise TypeError(
            f"set_default_tensor_type({name}): only floating-point types are supported as the default type"
        )
    set_default_dtype(legacy.dtype)


__all__ = ["get_default_device", "set_default_device", "set_default_tensor_type"]
