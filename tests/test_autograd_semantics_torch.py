"""Graph semantics checked against PyTorch: hooks across in-place writes, grad-mode decorators,
autobp.grad's error behaviour and keywords, and custom Function features (found by running
PyTorch's own autograd tests through a renaming adapter)."""

import warnings

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")


def _hooked_inplace(lib):
    """A hook registered before ``b.mul_(2)`` and one after; what each sees, and a's gradient."""
    seen = []
    a = lib.tensor([1.0], requires_grad=True)
    b = a.clone()
    b.register_hook(lambda g: (seen.append(("before", float(g[0]))), g * 2)[1])
    b.mul_(2)
    b.register_hook(lambda g: (seen.append(("after", float(g[0]))), g * 2)[1])
    b.sum().backward()
    return seen, float(a.grad[0])


def test_hook_registered_before_inplace_write_gets_old_values_gradient():
    assert _hooked_inplace(autobp) == _hooked_inplace(torch)


def test_hook_before_two_inplace_writes_runs_once_on_first_value():
    def run(lib):
        seen = []
        a = lib.tensor([1.0], requires_grad=True)
        b = a.clone()
        b.register_hook(lambda g: (seen.append(float(g[0])), g * 2)[1])
        b.mul_(2)
        b.mul_(2)
        b.sum().backward()
        return seen, float(a.grad[0])

    assert run(autobp) == run(torch)


def test_hook_removed_after_inplace_write_does_not_run():
    seen = []
    a = autobp.tensor([1.0], requires_grad=True)
    b = a.clone()
    h = b.register_hook(lambda g: seen.append(1))
    b.mul_(2)
    h.remove()
    b.sum().backward()
    assert seen == []


def test_hook_stays_when_inplace_write_is_not_recorded():
    def run(lib):
        seen = []
        a = lib.tensor([1.0], requires_grad=True)
        b = a.clone()
        b.register_hook(lambda g: seen.append(float(g[0])))
        with lib.no_grad():
            b.mul_(2)
        b.sum().backward()
        return seen

    assert run(autobp) == run(torch)


def test_retain_grad_follows_latest_version_after_inplace_write():
    def run(lib):
        a = lib.tensor([1.0], requires_grad=True).clone()
        a.retain_grad()
        a.mul_(2)
        (a * 3).sum().backward()
        return float(a.grad[0])

    assert run(autobp) == run(torch)


@pytest.mark.parametrize("ctx", ["no_grad", "enable_grad"])
def test_grad_mode_decorated_generator_runs_body_in_that_mode(ctx):
    def run(lib):
        outer = lib.enable_grad if ctx == "no_grad" else lib.no_grad

        @getattr(lib, ctx)()
        def gen():
            for _ in range(3):
                yield lib.is_grad_enabled()

        with outer():
            inside = list(gen())
            after = lib.is_grad_enabled()
        return inside, after

    assert run(autobp) == run(torch)


def test_grad_mode_decorators_without_parentheses():
    def run(lib):
        x = lib.ones(2, requires_grad=True)

        @lib.no_grad
        def f(x):
            return x * 2

        @lib.enable_grad
        def g(x):
            return x * 2

        with lib.no_grad():
            inside = g(x).requires_grad
        return f(x).requires_grad, lib.no_grad(lambda y: y * 2)(x).requires_grad, inside

    assert run(autobp) == run(torch)


def test_inference_mode_decorator_keeps_its_mode_argument():
    def run(lib):
        x = lib.ones(2, requires_grad=True)

        @lib.inference_mode
        def f(x):
            return x * 2

        @lib.inference_mode(False)
        def g(x):
            return x * 2

        return f(x).requires_grad, g(x).requires_grad

    assert run(autobp) == run(torch)


def test_set_grad_enabled_as_decorator():
    def run(lib):
        x = lib.ones(2, requires_grad=True)

        @lib.set_grad_enabled(False)
        def f(x):
            return x * 2

        return lib.is_grad_enabled(), f(x).requires_grad, lib.is_grad_enabled()

    assert run(autobp) == run(torch)


