"""A Module's state: ``state_dict`` (parameters and persistent buffers by dotted name, PyTorch's keys,
as detached Tensors sharing their memory, with PyTorch's ``_metadata`` of module versions) and
``load_state_dict`` (copy arrays back in place), with ``LoadResult``. Both go through the overridable
``_save_to_state_dict`` / ``_load_from_state_dict`` of each module and run PyTorch's state-dict hooks
and a module's extra state (module_state_hooks.py), as PyTorch's do.

Written as functions of the module (``self``) and set as ``Module``'s methods in its class body
(module.py), where they are documented and called as before.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

import numpy as np

from ..tensor import Tensor
from .module_state_hooks import EXTRA_STATE, hooks_of, load_pre_hooks, loads_extra_state, saves_extra_state
from .parameter import Parameter


class LoadResult(NamedTuple):
    """What ``load_state_dict(strict=False)`` did not match (both empty after a strict load)."""

    missing_keys: list[str]
    unexpected_keys: list[str]

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return f"_IncompatibleKeys(missing_keys={self.missing_keys}, unexpected_keys={self.unexpected_keys})"

    __str__ = __repr__


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
    run as PyTorch runs them, and the dict's ``_metadata`` holds each module's ``version``."""
    if args:  # PyTorch's old positional form: state_dict(destination, prefix, keep_vars)
        destination, prefix, keep_vars = (*args, *(destination, prefix, keep_vars)[len(args) :])[:3]
    if destination is None:
        destination = OrderedDict()
        destination._metadata = OrderedDict()
    return _collect(self, destination, prefix, keep_vars)


def _collect(mod: Any, out: Any, prefix: str, keep_vars: bool) -> Any:
    local_metadata = {"version": getattr(type(mod), "_version", 1)}
    if hasattr(out, "_metadata"):
        out._metadata[prefix[:-1]] = local_metadata
    for hook in hooks_of(mod, 0):
        hook(mod, prefix, keep_vars)
    mod._save_to_state_dict(out, prefix, keep_vars)
    for name, child in mod._modules.items():
        if child is not None:
            _collect(child, out, f"{prefix}{name}.", keep_vars)
    for hook in hooks_of(mod, 1):
        result = hook(mod, out, prefix, local_metadata)
        if result is not None:
            out = result
    return out


def _save_to_state_dict(self, destination: Any, prefix: str, keep_vars: bool) -> None:
    """Put this module's own state (not its submodules') into ``destination`` (PyTorch's; override it
    to save differently): parameters, persistent buffers and extra state."""
    for name, t in _own_items(self, prefix):
        destination[name] = t if keep_vars else t.detach()
    if saves_extra_state(self):
        destination[prefix + EXTRA_STATE] = self.get_extra_state()


def _as_array(value: Any) -> np.ndarray | None:
    """The array of a state-dict value: a Tensor, a numpy array or anything with ``.numpy()``/
    ``__array__`` (PyTorch's tensors); None for anything else (PyTorch's refusal)."""
    if isinstance(value, Tensor):
        return value._data
    if isinstance(value, (np.ndarray, np.generic)):
        return np.asarray(value)
    if hasattr(value, "detach") and hasattr(value, "numpy"):  # a PyTorch tensor
        return np.asarray(value.detach().cpu().numpy())
    return None


def _load_from_state_dict(
    self,
    state_dict: Mapping,
    prefix: str,
    local_metadata: dict,
    strict: bool,
    missing_keys: list,
    unexpected_keys: list,
    error_msgs: list,
) -> None:
    """Load this module's own entries of ``state_dict`` (keys ``prefix + name``), PyTorch's protocol:
    runs the load pre-hooks, appends to ``missing_keys``/``unexpected_keys``/``error_msgs`` rather
    than raising; override it to load differently. The copies wait in ``local_metadata``'s load (set
    by ``load_state_dict``) so that a failed load changes nothing."""
    for hook, with_module in load_pre_hooks(self):
        args = (state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys, error_msgs)
        hook(self, *args) if with_module else hook(*args)
    local = dict(_own_items(self, ""))
    assign = local_metadata.get("assign_to_params_buffers", False)
    pending = _PENDING[-1] if _PENDING else None
    for name, t in local.items():
        key = prefix + name
        if key not in state_dict:
            if strict:
                missing_keys.append(key)
            continue
        value = state_dict[key]
        arr = _as_array(value)
        if arr is None:
            error_msgs.append(
                f'While copying the parameter named "{key}", expected torch.Tensor or Tensor-like object '
                f"from checkpoint but received {type(value)}"
            )
            continue
        if t._data.ndim == 0 and arr.ndim == 1 and arr.shape[0] == 1:
            arr = arr[0]  # PyTorch's: a 1-element 1-d entry loads into a 0-d tensor
        if arr.dtype.kind not in "biufc":
            error_msgs.append(f"{key}: dtype {arr.dtype} is not numeric")
            continue
        elif arr.shape != t._data.shape:
            error_msgs.append(
                f"size mismatch for {key}: copying a param with shape {tuple(arr.shape)} from checkpoint, "
                f"the shape in current model is {tuple(t._data.shape)}."
            )
            continue
        step = (self, name, t, arr, assign, value)
        if pending is None:
            _apply([step])
        else:
            pending.append(step)
    extra_key = prefix + EXTRA_STATE
    if loads_extra_state(self):
        if extra_key in state_dict:
            self.set_extra_state(state_dict[extra_key])
        elif strict:
            missing_keys.append(extra_key)
    elif strict and extra_key in state_dict:
        unexpected_keys.append(extra_key)
    if strict:
        for key in state_dict:
            if key.startswith(prefix) and key != extra_key:
                first, *rest = key[len(prefix) :].split(".", 1)
                if (rest and first not in self._modules) or (not rest and first not in local):
                    unexpected_keys.append(key)


