"""Embedding/EmbeddingBag, legacy tensor types, Size and PackedSequence casts as PyTorch's (found by
PyTorch's test/nn/test_embedding.py and test_packed_sequence.py); each checked against torch."""

import numpy as np
import pytest

import autobp
import autobp.nn as nn
import autobp.nn.functional as F

torch = pytest.importorskip("torch")


def _raises_both(exc, match, afn, tfn):
    with pytest.raises(exc, match=match):
        tfn()
    with pytest.raises(exc, match=match):
        afn()


def test_embedding_bag_errors_as_torch():
    w, tw = autobp.zeros(5, 2), torch.zeros(5, 2)
    i, ti = autobp.tensor([3, 1, 1]), torch.tensor([3, 1, 1])
    o, to = autobp.tensor([0, 1]), torch.tensor([0, 1])
    cases = [
        (
            ValueError,
            "input has to be 1D or 2D Tensor",
            lambda: F.embedding_bag(autobp.zeros((2, 0, 6), dtype=np.int64), w, o),
            lambda: torch.nn.functional.embedding_bag(torch.zeros(2, 0, 6, dtype=torch.long), tw, to),
        ),
        (
            ValueError,
            "offsets has to be a 1D Tensor",
            lambda: F.embedding_bag(i, w, autobp.zeros((2, 2), dtype=np.int64)),
            lambda: torch.nn.functional.embedding_bag(ti, tw, torch.zeros(2, 2, dtype=torch.long)),
        ),
        (
            ValueError,
            "offsets has to be a 1D Tensor but got None",
            lambda: F.embedding_bag(i, w),
            lambda: torch.nn.functional.embedding_bag(ti, tw),
        ),
        (
            ValueError,
            "weight has to be a 2D Tensor",
            lambda: F.embedding_bag(i, autobp.zeros(5, 2, 2), o),
            lambda: torch.nn.functional.embedding_bag(ti, torch.zeros(5, 2, 2), to),
        ),
        (
            ValueError,
            "same shape as the input",
            lambda: F.embedding_bag(i, w, o, mode="sum", per_sample_weights=autobp.ones(2)),
            lambda: torch.nn.functional.embedding_bag(
                ti, tw, to, mode="sum", per_sample_weights=torch.ones(2)
            ),
        ),
        (
            NotImplementedError,
            "only supported for mode='sum'",
            lambda: F.embedding_bag(i, w, o, mode="max", per_sample_weights=autobp.ones(3)),
            lambda: torch.nn.functional.embedding_bag(
                ti, tw, to, mode="max", per_sample_weights=torch.ones(3)
            ),
        ),
        (
            RuntimeError,
            "have the same type as",
            lambda: F.embedding_bag(
                i, autobp.zeros(5, 2, dtype=np.float32), o, mode="sum", per_sample_weights=autobp.ones(3)
            ),
            lambda: torch.nn.functional.embedding_bag(
                ti, tw, to, mode="sum", per_sample_weights=torch.ones(3, dtype=torch.double)
            ),
        ),
        (
            RuntimeError,
            "not in the valid range",
            lambda: F.embedding_bag(autobp.tensor([[-1, 1]]), w, mode="sum"),
            lambda: torch.nn.functional.embedding_bag(torch.tensor([[-1, 1]]), tw, mode="sum"),
        ),
        (
            RuntimeError,
            "padding_idx must be within the number of embeddings",
            lambda: F.embedding_bag(i, w, o, padding_idx=5),
            lambda: torch.nn.functional.embedding_bag(ti, tw, to, padding_idx=5),
        ),
        (
            RuntimeError,
            "'weight' must be 2-D",
            lambda: F.embedding(autobp.tensor([1]), autobp.tensor(1.0)),
            lambda: torch.nn.functional.embedding(torch.tensor([1]), torch.tensor(1.0)),
        ),
        (
            AssertionError,
            "(?i)padding_idx must be within num_embeddings",
            lambda: nn.Embedding(10, 2, padding_idx=25),
            lambda: torch.nn.Embedding(10, 2, padding_idx=25),
        ),
        (
            AssertionError,
            "padding_idx must be within num_embeddings",
            lambda: nn.EmbeddingBag(10, 2, padding_idx=-25),
            lambda: torch.nn.EmbeddingBag(10, 2, padding_idx=-25),
        ),
    ]
    for exc, match, afn, tfn in cases:
        _raises_both(exc, match, afn, tfn)


def test_embedding_bag_last_bag_runs_to_the_end_with_include_last_offset():
    w = np.random.default_rng(0).standard_normal((10, 3))
    t = torch.nn.EmbeddingBag.from_pretrained(torch.tensor(w), include_last_offset=True, padding_idx=6)
    a = nn.EmbeddingBag.from_pretrained(autobp.tensor(w), include_last_offset=True, padding_idx=6)
    for off in ([0, 3, 3], [0, 3, 4], [0, 2, 4]):
        expected = t(torch.tensor([0, 1, 2, 3]), torch.tensor(off)).numpy()
        np.testing.assert_allclose(a(autobp.tensor([0, 1, 2, 3]), autobp.tensor(off)).data, expected)


