"""The transforms nest like JAX's: a jvp inside grad, grad of a jvp, the Jacobian of a gradient,
an hvp inside a differentiated loop; every composite is checked against finite differences."""

import numpy as np

import autobp
from autobp import Tensor, functional, gradcheck


def f(x):
    return autobp.sin(x) * x + x**3 * 0.1


def leaf(values):
    return Tensor(np.array(values), requires_grad=True)


def test_grad_of_a_jvp_matches_finite_differences():
    t = np.array([0.3, -1.0, 2.0])
    assert gradcheck(lambda x: functional.jvp(f, x, t)[1].sum(), leaf([0.5, -0.2, 1.1]))


def test_jvp_with_a_differentiable_tangent():
    x = leaf([0.5, -0.2])
    assert gradcheck(lambda t: (functional.jvp(f, x.detach(), t)[1] ** 2).sum(), leaf([1.0, 2.0]))


def test_jacobian_of_a_gradient_equals_the_hessian():
    x = np.array([0.4, -0.7, 1.3])

    def gradient(z):
        (g,) = autobp.grad(f(z).sum(), z, create_graph=True)
        return g

    h1 = functional.jacobian(gradient, Tensor(x)).data
    h2 = functional.hessian(lambda z: f(z).sum(), Tensor(x)).data
    np.testing.assert_allclose(h1, h2, rtol=1e-12)
    expected = np.diag(2 * np.cos(x) - x * np.sin(x) + 0.6 * x)
    np.testing.assert_allclose(h2, expected, rtol=1e-12, atol=1e-14)


def test_grad_of_a_hessian_is_the_third_derivative():
    assert gradcheck(lambda x: functional.hessian(lambda z: f(z).sum(), x).sum(), leaf([0.4, -0.7]))


def test_hvp_inside_a_differentiated_loop():
    v = np.array([1.0, -0.5])

    def unrolled(x):
        for _ in range(3):  # a few Newton-like steps, differentiated end to end
            _, hv = functional.hvp(lambda z: f(z).sum(), x, v)
            x = x - 0.1 * hv
        return (x * x).sum()

    assert gradcheck(unrolled, leaf([0.4, -0.7]))


def test_vjp_keeps_the_outer_graph():
    def outer(x):
        _, pullback = functional.vjp(f, x)
        (g,) = pullback(Tensor(np.ones(2)))
        return (g * g).sum()

    assert gradcheck(outer, leaf([0.9, -1.4]))


def test_plain_calls_still_leave_the_callers_tensors_alone():
    x = Tensor(np.array([0.5, 1.0]))
    out, jt = functional.jvp(f, x, np.ones(2))
    assert not out.requires_grad and not jt.requires_grad and x.grad is None
