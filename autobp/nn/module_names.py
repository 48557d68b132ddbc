"""Module's naming rules and tree walks, as PyTorch's: which names register_parameter/register_buffer/
add_module accept (and the error each refusal raises), and the named_* iterators with
``remove_duplicate`` (False lists a module, parameter or buffer reached by two paths once per path)."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import numpy as np


def check_name(module: Any, kind: str, name: Any, registry: dict) -> None:
    """``kind`` is 'parameter', 'buffer' or 'module'. A name that is not a string is a TypeError; an
    empty or dotted name, or one already used by another attribute, a KeyError (PyTorch's words)."""
    if not isinstance(name, str):
        raise TypeError(f"{kind} name should be a string. Got {type(name).__name__}")
    if name == "":
        raise KeyError(f'{kind} name can\'t be empty string ""')
    if "." in name:
        raise KeyError(f'{kind} name can\'t contain ".", got: {name}')
    if name not in registry and _taken(module, name):
        raise KeyError(f"attribute '{name}' already exists")


def _taken(module: Any, name: str) -> bool:
    d = module.__dict__
    if any(name in d.get(r, ()) for r in ("_parameters", "_modules", "_buffers")):
        return True
    return name in d or hasattr(type(module), name)


def check_buffer_value(name: str, tensor: Any) -> None:
    """A buffer is a Tensor (or a numpy array, autobp's) or None; anything else is PyTorch's TypeError."""
    from ..tensor import Tensor

    if tensor is not None and not isinstance(tensor, (Tensor, np.ndarray)):
        what = type(tensor).__name__
        raise TypeError(f"cannot assign '{what}' object to buffer '{name}' (torch Tensor or None required)")


def mark_buffer(t: Any, persistent: bool) -> Any:
    """Flag ``t`` (made from an ``nn.Buffer``) so that assigning it to another attribute registers it
    there as a buffer too, the same object (PyTorch's Buffer flag: ``m.tied = m.buffer`` ties them)."""
    t.__dict__["_buffer_persistent"] = persistent
    return t


def buffer_marked(value: Any) -> bool:
    """Whether ``value`` is a Tensor made by ``mark_buffer``."""
    return "_buffer_persistent" in getattr(value, "__dict__", ())


def register_assigned_buffer(module: Any, name: str, value: Any, persistent: bool) -> None:
    """``module.name = Buffer(t)``: call the module's register_buffer, without ``persistent`` when a
    subclass overrode it with a two-argument signature (PyTorch tolerates that for persistent buffers)."""
    reg = module.register_buffer
    try:
        params = inspect.signature(reg).parameters
    except (TypeError, ValueError):
        params = {"persistent": None}
    if "persistent" in params or any(p.kind == p.VAR_KEYWORD for p in params.values()):
        reg(name, value, persistent)
    elif not persistent:
        raise RuntimeError(
            f"Registering a non-persistent buffer {name!r} on a custom register_buffer() without "
            "the 'persistent' argument is not supported"
        )
    else:
        reg(name, value)


def named_modules(
    self: Any, memo: set | None = None, prefix: str = "", remove_duplicate: bool = True
) -> Iterator[tuple[str, Any]]:
    """This module and its submodules with dotted names ('' for this one), depth first in
    registration order; with ``remove_duplicate`` a module reached twice is listed once."""
    if memo is None:
        memo = set()
    stack = [(prefix, self)]
    while stack:  # explicit stack (deep nets), children in registration order
        name, mod = stack.pop()
        if remove_duplicate:
            if id(mod) in memo:
                continue
            memo.add(id(mod))
        yield name, mod
        kids = [(f"{name}.{k}" if name else k, m) for k, m in mod._modules.items() if m is not None]
        stack.extend(reversed(kids))


def named_children(self: Any) -> Iterator[tuple[str, Any]]:
    """Immediate children with their names; a child registered under two names is listed once."""
    seen: set[int] = set()
    for name, m in self._modules.items():
        if m is not None and id(m) not in seen:
            seen.add(id(m))
            yield name, m


def _named_members(self: Any, registry: str, prefix: str, recurse: bool, remove_duplicate: bool):
    seen: set[int] = set()
    mods = (
        named_modules(self, prefix=prefix, remove_duplicate=remove_duplicate) if recurse else [(prefix, self)]
    )
    for mod_name, mod in mods:
        for name, v in getattr(mod, registry).items():
            if v is None or (remove_duplicate and id(v) in seen):
                continue
            seen.add(id(v))
            yield (f"{mod_name}.{name}" if mod_name else name), v


def named_parameters(
    self: Any, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
) -> Iterator[tuple[str, Any]]:
    """(dotted name, Parameter) pairs such as ``encoder.0.weight``; a shared Parameter appears once
    unless ``remove_duplicate=False``."""
    return _named_members(self, "_parameters", prefix, recurse, remove_duplicate)


def named_buffers(
    self: Any, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
) -> Iterator[tuple[str, Any]]:
    """(dotted name, buffer) pairs such as ``bn.running_mean``; a shared buffer appears once unless
    ``remove_duplicate=False``."""
    return _named_members(self, "_buffers", prefix, recurse, remove_duplicate)


def check_training_mode(mode: Any) -> bool:
    """``train(mode)`` takes a bool (PyTorch's ValueError otherwise)."""
    if not isinstance(mode, (bool, np.bool_)):
        raise ValueError("training mode is expected to be boolean")
    return bool(mode)


def public_dir(names: set) -> list[str]:
    """``dir(module)``: attribute names, without children such as Sequential's '0' (not identifiers)."""
    return sorted(n for n in names if not n[:1].isdigit())


def apply_to_tensors(self: Any, fn: Any, recurse: bool = True) -> Any:
    """PyTorch's ``Module._apply``: ``fn`` on every parameter (and its ``.grad``) and buffer, under
    no_grad. A result that is the tensor itself (an in-place ``fn``) changes it where it is; another
    tensor's data replaces the parameter's, so the Parameter objects (and optimisers) stay."""
    from ..autograd import no_grad
    from ..tensor import Tensor

    if recurse:
        for child in self.children():
            child._apply(fn)
    with no_grad():
        for p in self._parameters.values():
            if p is None:
                continue
            out = fn(p)
            if out is not p:
                p._data = out._data if isinstance(out, Tensor) else np.asarray(out)
            g = p.grad
            if g is not None:
                gout = fn(g if isinstance(g, Tensor) else Tensor(np.asarray(g)))
                if gout is not g:
                    p.grad = gout if isinstance(gout, Tensor) else Tensor(np.asarray(gout))
        for name, b in list(self._buffers.items()):
            if b is not None:
                self._buffers[name] = fn(b)
                self.__dict__[name] = self._buffers[name]
    return self
