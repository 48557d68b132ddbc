"""Attention against PyTorch: scaled_dot_product_attention (masks, causal, scale), MultiheadAttention
(layouts, padding and attention masks, kdim/vdim, weights) and the Transformer encoder."""

import numpy as np
import pytest

import autobp
from autobp import Tensor, nn
from autobp.nn.attention import scaled_dot_product_attention as sdpa

from .torch_twin import compare_with_torch

torch = pytest.importorskip("torch")
TF = torch.nn.functional

rng = np.random.default_rng(4)


class _Fn(nn.Module):
    """A function as a parameterless module, so the twin helper can compare it."""

    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, *xs):
        return self.fn(*xs)


class _TFn(torch.nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, *xs):
        return self.fn(*xs)


BOOL = rng.random((5, 6)) > 0.3
BOOL[:, 0] = True  # every query may attend somewhere
ADD = rng.standard_normal((5, 6))


@pytest.mark.parametrize(
    "kw",
    [
        dict(),
        dict(scale=0.3),
        dict(is_causal=True),
        dict(attn_mask=BOOL),
        dict(attn_mask=ADD),
    ],
)
def test_sdpa_matches_torch(kw):
    L, S = (5, 5) if kw.get("is_causal") else (5, 6)
    q, k, v = (
        rng.standard_normal((2, 3, L, 4)),
        rng.standard_normal((2, 3, S, 4)),
        rng.standard_normal((2, 3, S, 2)),
    )
    tkw = {a: (torch.tensor(b) if isinstance(b, np.ndarray) else b) for a, b in kw.items()}
    compare_with_torch(
        _Fn(lambda *x: sdpa(*x, **kw)), _TFn(lambda *x: TF.scaled_dot_product_attention(*x, **tkw)), q, k, v
    )


@pytest.mark.parametrize("kw", [dict(enable_gqa=True), dict(enable_gqa=True, is_causal=True)])
def test_sdpa_grouped_query_attention_matches_torch(kw):
    q, k, v = (
        rng.standard_normal((2, 6, 5, 4)),  # 6 query heads share 2 key/value heads
        rng.standard_normal((2, 2, 5, 4)),
        rng.standard_normal((2, 2, 5, 3)),
    )
    compare_with_torch(
        _Fn(lambda *x: sdpa(*x, **kw)), _TFn(lambda *x: TF.scaled_dot_product_attention(*x, **kw)), q, k, v
    )
    with pytest.raises(ValueError, match="multiple"):
        sdpa(rng.standard_normal((1, 5, 2, 4)), k[:1], v[:1], enable_gqa=True)


def test_sdpa_dropout_is_seeded_and_scaled():
    q = rng.standard_normal((1, 4, 3))
    a = sdpa(q, q, np.eye(4)[None, :, :3].repeat(1, 0), dropout_p=0.5, rng=3).data
    b = sdpa(q, q, np.eye(4)[None, :, :3], dropout_p=0.5, rng=3).data
    np.testing.assert_array_equal(a, b)
    plain = sdpa(q, q, np.eye(4)[None, :, :3]).data
    assert np.all(np.isclose(a, 0) | np.isclose(a, 2 * plain))


@pytest.mark.parametrize("batch_first", [False, True])
def test_multihead_attention_matches_torch(batch_first):
    kw = dict(batch_first=batch_first)
    ours, theirs = nn.MultiheadAttention(8, 2, **kw), torch.nn.MultiheadAttention(8, 2, **kw)
    torch.nn.init.normal_(theirs.in_proj_bias), torch.nn.init.normal_(theirs.out_proj.bias)
    shape = (3, 5, 8) if batch_first else (5, 3, 8)
    kshape = (3, 6, 8) if batch_first else (6, 3, 8)
    q, k, v = rng.standard_normal(shape), rng.standard_normal(kshape), rng.standard_normal(kshape)
    pad = np.zeros((3, 6), dtype=bool)
    pad[1, 4:] = True
    mask = ~BOOL  # True = may not attend, MultiheadAttention's convention

    def call(m, q, k, v):
        t = isinstance(q, torch.Tensor)
        conv = (lambda a: torch.tensor(a)) if t else (lambda a: a)
        return m(q, k, v, key_padding_mask=conv(pad), attn_mask=conv(mask))

    compare_with_torch(ours, theirs, q, k, v, call=call)
    for average in (True, False):  # weights per head and averaged, and float masks
        compare_with_torch(
            ours,
            theirs,
            q,
            k,
            v,
            call=lambda m, q, k, v: m(
                q,
                k,
                v,
                attn_mask=(torch.tensor(ADD) if isinstance(q, torch.Tensor) else ADD),
                average_attn_weights=average,  # noqa: B023 (called at once)
            ),
            load=False,
        )


