"""torch.lstm / gru / rnn_tanh / rnn_relu (the padded-input forms) and embedding_renorm_ against
PyTorch: outputs, final states and every parameter's gradient."""

import numpy as np
import pytest

import autobp

from .torch_compare import compare

torch = pytest.importorskip("torch")

R = np.random.default_rng(0)
GATES = {"lstm": 4, "gru": 3, "rnn_tanh": 1, "rnn_relu": 1}


def _params(kind, inp, hid, layers, dirs, biases):
    out = []
    for layer in range(layers):
        size = inp if layer == 0 else hid * dirs
        for _ in range(dirs):
            g = GATES[kind] * hid
            out += [R.standard_normal((g, size)) * 0.5, R.standard_normal((g, hid)) * 0.5]
            if biases:
                out += [R.standard_normal(g) * 0.5, R.standard_normal(g) * 0.5]
    return out


SHAPES = [(1, False, False, True), (2, True, False, True), (2, False, True, False)]


@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn_tanh", "rnn_relu"])
@pytest.mark.parametrize(("layers", "bidirectional", "batch_first", "biases"), SHAPES)
def test_matches_torch(kind, layers, bidirectional, batch_first, biases):
    dirs = 2 if bidirectional else 1
    T, B, inp, hid = 4, 2, 3, 5
    x = R.standard_normal((B, T, inp) if batch_first else (T, B, inp))
    h0 = R.standard_normal((layers * dirs, B, hid))
    c0 = R.standard_normal((layers * dirs, B, hid))
    params = _params(kind, inp, hid, layers, dirs, biases)
    flags = (biases, layers, 0.0, False, bidirectional, batch_first)
    n = len(params)

    def call(lib):
        def fn(x, h0, c0, *ps):
            hx = (h0, c0) if kind == "lstm" else h0
            return getattr(lib, kind)(x, hx, list(ps[:n]), *flags)

        return fn

    compare(call(autobp), call(torch), x, h0, c0, *params)


def test_wrong_params_and_hx_are_refused():
    x, h = autobp.zeros((3, 2, 4)), autobp.zeros((1, 2, 5))
    with pytest.raises(ValueError, match="params expected"):
        autobp.gru(x, h, [autobp.zeros((15, 4))], True, 1, 0.0, False, False, False)
    with pytest.raises(ValueError, match="hx of shape"):
        autobp.rnn_tanh(x, autobp.zeros((2, 2, 5)), _params("rnn_tanh", 4, 5, 1, 1, False), False, 1, 0.0,
                        False, False, False)  # fmt: skip


@pytest.mark.parametrize("norm_type", [1.0, 2.0])
def test_embedding_renorm_matches_torch(norm_type):
    w = R.standard_normal((6, 3)) * 2
    a, t = autobp.tensor(w.copy()), torch.tensor(w.copy())
    idx = np.array([[0, 2], [2, 5]])
    assert autobp.embedding_renorm_(a, idx, 1.5, norm_type) is a
    torch.embedding_renorm_(t, torch.tensor(idx), 1.5, norm_type)
    np.testing.assert_allclose(a.data, t.numpy(), rtol=1e-12)


def test_dropout_acts_between_layers_only_when_training():
    x, h = R.standard_normal((3, 2, 4)), np.zeros((2, 2, 5))
    ps = [autobp.tensor(p) for p in _params("rnn_tanh", 4, 5, 2, 1, True)]
    base = autobp.rnn_tanh(x, h, ps, True, 2, 0.0, True, False, False)[0].data
    np.testing.assert_array_equal(autobp.rnn_tanh(x, h, ps, True, 2, 0.9, False, False, False)[0].data, base)
    autobp.manual_seed(0)
    assert not np.allclose(autobp.rnn_tanh(x, h, ps, True, 2, 0.9, True, False, False)[0].data, base)
    one = [autobp.tensor(p) for p in _params("rnn_tanh", 4, 5, 1, 1, True)]
    single = autobp.rnn_tanh(x, h[:1], one, True, 1, 0.9, True, False, False)[0].data
    np.testing.assert_array_equal(
        single, autobp.rnn_tanh(x, h[:1], one, True, 1, 0.0, True, False, False)[0].data
    )
