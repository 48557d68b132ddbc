"""autobp.graph.nodes: every node once, parents first, with the op, parents, shape and grads it holds."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autobp
from autobp import GraphReleasedError, Tensor, Value
from autobp.graph import nodes

from .functions import Cube

BINARY = {"add": lambda a, b: a + b, "mul": lambda a, b: a * b, "sub": lambda a, b: a - b}
UNARY = {"tanh": lambda a: a.tanh(), "sigmoid": lambda a: a.sigmoid()}


@st.composite
def programs(draw, max_leaves=3, max_steps=8):
    """A random straight-line program: each step applies an op to earlier results (reuse allowed)."""
    n_leaves = draw(st.integers(1, max_leaves))
    steps = []
    for k in range(draw(st.integers(1, max_steps))):
        op = draw(st.sampled_from(sorted(BINARY) + sorted(UNARY)))
        arity = 2 if op in BINARY else 1
        steps.append((op, tuple(draw(st.integers(0, n_leaves + k - 1)) for _ in range(arity))))
    return n_leaves, steps


def run_program(program, make_leaf):
    """All values the program computes, leaves first; the last one is the root."""
    n_leaves, steps = program
    values = [make_leaf(k) for k in range(n_leaves)]
    for op, args in steps:
        fn = BINARY.get(op) or UNARY[op]
        values.append(fn(*(values[i] for i in args)))
    return values


def expected_graph(program):
    """From the program alone: the positions reachable from the root and the (op, inputs) of each."""
    n_leaves, steps = program
    reach, todo = set(), [n_leaves + len(steps) - 1]
    while todo:
        i = todo.pop()
        if i in reach:
            continue
        reach.add(i)
        if i >= n_leaves:
            todo.extend(steps[i - n_leaves][1])
    return reach, {i: steps[i - n_leaves] for i in reach if i >= n_leaves}


def value_leaf(k):
    return Value(0.3 * (k + 1), label=f"x{k}")


def tensor_leaf(k):
    return autobp.tensor(np.linspace(-1, 1, 3) * (k + 1), requires_grad=True)


@pytest.mark.parametrize("make_leaf", [value_leaf, tensor_leaf], ids=["Value", "Tensor"])
@given(program=programs())
def test_nodes_match_the_program(make_leaf, program):
    values = run_program(program, make_leaf)
    reach, ops = expected_graph(program)
    recs = nodes(values[-1])
    assert len(recs) == len(reach)
    where = {id(r.obj): r.index for r in recs}
    assert {where[id(values[i])] for i in reach} == set(range(len(recs)))
    for i in reach:
        r = recs[where[id(values[i])]]
        assert r.index == where[id(values[i])]
        if i in ops:
            op, args = ops[i]
            assert r.op == op and not r.is_leaf
            assert r.parents == tuple(where[id(values[a])] for a in args)
            assert all(p < r.index for p in r.parents)  # parents come first
        else:
            assert r.op is None and r.is_leaf and r.parents == ()
    assert [r.is_root for r in recs] == [r.obj is values[-1] for r in recs]


def test_reused_input_is_listed_once_with_two_parent_slots():
    x = Value(3.0, label="x")
    y = x * x
    recs = nodes(y)
    assert [r.name for r in recs] == ["x", None]
    assert recs[1].op == "mul" and recs[1].parents == (0, 0)


def test_diamond_shares_the_middle_node():
    x = autobp.tensor([0.5, -0.5], requires_grad=True)
    a = x.tanh()
    y = a.exp() + a.sigmoid()
    recs = nodes(y)
    assert len(recs) == 5
    (mid,) = [r for r in recs if r.op == "tanh"]
    users = [r for r in recs if mid.index in r.parents]
    assert sorted(r.op for r in users) == ["exp", "sigmoid"]


def test_tensor_records_hold_shape_dtype_data_and_grad():
    x = autobp.tensor(np.ones((2, 3), dtype=np.float32), requires_grad=True)
    x.name = "x"
    loss = (x * np.float32(3)).sum()  # a numpy scalar is lifted to a constant node (a Python 3: ctx)
    loss.backward(retain_graph=True)
    recs = nodes(loss)
    by_op = {r.op: r for r in recs}
    leaf = next(r for r in recs if r.name == "x")
    assert leaf.name == "x" and leaf.shape == (2, 3) and leaf.dtype == "float32"
    np.testing.assert_array_equal(leaf.grad, np.full((2, 3), 3.0))
    consts = [r for r in recs if r.is_leaf and not r.requires_grad]
    assert len(consts) == 1 and consts[0].data == 3  # the operand 3 is a constant node
    assert by_op["sum"].shape == () and by_op["sum"].is_root and by_op["sum"].grad is None


def test_value_records_hold_data_and_grad():
    x = Value(2.0, label="x")
    y = (x * x).tanh()
    y.backward()
    recs = nodes(y)
    assert [r.kind for r in recs] == ["value"] * 3
    assert recs[0].data == 2.0 and recs[0].shape == () and recs[0].dtype == "float"
    assert recs[0].grad == pytest.approx((1 - np.tanh(4.0) ** 2) * 4.0)


def test_several_roots_share_one_walk():
    x = Value(1.0)
    a, b = x + 1, x * 2
    recs = nodes([a, b])
    assert len(recs) == 5  # x, the two constants, a, b
    assert sum(r.is_root for r in recs) == 2


class _Module:
    def __init__(self, **params):
        self.params = params

    def named_parameters(self):
        return iter(self.params.items())


@pytest.mark.parametrize("wrap", [dict, lambda **p: _Module(**p)], ids=["mapping", "named_parameters"])
def test_params_name_the_parameters(wrap):
    w = autobp.tensor(np.ones((2, 2)), requires_grad=True)
    w.name = "own name"
    x = autobp.tensor(np.ones(2), requires_grad=True)
    recs = nodes(x @ w, params=wrap(**{"layer1.weight": w}))
    named = {r.name: r for r in recs}
    assert named["layer1.weight"].obj is w and named["layer1.weight"].is_param
    assert not named[None].is_param  # x: no name, not a parameter


def test_custom_function_reports_its_class():
    x = autobp.tensor([1.0, 2.0], requires_grad=True)
    recs = nodes(Cube.apply(x).sum())
    assert [(r.op, r.function) for r in recs] == [(None, None), ("function", "Cube"), ("sum", None)]


def test_released_graph_says_how_to_keep_it():
    x = autobp.tensor([1.0, 2.0], requires_grad=True)
    loss = (x * x).sum()
    loss.backward()
    with pytest.raises(GraphReleasedError, match=r"backward\(retain_graph=True\)"):
        nodes(loss)


def test_retained_graph_can_be_walked_with_grads():
    x = autobp.tensor([1.0, 2.0], requires_grad=True)
    loss = (x * x).sum()
    loss.backward(retain_graph=True)
    recs = nodes(loss)
    np.testing.assert_array_equal(recs[0].grad, [2.0, 4.0])


@pytest.mark.parametrize("bad", [3.0, [], [Value(1.0), "y"], np.ones(2)])
def test_rejects_non_nodes(bad):
    with pytest.raises((TypeError, ValueError), match="expected a Value or Tensor"):
        nodes(bad)


def test_rejects_bad_params():
    with pytest.raises(TypeError, match="named_parameters"):
        nodes(Tensor([1.0]), params=[1, 2])
