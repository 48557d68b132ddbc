"""PyTorch's state-dict extension points on ``Module``: hooks around ``state_dict`` and
``load_state_dict`` (``register_state_dict_pre_hook`` ...), and a module's own extra state
(``get_extra_state``/``set_extra_state``, saved under ``<prefix>_extra_state``), with PyTorch's
calling conventions. module_state.py calls them; Module gets the register functions as methods."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .module_hooks import HookHandle, _insert

EXTRA_STATE = "_extra_state"  # PyTorch's key suffix for a module's extra state
_KINDS = ("state_dict_pre", "state_dict_post", "load_state_dict_pre", "load_state_dict_post")


def _hooks(module: Any, kind: int) -> dict:
    kinds = module.__dict__.get("_state_dict_hooks")
    if kinds is None:
        kinds = module.__dict__["_state_dict_hooks"] = ({}, {}, {}, {})
    return kinds[kind]


def hooks_of(module: Any, kind: int) -> list[Callable]:
    """The hooks of one kind registered on ``module``, in calling order (none: an empty list)."""
    kinds = module.__dict__.get("_state_dict_hooks")
    return list(kinds[kind].values()) if kinds is not None else []


def load_pre_hooks(module: Any) -> list[tuple[Callable, bool]]:
    """(hook, with_module) of the load pre-hooks of ``module``, in calling order."""
    return hooks_of(module, 2)


def _register(kind: int) -> Callable:
    def register(self: Any, hook: Callable, prepend: bool = False) -> HookHandle:
        if not callable(hook):
            raise TypeError(
                f"register_{_KINDS[kind]}_hook: the hook must be callable, got {type(hook).__name__}"
            )
        return _insert(_hooks(self, kind), (hook, True) if kind == 2 else hook, prepend)

    register.__name__ = f"register_{_KINDS[kind]}_hook"
    return register


register_state_dict_pre_hook = _register(0)
register_state_dict_pre_hook.__doc__ = """Call ``hook(module, prefix, keep_vars)`` before ``state_dict``
collects this module's entries (PyTorch's). Returns a handle with ``remove()``."""
register_state_dict_post_hook = _register(1)
register_state_dict_post_hook.__doc__ = """Call ``hook(module, state_dict, prefix, local_metadata)`` once
this module's entries (its submodules' included) are in ``state_dict``; it may change the dict in
place (PyTorch's). Returns a handle with ``remove()``."""
register_load_state_dict_pre_hook = _register(2)
register_load_state_dict_pre_hook.__doc__ = """Call ``hook(module, state_dict, prefix, local_metadata,
strict, missing_keys, unexpected_keys, error_msgs)`` before ``load_state_dict`` reads this module's
entries; it may rename or convert entries of ``state_dict`` in place (PyTorch's). Returns a handle."""


def _register_load_state_dict_pre_hook(self: Any, hook: Callable, with_module: bool = False) -> HookHandle:
    """PyTorch's older form: ``hook(state_dict, prefix, local_metadata, strict, missing_keys,
    unexpected_keys, error_msgs)``, or with the module first when ``with_module``. Returns a handle."""
    if not callable(hook):
        raise TypeError(
            f"_register_load_state_dict_pre_hook: the hook must be callable, got {type(hook).__name__}"
        )
    return _insert(_hooks(self, 2), (hook, with_module), False)


register_load_state_dict_post_hook = _register(3)
register_load_state_dict_post_hook.__doc__ = """Call ``hook(module, incompatible_keys)`` after
``load_state_dict``; it may clear entries of ``incompatible_keys.missing_keys`` / ``unexpected_keys``
in place, which then do not fail a strict load (PyTorch's). Returns a handle with ``remove()``."""


def get_extra_state(self: Any) -> Any:
    """A module's own state beyond parameters and buffers, for ``state_dict`` (PyTorch's): override it
    (with ``set_extra_state``) and ``state_dict`` saves its result under ``<prefix>_extra_state``."""
    raise RuntimeError(
        "Reached a code path in Module.get_extra_state() that should never be called: override "
        "get_extra_state (and set_extra_state) in the module's class to save extra state"
    )


def set_extra_state(self: Any, state: Any) -> None:
    """Take back what ``get_extra_state`` returned, from ``load_state_dict`` (PyTorch's); override it."""
    raise RuntimeError(
        "Reached a code path in Module.set_extra_state() that should never be called: override "
        "set_extra_state (and get_extra_state) in the module's class to load extra state"
    )


def saves_extra_state(module: Any) -> bool:
    """Whether ``module``'s class overrides ``get_extra_state`` (then its state dict has the entry)."""
    return type(module).get_extra_state is not get_extra_state


def loads_extra_state(module: Any) -> bool:
    return type(module).set_extra_state is not set_extra_state
