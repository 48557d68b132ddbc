"""Numerics: the saturating functions and losses stay finite, exact and warning-free at +-1000, and
float32 programs stay float32 through forward, backward and the optimisers."""

import contextlib
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autobp
from autobp import Tensor, Value, nn, optim
from autobp.nn import functional as F
from autobp.testing import arrays


@contextlib.contextmanager
def strict():
    """Any overflow, invalid operation, division by zero or warning is an error."""
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        yield


EXTREMES = np.array([-1000.0, -30.0, 0.0, 30.0, 1000.0])


def softmax64(x):
    """Reference softmax in float64, shifted by the max."""
    e = np.exp(x - x.max())
    return e / e.sum()


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_sigmoid_at_extremes_is_exact_and_silent(dtype):
    x = Tensor(EXTREMES.astype(dtype), requires_grad=True)
    with strict():
        y = x.sigmoid()
        y.sum().backward()
    assert y.dtype == dtype and x.grad.dtype == dtype
    assert y.data[0] == 0.0 and y.data[-1] == 1.0 and y.data[2] == 0.5
    np.testing.assert_allclose(y.data[1], 1 / (1 + np.exp(30.0)), rtol=1e-6)
    np.testing.assert_array_equal(x.grad[[0, -1]], [0.0, 0.0])
    assert x.grad[2] == 0.25
    with strict():
        v = Value(-1000.0).sigmoid()
        w = Value(1000.0).sigmoid()
    assert (v.data, w.data) == (0.0, 1.0)


def test_the_sigmoid_is_silent_in_threads_at_once_and_leaves_numpys_settings_alone():
    """Its exp reports no overflow or underflow whatever the caller set, in several threads at the
    same time (numpy drops the GIL inside exp on large arrays), and the caller's settings hold after."""
    import threading

    x = np.tile(EXTREMES, 20_000)
    want = np.tile([0.0, 1 / (1 + np.exp(30.0)), 0.5, 1 / (1 + np.exp(-30.0)), 1.0], 20_000)
    failures = []

    def run():
        try:
            with np.errstate(all="raise"):
                for _ in range(20):
                    np.testing.assert_allclose(Tensor(x).sigmoid().data, want, rtol=1e-15)
                with pytest.raises(FloatingPointError):
                    np.exp(np.array(1000.0))
        except Exception as e:  # collected: an exception in a thread would not fail the test
            failures.append(e)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures, failures


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_softmax_and_log_softmax_at_extremes(dtype):
    x = Tensor(
        np.array([[1000.0, 0.0, -1000.0], [-1000.0, -1000.0, -1000.0]], dtype=dtype), requires_grad=True
    )
    w = np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]], dtype=dtype)
    with strict():
        ls = x.log_softmax(axis=1)
        s = x.softmax(axis=1)
        (ls * w).sum().backward()
    assert ls.dtype == dtype and s.dtype == dtype and x.grad.dtype == dtype
    np.testing.assert_array_equal(ls.data[0], [0.0, -1000.0, -2000.0])
    np.testing.assert_allclose(ls.data[1], np.full(3, -np.log(3.0)), rtol=1e-6)
    np.testing.assert_array_equal(s.data[0], [1.0, 0.0, 0.0])
    # d/dx sum(w * log_softmax(x)) = w - softmax(x) * sum(w), row by row
    expected = w - np.stack([softmax64(r) for r in x.data.astype(np.float64)]) * w.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(x.grad, expected, rtol=1e-6, atol=1e-6)


def test_logsumexp_at_extremes_and_of_all_minus_infinity():
    x = Tensor(np.array([1000.0, 1000.0, -1000.0]), requires_grad=True)
    with strict():
        y = x.logsumexp()
        y.backward()
    assert y.item() == 1000.0 + np.log(2.0)
    np.testing.assert_allclose(x.grad, [0.5, 0.5, 0.0])


def test_cross_entropy_at_extremes_has_exact_loss_and_gradient():
    logits = Tensor(np.array([[1000.0, -1000.0], [1000.0, -1000.0], [0.0, 0.0]]), requires_grad=True)
    target = np.array([1, 0, 1])
    with strict():
        loss = F.cross_entropy(logits, target, reduction="sum")
        loss.backward()
    assert loss.item() == pytest.approx(2000.0 + np.log(2.0))
    np.testing.assert_allclose(logits.grad, [[1.0, -1.0], [0.0, 0.0], [0.5, -0.5]], atol=1e-12)


