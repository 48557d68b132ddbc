"""autobp.checkpoint: the same gradients as without it, bit for bit, for arguments and captured
Tensors alike; second derivatives; custom Functions; random draws replayed; clear errors."""

from __future__ import annotations

import gc
import weakref

import numpy as np
import pytest

import autobp
from autobp import Function, Tensor, checkpoint
from autobp._graph import hooks


def _net(depth: int = 6, width: int = 5, seed: int = 0):
    rng = np.random.default_rng(seed)
    Ws = [autobp.tensor(rng.standard_normal((width, width)) * 0.7, requires_grad=True) for _ in range(depth)]
    bs = [autobp.tensor(rng.standard_normal(width) * 0.1, requires_grad=True) for _ in range(depth)]
    x = rng.standard_normal((4, width))
    return Ws, bs, x


def _layers(Ws, bs, lo, hi):
    def seg(h):
        for W, b in zip(Ws[lo:hi], bs[lo:hi]):
            h = (h @ W + b).relu()
        return h

    return seg


def _grads(ps):
    return [None if p.grad is None else p.grad.copy() for p in ps]


def _clear(ps):
    for p in ps:
        p.grad = None


def _assert_identical(got, want, what):
    assert len(got) == len(want)
    for i, (g, w) in enumerate(zip(got, want)):
        assert g is not None, f"{what}[{i}]: no gradient"
        assert g.dtype == w.dtype and g.shape == w.shape, (
            f"{what}[{i}]: {g.dtype}{g.shape} vs {w.dtype}{w.shape}"
        )
        assert np.array_equal(g, w), f"{what}[{i}]: max difference {np.max(np.abs(g - w))}"


@pytest.mark.parametrize("every", [1, 2, 3])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_gradients_are_bit_identical_to_the_plain_step(every, dtype):
    Ws, bs, x0 = _net()
    Ws = [autobp.tensor(W.data.astype(dtype), requires_grad=True) for W in Ws]
    bs = [autobp.tensor(b.data.astype(dtype), requires_grad=True) for b in bs]
    x = autobp.tensor(x0.astype(dtype), requires_grad=True)
    ps = Ws + bs + [x]

    (_layers(Ws, bs, 0, 6)(x) ** 2).sum().backward()
    want = _grads(ps)
    _clear(ps)
    h = x
    for lo in range(0, 6, every):
        h = checkpoint(_layers(Ws, bs, lo, lo + every), h)
    (h**2).sum().backward()
    _assert_identical(_grads(ps), want, "gradient")


def test_captured_parameters_get_gradients_when_no_argument_requires_grad():
    Ws, bs, x0 = _net(depth=4)
    x = autobp.tensor(x0)  # a constant: only the closure's weights want gradients
    y = checkpoint(_layers(Ws, bs, 0, 4), x)
    assert y.requires_grad
    y.sum().backward()
    got = _grads(Ws + bs)
    _clear(Ws + bs)
    _layers(Ws, bs, 0, 4)(x).sum().backward()
    _assert_identical(got, _grads(Ws + bs), "captured parameter gradient")


def test_module_parameters_get_the_plain_gradients():
    from autobp import nn

    net = nn.Sequential(nn.Linear(3, 4, dtype=np.float64), nn.Tanh(), nn.Linear(4, 2, dtype=np.float64))
    x = autobp.tensor(np.random.default_rng(1).standard_normal((5, 3)))
    ps = list(net.parameters())
    (checkpoint(net, x) ** 2).sum().backward()
    got = _grads(ps)
    _clear(ps)
    (net(x) ** 2).sum().backward()
    _assert_identical(got, _grads(ps), "module parameter gradient")


def _mlp2(x, W1, b1, W2):
    return ((x @ W1 + b1).tanh() @ W2).sigmoid()


def test_gradients_match_finite_differences_for_arguments_and_captured_tensors():
    rng = np.random.default_rng(2)
    W2 = autobp.tensor(rng.standard_normal((4, 2)), requires_grad=True)
    args = [autobp.tensor(rng.standard_normal(s), requires_grad=True) for s in ((3, 5), (5, 4), (4,))]
    assert autobp.gradcheck(lambda x, W1, b1: checkpoint(lambda *a: _mlp2(*a, W2), x, W1, b1), args)
    # the captured W2, through a function of it alone
    assert autobp.gradcheck(lambda W: checkpoint(lambda x: _mlp2(x, args[1], args[2], W), args[0]), [W2])


