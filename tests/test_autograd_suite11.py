"""Gaps found by the rest of PyTorch's test_autograd.py (tenth session): each checked against torch."""

import functools

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")


def _add_into(lib):
    """A custom Function (of ``lib``: autobp or torch) adding ``y`` into ``x`` in place, marked dirty."""

    class AddInto(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            ctx.mark_dirty(x)
            x.add_(y)
            return x

        @staticmethod
        def backward(ctx, grad):
            return grad, grad

    return AddInto


@pytest.mark.parametrize("lib", [autobp, torch], ids=["autobp", "torch"])
def test_mark_dirty_on_a_view_of_a_view_writes_through_gradcheck(lib):
    # was: the base never saw the Function's write, so b got no gradient (gradcheck failed)
    add_into = _add_into(lib)

    def func(root, b):
        x = root.clone()
        add_into.apply(x.narrow(1, 2, 2).narrow(0, 1, 2), b)
        add_into.apply(x.narrow(1, 0, 2).narrow(0, 1, 2), b)
        return x

    rng = np.random.default_rng(0)
    a = lib.tensor(rng.standard_normal((4, 4)), requires_grad=True)
    b = lib.tensor(rng.standard_normal((2, 2)), requires_grad=True)
    check = autobp.gradcheck if lib is autobp else torch.autograd.gradcheck
    assert check(func, (a, b))


def test_mark_dirty_on_a_view_gradients_match_torch():
    rng = np.random.default_rng(1)
    a0, b0, w0 = rng.standard_normal((4, 4)), rng.standard_normal((2, 2)), rng.standard_normal((4, 4))

    def run(lib):
        add_into = _add_into(lib)
        a = lib.tensor(a0, requires_grad=True)
        b = lib.tensor(b0, requires_grad=True)
        x = a.clone() * 3
        v = x[1:3, 2:4]
        out = add_into.apply(v, b)
        assert out is v  # the dirty input object is the output
        (x * lib.tensor(w0)).sum().backward()
        return x.detach().numpy(), a.grad.numpy(), b.grad.numpy()

    for got, want in zip(run(autobp), run(torch)):
        np.testing.assert_allclose(got, want, rtol=1e-12)


def test_mark_dirty_on_a_basic_index_view_backward_runs():
    # was: "one of the variables needed for gradient computation has been modified by an inplace
    # operation" (forward's own write into the dirty view counted as an unrecorded one)
    def run(lib):
        class Twice(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x, other):
                ctx.mark_dirty(x)
                return x.mul_(2)

            @staticmethod
            def backward(ctx, grad):
                return grad * 2, None

        a = lib.tensor([1.0, 3.0], requires_grad=True)
        other = lib.tensor(1.0, requires_grad=True)
        c = a.clone()
        out = Twice.apply(c[:1], other)
        (out.sum() + c.sum()).backward()
        return a.grad.numpy(), other.grad, c.detach().numpy()

    ga, oa, ca = run(autobp)
    gt, ot, ct = run(torch)
    np.testing.assert_allclose(ga, gt)
    np.testing.assert_allclose(ca, ct)
    assert oa is None and ot is None


def test_mark_dirty_on_a_view_of_a_leaf_is_refused_as_torch():
    def run(lib):
        class AddOne(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                x.add_(1)
                ctx.mark_dirty(x)
                return x

            @staticmethod
            def backward(ctx, g):
                return g

        a = lib.tensor([1.0, 2.0], requires_grad=True)
        with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad"):
            AddOne.apply(a.view_as(a))

    run(autobp)
    run(torch)


@pytest.mark.parametrize("name", ["scatter_reduce", "index_reduce"])
def test_prod_reduce_double_backward_with_two_zeros_raises_as_torch(name):
    # was: a silently wrong second derivative (the rule's out / src is 0 / 0 made safe, not prod's)
    def grads(lib):
        x = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
        src = lib.tensor([0.0, 0.0, 3.0], dtype=lib.float64, requires_grad=True)
        idx = lib.tensor([0, 0, 1])
        out = getattr(lib, name)(x, 0, idx, src, "prod")
        w = lib.tensor([2.0, 5.0], dtype=lib.float64)
        (g,) = lib.autograd.grad((out * w).sum(), src, create_graph=True)
        with pytest.raises(RuntimeError, match="Double backward is unsupported for"):
            lib.autograd.grad(g.sum(), src)
        return g.detach().numpy()

    np.testing.assert_allclose(grads(autobp), grads(torch))


def test_prod_reduce_double_backward_with_one_zero_still_matches_torch():
    def second(lib):
        x = lib.tensor([1.5, 2.0], dtype=lib.float64, requires_grad=True)
        src = lib.tensor([0.0, 4.0, 3.0], dtype=lib.float64, requires_grad=True)
        out = lib.scatter_reduce(x, 0, lib.tensor([0, 0, 1]), src, "prod")
        (g,) = lib.autograd.grad(out.sum(), src, create_graph=True)
        return [t.numpy() for t in lib.autograd.grad((g * g).sum(), (x, src))]

    for a, t in zip(second(autobp), second(torch)):
        np.testing.assert_allclose(a, t, rtol=1e-12)


@pytest.mark.parametrize("segments", [1, 2, 3, 5])
def test_checkpoint_sequential_matches_torch(segments):
    # was missing (torch.utils.checkpoint.checkpoint_sequential)
    rng = np.random.default_rng(2)
    weights = [rng.standard_normal((3, 3)) for _ in range(5)]
    x0 = rng.standard_normal((2, 3))

    def run(lib, checkpoint_sequential):
        ws = [lib.tensor(w, requires_grad=True) for w in weights]
        fns = [functools.partial(lambda w, h: (h @ w).tanh(), w) for w in ws]
        x = lib.tensor(x0, requires_grad=True)
        out = checkpoint_sequential(fns, segments, x, use_reentrant=False)
        (out**2).sum().backward()
        return [out.detach().numpy(), x.grad.numpy()] + [w.grad.numpy() for w in ws]

    import torch.utils.checkpoint as torch_checkpoint

    got = run(autobp, autobp.utils.checkpoint.checkpoint_sequential)
    want = run(torch, torch_checkpoint.checkpoint_sequential)
    for a, t in zip(got, want):
        np.testing.assert_allclose(a, t, rtol=1e-12)


def test_checkpoint_sequential_takes_a_sequential_and_refuses_unknown_keywords():
    net = autobp.nn.Sequential(autobp.nn.Linear(3, 4), autobp.nn.ReLU(), autobp.nn.Linear(4, 2))
    x = autobp.tensor(np.ones((2, 3)), requires_grad=True)
    out = autobp.utils.checkpoint.checkpoint_sequential(net, 2, x, use_reentrant=False)
    np.testing.assert_allclose(out.detach().numpy(), net(x).detach().numpy())
    out.sum().backward()
    assert x.grad.shape == (2, 3) and net[0].weight.grad is not None
    with pytest.raises(ValueError, match="Unexpected keyword arguments: bogus"):
        autobp.utils.checkpoint.checkpoint_sequential(net, 2, x, bogus=1)
    with pytest.raises(ValueError, match="Unexpected keyword arguments: bogus"):
        torch.utils.checkpoint.checkpoint_sequential([torch.nn.ReLU()], 1, torch.ones(2), bogus=1)


@pytest.mark.parametrize("name", ["randn", "rand"])
def test_sampling_an_integer_dtype_raises_a_runtime_error_as_torch(name):
    # PyTorch's RuntimeError ("normal_kernel_cpu" not implemented for 'Long'); numpy code catches TypeError
    with pytest.raises(RuntimeError):
        getattr(torch, name)(5, 5, dtype=torch.long)
    for error in (RuntimeError, TypeError):
        with pytest.raises(error, match="dtype must be float16"):
            getattr(autobp, name)(5, 5, dtype=autobp.int64)


@pytest.mark.parametrize("lib", [autobp, torch], ids=["autobp", "torch"])
def test_clear_saved_tensors_on_access_hands_them_out_once(lib):
    # was: the flag ignored (a second access gave them again)
    seen = []

    class Scale(lib.autograd.Function):
        clear_saved_tensors_on_access = True

        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * 3

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            seen.append(x.detach().numpy().copy())
            with pytest.raises(RuntimeError, match="can only be accessed once"):
                _ = ctx.saved_tensors
            return g * 3

    x = lib.tensor([1.0, 2.0], requires_grad=True)
    Scale.apply(x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [3.0, 3.0])
    np.testing.assert_allclose(seen[0], [1.0, 2.0])


@pytest.mark.parametrize("view", [True, False], ids=["view", "tensor"])
@pytest.mark.parametrize("lib", [autobp, torch], ids=["autobp", "torch"])
def test_function_saving_its_dirty_input_makes_no_reference_cycle(lib, view):
    # was: node -> ctx -> saved .data view -> the tensor (now the node): freed only by the cycle collector
    import gc
    import weakref

    class Keep(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.mark_dirty(x)
            ctx.save_for_backward(x)
            return x

        @staticmethod
        def backward(ctx, grad):
            return grad

    def scope():
        x = lib.tensor(1.0, requires_grad=True).clone()
        if view:
            x = x.view_as(x)
        Keep.apply(x)
        return weakref.ref(x)

    gc.disable()
    try:
        assert scope()() is None
    finally:
        gc.enable()
