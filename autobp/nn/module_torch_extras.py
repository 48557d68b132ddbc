"""More of PyTorch's ``nn.Module`` methods for ported code: ``to`` (dtype and device casts),
``set_submodule``, ``type``, ``to_empty``, ``share_memory``, and ``bfloat16`` refused (numpy has no
bfloat16). Set as Module's methods in module.py (beside the device moves autobp has no device for,
``_device.no_device_method``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._device import check_device
from ..tensor import Tensor


def set_submodule(self: Any, target: str, module: Any, strict: bool = False) -> None:
    """Put ``module`` at dotted path ``target`` (PyTorch's): the parents must exist; with ``strict`` the
    last name must already be a submodule, and a non-Module ``module`` is refused either way."""
    from .module import Module

    if target == "":
        raise ValueError("set_submodule: cannot set the module itself (target is '')")
    if not isinstance(module, Module):
        raise ValueError(f"set_submodule: {type(module).__name__} is not a Module")
    *path, name = target.split(".")
    parent = self.get_submodule(".".join(path))
    if strict and name not in parent._modules:
        raise AttributeError(f"{type(parent).__name__} has no submodule {name!r} (strict=True)")
    if name in parent.__dict__ and name not in parent._modules:
        raise AttributeError(
            f"set_submodule: {name!r} is an attribute of {type(parent).__name__}, not a submodule"
        )
    setattr(parent, name, module)


def type_(self: Any, dst_type: Any) -> Any:
    """Cast every floating parameter and buffer to ``dst_type`` (PyTorch's ``module.type(dtype)``)."""
    return self.to(dst_type)


def to_empty(self: Any, *, device: Any = None, recurse: bool = True) -> Any:
    """PyTorch's move to ``device`` without copying values; autobp's tensors already hold their storage
    on the CPU, the only device, so the module is returned as it is."""
    from .._device import check_device

    check_device(device, "Module.to_empty")
    return self


def share_memory(self: Any) -> Any:
    """The module itself: PyTorch moves storages to shared memory for multiprocessing; autobp's
    DataLoader loads in-process, so there is nothing to share. Refused, as PyTorch's, while a
    parameter or buffer is an uninitialised placeholder."""
    from .small_names import _Uninitialized

    if any(isinstance(t, _Uninitialized) for t in (*self.parameters(), *self.buffers())):
        raise RuntimeError(
            "Can't share memory on an uninitialized parameter or buffer. Call `forward` to initialize "
            "the parameters before calling `module.share_memory()`."
        )
    return self


def bfloat16(self: Any) -> Any:
    """Refused: numpy has no bfloat16 (``Tensor.bfloat16()`` refuses too)."""
    raise TypeError("Module.bfloat16(): numpy has no bfloat16 dtype; use .half() (float16) or .float()")


def forward_pre_hooks(self: Any) -> dict:
    """PyTorch's private ``_forward_pre_hooks`` read by ported code (pruning's tests, ...): the forward
    pre-hooks in calling order, handle id -> hook (a copy; register and remove through the handles)."""
    kinds = self.__dict__.get("_forward_hooks")
    return {} if kinds is None else {k: fn for k, (fn, _) in kinds[0].items()}


def to(self: Any, *args: Any, dtype: Any = None, **kwargs: Any) -> Any:
    """Cast every floating parameter and buffer to ``dtype`` in place (the Parameter objects stay
    the same, so optimisers keep them); gradients are dropped. Returns this module.

    PyTorch's forms work: ``to(dtype)``, ``to(device)``, ``to(device, dtype)``, ``to(tensor)``
    (its dtype), keywords ``device=``/``dtype=``/``non_blocking=``; the device must be the CPU."""
    for a in args:
        if isinstance(a, Tensor):
            dtype = a.dtype
        elif _names_device(a) or isinstance(getattr(a, "type", None), str):  # "cpu", torch.device
            check_device(a, "Module.to")
        elif not isinstance(a, (bool, np.bool_)):  # a positional non_blocking flag: no effect
            dtype = a
    check_device(kwargs.pop("device", None), "Module.to")
    kwargs.pop("non_blocking", None)
    if "copy" in kwargs:
        raise RuntimeError(".to() does not accept copy argument")
    layout = kwargs.pop("memory_format", None)
    if kwargs:
        raise TypeError(f"Module.to: unexpected keyword arguments {sorted(kwargs)}")
    if layout is not None:
        from ..memory_format import module_to

        module_to(self, layout)
    if dtype is None:
        return self
    dtype = np.dtype(dtype)
    if dtype.kind not in "fc":  # PyTorch: floating point or complex dtypes only
        raise TypeError(f"Module.to: dtype must be floating point or complex, got {dtype}")
    for t in list(self.parameters()) + list(self.buffers()):  # PyTorch casts float and complex ones
        if t._data.dtype.kind in "fc" and t._data.dtype != dtype:
            t._data = t._data.astype(dtype)
            t._grad = None
    return self


def _names_device(a: Any) -> bool:
    """Whether ``a`` is a device string ("cpu", "cuda:0", ...) rather than a dtype name."""
    return isinstance(a, str) and a.split(":")[0] in ("cpu", "cuda", "mps", "xpu", "meta")
