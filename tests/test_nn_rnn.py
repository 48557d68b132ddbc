"""Recurrent layers against PyTorch (every layout, stacking, direction and initial state), and
backprop through time: the shared weights' gradient is the sum of the per-step gradients."""

import numpy as np
import pytest

import autobp
from autobp import Tensor, nn
from autobp.nn.rnn import gru_step, lstm_step, rnn_step

from .torch_twin import compare_with_torch

torch = pytest.importorskip("torch")

rng = np.random.default_rng(5)


@pytest.mark.parametrize("cls", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize(
    "kw",
    [
        dict(),
        dict(num_layers=2, bidirectional=True),
        dict(batch_first=True, bias=False),
        dict(num_layers=3, batch_first=True, bidirectional=True),
    ],
)
def test_recurrent_layers_match_torch(cls, kw):
    ours, theirs = getattr(nn, cls)(3, 4, **kw), getattr(torch.nn, cls)(3, 4, **kw)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    x = rng.standard_normal((2, 5, 3) if kw.get("batch_first") else (5, 2, 3))
    compare_with_torch(ours, theirs, x)


@pytest.mark.parametrize("cls", ["RNN", "LSTM", "GRU"])
def test_initial_states_and_unbatched_input_match_torch(cls):
    kw = dict(num_layers=2, bidirectional=True)
    ours, theirs = getattr(nn, cls)(3, 4, **kw), getattr(torch.nn, cls)(3, 4, **kw)
    x, h0, c0 = rng.standard_normal((5, 2, 3)), rng.standard_normal((4, 2, 4)), rng.standard_normal((4, 2, 4))
    if cls == "LSTM":
        call = lambda m, x, h, c: m(x, (h, c))  # noqa: E731
        compare_with_torch(ours, theirs, x, h0, c0, call=call)
        compare_with_torch(ours, theirs, x[:, 0], h0[:, 0], c0[:, 0], call=call, load=False)
    else:
        compare_with_torch(ours, theirs, x, h0)
        compare_with_torch(ours, theirs, x[:, 0], h0[:, 0], load=False)


def test_relu_rnn_matches_torch():
    compare_with_torch(
        nn.RNN(3, 4, nonlinearity="relu"),
        torch.nn.RNN(3, 4, nonlinearity="relu"),
        rng.standard_normal((6, 2, 3)),
    )


@pytest.mark.parametrize("cls", ["RNNCell", "LSTMCell", "GRUCell"])
def test_cells_match_torch(cls):
    ours, theirs = getattr(nn, cls)(3, 4), getattr(torch.nn, cls)(3, 4)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    x, h, c = rng.standard_normal((2, 3)), rng.standard_normal((2, 4)), rng.standard_normal((2, 4))
    compare_with_torch(ours, theirs, x)
    if cls == "LSTMCell":
        compare_with_torch(ours, theirs, x, h, c, call=lambda m, x, h, c: m(x, (h, c)), load=False)
        compare_with_torch(ours, theirs, x[0], h[0], c[0], call=lambda m, x, h, c: m(x, (h, c)), load=False)
    else:
        compare_with_torch(ours, theirs, x, h, load=False)
        compare_with_torch(ours, theirs, x[0], h[0], load=False)


def test_dropout_between_layers_only_in_training():
    lstm = nn.LSTM(3, 4, num_layers=2, dropout=0.5, rng=0)
    x = rng.standard_normal((5, 2, 3))
    a = lstm(x)[0].data
    assert not np.allclose(a, lstm(x)[0].data)  # fresh masks each call
    lstm.eval()
    np.testing.assert_array_equal(lstm(x)[0].data, lstm(x)[0].data)
    one = nn.LSTM(3, 4, num_layers=1, dropout=0.5, rng=0)  # nothing between layers to drop
    np.testing.assert_array_equal(one(x)[0].data, one(x)[0].data)


def test_default_init_is_uniform_in_one_over_sqrt_hidden():
    gru = nn.GRU(10, 25, rng=0)
    for p in gru.parameters():
        assert np.abs(p.data).max() <= 0.2
    assert max(np.abs(p.data).max() for p in gru.parameters()) > 0.19


@pytest.mark.parametrize("mode", ["RNN", "LSTM", "GRU"])
def test_shared_weight_gradient_is_the_sum_of_per_step_gradients(mode):
    """Backprop through time: unroll with a separate copy of every weight at each step; the layer's
    gradient of the shared weights equals the sum of the copies' gradients."""
    T = 6
    layer = getattr(nn, mode)(2, 3, rng=1)
    x = rng.standard_normal((T, 1, 2))
    out = layer(x)[0]
    w = rng.standard_normal(out.shape)
    (out * w).sum().backward()
    names = ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]
    copies = [[Tensor(getattr(layer, n).data.copy(), requires_grad=True) for n in names] for _ in range(T)]
    h = Tensor(np.zeros((1, 3)))
    c = Tensor(np.zeros((1, 3)))
    loss = 0.0
    for t in range(T):
        if mode == "LSTM":
            h, c = lstm_step(Tensor(x[t]), h, c, *copies[t])
        elif mode == "GRU":
            h = gru_step(Tensor(x[t]), h, *copies[t])
        else:
            h = rnn_step(Tensor(x[t]), h, *copies[t])
        loss = loss + (h * w[t]).sum()
    loss.backward()
    for k, n in enumerate(names):
        per_step = sum(copies[t][k].grad for t in range(T))
        np.testing.assert_allclose(getattr(layer, n).grad, per_step, rtol=1e-12, atol=1e-14)
        assert not np.allclose(copies[0][k].grad, getattr(layer, n).grad)  # one step is not the total


