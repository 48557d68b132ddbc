"""Autocast's thread-local state and the casts the heavy ops make under it (``autobp.amp.autocast``):
matmul, linear, conv and attention cast their float inputs to the autocast dtype, losses and some
linear algebra to float32, as PyTorch's CPU autocast lists do. Ops read ``on_threads`` first."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from threading import get_ident
from typing import Any

import numpy as np

from .tensor import Tensor


class _State(threading.local):
    enabled = False  # CPU autocast off in every new thread, as PyTorch's
    dtype: Any = None  # None: PyTorch's CPU default, bfloat16, which numpy has not
    depth = 0  # autocast regions entered and not left in this thread


state = _State()

# The threads that have autocast on now (their ids). While there are none, an op knows autocast is off
# without reading the thread-local flag (the same scheme as _graph.off_threads); set_enabled keeps it.
on_threads: set = set()

FLOAT32 = np.dtype(np.float32)
# PyTorch casts only "eligible" floats (float16, bfloat16, float32): float64, integers, bool and
# complex inputs are left as they are.
_ELIGIBLE = (np.dtype(np.float16), FLOAT32)


def set_enabled(enabled: bool) -> None:
    """Turn this thread's CPU autocast on or off (keeping ``on_threads`` right)."""
    if enabled:
        on_threads.add(get_ident())
    else:
        on_threads.discard(get_ident())
    state.enabled = bool(enabled)


def _cast(value: Any, dtype: np.dtype) -> Any:
    """``value`` with an eligible float Tensor or array cast to ``dtype`` (on the graph: ``astype``
    records, so gradients return to the input in its own dtype); sequences element by element."""
    if isinstance(value, Tensor):
        dt = value._data.dtype
        return value.astype(dtype) if dt != dtype and dt in _ELIGIBLE else value
    if type(value) is np.ndarray:
        dt = value.dtype
        return value.astype(dtype) if dt != dtype and dt in _ELIGIBLE else value
    if type(value) in (list, tuple):
        return type(value)(_cast(v, dtype) for v in value)
    return value


def lower(*values: Any) -> tuple:
    """``values`` with eligible floats cast to this thread's autocast dtype (autocast is on)."""
    dtype = np.dtype(state.dtype)
    return tuple(_cast(v, dtype) for v in values)


def to_float32(*values: Any) -> tuple:
    """``values`` with float16 ones cast to float32 (autocast is on): PyTorch's float32 list."""
    return tuple(_cast(v, FLOAT32) for v in values)


def autocasts(policy: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator for an op on one of PyTorch's autocast lists: under autocast, its float Tensor
    arguments are cast (``"lower"``: to the autocast dtype; ``"fp32"``: to float32) and the op runs with
    autocast off, as PyTorch's does (the ops inside it are not cast again)."""
    if policy not in ("lower", "fp32"):
        raise ValueError(f"autocasts: policy must be 'lower' or 'fp32', got {policy!r}")

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            if not (on_threads and state.enabled):
                return fn(*args, **kwargs)
            dtype = FLOAT32 if policy == "fp32" else np.dtype(state.dtype)
            args = tuple(_cast(a, dtype) for a in args)
            kwargs = {k: _cast(v, dtype) for k, v in kwargs.items()}
            state.enabled = False  # on_threads still lists this thread: the ops read the flag
            try:
                return fn(*args, **kwargs)
            finally:
                set_enabled(True)  # (an autocast region entered and left inside may have unlisted it)

        return run

    return decorate


def suspended(fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)`` with autocast off for its duration: for ops that PyTorch does not cast although
    autobp builds them on one that it does (``mv`` and ``addmv`` on ``@``)."""
    if not (on_threads and state.enabled):
        return fn(*args)
    state.enabled = False
    try:
        return fn(*args)
    finally:
        set_enabled(True)
