"""autobp.func.fixed_point: the fixed point's value, and its implicit-function-theorem gradient
(first and second order) against finite differences and the closed forms."""

import numpy as np
import pytest

import autobp
from autobp import Tensor, gradcheck, gradgradcheck
from autobp.func import fixed_point, grad


def _dist(x, y):
    return autobp.max(autobp.abs(x - y))


def _sqrt(a, tol=1e-12):
    """sqrt(a) as the fixed point of gradient descent on (x^2 - a)^2 / 4 (a contraction near sqrt a)."""
    return fixed_point(lambda a: lambda x: x - 0.05 * (x**2 - a), a, np.ones(np.shape(a)), _dist, tol)


def test_value_and_derivatives_of_a_square_root():
    a = 2.0
    assert float(_sqrt(a)) == pytest.approx(np.sqrt(a), rel=1e-10)
    assert float(grad(_sqrt)(a)) == pytest.approx(0.5 / np.sqrt(a), rel=1e-8)
    assert float(grad(grad(_sqrt))(a)) == pytest.approx(-0.25 * a**-1.5, rel=1e-7)


def test_vector_parameters_match_finite_differences():
    a = Tensor(np.array([1.5, 2.0, 3.0]), requires_grad=True)
    assert gradcheck(lambda a: _sqrt(a), (a,), atol=1e-6)
    assert gradgradcheck(lambda a: _sqrt(a), (a,), atol=1e-6)


def test_pytree_parameter_linear_system():
    """x = A x + b: x* = (I - A)^{-1} b; gradients with respect to both leaves of the pair (A, b)."""
    rng = np.random.default_rng(0)
    A = 0.3 * rng.standard_normal((3, 3)) / 3
    b = rng.standard_normal(3)

    def solve(p):
        return fixed_point(lambda p: lambda x: p[0] @ x + p[1], p, np.zeros(3), _dist, 1e-13)

    np.testing.assert_allclose(solve((A, b)), np.linalg.solve(np.eye(3) - A, b), rtol=1e-10)
    At = Tensor(A, requires_grad=True)
    bt = Tensor(b, requires_grad=True)
    assert gradcheck(lambda A, b: solve((A, b)), (At, bt), atol=1e-6)


def test_the_starting_point_gets_a_zero_gradient():
    x0 = Tensor(np.array([3.0]), requires_grad=True)
    a = Tensor(np.array([2.0]), requires_grad=True)
    (fixed_point(lambda a: lambda x: x - 0.05 * (x**2 - a), a, x0, _dist, 1e-12)).sum().backward()
    np.testing.assert_allclose(x0.grad, [0.0])
    np.testing.assert_allclose(a.grad, 0.5 / np.sqrt([2.0]), rtol=1e-8)


def test_no_convergence_raises():
    with pytest.raises(RuntimeError, match="no convergence to tol=1e-12 in 50 iterations"):
        fixed_point(lambda a: lambda x: 2.0 * x + a, 1.0, 1.0, _dist, 1e-12, 50)
