"""special.logsumexp, sph_harm_y and trapezoid where JAX's lax_scipy_test found them wrong or short:
the log of a negative b-weighted sum (nan, as scipy), JAX's ``where=``, complex input with ``b`` or
``return_sign`` (scipy >= 1.13), JAX's ``n_max`` and numpy's x of lower rank. Values from scipy/numpy,
gradients against autobp.gradcheck or the closed form."""

import numpy as np
import scipy.special as sc

from autobp import Tensor, gradcheck, trapezoid
from autobp import special as sp
from autobp.func import grad

rng = np.random.default_rng(7)


def test_logsumexp_of_a_negative_sum_is_nan_as_scipy():
    a = np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]])
    b = np.array([[1.0, -1.0, -1.0], [1.0, 1.0, 1.0]])
    got = sp.logsumexp(a, axis=1, b=b)
    np.testing.assert_allclose(got, sc.logsumexp(a, axis=1, b=b))  # [nan, finite]
    assert np.isnan(got[0]) and np.isfinite(got[1])
    out, sign = sp.logsumexp(a, axis=1, b=b, return_sign=True)
    want = sc.logsumexp(a, axis=1, b=b, return_sign=True)
    np.testing.assert_allclose(out, want[0])
    np.testing.assert_array_equal(sign, want[1])
    assert sp.logsumexp(np.zeros(0)) == -np.inf  # an empty sum stays -inf


def test_logsumexp_where_leaves_elements_out():
    x = rng.standard_normal((3, 5))
    mask = rng.random((3, 5)) < 0.5
    mask[1] = False
    got = sp.logsumexp(x, axis=1, where=mask)
    for i in range(3):
        want = sc.logsumexp(x[i][mask[i]]) if mask[i].any() else -np.inf
        np.testing.assert_allclose(got[i], want)
    g = grad(lambda t: sp.logsumexp(t, where=np.arange(5) < 4))(np.array([0.0, 0.0, 0.0, 0.0, 100.0]))
    np.testing.assert_allclose(g, [0.25, 0.25, 0.25, 0.25, 0.0])
    t = Tensor(rng.standard_normal(6), requires_grad=True)
    assert gradcheck(lambda u: sp.logsumexp(u, b=np.arange(1.0, 7.0), where=np.arange(6) % 2 == 0), (t,))


def test_complex_logsumexp_with_b_and_sign_matches_scipy():
    x = rng.standard_normal((2, 4)) + 1j * rng.standard_normal((2, 4))
    b = rng.standard_normal((2, 4))
    np.testing.assert_allclose(sp.logsumexp(x, axis=1, b=b), sc.logsumexp(x, axis=1, b=b), rtol=1e-12)
    out, sign = sp.logsumexp(x, axis=0, return_sign=True)
    want_out, want_sign = sc.logsumexp(x, axis=0, return_sign=True)
    np.testing.assert_allclose(out, want_out, rtol=1e-12)
    np.testing.assert_allclose(sign, want_sign, rtol=1e-12)
    assert out.dtype == np.float64 and sign.dtype == np.complex128
    # log|s| = Re(log s): its gradient (PyTorch's convention) is conj of d log s / da = conj(b e^a / s)
    t = Tensor(x[0], requires_grad=True)
    sp.logsumexp(t, b=b[0], return_sign=True)[0].backward()
    s = np.sum(b[0] * np.exp(x[0]))
    np.testing.assert_allclose(t.grad, np.conj(b[0] * np.exp(x[0]) / s), rtol=1e-12)
    u = Tensor(x[1], requires_grad=True)
    assert gradcheck(lambda v: sp.logsumexp(v, b=b[1], return_sign=True)[0], (u,))
    assert gradcheck(lambda v: sp.logsumexp(v, b=b[1]).imag, (u,))


def test_sph_harm_y_n_max_clips_the_degree_as_jax():
    theta, phi = np.array([0.9, 0.3]), np.array([0.2, 1.1])
    n, m = np.array([10, 3]), np.array([2, -1])
    got = sp.sph_harm_y(n, m, theta, phi, n_max=6)
    np.testing.assert_allclose(got, sc.sph_harm_y(np.minimum(n, 6), m, theta, phi), rtol=1e-12)
    np.testing.assert_allclose(sp.sph_harm(m, n, phi, theta, 6), got, rtol=1e-12)


def test_trapezoid_with_x_of_lower_rank_is_numpys():
    y = rng.standard_normal((2, 3, 10))
    x = np.cumsum(rng.random((3, 10)), axis=0)
    np.testing.assert_allclose(trapezoid(y, x, axis=-2), np.trapezoid(y, x, axis=-2), rtol=1e-12)
    ty, tx = Tensor(y, requires_grad=True), Tensor(x, requires_grad=True)
    assert gradcheck(lambda u, v: trapezoid(u, v, axis=-2), (ty, tx))
