"""Complex LSTMs (cells, layers, bidirectional, proj_size, packed) against PyTorch, which computes them."""

import numpy as np
import pytest

import autobp
from autobp import nn

torch = pytest.importorskip("torch")

rng = np.random.default_rng(7)


def _c(*shape):
    return rng.standard_normal(shape) + 1j * rng.standard_normal(shape)


def _pair(cls, **kw):
    tm = getattr(torch.nn, cls)(3, 4, dtype=torch.complex128, **kw)
    am = getattr(nn, cls)(3, 4, dtype=autobp.complex128, **kw)
    params = dict(am.named_parameters())
    for k, v in tm.named_parameters():
        params[k].data[...] = v.detach().numpy()
    return am, tm


def _first(o):
    return o[0] if isinstance(o, tuple) else o


@pytest.mark.parametrize(
    "cls, kw, shape",
    [
        ("LSTMCell", {}, (2, 3)),
        ("LSTMCell", {}, (3,)),
        ("LSTM", {}, (5, 2, 3)),
        ("LSTM", {"num_layers": 2, "bidirectional": True}, (5, 2, 3)),
        ("LSTM", {"proj_size": 2, "batch_first": True}, (2, 5, 3)),
        ("LSTM", {"bias": False}, (4, 3)),
    ],
)
def test_complex_lstm_values_and_gradients_match_torch(cls, kw, shape):
    am, tm = _pair(cls, **kw)
    x = _c(*shape)
    tx, ax = torch.tensor(x, requires_grad=True), autobp.tensor(x, requires_grad=True)
    to, ao = _first(tm(tx)), _first(am(ax))
    np.testing.assert_allclose(ao.detach().numpy(), to.detach().numpy(), rtol=1e-10, atol=1e-12)
    g = _c(*to.shape)
    (to * torch.tensor(g)).real.sum().backward()
    (ao * autobp.tensor(g)).real.sum().backward()
    np.testing.assert_allclose(np.asarray(ax.grad), tx.grad.numpy(), rtol=1e-9, atol=1e-12)
    params = dict(am.named_parameters())
    for k, v in tm.named_parameters():
        np.testing.assert_allclose(np.asarray(params[k].grad), v.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_complex_lstm_cell_state_output_matches_torch():
    am, tm = _pair("LSTMCell")
    x, h, c = _c(2, 3), _c(2, 4), _c(2, 4)
    th, tc = tm(torch.tensor(x), (torch.tensor(h), torch.tensor(c)))
    ah, ac = am(autobp.tensor(x), (autobp.tensor(h), autobp.tensor(c)))
    np.testing.assert_allclose(ah.detach().numpy(), th.detach().numpy(), rtol=1e-10)
    np.testing.assert_allclose(ac.detach().numpy(), tc.detach().numpy(), rtol=1e-10)


def test_complex_packed_lstm_matches_torch():
    am, tm = _pair("LSTM", bidirectional=True)
    x = _c(4, 2, 3)
    tp = torch.nn.utils.rnn.pack_padded_sequence(torch.tensor(x), [4, 2])
    ap = nn.utils.rnn.pack_padded_sequence(autobp.tensor(x), [4, 2])
    tpad, _ = torch.nn.utils.rnn.pad_packed_sequence(tm(tp)[0])
    apad, _ = nn.utils.rnn.pad_packed_sequence(am(ap)[0])
    np.testing.assert_allclose(apad.detach().numpy(), tpad.detach().numpy(), rtol=1e-10, atol=1e-12)
