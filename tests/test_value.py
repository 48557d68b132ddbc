"""Value: micrograd-compatible scalar graphs, checked against finite differences."""

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from autobp import Value

# Each op builds one or more Values from the pool; arguments are made safe for
# the op's domain with other ops (so log, sqrt-like powers and division get
# positive operands), which also puts more op kinds in every graph.
OPS = {
    "add": (2, lambda a, b: a + b),
    "sub": (2, lambda a, b: a - b),
    "mul": (2, lambda a, b: a * b),
    "div": (2, lambda a, b: a / (b * b + 0.5)),
    "radd": (1, lambda a: 1.5 + a),
    "rsub": (1, lambda a: 2.0 - a),
    "rmul": (1, lambda a: 0.7 * a),
    "rdiv": (1, lambda a: 1.0 / (a * a + 1.0)),
    "neg": (1, lambda a: -a),
    "pow2": (1, lambda a: a**2),
    "pow3": (1, lambda a: a**3),
    "powf": (1, lambda a: (a * a + 0.5) ** 0.5),
    "powv": (2, lambda a, b: (a * a + 0.5) ** b.tanh()),
    "rpow": (1, lambda a: 2.0 ** a.tanh()),
    "exp": (1, lambda a: a.tanh().exp()),
    "log": (1, lambda a: (a * a + 0.1).log()),
    "tanh": (1, lambda a: a.tanh()),
    "sigmoid": (1, lambda a: a.sigmoid()),
    "relu": (1, lambda a: a.relu()),
}


@st.composite
def programs(draw):
    """A random expression DAG: leaves, then ops whose operands are drawn from all
    earlier nodes (so subexpressions are reused and diamonds occur)."""
    n_leaves = draw(st.integers(1, 3))
    leaves = draw(st.lists(st.floats(-2, 2, allow_nan=False), min_size=n_leaves, max_size=n_leaves))
    steps = []
    for i in range(draw(st.integers(1, 12))):
        name = draw(st.sampled_from(sorted(OPS)))
        arity = OPS[name][0]
        args = [draw(st.integers(0, n_leaves + i - 1)) for _ in range(arity)]
        steps.append((name, args))
    return leaves, steps


def run(leaves, steps):
    pool = [Value(x) for x in leaves]
    for name, args in steps:
        pool.append(OPS[name][1](*(pool[j] for j in args)))
    return pool


def near_kink(pool, steps, n_leaves):
    """True when a relu input sits so close to 0 that finite differences straddle the kink."""
    for (name, args), _ in zip(steps, pool[n_leaves:]):
        if name == "relu" and abs(pool[args[0]].data) < 1e-3:
            return True
    return False


@settings(max_examples=600)
@given(programs())
def test_random_dags_match_central_differences(program):
    leaves, steps = program
    pool = run(leaves, steps)
    root = pool[-1]
    assume(all(math.isfinite(v.data) and abs(v.data) < 1e4 for v in pool))
    assume(not near_kink(pool, steps, len(leaves)))
    root.backward()
    eps = 1e-6
    for i in range(len(leaves)):
        hi = list(leaves)
        lo = list(leaves)
        hi[i] += eps
        lo[i] -= eps
        numeric = (run(hi, steps)[-1].data - run(lo, steps)[-1].data) / (2 * eps)
        # tolerance: central differences are accurate to ~eps^2 * f''' plus
        # rounding ~1e-16 * |f| / eps; 1e-5 relative + 1e-5 absolute covers both here
        assert pool[i].grad == pytest.approx(numeric, rel=1e-5, abs=1e-5), (leaves, steps, i)


def test_closed_forms():
    x = Value(1.7)
    y = x * x * x
    y.backward()
    assert x.grad == pytest.approx(3 * 1.7**2)
    z = Value(0.3)
    s = z.sigmoid()
    s.backward()
    assert z.grad == pytest.approx(s.data * (1 - s.data))
    assert s.data == pytest.approx(1 / (1 + math.exp(-0.3)))
    a, b = Value(2.0), Value(3.0)
    c = a**b
    c.backward()
    assert a.grad == pytest.approx(3 * 2.0**2)
    assert b.grad == pytest.approx(8 * math.log(2.0))


def test_reused_node_gets_summed_gradient():
    a = Value(3.0)
    b = a + a  # one node, two edges
    b.backward()
    assert a.grad == 2.0
    x = Value(0.5)
    top = x.tanh()
    y = top * top + top  # diamond through one interior node
    y.backward()
    t = math.tanh(0.5)
    assert x.grad == pytest.approx((2 * t + 1) * (1 - t * t))


def test_second_backward_accumulates_once_more_like_pytorch_leaves():
    x = Value(2.0)
    y = (x * 2) * 3
    y.backward()
    assert x.grad == 6.0
    y.backward()
    assert x.grad == 12.0  # micrograd would give 18 (interior grads counted twice)
    y.zero_grad()
    assert x.grad == 0.0
    y.backward()
    assert x.grad == 6.0


