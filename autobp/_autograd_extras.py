"""torch.autograd's remaining names that mean something here: ``Variable`` (the deprecated alias whose
call returns a Tensor), ``set_detect_anomaly`` (anomaly mode as a switch, a function and a context
manager) and ``set_multithreading_enabled`` / ``is_multithreading_enabled`` (a flag: autobp's
backward always runs on the calling thread). Exported from autobp.autograd."""

from __future__ import annotations

import functools
import threading
import warnings
from typing import Any

import numpy as np

from . import anomaly as _an
from ._graph import hooks
from ._inplace import TrackedArray
from .tensor import Tensor


class _VariableMeta(type):
    """Every Tensor is a Variable, as in torch (``isinstance(t, Variable)`` is True)."""

    def __instancecheck__(cls, obj: Any) -> bool:
        return isinstance(obj, Tensor)

    def __subclasscheck__(cls, sub: Any) -> bool:
        return isinstance(sub, type) and issubclass(sub, Tensor)


class Variable(metaclass=_VariableMeta):
    """torch.autograd.Variable, deprecated in torch: ``Variable(t, requires_grad=False)`` returns a
    Tensor sharing ``t``'s data, cut from its graph, a leaf that requires grad if asked.

    ``Variable()`` is an empty tensor; a Tensor's ``.data`` array (what a Function's forward receives)
    stands for that Tensor; other data that is not a Tensor is a TypeError (as in torch);
    ``volatile`` has no effect (a warning, as in torch). Every Tensor is an instance of Variable."""

    def __new__(cls, data: Any = None, requires_grad: bool = False, volatile: bool = False) -> Tensor:  # type: ignore[misc]
        if volatile:
            warnings.warn(
                "Variable: volatile was removed and now has no effect; use `with autobp.no_grad():` instead",
                UserWarning,
                stacklevel=2,
            )
        if data is None:
            data = Tensor(np.zeros(0))
        if isinstance(data, TrackedArray):  # a Tensor's .data, as a Function's forward receives it
            owner = data._owner
            same = owner is not None and data.shape == owner.shape and np.shares_memory(data, owner._data)
            data = owner if same else Tensor._const(data.view(np.ndarray))
        if not isinstance(data, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
        t = data.detach()
        if requires_grad:
            t.requires_grad_(True)
        return t


class _ExecutionEngine:
    """``Variable._execution_engine``: PyTorch's engine object; its ``queue_callback`` is
    ``autobp.graph.queue_callback`` (run a function at the end of the backward pass now running)."""

    @staticmethod
    def queue_callback(callback: Any) -> None:
        """Run ``callback()`` once the backward pass now running has finished."""
        from ._backward_callbacks import queue_callback

        queue_callback(callback)


Variable._execution_engine = _ExecutionEngine()  # type: ignore[attr-defined]


# --- anomaly mode as a switch ----------------------------------------------------------------------
_opened: list = []  # the anomaly modes set_detect_anomaly(True) opened, innermost last
_check_nan = [True]


class _TracesOnly(_an.detect_anomaly):
    """Anomaly mode with ``check_nan=False``: creation traces recorded, nothing checked."""

    def __enter__(self) -> _TracesOnly:
        self._saved.append((hooks.on_make, hooks.on_rule))
        hooks.on_make = _an._chain(_an._on_make_recorded, hooks.on_make)
        _an._active += 1
        return self


def _only_ours_open() -> bool:
    return bool(_opened) and _an._active == len(_opened)


def _set(mode: bool, check_nan: bool) -> None:
    if not mode:
        if not _an.is_anomaly_enabled():
            return
        if _only_ours_open():  # close what set_detect_anomaly(True) opened: no hook is left behind
            while _opened:
                _opened.pop().__exit__(None, None, None)
        else:  # a `with detect_anomaly():` block is open: its hooks stay, doing nothing until restored
            _an._suspended = True
        return
    _an._suspended = False
    if _an._active and (_check_nan[0] == check_nan or not _only_ours_open()):
        return
    while _opened:
        _opened.pop().__exit__(None, None, None)
    # torch's anomaly mode checks gradients, not forward results: check_forward=False
    mode_cm = _an.detect_anomaly(check_forward=False) if check_nan else _TracesOnly()
    mode_cm.__enter__()
    _opened.append(mode_cm)
    _check_nan[0] = bool(check_nan)


class set_detect_anomaly:  # noqa: N801  torch's name
    """Turn anomaly mode on or off (torch.autograd.set_detect_anomaly): as a call it stays so, as a
    context manager the previous state returns at exit.

    On, every node records where it was created, and with ``check_nan`` a gradient rule returning
    NaN/inf raises ``AnomalyError`` naming the op and that line (as torch's mode, forward results are
    not checked; ``autobp.detect_anomaly()`` checks them too). Off inside a ``detect_anomaly()``
    block, that block's checks pause until the state is restored."""

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        self.prev, self.prev_check_nan = _an.is_anomaly_enabled(), _check_nan[0]
        _set(bool(mode), bool(check_nan))

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: Any) -> None:
        _set(self.prev, self.prev_check_nan)


# --- multithreading flag ----------------------------------------------------------------------------
_threads = threading.local()


def is_multithreading_enabled() -> bool:
    """The flag set by ``set_multithreading_enabled`` on this thread (True by default, as torch)."""
    return getattr(_threads, "enabled", True)


class set_multithreading_enabled:  # noqa: N801  torch's name
    """Set this thread's multithreaded-backward flag (torch.autograd.set_multithreading_enabled); a
    call, a context manager (restores at exit) or a decorator.

    Only the flag changes: torch uses it to run backward on per-device worker threads, while autobp's
    backward always runs on the calling thread; it is kept for code that sets or reads it."""

    def __init__(self, mode: bool) -> None:
        self.prev = is_multithreading_enabled()
        self.mode = bool(mode)
        _threads.enabled = self.mode

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: Any) -> None:
        _threads.enabled = self.prev

    def clone(self) -> set_multithreading_enabled:
        """A new switch to the same mode (torch's method)."""
        return type(self)(self.mode)

    def __call__(self, fn: Any) -> Any:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self.clone():
                return fn(*args, **kwargs)

        return wrapper
