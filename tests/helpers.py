"""Test helper: compare a Tensor function's gradients with central finite differences."""

import numpy as np

from autobp import Tensor, no_grad
from autobp._numeric import numerical_gradients


def check_gradients(fn, *arrays, rtol=1e-5, atol=1e-6, seed=0):
    """Backprop ``sum(fn(*xs) * w)`` for a random fixed ``w`` and compare every input's
    gradient with central differences of the same scalar in float64."""
    xs = [Tensor(np.array(a, dtype=np.float64), requires_grad=True) for a in arrays]
    out = fn(*xs)
    w = np.random.default_rng(seed).standard_normal(out.shape)
    (out * w).sum().backward()

    def scalar(*vals):
        with no_grad():
            return float(np.sum(fn(*(Tensor(v) for v in vals)).data * w))

    numeric = numerical_gradients(scalar, [x.data for x in xs])
    for i, (x, n) in enumerate(zip(xs, numeric)):
        assert x.grad is not None, f"input {i} got no gradient"
        assert x.grad.shape == x.shape, (i, x.grad.shape, x.shape)
        np.testing.assert_allclose(x.grad, n, rtol=rtol, atol=atol, err_msg=f"input {i}")
    return xs