def test_second_derivatives_through_a_checkpoint_match_no_checkpoint_and_finite_differences():
    rng = np.random.default_rng(3)
    x = autobp.tensor(rng.standard_normal((3, 5)), requires_grad=True)
    W1 = autobp.tensor(rng.standard_normal((5, 4)), requires_grad=True)
    b1 = autobp.tensor(rng.standard_normal(4), requires_grad=True)
    W2 = autobp.tensor(rng.standard_normal((4, 2)), requires_grad=True)  # captured

    def second(use_checkpoint):
        f = (lambda *a: checkpoint(_mlp2, *a, W2)) if use_checkpoint else (lambda *a: _mlp2(*a, W2))
        gx, gW1 = autobp.grad(f(x, W1, b1).sum(), [x, W1], create_graph=True)
        return autobp.grad((gx**2).sum() + (gW1 * gW1).sum(), [x, W1, b1, W2])

    for got, want in zip(second(True), second(False)):
        np.testing.assert_allclose(got.data, want.data, rtol=1e-12, atol=1e-14)
    assert autobp.gradgradcheck(lambda *a: checkpoint(lambda *b: _mlp2(*b, W2), *a), [x, W1, b1])


class Cube(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x**3

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * 3.0 * x**2


def test_custom_functions_inside_are_recomputed_and_differentiated():
    rng = np.random.default_rng(4)
    W = autobp.tensor(rng.standard_normal((3, 3)), requires_grad=True)
    x = autobp.tensor(rng.standard_normal((2, 3)), requires_grad=True)

    def f(h):
        return Cube.apply(h @ W).tanh()

    checkpoint(f, x).sum().backward()
    got = _grads([x, W])
    _clear([x, W])
    f(x).sum().backward()
    _assert_identical(got, _grads([x, W]), "gradient through a Function")
    assert autobp.gradcheck(lambda a: checkpoint(f, a), [x])
    assert autobp.gradgradcheck(lambda a: checkpoint(f, a), [x])


def _dropout(h, p=0.5):
    mask = np.random.random(h.shape) >= p  # numpy's global generator, as a user's dropout would
    return h * autobp.tensor(mask / (1 - p))


def test_random_draws_are_replayed_in_the_recomputation():
    Ws, bs, x0 = _net(depth=2, width=6)
    x = autobp.tensor(x0)

    def seg(h):
        return _dropout(_layers(Ws, bs, 0, 1)(h)) @ Ws[1]

    np.random.seed(7)
    y = checkpoint(seg, x)
    after_forward = np.random.random()
    (y**2).sum().backward()
    got = _grads(Ws[:2] + bs[:1])
    _clear(Ws + bs)
    np.random.seed(7)
    (seg(x) ** 2).sum().backward()
    assert np.random.random() == after_forward  # the same number of draws: one mask
    _assert_identical(got, _grads(Ws[:2] + bs[:1]), "gradient with dropout")


def test_backward_leaves_the_random_stream_where_it_was():
    Ws, bs, x0 = _net(depth=1)
    np.random.seed(11)
    y = checkpoint(lambda h: _dropout(h @ Ws[0]), autobp.tensor(x0))
    state = np.random.get_state()[1].copy()
    y.sum().backward()
    assert np.array_equal(np.random.get_state()[1], state)


def test_without_preserve_rng_state_the_recomputation_draws_a_new_mask():
    Ws, bs, x0 = _net(depth=1, width=8)
    x = autobp.tensor(x0)

    def run(preserve):
        np.random.seed(5)
        y = checkpoint(lambda h: _dropout(h @ Ws[0]), x, preserve_rng_state=preserve)
        _clear(Ws)
        y.sum().backward()
        return Ws[0].grad.copy()

    np.random.seed(5)
    _dropout(x @ Ws[0]).sum().backward()
    plain = Ws[0].grad.copy()
    assert np.array_equal(run(True), plain)
    assert not np.array_equal(run(False), plain)


def test_several_outputs_and_a_passed_through_input():
    Ws, bs, x0 = _net(depth=2)
    x = autobp.tensor(x0, requires_grad=True)

    def f(h):
        a = (h @ Ws[0]).tanh()
        return a, (a @ Ws[1] + bs[1]).relu(), h  # h handed straight back

    def loss(outs):
        a, r, h = outs
        return (a**2).sum() + (r * 3.0).sum() + (h * h * h).sum()

    ps = [x, Ws[0], Ws[1], bs[1]]
    outs = checkpoint(f, x)
    assert [o.shape for o in outs] == [(4, 5), (4, 5), (4, 5)]
    loss(outs).backward()
    got = _grads(ps)
    _clear(ps)
    loss(f(x)).backward()
    _assert_identical(got, _grads(ps), "gradient of several outputs")


def test_a_captured_tensor_computed_from_an_argument_is_counted_once():
    """T = 2 x is captured and x is passed too: the gradient reaches x through T by the outer graph
    and directly through the segment, once each (a recomputation that walked on past T into the
    outer graph would count the path through T twice, or free it)."""
    x = autobp.tensor(np.array([[0.5, -1.0], [2.0, 0.25]]), requires_grad=True)
    T = x * 2.0
    y = checkpoint(lambda h: (h * T).tanh(), x)
    y.sum().backward(retain_graph=True)
    got = x.grad.copy()
    x.grad = None
    (x * (x * 2.0)).tanh().sum().backward()
    np.testing.assert_array_equal(got, x.grad)


def test_nested_checkpoints_and_a_keyword_tensor_get_the_plain_gradients():
    rng = np.random.default_rng(6)
    W0, W1 = (autobp.tensor(rng.standard_normal((4, 4)), requires_grad=True) for _ in range(2))
    scale = autobp.tensor(np.full(4, 1.5), requires_grad=True)  # passed by keyword: found as it is used
    x = autobp.tensor(rng.standard_normal((3, 4)), requires_grad=True)

    def inner(h, W):
        return (h @ W).tanh()

    def outer(h, scale=None):
        h = checkpoint(inner, h, W0)
        return checkpoint(lambda a: inner(a, W1), h) * scale

    ps = [x, W0, W1, scale]
    (checkpoint(outer, x, scale=scale) ** 2).sum().backward()
    got = _grads(ps)
    _clear(ps)
    ((inner(inner(x, W0), W1) * scale) ** 2).sum().backward()
    _assert_identical(got, _grads(ps), "gradient through nested checkpoints")


def test_retain_graph_allows_a_second_backward():
    Ws, bs, x0 = _net(depth=3)
    y = checkpoint(_layers(Ws, bs, 0, 3), autobp.tensor(x0)).sum()
    y.backward(retain_graph=True)
    once = _grads(Ws)
    y.backward()
    _assert_identical(_grads(Ws), [2.0 * g for g in once], "doubled gradient")


def test_the_forward_pass_keeps_no_intermediate():
    Ws, bs, x0 = _net(depth=2)
    seen = []

    def seg(h):
        mid = (h @ Ws[0] + bs[0]).relu()
        seen.append(weakref.ref(mid))
        return mid @ Ws[1]

    x = autobp.tensor(x0)
    kept = seg(x)  # without checkpoint the graph holds the intermediate
    gc.collect()
    assert seen[0]() is not None
    y = checkpoint(seg, x)
    gc.collect()
    assert seen[1]() is None
    del kept
    y.sum().backward()
    assert all(W.grad is not None for W in Ws[:2])


def test_under_no_grad_it_is_a_plain_call():
    Ws, bs, x0 = _net(depth=2)
    with autobp.no_grad():
        y = checkpoint(_layers(Ws, bs, 0, 2), autobp.tensor(x0))
    assert not y.requires_grad
    np.testing.assert_array_equal(y.data, _layers(Ws, bs, 0, 2)(autobp.tensor(x0)).data)


def test_an_earlier_on_make_hook_still_runs_and_is_restored():
    calls = []
    before = hooks.on_make
    hooks.on_make = lambda t, op, parents: calls.append(op)
    try:
        mine = hooks.on_make
        Ws, bs, x0 = _net(depth=1)
        checkpoint(lambda h: (h @ Ws[0]).tanh(), autobp.tensor(x0)).sum().backward()
        assert hooks.on_make is mine
    finally:
        hooks.on_make = before
    assert calls.count("tanh") == 2  # the forward pass and the recomputation
    assert Ws[0].grad is not None


def test_works_under_anomaly_detection():
    Ws, bs, x0 = _net(depth=2)
    with autobp.detect_anomaly():
        checkpoint(_layers(Ws, bs, 0, 2), autobp.tensor(x0)).sum().backward()
    got = _grads(Ws[:2])
    _clear(Ws)
    _layers(Ws, bs, 0, 2)(autobp.tensor(x0)).sum().backward()
    _assert_identical(got, _grads(Ws[:2]), "gradient under detect_anomaly")


def test_any_output_structure_as_pytorchs_non_reentrant_checkpoint():
    """Non-Tensor outputs come back as fn gave them; Tensors in nested dicts, lists and tuples are
    recorded and differentiate as without checkpointing (compared with torch's checkpoint)."""
    torch = pytest.importorskip("torch")
    from torch.utils.checkpoint import checkpoint as torch_checkpoint

    def fn(h):
        return {"a": h * 2.0, "b": [h * h, "label", None], "c": (3.0,)}

    x, tx = autobp.tensor([1.0, 2.0], requires_grad=True), torch.tensor([1.0, 2.0], requires_grad=True)
    r, tr = checkpoint(fn, x), torch_checkpoint(fn, tx, use_reentrant=False)
    assert r["b"][1:] == tr["b"][1:] == ["label", None] and r["c"] == tr["c"] == (3.0,)
    (r["a"].sum() + (r["b"][0] * r["a"]).sum()).backward()
    (tr["a"].sum() + (tr["b"][0] * tr["a"]).sum()).backward()
    np.testing.assert_allclose(x.grad, tx.grad.numpy())
    assert checkpoint(lambda h: 3.0, x) == torch_checkpoint(lambda h: 3.0, tx, use_reentrant=False) == 3.0
    assert checkpoint(lambda h: (), x) == torch_checkpoint(lambda h: (), tx, use_reentrant=False) == ()
    got = checkpoint(lambda h: (h * 2.0, None), x)
    assert got[1] is None and got[0].requires_grad


def test_a_non_callable_is_refused():
    with pytest.raises(TypeError, match="must be callable, got Tensor"):
        checkpoint(autobp.tensor([1.0]), autobp.tensor([1.0]))


def test_a_recomputation_that_differs_from_the_forward_pass_is_an_error():
    W = autobp.tensor(np.ones((3, 3)), requires_grad=True)
    sizes = iter([2, 1])

    def f(h):
        return h[: next(sizes)] @ W

    y = checkpoint(f, autobp.tensor(np.ones((2, 3))))
    with pytest.raises(
        RuntimeError, match=r"gave outputs \(1, 3\) float64.*forward pass gave \(2, 3\) float64"
    ):
        y.sum().backward()


def test_an_argument_modified_in_place_before_backward_is_an_error():
    x = autobp.tensor(np.ones((2, 2)), requires_grad=True)
    h = x * 1.0
    y = checkpoint(lambda a: a.tanh(), h)
    with autobp.no_grad():
        h.data[...] = 5.0
        h += 0.0  # recorded as a write
    with pytest.raises(RuntimeError, match="modified in place"):
        y.sum().backward()


def test_integer_outputs_come_back_as_constants():
    x = autobp.tensor(np.array([1.5, -2.0]), requires_grad=True)
    y, n = checkpoint(lambda h: (h * 2.0, autobp.tensor(np.array([3, 4]), dtype=np.int64)), x)
    assert y.requires_grad and not n.requires_grad and n.dtype.kind == "i"
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, [2.0, 2.0])


def test_tensor_is_exported():
    assert autobp.checkpoint is checkpoint and "checkpoint" in autobp.__all__
    assert isinstance(checkpoint(lambda h: h * 2.0, Tensor([1.0], requires_grad=True)), Tensor)
