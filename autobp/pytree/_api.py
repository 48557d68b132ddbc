"""Flattening, rebuilding, mapping and reducing pytrees (JAX's ``jax.tree_util`` functions)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

from ._prefix import prefix_errors
from ._registry import node_of
from ._treedef import TreeDef, flatten

_NO_INIT = object()


def tree_flatten(tree: Any, is_leaf: Callable[[Any], bool] | None = None) -> tuple[list, TreeDef]:
    """``(leaves, treedef)``: the leaves of ``tree`` in order and its structure, to rebuild it with
    ``treedef.unflatten``. Nodes are None (no children), tuples, lists, dicts (keys sorted, as JAX does;
    an OrderedDict in its order), named tuples and registered types; ``is_leaf(x)`` true stops there.

    >>> leaves, tdef = tree_flatten({"b": [1.0, 2.0], "a": 3.0})
    >>> leaves, tdef.unflatten([10, 20, 30])
    ([3.0, 1.0, 2.0], {'a': 10, 'b': [20, 30]})
    """
    return flatten(tree, is_leaf)


def tree_unflatten(treedef: TreeDef, leaves: Iterable[Any]) -> Any:
    """The inverse of ``tree_flatten``: JAX's spelling of ``treedef.unflatten(leaves)``."""
    return treedef.unflatten(leaves)


def tree_leaves(tree: Any, is_leaf: Callable[[Any], bool] | None = None) -> list:
    """The leaves of ``tree`` in flattening order (None is an empty subtree, not a leaf)."""
    return flatten(tree, is_leaf)[0]


def tree_structure(tree: Any, is_leaf: Callable[[Any], bool] | None = None) -> TreeDef:
    """The structure of ``tree`` without its leaves (JAX's and torch's ``tree_structure``): the TreeDef
    that ``tree_unflatten`` fills with new leaves.

    >>> tree_structure({"a": 1, "b": (2, 3)}) == tree_flatten({"a": 0, "b": (0, 0)})[1]
    True
    """
    return flatten(tree, is_leaf)[1]


def _leaves_of_rest(treedef: TreeDef, tree: Any, rest: tuple, is_leaf: Any, who: str) -> list:
    """Each of ``rest`` cut at the leaves of ``treedef`` (the first tree's structure, a prefix of theirs),
    with JAX's pytree structure error naming where one differs."""
    out = []
    for r in rest:
        try:
            out.append(treedef.flatten_up_to(r))
        except ValueError as e:
            errors = prefix_errors(tree, r, is_leaf)
            if errors:
                raise errors[0](f"{who} tree") from None
            raise ValueError(
                f"{who}: a tree does not have the structure {treedef} of the first: {e}"
            ) from None
    return out


def tree_map(
    f: Callable[..., Any], tree: Any, *rest: Any, is_leaf: Callable[[Any], bool] | None = None
) -> Any:
    """``f`` applied leaf by leaf; with more trees, ``f(leaf, *matching subtrees of rest)``: each of
    ``rest`` has ``tree``'s structure, or more below its leaves (taken whole), as JAX's ``tree_map``.

    >>> tree_map(lambda a, b: a + b, [1, (2, 3)], [10, (20, 30)])
    [11, (22, 33)]
    >>> tree_map(lambda a, b: (a, b), [1, 2], [[3], None])
    [(1, [3]), (2, None)]
    """
    leaves, treedef = flatten(tree, is_leaf)
    others = _leaves_of_rest(treedef, tree, rest, is_leaf, "tree_map")
    return treedef.unflatten(f(*xs) for xs in zip(leaves, *others))


def tree_reduce(
    function: Callable[[Any, Any], Any],
    tree: Any,
    initializer: Any = _NO_INIT,
    is_leaf: Callable[[Any], bool] | None = None,
) -> Any:
    """``functools.reduce(function, leaves of tree[, initializer])``.

    >>> tree_reduce(lambda a, b: a + b, {"x": 1, "y": [2, 3]})
    6
    """
    leaves = flatten(tree, is_leaf)[0]
    return (
        functools.reduce(function, leaves)
        if initializer is _NO_INIT
        else functools.reduce(function, leaves, initializer)
    )