def test_every_node_keeps_its_grad_and_the_graph_after_backward():
    x = Value(1.0, label="x")
    h = x * 4
    y = h + 1
    y.backward()
    assert (y.grad, h.grad, x.grad) == (1.0, 1.0, 4.0)
    assert h._prev == {x, h._parents[1]}  # graph still there, micrograd's name works
    assert y._op == "add"


def test_micrograd_sanity_example():
    # the expression from micrograd's README, with its published outputs
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    assert g.data == pytest.approx(24.7041, abs=1e-4)
    assert a.grad == pytest.approx(138.8338, abs=1e-4)
    assert b.grad == pytest.approx(645.5773, abs=1e-4)


def test_million_op_chain_backpropagates_without_recursion():
    x = Value(0.5)
    v = x
    for _ in range(500_000):
        v = v * 1.000001 + 0.0  # 10^6 ops
    v.backward()
    assert x.grad == pytest.approx(1.000001**500_000, rel=1e-9)


@pytest.mark.parametrize(
    "make, exc, words",
    [
        (lambda: Value(0.0).log(), ValueError, ["log", "0.0"]),
        (lambda: Value(-2.0).log(), ValueError, ["log", "-2.0"]),
        (lambda: Value(-2.0) ** 0.5, ValueError, ["negative base", "-2.0", "0.5"]),
        (lambda: Value(-2.0) ** Value(2.0), ValueError, ["positive", "-2.0"]),
        (lambda: 2.0 ** Value(1.0) + Value(-1.0) ** Value(1.0), ValueError, ["-1.0"]),
        (lambda: Value(1.0) + "a", TypeError, ["'a'", "str"]),
        (lambda: "a" * Value(1.0), TypeError, ["str"]),
        (lambda: Value(1.0) ** "2", TypeError, ["exponent", "str"]),
        (lambda: Value("3"), TypeError, ["'3'"]),
        (lambda: Value(1.0) / 0, ZeroDivisionError, ["zero"]),
        (lambda: Value(0.0) ** -1, ZeroDivisionError, ["zero"]),
    ],
)
def test_bad_input_raises_clear_errors(make, exc, words):
    with pytest.raises(exc) as info:
        make()
    for w in words:
        assert w in str(info.value)


def test_repr_shows_data_and_grad():
    x = Value(2.5)
    (x * x).backward()
    assert repr(x) == "Value(data=2.5, grad=5.0)"  # micrograd's repr, full precision
    assert repr(Value(0.1) + 0.2) == "Value(data=0.30000000000000004, grad=0.0)"


def test_numbers_on_either_side():
    x = Value(3.0)
    assert (2 + x).data == 5 and (2 - x).data == -1 and (2 * x).data == 6
    assert (6 / x).data == 2 and (x / 2).data == 1.5 and (2**x).data == 8
    y = 6 / x
    y.backward()
    assert x.grad == pytest.approx(-6 / 9)


def test_infinite_derivative_is_a_clear_error_at_backward():
    x = Value(0.0)
    y = x**0.5  # the value is fine; its slope at 0 is not
    assert y.data == 0.0
    with pytest.raises(ZeroDivisionError, match=r"'pow_scalar' at input\(s\) 0.0"):
        y.backward()


@settings(max_examples=200)
@given(programs())
def test_micrograd_manual_backward_steps_match_backward(program):
    """micrograd's lecture calls ``node._backward()`` by hand in reverse topological order after setting
    the output's grad to 1: every node then holds what ``backward()`` gives it."""
    leaves, steps = program
    pool = run(leaves, steps)
    assume(all(math.isfinite(v.data) and abs(v.data) < 1e4 for v in pool))
    pool[-1].backward()
    auto = [v.grad for v in pool]
    manual = run(leaves, steps)
    order = []  # micrograd's build_topo: parents before children
    seen = set()

    def visit(v):
        if v not in seen:
            seen.add(v)
            for p in v._prev:
                visit(p)
            order.append(v)

    visit(manual[-1])
    manual[-1].grad = 1.0
    for v in reversed(order):
        v._backward()
    for v, want in zip(manual, auto):
        if v in seen:
            assert v.grad == pytest.approx(want, rel=1e-12, abs=1e-12), (leaves, steps)


def test_manual_backward_of_a_leaf_does_nothing_and_errors_name_the_op():
    x = Value(3.0)
    x.grad = 2.0
    x._backward()
    assert x.grad == 2.0
    y = Value(0.0) ** 0.5
    y.grad = 1.0
    with pytest.raises(ZeroDivisionError, match=r"'pow_scalar' at input\(s\) 0.0"):
        y._backward()
