"""autobp.pytree as JAX's jax.tree_util: registration, key paths, TreeDef methods, the reducing and
reshaping functions and their errors. Expected values are JAX's documented rules written out (dict keys
sorted, None an empty subtree, exact-type node lookup, flatten_up_to's prefix semantics)."""

from __future__ import annotations

import collections
import dataclasses
import functools
import pickle

import numpy as np
import pytest

import autobp.tree as jtree
from autobp import pytree as tu

Pt = collections.namedtuple("Pt", "x y")


class Box:
    """A registered node with two children and a label as aux data."""

    def __init__(self, a, b, label="box"):
        self.a, self.b, self.label = a, b, label

    def __eq__(self, other):
        return type(other) is Box and (self.a, self.b, self.label) == (other.a, other.b, other.label)


tu.register_pytree_with_keys(
    Box,
    lambda o: (((tu.GetAttrKey("a"), o.a), (tu.GetAttrKey("b"), o.b)), o.label),
    lambda label, ch: Box(ch[0], ch[1], label),
)


@tu.register_pytree_node_class
class Pair:
    def __init__(self, first, second):
        self.first, self.second = first, second

    def tree_flatten(self):
        return (self.first, self.second), None

    @classmethod
    def tree_unflatten(cls, aux, children):
        return cls(*children)


@tu.register_static
class Tag(str):
    pass


@tu.register_dataclass
@dataclasses.dataclass
class Cfg:
    w: object
    n: int = dataclasses.field(metadata={"static": True}, default=3)


class MyDict(dict):
    pass


def test_dict_keys_sort_by_value_not_by_their_repr():
    # JAX sorts keys; autobp used to sort non-string keys by repr ("10" < "9")
    assert tu.tree_leaves({10: "a", 9: "b", 100: "c"}) == ["b", "a", "c"]
    assert tu.tree_leaves({(1, 2): "x", (0, 5): "y"}) == ["y", "x"]
    with pytest.raises(ValueError, match="sorting pytree dictionary keys"):
        tu.tree_leaves({"a": 1, 2: "b"})


def test_none_ordered_dict_defaultdict_namedtuple_and_subclasses():
    assert tu.tree_leaves([None, 1, (None,), {"a": None}]) == [1]
    assert tu.tree_structure(None).num_leaves == 0 and tu.tree_structure(None).num_nodes == 1
    od = collections.OrderedDict([("b", 1), ("a", 2)])
    assert tu.tree_leaves(od) == [1, 2]
    back = tu.tree_unflatten(tu.tree_structure(od), [5, 6])
    assert type(back) is collections.OrderedDict and list(back.items()) == [("b", 5), ("a", 6)]
    dd = collections.defaultdict(list, {"b": 1, "a": 2})
    leaves, tdef = tu.tree_flatten(dd)
    assert leaves == [2, 1]
    back = tdef.unflatten([7, 8])
    assert back.default_factory is list and dict(back) == {"a": 7, "b": 8}
    assert tu.tree_structure(od) != tu.tree_structure({"b": 1, "a": 2})
    assert tu.tree_leaves(Pt(1, [2, 3])) == [1, 2, 3]
    assert tu.tree_leaves(MyDict(a=1)) == [MyDict(a=1)]  # not registered: a leaf, as in JAX


def test_registered_nodes_round_trip_and_registration_errors():
    tree = [Box(1, (2, None), "L"), Pair(3, {"k": 4}), Tag("t"), Cfg(np.ones(2), 5)]
    leaves, tdef = tu.tree_flatten(tree)
    assert leaves[:4] == [1, 2, 3, 4] and len(leaves) == 5
    rebuilt = tdef.unflatten([10, 20, 30, 40, np.zeros(2)])
    assert rebuilt[0] == Box(10, (20, None), "L")
    assert (rebuilt[1].first, rebuilt[1].second) == (30, {"k": 40})
    assert rebuilt[2] == "t" and type(rebuilt[2]) is Tag
    assert rebuilt[3].n == 5 and np.array_equal(rebuilt[3].w, np.zeros(2))
    # aux data (the label, the static value, the static field) is part of the structure
    assert tu.tree_structure(Box(1, 2, "L")) != tu.tree_structure(Box(1, 2, "M"))
    assert tu.tree_structure(Tag("a")) != tu.tree_structure(Tag("b"))
    assert tu.tree_structure(Cfg(1, 2)) != tu.tree_structure(Cfg(1, 3))
    with pytest.raises(ValueError, match="Duplicate custom PyTreeDef type registration"):
        tu.register_pytree_node(Box, lambda o: ((), None), lambda a, c: Box(0, 0))
    with pytest.raises(ValueError, match="Duplicate"):
        tu.register_pytree_node(dict, lambda o: ((), None), lambda a, c: {})

    class Bad:
        pass

    tu.register_pytree_node(Bad, lambda o: "oops", lambda a, c: Bad())
    with pytest.raises(ValueError, match=r"should return a \(children, aux_data\) tuple, got 'oops'"):
        tu.tree_flatten(Bad())
    with pytest.raises(TypeError, match="data_fields and meta_fields are required"):
        tu.register_dataclass(type("Plain", (), {}))


