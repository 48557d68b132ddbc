"""PackedSequence, its packing functions and RNN / LSTM / GRU over packed input, against
torch.nn.utils.rnn and torch's layers (values and gradients), and finite differences."""

import numpy as np
import pytest
from autobp.nn.utils.rnn import (
    PackedSequence,
    pack_padded_sequence,
    pack_sequence,
    pad_packed_sequence,
    unpack_sequence,
    unpad_sequence,
)

import autobp
from autobp import Tensor, nn

torch = pytest.importorskip("torch")
TR = torch.nn.utils.rnn

rng = np.random.default_rng(23)


def _np(t):
    return t.detach().numpy() if isinstance(t, torch.Tensor) else np.asarray(t.data)


def _same_packed(ours, theirs):
    np.testing.assert_array_equal(ours.data.data, _np(theirs.data))
    np.testing.assert_array_equal(ours.batch_sizes.data, theirs.batch_sizes.numpy())
    for a, b in (
        (ours.sorted_indices, theirs.sorted_indices),
        (ours.unsorted_indices, theirs.unsorted_indices),
    ):
        assert (a is None) == (b is None)
        if a is not None:
            np.testing.assert_array_equal(a.data, b.numpy())


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize(
    "lengths, enforce_sorted",
    [([5, 3, 3, 1], True), ([2, 5, 2, 3, 5, 1], False), ([1], True), ([4, 4], False), ([1, 2, 3], False)],
)
def test_pack_and_pad_match_torch_with_gradients(lengths, enforce_sorted, batch_first):
    T, B = max(lengths) + 1, len(lengths)
    shape = (B, T, 2, 3) if batch_first else (T, B, 2, 3)
    x = rng.standard_normal(shape)
    ax, tx = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ours = pack_padded_sequence(ax, lengths, batch_first=batch_first, enforce_sorted=enforce_sorted)
    theirs = TR.pack_padded_sequence(tx, lengths, batch_first=batch_first, enforce_sorted=enforce_sorted)
    assert isinstance(ours, PackedSequence) and isinstance(ours, tuple) and len(ours) == 4
    _same_packed(ours, theirs)
    kw = dict(batch_first=batch_first, padding_value=-2.5, total_length=T + 1)
    (pa, la), (pt, lt) = pad_packed_sequence(ours, **kw), TR.pad_packed_sequence(theirs, **kw)
    np.testing.assert_array_equal(pa.data, _np(pt))
    np.testing.assert_array_equal(la.data, lt.numpy())
    assert la.dtype == np.int64
    w = rng.standard_normal(pa.shape)
    (pa * w).sum().backward()
    (pt * torch.tensor(w)).sum().backward()
    np.testing.assert_array_equal(ax.grad, tx.grad.numpy())  # zero where padded, as torch


