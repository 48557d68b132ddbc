"""PyTorch's ``torch.cuda`` as a CPU-only PyTorch build answers it: autobp computes with numpy on the CPU,
so no CUDA device is available. Queries say so, seeding and cache calls do nothing (as PyTorch documents
for a machine without CUDA), and whatever needs a GPU raises ``NoCudaError``."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._device import device as _device_type
from ..cpu import StreamContext  # does nothing: with no stream, PyTorch's does nothing either
from . import amp


class NoCudaError(AssertionError, RuntimeError):
    """A call that needs a CUDA device: an AssertionError, as CPU-only PyTorch raises ("Torch not
    compiled with CUDA enabled"), and a RuntimeError, as its other no-CUDA errors."""


def _no_cuda(who: str) -> NoCudaError:
    return NoCudaError(
        f"autobp.cuda.{who}: autobp computes with numpy on the CPU and has no CUDA device (PyTorch "
        "without CUDA raises here too); test autobp.cuda.is_available() first or use device='cpu'"
    )


def is_available() -> bool:
    """False: autobp has no CUDA device (``device = "cuda" if is_available() else "cpu"`` picks the CPU)."""
    return False


def device_count() -> int:
    """0: the number of CUDA devices autobp can use."""
    return 0


def is_initialized() -> bool:
    """False: there is no CUDA state to initialise."""
    return False


def init() -> None:
    """PyTorch's ``torch.cuda.init()``: refused (``NoCudaError``), as CPU-only PyTorch refuses it."""
    raise _no_cuda("init()")


def manual_seed(seed: int) -> None:
    """Seed the CUDA generator: ignored without CUDA, as PyTorch documents (``int(seed)`` is still checked);
    seed autobp's own generator with ``autobp.manual_seed``."""
    int(seed)


def manual_seed_all(seed: int) -> None:
    """Seed every CUDA generator: ignored without CUDA, as ``manual_seed``."""
    int(seed)


def seed() -> None:
    """Seed the CUDA generator from the clock: ignored without CUDA."""


def seed_all() -> None:
    """Seed every CUDA generator from the clock: ignored without CUDA."""


def initial_seed() -> int:
    """The CUDA generator's seed: refused (``NoCudaError``), as there is no CUDA generator."""
    raise _no_cuda("initial_seed()")


def get_rng_state(device: Any = "cuda") -> Any:
    """The CUDA generator's state: refused (``NoCudaError``), as there is no CUDA generator."""
    raise _no_cuda("get_rng_state()")


def get_rng_state_all() -> list:
    """One state per CUDA device: ``[]``, as there are none."""
    return []


def set_rng_state(new_state: Any, device: Any = "cuda") -> None:
    """Set the CUDA generator's state: ignored, as PyTorch ignores it until CUDA is initialised (never)."""


def set_rng_state_all(new_states: Any) -> None:
    """Set every CUDA generator's state: ignored, as ``set_rng_state``."""


def empty_cache() -> None:
    """Release cached GPU memory: nothing to release (numpy frees arrays itself)."""


def synchronize(device: Any = None) -> None:
    """Wait for the GPU's kernels: refused (``NoCudaError``), as CPU-only PyTorch refuses it."""
    raise _no_cuda("synchronize()")


def current_device() -> int:
    """The current CUDA device's index: refused (``NoCudaError``), as there is none."""
    raise _no_cuda("current_device()")


def get_device_name(device: Any = None) -> str:
    """A CUDA device's name: refused (``NoCudaError``), as there is none."""
    raise _no_cuda("get_device_name()")


def get_device_properties(device: Any = None) -> Any:
    """A CUDA device's properties: refused (``NoCudaError``), as there is none."""
    raise _no_cuda("get_device_properties()")


def get_device_capability(device: Any = None) -> tuple:
    """A CUDA device's compute capability: refused (``NoCudaError``), as there is none."""
    raise _no_cuda("get_device_capability()")


def mem_get_info(device: Any = None) -> tuple:
    """Free and total GPU memory: refused (``NoCudaError``), as there is no GPU."""
    raise _no_cuda("mem_get_info()")


def ipc_collect() -> None:
    """Free GPU memory shared between processes: refused (``NoCudaError``), as CPU-only PyTorch."""
    raise _no_cuda("ipc_collect()")


def memory_allocated(device: Any = None) -> int:
    """Bytes of GPU memory held by tensors: 0."""
    return 0


def max_memory_allocated(device: Any = None) -> int:
    """The peak of ``memory_allocated``: 0."""
    return 0


def memory_reserved(device: Any = None) -> int:
    """Bytes of GPU memory held by the caching allocator: 0."""
    return 0


def max_memory_reserved(device: Any = None) -> int:
    """The peak of ``memory_reserved``: 0."""
    return 0


def reset_peak_memory_stats(device: Any = None) -> None:
    """Reset the GPU memory peaks: refused (``NoCudaError``); CPU-only PyTorch raises too (an
    AttributeError from its missing CUDA bindings)."""
    raise _no_cuda("reset_peak_memory_stats()")


def reset_max_memory_allocated(device: Any = None) -> None:
    """Reset the peak of ``memory_allocated``: refused, as ``reset_peak_memory_stats``."""
    raise _no_cuda("reset_max_memory_allocated()")


def _index(dev: Any, who: str, optional: bool) -> int | None:
    """A CUDA device's index, with PyTorch's ValueErrors for a CPU device or one without an index."""
    if isinstance(dev, int) and not isinstance(dev, bool):
        return dev
    if isinstance(dev, str) or isinstance(getattr(dev, "type", None), str):
        d = _device_type(dev)
        if d.type != "cuda":
            raise ValueError(f"autobp.cuda.{who}: expected a cuda device, but got: {d}")
        if d.index is not None or optional:
            return d.index
    if dev is None and optional:
        return None
    raise ValueError(
        f"autobp.cuda.{who}: expected a device with a specified index or an integer, but got: {dev!r}"
    )


def set_device(device: Any) -> None:
    """Select a CUDA device: a negative index does nothing (as PyTorch); any CUDA device is refused
    (``NoCudaError``; CPU-only PyTorch raises an AttributeError here); a CPU device or one without an
    index is a ValueError, as PyTorch's."""
    idx = _index(device, "set_device", optional=False)
    if idx is not None and idx >= 0:
        raise _no_cuda(f"set_device({device!r})")


def is_bf16_supported(including_emulation: bool = True) -> bool:
    """False: no CUDA device, so no bfloat16 on one."""
    return False


def is_tf32_supported() -> bool:
    """False: no CUDA device, so no TF32 matmuls."""
    return False


def get_arch_list() -> list:
    """The CUDA architectures built for: ``[]``."""
    return []


class Event:
    """PyTorch's ``torch.cuda.Event``: refused (RuntimeError) when made, as CPU-only PyTorch refuses it."""

    def __init__(
        self, enable_timing: bool = False, blocking: bool = False, interprocess: bool = False
    ) -> None:
        raise RuntimeError("autobp.cuda.Event: autobp computes with numpy on the CPU and has no CUDA events")


class Stream:
    """PyTorch's ``torch.cuda.Stream``: refused (RuntimeError) when made, as CPU-only PyTorch refuses it."""

    def __init__(self, device: Any = None, priority: int = 0, **kwargs: Any) -> None:
        raise RuntimeError(
            "autobp.cuda.Stream: autobp computes with numpy on the CPU and has no CUDA streams"
        )


def current_stream(device: Any = None) -> Stream:
    """The current CUDA stream: refused (``NoCudaError``), as there is none."""
    raise _no_cuda("current_stream()")


def stream(stream: Stream | None) -> StreamContext:
    """PyTorch's ``torch.cuda.stream(s)``: a context that does nothing (``s`` can only be None here)."""
    return StreamContext(stream)


class device:  # noqa: N801  PyTorch's name
    """``with autobp.cuda.device(i):``: a negative index (PyTorch's "no device") does nothing; entering
    with a CUDA device is refused (RuntimeError), as CPU-only PyTorch refuses it; a CPU device is a
    ValueError when made."""

    def __init__(self, device: Any) -> None:
        self.idx = _index(device, "device", optional=True)

    def __enter__(self) -> None:
        if self.idx is None or self.idx >= 0:
            raise RuntimeError(
                f"autobp.cuda.device({self.idx}): autobp computes with numpy on the CPU, without CUDA devices"
            )

    def __exit__(self, *exc: Any) -> None:
        return None


class device_of(device):  # noqa: N801  PyTorch's name
    """``with autobp.cuda.device_of(t):``: the device of ``t``, which is always the CPU: does nothing."""

    def __init__(self, obj: Any) -> None:
        self.idx = -1


class _CudaTensorType(type):
    """The metaclass of ``autobp.cuda.FloatTensor`` and its kin: PyTorch's CUDA tensor types, which old
    code names (``dtype = torch.cuda.FloatTensor if cuda else torch.FloatTensor``). Naming one works;
    making a tensor of one is refused (TypeError), as CPU-only PyTorch refuses it; no tensor is one."""

    dtype: np.dtype

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(
            f"type autobp.cuda.{cls.__name__} not available: autobp computes with numpy on the CPU, "
            f"without CUDA; use autobp.{cls.__name__}"
        )

    def __instancecheck__(cls, obj: Any) -> bool:
        return False


def _cuda_type(name: str, dtype: Any) -> type:
    doc = f"PyTorch's ``torch.cuda.{name}`` ({np.dtype(dtype).name} on a GPU): named, never made."
    return _CudaTensorType(name, (), {"dtype": np.dtype(dtype), "is_cuda": True, "__doc__": doc})


DoubleTensor = _cuda_type("DoubleTensor", np.float64)
FloatTensor = _cuda_type("FloatTensor", np.float32)
HalfTensor = _cuda_type("HalfTensor", np.float16)
LongTensor = _cuda_type("LongTensor", np.int64)
IntTensor = _cuda_type("IntTensor", np.int32)
ShortTensor = _cuda_type("ShortTensor", np.int16)
CharTensor = _cuda_type("CharTensor", np.int8)
ByteTensor = _cuda_type("ByteTensor", np.uint8)
BoolTensor = _cuda_type("BoolTensor", np.bool_)


__all__ = [
    "is_available", "device_count", "is_initialized", "init", "manual_seed", "manual_seed_all", "seed",
    "seed_all", "initial_seed", "get_rng_state", "get_rng_state_all", "set_rng_state", "set_rng_state_all",
    "empty_cache", "synchronize", "current_device", "get_device_name", "get_device_properties",
    "get_device_capability", "mem_get_info", "ipc_collect", "memory_allocated", "max_memory_allocated",
    "memory_reserved", "max_memory_reserved", "reset_peak_memory_stats", "reset_max_memory_allocated",
    "set_device", "is_bf16_supported", "is_tf32_supported", "get_arch_list", "Event", "Stream",
    "current_stream", "StreamContext", "stream", "device", "device_of", "NoCudaError", "DoubleTensor",
    "FloatTensor", "HalfTensor", "LongTensor", "IntTensor", "ShortTensor", "CharTensor", "ByteTensor",
    "BoolTensor", "amp",
]  # fmt: skip