def test_tree_map_takes_rest_trees_with_more_structure_and_names_mismatches():
    out = tu.tree_map(lambda a, b: (a, b), [1, 2], [[3], None])
    assert out == [(1, [3]), (2, None)]
    assert tu.tree_map(lambda x: x * 2, {"a": 1, "b": None}) == {"a": 2, "b": None}

    def size_or_minus(x):
        return len(x) if isinstance(x, tuple) else -x

    assert tu.tree_map(size_or_minus, [(1, 2), [3]], is_leaf=lambda x: isinstance(x, tuple)) == [2, [-3]]
    with pytest.raises(
        ValueError, match="pytree structure error: different types at key path\n    tree_map tree"
    ):
        tu.tree_map(lambda a, b: a, {"a": 1}, [1, 2, 3])
    with pytest.raises(ValueError, match=r"different types at key path\n    tree_map tree\[0\]"):
        tu.tree_map(lambda a, b: a, [None], [2])
    with pytest.raises(ValueError, match="different lengths of tuple"):
        tu.tree_map(lambda a, b: a, (1, 2), (1, 2, 3))
    with pytest.raises(ValueError, match="different pytree metadata"):
        tu.tree_map(lambda a, b: a, {"a": 1}, {"b": 1})


def test_reductions_and_treedef_helpers():
    assert tu.tree_reduce(lambda a, b: a * b, {"x": 2, "y": (3, 4)}, 1) == 24
    assert tu.tree_reduce(lambda a, b: a + b, [(1, 2), [(3, 4)]], is_leaf=lambda t: isinstance(t, tuple)) == (
        1,
        2,
        3,
        4,
    )
    with pytest.raises(TypeError):
        tu.tree_reduce(lambda a, b: a + b, [])
    assert tu.tree_all([]) is True and tu.tree_all([1, (0,)]) is False and tu.tree_all(None) is True
    assert tu.all_leaves([1, 2.0, "x"]) and not tu.all_leaves([None]) and not tu.all_leaves([[1]])
    assert [tu.treedef_is_leaf(tu.tree_structure(t)) for t in (3, None, (), {}, [1])] == [True] * 4 + [False]
    tdef = tu.tree_structure((1, [2, {"a": 3}]))
    assert tdef.num_nodes == 6 and tdef.num_leaves == 3
    assert tdef.children() == [tu.tree_structure(0), tu.tree_structure([0, {"a": 0}])]
    assert tu.treedef_tuple(tdef.children()) == tdef
    assert tu.build_tree(tu.tree_structure({"b": 0, "a": (0, 0)}), [(5, 6), 7]) == {"a": (5, 6), "b": 7}
    composed = tu.tree_structure([0, 0]).compose(tu.tree_structure((0, 0)))
    assert composed == tu.tree_structure([(0, 0), (0, 0)])
    assert hash(tu.tree_structure([1, {"a": 2}])) == hash(tu.tree_structure([3, {"a": 4}]))


@pytest.mark.parametrize(
    "tree, xs, message",
    [
        ([1, 2], [7], "List arity mismatch: 1 != 2; list: [7]."),
        ((1,), [7], "Expected tuple, got [7]."),
        ({"a": 1}, {"b": 7}, "Dict key mismatch; expected keys: ['a']"),
        ([Pt(1, 2)], [(1, 2)], "Expected named tuple, got (1, 2)."),
        ([None], [2], "Expected None, got 2."),
        (Box(1, 2), (1, 2), "Custom node type mismatch"),
    ],
)
def test_flatten_up_to_errors_name_what_differs(tree, xs, message):
    with pytest.raises(ValueError) as info:
        tu.tree_structure(tree).flatten_up_to(xs)
    assert message in str(info.value)


def test_flatten_up_to_keeps_subtrees_whole():
    tdef = tu.tree_structure({"a": 1, "b": (2, 3)})
    assert tdef.flatten_up_to({"a": [7], "b": ([8], (9,))}) == [[7], [8], (9,)]


def test_transpose_and_broadcast():
    outer, inner = tu.tree_structure([0, 0, 0]), tu.tree_structure((0, 0))
    assert tu.tree_transpose(outer, inner, [(1, 2), (3, 4), (5, 6)]) == ([1, 3, 5], [2, 4, 6])
    assert tu.tree_transpose(tu.tree_structure([0, 0]), None, [{"a": 1, "b": 2}, {"a": 3, "b": 4}]) == {
        "a": [1, 3],
        "b": [2, 4],
    }
    with pytest.raises(TypeError, match="Mismatch"):
        tu.tree_transpose(outer, inner, [[1, 2], [3, 4], [5, 6]])
    assert tu.tree_broadcast((1, 2, 3), (0, {"a": 0, "b": 0}, (0, 0))) == (1, {"a": 2, "b": 2}, (3, 3))
    with pytest.raises(ValueError, match="pytree structure error"):
        tu.tree_broadcast((1, 2), (0, 0, 0))


