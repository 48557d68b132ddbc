"""Batched Jacobians and Hessians (autobp/_batched_backward.py, functional.jacobian/hessian with
vectorize=True): equal to PyTorch's and to the row loop, one rule call per node, the per-row
fallback, forward-mode columns, create_graph, and per-example gradients (func.per_example_grad)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autobp
from autobp import Tensor, func
from autobp._batched_backward import ADAPTERS, POLYMORPHIC, batched_rule_names, unbroadcast_batched
from autobp.functional import hessian, jacobian
from autobp.rules import RULES

torch = pytest.importorskip("torch")
TF = torch.autograd.functional

UNARY = [  # (ours, torch's) elementwise pairs for the hypothesis chains
    (autobp.tanh, torch.tanh),
    (autobp.sin, torch.sin),
    (autobp.exp, torch.exp),
    (autobp.sigmoid, torch.sigmoid),
    (lambda x: x * x, lambda x: x * x),
    (lambda x: 1.0 / (1.0 + x * x), lambda x: 1.0 / (1.0 + x * x)),
]


def _t(a, grad=False):
    return torch.tensor(np.asarray(a), dtype=torch.float64, requires_grad=grad)


def _torch_jacobian(fn, args, **options):
    """PyTorch's Jacobian (vectorized); where an input or an output is empty (PyTorch refuses), the
    Jacobian has no entries at all, so its shape alone is the answer."""
    outs = _flat(fn(*args))
    if min(t.numel() for t in list(args) + outs) == 0:
        blocks = tuple(tuple(torch.zeros(tuple(o.shape) + tuple(a.shape)) for a in args) for o in outs)
        return blocks if isinstance(fn(*args), (tuple, list)) else blocks[0]
    return TF.jacobian(fn, args, vectorize=True, **options)


def _flat(out):
    return list(out) if isinstance(out, (tuple, list)) else [out]


def _close(ours, theirs, rtol=1e-9, atol=1e-12):
    ours = ours if isinstance(ours, tuple) else (ours,)
    theirs = theirs if isinstance(theirs, tuple) else (theirs,)
    assert len(ours) == len(theirs)
    for k, (o, t) in enumerate(zip(ours, theirs)):
        if isinstance(o, tuple):
            _close(o, t, rtol, atol)
            continue
        t = t.detach().numpy()
        assert o.shape == t.shape, f"block {k}: {o.shape} vs torch {t.shape}"
        np.testing.assert_allclose(o.data, t, rtol=rtol, atol=atol, err_msg=f"block {k}")


@settings(max_examples=25)
@given(
    x=hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3),
        elements=st.floats(-2, 2),
    ),
    chain=st.lists(st.integers(0, len(UNARY) - 1), min_size=1, max_size=4),
)
def test_elementwise_chains_match_torch(x, chain):
    def ours(t):
        for k in chain:
            t = UNARY[k][0](t)
        return t

    def theirs(t):
        for k in chain:
            t = UNARY[k][1](t)
        return t

    expected = _torch_jacobian(theirs, (_t(x),))[0]
    _close(jacobian(ours, Tensor(x)), expected)
    _close(jacobian(ours, Tensor(x), strategy="forward-mode"), expected)


def _cases():
    """(our fn, torch fn, input arrays): matmul chains, reductions with axes, shapes, indexing,
    broadcasting, softmax/logsumexp, an MLP; 0-d and empty shapes among them."""
    rng = np.random.default_rng(0)
    A, B = rng.standard_normal((3, 4)), rng.standard_normal((4, 2))
    W1, W2, b1 = rng.standard_normal((5, 4)), rng.standard_normal((3, 5)), rng.standard_normal(5)
    idx = np.array([2, 0, 2])
    return [
        ("matmul chain", lambda x: autobp.tanh(x @ B) @ B.T, lambda x: torch.tanh(x @ _t(B)) @ _t(B).T, [A]),
        ("matmul both", lambda a, b: a @ b, lambda a, b: a @ b, [A, B]),
        ("matvec", lambda a, v: a @ v, lambda a, v: a @ v, [A, rng.standard_normal(4)]),
        ("vecmat", lambda v, a: v @ a, lambda v, a: v @ a, [rng.standard_normal(3), A]),
        ("dot", lambda u, v: u @ v, lambda u, v: u @ v, [rng.standard_normal(4), rng.standard_normal(4)]),
        ("batched matmul", lambda a, b: a @ b, lambda a, b: a @ b, [rng.standard_normal((2, 3, 4)), B]),
        ("sum axis 0", lambda x: x.sum(axis=0), lambda x: x.sum(0), [A]),
        (
            "sum axes keepdims",
            lambda x: (x * x).sum(axis=(0, 2), keepdims=True),
            lambda x: (x * x).sum((0, 2), keepdim=True),
            [rng.standard_normal((2, 3, 2))],
        ),
        ("mean axis -1", lambda x: x.mean(axis=-1), lambda x: x.mean(-1), [A]),
        ("max axis 1", lambda x: x.max(axis=1), lambda x: x.amax(1), [A]),
        ("full sum", lambda x: (x**3).sum(), lambda x: (x**3).sum(), [A]),
        (
            "reshape transpose",
            lambda x: autobp.sin(x.reshape(2, 6).T),
            lambda x: torch.sin(x.reshape(2, 6).T),
            [A],
        ),
        (
            "permute",
            lambda x: x.transpose(2, 0, 1) * 2.0,
            lambda x: x.permute(2, 0, 1) * 2.0,
            [rng.standard_normal((2, 3, 4))],
        ),
        ("swapaxes", lambda x: autobp.exp(x.swapaxes(0, 1)), lambda x: torch.exp(x.transpose(0, 1)), [A]),
        ("slice", lambda x: x[1:, ::2] * x[:2, 1::2], lambda x: x[1:, ::2] * x[:2, 1::2], [A]),
        ("int index", lambda x: x[1] * x[:, 2].sum(), lambda x: x[1] * x[:, 2].sum(), [A]),
        ("array index repeats", lambda x: x[idx] ** 2, lambda x: x[torch.tensor(idx)] ** 2, [A]),
        (
            "split advanced",
            lambda x: x[idx, :, [0, 1, 0]],
            lambda x: x[torch.tensor(idx), :, torch.tensor([0, 1, 0])],
            [rng.standard_normal((3, 2, 2))],
        ),
        (
            "broadcast add",
            lambda x, b: autobp.tanh(x + b),
            lambda x, b: torch.tanh(x + b),
            [A, rng.standard_normal(4)],
        ),
        ("broadcast stretch", lambda x, b: x * b, lambda x, b: x * b, [A, rng.standard_normal((3, 1))]),
        (
            "broadcast_to",
            lambda x: autobp.broadcast_to(x, (2, 3, 4)) ** 2,
            lambda x: x.expand(2, 3, 4) ** 2,
            [rng.standard_normal((3, 1))],
        ),
        ("softmax", lambda x: autobp.softmax(x, axis=0), lambda x: torch.softmax(x, 0), [A]),
        ("log_softmax", lambda x: autobp.log_softmax(x, axis=-1), lambda x: torch.log_softmax(x, -1), [A]),
        ("logsumexp", lambda x: autobp.logsumexp(x, axis=1), lambda x: torch.logsumexp(x, 1), [A]),
        (
            "concatenate stack",
            lambda a, b: autobp.stack(
                [autobp.concatenate([a, b], axis=1), autobp.concatenate([2 * a, b], axis=1)], axis=1
            ),
            lambda a, b: torch.stack([torch.cat([a, b], 1), torch.cat([2 * a, b], 1)], 1),
            [A, A + 1],
        ),
        (
            "mlp",
            lambda x: autobp.tanh(autobp.tanh(x @ W1.T + b1) @ W2.T),
            lambda x: torch.tanh(torch.tanh(x @ _t(W1).T + _t(b1)) @ _t(W2).T),
            [rng.standard_normal((2, 4))],
        ),
        ("0-d", lambda x: autobp.exp(x) * x, lambda x: torch.exp(x) * x, [np.array(0.7)]),
        ("0-d out", lambda x: (x * x).sum(), lambda x: (x * x).sum(), [A]),
        ("empty in", lambda x: x.sum(axis=0) + 1.0, lambda x: x.sum(0) + 1.0, [np.zeros((0, 3))]),
        ("empty out", lambda x: x[:0] * 2.0, lambda x: x[:0] * 2.0, [A]),
    ]


CASES = _cases()


@pytest.mark.parametrize("ours,theirs,arrays", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_jacobian_matches_torch_and_loop(ours, theirs, arrays):
    xs = tuple(Tensor(a) for a in arrays)
    expected = _torch_jacobian(theirs, tuple(_t(a) for a in arrays))
    _close(jacobian(ours, xs), expected)
    _close(jacobian(ours, xs, strategy="forward-mode"), expected)
    _close(jacobian(ours, xs, vectorize=False), expected)


@pytest.mark.parametrize("ours,theirs,arrays", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_hessian_matches_torch_both_ways(ours, theirs, arrays):
    rng = np.random.default_rng(3)
    w = [None]

    def scalar(f, wrap):
        def s(*xs):
            out = f(*xs)
            if w[0] is None:
                w[0] = rng.standard_normal(tuple(out.shape))
            return (out * wrap(w[0])).sum()

        return s

    xs = tuple(Tensor(a) for a in arrays)
    ours_s = scalar(ours, lambda a: a)
    ours_s(*xs)  # fixes the weights
    if min(a.size for a in arrays) == 0:  # no entries: the shape is the answer (PyTorch refuses)
        expected = tuple(tuple(torch.zeros(a.shape + b.shape) for b in arrays) for a in arrays)
    else:
        expected = TF.hessian(scalar(theirs, _t), tuple(_t(a) for a in arrays), vectorize=True)
    _close(hessian(ours_s, xs), expected, atol=1e-10)
    _close(hessian(ours_s, xs, outer_jacobian_strategy="forward-mode"), expected, atol=1e-10)


def test_float32_kept():
    x = Tensor(np.random.default_rng(0).standard_normal((3, 2)).astype(np.float32))
    f = lambda x: autobp.tanh(x @ x.T).sum(axis=0)  # noqa: E731
    for jac in (jacobian(f, x), jacobian(f, x, strategy="forward-mode"), hessian(lambda x: f(x).sum(), x)):
        assert jac.dtype == np.float32


def _counting(monkeypatch, names):
    calls = dict.fromkeys(names, 0)
    for name in names:
        rule = RULES[name]

        def counted(F, g, out, xs, ctx, need, _rule=rule, _name=name):
            calls[_name] += 1
            return _rule(F, g, out, xs, ctx, need)

        monkeypatch.setitem(RULES, name, counted)
    return calls


def test_one_rule_call_per_node_not_per_row(monkeypatch):
    """A 16 -> 16 tanh MLP's 16-row Jacobian: every rule runs once per node (the row loop: 16 times)."""
    rng = np.random.default_rng(0)
    W1, W2, b = rng.standard_normal((16, 16)), rng.standard_normal((16, 16)), rng.standard_normal(16)
    f = lambda x: autobp.tanh(autobp.tanh(x @ W1 + b) @ W2)  # noqa: E731
    calls = _counting(monkeypatch, ["matmul", "add", "tanh"])
    x = Tensor(rng.standard_normal(16))
    batched = jacobian(f, x)
    assert calls == {"matmul": 2, "add": 1, "tanh": 2}
    calls.update(dict.fromkeys(calls, 0))
    looped = jacobian(f, x, vectorize=False)
    assert calls == {"matmul": 32, "add": 16, "tanh": 32}
    np.testing.assert_allclose(batched.data, looped.data, rtol=1e-12)