_PENDING: list[list] = []  # the copies of the loads under way (nested loads stack)


def _apply(steps: list) -> list:
    """Make the copies; returns how to undo them."""
    undo = []
    for mod, name, t, arr, assign, value in steps:
        if assign:
            undo.append((t, t._data, True))
            if isinstance(t, Parameter) and isinstance(value, Parameter):
                value.requires_grad_(t.requires_grad)
                setattr(mod, name, value)
                continue
            t._data = arr.astype(t._data.dtype, copy=False)
        else:
            undo.append((t, t._data.copy(), False))
            if isinstance(t, Parameter):
                t.data[...] = arr  # counts as an in-place change of the parameter
            else:
                t._data[...] = arr  # buffers: never part of a graph that needs them unchanged
    return undo


def load_state_dict(self, state_dict: Any, strict: bool = True, assign: bool = False) -> LoadResult:
    """Copy values (Tensors such as another module's ``state_dict()``, numpy arrays or PyTorch's
    tensors) into the parameters and buffers in place (optimisers keep working on the same objects);
    ``assign=True`` makes the given arrays the tensors' data instead (PyTorch's keyword).

    Every shape must match; with ``strict`` the keys must match exactly as well. The error names
    the missing, unexpected and mis-shaped keys in PyTorch's words ("Error(s) in loading state_dict
    for ..."); nothing is changed unless the whole load succeeds.
    ``model.load_state_dict({k: v.numpy() for k, v in torch_model.state_dict().items()})`` loads
    a PyTorch model's weights. Load hooks, ``_load_from_state_dict`` overrides and extra state work
    as PyTorch's."""
    if not isinstance(state_dict, Mapping):
        raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict)}.")
    metadata = getattr(state_dict, "_metadata", None)
    state_dict = OrderedDict(state_dict)  # a copy: pre-hooks may rename entries, the caller's stays
    if metadata is not None:
        state_dict._metadata = metadata
    missing: list[str] = []
    unexpected: list[str] = []
    errors: list[str] = []
    _PENDING.append([])
    try:
        loaded = _load(self, state_dict, "", metadata, assign, missing, unexpected, errors)
    finally:
        pending = _PENDING.pop()
    undo = [] if errors else _apply(pending)
    result = LoadResult(missing, unexpected)
    for mod in loaded:
        for hook in hooks_of(mod, 3):
            if hook(mod, result) is not None:
                raise RuntimeError(
                    "Hooks registered with ``register_load_state_dict_post_hook`` are not expected to "
                    "return new values, if incompatible_keys need to be modified, it should be done "
                    "inplace."
                )
    if strict:
        if unexpected:
            errors.insert(
                0, "Unexpected key(s) in state_dict: {}. ".format(", ".join(f'"{k}"' for k in unexpected))
            )
        if missing:
            errors.insert(
                0, "Missing key(s) in state_dict: {}. ".format(", ".join(f'"{k}"' for k in missing))
            )
    if errors:
        for t, data, reassigned in reversed(undo):  # a failed load changes nothing
            if reassigned:
                t._data = data
            else:
                t._data[...] = data
        raise RuntimeError(
            "Error(s) in loading state_dict for {}:\n\t{}".format(type(self).__name__, "\n\t".join(errors))
        )
    return result


def _load(
    mod: Any,
    sd: Mapping,
    prefix: str,
    metadata: Any,
    assign: bool,
    missing: list,
    unexpected: list,
    errors: list,
) -> list:
    """PyTorch's recursion: each module loads from the entries under its prefix; returns the modules
    in post order (the order of their post-hooks)."""
    local_metadata = {} if metadata is None else dict(metadata.get(prefix[:-1], {}))
    if assign:
        local_metadata["assign_to_params_buffers"] = assign
    mod._load_from_state_dict(sd, prefix, local_metadata, True, missing, unexpected, errors)
    loaded = []
    for name, child in mod._modules.items():
        if child is not None:
            child_prefix = f"{prefix}{name}."
            child_sd = {k: v for k, v in sd.items() if k.startswith(child_prefix)}
            loaded += _load(child, child_sd, child_prefix, metadata, assign, missing, unexpected, errors)
    return [*loaded, mod]
