"""autobp.graph.saved_tensors_hooks / save_on_cpu / disable_saved_tensors_hooks: the same code runs on
autobp and on torch; pack/unpack counts, grad modes and the gradients (which use what unpack returns)
are compared."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")

A = np.array([0.5, -1.25, 2.0])
B = np.array([1.5, 0.75, -0.4])


def leaf(lib, v, requires_grad=True):
    return lib.tensor(np.array(v, dtype=np.float64), requires_grad=requires_grad)


def val(x):
    if isinstance(x, torch.Tensor):
        return x.detach().numpy()
    return np.asarray(getattr(x, "_data", x))


def graph(lib):
    return lib.autograd.graph


def check_both(run):
    mine, theirs = run(autobp), run(torch)
    assert len(mine) == len(theirs)
    for m, t in zip(mine, theirs):
        if isinstance(t, (int, float, bool, str, tuple, list)) or t is None:
            assert m == t
        else:
            np.testing.assert_allclose(val(m), val(t), rtol=1e-12, atol=1e-12)


def counting(lib, scale_pack=1.0, scale_unpack=1.0):
    counts = {"pack": 0, "unpack": 0, "modes": []}

    def pack(x):
        counts["pack"] += 1
        counts["modes"].append(("pack", lib.is_grad_enabled()))
        return x * scale_pack

    def unpack(x):
        counts["unpack"] += 1
        counts["modes"].append(("unpack", lib.is_grad_enabled()))
        return x * scale_unpack

    return counts, graph(lib).saved_tensors_hooks(pack, unpack)


def test_mul_saves_only_what_its_gradient_needs_and_unpacks_once_per_backward():
    def run(lib):
        x, y = leaf(lib, A), leaf(lib, B, requires_grad=False)
        counts, hooks = counting(lib)
        with hooks:
            out = (x * y).sum()
            after_forward = counts["pack"], counts["unpack"]
            out.backward(retain_graph=True)
            after_one = counts["pack"], counts["unpack"]
            out.backward()
        return after_forward, after_one, (counts["pack"], counts["unpack"]), counts["modes"], x.grad

    check_both(run)


def test_the_gradient_uses_what_unpack_returns():
    def run(lib):
        a, b = leaf(lib, A), leaf(lib, B)
        _, hooks = counting(lib, scale_pack=3.0, scale_unpack=0.5)
        with hooks:
            y = (a * b).sum() + a.sin().sum()
        y.backward()
        return a.grad, b.grad

    check_both(run)


def test_innermost_hooks_win():
    def run(lib):
        a, b = leaf(lib, A), leaf(lib, B)
        g = graph(lib)
        with g.saved_tensors_hooks(lambda x: 3 * x, lambda x: 3 * x):
            with g.saved_tensors_hooks(lambda x: 5 * x, lambda x: 5 * x):
                y = a * a
            z = b * b
        y.sum().backward()
        z.sum().backward()
        return a.grad, b.grad

    check_both(run)


@pytest.mark.parametrize("where", ["forward", "backward", "both"])
def test_double_backward_with_hooks(where):
    def run(lib):
        g = graph(lib)
        a = leaf(lib, A)
        hooks = g.saved_tensors_hooks(lambda x: 2 * x, lambda x: x)
        if where != "backward":
            with hooks:
                y = (a**3).sum()
        else:
            y = (a**3).sum()
        if where != "forward":
            with g.saved_tensors_hooks(lambda x: 2 * x, lambda x: x):
                (d,) = lib.autograd.grad(y, (a,), create_graph=True)
                d.sum().backward()
        else:
            (d,) = lib.autograd.grad(y, (a,), create_graph=True)
            d.sum().backward()
        return d, a.grad

    check_both(run)  # the unpacked 2a takes a's place in the graph (PyTorch: 6*2a, 6*4a, 6*8a)


def test_pack_and_unpack_errors_propagate():
    class Boom(Exception):
        pass

    def boom(x):
        raise Boom("hook")

    for lib in (autobp, torch):
        g = graph(lib)
        a = leaf(lib, A)
        with g.saved_tensors_hooks(boom, lambda x: x):
            with pytest.raises(Boom):
                lib.sin(a)
        with g.saved_tensors_hooks(lambda x: x, boom):
            out = lib.sin(a).sum()
            with pytest.raises(Boom):
                out.backward()


def test_numbers_next_to_a_tensor_are_not_packed():
    def err(x):
        raise RuntimeError("this hook should not be called")

    for lib in (autobp, torch):
        with graph(lib).saved_tensors_hooks(err, err):
            a = leaf(lib, A)
            out = (a * 3).sum() + (a + 2).sum() - (a / 4).sum()
            lib.autograd.grad(out, (a,))


def test_disable_saved_tensors_hooks_refuses_them_with_its_message():
    for lib in (autobp, torch):
        g = graph(lib)
        with g.disable_saved_tensors_hooks("no hooks here"):
            with pytest.raises(RuntimeError, match="no hooks here"):
                with g.saved_tensors_hooks(lambda x: x, lambda x: x):
                    pass
        with g.saved_tensors_hooks(lambda x: x, lambda x: x):  # allowed again afterwards
            pass


def test_save_on_cpu_gives_the_same_gradients():
    def run(lib):
        a = leaf(lib, A)
        with graph(lib).save_on_cpu():
            y = (a.pow(2).exp() * a).sum()
        y.backward()
        return (a.grad,)

    check_both(run)


def test_ops_outside_any_context_are_not_hooked():
    from autobp._graph import hooks

    g = graph(autobp)
    before = hooks.on_make
    with g.saved_tensors_hooks(lambda x: x, lambda x: x):
        assert hooks.on_make is not before
    assert hooks.on_make is before
    a = leaf(autobp, A)
    assert (a * a)._retains_grad is False


def test_a_custom_function_reads_its_unpacked_saved_input():
    def run(lib):
        class Square(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x * x

            @staticmethod
            def backward(ctx, g):
                (x,) = ctx.saved_tensors
                return 2 * x * g

        counts, hooks = counting(lib, scale_unpack=2.0)
        a = leaf(lib, A)
        with hooks:
            y = Square.apply(a).sum()
        y.backward()
        return counts["pack"], counts["unpack"], a.grad

    check_both(run)


def test_an_inplace_write_keeps_what_its_op_packed():
    def run(lib):
        counts, hooks = counting(lib, scale_unpack=2.0)
        a = leaf(lib, A)
        with hooks:
            y = a * 1.0
            y.sin_()
        y.sum().backward()
        return counts["pack"], counts["unpack"], a.grad

    check_both(run)


def test_a_write_after_the_context_leaves_the_packed_inputs_with_the_former_node():
    def run(lib):
        counts, hooks = counting(lib, scale_unpack=2.0)
        a, b = leaf(lib, A), leaf(lib, B)
        with hooks:
            y = a.sin()  # packs a
        y.mul_(b)  # recorded outside: the sin node keeps its packed a, mul packs nothing
        y.sum().backward()
        return counts["pack"], counts["unpack"], a.grad, b.grad

    check_both(run)
