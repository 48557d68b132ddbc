"""Pytrees as JAX sees them (``jax.tree_util``): nested tuples, lists, dicts, named tuples and None, and
any type registered with ``register_pytree_node``, with arrays (or anything else) at the leaves, so
``autobp.func.grad`` can differentiate with respect to a dict of parameters (or a registered class of
Tensors) and return the gradient in the same structure.

JAX's rules are kept: None is an empty subtree, not a leaf; dict keys are flattened in sorted order
(an OrderedDict in its own order); node types are looked up by exact type, so an unregistered subclass
of dict or list is a leaf (a named tuple is a node). torch.utils._pytree differs on dict order: it keeps
insertion order.
"""

from __future__ import annotations

from ._api import (
    all_leaves,
    build_tree,
    flatten_one_level,
    tree_all,
    tree_flatten,
    tree_leaves,
    tree_map,
    tree_reduce,
    tree_structure,
    tree_transpose,
    tree_unflatten,
    treedef_children,
    treedef_is_leaf,
    treedef_tuple,
)
from ._keys import DictKey, FlattenedIndexKey, GetAttrKey, SequenceKey, keystr
from ._paths import Partial, tree_flatten_with_path, tree_leaves_with_path, tree_map_with_path
from ._prefix import broadcast_prefix, prefix_errors, tree_broadcast
from ._ravel import ravel_pytree
from ._registry import (
    register_dataclass,
    register_pytree_node,
    register_pytree_node_class,
    register_pytree_with_keys,
    register_pytree_with_keys_class,
    register_static,
)
from ._treedef import PyTreeDef, TreeDef

__all__ = [
    "TreeDef",
    "PyTreeDef",
    "tree_flatten",
    "tree_unflatten",
    "tree_leaves",
    "tree_structure",
    "tree_map",
    "tree_reduce",
    "tree_all",
    "tree_transpose",
    "tree_broadcast",
    "broadcast_prefix",
    "prefix_errors",
    "all_leaves",
    "build_tree",
    "flatten_one_level",
    "treedef_tuple",
    "treedef_children",
    "treedef_is_leaf",
    "tree_flatten_with_path",
    "tree_leaves_with_path",
    "tree_map_with_path",
    "keystr",
    "SequenceKey",
    "DictKey",
    "GetAttrKey",
    "FlattenedIndexKey",
    "register_pytree_node",
    "register_pytree_with_keys",
    "register_pytree_node_class",
    "register_pytree_with_keys_class",
    "register_static",
    "register_dataclass",
    "Partial",
    "ravel_pytree",
]
