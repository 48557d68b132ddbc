"""What running PyTorch's own module database (torch.testing._internal.common_modules.module_db)
against autobp.nn found: constructor options and inputs torch accepts that autobp refused, and state
torch keeps in ``state_dict()`` that autobp did not. Each case is checked against torch itself: the
autobp module gets the torch module's state, then outputs, input gradients, parameter gradients and
buffers are compared."""

from __future__ import annotations

import numpy as np
import pytest

import autobp
from autobp import nn

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(0)


def _pair(torch_module, ours):
    """``ours`` with ``torch_module``'s state (the same keys, strictly)."""
    ours.load_state_dict({k: v.numpy() for k, v in torch_module.state_dict().items()})
    return ours


def _run_both(tm, am, arrays, kwargs=None, grad_of=None):
    """Forward both modules on the same arrays (float ones require grad), backward the same upstream
    gradients, and compare outputs, input gradients, parameter gradients and buffers."""
    kwargs = kwargs or {}
    grad_of = range(len(arrays)) if grad_of is None else grad_of
    tx = [torch.tensor(a, requires_grad=i in grad_of and a.dtype.kind == "f") for i, a in enumerate(arrays)]
    ax = [autobp.tensor(a, requires_grad=i in grad_of and a.dtype.kind == "f") for i, a in enumerate(arrays)]
    tk = {k: torch.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
    ak = {k: autobp.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
    tout, aout = tm(*tx, **tk), am(*ax, **ak)
    tout = tout if isinstance(tout, tuple) else (tout,)
    aout = aout if isinstance(aout, tuple) else (aout,)
    assert len(tout) == len(aout)
    pairs = []
    for t, a in zip(tout, aout):
        if t is None:
            assert a is None
            continue
        assert a.shape == tuple(t.shape) and a.dtype == t.detach().numpy().dtype
        np.testing.assert_allclose(a.data, t.detach().numpy(), rtol=1e-10, atol=1e-12)
        if t.requires_grad:
            pairs.append((t, a, RNG.standard_normal(tuple(t.shape))))
    torch.autograd.backward([t for t, _, _ in pairs], [torch.tensor(g) for _, _, g in pairs])
    autobp.autograd.backward([a for _, a, _ in pairs], [autobp.tensor(g) for _, _, g in pairs])
    for t, a in zip(tx, ax):
        if t.requires_grad:
            np.testing.assert_allclose(np.asarray(a.grad), t.grad.numpy(), rtol=1e-9, atol=1e-12)
    tp, ap = dict(tm.named_parameters()), dict(am.named_parameters())
    assert list(tp) == list(ap)
    for k, p in tp.items():
        np.testing.assert_allclose(np.asarray(ap[k].grad), p.grad.numpy(), rtol=1e-9, atol=1e-12)
    for k, b in tm.named_buffers():
        np.testing.assert_allclose(dict(am.named_buffers())[k].data, b.numpy(), rtol=1e-12)
    return aout


# --- Linear and the simple layers take PyTorch's keyword ``input`` --------------------------------
@pytest.mark.parametrize("name", ["Linear", "Sigmoid", "Tanh", "ReLU", "Identity", "Sequential"])
def test_forward_accepts_input_keyword(name):
    make = {
        "Linear": lambda m: m.Linear(4, 3),
        "Sequential": lambda m: m.Sequential(m.Linear(4, 2), m.Tanh()),
    }.get(name, lambda m: getattr(m, name)())
    tm = make(torch.nn).double()
    am = _pair(tm, make(nn))
    x = RNG.standard_normal((5, 4))
    np.testing.assert_allclose(
        am(input=autobp.tensor(x)).data, tm(input=torch.tensor(x)).detach().numpy(), rtol=1e-12
    )


# --- BatchNorm: an empty batch in training -------------------------------------------------------
@pytest.mark.parametrize("name,shape", [("BatchNorm1d", (0, 5, 9)), ("BatchNorm2d", (0, 5, 2, 2))])
def test_batchnorm_empty_batch_in_training(name, shape):
    tm = getattr(torch.nn, name)(5).double()
    am = _pair(tm, getattr(nn, name)(5))
    (out,) = _run_both(tm, am, [np.zeros(shape)])
    assert out.shape == shape
    assert int(am.num_batches_tracked.data) == int(tm.num_batches_tracked) == 1
    np.testing.assert_array_equal(np.asarray(am.weight.grad), np.zeros(5))  # zeros, not None


def test_batchnorm_one_value_per_channel_is_still_an_error():
    with pytest.raises(ValueError):
        torch.nn.BatchNorm1d(3).double()(torch.zeros((1, 3), dtype=torch.float64))
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        nn.BatchNorm1d(3)(np.zeros((1, 3)))


# --- norm layers: affine with bias=False ---------------------------------------------------------
NORMS = [
    ("BatchNorm1d", (3,), (4, 3, 5)),
    ("BatchNorm2d", (3,), (4, 3, 2, 2)),
    ("InstanceNorm1d", (3,), (4, 3, 5)),
    ("InstanceNorm2d", (3,), (4, 3, 3, 2)),
    ("GroupNorm", (1, 3), (4, 3, 5)),
]


@pytest.mark.parametrize("name,args,shape", NORMS, ids=[n[0] for n in NORMS])
@pytest.mark.parametrize("training", [True, False])
def test_norm_affine_without_bias(name, args, shape, training):
    tm = getattr(torch.nn, name)(*args, affine=True, bias=False).double().train(training)
    am = _pair(tm, getattr(nn, name)(*args, affine=True, bias=False).train(training))
    assert am.bias is None and [k for k, _ in am.named_parameters()] == ["weight"]
    with torch.no_grad():
        tm.weight.copy_(torch.tensor(RNG.standard_normal(3)))
    am = _pair(tm, am)
    _run_both(tm, am, [RNG.standard_normal(shape)])
    if name.startswith("BatchNorm"):
        assert "bias=False" in repr(am) and "bias=False" in repr(tm)


# --- loss class weights and FractionalMaxPool's samples are buffers ------------------------------
WEIGHTED = ["CrossEntropyLoss", "NLLLoss", "BCELoss", "MultiMarginLoss", "MultiLabelSoftMarginLoss"]


@pytest.mark.parametrize("name", WEIGHTED)
def test_loss_weight_is_a_buffer(name):
    w = np.array([0.5, 2.0, 1.5])
    tm = getattr(torch.nn, name)(weight=torch.tensor(w))
    am = getattr(nn, name)(weight=w)
    assert list(am.state_dict()) == list(tm.state_dict()) == ["weight"]
    assert [k for k, _ in am.named_buffers()] == ["weight"]
    np.testing.assert_array_equal(am.state_dict()["weight"], w)
    am.load_state_dict({k: v.numpy() * 2 for k, v in tm.state_dict().items()})  # strict: same keys
    np.testing.assert_array_equal(am.weight.data, 2 * w)
    assert list(getattr(nn, name)().state_dict()) == list(getattr(torch.nn, name)().state_dict()) == []


def test_bce_with_logits_pos_weight_is_a_buffer():
    w, pw = np.array([0.5, 2.0, 1.5]), np.array([1.0, 3.0, 0.2])
    tm = torch.nn.BCEWithLogitsLoss(weight=torch.tensor(w), pos_weight=torch.tensor(pw))
    am = nn.BCEWithLogitsLoss(weight=w, pos_weight=pw)
    assert list(am.state_dict()) == list(tm.state_dict()) == ["weight", "pos_weight"]
    x, t = RNG.standard_normal((4, 3)), (RNG.random((4, 3)) > 0.5).astype(float)
    _run_both(tm, am, [x, t], grad_of=[0])


def test_a_weight_that_requires_grad_receives_it():
    w = np.array([0.5, 2.0, 1.5])
    tw, aw = torch.tensor(w, requires_grad=True), autobp.tensor(w, requires_grad=True)
    x, t = RNG.standard_normal((4, 3)), (RNG.random((4, 3)) > 0.5).astype(float)
    torch.nn.MultiLabelSoftMarginLoss(weight=tw)(torch.tensor(x), torch.tensor(t)).backward()
    nn.MultiLabelSoftMarginLoss(weight=aw)(autobp.tensor(x), autobp.tensor(t)).backward()
    np.testing.assert_allclose(np.asarray(aw.grad), tw.grad.numpy(), rtol=1e-10)


def test_fractional_max_pool_samples_are_a_buffer():
    u = RNG.random((1, 2, 2))
    tm = torch.nn.FractionalMaxPool2d(2, output_ratio=0.5, _random_samples=torch.tensor(u))
    am = _pair(tm, nn.FractionalMaxPool2d(2, output_ratio=0.5, _random_samples=u))
    assert list(am.state_dict()) == list(tm.state_dict()) == ["_random_samples"]
    _run_both(tm, am, [RNG.standard_normal((1, 2, 8, 6))])
    assert list(nn.FractionalMaxPool2d(2, output_ratio=0.5).state_dict()) == []


# --- LinearCrossEntropyLoss: out_features (K-dimensional logits) ---------------------------------
@pytest.mark.parametrize("out_features", [(), (3,), (3, 2, 4)])
@pytest.mark.parametrize("bias", [False, True])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_linear_cross_entropy_out_features(out_features, bias, reduction):
    C, n_in, N = 5, 4, 6
    w = RNG.random(C) + 0.5
    kw = dict(out_features=out_features, bias=bias, reduction=reduction, label_smoothing=0.1)
    tm = torch.nn.LinearCrossEntropyLoss(n_in, C, weight=torch.tensor(w), **kw).double()
    with torch.no_grad():
        for p in tm.parameters():
            p.copy_(torch.tensor(RNG.standard_normal(tuple(p.shape))))
    am = _pair(tm, nn.LinearCrossEntropyLoss(n_in, C, weight=w, **kw))
    target = RNG.integers(0, C, (N,) + out_features)
    _run_both(tm, am, [RNG.standard_normal((N, n_in)), target])
    x1, t1 = RNG.standard_normal(n_in), RNG.integers(0, C, out_features)
    if not out_features:  # unbatched: input (in,), target ()
        _run_both(tm, am, [x1, t1])
    elif reduction == "sum":  # K-dimensional logits need a batch (both refuse)
        with pytest.raises(RuntimeError, match="requires batched input"):
            tm(torch.tensor(x1), torch.tensor(t1))
        with pytest.raises(ValueError, match="requires batched input"):
            am(autobp.tensor(x1), autobp.tensor(t1))


def test_linear_cross_entropy_constructor_checks():
    with pytest.raises(ValueError, match=r"weight shape \(3,\)"):
        nn.LinearCrossEntropyLoss(4, 3, weight=np.ones(2))
    with pytest.raises(ValueError, match="label_smoothing"):
        nn.LinearCrossEntropyLoss(4, 3, label_smoothing=1.5)


# --- MultiheadAttention: add_bias_kv and add_zero_attn -------------------------------------------
MHA = [
    dict(add_bias_kv=True),
    dict(add_zero_attn=True),
    dict(add_bias_kv=True, add_zero_attn=True, batch_first=True),
    dict(add_bias_kv=True, add_zero_attn=True, kdim=3, vdim=5, bias=False),
]


@pytest.mark.parametrize("kw", MHA, ids=["bias_kv", "zero_attn", "both_batch_first", "both_kdim_vdim"])
@pytest.mark.parametrize("masks", [False, True])
def test_multihead_attention_bias_kv_and_zero_attn(kw, masks):
    E, H, L, S, N = 4, 2, 3, 5, 2
    tm = torch.nn.MultiheadAttention(E, H, **kw).double()
    am = _pair(tm, nn.MultiheadAttention(E, H, **kw))
    assert [k for k, _ in am.named_parameters()] == [k for k, _ in tm.named_parameters()]
    bf = kw.get("batch_first", False)
    lead = (lambda n, s: (n, s)) if bf else (lambda n, s: (s, n))
    q = RNG.standard_normal(lead(N, L) + (E,))
    k = RNG.standard_normal(lead(N, S) + (kw.get("kdim", E),))
    v = RNG.standard_normal(lead(N, S) + (kw.get("vdim", E),))
    extra = {}
    if masks:
        extra = dict(
            key_padding_mask=np.array([[False] * 4 + [True], [False] * 5]),
            attn_mask=RNG.standard_normal((N * H, L, S)),
            average_attn_weights=False,
        )
    _run_both(tm, am, [q, k, v], extra)
    # unbatched, with a bool (L, S) mask
    _run_both(
        tm,
        am,
        [q[0] if bf else q[:, 0], k[0] if bf else k[:, 0], v[0] if bf else v[:, 0]],
        dict(attn_mask=np.triu(np.ones((L, S), bool), 1)) if masks else {},
    )


@pytest.mark.parametrize(
    "nd,shape", [(2, (4, 8, 8)), (2, (2, 4, 8, 8)), (3, (4, 5, 5, 5)), (3, (2, 4, 6, 6, 6))]
)
def test_fractional_max_pool_extra_sample_rows(nd, shape):
    """More rows of samples than the batch (an unbatched input: more than one) use the first rows."""
    u = RNG.random((3, 4, nd))
    ratio = (0.5,) * nd
    name = f"FractionalMaxPool{nd}d"
    tm = getattr(torch.nn, name)(2, output_ratio=ratio, _random_samples=torch.tensor(u))
    am = _pair(tm, getattr(nn, name)(2, output_ratio=ratio, _random_samples=u))
    _run_both(tm, am, [RNG.standard_normal(shape)])
    with pytest.raises(ValueError, match="_random_samples must have shape"):
        getattr(nn.functional, f"fractional_max_pool{nd}d")(
            np.zeros((4, 4) + shape[-nd:]), 2, output_ratio=ratio, _random_samples=u
        )


def test_transformer_encoder_accepts_fast_path_flags():
    kw = dict(dim_feedforward=8, dropout=0.0, batch_first=True)
    tl, al = torch.nn.TransformerEncoderLayer(4, 2, **kw).double(), nn.TransformerEncoderLayer(4, 2, **kw)
    flags = dict(enable_nested_tensor=False, mask_check=False)
    tm = torch.nn.TransformerEncoder(tl, 2, **flags).eval()
    am = _pair(tm, nn.TransformerEncoder(al, 2, **flags).eval())
    _run_both(tm, am, [RNG.standard_normal((2, 3, 4))])
