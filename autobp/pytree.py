"""Pytrees as JAX and HIPS autograd see them: nested lists, tuples and dicts (and None) with arrays at
the leaves, so ``autobp.func.grad`` can differentiate with respect to a dict of parameters and
return the gradient in the same structure."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import numpy as np

from .ops import concatenate
from .tensor import Tensor


class TreeDef:
    """The shape of a pytree without its leaves: ``treedef.unflatten(leaves)`` rebuilds it."""

    def __init__(self, kind: str, children: list, meta: Any = None) -> None:
        self.kind, self.children, self.meta = kind, children, meta
        self.num_leaves = 1 if kind == "leaf" else sum(c.num_leaves for c in children)

    def unflatten(self, leaves: Any) -> Any:
        """The tree with this structure whose leaves, in flattening order, are ``leaves``."""
        leaves = list(leaves)
        if len(leaves) != self.num_leaves:
            raise ValueError(f"unflatten: {len(leaves)} leaves given for a tree of {self.num_leaves}")
        it = iter(leaves)
        return self._build(it)

    def _build(self, it: Any) -> Any:
        if self.kind == "leaf":
            return next(it)
        if self.kind == "none":
            return None
        items = [c._build(it) for c in self.children]
        if self.kind == "dict":
            return self.meta[0](zip(self.meta[1], items))
        if self.kind == "namedtuple":
            return self.meta(*items)
        return self.meta(items)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, TreeDef)
            and (self.kind, self.meta) == (other.kind, other.meta)
            and self.children == other.children
        )

    def __repr__(self) -> str:
        if self.kind in ("leaf", "none"):
            return "*" if self.kind == "leaf" else "None"
        return f"{self.kind}({', '.join(map(repr, self.children))})"


def _is_container(x: Any) -> bool:
    return isinstance(x, (list, tuple, dict)) or x is None


def tree_flatten(tree: Any) -> tuple[list, TreeDef]:
    """``(leaves, treedef)``: the leaves of nested lists/tuples/dicts in order (dict keys sorted,
    an OrderedDict's in its order, as JAX does) and the structure to rebuild them with ``treedef.unflatten``.

    >>> leaves, tdef = tree_flatten({"b": [1.0, 2.0], "a": 3.0})
    >>> leaves, tdef.unflatten([10, 20, 30])
    ([3.0, 1.0, 2.0], {'a': 10, 'b': [20, 30]})
    """
    leaves: list = []
    return leaves, _flatten(tree, leaves)


def _flatten(x: Any, leaves: list) -> TreeDef:
    if x is None:
        return TreeDef("none", [])
    if isinstance(x, OrderedDict):  # its order is part of it (JAX keeps it too); a dict's keys are sorted
        return TreeDef("dict", [_flatten(x[k], leaves) for k in x], (type(x), tuple(x)))
    if isinstance(x, dict):
        keys = sorted(x, key=repr) if not all(isinstance(k, str) for k in x) else sorted(x)
        return TreeDef("dict", [_flatten(x[k], leaves) for k in keys], (type(x), tuple(keys)))
    if isinstance(x, tuple) and hasattr(x, "_fields"):
        return TreeDef("namedtuple", [_flatten(v, leaves) for v in x], type(x))
    if isinstance(x, (list, tuple)):
        return TreeDef(type(x).__name__, [_flatten(v, leaves) for v in x], type(x))
    leaves.append(x)
    return TreeDef("leaf", [])


def tree_unflatten(treedef: TreeDef, leaves: Any) -> Any:
    """The inverse of ``tree_flatten``: JAX's spelling of ``treedef.unflatten(leaves)``."""
    return treedef.unflatten(leaves)


def tree_leaves(tree: Any) -> list:
    """The leaves of ``tree`` in flattening order."""
    return tree_flatten(tree)[0]


def tree_structure(tree: Any) -> TreeDef:
    """The structure of ``tree`` without its leaves (JAX's and torch's ``tree_structure``): the TreeDef
    that ``tree_unflatten`` fills with new leaves.

    >>> tree_structure({"a": 1, "b": (2, 3)}) == tree_flatten({"a": 0, "b": (0, 0)})[1]
    True
    """
    return tree_flatten(tree)[1]


def tree_map(fn: Callable[..., Any], tree: Any, *rest: Any) -> Any:
    """``fn`` applied leaf by leaf (to matching leaves of ``rest``, which share the structure).

    >>> tree_map(lambda a, b: a + b, [1, (2, 3)], [10, (20, 30)])
    [11, (22, 33)]
    """
    leaves, tdef = tree_flatten(tree)
    others = []
    for k, r in enumerate(rest):
        lv, td = tree_flatten(r)
        if td != tdef:
            raise ValueError(f"tree_map: tree {k + 1} has structure {td}, expected {tdef}")
        others.append(lv)
    return tdef.unflatten(fn(*xs) for xs in zip(leaves, *others))


def _float_array(v: Any) -> np.ndarray:
    """A leaf's numbers: floats and complex numbers keep their dtype, integers and bools become float64."""
    arr = np.asarray(v)
    return arr if arr.dtype.kind in "fc" else arr.astype(np.float64)


def ravel_pytree(tree: Any) -> tuple[Tensor, Callable[[Any], Any]]:
    """``(flat, unravel)``: every leaf flattened and concatenated into one 1-d vector (differentiable
    when the leaves are Tensors), and the function mapping such a vector back to the tree
    (JAX's ``jax.flatten_util.ravel_pytree``; HIPS autograd's ``misc.flatten``).

    >>> flat, unravel = ravel_pytree({"w": np.ones((2, 2)), "b": np.zeros(2)})
    >>> flat.shape, unravel(flat)["w"].shape
    ((6,), (2, 2))
    """
    leaves, tdef = tree_flatten(tree)
    shapes = [np.shape(v) for v in leaves]
    sizes = [int(np.prod(s, dtype=np.int64)) for s in shapes]
    parts = [v.reshape(-1) if isinstance(v, Tensor) else np.ravel(_float_array(v)) for v in leaves]
    dtypes = [p.dtype for p in parts]
    flat = concatenate(parts) if parts else Tensor(np.zeros(0))
    if not any(isinstance(v, Tensor) for v in leaves):
        flat = flat.detach()

    def unravel(vec: Any) -> Any:
        if np.shape(vec) != (sum(sizes),):
            raise ValueError(f"unravel: expected a vector of shape ({sum(sizes)},), got {np.shape(vec)}")
        out, start = [], 0
        for shape, n, dt in zip(shapes, sizes, dtypes):
            piece = vec[start : start + n].reshape(shape)
            if piece.dtype != dt and piece.dtype.kind == dt.kind == "f":  # a float32 leaf stays float32
                piece = piece.astype(dt)
            out.append(piece)
            start += n
        return tdef.unflatten(out)

    return flat, unravel


__all__ = [
    "TreeDef",
    "tree_flatten",
    "tree_unflatten",
    "tree_leaves",
    "tree_structure",
    "tree_map",
    "ravel_pytree",
]
