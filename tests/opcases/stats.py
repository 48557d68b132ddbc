"""Op-table cases for the ops of autobp.stats: multivariate_normal.logpdf against scipy (values) and
torch.distributions.MultivariateNormal (values and gradients), with covariances sym(a) + 3 I
(positive definite, well conditioned) so every entry of ``a`` is a free input."""

import numpy as np
import scipy.stats as ss
from hypothesis import strategies as st

import autobp.stats as stats

from ..optable import case, torch


@st.composite
def _points_mean_a(draw, one_point):
    """x: one point (k,) or points (n, k); mean (k,); a (k, k) with k, n in 1..3."""
    k = draw(st.integers(1, 3))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.standard_normal((k,) if one_point else (draw(st.integers(1, 3)), k))
    return x, rng.standard_normal(k), rng.uniform(-1.0, 1.0, (k, k))


def _cov(a, eye):
    return (a + a.swapaxes(-1, -2)) * 0.5 + 3.0 * eye(a.shape[-1])


def _ours(x, m, a):
    return stats.multivariate_normal.logpdf(x, m, _cov(a, lambda k: np.eye(k, dtype=a.dtype)))


def _scipy(x, m, a):
    return ss.multivariate_normal.logpdf(x, m, _cov(a, lambda k: np.eye(k, dtype=a.dtype)))


def _torch(x, m, a):
    cov = _cov(a, lambda k: torch.eye(k, dtype=a.dtype))
    return (
        torch.distributions.MultivariateNormal(m, covariance_matrix=cov).log_prob(x).squeeze()
    )  # scipy squeezes


for _one in (True, False):
    case(
        "multivariate_normal.logpdf",
        _ours,
        _points_mean_a(_one),
        torch_fn=_torch,
        numpy_fn=_scipy,
        id=f"multivariate_normal.logpdf-one{_one}",
    )
