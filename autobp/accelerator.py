"""PyTorch's ``torch.accelerator`` as a machine without one answers it: autobp computes with numpy on the
CPU, so there is no accelerator; the queries say so and whatever needs one raises a RuntimeError, as
PyTorch's."""

from __future__ import annotations

from typing import Any


def _none(who: str) -> RuntimeError:
    return RuntimeError(
        f"autobp.accelerator.{who}: cannot access accelerator device when none is available (autobp "
        "computes with numpy on the CPU)"
    )


def is_available() -> bool:
    """False: autobp has no accelerator."""
    return False


def current_accelerator(check_available: bool = False) -> Any:
    """None: there is no accelerator (PyTorch returns its device type, e.g. ``device("cuda")``)."""
    return None


def device_count() -> int:
    """0: no accelerator devices."""
    return 0


def current_device_index() -> int:
    """Refused (RuntimeError): there is no accelerator device."""
    raise _none("current_device_index()")


def set_device_index(device: Any, /) -> None:
    """Refused (RuntimeError): there is no accelerator device."""
    raise _none("set_device_index()")


current_device_idx = current_device_index  # PyTorch's older names
set_device_idx = set_device_index


def synchronize(device: Any = None, /) -> None:
    """Refused (RuntimeError): there is no accelerator to wait for."""
    raise _none("synchronize()")


def current_stream(device: Any = None, /) -> Any:
    """Refused (RuntimeError): there is no accelerator stream."""
    raise _none("current_stream()")


def set_stream(stream: Any) -> None:
    """Refused (RuntimeError): there is no accelerator stream."""
    raise _none("set_stream()")


def empty_cache() -> None:
    """Refused (RuntimeError), as PyTorch's without an accelerator."""
    raise _none("empty_cache()")


def memory_allocated(device_index: Any = None, /) -> int:
    """Refused (RuntimeError), as PyTorch's without an accelerator."""
    raise _none("memory_allocated()")


def max_memory_allocated(device_index: Any = None, /) -> int:
    """Refused (RuntimeError), as PyTorch's without an accelerator."""
    raise _none("max_memory_allocated()")


def reset_peak_memory_stats(device_index: Any = None, /) -> None:
    """Refused (RuntimeError), as PyTorch's without an accelerator."""
    raise _none("reset_peak_memory_stats()")


class device_index:  # noqa: N801  PyTorch's name
    """``with autobp.accelerator.device_index(i):``: None does nothing; an index is refused (RuntimeError)."""

    def __init__(self, device: int | None, /) -> None:
        self.idx = device

    def __enter__(self) -> None:
        if self.idx is not None:
            raise _none(f"device_index({self.idx})")

    def __exit__(self, *exc: Any) -> None:
        return None


__all__ = [
    "is_available", "current_accelerator", "device_count", "current_device_index", "set_device_index",
    "current_device_idx", "set_device_idx", "synchronize", "current_stream", "set_stream", "empty_cache",
    "memory_allocated", "max_memory_allocated", "reset_peak_memory_stats", "device_index",
]  # fmt: skip
