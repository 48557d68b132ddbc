"""The transforms nest like JAX's: a jvp inside grad, grad of a jvp, the Jacobian of a gradient,
an hvp inside a differentiated loop; every composite is checked against finite differences."""

import numpy as np
import pytest

import autobp
from autobp import Tensor, func, functional, gradcheck

from .functions import Cube


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


def _autograd_f(x, m=autobp):
    return m.sin(m.outer(x, x)) + m.cos(m.dot(x, x))


def test_grad_of_a_jacobian_is_not_zero_and_matches_torch():
    """HIPS autograd's test_jacobian_higher_order: grad(lambda x: sum(jacobian(f)(x))). The inner
    jacobian once copied its input off the outer graph, so this gradient was silently zero."""
    torch = pytest.importorskip("torch")
    x0 = np.array([0.3, -0.7])
    g = func.grad(lambda x: functional.jacobian(_autograd_f, x).sum())(x0)
    tg = torch.func.grad(lambda x: torch.func.jacrev(lambda z: _autograd_f(z, torch))(x).sum())
    np.testing.assert_allclose(g, tg(torch.tensor(x0)).numpy(), rtol=1e-12)
    assert np.abs(g).max() > 1  # not the zero it used to be
    assert gradcheck(lambda x: autobp.sin(functional.jacobian(_autograd_f, x)).sum(), leaf(x0))
    assert gradcheck(
        lambda x: functional.jacobian(lambda z: functional.jacobian(_autograd_f, z), x), leaf(x0)
    )


def test_hvp_loop_differentiated_by_grad_matches_torch():
    torch = pytest.importorskip("torch")
    v = np.array([1.0, -0.5])

    def unrolled(x, m=autobp):
        for _ in range(3):
            if m is autobp:
                hv = functional.hvp(lambda z: f(z).sum(), x, v)[1]
            else:
                hv = torch.func.jvp(
                    torch.func.grad(lambda z: (torch.sin(z) * z + z**3 * 0.1).sum()), (x,), (v_t,)
                )[1]
            x = x - 0.1 * hv
        return (x * x).sum()

    v_t = torch.tensor(v)
    x0 = np.array([0.4, -0.7])
    np.testing.assert_allclose(
        func.grad(unrolled)(x0),
        torch.func.grad(lambda x: unrolled(x, torch))(torch.tensor(x0)).numpy(),
        rtol=1e-12,
    )


def test_a_closed_over_tensor_on_an_outer_graph_is_differentiated_through_the_inner_transform():
    """fn closes over w (the outer argument); the inner transform's inputs are plain arrays."""
    torch = pytest.importorskip("torch")
    x0 = np.array([0.3, -0.7])
    w0 = np.array([1.2, 0.4])

    def inner(w, m=autobp):
        fn = lambda x: m.tanh(x * w) * m.sin(w.sum() * x)  # noqa: E731
        if m is autobp:
            return (
                functional.jacobian(fn, x0).sum()
                + functional.hessian(lambda x: fn(x).sum(), x0).sum()
                + functional.jvp(fn, x0, np.ones(2))[1].sum()
                + functional.vjp(fn, x0)[1](np.ones(2))[0].sum()
                + functional.hvp(lambda x: fn(x).sum(), x0, np.ones(2))[1].sum()
                + func.jacrev(fn)(x0).sum()
            )
        tf, tx = torch.func, torch.tensor(x0)
        one = torch.ones(2, dtype=torch.float64)
        return (
            tf.jacrev(fn)(tx).sum()
            + tf.hessian(lambda x: fn(x).sum())(tx).sum()
            + tf.jvp(fn, (tx,), (one,))[1].sum()
            + tf.vjp(fn, tx)[1](one)[0].sum()
            + tf.jvp(tf.grad(lambda x: fn(x).sum()), (tx,), (one,))[1].sum()
            + tf.jacrev(fn)(tx).sum()
        )

    g = func.grad(inner)(w0)
    np.testing.assert_allclose(
        g, torch.func.grad(lambda w: inner(w, torch))(torch.tensor(w0)).numpy(), rtol=1e-12
    )
    assert gradcheck(inner, leaf(w0))