def test_sparse_flag_gives_the_dense_form_of_torchs_sparse_gradient():
    w = np.random.default_rng(1).standard_normal((6, 3))
    idx = [[0, 2, 4], [4, 3, 0]]
    te = torch.nn.Embedding.from_pretrained(torch.tensor(w), freeze=False, sparse=True, padding_idx=0)
    ae = nn.Embedding.from_pretrained(autobp.tensor(w), freeze=False, sparse=True, padding_idx=0)
    (te(torch.tensor(idx)) ** 2).sum().backward()
    (ae(autobp.tensor(idx)) ** 2).sum().backward()
    np.testing.assert_allclose(ae.weight.grad, te.weight.grad.to_dense().numpy())
    tb = torch.nn.EmbeddingBag.from_pretrained(torch.tensor(w), freeze=False, sparse=True, mode="sum")
    ab = nn.EmbeddingBag.from_pretrained(autobp.tensor(w), freeze=False, sparse=True, mode="sum")
    (tb(torch.tensor(idx)) ** 2).sum().backward()
    (ab(autobp.tensor(idx)) ** 2).sum().backward()
    np.testing.assert_allclose(ab.weight.grad, tb.weight.grad.to_dense().numpy())


def test_from_pretrained_shares_the_given_array_as_torch():
    for cls, tcls, kw in [
        (nn.Embedding, torch.nn.Embedding, {}),
        (nn.EmbeddingBag, torch.nn.EmbeddingBag, {}),
    ]:
        t = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype=torch.double)
        a = autobp.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
        tm, am = (
            tcls.from_pretrained(t, max_norm=2.0, norm_type=0.5, **kw),
            cls.from_pretrained(a, max_norm=2.0, norm_type=0.5, **kw),
        )
        assert not tm.weight.requires_grad and not am.weight.requires_grad
        tm(torch.tensor([[0, 1]]))
        am(autobp.tensor([[0, 1]]))
        np.testing.assert_allclose(a.data, t.numpy())  # renormalised in place through the shared array


def test_legacy_tensor_types_and_size_as_torch():
    for name in (
        "DoubleTensor",
        "FloatTensor",
        "LongTensor",
        "IntTensor",
        "ShortTensor",
        "CharTensor",
        "ByteTensor",
    ):
        tt, at = getattr(torch, name), getattr(autobp, name)
        t, a = tt([1, 2, 3]), at([1, 2, 3])
        assert a.dtype == np.dtype(str(t.dtype).replace("torch.", "")) and a.tolist() == t.tolist()
        assert at(2, 3).shape == tuple(tt(2, 3).shape) and at().shape == tuple(tt().shape)
        assert isinstance(a, at) and not isinstance(autobp.ones(1, dtype=np.complex128), at)
        assert a.type() == "autobp." + name
    assert autobp.LongTensor([1.7]).tolist() == torch.LongTensor([1.7]).tolist()
    x = autobp.ones(2)
    assert x.type(autobp.FloatTensor).dtype == np.float32 and x.type("torch.LongTensor").dtype == np.int64
    assert x.type(autobp.DoubleTensor) is x
    assert autobp.Size([1, 2, 2]) == torch.Size([1, 2, 2]) == autobp.ones(1, 2, 2).shape
    assert autobp.Size([2, 3]).numel() == torch.Size([2, 3]).numel()


def test_packed_sequence_casts_and_moves_as_torch():
    tp = torch.nn.utils.rnn.pack_sequence([torch.tensor([1, 2]), torch.tensor([3])])
    ap = nn.utils.rnn.pack_sequence([autobp.tensor([1, 2]), autobp.tensor([3])])
    assert ap.cpu() is ap and ap.to("cpu") is ap and ap.to("cpu", dtype=np.int64) is ap and ap.long() is ap
    for name in ("double", "float", "half", "int", "short", "char", "byte"):
        assert str(getattr(ap, name)().data.dtype) == str(getattr(tp, name)().data.dtype).replace(
            "torch.", ""
        )
    assert ap.to(autobp.ones(1, dtype=np.float32)).data.dtype == np.float32
    np.testing.assert_array_equal(ap.double().batch_sizes, tp.double().batch_sizes.numpy())
    seqs = nn.utils.rnn.pad_sequence(autobp.tensor([[[7, 6]], [[-7, -1]]]))
    assert seqs.tolist() == torch.nn.utils.rnn.pad_sequence(torch.tensor([[[7, 6]], [[-7, -1]]])).tolist()


def test_generator_object_as_torch():
    g = autobp.Generator()
    assert g.initial_seed() == torch.Generator().initial_seed() and g.device == "cpu"
    assert g.manual_seed(42) is g and g.initial_seed() == 42
    t = autobp.empty(50)
    nn.init.trunc_normal_(t, generator=g)
    autobp.manual_seed(42)
    r = autobp.empty(50)
    nn.init.trunc_normal_(r)
    np.testing.assert_array_equal(t.data, r.data)  # torch: Generator().manual_seed(s) == manual_seed(s)
    state = g.get_state()
    first = autobp.randn(4, generator=g).data
    assert g.set_state(state) is g
    np.testing.assert_array_equal(autobp.randn(4, generator=g).data, first)
    with pytest.raises(TypeError):
        g.manual_seed(1.5)
