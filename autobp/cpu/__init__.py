"""PyTorch's ``torch.cpu``: the device autobp computes on (numpy on the CPU). As PyTorch's, it has one
device, its streams and events run in order (so synchronising waits for nothing), and choosing a device
does nothing; ``autobp.cpu.amp`` holds the older ``torch.cpu.amp`` spellings (``autobp.amp`` has the
current ones)."""

from __future__ import annotations

from typing import Any

from . import amp


def is_available() -> bool:
    """True: the CPU is always there."""
    return True


def is_initialized() -> bool:
    """True: the CPU needs no initialising."""
    return True


def device_count() -> int:
    """1: one CPU device (``"cpu"``), however many cores."""
    return 1


def current_device() -> str:
    """``"cpu"``, as PyTorch's ``torch.cpu.current_device()``."""
    return "cpu"


def set_device(device: Any) -> None:
    """Choose the CPU device: does nothing, as PyTorch's (there is one)."""


def synchronize(device: Any = None) -> None:
    """Wait for the CPU's work: returns at once, as numpy's calls finish before they return."""


class Event:
    """PyTorch's ``torch.cpu.Event``: recorded work on the CPU is already done, so ``query()`` is True
    and waiting returns at once."""

    def query(self) -> bool:
        """True: the work before the event has finished."""
        return True

    def record(self, stream: Any = None) -> None:
        """Record the event on ``stream``: nothing to record."""

    def synchronize(self) -> None:
        """Wait for the event: returns at once."""

    def wait(self, stream: Any = None) -> None:
        """Make ``stream`` wait for the event: returns at once."""


class Stream:
    """PyTorch's ``torch.cpu.Stream``: a stream of CPU work, run in order; waiting returns at once."""

    def __init__(self, priority: int = -1) -> None:
        self.priority = priority

    def wait_stream(self, stream: Any) -> None:
        """Wait for ``stream``'s work: returns at once."""

    def record_event(self, event: Event | None = None) -> Event:
        """An event marking the work so far (already done)."""
        return event if event is not None else Event()

    def wait_event(self, event: Any) -> None:
        """Wait for ``event``: returns at once."""


_CURRENT = Stream()


def current_stream(device: Any = None) -> Stream:
    """The CPU's one stream (the same object every call)."""
    return _CURRENT


class StreamContext:
    """``with autobp.cpu.stream(s):``: the CPU's work runs in order whatever the stream, so it does
    nothing."""

    def __init__(self, stream: Stream | None) -> None:
        self.stream = stream

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: Any) -> None:
        return None


def stream(stream: Stream | None) -> StreamContext:
    """PyTorch's ``torch.cpu.stream(s)``: a context that does nothing."""
    return StreamContext(stream)


__all__ = [
    "is_available", "is_initialized", "device_count", "current_device", "set_device", "synchronize",
    "Event", "Stream", "current_stream", "StreamContext", "stream", "amp",
]  # fmt: skip
