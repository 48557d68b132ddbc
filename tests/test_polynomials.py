"""The legacy polynomial functions beyond the op table: polyfit's values against numpy (to rounding:
another least-squares solver) with weights, full and cov, its gradient against finite differences
and against the normal equations; roots' real/complex results and gradient; numpy's errors."""

import warnings

import numpy as np
import pytest

import autobp
from autobp import Tensor

RNG = np.random.default_rng(3)
X = np.linspace(-1.0, 2.0, 7)
Y = 0.5 * X**2 - X + 0.3 + 0.1 * RNG.standard_normal(7)
Y2 = np.stack([Y, np.cos(X)], axis=1)
W = RNG.uniform(0.5, 2.0, 7)


@pytest.mark.parametrize("deg", [0, 1, 2, 3])
@pytest.mark.parametrize("y", [Y, Y2], ids=["1d", "2d"])
def test_polyfit_values_match_numpy(deg, y):
    np.testing.assert_allclose(autobp.polyfit(X, y, deg), np.polyfit(X, y, deg), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(
        autobp.polyfit(X, y, deg, w=W), np.polyfit(X, y, deg, w=W), rtol=1e-9, atol=1e-12
    )


@pytest.mark.parametrize("cov", [True, "unscaled"])
@pytest.mark.parametrize("y", [Y, Y2], ids=["1d", "2d"])
def test_polyfit_covariance_matches_numpy(cov, y):
    c, v = autobp.polyfit(X, y, 2, w=W, cov=cov)
    c0, v0 = np.polyfit(X, y, 2, w=W, cov=cov)
    np.testing.assert_allclose(c, c0, rtol=1e-9)
    np.testing.assert_allclose(v, v0, rtol=1e-8, atol=1e-14)
    assert v.shape == v0.shape


def test_polyfit_full_matches_numpy():
    ours, theirs = autobp.polyfit(X, Y, 2, full=True), np.polyfit(X, Y, 2, full=True)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-9)


def test_polyfit_gradient_in_y_is_the_least_squares_solution_operator():
    # c = (V^T V)^-1 V^T y is linear in y: the gradient of sum(c * g) is V (V^T V)^-1 g
    yt = Tensor(Y, requires_grad=True)
    g = np.array([1.0, -2.0, 0.5])
    (autobp.polyfit(X, yt, 2) * g).sum().backward()
    v = np.vander(X, 3)
    np.testing.assert_allclose(yt.grad, v @ np.linalg.solve(v.T @ v, g), rtol=1e-9)


def test_polyfit_gradients_in_x_y_and_weights_match_finite_differences():
    leaves = [Tensor(a, requires_grad=True) for a in (X, Y, W)]
    assert autobp.gradcheck(lambda x, y, w: autobp.polyfit(x, y, 2, w=w), leaves)
    assert autobp.gradcheck(lambda x, y, w: autobp.polyfit(x, y, 1, w=w, cov=True)[1], leaves)


def test_polyfit_warns_when_poorly_conditioned_and_refuses_bad_input():
    with pytest.warns(np.exceptions.RankWarning):
        autobp.polyfit([1.0, 1.0, 1.0], [1.0, 2.0, 3.0], 2)
    with pytest.raises(ValueError, match="deg >= 0"):
        autobp.polyfit(X, Y, -1)
    with pytest.raises(TypeError, match="same length"):
        autobp.polyfit(X, Y[:-1], 1)
    with pytest.raises(TypeError, match="1-d vector for x"):
        autobp.polyfit(X[None], Y, 1)
    with pytest.raises(ValueError, match="must exceed order"):
        autobp.polyfit(X[:3], Y[:3], 2, cov=True)


def test_roots_are_real_when_numpy_gives_real_and_complex_otherwise():
    real = autobp.roots([1.0, -3.0, 2.0])
    assert real.dtype == np.float64
    np.testing.assert_allclose(np.sort(real), [1.0, 2.0])
    pair = autobp.roots([1.0, 0.0, 1.0])
    assert pair.dtype == np.complex128 and np.roots([1.0, 0.0, 1.0]).dtype == np.complex128
    np.testing.assert_allclose(np.sort_complex(pair), [-1j, 1j], atol=1e-14)
    np.testing.assert_array_equal(
        autobp.roots([0.0, 0.0, 1.0, 0.0, 0.0]), np.roots([0.0, 0.0, 1.0, 0.0, 0.0])
    )
    assert autobp.roots([0.0, 0.0]).shape == (0,) == np.roots([0.0, 0.0]).shape


def test_roots_gradient_is_the_implicit_function_derivative():
    # a simple root r of p moves by dr/dp_k = -r^(n-k) / p'(r)
    p = Tensor([2.0, -3.0, -5.0, 6.0], requires_grad=True)  # 2 (x - 1)(x + 1.5)(x - 2)
    r = autobp.roots(p)
    k = int(np.argmin(np.abs(r.data - 1.0)))
    r[k].backward()
    powers = 1.0 ** np.arange(3, -1, -1)
    dp = np.polyval(np.polyder(p.data), 1.0)
    np.testing.assert_allclose(p.grad, -powers / dp, rtol=1e-9)


def test_poly_of_no_roots_is_one_and_bad_shapes_are_refused():
    assert autobp.poly([]) == 1.0 == np.poly([])
    with pytest.raises(ValueError, match="1d or non-empty square 2d"):
        autobp.poly(np.ones((2, 3)))
    with pytest.raises(ValueError, match="rank-1"):
        autobp.roots(np.ones((2, 2)))


def test_polyder_polyint_errors_and_constants():
    with pytest.raises(ValueError, match="positive"):
        autobp.polyder([1.0, 2.0], -1)
    with pytest.raises(ValueError, match="positive"):
        autobp.polyint([1.0, 2.0], -1)
    with pytest.raises(ValueError, match="k must be"):
        autobp.polyint([1.0, 2.0], 3, k=[1.0, 2.0])
    np.testing.assert_array_equal(autobp.polyint([3.0, 2.0], 3, k=2.0), np.polyint([3.0, 2.0], 3, k=2.0))
    k = Tensor([1.0, 2.0], requires_grad=True)
    autobp.polyint(Tensor([3.0, 2.0]), 2, k).sum().backward()
    np.testing.assert_array_equal(k.grad, [1.0, 1.0])  # the constants land as the last two coefficients


def test_polydiv_drops_the_cancelled_remainder_terms_as_numpy():
    u, v = [1.0, -6.0, 11.0, -6.0], [1.0, -1.0]  # (x-1)(x-2)(x-3) / (x-1): remainder 0
    q, r = autobp.polydiv(u, v)
    q0, r0 = np.polydiv(u, v)
    np.testing.assert_allclose(q, q0)
    assert r.shape == r0.shape == (1,)


def test_numpys_polynomial_functions_dispatch_on_tensors():
    p = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        outs = [np.polyval(p, 2.0), np.polyder(p), np.polyint(p), np.polymul(p, p), np.polyadd(p, [1.0])]
    assert all(isinstance(o, Tensor) for o in outs)
    np.polyval(p, 2.0).backward()
    np.testing.assert_array_equal(p.grad, [4.0, 2.0, 1.0])