def test_key_paths_and_keystr():
    tree = {"b": Pt(1, [2]), "a": Box(3, 4)}
    pairs, tdef = tu.tree_flatten_with_path(tree)
    assert tdef == tu.tree_structure(tree)
    assert [tu.keystr(p) for p, _ in pairs] == ["['a'].a", "['a'].b", "['b'].x", "['b'].y[0]"]
    assert [v for _, v in pairs] == [3, 4, 1, 2]
    assert pairs[3][0] == (tu.DictKey("b"), tu.GetAttrKey("y"), tu.SequenceKey(0))
    assert tu.keystr(pairs[3][0], simple=True, separator="/") == "b/y/0"
    # a node registered without keys gets flat indices
    assert tu.tree_leaves_with_path(Pair(5, 6))[1][0] == (tu.FlattenedIndexKey(1),)
    assert str(tu.FlattenedIndexKey(1)) == "[<flat index 1>]"
    assert hash(tu.FlattenedIndexKey(1)) != hash(tu.SequenceKey(1))
    out = tu.tree_map_with_path(lambda p, x, y: (len(p), x + y), [1, (2,)], [10, (20,)])
    assert out == [(1, 11), ((2, 22),)]
    deep = tu.tree_flatten_with_path([[1, [2]]], is_leaf=lambda p, x: len(p) >= 2, is_leaf_takes_path=True)[0]
    assert deep == [
        ((tu.SequenceKey(0), tu.SequenceKey(0)), 1),
        ((tu.SequenceKey(0), tu.SequenceKey(1)), [2]),
    ]


def test_prefix_errors_give_key_paths():
    (err,) = tu.prefix_errors([{1: 2}], [{3: 4}])
    with pytest.raises(ValueError, match=r"different pytree metadata at key path\n    in_axes\[0\]"):
        raise err("in_axes")
    assert tu.prefix_errors((1, 2), ((11, 12, 13), 2)) == []


def test_partial_is_a_pytree_and_does_not_merge_partials():
    p = tu.Partial(lambda a, b, c=0: a - b + c, 10, c=1)
    leaves, tdef = tu.tree_flatten(p)
    assert leaves == [10, 1]
    q = tdef.unflatten([20, 2])
    assert q(3) == 19 and tu.tree_map(lambda x: x * 2, p)(3) == 19
    inner = functools.partial(lambda a, b, c: (a, b, c), 1)
    h = tu.Partial(inner, 2)
    assert h.args == (2,) and h(3) == (1, 2, 3) and h.func == inner


def test_treedef_text_pickle_walk_and_namespace():
    assert repr(tu.tree_structure([1, (2,), None, {"a": 3}])) == "PyTreeDef([*, (*,), None, {'a': *}])"
    assert str(tu.tree_structure(Pt(1, 2))) == "PyTreeDef(CustomNode(namedtuple[Pt], [*, *]))"
    assert str(tu.tree_structure(Box(1, 2, "L"))) == "PyTreeDef(CustomNode(Box[L], [*, *]))"
    tdef = tu.tree_structure([Box(1, (2, None), "L"), {"k": Pt(3, 4)}])
    assert pickle.loads(pickle.dumps(tdef)) == tdef
    total = tu.tree_structure({"a": 1, "b": (2, 3)}).walk(
        lambda kids, data: sum(kids), lambda x: 10 * x, [1, 2, 3]
    )
    assert total == 60
    assert jtree.map(lambda x: x + 1, {"a": 1}) == {"a": 2}
    assert jtree.leaves([1, (2, None)]) == [1, 2] and jtree.structure([1]).num_leaves == 1
    assert jtree.reduce(lambda a, b: a + b, [1, 2, 3]) == 6 and jtree.all([1, 1])


def test_ravel_pytree_dtypes_as_jax():
    flat, unravel = tu.ravel_pytree([np.array([3], np.int32), np.array([[1, 2], [3, 4]], np.int32)])
    assert flat.dtype == np.int32  # integer leaves stay integers
    flat, unravel = tu.ravel_pytree((np.arange(3, dtype=np.float32), np.arange(2, dtype=np.int32)))
    assert flat.dtype == np.result_type(np.float32, np.int32)
    back = unravel(flat)
    assert back[0].dtype == np.float32 and back[1].dtype == np.int32  # each piece cast back
    np.testing.assert_array_equal(back[1], [0, 1])
    with pytest.raises(TypeError, match="but expected dtype"):
        unravel(np.zeros(5, bool))
    flat, unravel = tu.ravel_pytree(np.arange(4, dtype=np.float32))
    assert unravel(np.zeros(4, bool)).dtype == bool  # one dtype: unravel keeps the vector's