def test_multihead_attention_kdim_vdim_unbatched_and_no_weights():
    ours, theirs = (
        nn.MultiheadAttention(6, 3, kdim=4, vdim=5),
        torch.nn.MultiheadAttention(6, 3, kdim=4, vdim=5),
    )
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    compare_with_torch(
        ours,
        theirs,
        rng.standard_normal((5, 2, 6)),
        rng.standard_normal((4, 2, 4)),
        rng.standard_normal((4, 2, 5)),
    )
    compare_with_torch(
        ours,
        theirs,
        rng.standard_normal((5, 6)),
        rng.standard_normal((4, 4)),
        rng.standard_normal((4, 5)),
        load=False,
    )
    out, w = ours(
        rng.standard_normal((5, 6)),
        rng.standard_normal((4, 4)),
        rng.standard_normal((4, 5)),
        need_weights=False,
    )
    assert w is None and out.shape == (5, 6)


def test_multihead_attention_keys_and_init():
    m = nn.MultiheadAttention(16, 4, rng=0)
    assert list(m.state_dict()) == list(torch.nn.MultiheadAttention(16, 4).state_dict())
    bound = np.sqrt(6 / (16 + 48))  # xavier on (3E, E)
    assert bound * 0.9 < np.abs(m.in_proj_weight.data).max() <= bound
    assert np.all(m.in_proj_bias.data == 0) and np.all(m.out_proj.bias.data == 0)


@pytest.mark.parametrize("norm_first", [False, True])
@pytest.mark.parametrize("batch_first", [False, True])
def test_transformer_encoder_layer_matches_torch(norm_first, batch_first):
    kw = dict(dim_feedforward=16, dropout=0.0, norm_first=norm_first, batch_first=batch_first)
    ours, theirs = nn.TransformerEncoderLayer(8, 2, **kw), torch.nn.TransformerEncoderLayer(8, 2, **kw)
    for p in (theirs.norm1.weight, theirs.norm2.bias, theirs.self_attn.in_proj_bias):
        torch.nn.init.normal_(p)
    causal = np.triu(np.full((5, 5), -np.inf), 1)
    x = rng.standard_normal((3, 5, 8) if batch_first else (5, 3, 8))
    compare_with_torch(
        ours,
        theirs,
        x,
        call=lambda m, x: m(x, src_mask=torch.tensor(causal) if isinstance(x, torch.Tensor) else causal),
    )


def test_transformer_encoder_gelu_and_stack_match_torch():
    kw = dict(dim_feedforward=16, dropout=0.0, activation="gelu", batch_first=True)
    ours = nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, **kw), 2, norm=nn.LayerNorm(8))
    theirs = torch.nn.TransformerEncoder(
        torch.nn.TransformerEncoderLayer(8, 2, **kw), 2, norm=torch.nn.LayerNorm(8)
    )
    compare_with_torch(ours, theirs, rng.standard_normal((3, 5, 8)))


def test_transformer_encoder_stack_matches_torch():
    kw = dict(dim_feedforward=16, dropout=0.0, batch_first=True)
    ours = nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, **kw), 2, norm=nn.LayerNorm(8))
    theirs = torch.nn.TransformerEncoder(
        torch.nn.TransformerEncoderLayer(8, 2, **kw),
        2,
        norm=torch.nn.LayerNorm(8),
        enable_nested_tensor=False,
    )
    assert list(ours.state_dict()) == list(theirs.state_dict())
    compare_with_torch(ours, theirs, rng.standard_normal((3, 5, 8)))


def test_attention_matches_finite_differences():
    xs = [Tensor(rng.standard_normal(s), requires_grad=True) for s in ((2, 3, 2), (2, 4, 2), (2, 4, 3))]
    assert autobp.gradcheck(lambda q, k, v: sdpa(q, k, v, attn_mask=ADD[:3, :4]), xs)
    assert autobp.gradgradcheck(lambda q, k, v: sdpa(q, k, v), xs)


def test_attention_errors():
    with pytest.raises(ValueError, match="divisible by num_heads"):
        nn.MultiheadAttention(10, 3)
    with pytest.raises(ValueError, match="do not fit"):
        sdpa(np.zeros((2, 3)), np.zeros((4, 2)), np.zeros((4, 2)))


def test_encoder_layers_draw_different_dropout_masks():
    enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(4, 1, dim_feedforward=4, dropout=0.5, rng=0), 2)
    a, b = enc.layers[0], enc.layers[1]
    assert a.rng is not b.rng
    assert not np.array_equal(a.rng.random(8), b.rng.random(8))
    np.testing.assert_array_equal(a.linear1.weight.data, b.linear1.weight.data)  # same initial weights
