"""Containers that register what they hold, as PyTorch's: ModuleDict (named submodules), ParameterList
and ParameterDict (Parameters under '0', '1', ... or their keys, so state_dict and optimisers see them)."""

from __future__ import annotations

import operator
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ..tensor import Tensor
from .module import Module, Parameter


def _pairs(values: Any, who: str) -> Iterable[tuple[str, Any]]:
    """Key/value pairs of a mapping (a plain one sorted for ParameterDict, as PyTorch's) or of an
    iterable of pairs: a non-iterable is a TypeError, an element that is not a pair a ValueError."""
    if isinstance(values, (ModuleDict, ParameterDict, OrderedDict)):
        return list(values.items())
    if isinstance(values, Mapping):
        return sorted(values.items()) if who == "ParameterDict" else values.items()
    if not isinstance(values, (Iterable, Tensor)):
        raise TypeError(
            f"{who}.update should be called with an iterable of key/value pairs, got {type(values).__name__}"
        )
    pairs = []
    for i, kv in enumerate(values):
        if not isinstance(kv, (Iterable, Tensor)) or isinstance(kv, str):
            what = type(kv).__name__
            raise TypeError(
                f"{who} update sequence element #{i} should be Iterable (a key/value pair); is {what}"
            )
        kv = list(kv)
        if len(kv) != 2:
            raise ValueError(f"{who} update sequence element #{i} has length {len(kv)}; 2 is required")
        pairs.append(tuple(kv))
    return pairs


def _check_key(container: Module, key: Any, registry: dict) -> str:
    """Keys are strings that do not hide one of the container's own attributes (PyTorch's KeyError)."""
    if not isinstance(key, str):
        raise TypeError(f"{type(container).__name__}: keys must be strings, got {type(key).__name__}")
    if key not in registry and hasattr(type(container), key):
        raise KeyError(f"{type(container).__name__}: attribute {key!r} already exists")
    return key


def _as_parameter(value: Any, who: str) -> Any:
    """Tensors become Parameters (``nn.Parameter(t)``: trainable), as PyTorch's containers do."""
    if isinstance(value, Tensor) and not isinstance(value, Parameter):
        return Parameter(value, dtype=value.dtype)  # sharing value's memory, as PyTorch's
    if value is not None and not isinstance(value, Parameter):
        raise TypeError(f"{who}: expected a Parameter or Tensor, got {type(value).__name__}")
    return value


class ModuleDict(Module):
    """An ordered dict of submodules registered under their keys (``model.blocks['enc'].weight``).

    >>> d = ModuleDict({"a": Identity()}); list(d.keys())   # doctest: +SKIP
    ['a']
    """

    def __init__(self, modules: Any = None) -> None:
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key: str) -> Module:
        return self._modules[key]

    def __setitem__(self, key: str, module: Module) -> None:
        self.add_module(_check_key(self, key, self._modules), module)

    def __delitem__(self, key: str) -> None:
        del self._modules[key]
        self.__dict__.pop(key, None)

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __contains__(self, key: object) -> bool:
        return key in self._modules

    def keys(self) -> Iterable[str]:
        return self._modules.keys()

    def items(self) -> Iterable[tuple[str, Module]]:
        return self._modules.items()

    def values(self) -> Iterable[Module]:
        return self._modules.values()

    def pop(self, key: str) -> Module:
        module = self._modules[key]
        del self[key]
        return module

    def clear(self) -> None:
        for key in list(self._modules):
            del self[key]

    def update(self, modules: Any) -> None:
        """Add (or replace) modules from a mapping or an iterable of (key, module) pairs."""
        for key, module in _pairs(modules, "ModuleDict"):
            self[key] = module


class ParameterList(Module):
    """A list of Parameters registered as '0', '1', ...; Tensors given to it become Parameters (other
    objects, as PyTorch allows, are held but not registered)."""

    def __init__(self, values: Iterable[Any] | None = None) -> None:
        super().__init__()
        object.__setattr__(self, "_others", {})  # non-Parameter items by position
        if values is not None:
            self.extend(values)

    def _index(self, index: Any) -> str:
        i = operator.index(index)
        n = len(self)
        if not -n <= i < n:
            raise IndexError(f"ParameterList index {i} out of range for {n} items")
        return str(i % n)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return ParameterList(list(self)[index])
        key = self._index(index)
        return self._parameters[key] if key in self._parameters else self._others[key]

    def _set(self, key: str, value: Any) -> None:
        if isinstance(value, Tensor) or value is None:
            self._others.pop(key, None)
            self.register_parameter(key, _as_parameter(value, "ParameterList"))
        else:
            self._parameters.pop(key, None)
            self.__dict__.pop(key, None)
            self._others[key] = value

    def __setitem__(self, index: Any, value: Any) -> None:
        self._set(self._index(index), value)

    def __len__(self) -> int:
        return len(self._parameters) + len(self._others)

    def __iter__(self) -> Iterator[Any]:
        return iter([self[i] for i in range(len(self))])

    def __iadd__(self, values: Iterable[Any]) -> ParameterList:
        return self.extend(values)

    def append(self, value: Any) -> ParameterList:
        self._set(str(len(self)), value)
        return self

    def extend(self, values: Iterable[Any]) -> ParameterList:
        if isinstance(values, Tensor) or not isinstance(values, Iterable):
            raise TypeError(
                f"ParameterList.extend should be called with an iterable, got {type(values).__name__}"
            )
        for v in values:
            self.append(v)
        return self

    def extra_repr(self) -> str:
        return "\n".join(
            f"({i}): Parameter of shape {tuple(p.shape)}"
            if isinstance(p, Tensor)
            else f"({i}): Object of type: {type(p).__name__}"
            for i, p in enumerate(self)
        )


class ParameterDict(Module):
    """An ordered dict of Parameters registered under their keys; Tensors given to it become Parameters."""

    def __init__(self, parameters: Any = None) -> None:
        super().__init__()
        if parameters is not None:
            self.update(parameters)

    def __getitem__(self, key: str) -> Any:
        return self._parameters[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.register_parameter(
            _check_key(self, key, self._parameters), _as_parameter(value, "ParameterDict")
        )

    def __delitem__(self, key: str) -> None:
        del self._parameters[key]
        self.__dict__.pop(key, None)

    def __len__(self) -> int:
        return len(self._parameters)

    def __iter__(self) -> Iterator[str]:
        return iter(self._parameters)

    def __contains__(self, key: object) -> bool:
        return key in self._parameters

    def keys(self) -> Iterable[str]:
        return self._parameters.keys()

    def items(self) -> Iterable[tuple[str, Any]]:
        return self._parameters.items()

    def values(self) -> Iterable[Any]:
        return self._parameters.values()

    def get(self, key: str, default: Any = None) -> Any:
        return self._parameters.get(key, default)

    def setdefault(self, key: str, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
        return self[key]

    def pop(self, key: str) -> Any:
        value = self._parameters[key]
        del self[key]
        return value

    def clear(self) -> None:
        for key in list(self._parameters):
            del self[key]

    def update(self, parameters: Any) -> None:
        """Add (or replace) Parameters from a mapping or an iterable of (key, value) pairs."""
        for key, value in _pairs(parameters, "ParameterDict"):
            self[key] = value

    def extra_repr(self) -> str:
        return "\n".join(f"({k}): Parameter of shape {tuple(p.shape)}" for k, p in self.items())
