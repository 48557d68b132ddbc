"""autobp.special where JAX's own scipy tests found it wrong or missing: higher derivatives of i0/i1
near 0, factorial's dtype on plain arrays, beta of negative arguments, loggamma, boxcox1p, complex
gamma, and the shape-parameter derivatives of gammainc/gammaincc/hyp1f1/hyp2f1. Values from scipy,
gradients against autobp.gradcheck (central differences) or closed forms from scipy."""

import math

import numpy as np
import pytest
import scipy.special as sc

from autobp import Tensor, gradcheck
from autobp import special as sp
from autobp.func import grad, vmap


def _t(*values):
    return Tensor(np.asarray(values, dtype=np.float64), requires_grad=True)


@pytest.mark.parametrize("order", [1, 2, 3, 4])
def test_higher_derivatives_of_i0_and_i1_near_zero(order):
    eps = np.finfo(np.float64).eps
    x = np.array([0.0, eps * 0.01, eps, eps * 100, 1e-3, 1.0, 3.5])
    # d^n/dx^n I_m = 2^-n sum_k C(n, k) I_{|2k - n + m|}(x) (from I_m' = (I_{m-1} + I_{m+1}) / 2)
    for fn, m in ((sp.i0, 0), (sp.i1, 1)):
        f = fn
        for _ in range(order):
            f = grad(f)
        n = order
        want = sum(math.comb(n, k) * sc.iv(abs(2 * k - n + m), x) for k in range(n + 1)) / 2**n
        np.testing.assert_allclose(vmap(f)(x).data, want, rtol=1e-10, atol=1e-300)


def test_i1e_derivative_is_stable_and_second_order_checks():
    x = _t(-2.0, -0.3, 1e-9, 0.4, 3.0)
    assert gradcheck(sp.i1e, (x,))
    np.testing.assert_allclose(grad(sp.i1e)(1e-12), 0.5, rtol=1e-9)


def test_factorial_of_plain_float32_stays_float32():
    x = np.array([0.5, 2.0, -1.0], dtype=np.float32)
    got = sp.factorial(x)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, sc.factorial(x.astype(np.float64)), rtol=1e-6)
    assert sp.factorial(np.array([3, 4])).dtype == np.float64
    assert sp.factorial(5, exact=True) == 120


def test_beta_of_negative_arguments_matches_scipy():
    a = np.array([-0.5, 1.5, -2.3, 0.7, -1.5])
    b = np.array([1.2, -0.4, -1.1, 2.0, -0.25])
    np.testing.assert_allclose(sp.beta(a, b), sc.beta(a, b), rtol=1e-12)
    assert gradcheck(sp.beta, (_t(-0.5, 1.5, -2.3), _t(1.2, -0.4, -1.1)))


def test_loggamma_real_and_complex():
    x = np.array([0.5, 3.0, 40.0, -0.5], dtype=np.float32)
    got = sp.loggamma(x)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, sc.loggamma(x), rtol=1e-6)
    z = np.array([0.5 + 1j, -2.5 + 1e-12j, -2.5 - 1e-12j, 3.0 - 4.0j])
    np.testing.assert_allclose(sp.loggamma(z), sc.loggamma(z), rtol=1e-12)
    assert gradcheck(sp.loggamma, (_t(0.3, 2.0, 7.5),))
    np.testing.assert_allclose(grad(sp.loggamma)(2.5), sc.digamma(2.5), rtol=1e-12)
    t = Tensor(np.array([0.5 + 1j, 2.0 - 0.5j]), requires_grad=True)
    sp.loggamma(t).real.sum().backward()
    np.testing.assert_allclose(t.grad, np.conj(sc.psi(t.data)), rtol=1e-12)  # PyTorch's g conj(f')


def test_boxcox1p_values_and_gradients():
    x = np.array([-0.5, 0.0, 0.3, 4.0])
    for lm in (-1.2, 0.0, 1e-5, 0.7):
        np.testing.assert_allclose(sp.boxcox1p(x, lm), sc.boxcox1p(x, lm), rtol=1e-12, atol=1e-15)
    assert gradcheck(sp.boxcox1p, (_t(-0.4, 0.3, 2.0), _t(-0.8, 1e-5, 1.3)))
    assert gradcheck(lambda lm: sp.boxcox1p(np.array([0.5, 2.0]), lm), (_t(0.0, 0.0),))


def test_complex_gamma_matches_scipy_with_poles_nan():
    z = np.array([-0.5 + 0j, -1.5 + 0j, 0.5 + 1j, 0.5 - 1j, -2.5 + 1e-12j, -2.5 - 1e-12j])
    np.testing.assert_allclose(sp.gamma(z), sc.gamma(z), rtol=1e-12)
    poles = sp.gamma(np.array([0j, -1 + 0j, -5 + 0j]))
    assert np.all(np.isnan(poles.real)) and np.all(np.isnan(poles.imag))
    t = Tensor(np.array([0.5 + 1j, 1.5 - 0.3j]), requires_grad=True)
    sp.gamma(t).real.sum().backward()
    np.testing.assert_allclose(t.grad, np.conj(sc.gamma(t.data) * sc.psi(t.data)), rtol=1e-12)


@pytest.mark.parametrize("fn", [sp.gammainc, sp.gammaincc])
def test_incomplete_gamma_is_differentiable_in_a(fn):
    a = _t(0.5, 1.5, 3.0, 10.0, 2.0)
    x = _t(0.3, 2.0, 9.0, 8.0, 1e-2)
    assert gradcheck(fn, (a, x))
    with pytest.raises(NotImplementedError, match="second derivative"):
        grad(grad(lambda a: fn(a, 1.5)))(2.0)


def test_hyp1f1_is_differentiable_in_a_and_b():
    a = _t(0.7, 2.0, 5.0, 1.2)
    b = _t(1.8, 0.6, 3.0, 2.5)
    x = _t(-3.0, 2.0, 12.0, -10.0)
    assert gradcheck(sp.hyp1f1, (a, b, x), rtol=1e-6)


def test_hyp2f1_is_differentiable_in_a_b_and_c():
    a = _t(0.5, 0.3, 2.0, 0.2)
    b = _t(1.2, 0.8, -0.5, 0.6)
    c = _t(2.3, 0.4, 3.5, 0.7)
    z = _t(0.6, -3.0, 0.9, 0.15)
    assert gradcheck(sp.hyp2f1, (a, b, c, z), rtol=1e-6)


def test_comb_with_repetition_of_zero_items_is_one():
    n, k = np.array([0.0, 0.0, 3.0, 2.5]), np.array([0.0, 4.0, 0.0, 2.0])
    np.testing.assert_allclose(sp.comb(n, k, repetition=True), sc.comb(n, k, repetition=True))
    assert gradcheck(lambda t: sp.comb(t, 2.0, repetition=True), (_t(2.5, 4.0),))
