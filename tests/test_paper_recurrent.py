"""Recurrent net (Fig. 5): the shared-weight gradient is the sum of the unrolled layers' gradients."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from autobp import Tensor
from autobp._numeric import numerical_gradients
from autobp.paper import recurrent
from autobp.testing.strategies import arrays


@given(st.integers(2, 4), st.integers(1, 4), st.integers(1, 5), st.data())
def test_shared_gradient_is_the_sum_of_unrolled_layer_gradients(units, steps, n, data):
    w = data.draw(arrays((units, units), lo=-2, hi=2))
    b = data.draw(arrays((units,), lo=-1, hi=1))
    s0 = data.draw(arrays((n, units), lo=0, hi=1))
    target = data.draw(arrays((n, units), lo=0, hi=1))
    shared, layers = recurrent.unrolled_gradients(w, b, s0, target, steps)
    assert len(layers) == steps
    np.testing.assert_allclose(shared, np.sum(layers, axis=0), rtol=0, atol=1e-10)
    # the paper's averaging rule is the same direction, scaled by 1/T
    np.testing.assert_allclose(np.mean(layers, axis=0) * steps, shared, rtol=0, atol=1e-10)

    def energy(w_):
        s = s0
        for _ in range(steps):
            s = 1 / (1 + np.exp(-(s @ w_ + b)))
        return 0.5 * np.sum((s - target) ** 2)

    (numeric,) = numerical_gradients(energy, [w])
    np.testing.assert_allclose(shared, numeric, rtol=1e-5, atol=1e-7)


def test_layers_of_the_unrolled_net_get_different_gradients():
    rng = np.random.default_rng(0)
    w, b = rng.normal(size=(3, 3)), rng.normal(size=3)
    _, layers = recurrent.unrolled_gradients(w, b, rng.random((4, 3)), rng.random((4, 3)), 3)
    assert not np.allclose(layers[0], layers[2])


def test_shift_patterns_rotate_left():
    x, t = recurrent.shift_patterns(3, 2)
    assert x.shape == (8, 3)
    assert t[np.flatnonzero((x == [1, 0, 0]).all(1))[0]].tolist() == [0, 1, 0]


def test_shift_register_learns():
    run = recurrent.train_shift_register(units=3, steps=2, seed=0, max_sweeps=300)
    assert run.solved_at is not None and run.solved_at < 200
    x, t = recurrent.shift_patterns(3, 2)
    out = recurrent.run(Tensor(run.w), Tensor(run.b), Tensor(x), 2)[-1].data
    assert np.all(np.abs(out - t) < 0.2)
    assert np.all(run.b <= 0)  # PDP's negative-bias constraint
    assert run.errors[-1] < run.errors[0] / 10