def test_differentiable_tangents_cotangents_and_hvp_vectors():
    """The direction of a jvp/vjp/hvp may itself be on the graph: the result is differentiable in it,
    even when the point is a plain array."""
    x0 = np.array([0.5, -0.2, 1.1])
    assert gradcheck(lambda t: (functional.jvp(f, x0, t)[1] ** 2).sum(), leaf([1.0, 2.0, -1.0]))
    assert gradcheck(lambda u: (functional.vjp(f, x0)[1](u)[0] ** 2).sum(), leaf([1.0, 2.0, -1.0]))
    assert gradcheck(
        lambda v: (functional.hvp(lambda z: f(z).sum(), x0, v)[1] ** 2).sum(), leaf([1.0, 2.0, -1.0])
    )
    # a constant tangent next to one on the graph (a tuple of inputs)
    g = lambda a, b: a * b  # noqa: E731
    assert gradcheck(
        lambda t: functional.jvp(g, (x0, x0 + 1), (np.ones(3), t))[1].sum(), leaf([0.3, 0.1, -0.4])
    )


def test_one_tensor_in_two_positions_gets_each_positions_derivative():
    x = leaf([0.5, -1.5])
    ja, jb = functional.jacobian(lambda a, b: a * autobp.sin(b), (x, x))
    np.testing.assert_allclose(ja.data, np.diag(np.sin(x.data)))
    np.testing.assert_allclose(jb.data, np.diag(x.data * np.cos(x.data)))
    assert gradcheck(lambda z: functional.jacobian(lambda a, b: a * autobp.sin(b), (z, z))[1].sum(), x)


def test_backward_through_a_nested_jacobian_fills_the_callers_grad_like_torch():
    torch = pytest.importorskip("torch")
    x = leaf([0.3, -0.7])
    functional.jacobian(_autograd_f, x).sum().backward()
    tx = torch.tensor([0.3, -0.7], dtype=torch.float64, requires_grad=True)
    torch.func.jacrev(lambda z: _autograd_f(z, torch))(tx).sum().backward()
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), rtol=1e-12)


def test_create_graph_false_returns_constants_and_plain_calls_record_nothing():
    x = leaf([0.3, -0.7])
    assert functional.jacobian(_autograd_f, x).requires_grad  # nested by default
    assert not functional.jacobian(_autograd_f, x, create_graph=False).requires_grad  # as asked
    assert not functional.hessian(lambda z: f(z).sum(), x, create_graph=False).requires_grad
    plain = np.array([0.3, -0.7])
    assert not functional.jacobian(_autograd_f, plain).requires_grad
    assert not functional.hessian(lambda z: f(z).sum(), plain).requires_grad
    assert not functional.hvp(lambda z: f(z).sum(), plain, np.ones(2))[1].requires_grad
    assert not functional.vjp(f, plain)[1](np.ones(2))[0].requires_grad
    assert x.grad is None


def test_gradcheck_checks_plain_backward_rules_whatever_graph_its_inputs_are_on():
    """gradcheck's analytical side is its own plain path (its inputs require grad, but it does not
    nest): a custom op whose backward is right only when it is not recorded passes gradcheck, though
    the recorded Jacobian (what a nested jacobian computes) is twice the true one."""

    class RightOnlyWhenPlain(Cube):
        @staticmethod
        def backward(ctx, grad):
            wrong = 2.0 if autobp.is_grad_enabled() else 1.0  # grad mode is on only when recorded
            return Cube.backward(ctx, grad) * wrong

    x = leaf([0.4, -0.7, 1.3])
    assert gradcheck(RightOnlyWhenPlain.apply, x)
    assert gradcheck(RightOnlyWhenPlain.apply, x, fast_mode=True)
    assert x.grad is None
    recorded = functional.jacobian(RightOnlyWhenPlain.apply, x).data  # x requires grad: nested
    plain = functional.jacobian(RightOnlyWhenPlain.apply, x, create_graph=False).data
    np.testing.assert_allclose(plain, np.diag(3 * x.data**2))
    np.testing.assert_allclose(recorded, 2 * plain)
