"""Module hooks (PyTorch's ``register_forward_pre_hook`` / ``register_forward_hook``, and the backward
hooks of module_backward_hooks.py): functions called around ``forward`` that may replace its arguments
or its output, or around backward; kept out of Module's fast path. The global hooks of every module
(module_global_hooks.py) run before a module's own."""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Callable
from typing import Any

from .module_backward_hooks import backward_state
from .module_global_hooks import any_call_hooks, registry
from .module_legacy_hooks import has_legacy, maybe_warn

_keys = itertools.count()


class HookHandle:
    """Returned by the register_* methods: ``remove()`` unregisters the hook (also on ``with`` exit)."""

    def __init__(self, hooks: dict, key: int) -> None:
        self._hooks, self.id = hooks, key

    def remove(self) -> None:
        self._hooks.pop(self.id, None)

    def hooks_dict_ref(self) -> dict:
        """The dict the hook is registered in (PyTorch's handle holds a weak reference to it)."""
        return self._hooks

    def __enter__(self) -> HookHandle:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.remove()


_KINDS = ("forward_pre_hook", "forward_hook", "full_backward_pre_hook", "full_backward_hook")


def add_hook(
    module: Any, kind: int, fn: Callable, prepend: bool, with_kwargs: bool, always_call: bool = False
) -> HookHandle:
    """Register ``fn`` as a pre-forward (kind 0), forward (1), backward pre (2) or backward (3) hook of
    ``module``. All four live in the one ``_forward_hooks`` entry whose presence Module tests."""
    if not callable(fn):
        raise TypeError(f"register_{_KINDS[kind]}: the hook must be callable, got {type(fn).__name__}")
    kinds = module.__dict__.get("_forward_hooks")
    if kinds is None:
        kinds = module.__dict__["_forward_hooks"] = ({}, {}, {}, {})
    entry = fn if kind > 1 else (fn, with_kwargs) if kind == 0 else (fn, with_kwargs, always_call)
    return _insert(kinds[kind], entry, prepend)


def flagged(kind: int, flag: int) -> property:
    """A property: the ids of a module's pre-forward (kind 0) or forward (1) hooks registered with
    ``with_kwargs`` (flag 1) or ``always_call`` (flag 2), as PyTorch's dicts of those names."""

    def get(module: Any) -> dict:
        kinds = module.__dict__.get("_forward_hooks")
        return {} if kinds is None else {k: True for k, e in kinds[kind].items() if e[flag]}

    return property(get)


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


def _pre_hooks(module: Any, kinds: tuple | None) -> list:
    g = registry()
    own = list(kinds[0].values()) if kinds is not None else []
    return [(fn, False) for fn in g._global_forward_pre_hooks.values()] + own


def _post_hooks(kinds: tuple | None) -> list:
    """(hook, with_kwargs, always_call) of the global forward hooks, then the module's own."""
    g = registry()
    kw, always = g._global_forward_hooks_with_kwargs, g._global_forward_hooks_always_called
    glob = [(fn, k in kw, k in always) for k, fn in g._global_forward_hooks.items()]
    return glob + (list(kinds[1].values()) if kinds is not None else [])


def call_with_hooks(module: Any, args: tuple, kwargs: dict) -> Any:
    """Pre-hooks (may return new args, or (args, kwargs) with_kwargs), forward, then hooks (may
    return a new output), global ones first, in registration order, as PyTorch's Module.__call__.
    With backward hooks the Tensor arguments (after the pre-hooks) and outputs (after the hooks) pass
    identity nodes. When anything raises, the ``always_call`` hooks not yet run still run."""
    kinds = module.__dict__.get("_forward_hooks")
    post = _post_hooks(kinds)
    done: set = set()
    out = None
    try:
        for fn, with_kwargs in _pre_hooks(module, kinds):
            if with_kwargs:
                result = fn(module, args, kwargs)
                if result is not None:
                    if not (isinstance(result, tuple) and len(result) == 2):
                        raise RuntimeError(
                            "forward pre-hook must return None or a tuple of (new_args, new_kwargs), "
                            f"but got {result}."
                        )
                    args, kwargs = result
            else:
                result = fn(module, args)
                if result is not None:
                    args = result if isinstance(result, tuple) else (result,)
        state = backward_state(module, kinds)
        if state is not None:
            args = state.wrap_inputs(args)
        out = module.forward(*args, **kwargs)
        for i, (fn, with_kwargs, always) in enumerate(post):
            if always:
                done.add(i)
            result = fn(module, args, kwargs, out) if with_kwargs else fn(module, args, out)
            if result is not None:
                out = result
        if state is not None and has_legacy(module, kinds):
            maybe_warn(args, out)
    except Exception:
        for i, (fn, with_kwargs, always) in enumerate(post):
            if always and i not in done:
                try:
                    result = fn(module, args, kwargs, out) if with_kwargs else fn(module, args, out)
                    if result is not None:
                        out = result
                except Exception as e:
                    warnings.warn(
                        "module forward hook with ``always_call=True`` raised an exception that was "
                        f"silenced as another error was raised in forward: {e}",
                        stacklevel=2,
                    )
        raise
    return out if state is None else state.wrap_outputs(out)


def _call_with_global_hooks(self: Any, *args: Any, **kwargs: Any) -> Any:
    """Module.__call__ while global hooks exist: every module takes the hooked path."""
    return call_with_hooks(self, args, kwargs)


class _GlobalHandle(HookHandle):
    """A global hook's handle: removing the last global hook restores Module's fast ``__call__``."""

    extra: list
    table: str

    @staticmethod
    def enable() -> None:
        """Swap Module.__call__ for the hooked path (every module runs the global hooks)."""
        from .module import Module

        if Module.__dict__["__call__"] is not _call_with_global_hooks:
            _call_with_global_hooks.plain = Module.__dict__["__call__"]
            Module.__call__ = _call_with_global_hooks

    def remove(self) -> None:
        from .module import Module

        super().remove()
        g = registry()
        for table in getattr(self, "extra", ()):
            getattr(g, table).pop(self.id, None)
        if not any_call_hooks() and Module.__dict__["__call__"] is _call_with_global_hooks:
            Module.__call__ = _call_with_global_hooks.plain

    def hooks_dict_ref(self) -> dict:
        """The registry the hook is in (looked up now: the registries may have been rebound)."""
        return getattr(registry(), self.table, self._hooks)
