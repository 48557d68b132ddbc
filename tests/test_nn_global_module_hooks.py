"""PyTorch's global module hooks (forward pre/forward, backward, registration hooks), ``always_call``
forward hooks and the older ``register_backward_hook``, each compared with torch's behaviour."""

import numpy as np
import pytest

import autobp
import autobp.nn as nn
from autobp.nn.modules import module as gmod

torch = pytest.importorskip("torch")


def _run(lib, register, x):
    """Output and input gradient of a Sigmoid under the global hooks that ``register`` adds."""
    handles = register(lib)
    try:
        m = lib.nn.Sigmoid()
        inp = lib.tensor(x, requires_grad=True) if lib is torch else autobp.tensor(x, requires_grad=True)
        out = m(inp)
        out.backward(lib.ones_like(out) * 2 if lib is torch else autobp.ones_like(out) * 2)
        return out.detach().numpy(), inp.grad.numpy() if lib is torch else np.asarray(inp.grad)
    finally:
        for h in handles:
            h.remove()


def _hooks(lib):
    mm = lib.nn.modules.module
    return [
        mm.register_module_forward_pre_hook(lambda m, a: (lib.nn.functional.relu(a[0]),)),
        mm.register_module_forward_hook(lambda m, a, o: -o),
        mm.register_module_full_backward_hook(lambda m, gi, go: tuple(g * 3 for g in gi)),
    ]


def test_global_forward_and_backward_hooks_change_values_as_torch():
    x = np.array([[-1.0, 0.5], [2.0, -0.25]])
    out, grad = _run(autobp, _hooks, x)
    t_out, t_grad = _run(torch, _hooks, x)
    np.testing.assert_allclose(out, t_out)
    np.testing.assert_allclose(grad, t_grad)
    assert not gmod._global_forward_hooks and not gmod._global_backward_hooks  # removed again
    y = autobp.tensor(x)
    np.testing.assert_allclose(nn.Sigmoid()(y).numpy(), torch.sigmoid(torch.tensor(x)).numpy())


def test_global_hooks_run_before_the_modules_own_as_torch():
    def order(lib):
        calls = []
        m = lib.nn.Sigmoid()
        mm = lib.nn.modules.module
        handles = [
            m.register_forward_pre_hook(lambda *a: calls.append("local pre")),
            mm.register_module_forward_pre_hook(lambda *a: calls.append("global pre")),
            m.register_forward_hook(lambda *a: calls.append("local post")),
            mm.register_module_forward_hook(lambda *a: calls.append("global post")),
        ]
        m(lib.ones(2))
        for h in handles:
            h.remove()
        return calls

    assert order(autobp) == order(torch)


def test_always_call_forward_hook_runs_when_forward_raises_as_torch():
    def run(lib):
        seen = []

        class Fails(lib.nn.Module):
            def forward(self, x):
                raise RuntimeError("failing in forward")

        m = Fails()
        h = m.register_forward_hook(lambda mod, a, o: seen.append(o), always_call=True)
        with pytest.raises(RuntimeError, match="failing in forward"):
            m(lib.ones(1))
        assert len(m._forward_hooks_always_called) == 1
        h.remove()
        assert len(m._forward_hooks_always_called) == 0
        m.register_forward_hook(lambda mod, a, o: seen.append("plain"))
        with pytest.raises(RuntimeError):
            m(lib.ones(1))
        return seen

    assert run(autobp) == run(torch) == [None]


@pytest.mark.parametrize("kind", ["buffer", "parameter", "module"])
def test_registration_hooks_see_and_may_replace_as_torch(kind):
    def run(lib):
        seen = []

        def hook(module, name, value):
            seen.append(name)
            value.marked = True
            return value

        register = getattr(lib.nn.modules.module, f"register_module_{kind}_registration_hook")
        with register(hook):
            m = lib.nn.Sequential(lib.nn.Linear(2, 2), lib.nn.BatchNorm1d(2))
        things = {"buffer": m.buffers, "parameter": m.parameters, "module": m.modules}[kind]
        marked = [getattr(t, "marked", False) for t in things()]
        if kind == "module":
            marked = marked[1:]  # the Sequential itself is registered nowhere
        return seen, marked

    ours, theirs = run(autobp), run(torch)
    assert ours == theirs
    assert all(ours[1])


def test_handle_hooks_dict_ref_and_kwargs_ids_as_torch():
    for lib in (autobp, torch):
        m = lib.nn.Sigmoid()
        h = m.register_forward_hook(lambda *a: None, with_kwargs=True)
        p = m.register_forward_pre_hook(lambda *a: None)
        assert len(h.hooks_dict_ref()) == 1 and h.id in h.hooks_dict_ref()
        assert h.id in m._forward_hooks_with_kwargs and p.id not in m._forward_pre_hooks_with_kwargs
        h.remove()
        assert h.id not in m._forward_hooks_with_kwargs and len(h.hooks_dict_ref()) == 0


def test_register_backward_hook_on_a_one_op_module_gives_torchs_gradients():
    x = np.array([0.3, -1.2, 2.0])

    def run(lib):
        m = lib.nn.Sigmoid()
        got = []
        m.register_backward_hook(lambda mod, gi, go: (got.append(len(gi)), tuple(g * 2 for g in gi))[1])
        t = (torch.tensor if lib is torch else autobp.tensor)(x, requires_grad=True)
        m(t).sum().backward()
        return got, np.asarray(t.grad)

    (n1, g1), (n2, g2) = run(autobp), run(torch)
    assert n1 == n2
    np.testing.assert_allclose(g1, g2)
