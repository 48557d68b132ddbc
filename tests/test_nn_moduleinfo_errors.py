"""Inputs PyTorch refuses (its module_db's error inputs) that autobp used to accept: each is checked to
be refused by torch and by autobp, and the nearby valid input to still work in both."""

from __future__ import annotations

import numpy as np
import pytest

import autobp
from autobp import nn

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(1)


def _both_refuse(torch_call, autobp_call, autobp_error, match):
    with pytest.raises((RuntimeError, ValueError, TypeError)):
        torch_call()
    with pytest.raises(autobp_error, match=match):
        autobp_call()


@pytest.mark.parametrize("training,eps", [(True, 0.0), (True, -1.0), (False, -1.0)])
def test_batchnorm_eps_must_be_positive(training, eps):
    x = RNG.standard_normal((4, 3))
    _both_refuse(
        lambda: torch.nn.BatchNorm1d(3, eps=eps).double().train(training)(torch.tensor(x)),
        lambda: nn.BatchNorm1d(3, eps=eps).train(training)(x),
        ValueError,
        "eps must be",
    )


def test_batchnorm_eval_with_zero_eps_still_works():
    x = RNG.standard_normal((4, 3))
    t = torch.nn.BatchNorm1d(3, eps=0.0).double().eval()(torch.tensor(x))
    np.testing.assert_allclose(nn.BatchNorm1d(3, eps=0.0).eval()(x).data, t.detach().numpy(), rtol=1e-12)


def test_cross_entropy_ignore_index_with_probability_targets():
    x, p = RNG.standard_normal((2, 3)), RNG.dirichlet(np.ones(3), 2)
    _both_refuse(
        lambda: torch.nn.CrossEntropyLoss(ignore_index=1)(torch.tensor(x), torch.tensor(p)),
        lambda: nn.CrossEntropyLoss(ignore_index=1)(autobp.tensor(x), autobp.tensor(p)),
        ValueError,
        "ignore_index=1 is not supported",
    )
    want = torch.nn.CrossEntropyLoss()(torch.tensor(x), torch.tensor(p)).item()  # default: accepted
    assert np.isclose(nn.CrossEntropyLoss()(autobp.tensor(x), autobp.tensor(p)).item(), want, rtol=1e-12)


@pytest.mark.parametrize("name", ["RNN", "GRU", "LSTM"])
@pytest.mark.parametrize("flag,value", [("bias", 1), ("bias", "False"), ("batch_first", 0)])
def test_rnn_flags_must_be_bool(name, flag, value):
    _both_refuse(
        lambda: getattr(torch.nn, name)(10, 20, **{flag: value}),
        lambda: getattr(nn, name)(10, 20, **{flag: value}),
        TypeError,
        f"{flag} should be of type bool",
    )
    assert getattr(nn, name)(10, 20, **{flag: np.bool_(True)}).input_size == 10


@pytest.mark.parametrize("name", ["RNNCell", "GRUCell", "LSTMCell"])
def test_rnn_cell_hidden_must_be_1d_or_2d(name):
    x, h = RNG.standard_normal((3, 10)), RNG.standard_normal((3, 1, 3, 20))
    hx_t = (torch.tensor(h),) * 2 if name == "LSTMCell" else torch.tensor(h)
    hx_a = (h, h) if name == "LSTMCell" else h
    _both_refuse(
        lambda: getattr(torch.nn, name)(10, 20).double()(torch.tensor(x), hx_t),
        lambda: getattr(nn, name)(10, 20)(x, hx_a),
        ValueError,
        "expected hidden of 2 dimensions for a batched input",
    )
    with pytest.raises(ValueError, match="expected hidden of 1 dimensions for an unbatched input"):
        h2 = RNG.standard_normal((1, 20))
        getattr(nn, name)(10, 20)(x[0], (h2, h2) if name == "LSTMCell" else h2)


@pytest.mark.parametrize("name", ["RNNCell", "GRUCell", "LSTMCell"])
def test_rnn_cell_valid_hidden_still_matches_torch(name):
    tm = getattr(torch.nn, name)(4, 3).double()
    am = getattr(nn, name)(4, 3)
    am.load_state_dict({k: v.numpy() for k, v in tm.state_dict().items()})
    for x, h in [
        (RNG.standard_normal((2, 4)), RNG.standard_normal((2, 3))),
        (RNG.standard_normal(4), RNG.standard_normal(3)),
    ]:
        th = (torch.tensor(h), torch.tensor(h)) if name == "LSTMCell" else torch.tensor(h)
        ah = (h, h) if name == "LSTMCell" else h
        t, a = tm(torch.tensor(x), th), am(x, ah)
        t, a = (t[0], a[0]) if name == "LSTMCell" else (t, a)
        np.testing.assert_allclose(a.data, t.detach().numpy(), rtol=1e-12)


def test_huber_delta_must_be_a_number():
    _both_refuse(
        lambda: torch.nn.HuberLoss(delta=1j),
        lambda: nn.HuberLoss(delta=1j),
        TypeError,
        "delta must be a float or int",
    )
    x, y = RNG.standard_normal(5), RNG.standard_normal(5)
    want = torch.nn.HuberLoss(delta=2)(torch.tensor(x), torch.tensor(y)).item()
    assert np.isclose(nn.HuberLoss(delta=2)(autobp.tensor(x), autobp.tensor(y)).item(), want, rtol=1e-12)
