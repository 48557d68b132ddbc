"""autobp.graph.queue_callback, register_multi_grad_hook and Tensor.set_, run side by side with torch."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")

A = np.array([0.5, -1.25, 2.0])


def leaf(lib, v=A):
    return lib.tensor(np.array(v, dtype=np.float64), requires_grad=True)


def val(x):
    if x is None:
        return None
    if isinstance(x, torch.Tensor):
        return x.detach().numpy().tolist()
    return np.asarray(getattr(x, "_data", x)).tolist()


def queue(lib):
    """autobp.graph.queue_callback; torch 2.13 spells it Variable._execution_engine.queue_callback."""
    if lib is torch:
        return torch.autograd.Variable._execution_engine.queue_callback
    return lib.autograd.graph.queue_callback


def test_queue_callback_runs_once_at_the_end_of_the_pass_in_order():
    def run(lib):
        q = queue(lib)
        log = []
        a = leaf(lib)
        b = a * 2
        b.register_hook(lambda _: q(lambda: log.append(("cb1", val(a.grad)))))
        b.register_hook(lambda _: q(lambda: log.append(("cb2", val(a.grad)))))
        a.register_hook(lambda gr: log.append(("a hook", val(gr))))
        b.sum().backward()
        return log

    assert run(autobp) == run(torch)  # after a's hook, with a.grad filled


LIBS = pytest.mark.parametrize("lib", [autobp, torch], ids=["autobp", "torch"])


@LIBS
def test_queue_callback_in_autograd_grad_and_outside_backward(lib):
    q = queue(lib)
    ran = []
    a = leaf(lib)
    b = a.exp()
    b.register_hook(lambda _: q(lambda: ran.append(1)))
    lib.autograd.grad(b.sum(), (a,))
    assert ran == [1]
    with pytest.raises(RuntimeError, match="during backward"):
        q(lambda: None)


@LIBS
def test_a_failed_pass_drops_its_callbacks(lib):
    q = queue(lib)
    ran = []
    a = leaf(lib)
    b = a * 3

    def bad(_):
        q(lambda: ran.append(1))
        raise ValueError("stop")

    b.register_hook(bad)
    with pytest.raises(ValueError):
        b.sum().backward()
    assert ran == []


def multi_log(lib, mode, inputs):
    log = []
    a, b = leaf(lib), leaf(lib, [1.0, 2.0, 3.0])
    x, y = a * 2, b.sin()
    h = lib.autograd.graph.register_multi_grad_hook(
        (x, y),
        lambda gs: log.append(("multi", [val(v) for v in gs] if mode == "all" else val(gs))),
        mode=mode,
    )
    x.register_hook(lambda gr: log.append(("x", val(gr))))
    y.register_hook(lambda gr: log.append(("y", val(gr))))
    loss = (x * y).sum()
    if inputs:
        loss.backward(inputs=[b])
    else:
        loss.backward(retain_graph=True)
        loss.backward()  # fires again: once per pass
    h.remove()
    (a * 2 + b).sum().backward()
    return log


@pytest.mark.parametrize("inputs", [False, True], ids=["all_inputs", "only_b"])
def test_multi_grad_hook_any_fires_once_per_pass_with_the_first_gradient(inputs):
    assert multi_log(autobp, "any", inputs) == multi_log(torch, "any", inputs)


@pytest.mark.parametrize("inputs", [False, True], ids=["all_inputs", "only_b"])
def test_multi_grad_hook_all_gets_every_gradient_once_per_pass(inputs):
    mine, theirs = multi_log(autobp, "all", inputs), multi_log(torch, "all", inputs)
    # autobp calls it at the end of the pass, PyTorch as soon as the last one is computed: same calls
    assert sorted(mine, key=str) == sorted(theirs, key=str)
    assert [e for e in mine if e[0] == "multi"] == [e for e in theirs if e[0] == "multi"]


def test_multi_grad_hook_bad_mode():
    for lib in (autobp, torch):
        t = leaf(lib)
        with pytest.raises(ValueError, match=r"Expects mode to be one of \('all', 'any'\) but got foo"):
            lib.autograd.graph.register_multi_grad_hook((t,), lambda _: None, mode="foo")


def test_set_shares_memory_shape_and_bumps_the_version():
    def run(lib):
        b = lib.zeros(4, dtype=lib.float64)
        v = b[1:]
        s = lib.arange(3.0, dtype=lib.float64)
        b.set_(s)
        s[0] = 7.0
        c = lib.zeros(2, 3, dtype=lib.float64).set_(lib.ones(6, dtype=lib.float64), 0, (3, 2), (2, 1))
        e = lib.zeros(2, dtype=lib.float64).set_()
        return val(b), val(v), b._version, tuple(c.shape), tuple(e.shape)

    assert run(autobp) == run(torch)


def test_set_resizes_a_parameter_under_no_grad():
    def run(lib):
        p = lib.nn.Parameter(lib.ones(16, dtype=lib.float64))
        shapes = []
        for _ in range(2):
            with lib.no_grad():
                p.set_(p[1:])
                p.grad = None
            m = lib.cat((p, p))
            (m * m).sum().backward()
            shapes.append((tuple(p.shape), val(p.grad)))
        p.data[0] = 5.0  # still its own memory after the views were cut loose
        return shapes, val(p)[:2]

    assert run(autobp) == run(torch)


def test_set_refusals():
    for lib in (autobp, torch):
        p = leaf(lib)
        with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
            p.set_(lib.zeros(2, dtype=lib.float64))
        with pytest.raises(RuntimeError, match="Could not set tensor of type"):
            lib.zeros(2, dtype=lib.float64).set_(lib.ones(2, dtype=lib.float32))
    with pytest.raises(RuntimeError, match="out of bounds for storage of size 6"):
        autobp.zeros(2).set_(autobp.ones(6), 1, (3, 2))
    with pytest.raises(RuntimeError, match="requires grad"):  # autobp: not differentiable
        autobp.zeros(3).set_(leaf(autobp) * 2)
