"""Bad input to nn functions refused with the exception type PyTorch raises (autobp's errors are
ValueError and RuntimeError both where PyTorch raises RuntimeError), and the words its tests match."""

import numpy as np
import pytest

import autobp
from autobp import nn
from autobp.nn import functional as F

torch = pytest.importorskip("torch")


def _type(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001  the oracle's exception type is the expectation
        return type(e)
    return None


CASES = [
    ("batch_norm running_mean size", lambda L, F_: F_.batch_norm(L.rand(2, 10), L.rand(9), L.rand(10)), None),
    (
        "bce out of range",
        lambda L, F_: F_.binary_cross_entropy(L.rand(3) + 1.0, L.rand(3)),
        "between 0 and 1",
    ),
    ("bce size", lambda L, F_: F_.binary_cross_entropy(L.rand(25), L.rand(25, 1)), "Using a target size"),
    ("smooth_l1 negative beta", lambda L, F_: F_.smooth_l1_loss(L.rand(2), L.rand(2), beta=-1.0), None),
    ("huber zero delta", lambda L, F_: F_.huber_loss(L.rand(2), L.rand(2), delta=0.0), None),
    (
        "gnll var size",
        lambda L, F_: F_.gaussian_nll_loss(L.rand(3, 5), L.rand(3, 5), L.ones(3, 3)),
        "var is of incorrect size",
    ),
    (
        "gnll negative var",
        lambda L, F_: F_.gaussian_nll_loss(L.rand(3, 5), L.rand(3, 5), -L.ones(3, 5)),
        "negative entry/entries",
    ),
    ("one_hot negative", lambda L, F_: F_.one_hot(L.tensor([3, -1]), -1), None),
    ("one_hot out of range", lambda L, F_: F_.one_hot(L.tensor([3, 4]), 3), None),
    ("one_hot empty", lambda L, F_: F_.one_hot(L.zeros((4, 0), dtype=L.int64)), None),
    ("one_hot num_classes -2", lambda L, F_: F_.one_hot(L.tensor([3, 1]), -2), None),
    (
        "ctc float lengths",
        lambda L, F_: F_.ctc_loss(
            L.randn(5, 2, 4).log_softmax(2),
            L.tensor([[1, 2], [1, 1]]),
            L.tensor([5.0, 5.0]),
            L.tensor([2, 2]),
        ),
        None,
    ),
    (
        "ctc too long targets",
        lambda L, F_: F_.ctc_loss(
            L.randn(5, 2, 4).log_softmax(2), L.tensor([[1, 2], [1, 1]]), [5, 5], [3, 2]
        ),
        None,
    ),
    (
        "ctc negative lengths",
        lambda L, F_: F_.ctc_loss(
            L.randn(5, 2, 4).log_softmax(2), L.tensor([[1, 2], [1, 1]]), [-1, -1], [2, 2]
        ),
        None,
    ),
]


@pytest.mark.parametrize("name, call, words", CASES, ids=[c[0] for c in CASES])
def test_functional_refusals_have_torch_exception_types(name, call, words):
    expected = _type(lambda: call(torch, torch.nn.functional))
    assert expected is not None
    got = _type(lambda: call(autobp, F))
    assert got is not None and issubclass(got, expected), (got, expected)
    if words:
        with pytest.raises(expected, match=words):
            call(autobp, F)


MODULE_CASES = [
    (
        "rnn input size",
        lambda L, N: N.GRU(10, 20, batch_first=True)(L.randn(2, 3, 3)),
        r"input.size\(-1\) must be equal to input_size",
    ),
    (
        "lstm hidden size",
        lambda L, N: N.LSTM(10, 20, batch_first=True)(
            L.randn(2, 3, 10), (L.zeros(1, 2, 19), L.zeros(1, 2, 19))
        ),
        "Expected hidden.*size.*got",
    ),
    ("rnn hidden batch", lambda L, N: N.RNN(3, 5, 2)(L.randn(6, 4, 3), L.randn(2, 7, 5)), None),
    ("cell hidden batch", lambda L, N: N.RNNCell(10, 20)(L.randn(3, 10), L.randn(1, 20)), None),
    (
        "lstm cell hidden size",
        lambda L, N: N.LSTMCell(10, 20)(L.randn(3, 10), (L.randn(3, 20), L.randn(3, 1))),
        None,
    ),
    ("gru cell input size", lambda L, N: N.GRUCell(10, 20)(L.randn(3, 1), L.randn(3, 20)), None),
    (
        "transformer batch",
        lambda L, N: N.Transformer(16, 2, 1, 1, 8, 0.0)(L.randn(5, 3, 16), L.randn(4, 2, 16)),
        None,
    ),
    (
        "transformer d_model",
        lambda L, N: N.Transformer(16, 2, 1, 1, 8, 0.0)(L.randn(5, 3, 15), L.randn(4, 3, 16)),
        None,
    ),
    ("transformer activation", lambda L, N: N.TransformerEncoderLayer(16, 2, 8, 0.0, "abc"), None),
    ("linear scalar", lambda L, N: N.Linear(1, 1)(L.ones(1).squeeze()), "at least 1D"),
    (
        "adaptive softmax size",
        lambda L, N: N.AdaptiveLogSoftmaxWithLoss(16, 20, [5, 10, 15])(L.randn(2, 16), L.tensor([0, 5, 10])),
        "Input and target should have the same size",
    ),
    (
        "adaptive softmax target",
        lambda L, N: N.AdaptiveLogSoftmaxWithLoss(16, 20, [5, 10, 15])(L.randn(2, 16), L.tensor([0, 20])),
        "Target values should be in",
    ),
]


@pytest.mark.parametrize("name, call, words", MODULE_CASES, ids=[c[0] for c in MODULE_CASES])
def test_module_refusals_have_torch_exception_types(name, call, words):
    expected = _type(lambda: call(torch, torch.nn))
    assert expected is not None
    got = _type(lambda: call(autobp, nn))
    assert got is not None and issubclass(got, expected), (got, expected)
    if words:
        with pytest.raises(expected, match=words):
            call(autobp, nn)


def test_rnn_cells_with_zero_hidden_size_run_as_torch():
    for cell in (nn.RNNCell(10, 0), nn.RNNCell(10, 0, nonlinearity="relu"), nn.GRUCell(10, 0)):
        assert cell(autobp.randn(3, 10), autobp.randn(3, 0)).shape == (3, 0)
    assert torch.nn.GRUCell(10, 0)(torch.randn(3, 10), torch.randn(3, 0)).shape == (3, 0)
    np.testing.assert_array_equal(nn.LSTMCell(4, 0).weight_hh.shape, (0, 0))


def test_unflatten_refuses_non_integer_sizes_as_torch():
    for mod in (torch.nn, nn):
        with pytest.raises(
            TypeError, match="must be tuple of ints, but found element of type float at pos 2"
        ):
            mod.Unflatten(dim=1, unflattened_size=(2, 5, 5.0))
    for us in ((2, 5, 5), [2, 5, 5]):
        assert (
            nn.Unflatten(1, us)(autobp.zeros(2, 50)).shape
            == torch.nn.Unflatten(1, us)(torch.zeros(2, 50)).shape
        )
