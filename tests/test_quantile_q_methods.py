"""The derivative of a quantile in a Tensor ``q`` under each of numpy's methods: the continuous ones
(H&F's plotting positions) scale the gap between the two neighbours by their own d(position)/dq
(n + 1 - alpha - beta), the others are piecewise constant in q. Before, every numpy-only method got
'linear''s slope n - 1, also the step functions."""

from __future__ import annotations

import numpy as np
import pytest

import autobp

X = np.random.default_rng(0).standard_normal((2, 7))
CONTINUOUS = ["linear", "interpolated_inverted_cdf", "hazen", "weibull", "median_unbiased", "normal_unbiased"]
STEPS = [
    "lower",
    "higher",
    "nearest",
    "midpoint",
    "inverted_cdf",
    "averaged_inverted_cdf",
    "closest_observation",
]


@pytest.mark.parametrize("method", CONTINUOUS)
@pytest.mark.parametrize("fn", ["quantile", "percentile"])
def test_continuous_methods_differentiate_in_q_by_central_differences(method, fn):
    scale = 100.0 if fn == "percentile" else 1.0
    q = autobp.tensor(np.array([0.31, 0.07, 0.93]) * scale, requires_grad=True)  # off the exact ranks
    x = autobp.tensor(X, requires_grad=True)
    assert autobp.gradcheck(lambda q, x: getattr(autobp, fn)(x, q, axis=1, method=method), (q, x))


@pytest.mark.parametrize("method", STEPS)
def test_step_methods_have_no_derivative_in_q(method):
    q = autobp.tensor([0.31, 0.07, 0.93], requires_grad=True)
    x = autobp.tensor(X, requires_grad=True)
    y = autobp.quantile(x, q, axis=1, method=method)
    np.testing.assert_array_equal(y.data, np.quantile(X, q.data, axis=1, method=method))
    gq = autobp.autograd.grad(y.sum(), q, allow_unused=True)[0]
    assert gq is None or not np.any(np.asarray(gq))
