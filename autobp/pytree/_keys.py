"""The entries of a key path (JAX's ``jax.tree_util`` key classes): how a leaf is reached from the root
of a pytree, one key per level, and ``keystr`` to print a path."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SequenceKey:
    """The position of a child in a list, tuple or other sequence node: printed ``[idx]``."""

    idx: int

    def __hash__(self) -> int:
        return hash(("SequenceKey", self.idx))

    def __str__(self) -> str:
        return f"[{self.idx!r}]"


@dataclass(frozen=True)
class DictKey:
    """The key of a child in a dict (also OrderedDict and defaultdict): printed ``['key']``."""

    key: Hashable

    def __hash__(self) -> int:
        return hash(("DictKey", self.key))

    def __str__(self) -> str:
        return f"[{self.key!r}]"


@dataclass(frozen=True)
class GetAttrKey:
    """The attribute name of a child (named tuples, dataclasses): printed ``.name``."""

    name: str

    def __hash__(self) -> int:
        return hash(("GetAttrKey", self.name))

    def __str__(self) -> str:
        return f".{self.name}"


@dataclass(frozen=True)
class FlattenedIndexKey:
    """The flattening position of a child of a custom node registered without keys:
    printed ``[<flat index key>]``."""

    key: int

    def __hash__(self) -> int:
        return hash(("FlattenedIndexKey", self.key))

    def __str__(self) -> str:
        return f"[<flat index {self.key}>]"


KeyEntry = Any
KeyPath = tuple


def _simple(key: Any) -> str:
    if isinstance(key, SequenceKey):
        return str(key.idx)
    if isinstance(key, (DictKey, FlattenedIndexKey)):
        return str(key.key)
    if isinstance(key, GetAttrKey):
        return str(key.name)
    return str(key)


def keystr(keys: Sequence[Any], *, simple: bool = False, separator: str = "") -> str:
    """A key path as text: each key's ``str`` run together (``[0].foo['a']``), or with ``simple=True``
    only the bare index, key or name of each, joined by ``separator`` (``0/foo/a``).

    >>> keystr((SequenceKey(0), GetAttrKey("foo"), DictKey("a")))
    "[0].foo['a']"
    >>> keystr((SequenceKey(0), GetAttrKey("foo"), DictKey("a")), simple=True, separator="/")
    '0/foo/a'
    """
    return separator.join(_simple(k) if simple else str(k) for k in keys)


__all__ = ["SequenceKey", "DictKey", "GetAttrKey", "FlattenedIndexKey", "keystr"]