def test_recurrent_gradients_match_finite_differences():
    lstm = nn.LSTM(2, 2, bidirectional=True, rng=0)
    x = Tensor(rng.standard_normal((3, 1, 2)), requires_grad=True)
    assert autobp.gradcheck(lambda x: lstm(x)[0], [x])
    assert autobp.gradgradcheck(lambda x: nn.GRU(2, 2, rng=0)(x)[0], [x])


def test_recurrent_errors():
    with pytest.raises(ValueError, match=r"input must be \(L, N, 3\)"):
        nn.LSTM(3, 4)(np.zeros((5, 2, 4)))
    with pytest.raises(ValueError, match="initial state of shape"):
        nn.GRU(3, 4)(np.zeros((5, 2, 3)), np.zeros((2, 2, 4)))
    with pytest.raises(ValueError, match="pair"):
        nn.LSTM(3, 4)(np.zeros((5, 2, 3)), np.zeros((1, 2, 4)))
    with pytest.raises(ValueError, match="nonlinearity"):
        nn.RNN(3, 4, nonlinearity="sigmoid")


@pytest.mark.parametrize(
    "kw", [dict(proj_size=2), dict(proj_size=3, num_layers=2, bidirectional=True, batch_first=True)]
)
def test_lstm_with_projection_matches_torch(kw):
    ours, theirs = nn.LSTM(3, 4, **kw), torch.nn.LSTM(3, 4, **kw)
    assert [(n, p.shape) for n, p in ours.named_parameters()] == [
        (n, tuple(p.shape)) for n, p in theirs.named_parameters()
    ]
    x = rng.standard_normal((2, 5, 3) if kw.get("batch_first") else (5, 2, 3))
    compare_with_torch(ours, theirs, x)
    k = ours.num_layers * (2 if ours.bidirectional else 1)
    h0, c0 = rng.standard_normal((k, 2, kw["proj_size"])), rng.standard_normal((k, 2, 4))  # h_0 projected
    call = lambda m, x, h, c: m(x, (h, c))  # noqa: E731
    compare_with_torch(ours, theirs, x, h0, c0, call=call, load=False)
    compare_with_torch(
        ours, theirs, x[0] if kw.get("batch_first") else x[:, 0], call=lambda m, x: m(x), load=False
    )


def test_lstm_projection_gradients_match_finite_differences_and_bad_sizes_fail():
    lstm = nn.LSTM(2, 3, proj_size=1, rng=0)
    x = Tensor(rng.standard_normal((3, 1, 2)), requires_grad=True)
    assert autobp.gradcheck(lambda x: lstm(x)[0], [x])
    with pytest.raises(ValueError, match="proj_size must be in"):
        nn.LSTM(2, 3, proj_size=3)
    with pytest.raises(ValueError, match="only supported for LSTM"):
        nn.GRU(2, 3, proj_size=1)
    with pytest.raises(ValueError, match=r"initial state of shape \(1, 2, 3\)"):
        nn.LSTM(2, 3, proj_size=1)(np.zeros((4, 2, 2)), (np.zeros((1, 2, 3)), np.zeros((1, 2, 3))))
