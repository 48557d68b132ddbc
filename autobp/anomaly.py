"""Anomaly mode: every forward result and every gradient is checked for NaN/inf, and each graph node
remembers where in the user's code it was created, so an error points at the line that broke.

Nothing is checked or recorded outside ``with autobp.detect_anomaly():`` (it is slow: one stack walk
per op). The mode is process-wide, like PyTorch's: turn it on from one thread at a time.
"""

from __future__ import annotations

import functools
import os
import sys
import traceback
import weakref
from typing import Any

import numpy as np

from ._engine import run_backward
from ._graph import hooks

_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep
_BACKWARD = run_backward.__code__
_FRAMES = 8  # user frames kept per node: enough to find the line, small enough to read

# id(tensor) -> (weakref to it, its creation stack). Not a WeakKeyDictionary: that compares keys
# with ==, which for Tensors is elementwise and has no single truth value.
_traces: dict[int, tuple[weakref.ref, traceback.StackSummary]] = {}


_active = 0  # how many detect_anomaly() blocks are open
_suspended = False  # set_detect_anomaly(False) inside an open block: the hooks stay, and do nothing


class AnomalyError(RuntimeError):
    """A NaN or inf appeared in a forward result or a gradient while anomaly mode was on."""


def creation_trace(t: Any) -> str | None:
    """Where ``t`` was created (the user's frames, innermost last), if anomaly mode recorded it."""
    entry = _traces.get(id(t))
    if entry is None or entry[0]() is not t:
        return None
    return "".join(entry[1].format()).rstrip()


class detect_anomaly:
    """``with autobp.detect_anomaly():`` raise ``AnomalyError`` at the first NaN/inf, naming the op,
    the shapes and the line of your code that created the op. Also a decorator; nestable.

    ``check_forward=False`` checks gradients only (for programs that use inf on purpose, e.g. masks);
    ``check_nan=False`` (PyTorch's keyword) checks nothing, only records where each op was created.

    >>> x = autobp.tensor([0.0], requires_grad=True)
    >>> with autobp.detect_anomaly():
    ...     (x.sqrt() * 0).sum().backward()  # doctest: +SKIP
    AnomalyError: the gradient rule of op 'sqrt' returned 1 inf for input 0 ...
    """

    def __init__(self, check_forward: bool = True, check_nan: bool = True) -> None:
        self.check_forward = check_forward and check_nan
        self.check_nan = check_nan
        self._saved: list[tuple[Any, Any]] = []

    def __enter__(self) -> detect_anomaly:
        global _active
        prev_make, prev_rule = hooks.on_make, hooks.on_rule
        self._saved.append((prev_make, prev_rule))
        hooks.on_make = _chain(_on_make_checked if self.check_forward else _on_make_recorded, prev_make)
        hooks.on_rule = _chain(_on_rule, prev_rule) if self.check_nan else prev_rule
        _active += 1
        return self

    def __exit__(self, *exc: Any) -> None:
        global _active
        hooks.on_make, hooks.on_rule = self._saved.pop()
        _active -= 1

    def __call__(self, fn: Any) -> Any:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with detect_anomaly(self.check_forward, self.check_nan):
                return fn(*args, **kwargs)

        return wrapper


def is_anomaly_enabled() -> bool:
    """True inside ``detect_anomaly()`` (and after ``autograd.set_detect_anomaly(True)``)."""
    return _active > 0 and not _suspended


def _chain(first: Any, then: Any) -> Any:
    """``first``, followed by the hook that was installed before (e.g. a trace recording), if any."""
    if then is None:
        return first

    def both(*args: Any) -> None:
        first(*args)
        then(*args)

    return both


# --- the hooks ------------------------------------------------------------------------------------
def _user_stack() -> traceback.StackSummary:
    """The caller's stack without autobp's own frames, innermost last."""
    frames = []
    f = sys._getframe(2)
    while f is not None and len(frames) < _FRAMES:
        if not f.f_code.co_filename.startswith(_PACKAGE):
            frames.append((f, f.f_lineno))
        f = f.f_back
    stack = traceback.StackSummary.extract(reversed(frames), lookup_lines=False)
    return stack


def _record(t: Any) -> None:
    key = id(t)

    def forget(ref: weakref.ref) -> None:
        entry = _traces.get(key)
        if entry is not None and entry[0] is ref:
            del _traces[key]

    _traces[key] = (weakref.ref(t, forget), _user_stack())


def _on_make_recorded(t: Any, op: str, parents: tuple) -> None:
    if t.requires_grad and not _suspended:
        _record(t)


def _on_make_checked(t: Any, op: str, parents: tuple) -> None:
    if _suspended:
        return
    bad = _non_finite(t._data)
    if bad and not _in_backward():  # inside a rule, the rule's result check names the op to blame
        inputs = ", ".join(_describe_input(p) for p in parents)
        where = "".join(_user_stack().format()).rstrip()
        raise AnomalyError(
            f"anomaly: op {_op_name(op, t._ctx)!r} produced {bad} in its result of shape {t.shape} "
            f"(dtype {t.dtype}) from input(s) {inputs}.\nThe op was called here:\n{where}"
        )
    if t.requires_grad:
        _record(t)


def _on_rule(node: Any, grads: tuple) -> None:
    if _suspended:
        return
    for i, g in enumerate(grads):
        if g is None:
            continue
        arr = g._data if hasattr(g, "_data") else np.asarray(g)
        bad = _non_finite(arr)
        if not bad:
            continue
        parent = node._parents[i]
        op = _op_name(node._op, node._ctx)
        trace = creation_trace(node)
        if trace is None:
            trace = "  (not recorded: it was created outside detect_anomaly(), or it is a Value)"
        nan = ""
        if np.isnan(arr).any():  # PyTorch's words first; a custom Function's node is named by its class
            label = getattr(getattr(node._ctx, "_fn", None), "__name__", None) or str(node._op)
            nan = f"Function '{label}Backward' returned nan values in its {i}th output. "
        raise AnomalyError(
            f"{nan}anomaly: the gradient rule of op {op!r} returned {bad} for input {i} "
            f"(input shape {_shape(parent)}, gradient shape {arr.shape}; output shape {_shape(node)}).\n"
            f"The op was created here:\n{trace}"
        )


# --- helpers --------------------------------------------------------------------------------------
def _in_backward() -> bool:
    """True when called (indirectly) from a derivative rule run by the engine."""
    f = sys._getframe(2)
    while f is not None:
        if f.f_code is _BACKWARD:
            return True
        f = f.f_back
    return False


def _non_finite(arr: Any) -> str:
    """'' when every element is finite, else a count such as '2 nan, 1 +inf'."""
    if arr.dtype.kind != "f" or np.isfinite(arr).all():
        return ""
    counts = [
        (int(np.isnan(arr).sum()), "nan"),
        (int(np.isposinf(arr).sum()), "+inf"),
        (int(np.isneginf(arr).sum()), "-inf"),
    ]
    return ", ".join(f"{n} {what}" for n, what in counts if n)


def _shape(node: Any) -> Any:
    return node.shape if hasattr(node, "shape") else "scalar"


def _describe_input(p: Any) -> str:
    bad = _non_finite(p._data)
    return f"{p.shape}" + (f" [already holding {bad}]" if bad else "")


def _op_name(op: str, ctx: Any) -> str:
    """The rule name, or the class name of a custom ``autobp.Function``."""
    fn = getattr(ctx, "_fn", None) if op == "function" else None
    return f"function {fn.__name__}" if fn is not None else op


__all__ = ["detect_anomaly", "AnomalyError", "creation_trace", "is_anomaly_enabled"]
