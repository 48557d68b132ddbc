"""Tensor.register_post_accumulate_grad_hook, and the Tensors that register_hook's hooks receive: each
case runs the same code on autobp and on torch and compares what the hooks saw and the gradients."""

import numpy as np
import pytest

import autobp
from autobp import Tensor

torch = pytest.importorskip("torch")

X = np.array([[0.5, -1.25, 2.0], [1.5, 0.75, -0.4]])


def both(fn):
    """``fn(lib, make, grad)`` on autobp and on torch; ``make(a)``: a float64 leaf requiring grad."""
    mine = fn(autobp, lambda a: Tensor(np.array(a, dtype=np.float64), requires_grad=True), autobp.grad)
    make = lambda a: torch.tensor(np.array(a, dtype=np.float64), requires_grad=True)  # noqa: E731
    theirs = fn(torch, make, torch.autograd.grad)
    return mine, theirs


def arr(v):
    if isinstance(v, torch.Tensor):
        return v.detach().numpy()
    return np.asarray(v._data if isinstance(v, Tensor) else v)


def same_events(mine, theirs):
    assert [e[0] for e in mine] == [e[0] for e in theirs]
    for a, b in zip(mine, theirs):
        for u, v in zip(a[1:], b[1:]):
            np.testing.assert_allclose(arr(u), arr(v), rtol=1e-12)


def test_order_relative_to_register_hook_and_the_grad_it_sees():
    def run(lib, make, grad):
        x = make(X)
        ev = []
        x.register_hook(lambda g: ev.append(("pre", g.clone())))
        x.register_post_accumulate_grad_hook(lambda t: ev.append(("post", t.grad.clone())))
        x.register_hook(lambda g: ev.append(("pre2", g.clone())) or g * 2)
        x.retain_grad()
        (x * x).sum().backward()
        (x * x).sum().backward()  # the second pass: .grad holds both passes' sum when the hook runs
        return ev, x.grad

    (ev, g), (tev, tg) = both(run)
    same_events(ev, tev)
    np.testing.assert_allclose(g, arr(tg))


def test_the_hook_receives_the_tensor_itself_and_must_return_none():
    def run(lib, make, grad):
        x = make(X)
        seen = []
        x.register_post_accumulate_grad_hook(lambda t: seen.append(t is x))
        (x.sum() * 2).backward()
        y = make(X)
        y.register_post_accumulate_grad_hook(lambda t: t.grad)
        with pytest.raises(RuntimeError, match="post accumulate grad hooks should return None"):
            (y * 1).sum().backward()
        return seen

    mine, theirs = both(run)
    assert mine == theirs == [True]


def test_not_called_by_grad_called_by_backward_with_inputs():
    def run(lib, make, grad):
        x, w = make(X), make(X[0])
        calls = []
        x.register_post_accumulate_grad_hook(lambda t: calls.append(("x", t.grad.clone())))
        w.register_post_accumulate_grad_hook(lambda t: calls.append(("w", t.grad.clone())))
        grad((x * w).sum(), [x, w])
        n_after_grad = len(calls)
        (x * w).sum().backward(inputs=[x])
        return n_after_grad, calls

    (n, calls), (tn, tcalls) = both(run)
    assert n == tn == 0
    same_events(calls, tcalls)


def test_under_create_graph_the_grad_keeps_its_graph():
    def run(lib, make, grad):
        x = make(X)
        seen = []
        x.register_post_accumulate_grad_hook(lambda t: seen.append(t.grad.requires_grad))
        (x**3).sum().backward(create_graph=True)
        first = x.grad
        x.grad = None
        first.sum().backward()
        return seen, first, x.grad

    (seen, first, g), (tseen, tfirst, tg) = both(run)
    assert seen == tseen == [True, False]  # the second pass has no create_graph
    np.testing.assert_allclose(arr(first), arr(tfirst))
    np.testing.assert_allclose(arr(g), arr(tg))


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_an_optimizer_step_per_parameter_inside_backward():
    def run(lib, make, grad):
        w1, w2 = make(X), make(X.T)
        opts = {w: lib.optim.SGD([w], lr=0.1, momentum=0.9) for w in (w1, w2)}

        def step(p):
            opts[p].step()
            opts[p].zero_grad()

        for w in (w1, w2):
            w.register_post_accumulate_grad_hook(step)
        for _ in range(3):
            ((w1 @ w2).tanh() ** 2).sum().backward()
        return w1, w2, w1.grad, w2.grad

    mine, theirs = both(run)
    for a, b in zip(mine[:2], theirs[:2]):
        np.testing.assert_allclose(arr(a), arr(b), rtol=1e-12)
    assert mine[2] is None and mine[3] is None and theirs[2] is None and theirs[3] is None


def test_handle_remove_and_refusals():
    x = Tensor(X, requires_grad=True)
    calls = []
    h1 = x.register_post_accumulate_grad_hook(lambda t: calls.append(1))
    x.register_post_accumulate_grad_hook(lambda t: calls.append(2))
    (x * 1).sum().backward()
    h1.remove()
    (x * 1).sum().backward()
    assert calls == [1, 2, 2]
    with pytest.raises(RuntimeError, match="cannot be registered on non-leaf tensors"):
        (x * 2).register_post_accumulate_grad_hook(lambda t: None)
    with pytest.raises(RuntimeError, match="cannot be registered on non-leaf tensors"):
        (torch.tensor(X, requires_grad=True) * 2).register_post_accumulate_grad_hook(lambda t: None)
    with pytest.raises(RuntimeError, match="doesn't require gradient"):
        Tensor(X).register_post_accumulate_grad_hook(lambda t: None)
    with pytest.raises(TypeError, match="callable"):
        x.register_post_accumulate_grad_hook(3)
    modes = []  # the hook runs with grad mode off, as PyTorch's
    y = Tensor(X, requires_grad=True)
    y.register_post_accumulate_grad_hook(lambda t: modes.append(autobp.is_grad_enabled()))
    (y * 1).sum().backward()
    assert modes == [False]


def test_register_hook_receives_a_tensor_without_graph_and_may_return_one():
    def run(lib, make, grad):
        x = make(X)
        kinds = []
        y = x * 3.0
        y.register_hook(lambda g: kinds.append((type(g).__name__, g.requires_grad)) or g * x)
        x.register_hook(lambda g: g + 1.0)
        (y * y).sum().backward()
        return kinds, x.grad

    (kinds, g), (tkinds, tg) = both(run)
    assert kinds == tkinds == [("Tensor", False)]
    np.testing.assert_allclose(arr(g), arr(tg), rtol=1e-12)