@pytest.mark.parametrize("lib", [autobp, torch], ids=["autobp", "torch"])
def test_decorating_a_class_warns_and_runs_only_init_without_grad(lib):
    with pytest.warns(FutureWarning, match="Decorating classes is deprecated"):

        @lib.no_grad()
        class Foo:
            def __init__(self):
                self.init_mode = lib.is_grad_enabled()

            def foo(self):
                return lib.is_grad_enabled()

    f = Foo()
    assert (f.init_mode, f.foo()) == (False, True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")

        @autobp.no_grad()
        def plain():
            return autobp.is_grad_enabled()

        assert plain() is False


@pytest.mark.parametrize("how", ["method", "autograd.backward", "grad"])
def test_create_graph_gradients_depend_on_the_seed_tensor(how):
    """``y.backward(v, create_graph=True)``: x.grad is a function of v too (autobp used a constant)."""

    def run(lib):
        x = lib.tensor([1.0, -2.0, 0.5], dtype=lib.float64, requires_grad=True)
        v = lib.tensor([0.3, 0.7, -1.1], dtype=lib.float64, requires_grad=True)
        y = x * x * x
        if how == "method":
            y.backward(v, create_graph=True)
            gx = x.grad
        elif how == "autograd.backward":
            lib.autograd.backward([y, x * 3], [v, v], create_graph=True)
            gx = x.grad
        else:
            (gx,) = lib.autograd.grad(y, x, v, create_graph=True)
        (gv,) = lib.autograd.grad((gx * gx).sum(), v)
        return np.asarray(gx.detach()), np.asarray(gv)

    ours, theirs = run(autobp), run(torch)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_create_graph_leaf_grad_is_not_the_seed_object():
    x = autobp.ones(2, requires_grad=True)
    v = autobp.ones(2, requires_grad=True)
    x.backward(v, create_graph=True)
    assert x.grad is not v
    np.testing.assert_array_equal(np.asarray(x.grad.detach()), [1.0, 1.0])


def test_grad_outputs_shape_mismatch_is_pytorchs_runtime_error():
    for lib in (autobp, torch):
        x = lib.ones(2, 2, requires_grad=True)
        y = x * 2
        with pytest.raises(RuntimeError, match=r"Mismatch in shape: grad_output\[0\] has a shape of"):
            lib.autograd.grad([y], [x], grad_outputs=[lib.ones(2)])
        with pytest.raises(RuntimeError, match="Mismatch in shape"):
            y.backward(lib.ones(3))
    with pytest.raises(ValueError):  # autobp's former error class still catches it
        autobp.ones(2, requires_grad=True).backward(autobp.ones(3))


@pytest.mark.parametrize("lib", [autobp, torch], ids=["autobp", "torch"])
def test_empty_inputs_are_refused(lib):
    x = lib.ones(1, requires_grad=True)
    with pytest.raises(RuntimeError, match="cannot be empty"):
        lib.autograd.grad(2 * x, [], grad_outputs=lib.ones(1))
    with pytest.raises(RuntimeError, match="cannot be empty"):
        (2 * x).sum().backward(inputs=[])
    with pytest.raises(RuntimeError, match="cannot be empty"):
        lib.autograd.backward([2 * x, 3 * x], [lib.ones(1), lib.ones(1)], inputs=[])


@pytest.mark.parametrize("lib", [autobp, torch], ids=["autobp", "torch"])
def test_error_messages_say_what_pytorchs_say(lib):
    x = lib.ones(1, requires_grad=True)
    y = lib.ones(1, requires_grad=True)
    with pytest.raises(RuntimeError, match="Set allow_unused=True"):
        lib.autograd.grad(x * 2, [x, y])
    b = lib.ones(3, requires_grad=True)
    c = (b * b).sum()
    c.backward()
    with pytest.raises(RuntimeError, match="Specify retain_graph=True"):
        c.backward()


@pytest.mark.parametrize("lib", [autobp, torch], ids=["autobp", "torch"])
def test_requires_grad_true_on_a_non_leaf_is_a_no_op(lib):
    z = lib.ones(2, requires_grad=True) * 2
    assert z.requires_grad_() is z and z.requires_grad
    assert z.requires_grad_(True) is z
    with pytest.raises(RuntimeError):
        z.requires_grad_(False)


def test_materialized_zeros_require_grad_under_create_graph():
    def run(lib):
        x = lib.tensor(0.5, requires_grad=True)
        a = lib.tensor(1.0, requires_grad=True)
        (d,) = lib.autograd.grad(x * a, x, create_graph=True)
        (d2,) = lib.autograd.grad(d, x, create_graph=True, materialize_grads=True)
        (d3,) = lib.autograd.grad(d2, x, materialize_grads=True)
        (e,) = lib.autograd.grad(d, x, materialize_grads=True)
        return d2.requires_grad, float(d3), e.requires_grad

    assert run(autobp) == run(torch)


@pytest.mark.parametrize("lib", [autobp, torch], ids=["autobp", "torch"])
def test_reading_grad_of_a_non_leaf_warns_unless_it_retains(lib):
    x = lib.ones(1, requires_grad=True)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        _ = x.grad
        h = x.clone()
        _ = h.grad
        h.retain_grad()
        _ = h.grad
    assert [issubclass(r.category, UserWarning) for r in w] == [True]
    assert "not a leaf Tensor" in str(w[0].message)


@pytest.mark.parametrize("lib", [autobp, torch], ids=["autobp", "torch"])
def test_detach_in_place_is_refused_on_a_view_in_a_graph(lib):
    x = lib.randn(10, 10, requires_grad=True)
    with pytest.raises(RuntimeError, match="Can't detach views in-place"):
        x.narrow(0, 1, 4).detach_()
    a = x * 2
    a.detach_()
    assert not a.requires_grad and a.grad_fn is None


@pytest.mark.parametrize("lib", [autobp, torch], ids=["autobp", "torch"])
def test_saved_value_written_in_place_error_says_pytorchs_words(lib):
    x = lib.randn(5, requires_grad=True)
    y = lib.randn(5, requires_grad=True)
    z = (x * y).sum()
    with lib.no_grad():
        x *= 2
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.backward()
    w = lib.randn([], requires_grad=True)
    s = w**2
    w.detach().zero_()
    with pytest.raises(RuntimeError, match="has been modified by an inplace"):
        s.backward()


@pytest.mark.parametrize("lib", [autobp, torch], ids=["autobp", "torch"])
def test_increment_version_counts_a_write_and_makes_backward_refuse(lib):
    a = lib.rand(5, requires_grad=True)
    v = a._version
    lib.autograd.graph.increment_version(a)
    assert a._version == v + 1
    y = (a * a).sum()
    lib.autograd.graph.increment_version([a])
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.backward()


def test_is_grads_batched_matches_torch():
    def run(lib):
        x = lib.tensor(np.array([[0.5, -1.0], [2.0, 0.25]]), requires_grad=True)
        y = lib.tensor(np.array([1.5, -0.5]), requires_grad=True)
        outs = (x.sin() * y, (x * x).sum())
        gos = (lib.tensor(np.arange(12.0).reshape(3, 2, 2) / 7), lib.tensor(np.array([1.0, -2.0, 0.5])))
        gx, gy = lib.autograd.grad(outs, (x, y), gos, is_grads_batched=True)
        return np.asarray(gx.detach()), np.asarray(gy.detach())

    for a, b in zip(run(autobp), run(torch)):
        assert a.shape == b.shape
        np.testing.assert_allclose(a, b, rtol=1e-12)


@pytest.mark.parametrize("lib", [autobp, torch], ids=["autobp", "torch"])
def test_is_grads_batched_refuses_a_grad_output_without_batch_axis(lib):
    x = lib.randn(2, 2, requires_grad=True)
    with pytest.raises(RuntimeError, match="If `is_grads_batched=True`, we interpret the first"):
        lib.autograd.grad(x.clone(), (x,), (lib.ones(2, 2),), is_grads_batched=True)
    with pytest.raises(RuntimeError, match="If `is_grads_batched=True`, we interpret the first"):
        lib.autograd.grad(x.sum(), (x,), (lib.ones(2).unsqueeze(1),), is_grads_batched=True)


def test_dict_inputs_give_dict_results_and_fill_grads():
    def run(lib):
        x = lib.tensor(np.array([[0.5, -1.0], [2.0, 0.25]]), requires_grad=True)
        y = lib.tensor(np.array([[1.5, -0.5], [0.3, 0.7]]), requires_grad=True)
        z = (x * x + y * x + y * y).sum()
        r = lib.autograd.grad(z, {"x": x, "y": y}, create_graph=True)
        r2 = lib.autograd.grad(r["x"].sum(), {0: x})
        z.backward(inputs={"a": y})
        return sorted(r), np.asarray(r["y"].detach()), np.asarray(r2[0]), np.asarray(y.grad), x.grad is None

    a, b = run(autobp), run(torch)
    assert a[0] == b[0] and a[4] == b[4]
    for u, v in zip(a[1:4], b[1:4]):
        np.testing.assert_allclose(u, v, rtol=1e-12)


@pytest.mark.parametrize("lib", [autobp, torch], ids=["autobp", "torch"])
def test_dict_inputs_errors(lib):
    from collections import OrderedDict

    x = lib.ones(2, 2, requires_grad=True)
    with pytest.raises(TypeError, match="must be a dict"):
        lib.autograd.grad((x * x).sum(), OrderedDict(x=x))
    with pytest.raises(RuntimeError, match="cannot be empty"):
        lib.autograd.grad((x * x).sum(), {})
    with pytest.raises(ValueError, match="Expected allow_unused to be True or not passed"):
        lib.autograd.grad((x * x).sum(), x, allow_unused=False, materialize_grads=True)


def test_checkpoint_takes_pytorchs_keywords():
    from torch.utils.checkpoint import checkpoint as tcheckpoint

    def run(lib, ckpt):
        w = lib.tensor(np.array([[0.5, -1.0], [2.0, 0.25]]), requires_grad=True)
        x = lib.tensor(np.array([[1.0, 2.0]]), requires_grad=True)
        events = []

        class Ctx:
            def __init__(self, name):
                self.name = name

            def __enter__(self):
                events.append(self.name)

            def __exit__(self, *exc):
                return False

        y = ckpt(
            lambda h: (h @ w).tanh() @ w, x, use_reentrant=False, context_fn=lambda: (Ctx("f"), Ctx("r"))
        )
        y.sum().backward()
        return np.asarray(w.grad), np.asarray(x.grad), events

    a, b = run(autobp, autobp.checkpoint), run(torch, tcheckpoint)
    np.testing.assert_allclose(a[0], b[0], rtol=1e-12)
    np.testing.assert_allclose(a[1], b[1], rtol=1e-12)
    assert a[2] == b[2] == ["f", "r"]
    x = autobp.ones(2, requires_grad=True)
    with pytest.raises(ValueError, match="only supported when use_reentrant=False"):
        autobp.checkpoint(lambda t: t * 2, x, use_reentrant=True, context_fn=lambda: (None, None))
    (g,) = autobp.autograd.grad(autobp.checkpoint(lambda t: (t * t).sum(), x, use_reentrant=True), x)
    np.testing.assert_allclose(np.asarray(g), [2.0, 2.0])


def test_detect_anomaly_check_nan_false_checks_nothing_and_nests():
    def run(lib):
        class NanGrad(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 1.0

            @staticmethod
            def backward(ctx, g):
                return g * float("nan")

        x = lib.ones(3, requires_grad=True)
        out = NanGrad.apply(x).sum()
        with lib.autograd.detect_anomaly(check_nan=False):
            out.backward(retain_graph=True)
            with lib.autograd.detect_anomaly(check_nan=True):
                with pytest.raises(
                    RuntimeError, match="Function 'NanGradBackward' returned nan values in its 0th"
                ):
                    out.backward(retain_graph=True)
            out.backward()
        return bool(np.isnan(np.asarray(x.grad)).all())

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert run(autobp) == run(torch) is True


@pytest.mark.parametrize("lib", [autobp, torch], ids=["autobp", "torch"])
def test_inplace_on_a_view_of_a_leaf_that_requires_grad_is_refused(lib):
    x = lib.zeros(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad is being used in"):
        x.view_as(x).add_(1)
    x.detach().add_(1)  # a detached alias may be written (the version counts it)
    assert float(x.detach().sum()) == 3.0
