"""Module hooks (PyTorch's ``register_forward_pre_hook`` / ``register_forward_hook``, and the backward
hooks of module_backward_hooks.py): functions called around ``forward`` that may replace its arguments
or its output, or around backward; kept out of Module's fast path."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from .module_backward_hooks import GLOBAL_BACKWARD_HOOKS, backward_state

_keys = itertools.count()


class HookHandle:
    """Returned by the register_* methods: ``remove()`` unregisters the hook (also on ``with`` exit)."""

    def __init__(self, hooks: dict, key: int) -> None:
        self._hooks, self.id = hooks, key

    def remove(self) -> None:
        self._hooks.pop(self.id, None)

    def __enter__(self) -> HookHandle:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.remove()


_KINDS = ("forward_pre_hook", "forward_hook", "full_backward_pre_hook", "full_backward_hook")


def add_hook(module: Any, kind: int, fn: Callable, prepend: bool, with_kwargs: bool) -> HookHandle:
    """Register ``fn`` as a pre-forward (kind 0), forward (1), backward pre (2) or backward (3) hook of
    ``module``. All four live in the one ``_forward_hooks`` entry whose presence Module tests."""
    if not callable(fn):
        raise TypeError(f"register_{_KINDS[kind]}: the hook must be callable, got {type(fn).__name__}")
    kinds = module.__dict__.get("_forward_hooks")
    if kinds is None:
        kinds = module.__dict__["_forward_hooks"] = ({}, {}, {}, {})
    return _insert(kinds[kind], fn if kind > 1 else (fn, with_kwargs), prepend)


def _insert(hooks: dict, entry: Any, prepend: bool, handle: type = HookHandle) -> HookHandle:
    key = next(_keys)
    if prepend:
        rest = dict(hooks)
        hooks.clear()
        hooks[key] = entry
        hooks.update(rest)
    else:
        hooks[key] = entry
    return handle(hooks, key)


def call_with_hooks(module: Any, args: tuple, kwargs: dict) -> Any:
    """Pre-hooks (may return new args, or (args, kwargs) with_kwargs), forward, then hooks (may
    return a new output), in registration order, as PyTorch's Module.__call__. With backward hooks
    the Tensor arguments (after the pre-hooks) and outputs (after the hooks) pass identity nodes."""
    kinds = module.__dict__.get("_forward_hooks")
    pre, post = (kinds[0], kinds[1]) if kinds is not None else ({}, {})
    for fn, with_kwargs in list(pre.values()):
        if with_kwargs:
            result = fn(module, args, kwargs)
            if result is not None:
                if not (isinstance(result, tuple) and len(result) == 2):
                    raise RuntimeError("a forward pre-hook with_kwargs must return None or (args, kwargs)")
                args, kwargs = result
        else:
            result = fn(module, args)
            if result is not None:
                args = result if isinstance(result, tuple) else (result,)
    state = backward_state(module, kinds)
    if state is not None:
        args = state.wrap_inputs(args)
    out = module.forward(*args, **kwargs)
    for fn, with_kwargs in list(post.values()):
        result = fn(module, args, kwargs, out) if with_kwargs else fn(module, args, out)
        if result is not None:
            out = result
    return out if state is None else state.wrap_outputs(out)


def _call_with_global_hooks(self: Any, *args: Any, **kwargs: Any) -> Any:
    """Module.__call__ while global backward hooks exist: every module takes the hooked path."""
    return call_with_hooks(self, args, kwargs)


def register_module_full_backward_pre_hook(hook: Callable, prepend: bool = False) -> HookHandle:
    """A backward pre-hook of every module, run before the module's own (PyTorch's global hook)."""
    return add_global_hook(0, hook, prepend)


def register_module_full_backward_hook(hook: Callable, prepend: bool = False) -> HookHandle:
    """A full backward hook of every module, run before the module's own (PyTorch's global hook)."""
    return add_global_hook(1, hook, prepend)


def add_global_hook(kind: int, fn: Callable, prepend: bool) -> HookHandle:
    """A backward pre (0) or backward (1) hook of every module. While any exists, Module.__call__
    is swapped for the hooked path, so that without them no call pays for a test."""
    from .module import Module

    if not callable(fn):
        raise TypeError(
            f"register_module_{_KINDS[kind + 2]}: the hook must be callable, got {type(fn).__name__}"
        )
    handle = _insert(GLOBAL_BACKWARD_HOOKS[kind], fn, prepend, _GlobalHandle)
    if Module.__dict__["__call__"] is not _call_with_global_hooks:
        _call_with_global_hooks.plain = Module.__dict__["__call__"]
        Module.__call__ = _call_with_global_hooks
    return handle


class _GlobalHandle(HookHandle):
    """A global hook's handle: removing the last global hook restores Module's fast ``__call__``."""

    def remove(self) -> None:
        from .module import Module

        super().remove()
        if not any(GLOBAL_BACKWARD_HOOKS) and Module.__dict__["__call__"] is _call_with_global_hooks:
            Module.__call__ = _call_with_global_hooks.plain
