"""norm.logpdf and norm.pdf compute scipy's operations in scipy's order, so their values are
scipy.stats.norm's bit for bit (an optimiser fed them follows scipy users' path); pdf without a
log-exp round trip is also closer to a 40-digit reference than exp(logpdf)."""

import mpmath
import numpy as np
import pytest
import scipy.stats as ss

from autobp import Tensor
from autobp.stats import norm


@pytest.mark.parametrize("name", ["logpdf", "pdf"])
@pytest.mark.parametrize("params", [(), (0.0, 100.0), "random"])
def test_values_are_scipys_bit_for_bit(name, params):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(500) * 3.0
    if params == "random":
        params = (rng.standard_normal(500), np.exp(rng.standard_normal(500)))
    ours = getattr(norm, name)(Tensor(x, requires_grad=True), *params)
    np.testing.assert_array_equal(ours.data, getattr(ss.norm, name)(x, *params))


def test_pdf_is_at_least_as_accurate_as_exp_of_logpdf():
    rng = np.random.default_rng(1)
    z, scale = rng.standard_normal(300) * 3.0, np.exp(rng.standard_normal(300) * 2.0)
    ours = norm.pdf(z * scale, 0.0, scale).data  # z * scale / scale is z again only up to rounding
    via_log = np.exp(norm.logpdf(z * scale, 0.0, scale).data)
    with mpmath.workdps(40):
        zs = [mpmath.mpf(a) / mpmath.mpf(s) for a, s in zip(z * scale, scale)]
        exact = np.array(
            [float(mpmath.exp(-v * v / 2) / mpmath.sqrt(2 * mpmath.pi) / s) for v, s in zip(zs, scale)]
        )
    err = lambda a: np.abs(a - exact) / exact  # noqa: E731
    assert err(ours).mean() <= err(via_log).mean()
    assert err(ours).max() < 1e-14
