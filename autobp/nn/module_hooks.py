"""Module forward hooks (PyTorch's ``register_forward_pre_hook`` / ``register_forward_hook``): functions
called around ``forward`` that may replace its arguments or its output; kept out of Module's fast path."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

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


def add_hook(module: Any, kind: int, fn: Callable, prepend: bool, with_kwargs: bool) -> HookHandle:
    """Register ``fn`` as a pre-forward (kind 0) or forward (kind 1) hook of ``module``."""
    if not callable(fn):
        raise TypeError(f"register_forward_hook: the hook must be callable, got {type(fn).__name__}")
    both = module.__dict__.get("_forward_hooks")
    if both is None:
        both = module.__dict__["_forward_hooks"] = ({}, {})
    hooks, key = both[kind], next(_keys)
    if prepend:
        rest = dict(hooks)
        hooks.clear()
        hooks[key] = (fn, with_kwargs)
        hooks.update(rest)
    else:
        hooks[key] = (fn, with_kwargs)
    return HookHandle(hooks, key)


def call_with_hooks(module: Any, args: tuple, kwargs: dict) -> Any:
    """Pre-hooks (may return new args, or (args, kwargs) with_kwargs), forward, then hooks (may
    return a new output), in registration order, as PyTorch's Module.__call__."""
    pre, post = module.__dict__["_forward_hooks"]
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
    out = module.forward(*args, **kwargs)
    for fn, with_kwargs in list(post.values()):
        result = fn(module, args, kwargs, out) if with_kwargs else fn(module, args, out)
        if result is not None:
            out = result
    return out
