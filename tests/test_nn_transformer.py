"""TransformerDecoderLayer, TransformerDecoder and Transformer against PyTorch's (same state dict,
no dropout): outputs and every gradient, with causal and padding masks, norm_first, batch_first."""

import numpy as np
import pytest

from autobp import Tensor, nn

from .torch_twin import compare_with_torch

torch = pytest.importorskip("torch")

rng = np.random.default_rng(12)
KW = dict(dim_feedforward=6, dropout=0.0)


@pytest.mark.parametrize(
    "kw",
    [
        dict(),
        dict(norm_first=True, activation="gelu"),
        dict(batch_first=True, bias=False, layer_norm_eps=1e-3),
    ],
)
def test_decoder_layer_and_stack_match_torch(kw):
    ours, theirs = (
        nn.TransformerDecoderLayer(4, 2, **KW, **kw),
        torch.nn.TransformerDecoderLayer(4, 2, **KW, **kw),
    )
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    shape_t, shape_m = ((2, 3, 4), (2, 5, 4)) if kw.get("batch_first") else ((3, 2, 4), (5, 2, 4))
    tgt, mem = rng.standard_normal(shape_t), rng.standard_normal(shape_m)
    compare_with_torch(ours, theirs, tgt, mem)
    causal = nn.Transformer.generate_square_subsequent_mask(3)
    tcausal = torch.nn.Transformer.generate_square_subsequent_mask(3, dtype=torch.float64)
    np.testing.assert_array_equal(causal.data, tcausal.numpy())
    pad = np.array([[False, False, False, True, True], [False, False, False, False, False]])
    compare_with_torch(
        ours, theirs, tgt, mem, pad, load=False,
        call=lambda m, t, s, p: m(t, s, tgt_mask=causal if m is ours else tcausal, memory_key_padding_mask=p),
    )  # fmt: skip
    stack = nn.TransformerDecoder(ours, 2, nn.LayerNorm(4))
    tstack = torch.nn.TransformerDecoder(theirs, 2, torch.nn.LayerNorm(4))
    compare_with_torch(stack, tstack, tgt, mem)


def test_transformer_matches_torch_and_refuses_mismatched_batches():
    kw = dict(d_model=4, nhead=2, num_encoder_layers=2, num_decoder_layers=1, **KW)
    ours, theirs = nn.Transformer(**kw, rng=0), torch.nn.Transformer(**kw)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    w = ours.encoder.layers[0].linear1.weight.data  # Xavier-uniform: bound sqrt(6 / (4 + 6))
    assert np.abs(w).max() <= np.sqrt(0.6) and np.abs(w).max() > 0.5 * np.sqrt(0.6)
    src, tgt = rng.standard_normal((5, 2, 4)), rng.standard_normal((3, 2, 4))
    compare_with_torch(ours, theirs, src, tgt)
    causal = nn.Transformer.generate_square_subsequent_mask(3)
    tcausal = torch.nn.Transformer.generate_square_subsequent_mask(3, dtype=torch.float64)
    compare_with_torch(
        ours, theirs, src, tgt, load=False,
        call=lambda m, s, t: m(s, t, tgt_mask=causal if m is ours else tcausal),
    )  # fmt: skip
    with pytest.raises(ValueError, match="different batch sizes"):
        ours(Tensor(src), Tensor(rng.standard_normal((3, 1, 4))))
