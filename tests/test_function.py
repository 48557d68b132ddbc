"""autobp.Function: custom ops on Tensors and Values, their errors, and their second derivatives."""

import gc
import weakref

import numpy as np
import pytest
from hypothesis import given

import autobp
from autobp import Function, GraphReleasedError, Tensor, Value
from autobp._numeric import numerical_gradients
from autobp.testing import positive_tensors, tensors
from tests.helpers import check_gradients

from .functions import Cube


class Exp(Function):
    """Saves its output: the saved output is the graph node, so second derivatives work."""

    @staticmethod
    def forward(ctx, x):
        out = np.exp(x)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * out


class Scale(Function):
    """A non-Tensor argument (the factor) and a flag."""

    @staticmethod
    def forward(ctx, x, k, negate):
        ctx.k, ctx.sign = k, -1.0 if negate else 1.0
        return ctx.sign * k * x

    @staticmethod
    def backward(ctx, grad):
        return grad * (ctx.sign * ctx.k), None, None


class MulAdd(Function):
    """Two Tensor inputs that broadcast: backward must reduce each gradient to its input's shape."""

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return x * y + y

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        gx = grad * y
        gy = grad * (x + 1)
        return _reduce(gx, x.shape), _reduce(gy, y.shape)


def _reduce(g, shape):
    lead = g.ndim - len(shape)
    stretched = tuple(i + lead for i, n in enumerate(shape) if n == 1 and g.shape[i + lead] != 1)
    axes = tuple(range(lead)) + stretched
    return g.sum(axis=axes, keepdims=True).reshape(shape) if axes else g


class SplitExp(Function):
    """Three outputs: a float slice, an exp of the rest, and an integer argmax (not differentiable)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return 2 * x[:2], np.exp(x[2:]), np.argmax(x)

    @staticmethod
    def backward(ctx, ga, gb, gi):
        (x,) = ctx.saved_tensors
        assert gi is None
        return autobp.concatenate([2 * ga, gb * x[2:].exp()])


def _sum_weighted(t, w):
    return (t * Tensor(w)).sum()


@given(tensors())
def test_cube_gradient_matches_finite_differences(x):
    check_gradients(Cube.apply, x.data)


@given(tensors(lo=-2.0, hi=2.0))
def test_saved_output_gradient_matches_finite_differences(x):
    check_gradients(Exp.apply, x.data)


@given(tensors())
def test_non_tensor_arguments_pass_through_and_get_no_gradient(x):
    check_gradients(lambda t: Scale.apply(t, 2.5, True), x.data)
    np.testing.assert_allclose(Scale.apply(x, 2.5, True).data, -2.5 * x.data)


@given(autobp.testing.broadcastable_tensors())
def test_broadcasting_inputs_get_gradients_of_their_own_shapes(pair):
    x, y = pair
    check_gradients(MulAdd.apply, x.data, y.data)


def test_needs_input_grad_follows_requires_grad():
    seen = []

    class Probe(Function):
        @staticmethod
        def forward(ctx, x, y, k):
            seen.append(ctx.needs_input_grad)
            return x + y

        @staticmethod
        def backward(ctx, grad):
            return grad, grad, None

    Probe.apply(Tensor([1.0], requires_grad=True), Tensor([2.0]), 3)
    assert seen == [(True, False, False)]


@given(tensors(shape=(5,)))
def test_several_outputs_share_one_backward(x):
    a, b, i = SplitExp.apply(x)
    assert a.shape == (2,) and b.shape == (3,) and not i.requires_grad and i.item() == np.argmax(x.data)
    wa, wb = np.arange(1.0, 3.0), np.arange(3.0, 6.0)
    (_sum_weighted(a, wa) + _sum_weighted(b, wb)).backward()

    def f(v):
        return float(np.sum(2 * v[:2] * wa) + np.sum(np.exp(v[2:]) * wb))

    np.testing.assert_allclose(x.grad, numerical_gradients(f, [x.data])[0], rtol=1e-5, atol=1e-6)


def test_an_unused_output_contributes_a_zero_gradient():
    x = Tensor([0.5, -1.0, 2.0], requires_grad=True)
    _, b, _ = SplitExp.apply(x)
    b.sum().backward()
    np.testing.assert_allclose(x.grad, [0.0, 0.0, np.exp(2.0)])


@given(tensors(lo=-1.5, hi=1.5))
def test_second_derivatives_go_through_a_backward_written_with_autobp_ops(x):
    w = np.linspace(-1.0, 1.0, x.size).reshape(x.shape)
    for fn, numpy_first in ((Cube.apply, lambda v: 3 * v**2), (Exp.apply, np.exp)):
        (g,) = autobp.grad(fn(x).sum(), x, create_graph=True)
        (h,) = autobp.grad((g * Tensor(w)).sum(), x)
        numeric = numerical_gradients(lambda v, d=numpy_first: float(np.sum(d(v) * w)), [x.data])[0]
        np.testing.assert_allclose(h.data, numeric, rtol=1e-5, atol=1e-5)


class TwoExps(Function):
    """exp(x) and exp(2x), saved as outputs: backward reads both back as slices of the shared node."""

    @staticmethod
    def forward(ctx, x):
        e1, e2 = np.exp(x), np.exp(2 * x)
        ctx.save_for_backward(e1, e2)
        return e1, e2

    @staticmethod
    def backward(ctx, g1, g2):
        e1, e2 = ctx.saved_tensors
        return g1 * e1 + g2 * 2 * e2


@given(tensors(lo=-1.0, hi=1.0))
def test_saved_outputs_of_several_give_second_derivatives(x):
    e1, e2 = TwoExps.apply(x)
    (g,) = autobp.grad((e1 + e2 * 3).sum(), x, create_graph=True)
    (h,) = autobp.grad(g.sum(), x)
    numeric = numerical_gradients(lambda v: float(np.sum(np.exp(v) + 6 * np.exp(2 * v))), [x.data])[0]
    np.testing.assert_allclose(g.data, np.exp(x.data) + 6 * np.exp(2 * x.data), rtol=1e-12)
    np.testing.assert_allclose(h.data, numeric, rtol=1e-5, atol=1e-5)


def test_saving_an_output_makes_no_reference_cycle():
    gc.collect()
    gc.disable()
    try:
        x = Tensor([1.0, 2.0], requires_grad=True)
        refs = [weakref.ref(Exp.apply(x)), weakref.ref(TwoExps.apply(x)[1])]
        assert [r() for r in refs] == [None, None]  # freed by reference counting alone
    finally:
        gc.enable()


def test_float32_stays_float32_even_if_backward_returns_float64():
    class Twice(Function):
        @staticmethod
        def forward(ctx, x):
            return 2 * x

        @staticmethod
        def backward(ctx, grad):
            return np.full(grad.shape, 2.0) * grad.data.astype(np.float64)

    x = Tensor(np.ones(3, dtype=np.float32), requires_grad=True)
    y = Twice.apply(x)
    y.sum().backward()
    assert y.dtype == np.float32 and x.grad.dtype == np.float32
    np.testing.assert_array_equal(x.grad, [2.0, 2.0, 2.0])


def test_graph_is_freed_after_backward_like_builtin_ops():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = Cube.apply(x).sum()
    y.backward()
    with pytest.raises(GraphReleasedError):
        y.backward()


def test_no_graph_without_grad():
    y = Cube.apply(Tensor([1.0, 2.0]))
    assert not y.requires_grad and y.grad_fn is None
    with autobp.no_grad():
        assert not Cube.apply(Tensor([1.0], requires_grad=True)).requires_grad


# --- mistakes get errors that name the Function ---------------------------------------------------
class WrongCount(Cube):
    @staticmethod
    def backward(ctx, grad):
        return grad, grad


class WrongShape(MulAdd):
    """Forgets to reduce y's gradient over the broadcast axis: PyTorch would sum it silently."""

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        return grad * y, grad * (x + 1)


