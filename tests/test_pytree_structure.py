"""autobp.pytree.tree_structure (JAX's and torch's name): the TreeDef of a tree, the one tree_flatten
gives, filled again by tree_unflatten; leaf counts and order against torch.utils._pytree."""

from __future__ import annotations

import pytest

import autobp
from autobp.pytree import tree_flatten, tree_leaves, tree_structure, tree_unflatten

torch = pytest.importorskip("torch")
from torch.utils import _pytree as tp  # noqa: E402


@pytest.mark.parametrize(
    "tree",
    [
        {"a": 1.0, "b": (2.0, [3.0, 4.0])},
        (autobp.ones(2), None, [5.0]),
        [],
        7.0,
    ],
)
def test_structure_is_flattens_and_refills(tree):
    tdef = tree_structure(tree)
    assert tdef == tree_flatten(tree)[1]
    leaves = tree_leaves(tree)
    assert tdef.num_leaves == len(leaves)
    rebuilt = tree_unflatten(tdef, [f"leaf{i}" for i in range(len(leaves))])
    assert tree_leaves(rebuilt) == [f"leaf{i}" for i in range(len(leaves))]


def test_leaf_count_and_order_as_torch():
    tree = {"a": 1.0, "b": (2.0, [3.0, 4.0])}  # keys in sorted order: torch keeps insertion order,
    assert tree_structure(tree).num_leaves == tp.tree_structure(tree).num_leaves  # autobp sorts (JAX)
    assert tree_leaves(tree) == tp.tree_leaves(tree)
    assert tree_structure({"a": 0, "b": (0, 0)}) != tree_structure({"a": 0, "b": [0, 0]})


def test_size_is_a_node_as_torch_size_is_in_torchs_pytree():
    ours = autobp.ones(2, 3).size()
    theirs = torch.ones(2, 3).size()
    assert tree_leaves(ours) == tp.tree_leaves(theirs) == [2, 3]
    rebuilt = tree_unflatten(tree_structure(ours), [4, 5])
    assert type(rebuilt) is autobp.Size and rebuilt == tp.tree_unflatten([4, 5], tp.tree_structure(theirs))
