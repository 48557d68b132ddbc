"""autobp.integrate.odeint against scipy.integrate.odeint (values), and its adjoint gradients against
finite differences on a small neural ODE that trains."""

import numpy as np
import pytest
import scipy.integrate

import autobp
from autobp import Tensor
from autobp.integrate import odeint

from .helpers import check_gradients


def test_values_match_scipy():
    t = np.linspace(0.0, 2.0, 5)
    ours = odeint(lambda y, t, a: -a * y + 0.3 * t * autobp.tanh(y), np.array([1.0, 2.0]), t, args=(0.5,))
    expected = scipy.integrate.odeint(
        lambda y, t, a: -a * y + 0.3 * t * np.tanh(y), [1.0, 2.0], t, args=(0.5,), rtol=1e-11, atol=1e-12
    )
    np.testing.assert_allclose(ours.data, expected, rtol=1e-6)


def test_matrix_ode_gradients_match_finite_differences():
    def f(y, t, w):
        return autobp.tanh(y @ w)

    rng = np.random.default_rng(0)
    check_gradients(
        lambda y0, w: odeint(f, y0, np.array([0.0, 0.3, 1.0]), args=(w,), substeps=16),
        rng.standard_normal((3, 2)),
        rng.standard_normal((2, 2)) * 0.5,
        rtol=1e-4,
        atol=1e-7,
    )


def test_a_neural_ode_fits_a_decay():
    t = np.linspace(0.0, 1.0, 6)
    target = np.exp(-1.5 * t)[:, None] * np.array([1.0, -0.5])
    w = Tensor(np.zeros((2, 2)), requires_grad=True)
    opt = autobp.optim.Adam([w], lr=0.1)

    def loss():
        ys = odeint(lambda y, t, w: y @ w, np.array([1.0, -0.5]), t, args=(w,), substeps=4)
        return ((ys - target) ** 2).mean()

    first = loss().item()
    for _ in range(60):
        opt.zero_grad()
        value = loss()
        value.backward()
        opt.step()
    assert loss().item() < first / 20


def test_bad_times_raise():
    with pytest.raises(ValueError, match="1-d sequence of times"):
        odeint(lambda y, t: -y, np.ones(2), 1.0)
