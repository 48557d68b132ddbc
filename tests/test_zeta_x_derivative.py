"""The Hurwitz zeta function's derivatives in x (JAX has them; torch.special.zeta does not): values of
d^n/dx^n zeta(x, q) against 40-digit mpmath, gradients against central differences to second order."""

import numpy as np
import pytest
import scipy.special as sc
from hypothesis import given, settings
from hypothesis import strategies as st

import autobp
import autobp.special as sp
from autobp.special._zeta_series import zeta_derivative

mpmath = pytest.importorskip("mpmath")  # installed with torch's sympy

_POINTS = [
    (1.0001, 0.5),
    (1.5, 1e-3),
    (2.0, 1.0),
    (3.0, 2.0),
    (11.0, 25.0),
    (30.0, 0.3),
    (200.0, 0.7),
    (1.5, 1e3),
]


def _mp(x: float, q: float, n: int) -> float:
    with mpmath.workdps(40):
        return float(mpmath.zeta(x, q, derivative=n))


@pytest.mark.parametrize("n", [0, 1, 2, 3])
def test_derivatives_in_x_match_mpmath(n):
    x, q = np.array(_POINTS).T
    want = [_mp(a, b, n) for a, b in _POINTS]
    np.testing.assert_allclose(zeta_derivative(x, q, n), want, rtol=2e-14)


def test_zeta_itself_matches_scipy_and_known_constant():
    x, q = np.array(_POINTS).T
    np.testing.assert_allclose(zeta_derivative(x, q, 0), sc.zeta(x, q), rtol=2e-14)
    # zeta'(2) = (pi^2 / 6)(gamma + log(2 pi) - 12 log A), A Glaisher's constant
    glaisher = 1.2824271291006226
    want = np.pi**2 / 6 * (np.euler_gamma + np.log(2 * np.pi) - 12 * np.log(glaisher))
    x = autobp.tensor(2.0, requires_grad=True)
    sp.zeta(x).backward()
    assert x.grad == pytest.approx(want, rel=1e-13)


def test_outside_the_domain():
    got = zeta_derivative(np.array([1.0, 1.0, 0.5, 2.0, 2.0]), np.array([2.0, 2.0, 2.0, -0.5, 0.0]), 1)
    assert got[0] == -np.inf and np.isnan(got[2:]).all()
    assert zeta_derivative(1.0, 2.0, 2) == np.inf  # zeta ~ 1/(x - 1): signs alternate with the order


def test_float32_stays_float32_and_agrees():
    x = autobp.tensor(np.float32([2.5, 4.0]), requires_grad=True)
    q = autobp.tensor(np.float32([0.5, 3.0]), requires_grad=True)
    sp.zeta(x, q).sum().backward()
    assert x.grad.dtype == np.float32 and q.grad.dtype == np.float32
    np.testing.assert_allclose(x.grad, [_mp(2.5, 0.5, 1), _mp(4.0, 3.0, 1)], rtol=1e-6)


@settings(max_examples=15, deadline=None)
@given(
    st.lists(st.floats(1.3, 12.0), min_size=1, max_size=4),
    st.floats(0.2, 6.0),
)
def test_gradients_in_x_and_q_to_second_order(xs, q):
    x = autobp.tensor(np.array(xs), requires_grad=True)
    qq = autobp.tensor(np.full(len(xs), q), requires_grad=True)
    assert autobp.gradcheck(sp.zeta, (x, qq))
    assert autobp.gradgradcheck(sp.zeta, (x, qq))
