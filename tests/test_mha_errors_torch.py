"""nn.MultiheadAttention and F.multi_head_attention_forward refuse bad shapes as PyTorch: the same
exception type (AssertionError / RuntimeError; autobp's are also ValueErrors) and PyTorch's words."""

import numpy as np
import pytest

import autobp
import autobp.nn as nn

torch = pytest.importorskip("torch")

Z3, Z2 = np.zeros((4, 4, 4)), np.zeros((4, 4))
B1 = np.array([False, False, True, True])

CASES = [  # (query, key, value, keyword arguments)
    (Z3, Z2, Z3, {}),
    (Z3, Z3, Z2, {}),
    (Z3, Z3, Z3, {"key_padding_mask": B1}),
    (Z3, Z3, Z3, {"attn_mask": B1}),
    (Z2, Z3, Z2, {}),
    (Z2, Z2, Z3, {}),
    (Z2, Z2, Z2, {"key_padding_mask": np.array([[False, True] * 4])}),
    (Z2, Z2, Z2, {"attn_mask": B1}),
    (Z2, Z2, Z2, {"attn_mask": np.zeros((5, 4, 4), bool)}),
    (Z3, Z3, Z3, {"attn_mask": np.zeros((4, 5), bool)}),
    (Z3, Z3, Z3, {"attn_mask": np.zeros((3, 4, 4), bool)}),
    (Z3, Z3, Z3, {"key_padding_mask": np.zeros((4, 5), bool)}),
    (np.zeros((4, 4, 4, 4)), Z3, Z3, {}),
    (np.zeros((4, 4, 3)), Z3, Z3, {}),
]


def _error(lib, q, k, v, kw):
    lib.manual_seed(0) if lib is torch else autobp.manual_seed(0)
    mha = lib.nn.MultiheadAttention(4, 4).double()
    conv = torch.from_numpy if lib is torch else autobp.tensor
    with pytest.raises(Exception) as e:
        mha(conv(q), conv(k), conv(v), **{n: conv(x) for n, x in kw.items()})
    return e.value


@pytest.mark.parametrize("case", range(len(CASES)))
def test_bad_shapes_raise_torchs_type_and_words(case):
    q, k, v, kw = CASES[case]
    theirs, ours = _error(torch, q, k, v, kw), _error(autobp, q, k, v, kw)
    assert isinstance(ours, type(theirs)) and isinstance(ours, ValueError)
    words = str(theirs).split(" but got")[0].replace("torch.Size([", "(").replace("])", ")")
    assert words.split(",")[0] in str(ours)


@pytest.mark.parametrize("which", ["k", "v"])
def test_bias_cannot_be_added_to_static_kv_as_torch(which):
    def run(lib):
        conv = torch.from_numpy if lib is torch else autobp.tensor
        mha = lib.nn.MultiheadAttention(4, 2, add_bias_kv=True).double()
        q = conv(np.zeros((3, 2, 4)))
        static = {f"static_{which}": conv(np.zeros((4, 3, 2)))}
        with pytest.raises(AssertionError) as e:
            lib.nn.functional.multi_head_attention_forward(
                q, q, q, 4, 2, mha.in_proj_weight, mha.in_proj_bias, mha.bias_k, mha.bias_v, False, 0.0,
                mha.out_proj.weight, mha.out_proj.bias, **static,
            )  # fmt: skip
        return str(e.value)

    assert run(autobp) == run(torch)


def test_good_calls_still_agree_with_torch():
    rng = np.random.default_rng(0)
    q, kv = rng.standard_normal((3, 2, 4)), rng.standard_normal((5, 2, 4))
    torch.manual_seed(0)
    t = torch.nn.MultiheadAttention(4, 2).double()
    ours = nn.MultiheadAttention(4, 2)
    ours.load_state_dict({k: v.detach().numpy() for k, v in t.state_dict().items()})
    mask = rng.random((3, 5)) < 0.3
    o1, w1 = ours(autobp.tensor(q), autobp.tensor(kv), autobp.tensor(kv), attn_mask=mask)
    o2, w2 = t(*(torch.from_numpy(x) for x in (q, kv, kv)), attn_mask=torch.from_numpy(mask))
    np.testing.assert_allclose(o1.numpy(), o2.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(w1.numpy(), w2.detach().numpy(), rtol=1e-10, atol=1e-12)
