"""The function-style optimisation loops (autobp/optim/functional.py): their update formulas checked
step by step against the written-out maths, on pytrees, and a quadratic minimised."""

import numpy as np
import pytest

from autobp.func import grad
from autobp.optim.functional import adam, rmsprop, sgd


def _quadratic_grad(x, i):
    return {"a": 2.0 * (x["a"] - 3.0), "b": [4.0 * x["b"][0]]}


X0 = {"a": np.array([1.0, -1.0]), "b": [np.array(2.0)]}


def _trace(opt, **kw):
    seen = []
    opt(_quadratic_grad, X0, callback=lambda x, i, g: seen.append((x, i, g)), num_iters=3, **kw)
    return seen


def _flat(t):
    return np.concatenate([np.ravel(t["a"]), np.ravel(t["b"][0])])


def _grad_flat(x):
    return np.concatenate([2.0 * (x[:2] - 3.0), 4.0 * x[2:]])


@pytest.mark.parametrize("name", ["adam", "sgd", "rmsprop"])
def test_one_step_at_a_time_matches_the_formula(name):
    opt = {"adam": adam, "sgd": sgd, "rmsprop": rmsprop}[name]
    seen = _trace(opt, step_size=0.1)
    x, m, v, a, vel = _flat(X0), 0.0, 0.0, 1.0, 0.0
    for k, (xt, i, gt) in enumerate(seen):
        assert i == k and isinstance(xt, dict) and isinstance(gt["b"], list)
        np.testing.assert_allclose(_flat(xt), x, rtol=1e-14)
        g = _grad_flat(x)
        np.testing.assert_allclose(_flat(gt), g, rtol=1e-14)
        if name == "adam":
            m, v = 0.1 * g + 0.9 * m, 0.001 * g * g + 0.999 * v
            x = x - 0.1 * (m / (1 - 0.9 ** (k + 1))) / (np.sqrt(v / (1 - 0.999 ** (k + 1))) + 1e-8)
        elif name == "sgd":
            vel = 0.9 * vel - 0.1 * g
            x = x + 0.1 * vel
        else:
            a = 0.9 * a + 0.1 * g * g
            x = x - 0.1 * g / (np.sqrt(a) + 1e-8)


def test_adam_minimises_a_loss_through_func_grad():
    loss = lambda p, i: ((p["w"] - np.array([1.0, 2.0])) ** 2).sum() + (p["b"] ** 2).sum()  # noqa: E731
    out = adam(grad(loss), {"w": np.zeros(2), "b": np.ones(1)}, num_iters=3000, step_size=0.01)
    np.testing.assert_allclose(out["w"], [1.0, 2.0], atol=1e-4)
    np.testing.assert_allclose(out["b"], [0.0], atol=1e-4)


def test_gradient_of_the_wrong_size_is_a_clear_error():
    with pytest.raises(ValueError, match="numbers for 3 parameters"):
        sgd(lambda x, i: np.zeros(2), np.zeros(3), num_iters=1)
