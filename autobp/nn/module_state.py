"""A Module's state: ``state_dict`` (parameters and persistent buffers by dotted name, PyTorch's keys,
as detached Tensors sharing their memory) and ``load_state_dict`` (copy arrays back in place), with
``LoadResult``; both run PyTorch's state-dict hooks and a module's extra state (module_state_hooks.py).

Written as functions of the module (``self``) and set as ``Module``'s methods in its class body
(module.py), where they are documented and called as before.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from typing import Any, NamedTuple

import numpy as np

from ..tensor import Tensor
from .module_state_hooks import EXTRA_STATE, hooks_of, loads_extra_state, saves_extra_state
from .parameter import Parameter


class LoadResult(NamedTuple):
    """What ``load_state_dict(strict=False)`` did not match (both empty after a strict load)."""

    missing_keys: list[str]
    unexpected_keys: list[str]


def _modules(self: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """``(prefix, module)`` for this module and every submodule, depth first, as PyTorch's state_dict
    recursion visits them: a module registered under two names is visited under each."""
    yield prefix, self
    for name, child in self._modules.items():
        if child is not None:
            yield from _modules(child, f"{prefix}{name}.")


def _own_items(mod: Any, prefix: str) -> Iterator[tuple[str, Tensor]]:
    for name, p in mod._parameters.items():
        if p is not None:
            yield prefix + name, p
    for name, b in mod._buffers.items():
        if b is not None and name not in mod._non_persistent:
            yield prefix + name, b


def _state_items(self, prefix: str = "") -> Iterator[tuple[str, Tensor]]:
    """Every parameter, then every persistent buffer, module by module (PyTorch's key order);
    a shared tensor or module appears under each of its names, as in PyTorch."""
    for pre, mod in _modules(self, prefix):
        yield from _own_items(mod, pre)


def state_dict(
    self, *args: Any, destination: Any = None, prefix: str = "", keep_vars: bool = False
) -> OrderedDict[str, Any]:
    """Dotted name -> a detached Tensor of each parameter and persistent buffer, with PyTorch's keys
    (``0.weight``, ``bn.running_mean``, ``bn.num_batches_tracked``), as PyTorch's: each shares its
    parameter's memory and dtype, so training (or ``sd[k].add_(1)``) changes it; take
    ``{k: v.clone() ...}`` for a snapshot. PyTorch's arguments: ``prefix`` before every key,
    ``keep_vars=True`` for the Parameters and buffers themselves, ``destination`` (a dict to fill). A
    module whose class overrides ``get_extra_state`` adds ``<prefix>_extra_state``; state-dict hooks
    run as PyTorch runs them."""
    if args:  # PyTorch's old positional form: state_dict(destination, prefix, keep_vars)
        destination, prefix, keep_vars = (*args, *(destination, prefix, keep_vars)[len(args) :])[:3]
    out = OrderedDict() if destination is None else destination
    _collect(self, out, prefix, keep_vars)
    return out


def _collect(mod: Any, out: Any, prefix: str, keep_vars: bool) -> None:
    for hook in hooks_of(mod, 0):
        hook(mod, prefix, keep_vars)
    for name, t in _own_items(mod, prefix):
        out[name] = t if keep_vars else t.detach()
    if saves_extra_state(mod):
        out[prefix + EXTRA_STATE] = mod.get_extra_state()
    for name, child in mod._modules.items():
        if child is not None:
            _collect(child, out, f"{prefix}{name}.", keep_vars)
    for hook in hooks_of(mod, 1):
        hook(mod, out, prefix, {})


def load_state_dict(self, state_dict: dict, strict: bool = True, assign: bool = False) -> LoadResult:
    """Copy values (Tensors such as another module's ``state_dict()``, numpy arrays, PyTorch's tensors,
    or anything ``np.asarray`` takes) into the parameters
    and buffers in place (optimisers keep working on the same objects); ``assign=True`` makes the
    given arrays the tensors' data instead (PyTorch's keyword).

    Every shape must match; with ``strict`` the keys must match exactly as well. The error names
    the missing, unexpected and mis-shaped keys; nothing is changed unless the whole load succeeds.
    ``model.load_state_dict({k: v.numpy() for k, v in torch_model.state_dict().items()})`` loads
    a PyTorch model's weights. Load hooks and extra state work as PyTorch's.
    """
    if not hasattr(state_dict, "items"):
        raise TypeError(f"load_state_dict: expected a dict of arrays, got {type(state_dict).__name__}")
    state_dict = OrderedDict(state_dict)  # a copy: pre-hooks may rename entries, the caller's stays
    modules = list(_modules(self))
    missing: list[str] = []
    unexpected: list[str] = []
    problems: list[str] = []
    for pre, mod in modules:
        for hook in hooks_of(mod, 2):
            hook(mod, state_dict, pre, {}, strict, missing, unexpected, problems)
    own = dict(self._state_items())
    extra = {pre + EXTRA_STATE: mod for pre, mod in modules if loads_extra_state(mod)}
    missing += [k for k in (*own, *extra) if k not in state_dict]
    unexpected += [k for k in state_dict if k not in own and k not in extra]
    pending = []
    for name, t in own.items():
        if name not in state_dict:
            continue
        value = state_dict[name]
        arr = value._data if isinstance(value, Tensor) else np.asarray(value)
        if arr.dtype.kind not in "biuf":
            problems.append(f"{name}: dtype {arr.dtype} is not numeric")
        elif arr.shape != t._data.shape:
            problems.append(
                f"{name}: shape {tuple(arr.shape)} in the state dict, {tuple(t._data.shape)} in the model"
            )
        else:
            pending.append((t, arr))
    result = LoadResult(missing, unexpected)
    for _, mod in modules:
        for hook in hooks_of(mod, 3):
            hook(mod, result)
    if strict:
        if missing:
            problems.append("missing key(s): " + ", ".join(missing))
        if unexpected:
            problems.append("unexpected key(s): " + ", ".join(map(str, unexpected)))
    if problems:
        raise RuntimeError(
            f"error(s) loading state dict into {type(self).__name__}:\n  " + "\n  ".join(problems)
        )
    for t, arr in pending:
        if assign:
            t._data = arr.astype(t._data.dtype, copy=False)
        elif isinstance(t, Parameter):
            t.data[...] = arr  # counts as an in-place change of the parameter
        else:
            t._data[...] = arr  # buffers: never part of a graph that needs them unchanged
    for key, mod in extra.items():
        if key in state_dict:
            mod.set_extra_state(state_dict[key])
    return result
