"""A custom Function whose backward leaves the graph (numpy on ``.numpy()``/``.detach()``) cannot be
differentiated again: jvp, jacfwd, linearize and hessian through it raise (PyTorch's functorch refuses such a
Function too) instead of counting its derivative as zero; a right backward, or one returning zeros, works."""

import numpy as np
import pytest

import autobp


class Double(autobp.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, g):
        return g * 2


class NumpyDouble(Double):
    @staticmethod
    def backward(ctx, g):
        return autobp.Tensor(np.asarray(g.data) * 2)  # right values, off the graph


class Step(autobp.Function):
    @staticmethod
    def forward(ctx, x):
        return (x > 0) * 1.0

    @staticmethod
    def backward(ctx, g):
        return autobp.zeros_like(g)  # a constant zero gradient is right: nothing to refuse


X, T = np.array([1.0, -2.0, 3.0]), np.array([1.0, 0.5, 0.0])


@pytest.mark.parametrize(
    "transform",
    [
        lambda f: autobp.func.jvp(f, (autobp.tensor(X),), (autobp.tensor(T),))[1],
        lambda f: autobp.func.jacfwd(f)(autobp.tensor(X)),
        lambda f: autobp.func.linearize(f, autobp.tensor(X))[1](autobp.tensor(T)),
        lambda f: autobp.func.hessian(lambda x: (f(x) ** 2).sum())(autobp.tensor(X)),
    ],
)
def test_off_graph_backward_is_refused_not_zero(transform):
    with pytest.raises(RuntimeError, match="NumpyDouble.backward .* not on the graph"):
        transform(NumpyDouble.apply)


def test_differentiable_backward_gives_the_derivatives():
    _, jt = autobp.func.jvp(Double.apply, (autobp.tensor(X),), (autobp.tensor(T),))
    np.testing.assert_allclose(jt.numpy(), 2 * T)
    h = autobp.func.hessian(lambda x: (Double.apply(x) ** 2).sum())(autobp.tensor(X))
    np.testing.assert_allclose(h.numpy(), 8 * np.eye(3))


def test_zero_gradient_backward_still_has_zero_derivative():
    _, jt = autobp.func.jvp(Step.apply, (autobp.tensor(X),), (autobp.tensor(T),))
    np.testing.assert_array_equal(jt.numpy(), np.zeros(3))


def test_first_derivative_of_off_graph_backward_still_works():
    x = autobp.tensor(X, requires_grad=True)
    (g,) = autobp.autograd.grad(NumpyDouble.apply(x).sum(), x, create_graph=True)
    np.testing.assert_array_equal(g.numpy(), [2.0, 2.0, 2.0])
