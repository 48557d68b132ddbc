"""The distribution functions added for gamma, chi2, beta, t, poisson and cauchy, and
multivariate_normal.entropy: values against scipy.stats, gradients against central differences,
and against torch.distributions where it has the cdf (Gamma has none in PyTorch, Cauchy has one;
for the gamma cdf in x, torch.special.gammainc with its gradient in x). Shape parameters that
have no derivative here (as in PyTorch) raise instead of giving a silent zero."""

import numpy as np
import pytest
import scipy.stats as ss

from autobp import Tensor, gradcheck, stats
from autobp.func import grad as grad_func

from .helpers import check_gradients

rng = np.random.default_rng(3)
POS = rng.uniform(0.2, 4.0, 5)
X = rng.uniform(-3.0, 3.0, 5)
UNIT = rng.uniform(0.05, 0.95, 5)
COUNTS = np.array([0.0, 1.0, 2.0, 4.0, 7.0])

# (id, ours(x, *params), scipy's, x, params); gradients checked in x, loc and scale
CASES = [
    (
        "gamma.cdf",
        lambda x, l, s: stats.gamma.cdf(x, 2.5, l, s),
        lambda x, l, s: ss.gamma.cdf(x, 2.5, l, s),
        POS,
    ),
    (
        "gamma.logcdf",
        lambda x, l, s: stats.gamma.logcdf(x, 0.8, l, s),
        lambda x, l, s: ss.gamma.logcdf(x, 0.8, l, s),
        POS,
    ),
    (
        "gamma.sf",
        lambda x, l, s: stats.gamma.sf(x, 2.5, l, s),
        lambda x, l, s: ss.gamma.sf(x, 2.5, l, s),
        POS,
    ),
    ("chi2.cdf", lambda x, l, s: stats.chi2.cdf(x, 3, l, s), lambda x, l, s: ss.chi2.cdf(x, 3, l, s), POS),
    (
        "chi2.logpdf",
        lambda x, l, s: stats.chi2.logpdf(x, 3, l, s),
        lambda x, l, s: ss.chi2.logpdf(x, 3, l, s),
        POS,
    ),
    ("chi2.sf", lambda x, l, s: stats.chi2.sf(x, 4, l, s), lambda x, l, s: ss.chi2.sf(x, 4, l, s), POS),
    (
        "beta.cdf",
        lambda x, l, s: stats.beta.cdf(x, 2.0, 3.5, l, s),
        lambda x, l, s: ss.beta.cdf(x, 2.0, 3.5, l, s),
        UNIT,
    ),
    ("t.cdf", lambda x, l, s: stats.t.cdf(x, 4.5, l, s), lambda x, l, s: ss.t.cdf(x, 4.5, l, s), X),
    ("t.logcdf", lambda x, l, s: stats.t.logcdf(x, 2.5, l, s), lambda x, l, s: ss.t.logcdf(x, 2.5, l, s), X),
    ("t.sf", lambda x, l, s: stats.t.sf(x, 2.5, l, s), lambda x, l, s: ss.t.sf(x, 2.5, l, s), X),
    ("cauchy.cdf", lambda x, l, s: stats.cauchy.cdf(x, l, s), lambda x, l, s: ss.cauchy.cdf(x, l, s), X),
]


@pytest.mark.parametrize("name, ours, theirs, x", CASES, ids=[c[0] for c in CASES])
def test_values_match_scipy_and_gradients_match_finite_differences(name, ours, theirs, x):
    loc, scale = np.full(5, -0.1), np.full(5, 1.3)
    np.testing.assert_allclose(ours(x, loc, scale).data, theirs(x, loc, scale), rtol=1e-10, atol=1e-13)
    check_gradients(ours, x, loc, scale, rtol=1e-5, atol=1e-7)


def test_poisson_cdf_in_mu_and_its_support():
    k = COUNTS
    np.testing.assert_allclose(stats.poisson.cdf(k, POS), ss.poisson.cdf(k, POS), rtol=1e-12)
    np.testing.assert_allclose(stats.poisson.sf(k, POS), ss.poisson.sf(k, POS), rtol=1e-10)
    np.testing.assert_allclose(
        stats.poisson.logcdf(k + 0.5, POS), ss.poisson.logcdf(k + 0.5, POS), rtol=1e-12
    )
    assert float(stats.poisson.cdf(-1.0, 2.0)) == 0.0
    check_gradients(lambda mu: stats.poisson.cdf(k, mu), POS)


def test_gamma_cdf_gradient_matches_torch_gammainc():
    torch = pytest.importorskip("torch")
    x = Tensor(POS.copy(), requires_grad=True)
    stats.gamma.cdf(x, 1.7).sum().backward()
    tx = torch.tensor(POS, requires_grad=True)
    torch.special.gammainc(torch.full_like(tx, 1.7), tx).sum().backward()
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), rtol=1e-10)


def test_cauchy_cdf_matches_torch_with_gradients():
    torch = pytest.importorskip("torch")
    x, loc, scale = (Tensor(a.copy(), requires_grad=True) for a in (X, np.full(5, 0.3), POS))
    stats.cauchy.cdf(x, loc, scale).sum().backward()
    tx, tl, ts = (torch.tensor(a, requires_grad=True) for a in (X, np.full(5, 0.3), POS))
    out = torch.distributions.Cauchy(tl, ts).cdf(tx)
    out.sum().backward()
    np.testing.assert_allclose(stats.cauchy.cdf(X, 0.3, POS).data, out.detach().numpy(), rtol=1e-12)
    for ours, theirs in ((x, tx), (loc, tl), (scale, ts)):
        np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), rtol=1e-10)


def test_outside_the_support():
    assert float(stats.gamma.cdf(-1.0, 2.0)) == 0.0 and float(stats.gamma.sf(-1.0, 2.0)) == 1.0
    np.testing.assert_array_equal(stats.beta.cdf(np.array([-0.5, 1.5]), 2.0, 3.0), [0.0, 1.0])


def test_shape_parameters_have_no_silent_zero_gradient():
    # gamma.cdf is differentiable in a (gammainc's series, as JAX), to first order only
    assert gradcheck(lambda a: stats.gamma.cdf(1.0, a), (Tensor(np.array([2.0, 0.7]), requires_grad=True),))
    with pytest.raises(NotImplementedError, match="gammainc"):
        grad_func(grad_func(lambda a: stats.gamma.cdf(1.0, a)))(2.0)
    df = Tensor(np.array(3.0), requires_grad=True)
    with pytest.raises(NotImplementedError, match="df"):
        stats.t.cdf(0.5, df).backward()


def test_mvn_entropy_matches_scipy_and_differentiates():
    a = rng.standard_normal((3, 3))
    cov = a @ a.T + np.eye(3)
    np.testing.assert_allclose(
        stats.multivariate_normal.entropy(np.zeros(3), cov).data,
        ss.multivariate_normal(np.zeros(3), cov).entropy(),
    )
    # d/dC of log det C / 2 is C^-1 / 2 (symmetric input, symmetric perturbation through a @ a.T)
    check_gradients(lambda a: stats.multivariate_normal.entropy(None, a @ a.T + Tensor(np.eye(3))), a)
