"""PyTorch's optimizer state-dict hooks: ``register_state_dict_pre_hook`` / ``_post_hook`` and
``register_load_state_dict_pre_hook`` / ``_post_hook``, run around ``state_dict()`` and
``load_state_dict()`` (also of a subclass that overrides them, once per outer call)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

KINDS = ("state_dict_pre", "state_dict_post", "load_pre", "load_post")


def add_hook(opt: Any, kind: str, hook: Callable, prepend: bool) -> Any:
    """Register ``hook`` under ``kind``; first of all when ``prepend``; a handle that removes it."""
    from ..nn.module_hooks import _insert

    if not callable(hook):
        raise TypeError(f"{type(opt).__name__}: a hook must be callable, got {type(hook).__name__}")
    table = opt.__dict__.setdefault("_state_dict_hooks", {k: {} for k in KINDS})
    return _insert(table[kind], hook, prepend)


def _hooks(opt: Any, kind: str) -> list:
    table = opt.__dict__.get("_state_dict_hooks")
    return [] if table is None else list(table[kind].values())


def with_state_dict_hooks(fn: Callable) -> Callable:
    """``state_dict`` running the pre-hooks (``hook(opt)``) before and the post-hooks
    (``hook(opt, state_dict)``, which may return a replacement) after."""

    @functools.wraps(fn)
    def wrapped(self: Any) -> dict:
        if self.__dict__.get("_in_state_dict"):
            return fn(self)
        for hook in _hooks(self, "state_dict_pre"):
            hook(self)
        self._in_state_dict = True
        try:
            out = fn(self)
        finally:
            self._in_state_dict = False
        for hook in _hooks(self, "state_dict_post"):
            result = hook(self, out)
            if result is not None:
                out = result
        return out

    return wrapped


def with_load_hooks(fn: Callable) -> Callable:
    """``load_state_dict`` on a shallow copy, after the pre-hooks (``hook(opt, state_dict)``, which may
    return a replacement), then the post-hooks (``hook(opt)``)."""

    @functools.wraps(fn)
    def wrapped(self: Any, state_dict: dict) -> None:
        if self.__dict__.get("_in_load"):
            return fn(self, state_dict)
        state_dict = dict(state_dict) if isinstance(state_dict, dict) else state_dict
        for hook in _hooks(self, "load_pre"):
            result = hook(self, state_dict)
            if result is not None:
                state_dict = result
        self._in_load = True
        try:
            fn(self, state_dict)
        finally:
            self._in_load = False
        for hook in _hooks(self, "load_post"):
            hook(self)
        return None

    return wrapped