def test_bce_with_logits_at_extremes_is_finite_and_its_gradient_is_sigmoid_minus_target():
    x = Tensor(np.array([1000.0, -1000.0, 1000.0, -1000.0, 0.0]), requires_grad=True)
    t = np.array([0.0, 1.0, 1.0, 0.0, 1.0])
    with strict():
        loss = F.binary_cross_entropy_with_logits(x, t, reduction="none")
        loss.sum().backward()
    np.testing.assert_allclose(loss.data, [1000.0, 1000.0, 0.0, 0.0, np.log(2.0)], rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(x.grad, [1.0, -1.0, 0.0, 0.0, -0.5], atol=1e-12)


def test_bce_on_saturated_probabilities_is_floored_not_infinite():
    p = Tensor(np.array([0.0, 1.0, 0.0, 1.0]), requires_grad=True)
    t = np.array([1.0, 0.0, 0.0, 1.0])
    with strict():
        loss = F.binary_cross_entropy(p, t, reduction="none")
    np.testing.assert_allclose(loss.data, [100.0, 100.0, 0.0, 0.0], atol=1e-12)


@given(arrays(shape=st.just((2, 4)), lo=-1000.0, hi=1000.0))
def test_losses_and_their_gradients_stay_finite_on_any_logits_up_to_1000(a):
    x = Tensor(a, requires_grad=True)
    with strict():
        loss = F.cross_entropy(x, np.array([0, 3])) + F.binary_cross_entropy_with_logits(x, (a > 0) * 1.0)
        loss = loss + x.sigmoid().sum() + x.tanh().sum() + x.softmax(axis=0).sum() + x.logsumexp(axis=1).sum()
        loss.backward()
    assert np.isfinite(loss.item()) and np.all(np.isfinite(x.grad))


@pytest.mark.parametrize("opt", ["sgd", "adam", "adamw"])
def test_float32_training_stays_float32_end_to_end(opt):
    rng = np.random.default_rng(0)
    net = nn.Sequential(
        nn.Linear(3, 4, rng=rng, dtype=np.float32), nn.Sigmoid(), nn.Linear(4, 2, rng=rng, dtype=np.float32)
    )
    make = {
        "sgd": lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9, weight_decay=1e-3, decay=1e-3),
        "adam": lambda ps: optim.Adam(ps, lr=0.01, weight_decay=1e-3),
        "adamw": lambda ps: optim.AdamW(ps, lr=0.01),
    }[opt]
    o = make(net.parameters())
    x = rng.standard_normal((5, 3)).astype(np.float32)
    for _ in range(3):
        o.zero_grad()
        y = net(x)
        loss = (
            F.cross_entropy(y, np.array([0, 1, 0, 1, 1]))
            + F.mse_loss(y, np.zeros((5, 2)))  # a float64 target is cast to the input's dtype
            + F.binary_cross_entropy_with_logits(y, np.ones((5, 2)))
            + F.sse_loss(y.sigmoid(), np.ones((5, 2)), tolerance=0.2)
            + 0.5 * y.logsumexp(axis=1).mean() / 3
        )
        assert y.dtype == np.float32 and loss.dtype == np.float32
        loss.backward()
        o.step()
        for p in net.parameters():
            assert p.dtype == np.float32 and p.grad.dtype == np.float32
    for state in o.state.values():
        for v in state.values():
            if isinstance(v, np.ndarray):
                assert v.dtype == np.float32, v.dtype


def test_float32_second_derivatives_stay_float32():
    x = Tensor(np.array([0.5, -1.0, 2.0], dtype=np.float32), requires_grad=True)
    (g,) = autobp.grad((x**3).sum() + x.tanh().sum(), x, create_graph=True)
    (h,) = autobp.grad(g.sum(), x)
    assert g.dtype == np.float32 and h.dtype == np.float32
    np.testing.assert_allclose(h.data, 6 * x.data - 2 * np.tanh(x.data) / np.cosh(x.data) ** 2, rtol=1e-5)
