"""Key paths of leaves (JAX's ``tree_flatten_with_path`` family) and ``Partial``, a functools.partial
that is a pytree (its bound arguments are the leaves)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from ._registry import register_pytree_node
from ._treedef import TreeDef, flatten


def tree_flatten_with_path(
    tree: Any, is_leaf: Callable[..., bool] | None = None, is_leaf_takes_path: bool = False
) -> tuple[list[tuple[tuple, Any]], TreeDef]:
    """``([(key path, leaf), ...], treedef)``: ``tree_flatten`` with each leaf's path of keys
    (SequenceKey, DictKey, GetAttrKey, FlattenedIndexKey or a registered type's own keys).
    ``is_leaf_takes_path``: ``is_leaf(path, x)`` instead of ``is_leaf(x)``.

    >>> tree_flatten_with_path({"a": [5]})[0]
    [((DictKey(key='a'), SequenceKey(idx=0)), 5)]
    """
    return flatten(tree, is_leaf, with_path=True, is_leaf_takes_path=is_leaf_takes_path)


def tree_leaves_with_path(
    tree: Any, is_leaf: Callable[..., bool] | None = None, is_leaf_takes_path: bool = False
) -> list[tuple[tuple, Any]]:
    """The ``(key path, leaf)`` pairs of ``tree`` in flattening order."""
    return flatten(tree, is_leaf, with_path=True, is_leaf_takes_path=is_leaf_takes_path)[0]


def tree_map_with_path(
    f: Callable[..., Any],
    tree: Any,
    *rest: Any,
    is_leaf: Callable[..., bool] | None = None,
    is_leaf_takes_path: bool = False,
) -> Any:
    """``f(key path, leaf, *matching subtrees of rest)`` for every leaf of ``tree`` (``rest`` as in
    ``tree_map``), in ``tree``'s structure.

    >>> tree_map_with_path(lambda path, x: (keystr(path), x), {"a": 1})
    {'a': ("['a']", 1)}
    """
    from ._api import _leaves_of_rest

    pairs, treedef = flatten(tree, is_leaf, with_path=True, is_leaf_takes_path=is_leaf_takes_path)
    plain = None if is_leaf_takes_path else is_leaf
    others = _leaves_of_rest(treedef, tree, rest, plain, "tree_map_with_path")
    return treedef.unflatten(f(path, leaf, *xs) for (path, leaf), *xs in zip(pairs, *others))


class _PartialFunc:
    """A functools.partial given to ``Partial``, kept whole (functools.partial would merge it) and
    equal to, and hashed as, the partial it wraps."""

    def __init__(self, partial: functools.partial) -> None:
        self._partial = partial
        self.func, self.args, self.keywords = partial.func, partial.args, partial.keywords

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._partial(*args, **kwargs)

    def __eq__(self, other: object) -> bool:
        inner = other._partial if isinstance(other, _PartialFunc) else other
        return self._partial is inner or self._partial == inner

    def __hash__(self) -> int:
        return hash(self._partial)

    def __repr__(self) -> str:
        return repr(self._partial)


class Partial(functools.partial):
    """A ``functools.partial`` that is a pytree (JAX's ``tree_util.Partial``): its bound positional and
    keyword arguments are children, the function is static, so a Partial can be passed through
    ``tree_map`` and the ``autobp.func`` transforms like any tree.

    >>> p = Partial(lambda a, b: a * b, 3.0)
    >>> tree_leaves(p), tree_map(lambda x: x + 1, p)(2.0)
    ([3.0], 8.0)
    """

    def __new__(cls, func: Callable[..., Any], *args: Any, **kw: Any) -> Partial:
        if isinstance(func, functools.partial):
            func = _PartialFunc(func)
        return super().__new__(cls, func, *args, **kw)


register_pytree_node(
    Partial,
    lambda p: ((p.args, p.keywords), p.func),
    lambda func, xs: Partial(func, *xs[0], **xs[1]),
)