def test_pack_sequence_unpack_and_unpad_match_torch():
    arrays = [rng.standard_normal((n, 3)) for n in (2, 4, 1, 4)]
    ours = [Tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    pa, pt = pack_sequence(ours, enforce_sorted=False), TR.pack_sequence(theirs, enforce_sorted=False)
    _same_packed(pa, pt)
    ua, ut = unpack_sequence(pa), TR.unpack_sequence(pt)
    w = [rng.standard_normal(a.shape) for a in arrays]
    sum((u * v).sum() for u, v in zip(ua, w)).backward()
    sum((u * torch.tensor(v)).sum() for u, v in zip(ut, w)).backward()
    for a, u, s, t in zip(arrays, ua, ours, theirs):
        np.testing.assert_array_equal(u.data, a)
        np.testing.assert_array_equal(s.grad, t.grad.numpy())
    padded, lengths = pad_packed_sequence(pa, batch_first=True)
    for a, u in zip(arrays, unpad_sequence(padded, lengths, batch_first=True)):
        np.testing.assert_array_equal(u.data, a)
    sorted_ = pack_sequence([Tensor(a) for a in sorted(arrays, key=len, reverse=True)])
    assert sorted_.sorted_indices is None and sorted_.batch_sizes.data.tolist() == [4, 3, 2, 2]


def test_packing_passes_finite_differences():
    lengths = [1, 3, 2]

    def roundtrip(x):
        packed = pack_padded_sequence(x.tanh(), lengths, enforce_sorted=False)
        data = packed.data * packed.data
        back = PackedSequence(data, packed.batch_sizes, packed.sorted_indices, packed.unsorted_indices)
        return pad_packed_sequence(back, padding_value=1.0)[0]

    assert autobp.gradcheck(roundtrip, Tensor(rng.standard_normal((3, 3, 2)), requires_grad=True))


def test_packing_errors_name_the_problem():
    x = np.zeros((4, 3, 2))
    with pytest.raises(RuntimeError, match="sorted in decreasing order.*enforce_sorted=False"):
        pack_padded_sequence(x, [2, 4, 1])
    with pytest.raises(RuntimeError, match="must be positive"):
        pack_padded_sequence(x, [4, 0, 1], enforce_sorted=False)
    with pytest.raises(RuntimeError, match="one length per sequence, 3"):
        pack_padded_sequence(x, [4, 3])
    with pytest.raises(RuntimeError, match="length of 5 exceeds the 4 steps"):
        pack_padded_sequence(x, [5, 3, 1])
    with pytest.raises(TypeError, match="integers"):
        pack_padded_sequence(x, [4, 2.5, 1])
    with pytest.raises(ValueError, match="total_length=2 and max sequence length being 4"):
        pad_packed_sequence(pack_padded_sequence(x, [4, 3, 1]), total_length=2)
    with pytest.raises(TypeError, match="expected a PackedSequence"):
        pad_packed_sequence(x)
    with pytest.raises(ValueError, match="sum\\(batch_sizes\\) = 5 rows"):
        PackedSequence(np.zeros((4, 2)), [3, 2])


RNN_CASES = [
    ("RNN", dict()),
    ("RNN", dict(nonlinearity="relu", num_layers=2, bidirectional=True)),
    ("GRU", dict(num_layers=2, batch_first=True)),
    ("GRU", dict(bidirectional=True)),
    ("LSTM", dict()),
    ("LSTM", dict(num_layers=2, bidirectional=True, batch_first=True)),
    ("LSTM", dict(proj_size=2, bidirectional=True)),
    ("LSTM", dict(proj_size=3, num_layers=2, bias=False)),
]


@pytest.mark.parametrize("given_state", [False, True])
@pytest.mark.parametrize("enforce_sorted", [True, False])
@pytest.mark.parametrize("cls, kw", RNN_CASES)
def test_recurrent_layers_on_packed_input_match_torch(cls, kw, enforce_sorted, given_state):
    tm = getattr(torch.nn, cls)(3, 4, **kw).double()
    m = getattr(nn, cls)(3, 4, **kw)
    m.load_state_dict({k: v.detach().numpy() for k, v in tm.state_dict().items()})
    lengths = [5, 4, 4, 2, 1] if enforce_sorted else [2, 5, 1, 4, 4]
    bf = kw.get("batch_first", False)
    x = rng.standard_normal((5, 5, 3))
    ax, tx = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    D, H = 2 if kw.get("bidirectional") else 1, 4
    layers, H_out = kw.get("num_layers", 1) * D, kw.get("proj_size", 0) or H
    states = [rng.standard_normal((layers, 5, H_out))] + (
        [rng.standard_normal((layers, 5, H))] if cls == "LSTM" else []
    )
    ah = [Tensor(s, requires_grad=True) for s in states]
    th = [torch.tensor(s, requires_grad=True) for s in states]
    hx_a = None if not given_state else (tuple(ah) if cls == "LSTM" else ah[0])
    hx_t = None if not given_state else (tuple(th) if cls == "LSTM" else th[0])
    ao, an = m(pack_padded_sequence(ax, lengths, batch_first=bf, enforce_sorted=enforce_sorted), hx_a)
    to, tn = tm(TR.pack_padded_sequence(tx, lengths, batch_first=bf, enforce_sorted=enforce_sorted), hx_t)
    assert isinstance(ao, PackedSequence)
    np.testing.assert_array_equal(ao.batch_sizes.data, to.batch_sizes.numpy())
    a_finals, t_finals = (an if cls == "LSTM" else (an,)), (tn if cls == "LSTM" else (tn,))
    np.testing.assert_allclose(ao.data.data, _np(to.data), rtol=1e-12, atol=1e-14)
    for a, t in zip(a_finals, t_finals):
        np.testing.assert_allclose(a.data, _np(t), rtol=1e-12, atol=1e-14)
    # the final state is each sequence's own last output (forward direction, last layer)
    padded, _ = pad_packed_sequence(ao)
    last = padded.data[np.array(lengths) - 1, np.arange(5), :H_out]
    np.testing.assert_allclose(a_finals[0].data[layers - D], last, rtol=1e-14)
    ws = [rng.standard_normal(ao.data.shape)] + [rng.standard_normal(a.shape) for a in a_finals]
    sum((u * w).sum() for u, w in zip([ao.data, *a_finals], ws)).backward()
    sum((u * torch.tensor(w)).sum() for u, w in zip([to.data, *t_finals], ws)).backward()
    np.testing.assert_allclose(ax.grad, tx.grad.numpy(), rtol=1e-10, atol=1e-13)
    if given_state:
        for a, t in zip(ah, th):
            np.testing.assert_allclose(a.grad, t.grad.numpy(), rtol=1e-10, atol=1e-13)
    for name, p in tm.named_parameters():
        np.testing.assert_allclose(m.get_parameter(name).grad, p.grad.numpy(), rtol=1e-10, atol=1e-13)


def test_packed_lstm_passes_finite_differences():
    lstm = nn.LSTM(2, 3, bidirectional=True, rng=1)
    h0 = Tensor(rng.standard_normal((2, 3, 3)), requires_grad=True)

    def run(x, h0):
        out, (h, c) = lstm(pack_padded_sequence(x, [1, 3, 2], enforce_sorted=False), (h0, h0 * 0.5))
        return out.data, h, c

    assert autobp.gradcheck(run, (Tensor(rng.standard_normal((3, 3, 2)), requires_grad=True), h0))


def test_packed_input_errors():
    packed = pack_sequence([np.ones((2, 5))])
    with pytest.raises(ValueError, match=r"GRU: a PackedSequence's data must be \(sum of lengths, 3\)"):
        nn.GRU(3, 2)(packed)
    with pytest.raises(ValueError, match="initial state of shape"):
        nn.GRU(5, 2)(packed, np.zeros((1, 2, 2)))
