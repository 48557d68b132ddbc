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


def test_default_solver_is_scipys_with_its_options():
    """Without substeps the values are scipy's own (LSODA with the given rtol), to rounding."""
    t = np.linspace(0.0, 1.5, 7)
    A = np.array([[-0.1, 2.0], [-2.0, -0.1]])
    ours = odeint(lambda y, t, A: (y**3) @ A, np.array([2.0, 0.0]), t, args=(A,), rtol=0.01)
    expected = scipy.integrate.odeint(lambda y, t, A: (y**3) @ A, [2.0, 0.0], t, args=(A,), rtol=0.01)
    np.testing.assert_allclose(ours.data, expected, rtol=1e-12, atol=1e-14)


def test_pytree_args_and_their_gradients():
    """args may hold a list of (W, b) layer pairs, as scipy passes args on untouched; gradients of
    every leaf (and y0, t) match finite differences of the (tightly solved) solution."""
    rng = np.random.default_rng(3)
    W1, b1, W2, b2 = (rng.standard_normal(s) * 0.5 for s in ((2, 4), (4,), (4, 2), (2,)))

    def net(y, t, layers):
        (Wa, ba), (Wb, bb) = layers
        return autobp.tanh(y @ Wa + ba) @ Wb + bb

    times = np.array([0.0, 0.4, 1.0])
    check_gradients(
        lambda y0, t, W1, b1, W2, b2: odeint(net, y0, t, ([(W1, b1), (W2, b2)],), rtol=1e-11, atol=1e-12),
        np.array([0.3, -0.2]),
        times,
        W1,
        b1,
        W2,
        b2,
        rtol=1e-4,
        atol=1e-6,
    )


def test_func_grad_through_odeint_nests_to_higher_orders():
    """func.grad records (create_graph) so it nests: odeint's recorded adjoint is itself solved by
    odeint, so it differentiates again; y(T) = exp(-k T) gives (-T)^n exp(-k T) for the n-th derivative."""
    t = np.array([0.0, 0.5])

    def end(k):
        return odeint(lambda y, t, k: -k * y, np.array([1.0]), t, args=(k,), rtol=1e-11, atol=1e-12)[-1].sum()

    d = end
    for n in range(1, 4):
        d = autobp.func.grad(d)
        assert float(d(2.0)) == pytest.approx((-0.5) ** n * np.exp(-1.0), rel=1e-6)


@pytest.mark.parametrize("substeps", [None, 8])
def test_second_derivatives_in_y0_every_time_and_args(substeps):
    """gradgradcheck: the recorded adjoint's own gradients (in y0, t, a parameter and the cotangent)
    against central differences of the first derivative."""

    def f(y, t, w):
        return autobp.tanh(w @ y) * (1.0 + 0.3 * t) - 0.2 * y

    y0 = autobp.tensor([0.3, -0.2], requires_grad=True)
    t = autobp.tensor([0.0, 0.3, 0.5], requires_grad=True)
    w = autobp.tensor([[0.5, -0.4], [0.3, 0.2]], requires_grad=True)
    opts = {"rtol": 1e-10, "atol": 1e-10} if substeps is None else {"substeps": substeps}
    assert autobp.gradgradcheck(lambda y0, t, w: odeint(f, y0, t, args=(w,), **opts), (y0, t, w), atol=1e-4)
    # the recorded first derivative is the plain adjoint's (which gradcheck checks)
    v = np.random.default_rng(0).standard_normal((3, 2))
    out = odeint(f, y0, t, args=(w,), **opts)
    recorded = autobp.grad(out, [y0, t, w], grad_outputs=v, create_graph=True)
    plain = autobp.grad(odeint(f, y0, t, args=(w,), **opts), [y0, t, w], grad_outputs=v)
    for r, p in zip(recorded, plain):
        assert r.requires_grad
        np.testing.assert_allclose(r.data, p.data, rtol=1e-5, atol=1e-7)
    assert autobp.gradcheck(lambda y0, t, w: odeint(f, y0, t, args=(w,), **opts), (y0, t, w), atol=1e-4)


def test_unsupported_scipy_options_raise():
    with pytest.raises(ValueError, match="full_output"):
        odeint(lambda y, t: -y, np.ones(2), np.array([0.0, 1.0]), full_output=True)
    with pytest.raises(TypeError, match="unexpected keyword argument"):
        odeint(lambda y, t: -y, np.ones(2), np.array([0.0, 1.0]), rtoll=1e-3)


def test_second_derivatives_with_pytree_and_integer_args():
    """An integer argument (handed to func in y's dtype, never differentiated) beside a pytree of
    layers: the recorded adjoint differentiates the float leaves only, to second order."""

    def f(y, t, layers, n):
        W, b = layers[0]
        return autobp.tanh(W @ y + b) * n - 0.1 * y

    y0 = autobp.tensor([0.3, -0.2], requires_grad=True)
    W = autobp.tensor([[0.5, -0.4], [0.3, 0.2]], requires_grad=True)
    b = autobp.tensor([0.1, -0.1], requires_grad=True)
    t = np.array([0.0, 0.4, 0.7])

    def solve(y0, W, b):
        return odeint(f, y0, t, args=([(W, b)], 2), rtol=1e-10, atol=1e-10)

    assert autobp.gradgradcheck(solve, (y0, W, b), atol=1e-4)
