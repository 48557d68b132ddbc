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