def test_fallback_runs_the_rule_per_row_and_agrees(monkeypatch):
    """cumprod has no batched form: its rule runs once per row for that node alone, the
    polymorphic nodes around it once, and the Jacobian equals PyTorch's."""
    vectorised, per_row = batched_rule_names()
    assert "cumprod" in per_row and "tanh" in vectorised
    calls = _counting(monkeypatch, ["cumprod", "tanh"])
    x = np.random.default_rng(1).standard_normal((2, 3))
    jac = jacobian(lambda t: autobp.tanh(autobp.cumprod(autobp.tanh(t), axis=1)), Tensor(x))
    assert calls == {"cumprod": 6, "tanh": 2}  # 6 = rows of the Jacobian
    expected = TF.jacobian(lambda t: torch.tanh(torch.cumprod(torch.tanh(t), 1)), _t(x))
    _close(jac, expected)


def test_fallback_of_a_custom_function_under_create_graph():
    """A user's autobp.Function (never batched) in the middle of the graph, with create_graph."""

    class Cube(autobp.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 3.0 * g * x * x

    x = np.array([0.5, -1.0, 2.0])
    xt = Tensor(x, requires_grad=True)
    jac = jacobian(lambda t: autobp.sin(Cube.apply(t)) * t, xt, create_graph=True)
    ref = TF.jacobian(lambda t: torch.sin(t**3) * t, _t(x), create_graph=True)
    _close(jac, ref)
    (jac * jac).sum().backward()
    tx = _t(x, grad=True)
    (TF.jacobian(lambda t: torch.sin(t**3) * t, tx, create_graph=True) ** 2).sum().backward()
    np.testing.assert_allclose(xt.grad, tx.grad.numpy(), rtol=1e-9)


def test_create_graph_jacobian_is_differentiable_like_torch():
    rng = np.random.default_rng(2)
    W, x = rng.standard_normal((3, 4)), rng.standard_normal((2, 4))
    xt = Tensor(x, requires_grad=True)
    jac = jacobian(lambda t: autobp.softmax(t @ W.T, axis=1), xt, create_graph=True)
    assert jac.requires_grad
    (jac**2).sum().backward()
    tx = _t(x, grad=True)
    tj = TF.jacobian(lambda t: torch.softmax(t @ _t(W).T, 1), tx, create_graph=True, vectorize=True)
    (tj**2).sum().backward()
    _close(jac, tj)
    np.testing.assert_allclose(xt.grad, tx.grad.numpy(), rtol=1e-9)


def test_unbroadcast_batched_keeps_the_batch_axis():
    g = np.arange(2 * 3 * 4, dtype=float).reshape(2, 3, 4)
    assert unbroadcast_batched(g, (4,)).shape == (2, 4)
    np.testing.assert_array_equal(unbroadcast_batched(g, (4,)), g.sum(axis=1))
    np.testing.assert_array_equal(unbroadcast_batched(g, (3, 1)), g.sum(axis=2, keepdims=True))
    np.testing.assert_array_equal(unbroadcast_batched(g, ()), g.sum(axis=(1, 2)))
    one = np.ones((5, 1))  # batch of 5, a size-1 axis stretched nowhere
    assert unbroadcast_batched(one, (1,)).shape == (5, 1)


def test_registry_names_exist():
    """Every name the batched registry vouches for is a registered rule (no stale entries)."""
    assert POLYMORPHIC <= set(RULES)
    assert set(ADAPTERS) <= set(RULES)


def test_bad_strategy_and_forward_mode_without_vectorize():
    x = Tensor([1.0, 2.0])
    with pytest.raises(ValueError, match="strategy must be one of"):
        jacobian(lambda t: t * t, x, strategy="sideways")
    with pytest.raises(ValueError, match="needs vectorize=True"):
        jacobian(lambda t: t * t, x, strategy="forward-mode", vectorize=False)
    with pytest.raises(ValueError, match="outer_jacobian_strategy|strategy must be one of"):
        hessian(lambda t: (t * t).sum(), x, outer_jacobian_strategy="sideways")


def test_outputs_that_do_not_depend_on_the_input():
    x = Tensor([1.0, 2.0])
    a, b = jacobian(lambda t: (t * 2.0, Tensor(np.ones(3))), x)
    np.testing.assert_array_equal(a.data, 2.0 * np.eye(2))
    np.testing.assert_array_equal(b.data, np.zeros((3, 2)))


# --- per-example gradients -------------------------------------------------------------------
def _net(w, X):
    return autobp.tanh(X @ w)


def test_per_example_grad_equals_vmap_of_grad_and_torch():
    rng = np.random.default_rng(4)
    w, X, Y = rng.standard_normal((3, 2)), rng.standard_normal((6, 3)), rng.standard_normal((6, 2))
    losses = lambda w, X, Y: ((_net(w, X) - Y) ** 2).sum(axis=1)  # noqa: E731
    one = lambda w, x, y: ((_net(w, x) - y) ** 2).sum()  # noqa: E731
    fast = func.per_example_grad(losses)(Tensor(w), Tensor(X), Tensor(Y))
    slow = func.vmap(func.grad(one), in_axes=(None, 0, 0))(Tensor(w), Tensor(X), Tensor(Y))
    assert fast.shape == (6, 3, 2)
    np.testing.assert_allclose(fast.data, slow.data, rtol=1e-12)
    tloss = lambda w, x, y: ((torch.tanh(x @ w) - y) ** 2).sum()  # noqa: E731
    theirs = torch.func.vmap(torch.func.grad(tloss), in_dims=(None, 0, 0))(_t(w), _t(X), _t(Y))
    np.testing.assert_allclose(fast.data, theirs.numpy(), rtol=1e-10)


def test_per_example_grad_several_argnums_and_refuses_a_scalar_loss():
    rng = np.random.default_rng(5)
    w, b, X = rng.standard_normal(3), rng.standard_normal(()), rng.standard_normal((4, 3))
    gw, gb = func.per_example_grad(lambda w, b, X: autobp.sin(X @ w + b), argnums=(0, 1))(w, b, X)
    np.testing.assert_allclose(gw.data, np.cos(X @ w + b)[:, None] * X, rtol=1e-12)
    np.testing.assert_allclose(gb.data, np.cos(X @ w + b), rtol=1e-12)
    with pytest.raises(ValueError, match="per-example losses"):
        func.per_example_grad(lambda w, X: (X @ w).sum())(w, X)


def test_jacrev_and_jacfwd_match_torch_func():
    rng = np.random.default_rng(6)
    a, x = rng.standard_normal((3, 3)), rng.standard_normal(3)
    f = lambda a, x: autobp.tanh(a @ x) * x  # noqa: E731
    tf = lambda a, x: torch.tanh(a @ x) * x  # noqa: E731
    for ours in (func.jacrev, func.jacfwd):
        for argnums in (0, 1, (0, 1)):
            _close(ours(f, argnums)(a, x), torch.func.jacrev(tf, argnums)(_t(a), _t(x)))
