"""Module backward hooks (register_full_backward_hook / _pre_hook, the global ones) against PyTorch's:
order of calls, the gradients they see, replaced gradients, several inputs and outputs, removal."""

import warnings

import numpy as np
import pytest

import autobp
from autobp import Tensor, nn

torch = pytest.importorskip("torch")

rng = np.random.default_rng(5)
W1, B1 = rng.standard_normal((4, 3)), rng.standard_normal(4)
W2, B2 = rng.standard_normal((2, 4)), rng.standard_normal(2)
X = rng.standard_normal((5, 3))
WEIGHT = rng.standard_normal((5, 2))


def _arr(t):
    """A hook's gradient entry as an array (None stays None), from either library."""
    if t is None:
        return None
    return t.detach().numpy().copy() if isinstance(t, torch.Tensor) else np.array(t.data)


def _net(lib):
    """Sequential(Linear(3, 4), Tanh, Linear(4, 2)) with the same weights in either library."""
    net = lib.Sequential(lib.Linear(3, 4), lib.Tanh(), lib.Linear(4, 2))
    if lib is torch.nn:
        net = net.double()
    state = {"0.weight": W1, "0.bias": B1, "2.weight": W2, "2.bias": B2}
    net.load_state_dict({k: torch.tensor(v) if lib is torch.nn else v for k, v in state.items()})
    return net


def _leaf(lib, a, requires_grad=True):
    make = torch.tensor if lib is torch.nn else Tensor
    return make(a, requires_grad=requires_grad)


def _backward(lib, out):
    w = torch.tensor(WEIGHT) if lib is torch.nn else Tensor(WEIGHT)
    (out * w).sum().backward()


def _grads(lib, net, x):
    params = [p.grad for p in net.parameters()]
    return [_arr(x.grad)] + [_arr(torch.as_tensor(g) if lib is torch.nn else Tensor(g)) for g in params]


def _program(lib, replace):
    """Hooks on the container and on each child; returns the call log (with the gradients seen)
    and the gradients of the input and the parameters."""
    net, log = _net(lib), []

    def pre(name):
        def hook(m, grad_output):
            log.append((name, "pre", [_arr(g) for g in grad_output]))
            if replace and name == "2":
                return tuple(2 * g for g in grad_output)

        return hook

    def full(name):
        def hook(m, grad_input, grad_output):
            log.append((name, "full", [_arr(g) for g in grad_input], [_arr(g) for g in grad_output]))
            if replace and name == "1":
                return tuple(g * 0.5 + 1 for g in grad_input)

        return hook

    for name, m in [("net", net), ("0", net[0]), ("1", net[1]), ("2", net[2])]:
        m.register_full_backward_pre_hook(pre(name))
        m.register_full_backward_hook(full(name))
    net.register_full_backward_hook(lambda m, gi, go, log=log: log.append(("net", "first")), prepend=True)
    net[2].register_full_backward_pre_hook(
        lambda m, go, log=log: log.append(("2", "pre first")), prepend=True
    )
    x = _leaf(lib, X)
    _backward(lib, net(x))
    return log, _grads(lib, net, x)


