"""PyTorch's global module hooks (``torch.nn.modules.module.register_module_forward_hook`` ...): hooks
every module runs before its own, and hooks called when any module registers a parameter, buffer or
submodule. The registries are the ``_global_*`` dicts of ``autobp.nn.modules.module``, looked up at
call time (as PyTorch's, code may rebind them to reset every global hook)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def registry() -> Any:
    """The module holding the ``_global_*`` hook dicts (``autobp.nn.modules.module``)."""
    from .modules import module

    return module


def any_call_hooks() -> bool:
    """Whether a global hook makes every module call take the hooked path."""
    g = registry()
    return bool(
        g._global_forward_pre_hooks
        or g._global_forward_hooks
        or g._global_backward_pre_hooks
        or g._global_backward_hooks
    )


def _checked(fn: Callable, who: str) -> None:
    if not callable(fn):
        raise TypeError(f"{who}: the hook must be callable, got {type(fn).__name__}")


def _add(table: str, fn: Callable, prepend: bool = False, **flags: str) -> Any:
    from .module_hooks import _GlobalHandle, _insert

    g = registry()
    handle = _insert(getattr(g, table), fn, prepend, _GlobalHandle)
    handle.extra = []
    for flag_table in flags.values():
        getattr(g, flag_table)[handle.id] = True
        handle.extra.append(flag_table)
    handle.table = table
    _GlobalHandle.enable()
    return handle


def register_module_forward_pre_hook(hook: Callable) -> Any:
    """Call ``hook(module, args)`` before every module's forward, before the module's own pre-hooks;
    a non-None result replaces args (PyTorch's). Returns a handle with ``remove()``."""
    _checked(hook, "register_module_forward_pre_hook")
    return _add("_global_forward_pre_hooks", hook)


def register_module_forward_hook(
    hook: Callable, *, with_kwargs: bool = False, always_call: bool = False
) -> Any:
    """Call ``hook(module, args, output)`` (with_kwargs: ``hook(module, args, kwargs, output)``) after
    every module's forward, before the module's own hooks; a non-None result replaces the output;
    ``always_call``: also when the forward (or a hook) raised (PyTorch's). Returns a handle."""
    _checked(hook, "register_module_forward_hook")
    flags = {}
    if with_kwargs:
        flags["kw"] = "_global_forward_hooks_with_kwargs"
    if always_call:
        flags["always"] = "_global_forward_hooks_always_called"
    return _add("_global_forward_hooks", hook, **flags)


def register_module_full_backward_pre_hook(hook: Callable, prepend: bool = False) -> Any:
    """A backward pre-hook of every module, run before the module's own (PyTorch's global hook)."""
    _checked(hook, "register_module_full_backward_pre_hook")
    return _add("_global_backward_pre_hooks", hook, prepend)


def register_module_full_backward_hook(hook: Callable, prepend: bool = False) -> Any:
    """A full backward hook of every module, run before the module's own (PyTorch's global hook)."""
    _checked(hook, "register_module_full_backward_hook")
    return _add("_global_backward_hooks", hook, prepend)


def register_module_backward_hook(hook: Callable) -> Any:
    """PyTorch's older global backward hook: in autobp it is the full backward hook of every module
    (the same gradients as PyTorch's for a module whose forward is one operation)."""
    from .module_legacy_hooks import LEGACY_GLOBAL

    _checked(hook, "register_module_backward_hook")
    handle = _add("_global_backward_hooks", hook)
    LEGACY_GLOBAL.add(handle.id)
    return handle


def _add_registration(table: str, hook: Callable, who: str) -> Any:
    from .module_hooks import HookHandle, _insert

    _checked(hook, who)
    return _insert(getattr(registry(), table), hook, False, HookHandle)


def register_module_buffer_registration_hook(hook: Callable) -> Any:
    """Call ``hook(module, name, buffer)`` whenever any module registers a buffer; a non-None result
    is registered instead (PyTorch's). Returns a handle with ``remove()``."""
    return _add_registration(
        "_global_buffer_registration_hooks", hook, "register_module_buffer_registration_hook"
    )


def register_module_parameter_registration_hook(hook: Callable) -> Any:
    """Call ``hook(module, name, param)`` whenever any module registers a parameter; a non-None result
    is registered instead (PyTorch's). Returns a handle with ``remove()``."""
    return _add_registration(
        "_global_parameter_registration_hooks", hook, "register_module_parameter_registration_hook"
    )


def register_module_module_registration_hook(hook: Callable) -> Any:
    """Call ``hook(module, name, submodule)`` whenever any module registers a submodule; a non-None
    result is registered instead (PyTorch's). Returns a handle with ``remove()``."""
    return _add_registration(
        "_global_module_registration_hooks", hook, "register_module_module_registration_hook"
    )


def registered(table: str, module: Any, name: str, value: Any) -> Any:
    """``value`` after the global registration hooks of ``table`` (each may return a replacement)."""
    hooks = getattr(registry(), table, None)
    if not hooks:
        return value
    for hook in list(hooks.values()):
        out = hook(module, name, value)
        if out is not None:
            value = out
    return value
