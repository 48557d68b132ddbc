"""The list operations of Sequential and ModuleList, as PyTorch's: indexing by a 0-d integer Tensor,
item assignment and deletion, ``+``, ``+=``, ``*``, ``pop``, ``insert``, ``extend``.

Sequential keeps its children's names when one is replaced (``net[0] = m`` in a Sequential built
from an OrderedDict replaces ``net.linear1``) and renumbers '0', '1', ... after a deletion."""

from __future__ import annotations

import operator
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from .module import Module


def _position(container: Module, index: Any) -> int:
    """A non-negative position from an int (or 0-d integer Tensor), with IndexError out of range."""
    i = operator.index(index)
    n = len(container._modules)
    if not -n <= i < n:
        raise IndexError(f"index {i} is out of range for {type(container).__name__} of length {n}")
    return i % n


def _key(container: Module, index: Any) -> str:
    return list(container._modules)[_position(container, index)]


def _reset(container: Module, mods: list) -> None:
    """Re-register ``mods`` under '0', '1', ... (dropping the old names)."""
    for key in list(container._modules):
        del container._modules[key]
        container.__dict__.pop(key, None)
    for i, m in enumerate(mods):
        container.add_module(str(i), m)


def _check_module(module: Any, who: str) -> None:
    if not isinstance(module, Module):
        raise TypeError(f"{who}: expected an nn.Module, got {type(module).__name__}")


# --- Sequential ---------------------------------------------------------------------------------
def seq_getitem(self: Module, index: Any) -> Any:
    """``net[i]`` (an int or 0-d integer Tensor) is a child; ``net[a:b]`` a Sequential of them."""
    if isinstance(index, slice):
        return type(self)(OrderedDict(list(self._modules.items())[index]))
    return self._modules[_key(self, index)]


def seq_setitem(self: Module, index: Any, module: Module) -> None:
    """Replace the child at ``index``, keeping its name."""
    _check_module(module, "Sequential")
    setattr(self, _key(self, index), module)


def seq_delitem(self: Module, index: Any) -> None:
    """Delete the child(ren) at ``index`` (an int or a slice); the rest are renumbered '0', '1', ..."""
    keys = list(self._modules)[index] if isinstance(index, slice) else [_key(self, index)]
    for key in keys:
        delattr(self, key)
    _reset(self, list(self._modules.values()))


def seq_add(self: Module, other: Any) -> Any:
    """A new Sequential of this one's children followed by ``other``'s."""
    from .layers import Sequential

    if not isinstance(other, Sequential):
        raise ValueError(
            f"add operator supports only objects of Sequential class, but {type(other)} is given."
        )
    out = type(self)()
    for m in list(self) + list(other):
        out.append(m)
    return out


def seq_iadd(self: Module, other: Any) -> Any:
    """Append ``other``'s children to this Sequential (in place)."""
    for m in list(other):
        self.append(m)
    return self


def seq_mul(self: Module, times: Any) -> Any:
    """A new Sequential holding this one's children ``times`` times over."""
    n = _repeats(times)
    out = type(self)()
    for _ in range(n):
        for m in self:
            out.append(m)
    return out


def seq_imul(self: Module, times: Any) -> Any:
    """This Sequential's children ``times`` times over, in place."""
    mods = list(self) * _repeats(times)
    _reset(self, mods)
    return self


def _repeats(times: Any) -> int:
    if not isinstance(times, int) or isinstance(times, bool):
        raise TypeError(f"unsupported operand type(s) for *: 'Sequential' and '{type(times).__name__}'")
    if times <= 0:
        raise ValueError(f"Non-positive multiplication factor {times} for Sequential")
    return times


def seq_pop(self: Module, index: Any) -> Any:
    """Remove and return the child at ``index``."""
    module = self[index]
    del self[index]
    return module


def seq_insert(self: Module, index: int, module: Module) -> Any:
    """Insert ``module`` before position ``index`` (-len..len, as PyTorch's); returns the Sequential."""
    if not isinstance(module, Module):
        raise AssertionError(f"module should be of type: {Module}")
    n = len(self._modules)
    if not -n <= index <= n:
        raise IndexError(f"Index out of range: {index}")
    mods = list(self._modules.values())
    mods.insert(index if index >= 0 else index + n, module)
    _reset(self, mods)
    return self


def seq_extend(self: Module, modules: Iterable[Module]) -> Any:
    """Append each module of ``modules``; returns the Sequential."""
    for m in modules:
        self.append(m)
    return self


# --- ModuleList ---------------------------------------------------------------------------------
def list_getitem(self: Module, index: Any) -> Any:
    if isinstance(index, slice):
        return type(self)(list(self._modules.values())[index])
    return self._modules[_key(self, index)]


def list_setitem(self: Module, index: Any, module: Module) -> None:
    _check_module(module, "ModuleList")
    self.add_module(_key(self, index), module)


def list_add(self: Module, other: Iterable[Module]) -> Any:
    """A new ModuleList of this one's modules followed by ``other``'s."""
    out = type(self)()
    for m in list(self) + list(other):
        out.append(m)
    return out


def list_pop(self: Module, index: Any) -> Any:
    """Remove and return the module at ``index``."""
    module = self[index]
    del self[index]
    return module
