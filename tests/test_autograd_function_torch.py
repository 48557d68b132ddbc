"""Custom Function features against PyTorch's: once_differentiable, apply keywords, the
setup_context form, non-array outputs, mark_non_differentiable, mark_dirty, duplicate outputs,
trailing None gradients and the errors for a legacy call or a gradient of the wrong shape."""

import numpy as np
import pytest

import autobp
from autobp.function import once_differentiable

torch = pytest.importorskip("torch")
from torch.autograd.function import once_differentiable as torch_once  # noqa: E402


def _np(t):
    return np.asarray(t.detach()) if hasattr(t, "detach") else np.asarray(t)


def test_once_differentiable_first_order_and_refusal_of_second():
    def run(lib, od):
        class Sq(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x * x

            @staticmethod
            @od
            def backward(ctx, g):
                seen.append(lib.is_grad_enabled())
                (x,) = ctx.saved_tensors
                return g * 2 * x

        seen = []
        x = lib.tensor([1.0, -2.0], dtype=lib.float64, requires_grad=True)
        v = lib.tensor([0.5, 3.0], dtype=lib.float64, requires_grad=True)
        (g1,) = lib.autograd.grad(Sq.apply(x).sum(), x, create_graph=True)
        (g2,) = lib.autograd.grad(Sq.apply(x), x, v, create_graph=True)
        with pytest.raises(RuntimeError, match="marked with @once_differentiable"):
            g2.sum().backward()
        return _np(g1), g1.requires_grad, g2.requires_grad, seen

    a, b = run(autobp, once_differentiable), run(torch, torch_once)
    np.testing.assert_allclose(a[0], b[0])
    assert a[1:] == b[1:]


def test_apply_binds_keywords_and_defaults():
    def run(lib):
        class Scale(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x, factor=2.0, shift=0.0):
                ctx.factor = factor
                return x * factor + shift

            @staticmethod
            def backward(ctx, g):
                return g * ctx.factor, None, None

        x = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
        outs = [Scale.apply(x), Scale.apply(x, 3.0), Scale.apply(x, shift=1.0, factor=5.0)]
        outs.append(Scale.apply(x=x, factor=4.0))
        grads = [lib.autograd.grad(o.sum(), x)[0] for o in outs]
        return [_np(o) for o in outs], [_np(g) for g in grads]

    a, b = run(autobp), run(torch)
    for x, y in zip(a[0] + a[1], b[0] + b[1]):
        np.testing.assert_allclose(x, y)


@pytest.mark.parametrize("lib", [autobp, torch], ids=["autobp", "torch"])
def test_apply_keyword_errors(lib):
    class Add(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            return x + y

        @staticmethod
        def backward(ctx, g):
            return g, g

    x, y = lib.ones(1), lib.ones(1)
    with pytest.raises(TypeError, match="got an unexpected keyword argument"):
        Add.apply(x, bad=y)
    with pytest.raises(TypeError, match="got multiple values for argument"):
        Add.apply(x, y, y=y)


def test_setup_context_form():
    def run(lib):
        class Reshape(lib.autograd.Function):
            @staticmethod
            def forward(x, shape, scale):
                return x.reshape(shape) * scale

            @staticmethod
            def setup_context(ctx, inputs, output):
                x, shape, scale = inputs
                ctx.scale, ctx.x_shape = scale, x.shape
                ctx.save_for_backward(x)

            @staticmethod
            def backward(ctx, g):
                (x,) = ctx.saved_tensors
                return g.reshape(ctx.x_shape) * ctx.scale * x, None, None

        x = lib.tensor(np.arange(1.0, 7.0), requires_grad=True)
        y = Reshape.apply(x, (2, 3), 3.0)
        (g,) = lib.autograd.grad((y * y).sum(), x)
        return _np(y), _np(g)

    for a, b in zip(run(autobp), run(torch)):
        np.testing.assert_allclose(a, b)


def test_non_array_outputs_pass_through_with_none_gradients():
    def run(lib):
        class F(lib.autograd.Function):
            @staticmethod
            def forward(ctx, t1, scale):
                return scale, t1 * scale, None, True, "bar"

            @staticmethod
            def backward(ctx, *grads):
                nones.append([g is None for g in grads])
                return grads[1] * ctx_scale[0], None

        nones, ctx_scale = [], [3]
        x = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
        res = F.apply(x, 3)
        res[1].sum().backward()
        return res[0], res[2], res[3], res[4], _np(res[1]), _np(x.grad), nones

    a, b = run(autobp), run(torch)
    assert a[:4] == b[:4]
    np.testing.assert_allclose(a[4], b[4])
    np.testing.assert_allclose(a[5], b[5])
    assert a[6] == b[6]


def test_mark_non_differentiable_outputs_are_constants_and_get_zero_gradients():
    def run(lib):
        class F(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                a, b = x + 1, x * 2
                ctx.mark_non_differentiable(a)
                return a, b

            @staticmethod
            def backward(ctx, ga, gb):
                seen.append((float(abs(ga).sum()), float(gb.sum())))
                return gb * 2

        seen = []
        x = lib.tensor([1.0, 2.0, 3.0], dtype=lib.float64, requires_grad=True)
        a, b = F.apply(x)
        (b * 3).sum().backward()
        return a.requires_grad, b.requires_grad, _np(x.grad), seen

    a, b = run(autobp), run(torch)
    assert a[:2] == b[:2] and a[3] == b[3]
    np.testing.assert_allclose(a[2], b[2])


def test_mark_dirty_makes_the_input_the_output():
    def run(lib):
        class Double(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                if lib is autobp:
                    x *= 2  # forward works on the input's ndarray
                else:
                    x.mul_(2)
                ctx.mark_dirty(x)
                return x

            @staticmethod
            def backward(ctx, g):
                return g * 2

        x = lib.tensor([1.0, -3.0], dtype=lib.float64, requires_grad=True)
        c = x.clone()
        before = c * 1  # read c's old value
        out = Double.apply(c)
        (out * out).sum().backward()
        grad = _np(x.grad).copy()
        try:  # a graph that read c's old value: PyTorch differentiates it, autobp refuses (never wrong)
            (before * c).sum().backward()
            assert lib is torch
        except RuntimeError:
            assert lib is autobp
        return out is c, _np(out), grad

    a, b = run(autobp), run(torch)
    assert a[0] is True and b[0] is True
    np.testing.assert_allclose(a[1], b[1])
    np.testing.assert_allclose(a[2], b[2])


def test_an_output_returned_twice_is_one_tensor():
    def run(lib):
        class Dup(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                o = x * 2
                return o, o

            @staticmethod
            def backward(ctx, g1, g2):
                return g1 * 2 + g2 * 2

        x = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
        a, b = Dup.apply(x)
        (a + 3 * b).sum().backward()
        return a is b, _np(x.grad)

    a, b = run(autobp), run(torch)
    assert a[0] == b[0]
    np.testing.assert_allclose(a[1], b[1])
    x = autobp.tensor([0.5, -1.5], requires_grad=True)

    class Dup(autobp.Function):
        @staticmethod
        def forward(ctx, x):
            o = x * 2
            return o, o

        @staticmethod
        def backward(ctx, g1, g2):
            return g1 * 2 + g2 * 2

    assert autobp.gradcheck(lambda t: sum(Dup.apply(t)), x)


@pytest.mark.parametrize("lib", [autobp, torch], ids=["autobp", "torch"])
def test_extra_none_gradients_are_dropped_and_extra_values_refused(lib):
    class F(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2, None, None

    class G(F):
        @staticmethod
        def backward(ctx, g):
            return g * 2, g

    x = lib.ones(2, requires_grad=True)
    F.apply(x).sum().backward()
    np.testing.assert_allclose(_np(x.grad), [2.0, 2.0])
    with pytest.raises((RuntimeError, TypeError)):
        G.apply(x).sum().backward()


@pytest.mark.parametrize("lib", [autobp, torch], ids=["autobp", "torch"])
def test_legacy_call_and_wrong_gradient_shape_are_runtime_errors(lib):
    class F(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return lib.ones(10)

    with pytest.warns(DeprecationWarning, match="should not be instantiated"):
        f = F()
    with pytest.raises(RuntimeError, match="Legacy autograd function with non-static forward method"):
        f(lib.ones(2))
    with pytest.raises(RuntimeError, match="expected shape"):
        F.apply(lib.ones(5, 5, requires_grad=True)).sum().backward()
