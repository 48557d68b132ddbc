"""autobp.stats where JAX's scipy_stats_test found it wrong or short: beta with invalid parameters
(scipy's nan, not a finite density), beta.logsf, bernoulli.cdf/ppf, and poisson.logpmf in float32 at
large means (its terms cancel). Values from scipy.stats, gradients against autobp.gradcheck."""

import numpy as np
import scipy.stats as ss

from autobp import Tensor, gradcheck, stats


def test_beta_with_invalid_parameters_is_nan_as_scipy():
    x = np.array([0.0, 0.3, 0.5, 1.0])
    for a, b, loc, scale in (
        (-1.1, -1.1, 0.0, 1.0),
        (1.0, 1.0, 0.0, -1.0),
        (0.0, 2.0, 0.0, 1.0),
        (2.0, 3.0, 0.0, 1.0),
    ):
        np.testing.assert_allclose(stats.beta.pdf(x, a, b, loc, scale), ss.beta.pdf(x, a, b, loc, scale))
        np.testing.assert_allclose(
            stats.beta.logpdf(x, a, b, loc, scale), ss.beta.logpdf(x, a, b, loc, scale)
        )
        np.testing.assert_allclose(stats.beta.cdf(x, a, b, loc, scale), ss.beta.cdf(x, a, b, loc, scale))


def test_beta_logsf_matches_scipy_and_differentiates():
    x = np.array([0.1, 0.3, 0.8])
    np.testing.assert_allclose(stats.beta.logsf(x, 2.0, 3.0), ss.beta.logsf(x, 2.0, 3.0), rtol=1e-12)
    assert gradcheck(lambda t: stats.beta.logsf(t, 2.0, 3.0), (Tensor(x, requires_grad=True),))


def test_bernoulli_cdf_and_ppf_match_scipy():
    k = np.array([-3.0, 0.0, 0.5, 1.0, 2.5, 0.0])
    p = np.array([0.3, 0.7, 0.2, 0.9, 0.5, 1.5])
    np.testing.assert_allclose(stats.bernoulli.cdf(k, p), ss.bernoulli.cdf(k, p))
    np.testing.assert_allclose(stats.bernoulli.cdf(k, 0.4, loc=1), ss.bernoulli.cdf(k, 0.4, loc=1))
    q = np.array([0.0, 0.2, 0.5, 0.95, 1.0, -0.1])
    np.testing.assert_allclose(stats.bernoulli.ppf(q, p), ss.bernoulli.ppf(q, p))
    t = Tensor(np.array([0.3, 0.6]), requires_grad=True)
    stats.bernoulli.cdf(np.array([0.0, 0.5]), t).sum().backward()
    np.testing.assert_allclose(t.grad, [-1.0, -1.0])  # d(1 - p)/dp


def test_poisson_logpmf_in_float32_at_large_means():
    for mu in (1e7, 1e8, 1e9):
        center = np.float32(mu)
        k = center + np.asarray([-5, -1, 0, 3], np.float32) * np.sqrt(center)
        got = stats.poisson.logpmf(k, center)
        assert got.dtype == np.float32
        want = ss.poisson.logpmf(k.astype(np.float64), float(center))
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=5e-5)
    assert np.isnan(stats.poisson.logpmf(np.float32(0.0), np.float32(-1.0)))
