"""A query row that may attend nothing: PyTorch's scaled_dot_product_attention gives zeros (value and
gradient) there, as does MultiheadAttention without weights; with weights its softmax gives NaN."""

import numpy as np
import pytest

import autobp
import autobp.nn as nn
import autobp.nn.functional as F

torch = pytest.importorskip("torch")
rng = np.random.default_rng(3)
Q, K, V = rng.standard_normal((2, 3, 2)), rng.standard_normal((2, 4, 2)), rng.standard_normal((2, 4, 3))
ALLOWED = np.ones((3, 4), bool)
ALLOWED[1] = False  # query 1 may attend no key


@pytest.mark.parametrize("kind", ["bool", "float", "causal_like"])
def test_sdpa_rows_with_nothing_to_attend_are_zero_as_torch(kind):
    mask = {
        "bool": ALLOWED,
        "float": np.where(ALLOWED, 0.0, -np.inf),
        "causal_like": ALLOWED & np.tri(3, 4, 1, bool),
    }[kind]
    g = rng.standard_normal((2, 3, 3))
    tq, tk, tv = (torch.tensor(x, requires_grad=True) for x in (Q, K, V))
    to = torch.nn.functional.scaled_dot_product_attention(tq, tk, tv, attn_mask=torch.from_numpy(mask))
    (to * torch.from_numpy(g)).sum().backward()
    aq, ak, av = (autobp.tensor(x, requires_grad=True) for x in (Q, K, V))
    ao = F.scaled_dot_product_attention(aq, ak, av, attn_mask=mask)
    (ao * autobp.tensor(g)).sum().backward()
    np.testing.assert_allclose(ao.detach().numpy(), to.detach().numpy(), rtol=1e-12, atol=1e-14)
    for a, t in ((aq, tq), (ak, tk), (av, tv)):
        np.testing.assert_allclose(np.asarray(a.grad), t.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_sdpa_refuses_mask_with_is_causal_as_torch():
    for lib, f in ((torch, torch.nn.functional), (autobp, F)):
        conv = torch.from_numpy if lib is torch else autobp.tensor
        with pytest.raises(RuntimeError, match="Explicit attn_mask should not be set when is_causal=True"):
            f.scaled_dot_product_attention(conv(Q), conv(K), conv(V), attn_mask=conv(ALLOWED), is_causal=True)


@pytest.mark.parametrize("need_weights", [False, True])
def test_mha_rows_with_nothing_to_attend_as_torch(need_weights):
    torch.manual_seed(0)
    t = torch.nn.MultiheadAttention(4, 2).double()
    ours = nn.MultiheadAttention(4, 2)
    ours.load_state_dict({k: v.detach().numpy() for k, v in t.state_dict().items()})
    with torch.no_grad():
        t.out_proj.bias.fill_(0.5)
    ours.out_proj.bias.data[...] = 0.5
    x = rng.standard_normal((3, 1, 4))
    mask = np.zeros((3, 3), bool)
    mask[1] = True  # MultiheadAttention's convention: True may NOT be attended
    o1 = ours(
        autobp.tensor(x), autobp.tensor(x), autobp.tensor(x), attn_mask=mask, need_weights=need_weights
    )[0]
    tx = torch.from_numpy(x)
    o2 = t(tx, tx, tx, attn_mask=torch.from_numpy(mask), need_weights=need_weights)[0]
    np.testing.assert_allclose(
        o1.detach().numpy(), o2.detach().numpy(), rtol=1e-12, atol=1e-14, equal_nan=True
    )
