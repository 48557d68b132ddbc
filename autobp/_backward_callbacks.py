"""Callbacks run at the end of the backward pass that queued them (``queue_callback``) and hooks on
a group of tensors (``register_multi_grad_hook``), PyTorch's ``torch.autograd.graph`` functions.

The engine keeps no per-pass state for them: ``queue_callback`` finds the pass it is called from by
looking up the call stack for the engine's entry function (``run_backward`` or ``_plain_backward``,
innermost first, so a backward run inside a hook is its own pass) and files the callback under that
frame; the entry function runs its callbacks as it returns (one dict test per backward call when
there are none). A pass that fails drops its callbacks, as PyTorch's does.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any

queued: dict = {}  # engine entry frame -> callbacks queued during that pass, in order
_lock = threading.Lock()


def _entry_codes() -> tuple:
    from . import _engine

    return (_engine.run_backward.__code__, _engine._plain_backward.__code__)


def queue_callback(callback: Callable[[], None]) -> None:
    """Run ``callback()`` once the backward pass now running (the one whose hook calls this) has
    finished (``torch.autograd.graph.queue_callback``; PyTorch's
    ``Variable._execution_engine.queue_callback``). Callbacks run in the order queued; one queued by a
    callback runs too. RuntimeError outside a backward pass."""
    if not callable(callback):
        raise TypeError(f"queue_callback: expected a callable, got {type(callback).__name__}")
    f = _pass_frame(sys._getframe(1))
    if f is None:
        raise RuntimeError(
            "queue_callback: Final callbacks can only be installed during backward pass (call it from a "
            "hook or a custom Function's backward while backward() or autobp.grad() runs)"
        )
    with _lock:
        _prune(f)
        queued.setdefault(f, []).append(callback)


def _pass_frame(f: Any) -> Any:
    """The engine entry frame of the backward pass running ``f`` (innermost), or None."""
    codes = _entry_codes()
    while f is not None and f.f_code not in codes:
        f = f.f_back
    return f


def _live_frames() -> set:
    live = set()
    for top in sys._current_frames().values():
        while top is not None:
            live.add(top)
            top = top.f_back
    return live


def _prune(current: Any) -> None:
    """Forget callbacks of passes that ended with an error (their frames are no longer running)."""
    live = _live_frames()
    for f in [f for f in queued if f is not current and f not in live]:
        del queued[f]


def flush(frame: Any) -> None:
    """Run the callbacks queued under the engine frame ``frame`` (its pass has just finished)."""
    while True:
        with _lock:
            fns = queued.pop(frame, None)
        if not fns:
            return
        for fn in fns:
            fn()


class _MultiHandle:
    """What ``register_multi_grad_hook`` returns: ``remove()`` unregisters it from every tensor."""

    def __init__(self, handles: list) -> None:
        self.handles = handles

    def remove(self) -> None:
        """Unregister the hook from all its tensors."""
        for h in self.handles:
            h.remove()

    def __enter__(self) -> _MultiHandle:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.remove()


def register_multi_grad_hook(tensors: Sequence[Any], fn: Callable, *, mode: str = "all") -> _MultiHandle:
    """Call ``fn`` once per backward pass for a group of tensors (PyTorch's
    ``torch.autograd.graph.register_multi_grad_hook``). ``mode="all"``: ``fn(grads)``, one entry per
    tensor (None for one that received no gradient in the pass), once the pass has computed them (in
    autobp: at the end of the pass, see docs/concepts/names.md); ``mode="any"``: ``fn(grad)`` with the
    first of their gradients computed in the pass, at that moment. Returns a handle with ``remove()``."""
    if mode not in ("all", "any"):
        raise ValueError(f"Expects mode to be one of ('all', 'any') but got {mode}")
    tensors = tuple(tensors)
    for i, t in enumerate(tensors):
        if not getattr(t, "requires_grad", False):
            raise RuntimeError(f"register_multi_grad_hook: tensors[{i}] does not require grad")
    # per backward pass (keyed by its engine frame, so passes in several threads stay apart): the
    # gradients seen so far ("all") or a marker ("any"); a pass that fails never runs its callback, so
    # its entry is dropped when a later pass starts (a stuck entry silenced the hook for good)
    passes: dict = {}
    lock = threading.Lock()

    def start(f: Any) -> bool:
        """Is this the pass's first gradient among the tensors? (then the entry is made)"""
        with lock:
            if f in passes:
                return False
            live = _live_frames()
            for dead in [d for d in passes if d not in live]:
                del passes[dead]
            passes[f] = [None] * len(tensors)
            return True

    def finish(f: Any) -> None:
        with lock:
            grads = passes.pop(f, None)
        if grads is not None and mode == "all":
            fn(tuple(grads))

    def make(i: int) -> Callable:
        def hook(grad: Any) -> None:
            f = _pass_frame(sys._getframe(1))
            first = start(f)
            if first:
                queue_callback(lambda: finish(f))
            if mode == "any":
                if first:
                    fn(grad)
                return
            passes[f][i] = grad

        return hook

    return _MultiHandle([t.register_hook(make(i)) for i, t in enumerate(tensors)])
