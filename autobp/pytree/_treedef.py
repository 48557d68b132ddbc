"""TreeDef (JAX's PyTreeDef): the structure of a pytree without its leaves, and flattening into it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from ._registry import build_node, dict_keys, is_namedtuple, node_of


def _same_aux(a: Any, b: Any) -> bool:
    """``a == b`` for a custom node's aux data, as one bool (arrays there raise JAX's error)."""
    try:
        return bool(a == b)
    except Exception as e:
        raise ValueError(
            "Exception raised while checking equality of metadata fields of pytree. Make sure that "
            f"metadata fields are hashable and have simple equality semantics. ({type(e).__name__}: {e})"
        ) from e


def _type_word(t: type) -> str:
    return t.__name__ if t in (dict, list, tuple) else f"{t.__module__}.{t.__qualname__}"


class TreeDef:
    """The structure of a pytree without its leaves (JAX's ``PyTreeDef``): ``treedef.unflatten(leaves)``
    rebuilds a tree; ``num_leaves``/``num_nodes`` count its leaves and nodes; two TreeDefs are equal
    when their node types, dict keys and custom nodes' aux data are equal."""

    def __init__(self, kind: str, children: Iterable[TreeDef] = (), meta: Any = None) -> None:
        self.kind, self._children, self.meta = kind, tuple(children), meta
        self.num_leaves: int = 1 if kind == "leaf" else sum(c.num_leaves for c in self._children)
        self.num_nodes: int = 1 + sum(c.num_nodes for c in self._children)

    def children(self) -> list[TreeDef]:
        """The TreeDefs of the root node's children (empty for a leaf or None)."""
        return list(self._children)

    def node_data(self) -> tuple[type, Any] | None:
        """``(node type, its data)`` of the root: dict keys, a custom node's aux data; None for a leaf."""
        k, m = self.kind, self.meta
        if k == "leaf":
            return None
        if k == "none":
            return type(None), None
        if k == "dict":
            if m[0] is dict:
                return dict, list(m[1])
            return (m[0], (m[2], m[1])) if m[0] is defaultdict else (m[0], m[1])
        if k == "custom":
            return m
        return m, None

    def unflatten(self, leaves: Iterable[Any]) -> Any:
        """The tree with this structure whose leaves, in flattening order, are ``leaves``."""
        leaves = list(leaves)
        if len(leaves) < self.num_leaves:
            raise ValueError(f"Too few leaves for PyTreeDef; expected {self.num_leaves}, got {len(leaves)}")
        if len(leaves) > self.num_leaves:
            raise ValueError(f"Too many leaves for PyTreeDef; expected {self.num_leaves}, got {len(leaves)}.")
        return self._build(iter(leaves))

    def _build(self, it: Any) -> Any:
        if self.kind == "leaf":
            return next(it)
        return build_node(self.kind, self.meta, [c._build(it) for c in self._children])

    def flatten_up_to(self, xs: Any) -> list:
        """The subtrees of ``xs`` at this structure's leaves: ``xs`` must have this structure down to
        them (whatever lies below a leaf is taken whole), else a ValueError says where it differs."""
        out: list = []
        self._up_to(xs, out)
        return out

    def _up_to(self, x: Any, out: list) -> None:
        k, m, ch = self.kind, self.meta, self._children
        if k == "leaf":
            out.append(x)
            return
        if k == "none":
            if x is not None:
                raise ValueError(f"Expected None, got {x!r}.")
            return
        if k in ("list", "tuple"):
            if type(x) is not m:
                raise ValueError(f"Expected {k}, got {x!r}.")
            if len(x) != len(ch):
                raise ValueError(f"{k.capitalize()} arity mismatch: {len(x)} != {len(ch)}; {k}: {x!r}.")
            items = list(x)
        elif k == "namedtuple":
            if not is_namedtuple(x):
                raise ValueError(f"Expected named tuple, got {x!r}.")
            if type(x) is not m:
                raise ValueError(f"Named tuple type mismatch: expected type: {m!r}, tuple: {x!r}.")
            if len(x) != len(ch):
                raise ValueError(f"Named tuple arity mismatch: {len(x)} != {len(ch)}; tuple: {x!r}.")
            items = list(x)
        elif k == "dict":
            if type(x) is not m[0]:
                raise ValueError(f"Expected {_type_word(m[0])}, got {x!r}.")
            if dict_keys(x) != list(m[1]):
                raise ValueError(f"Dict key mismatch; expected keys: {list(m[1])!r}; dict: {x!r}.")
            items = [x[key] for key in m[1]]
        else:
            if type(x) is not m[0]:
                raise ValueError(f"Custom node type mismatch; expected type: {m[0]!r}; value: {x!r}.")
            _, (_, aux), items, _ = node_of(x)  # type: ignore[misc]
            if len(items) != len(ch):
                raise ValueError(
                    f"Custom node arity mismatch; expected: {len(ch)}, got: {len(items)}; value: {x!r}."
                )
            if not _same_aux(aux, m[1]):
                raise ValueError(f"Mismatch custom node data: {aux!r} != {m[1]!r}; value: {x!r}.")
        for c, item in zip(ch, items):
            c._up_to(item, out)

    def from_iterable_tree(self, xs: Any) -> Any:
        """The tree of this structure built from ``xs``, nested iterables with one item per child of
        each node (in flattening order) and the leaves at this structure's leaves."""
        if self.kind == "leaf":
            return xs
        items = list(xs)
        if len(items) != len(self._children):
            raise ValueError(
                f"from_iterable_tree: a node of {self} has {len(self._children)} children, got {len(items)}"
            )
        return build_node(
            self.kind, self.meta, [c.from_iterable_tree(x) for c, x in zip(self._children, items)]
        )

    def compose(self, inner: TreeDef) -> TreeDef:
        """This structure with every leaf replaced by the structure ``inner``."""
        if self.kind == "leaf":
            return inner
        return TreeDef(self.kind, [c.compose(inner) for c in self._children], self.meta)

    def walk(
        self, f_node: Callable[[tuple, Any], Any], f_leaf: Callable[[Any], Any] | None, leaves: Iterable[Any]
    ) -> Any:
        """Fold over the tree of this structure with ``leaves``, children first: each leaf becomes
        ``f_leaf(leaf)`` (itself if None), each node ``f_node(its children's results as a tuple, its
        node data)``."""
        return self._walk(iter(leaves), f_node, f_leaf)

    def _walk(self, it: Any, f_node: Callable[[tuple, Any], Any], f_leaf: Callable[[Any], Any] | None) -> Any:
        # a method, not a nested function calling itself: that would be a reference cycle keeping the
        # leaves alive until the garbage collector runs
        if self.kind == "leaf":
            leaf = next(it)
            return f_leaf(leaf) if f_leaf is not None else leaf
        data = self.node_data()
        return f_node(tuple(c._walk(it, f_node, f_leaf) for c in self._children), data[1] if data else None)

    def __eq__(self, other: object) -> bool:
        if (
            not isinstance(other, TreeDef)
            or self.kind != other.kind
            or len(self._children) != len(other._children)
        ):
            return False
        if self.kind == "custom":
            if self.meta[0] is not other.meta[0] or not _same_aux(self.meta[1], other.meta[1]):
                return False
        elif self.meta != other.meta:
            return False
        return self._children == other._children

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        head = self.meta[0] if self.kind in ("custom", "dict") else self.meta
        return hash((self.kind, head, self._children))

    def _text(self) -> str:
        k, m = self.kind, self.meta
        if k == "leaf":
            return "*"
        if k == "none":
            return "None"
        parts = [c._text() for c in self._children]
        if k == "tuple":
            return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"
        if k == "list":
            return "[" + ", ".join(parts) + "]"
        if k == "dict" and m[0] is dict:
            return "{" + ", ".join(f"{key!r}: {p}" for key, p in zip(m[1], parts)) + "}"
        if k == "namedtuple":
            head = f"namedtuple[{m.__name__}]"
        else:
            t, data = self.node_data()  # type: ignore[misc]
            head = f"{t.__name__}[{data}]"
        return f"CustomNode({head}, [{', '.join(parts)}])"

    def __repr__(self) -> str:
        return f"PyTreeDef({self._text()})"


LEAF = TreeDef("leaf")
PyTreeDef = TreeDef


def flatten(
    tree: Any,
    is_leaf: Callable[..., bool] | None = None,
    *,
    with_path: bool = False,
    is_leaf_takes_path: bool = False,
) -> tuple[list, TreeDef]:
    """``(leaves, treedef)``; with ``with_path`` the leaves are ``(key path, leaf)`` pairs."""
    leaves: list = []
    opts = (is_leaf, with_path, is_leaf_takes_path, with_path or is_leaf_takes_path)
    return leaves, _flatten_into(tree, (), leaves, opts)


def _flatten_into(x: Any, path: tuple, leaves: list, opts: tuple) -> TreeDef:
    """``x``'s structure, its leaves appended to ``leaves``. Module-level rather than a nested function
    calling itself: that closure would be a reference cycle holding ``leaves`` (so a checkpointed
    segment's graph would outlive its last reference until the garbage collector ran)."""
    is_leaf, with_path, takes_path, paths = opts
    if is_leaf is not None and (is_leaf(path, x) if takes_path else is_leaf(x)):
        leaves.append((path, x) if with_path else x)
        return LEAF
    node = node_of(x, paths)
    if node is None:
        leaves.append((path, x) if with_path else x)
        return LEAF
    kind, meta, children, keys = node
    if paths:
        return TreeDef(
            kind, [_flatten_into(c, path + (k,), leaves, opts) for c, k in zip(children, keys)], meta
        )  # type: ignore[arg-type]
    return TreeDef(kind, [_flatten_into(c, path, leaves, opts) for c in children], meta)


__all__ = ["TreeDef", "PyTreeDef"]