def tree_all(tree: Any, *, is_leaf: Callable[[Any], bool] | None = None) -> bool:
    """Whether every leaf of ``tree`` is true (True for a tree without leaves)."""
    return all(flatten(tree, is_leaf)[0])


def all_leaves(iterable: Iterable[Any], is_leaf: Callable[[Any], bool] | None = None) -> bool:
    """Whether every item of ``iterable`` is a leaf (not a pytree node; None is a node)."""
    if is_leaf is None:
        return all(node_of(x) is None for x in iterable)
    treedef = flatten(list(iterable), is_leaf)[1]
    return treedef.kind == "list" and all(c.kind == "leaf" for c in treedef.children())


def build_tree(treedef: TreeDef, xs: Any) -> Any:
    """The tree of structure ``treedef`` from nested iterables ``xs`` (one item per child of each node,
    leaves at its leaves): JAX's ``build_tree``, ``treedef.from_iterable_tree(xs)``."""
    return treedef.from_iterable_tree(xs)


def treedef_tuple(treedefs: Iterable[TreeDef]) -> TreeDef:
    """The structure of a tuple whose children have the structures ``treedefs``."""
    return TreeDef("tuple", treedefs, tuple)


def treedef_children(treedef: TreeDef) -> list[TreeDef]:
    """The structures of the root's children: ``treedef.children()``."""
    return treedef.children()


def treedef_is_leaf(treedef: TreeDef) -> bool:
    """Whether ``treedef`` is a single node without children: a leaf, or None (or an empty container)."""
    return treedef.num_nodes == 1


def flatten_one_level(tree: Any) -> tuple[Any, Any]:
    """``(children, node data)`` of the root node of ``tree`` (data: dict keys, a named tuple's type, a
    custom node's aux data, None for a list or tuple); a ValueError if ``tree`` is a leaf."""
    node = node_of(tree)
    if node is None:
        raise ValueError(f"can't tree-flatten type: {type(tree)}")
    kind, meta, children, _ = node
    if kind == "dict":
        data = (meta[2], meta[1]) if len(meta) == 3 else meta[1]
    else:
        data = {"namedtuple": meta, "custom": meta[1] if kind == "custom" else None}.get(kind)
    plain = kind in ("tuple", "none") or (kind == "dict" and meta[0] is dict)
    return (tuple(children) if plain else children), data


def tree_transpose(outer_treedef: TreeDef, inner_treedef: TreeDef | None, pytree_to_transpose: Any) -> Any:
    """Turn a tree of structure outer-of-inner into inner-of-outer: for a list of pairs, a pair of
    lists. ``inner_treedef`` None: taken from the first subtree at ``outer_treedef``'s leaves.

    >>> outer, inner = tree_structure([0, 0, 0]), tree_structure((0, 0))
    >>> tree_transpose(outer, inner, [(1, 2), (3, 4), (5, 6)])
    ([1, 3, 5], [2, 4, 6])
    """
    flat, treedef = flatten(pytree_to_transpose)
    try:
        subtrees = outer_treedef.flatten_up_to(pytree_to_transpose)
    except ValueError as e:
        if not str(e).startswith(("Custom node", "Mismatch custom")):
            raise TypeError(f"Mismatch\n{treedef}\n != \n{outer_treedef} of subtrees: {e}") from None
        subtrees = None  # a custom node caching its own structure: only the leaf counts can be checked
    if inner_treedef is None:
        if subtrees is None:
            raise TypeError(f"tree_transpose: cannot infer the inner structure of {treedef}")
        inner_treedef = flatten(subtrees[0])[1]
    inner_size, outer_size = inner_treedef.num_leaves, outer_treedef.num_leaves
    wrong = subtrees is not None and any(flatten(s)[1] != inner_treedef for s in subtrees)
    if wrong or treedef.num_leaves != inner_size * outer_size:
        raise TypeError(f"Mismatch\n{treedef}\n != \n{outer_treedef.compose(inner_treedef)}")
    lol = [flat[i * inner_size : (i + 1) * inner_size] for i in range(outer_size)]
    cols = list(zip(*lol)) if outer_size else [()] * inner_size
    return inner_treedef.unflatten(outer_treedef.unflatten(col) for col in cols)