def test_wrong_number_of_gradients_is_an_error():
    with pytest.raises(TypeError, match=r"WrongCount.backward returned 2 gradient\(s\), but forward took 1"):
        WrongCount.apply(Tensor([1.0], requires_grad=True)).sum().backward()


def test_wrong_gradient_shape_is_an_error_not_a_silent_sum():
    x, y = Tensor(np.ones((2, 3)), requires_grad=True), Tensor(np.ones((1, 3)), requires_grad=True)
    msg = r"WrongShape.backward: the gradient for input 1 has shape \(2, 3\), but input 1 has shape \(1, 3\)"
    with pytest.raises(ValueError, match=msg):
        WrongShape.apply(x, y).sum().backward()


def test_forward_must_return_arrays():
    class ReturnsList(Function):
        @staticmethod
        def forward(ctx, x):
            return [1.0, 2.0]

    class ReturnsSet(Function):
        @staticmethod
        def forward(ctx, x):
            return {1.0}

    with pytest.raises(TypeError, match="ReturnsList.forward must return an ndarray.*output 0 is a list"):
        ReturnsList.apply(Tensor([1.0]))
    with pytest.raises(TypeError, match="ReturnsSet.forward must return an ndarray, a Tensor.*a set"):
        ReturnsSet.apply(Tensor([1.0]))


def test_a_gradient_for_a_non_tensor_argument_is_an_error():
    class Bad(Scale):
        @staticmethod
        def backward(ctx, grad):
            return grad, 1.0, None

    with pytest.raises(TypeError, match="Bad.backward returned a gradient for input 1, which is not a Tens"):
        Bad.apply(Tensor([1.0], requires_grad=True), 2.0, False).sum().backward()


def test_mixing_values_and_tensors_is_an_error():
    with pytest.raises(TypeError, match="cannot mix Value and Tensor"):
        Cube.apply(Value(1.0), Tensor([1.0]))


def test_subclass_without_forward_says_what_is_missing():
    class Empty(Function):
        pass

    with pytest.raises(NotImplementedError, match="forward"):
        Empty.apply(Tensor([1.0]))


# --- scalar custom ops on Value -------------------------------------------------------------------
class Softplus(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return float(np.log1p(np.exp(x)))

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / (1.0 + np.exp(-x))


@given(positive_tensors(shape=()))
def test_value_custom_op_matches_finite_differences(t):
    a = Value(float(t.data))
    y = Softplus.apply(a * 2.0) * a
    y.backward()
    numeric = numerical_gradients(lambda v: float(np.log1p(np.exp(2 * v)) * v), [np.array(a.data)])[0]
    assert a.grad == pytest.approx(float(numeric), rel=1e-5, abs=1e-6)
    assert autobp.gradcheck(lambda v: Softplus.apply(v * 2.0) * v, Value(a.data))
