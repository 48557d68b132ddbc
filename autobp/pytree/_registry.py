"""Which Python objects are pytree nodes, as JAX decides: None, tuples, lists, dicts (OrderedDict and
defaultdict too) and named tuples are built in; any other type is a leaf unless registered with
``register_pytree_node`` (or its variants). Lookup is by exact type, as in JAX: a subclass of dict or
tuple that is not registered (and not a named tuple) is a leaf."""

from __future__ import annotations

import dataclasses
import operator
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple, TypeVar

from ._keys import DictKey, FlattenedIndexKey, GetAttrKey, SequenceKey

T = TypeVar("T")


class _Entry(NamedTuple):
    flatten: Callable[[Any], tuple]
    unflatten: Callable[[Any, Any], Any]
    flatten_with_keys: Callable[[Any], tuple] | None


_REGISTRY: dict[type, _Entry] = {}
_BUILTIN = (tuple, list, dict, type(None), OrderedDict, defaultdict)


def register_pytree_node(
    nodetype: type,
    flatten_func: Callable[[Any], tuple[Iterable[Any], Any]],
    unflatten_func: Callable[[Any, Any], Any],
    flatten_with_keys_func: Callable[[Any], tuple[Iterable[tuple[Any, Any]], Any]] | None = None,
) -> None:
    """Make ``nodetype`` a pytree node (JAX's ``register_pytree_node``): ``flatten_func(x)`` returns
    ``(children, aux_data)``, ``unflatten_func(aux_data, children)`` rebuilds the object. Its children
    are flattened further; ``aux_data`` (hashable, compared with ``==``) is part of the structure.

    >>> class Pair:
    ...     def __init__(self, a, b):
    ...         self.a, self.b = a, b
    >>> register_pytree_node(Pair, lambda p: ((p.a, p.b), None), lambda aux, ch: Pair(*ch))
    >>> tree_leaves([Pair(1, (2, 3)), 4])
    [1, 2, 3, 4]
    """
    if nodetype in _REGISTRY or nodetype in _BUILTIN:
        raise ValueError(f"Duplicate custom PyTreeDef type registration for {nodetype}.")
    _REGISTRY[nodetype] = _Entry(flatten_func, unflatten_func, flatten_with_keys_func)


def register_pytree_with_keys(
    nodetype: type,
    flatten_with_keys: Callable[[Any], tuple[Iterable[tuple[Any, Any]], Any]],
    unflatten_func: Callable[[Any, Any], Any],
    flatten_func: Callable[[Any], tuple[Iterable[Any], Any]] | None = None,
) -> None:
    """Make ``nodetype`` a pytree node whose children have keys (JAX's ``register_pytree_with_keys``):
    ``flatten_with_keys(x)`` returns ``(((key, child), ...), aux_data)``; the keys appear in the paths of
    ``tree_flatten_with_path``. ``flatten_func`` (without keys) is derived when not given."""

    def without_keys(x: Any) -> tuple:
        keyed, aux = _checked(flatten_with_keys(x))
        return [child for _, child in keyed], aux

    register_pytree_node(nodetype, flatten_func or without_keys, unflatten_func, flatten_with_keys)


def register_pytree_node_class(cls: type[T]) -> type[T]:
    """Class decorator: ``cls`` is a pytree node flattened by its ``tree_flatten()`` method (returning
    ``(children, aux_data)``) and rebuilt by its classmethod ``tree_unflatten(aux_data, children)``."""
    register_pytree_node(cls, operator.methodcaller("tree_flatten"), cls.tree_unflatten)  # type: ignore[attr-defined]
    return cls


def register_pytree_with_keys_class(cls: type[T]) -> type[T]:
    """Class decorator as ``register_pytree_node_class``, with keys from the method
    ``tree_flatten_with_keys()`` (``tree_flatten()`` is used for key-less flattening when defined)."""
    plain = operator.methodcaller("tree_flatten") if hasattr(cls, "tree_flatten") else None
    register_pytree_with_keys(
        cls,
        operator.methodcaller("tree_flatten_with_keys"),
        cls.tree_unflatten,  # type: ignore[attr-defined]
        plain,
    )
    return cls


def register_static(cls: type[T]) -> type[T]:
    """Class decorator: instances of ``cls`` are pytree nodes with no children, the whole object kept
    as the node's aux data (part of the structure, not a leaf), as JAX's ``register_static``."""
    register_pytree_node(cls, lambda x: ((), x), lambda aux, _: aux)
    return cls