def _same_log(ours, theirs):
    assert [e[:2] for e in ours] == [e[:2] for e in theirs]
    for a, b in zip(ours, theirs):
        for xs, ys in zip(a[2:], b[2:]):
            assert len(xs) == len(ys)
            for x, y in zip(xs, ys):
                assert (x is None) == (y is None)
                if x is not None:
                    np.testing.assert_allclose(x, y, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("replace", [False, True])
def test_hooks_on_a_sequential_and_its_layers_match_torch(replace):
    ours, ours_grads = _program(nn, replace)
    theirs, theirs_grads = _program(torch.nn, replace)
    _same_log(ours, theirs)
    order = [e[:2] for e in ours]
    assert order[:3] == [("net", "pre"), ("2", "pre first"), ("2", "pre")]
    assert order[-2:] == [("net", "first"), ("net", "full")]  # the container's hook runs last
    for a, b in zip(ours_grads, theirs_grads):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


class _Many:
    """forward(x, y, k, z) -> (x * y * k, y.sum() * z, x detached, "text"), for either library."""

    @staticmethod
    def make(lib):
        class Many(lib.Module):
            def forward(self, x, y, k, z):
                return x * y * k, (y * z).sum(), x.detach(), "text"

        return Many()


@pytest.mark.parametrize(
    "y_grad, use", [(True, "first"), (True, "second"), (True, "both"), (False, "first"), (False, "both")]
)
def test_several_inputs_and_outputs_match_torch(y_grad, use):
    results = []
    for lib in (nn, torch.nn):
        m, log = _Many.make(lib), []
        m.register_full_backward_pre_hook(lambda mod, go, log=log: log.append([_arr(g) for g in go]))
        m.register_full_backward_hook(
            lambda mod, gi, go, log=log: log.append([_arr(g) for g in gi]) or (gi[0] * 3, gi[1], None, gi[3])
        )
        x, y, z = _leaf(lib, X[0]), _leaf(lib, X[1], y_grad), _leaf(lib, X[2, :1], False)
        a, b, c, s = m(x, y, 2.0, z)
        assert s == "text" and not c.requires_grad
        loss = {"first": a.sum(), "second": b * 1.0, "both": (a * a).sum() + b}[use]
        loss.backward()
        results.append((log, _arr(x.grad), _arr(y.grad) if y_grad else None))
    (ours, ox, oy), (theirs, tx, ty) = results
    assert len(ours) == len(theirs) == 2
    for xs, ys in zip(ours, theirs):
        assert len(xs) == len(ys)
        for u, v in zip(xs, ys):
            assert (u is None) == (v is None)
            if u is not None:
                np.testing.assert_allclose(u, v, rtol=1e-13)
    for u, v in ((ox, tx), (oy, ty)):
        assert (u is None) == (v is None)
        if u is not None:
            np.testing.assert_allclose(u, v, rtol=1e-13)


def test_a_module_whose_inputs_need_no_gradient_calls_its_hooks_with_none():
    grad_outputs = []
    for lib in (nn, torch.nn):
        net, seen = _net(lib), []
        net[0].register_full_backward_hook(lambda m, gi, go, seen=seen: seen.append((gi, _arr(go[0]))))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            _backward(lib, net(_leaf(lib, X, requires_grad=False)))
        assert any("no inputs require gradients" in str(w.message) for w in caught)
        assert len(seen) == 1 and seen[0][0] == (None,)
        grad_outputs.append(seen[0][1])
    np.testing.assert_allclose(grad_outputs[0], grad_outputs[1], rtol=1e-12)
    net = _net(nn)
    net[0].register_full_backward_hook(lambda m, gi, go: (Tensor(np.ones((5, 3))),))
    with pytest.raises(RuntimeError, match="should always return None"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _backward(nn, net(X))


def test_removal_and_hooks_captured_at_forward_time_match_torch():
    counts = []
    for lib in (nn, torch.nn):
        layer, calls = _net(lib)[0], []
        h1 = layer.register_full_backward_hook(lambda m, gi, go, calls=calls: calls.append("full"))
        h2 = layer.register_full_backward_pre_hook(lambda m, go, calls=calls: calls.append("pre"))
        x = _leaf(lib, X)
        out = layer(x)
        h1.remove()  # after the forward: PyTorch still runs it for this graph
        out.sum().backward()
        h2.remove()
        layer(x).sum().backward()
        counts.append(calls)
    assert counts[0] == counts[1] == ["pre", "full"]


def test_global_backward_hooks_run_before_the_modules_own_and_leave_no_cost_behind():
    from autobp.nn.modules.module import (
        register_module_full_backward_hook,
        register_module_full_backward_pre_hook,
    )

    plain_call = nn.Module.__dict__["__call__"]
    logs = []
    for lib, reg, reg_pre in [
        (nn, register_module_full_backward_hook, register_module_full_backward_pre_hook),
        (
            torch.nn,
            torch.nn.modules.module.register_module_full_backward_hook,
            torch.nn.modules.module.register_module_full_backward_pre_hook,
        ),
    ]:
        net, log = _net(lib), []
        net[2].register_full_backward_hook(lambda m, gi, go, log=log: log.append("own"))
        handles = [
            reg(lambda m, gi, go, log=log: log.append(("global", type(m).__name__))),
            reg_pre(lambda m, go, log=log: log.append(("global pre", type(m).__name__))),
        ]
        try:
            _backward(lib, net(_leaf(lib, X)))
        finally:
            for h in handles:
                h.remove()
        logs.append(log)
    assert logs[0] == logs[1]
    assert logs[0].index(("global", "Linear")) < logs[0].index("own")
    assert nn.Module.__dict__["__call__"] is plain_call  # the fast path is back


def test_replacements_are_checked():
    layer = _net(nn)[0]
    h = layer.register_full_backward_hook(lambda m, gi, go: (gi[0], gi[0]))
    with pytest.raises(RuntimeError, match="invalid number of grad_input, got 2, but expected 1"):
        layer(Tensor(X, requires_grad=True)).sum().backward()
    h.remove()
    h = layer.register_full_backward_pre_hook(lambda m, go: (np.ones((2, 2)),))
    with pytest.raises(RuntimeError, match=r"changed the size of grad_output\[0\].*\(5, 4\).*\(2, 2\)"):
        layer(Tensor(X, requires_grad=True)).sum().backward()
    h.remove()
    layer.register_full_backward_pre_hook(lambda m, go: "wrong")
    with pytest.raises(TypeError, match="must return None or a tuple"):
        layer(Tensor(X, requires_grad=True)).sum().backward()
    with pytest.raises(TypeError, match="must be callable"):
        layer.register_full_backward_hook(3)


def test_hooked_modules_keep_their_gradients_and_second_order():
    net = _net(nn)
    for m in net.modules():
        m.register_full_backward_hook(lambda m, gi, go: None)
        m.register_full_backward_pre_hook(lambda m, go: None)
    x = Tensor(X[:2], requires_grad=True)
    assert autobp.gradcheck(lambda x: net(x), x)
    assert autobp.gradgradcheck(lambda x: net(x), x)
    # under create_graph the hooks see graph Tensors, and a replacement stays differentiable
    layer, seen = _net(nn)[1], []
    layer.register_full_backward_hook(
        lambda m, gi, go, seen=seen: seen.append(gi[0].requires_grad) or (gi[0] * gi[0],)
    )
    (g,) = autobp.grad(layer(x).sum(), [x], create_graph=True)
    assert seen == [True]
    t = np.tanh(X[:2])
    np.testing.assert_allclose(g.data, (1 - t * t) ** 2, rtol=1e-13)
    (gg,) = autobp.grad(g.sum(), [x])
    np.testing.assert_allclose(gg, 2 * (1 - t * t) * (-2 * t * (1 - t * t)), rtol=1e-12)


def test_lstm_output_tuple_and_no_hooks_under_no_grad():
    lstm, seen = nn.LSTM(3, 2, rng=0), []
    lstm.register_full_backward_pre_hook(lambda m, go, seen=seen: seen.append([g is None for g in go]))
    out, (h, c) = lstm(Tensor(X[:, None, :], requires_grad=True))
    out.sum().backward()
    assert seen == [[False, True]]  # (output, (h, c)): the nested tuple is not a Tensor, as in PyTorch
    with autobp.no_grad():
        out, _ = lstm(Tensor(X[:, None, :], requires_grad=True))
    assert out.grad_fn is None


def test_a_module_called_twice_with_a_forward_hook_matches_torch():
    logs = []
    for lib in (nn, torch.nn):
        layer, log = lib.Linear(2, 2, bias=False), []
        layer = layer.double() if lib is torch.nn else layer
        w = np.array([[0.5, -1.0], [2.0, 0.25]])
        layer.load_state_dict({"weight": torch.tensor(w) if lib is torch.nn else w})
        layer.register_full_backward_hook(lambda m, gi, go, log=log: log.append([_arr(gi[0]), _arr(go[0])]))
        layer.register_forward_hook(lambda m, args, out: out * 2)  # the hooked output is the doubled one
        x = _leaf(lib, X[:, :2])
        (layer(layer(x).tanh()) ** 2).sum().backward()
        logs.append(log + [[_arr(x.grad)]])
    assert len(logs[0]) == len(logs[1]) == 3  # one call of the hook per call of the module
    for ours, theirs in zip(*logs):
        for a, b in zip(ours, theirs):
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)
