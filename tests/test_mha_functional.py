"""nn.functional.multi_head_attention_forward against torch's: every argument of its signature, batched
and unbatched, values and the gradients of every tensor argument, central differences to second order;
and nn.MultiheadAttention (which calls it) with add_bias_kv / add_zero_attn against torch's module."""

import numpy as np
import pytest

import autobp
import autobp.nn.functional as F

torch = pytest.importorskip("torch")
TF = torch.nn.functional

E, H, L, S, N = 6, 2, 3, 4, 2
rng = np.random.default_rng(5)


def _arrays(batched=True, separate=False, kdim=E, vdim=E, bias_kv=False, static=False, biases=True):
    lead = (N,) if batched else ()
    a = {
        "query": rng.standard_normal((L,) + lead + (E,)),
        "key": rng.standard_normal((S,) + lead + (kdim,)),
        "value": rng.standard_normal((S,) + lead + (vdim,)),
        "in_proj_bias": rng.standard_normal(3 * E) if biases else None,
        "out_proj_weight": rng.standard_normal((E, E)) / 2,
        "out_proj_bias": rng.standard_normal(E) if biases else None,
        "bias_k": rng.standard_normal((1, 1, E)) if bias_kv else None,
        "bias_v": rng.standard_normal((1, 1, E)) if bias_kv else None,
    }
    if separate:
        a["q_proj_weight"] = rng.standard_normal((E, E)) / 2
        a["k_proj_weight"] = rng.standard_normal((E, kdim)) / 2
        a["v_proj_weight"] = rng.standard_normal((E, vdim)) / 2
        a["in_proj_weight"] = None
    else:
        a["in_proj_weight"] = rng.standard_normal((3 * E, E)) / 2
    if static:
        nb = N if batched else 1
        a["static_k"] = rng.standard_normal((nb * H, S + 1, E // H))
        a["static_v"] = rng.standard_normal((nb * H, S + 1, E // H))
    return a


def _call(lib, arrays, grad=False, **kw):
    fn = F.multi_head_attention_forward if lib is autobp else TF.multi_head_attention_forward
    ts = {k: None if v is None else lib.tensor(v, requires_grad=grad) for k, v in arrays.items()}
    masks = {}
    for k in ("key_padding_mask", "attn_mask"):
        if k in kw:
            m = kw.pop(k)
            masks[k] = None if m is None else lib.tensor(m)
    out, w = fn(
        ts["query"], ts["key"], ts["value"], E, H, ts["in_proj_weight"], ts["in_proj_bias"],
        ts["bias_k"], ts["bias_v"], kw.pop("add_zero_attn", False), kw.pop("dropout_p", 0.0),
        ts["out_proj_weight"], ts["out_proj_bias"], q_proj_weight=ts.get("q_proj_weight"),
        k_proj_weight=ts.get("k_proj_weight"), v_proj_weight=ts.get("v_proj_weight"),
        static_k=ts.get("static_k"), static_v=ts.get("static_v"), **masks, **kw,
    )  # fmt: skip
    return out, w, ts


def _np(t):
    return (
        None if t is None else (t.detach().numpy() if isinstance(t, torch.Tensor) else np.asarray(t.numpy()))
    )


def _compare(arrays, **kw):
    out, w, ts = _call(autobp, arrays, grad=True, **dict(kw))
    tout, tw, tts = _call(torch, arrays, grad=True, **dict(kw))
    np.testing.assert_allclose(_np(out), _np(tout), rtol=1e-10, atol=1e-12)
    assert (w is None) == (tw is None)
    if w is not None:
        np.testing.assert_allclose(_np(w), _np(tw), rtol=1e-10, atol=1e-12)
    G = rng.standard_normal(tout.shape)
    loss = (out * autobp.tensor(G)).sum() + (0 if w is None else (w**2).sum())
    tloss = (tout * torch.tensor(G)).sum() + (0 if tw is None else (tw**2).sum())
    loss.backward()
    tloss.backward()
    for k, t in ts.items():
        if t is not None:
            tg = tts[k].grad
            want = np.zeros(arrays[k].shape) if tg is None else tg.numpy()
            got = np.zeros(arrays[k].shape) if t.grad is None else np.asarray(t.grad)
            np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-11, err_msg=k)


def _bool(shape, p=0.3):
    m = rng.random(shape) < p
    m[..., 0] = False  # every row keeps a position
    return m


CAUSAL = ~np.tril(np.ones((L, S), bool))
FLOAT_MASKS = {"attn_mask": rng.standard_normal((L, S)), "key_padding_mask": rng.standard_normal((N, S))}


CASES = {
    "plain": ({}, {}),
    "unbatched": ({"batched": False}, {}),
    "no_biases": ({"biases": False}, {}),
    "separate_kdim_vdim": ({"separate": True, "kdim": 5, "vdim": 3}, {"use_separate_proj_weight": True}),
    "separate_same_dims": ({"separate": True}, {"use_separate_proj_weight": True}),
    "bias_kv": ({"bias_kv": True}, {}),
    "zero_attn": ({}, {"add_zero_attn": True}),
    "bias_kv_zero_attn_masks": (
        {"bias_kv": True},
        {"add_zero_attn": True, "key_padding_mask": _bool((N, S)), "attn_mask": _bool((L, S))},
    ),
    "static_kv": ({"static": True}, {}),
    "static_kv_zero_attn_pad": (
        {"static": True}, {"add_zero_attn": True, "key_padding_mask": _bool((N, S + 1))}
    ),
    "kpm_bool": ({}, {"key_padding_mask": _bool((N, S))}),
    "kpm_float": ({}, {"key_padding_mask": rng.standard_normal((N, S))}),
    "mask2d_bool": ({}, {"attn_mask": _bool((L, S))}),
    "mask3d_float": ({}, {"attn_mask": rng.standard_normal((N * H, L, S))}),
    "mask_and_kpm_float": ({}, FLOAT_MASKS),
    "unbatched_masks": ({"batched": False}, {"attn_mask": _bool((H, L, S)), "key_padding_mask": _bool((S,))}),
    "unbatched_bias_kv_zero_attn": ({"batched": False, "bias_kv": True}, {"add_zero_attn": True}),
    "per_head_weights": ({}, {"average_attn_weights": False}),
    "no_weights": ({}, {"need_weights": False, "attn_mask": _bool((L, S))}),
    "causal_hint": ({}, {"attn_mask": CAUSAL, "is_causal": True}),
    "causal_hint_no_weights": ({}, {"attn_mask": CAUSAL, "is_causal": True, "need_weights": False}),
    "eval_ignores_dropout": ({}, {"dropout_p": 0.5, "training": False}),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_and_gradients_as_torch(name):
    make, kw = CASES[name]
    _compare(_arrays(**make), **kw)


def test_causal_hint_replaces_the_mask_as_torch():
    """With no key_padding_mask and need_weights=False, PyTorch uses the causal mask for is_causal."""
    kw = {"attn_mask": np.zeros((L, S), bool), "is_causal": True, "need_weights": False}
    _compare(_arrays(), **kw)


def test_dropout_one_zeroes_the_weights_as_torch():
    a = _arrays()
    out, w, _ = _call(autobp, a, dropout_p=1.0)
    tout, tw, _ = _call(torch, a, dropout_p=1.0)
    np.testing.assert_allclose(_np(out), _np(tout), atol=1e-12)
    assert np.all(_np(w) == 0) and np.all(_np(tw) == 0)


def test_dropout_is_seeded_by_rng():
    a = _arrays()
    ts = {k: None if v is None else autobp.tensor(v) for k, v in a.items()}
    args = [ts[k] for k in ("query", "key", "value")] + [E, H, ts["in_proj_weight"], ts["in_proj_bias"]]
    args += [None, None, False, 0.5, ts["out_proj_weight"], ts["out_proj_bias"]]
    o1 = F.multi_head_attention_forward(*args, rng=3)[0].numpy()
    o2 = F.multi_head_attention_forward(*args, rng=3)[0].numpy()
    o3 = F.multi_head_attention_forward(*args, training=False)[0].numpy()
    np.testing.assert_array_equal(o1, o2)
    assert not np.allclose(o1, o3)


@pytest.mark.parametrize("batched", [True, False])
def test_gradcheck_to_second_order(batched):
    a = _arrays(batched=batched, bias_kv=True)
    kpm = _bool((N, S) if batched else (S,))
    ts = {k: autobp.tensor(v, requires_grad=True) for k, v in a.items() if v is not None}

    def f(q, k, v, w_in, b_in, bk, bv, w_out, b_out):
        return F.multi_head_attention_forward(
            q, k, v, E, H, w_in, b_in, bk, bv, True, 0.0, w_out, b_out, key_padding_mask=kpm
        )[0]

    names = ["query", "key", "value", "in_proj_weight", "in_proj_bias", "bias_k", "bias_v"]
    args = tuple(ts[n] for n in names + ["out_proj_weight", "out_proj_bias"])
    assert autobp.gradcheck(f, args)
    rest = args[3:5] + args[7:]
    assert autobp.gradgradcheck(
        lambda q, k, v, bk, bv: f(q, k, v, *rest[:2], bk, bv, *rest[2:]), args[:3] + args[5:7]
    )


def _module_pair(batch_first, **kw):
    m = autobp.nn.MultiheadAttention(E, H, batch_first=batch_first, **kw)
    tm = torch.nn.MultiheadAttention(E, H, batch_first=batch_first, dtype=torch.float64, **kw)
    with torch.no_grad():
        for p in tm.parameters():
            p.copy_(torch.tensor(rng.standard_normal(tuple(p.shape))))
    m.load_state_dict({k: v.numpy() for k, v in tm.state_dict().items()})
    return m, tm


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize(
    "kw",
    [{"add_bias_kv": True}, {"add_zero_attn": True}, {"add_bias_kv": True, "add_zero_attn": True, "kdim": 5}],
)
def test_module_with_bias_kv_and_zero_attn_as_torch(batch_first, kw):
    m, tm = _module_pair(batch_first, **kw)
    assert sorted(n for n, _ in m.named_parameters()) == sorted(n for n, _ in tm.named_parameters())
    kdim = kw.get("kdim", E)
    q = rng.standard_normal((N, L, E) if batch_first else (L, N, E))
    k = rng.standard_normal((N, S, kdim) if batch_first else (S, N, kdim))
    v = rng.standard_normal((N, S, E) if batch_first else (S, N, E))
    kpm = _bool((N, S))
    out, w = m(autobp.tensor(q), autobp.tensor(k), autobp.tensor(v), key_padding_mask=kpm)
    tout, tw = tm(torch.tensor(q), torch.tensor(k), torch.tensor(v), key_padding_mask=torch.tensor(kpm))
    np.testing.assert_allclose(_np(out), _np(tout), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(_np(w), _np(tw), rtol=1e-10, atol=1e-12)
    out.sum().backward()
    tout.sum().backward()
    for name, p in m.named_parameters():
        np.testing.assert_allclose(
            np.asarray(p.grad), dict(tm.named_parameters())[name].grad.numpy(), rtol=1e-9, atol=1e-11
        )


@pytest.mark.parametrize(
    "change, match",
    [
        ({"query": rng.standard_normal((2, 3, 4, E))}, "unbatched 2D or batched 3D tensor but received 4-D"),
        ({"key": rng.standard_normal((S, E))}, "expected `key` and `value` to be 3-D but found 2-D and 3-D"),
        ({"was expecting embedding dimension of": E + 1}, "was expecting embedding dimension of"),
        ({"num_heads": 4}, "divisible"),
        ({"attn_mask": np.zeros((L, S + 1), bool)}, "The shape of the 2D attn_mask is"),
        ({"key_padding_mask": np.zeros((N, S + 1), bool)}, r"Expected key_padded_mask.shape\[1\] to be"),
        ({"attn_mask": np.zeros((L, S), np.int64)}, "only bool and floating types of attn_mask"),
        ({"is_causal": True}, "Need attn_mask if specifying the is_causal hint"),
        ({"bias_k": np.zeros((1, 1, E))}, "both bias_k and bias_v"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_bad_input_is_refused(change, match):
    a = _arrays()
    ts = {k: None if v is None else autobp.tensor(v) for k, v in a.items()}
    kw = dict(query=ts["query"], key=ts["key"], value=ts["value"], embed_dim_to_check=E, num_heads=H)
    kw.update(in_proj_weight=ts["in_proj_weight"], in_proj_bias=ts["in_proj_bias"], bias_k=None, bias_v=None)
    kw.update(add_zero_attn=False, dropout_p=0.0, out_proj_weight=ts["out_proj_weight"], out_proj_bias=None)
    kw.update(change)
    with pytest.raises((ValueError, TypeError), match=match):
        F.multi_head_attention_forward(**kw)
