"""multivariate_normal.logpdf as one op: its value is scipy's bit for bit (a GP fitted by an
optimiser then follows scipy users' path), its gradient agrees with a 50-digit reference and with
PyTorch's MultivariateNormal (symmetric in cov), and every cov/mean form scipy takes still works."""

import mpmath
import numpy as np
import pytest
import scipy.stats as ss

import autobp
from autobp import Tensor

mvn = autobp.stats.multivariate_normal


def _spd(k, cond, seed):
    """A symmetric positive definite (k, k) matrix with condition number ``cond``."""
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.standard_normal((k, k)))
    c = (q * np.geomspace(1.0, cond, k)) @ q.T
    return (c + c.T) / 2


@pytest.mark.parametrize("n", [None, 1, 5])
def test_value_is_scipys_bit_for_bit(n):
    rng = np.random.default_rng(0)
    cov = _spd(6, 1e4, 1)
    x = rng.standard_normal(6 if n is None else (n, 6))
    mean = rng.standard_normal(6)
    ours = mvn.logpdf(Tensor(x, requires_grad=True), Tensor(mean, requires_grad=True), Tensor(cov))
    np.testing.assert_array_equal(ours.data, ss.multivariate_normal.logpdf(x, mean, cov))


@pytest.mark.parametrize("cov", [2.5, np.array([1.0, 2.0, 0.5])])
def test_number_and_diagonal_covariances_and_no_mean_are_scipys(cov):
    x = np.random.default_rng(1).standard_normal((4, 3))
    mean = np.array([0.5, -1.0, 0.0])
    np.testing.assert_array_equal(mvn.logpdf(x, mean, cov).data, ss.multivariate_normal.logpdf(x, mean, cov))
    full = np.diag(np.broadcast_to(cov, (3,)))  # no mean, or a number, with a matrix
    np.testing.assert_array_equal(
        mvn.logpdf(x, None, full).data, ss.multivariate_normal.logpdf(x, None, full)
    )
    half = ss.multivariate_normal.logpdf(x, np.full(3, 0.5), full)  # scipy takes no number as the mean here
    np.testing.assert_array_equal(mvn.logpdf(x, 0.5, full).data, half)


def test_one_mean_per_point_broadcasts():
    rng = np.random.default_rng(2)
    x, means, cov = rng.standard_normal((4, 3)), rng.standard_normal((4, 3)), _spd(3, 10.0, 3)
    got = mvn.logpdf(x, means, cov).data
    want = [ss.multivariate_normal.logpdf(x[i], means[i], cov) for i in range(4)]
    np.testing.assert_allclose(got, want, rtol=1e-13)


def _reference(x, mean, cov):
    """d log p / dx and d log p / dcov (symmetric) in 50-digit arithmetic."""
    with mpmath.workdps(50):
        inv = mpmath.matrix(cov.tolist()) ** -1
        s = inv * mpmath.matrix((x - mean).tolist())
        gc = (s * s.T - inv) / 2
        k = len(x)
        return np.array([float(-v) for v in s]), np.array(
            [[float(gc[i, j]) for j in range(k)] for i in range(k)]
        )


@pytest.mark.parametrize("cond", [10.0, 1e6])
def test_gradient_agrees_with_a_high_precision_reference(cond):
    rng = np.random.default_rng(4)
    cov, x, mean = _spd(5, cond, 5), rng.standard_normal(5), rng.standard_normal(5)
    xs = [Tensor(v, requires_grad=True) for v in (x, mean, cov)]
    mvn.logpdf(*xs).backward()
    gx, gc = _reference(x, mean, cov)
    tol = 10 * cond * np.finfo(float).eps  # a backward-stable solve's error grows with cond(cov)
    assert np.abs(xs[0].grad - gx).max() <= tol * np.abs(gx).max()
    assert np.abs(xs[1].grad + gx).max() <= tol * np.abs(gx).max()
    assert np.abs(xs[2].grad - gc).max() <= tol * np.abs(gc).max()  # symmetric, as the reference


@pytest.mark.parametrize("n", [1, 4])
def test_gradients_match_torch_on_a_raw_covariance(n):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(6)
    x, mean, cov = rng.standard_normal((n, 3)), rng.standard_normal(3), _spd(3, 20.0, 7)
    w = rng.standard_normal(n)
    xs = [Tensor(v, requires_grad=True) for v in (x, mean, cov)]
    (mvn.logpdf(*xs) * w).sum().backward()
    ts = [torch.tensor(v, requires_grad=True) for v in (x, mean, cov)]
    lp = torch.distributions.MultivariateNormal(ts[1], covariance_matrix=ts[2]).log_prob(ts[0])
    (lp * torch.tensor(w)).sum().backward()
    for a, b in zip(xs, ts):
        np.testing.assert_allclose(a.grad, b.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_second_derivative_in_the_mean_is_minus_the_precision():
    cov = _spd(3, 5.0, 8)
    mean = Tensor(np.zeros(3), requires_grad=True)
    x = np.array([0.3, -1.0, 2.0])
    h = autobp.functional.hessian(lambda m: mvn.logpdf(x, m, cov), mean)
    np.testing.assert_allclose(h.data if isinstance(h, Tensor) else h, -np.linalg.inv(cov), rtol=1e-12)


@pytest.mark.parametrize(
    "cov", [[[1.0, 2.0], [2.0, 1.0]], [[1.0, 1.0], [1.0, 1.0]]], ids=["indefinite", "singular"]
)
def test_a_covariance_that_is_not_positive_definite_is_refused_as_scipy_refuses_it(cov):
    cov = np.array(cov)
    with pytest.raises(ValueError, match="positive semidefinite|positive definite") as ours:
        mvn.logpdf(np.zeros(2), np.zeros(2), Tensor(cov, requires_grad=True))
    with pytest.raises(ValueError) as theirs:
        ss.multivariate_normal.logpdf(np.zeros(2), np.zeros(2), cov)
    assert type(ours.value) is type(theirs.value)
