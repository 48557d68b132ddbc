"""Graph semantics checked against PyTorch: hooks across in-place writes, grad-mode decorators,
autobp.grad's error behaviour and keywords, and custom Function features (found by running
PyTorch's own autograd tests through a renaming adapter)."""

import warnings

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