def register_dataclass(
    nodetype: type[T],
    data_fields: Iterable[str] | None = None,
    meta_fields: Iterable[str] | None = None,
    drop_fields: Iterable[str] = (),
) -> type[T]:
    """Make a dataclass (or a class built from keyword arguments) a pytree node, as JAX's
    ``register_dataclass``: ``data_fields`` are children, ``meta_fields`` (hashable) are aux data.
    Without both lists a dataclass's fields are split by ``field(metadata={"static": True})``."""
    if data_fields is None and meta_fields is None:
        if not dataclasses.is_dataclass(nodetype):
            raise TypeError(
                "register_dataclass: data_fields and meta_fields are required when nodetype is not a "
                f"dataclass. Got nodetype={nodetype!r}"
            )
        fields = [f for f in dataclasses.fields(nodetype) if f.init]
        data_fields = [f.name for f in fields if not f.metadata.get("static", False)]
        meta_fields = [f.name for f in fields if f.metadata.get("static", False)]
    elif data_fields is None or meta_fields is None:
        raise TypeError(
            "register_dataclass: data_fields and meta_fields must both be specified when either is "
            f"specified. Got data_fields={data_fields!r} meta_fields={meta_fields!r}."
        )
    data, meta = list(data_fields), list(meta_fields)
    if dataclasses.is_dataclass(nodetype):
        init = {f.name for f in dataclasses.fields(nodetype) if f.init}
        given = set(data) | set(meta) | set(drop_fields)
        if init != given:
            msg = "data_fields and meta_fields must include all dataclass fields."
            if init - given:
                msg += f" Missing fields: {init - given}."
            if given - init:
                msg += f" Unexpected fields: {given - init}."
            raise ValueError(msg)

    def flatten(x: Any) -> tuple:
        return [getattr(x, n) for n in data], tuple(getattr(x, n) for n in meta)

    def flatten_with_keys(x: Any) -> tuple:
        return [(GetAttrKey(n), getattr(x, n)) for n in data], tuple(getattr(x, n) for n in meta)

    def unflatten(aux: Any, children: Any) -> Any:
        return nodetype(**dict(zip(data, children)), **dict(zip(meta, aux)))

    register_pytree_node(nodetype, flatten, unflatten, flatten_with_keys)
    return nodetype


def _checked(result: Any) -> tuple[list, Any]:
    """A custom node's ``(children, aux_data)`` with the children as a list; JAX's error otherwise."""
    if not isinstance(result, tuple) or len(result) != 2:
        raise ValueError(
            "The to_iterable function for a custom PyTree node should return a (children, aux_data) "
            f"tuple, got {result!r}"
        )
    try:
        children = list(result[0])
    except TypeError:
        raise ValueError(
            "The to_iterable function for a custom PyTree node should return a (children, aux_data) "
            f"tuple where 'children' is iterable, got {result!r}"
        ) from None
    return children, result[1]


class UnsortableKeysError(ValueError, TypeError):
    """A dict in a pytree has keys that cannot be sorted (JAX's ValueError; the TypeError of sorted)."""


def is_namedtuple(x: Any) -> bool:
    """Whether ``x`` is a named tuple (a tuple subclass with ``_fields``), a node unless registered."""
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


def dict_keys(x: dict) -> list:
    """A dict's keys in flattening order: sorted as JAX sorts them (an OrderedDict keeps its order)."""
    if type(x) is OrderedDict:
        return list(x)
    try:
        return sorted(x)
    except TypeError as e:
        raise UnsortableKeysError(
            f"Comparator raised exception while sorting pytree dictionary keys: {e} (a dict's keys are "
            f"sorted to flatten it, as JAX does; these are {list(x)!r})"
        ) from None


def node_of(x: Any, with_keys: bool = False) -> tuple[str, Any, list, list | None] | None:
    """``(kind, meta, children, keys)`` of a pytree node (keys only ``with_keys``), None for a leaf."""
    if x is None:
        return "none", None, [], []
    t = type(x)
    entry = _REGISTRY.get(t)
    if entry is not None:
        if with_keys and entry.flatten_with_keys is not None:
            keyed, aux = _checked(entry.flatten_with_keys(x))
            return "custom", (t, aux), [c for _, c in keyed], [k for k, _ in keyed]
        children, aux = _checked(entry.flatten(x))
        keys = [FlattenedIndexKey(i) for i in range(len(children))] if with_keys else None
        return "custom", (t, aux), children, keys
    if t is tuple or t is list:
        return t.__name__, t, list(x), [SequenceKey(i) for i in range(len(x))] if with_keys else None
    if t is dict or t is OrderedDict or t is defaultdict:
        keys = dict_keys(x)
        meta = (t, tuple(keys), x.default_factory) if t is defaultdict else (t, tuple(keys))
        return "dict", meta, [x[k] for k in keys], [DictKey(k) for k in keys] if with_keys else None
    if is_namedtuple(x):
        return "namedtuple", t, list(x), [GetAttrKey(f) for f in t._fields] if with_keys else None
    return None


def build_node(kind: str, meta: Any, children: list) -> Any:
    """The node of this kind and meta data holding ``children`` (the inverse of ``node_of``)."""
    if kind == "none":
        return None
    if kind == "tuple":
        return tuple(children)
    if kind == "list":
        return list(children)
    if kind == "namedtuple":
        return meta(*children)
    if kind == "dict":
        if meta[0] is defaultdict:
            return defaultdict(meta[2], zip(meta[1], children))
        return meta[0](zip(meta[1], children))
    t, aux = meta
    entry = _REGISTRY.get(t)
    if entry is None:
        raise ValueError(f"tree_unflatten: {t!r} is not registered as a pytree node type")
    return entry.unflatten(aux, tuple(children))


__all__ = [
    "register_pytree_node",
    "register_pytree_with_keys",
    "register_pytree_node_class",
    "register_pytree_with_keys_class",
    "register_static",
    "register_dataclass",
]
