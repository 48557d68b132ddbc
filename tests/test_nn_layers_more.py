"""Module state (buffers, state_dict keys, strict loading errors), Embedding, Dropout, Flatten,
Unflatten, Bilinear, Identity and the activation layers against PyTorch."""

import numpy as np
import pytest

import autobp.nn.functional as F
from autobp import Tensor, nn

from .torch_twin import compare_with_torch

torch = pytest.importorskip("torch")

rng = np.random.default_rng(3)


def test_state_dict_has_pytorchs_keys_in_order():
    ours = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.ReLU(), nn.Flatten(), nn.Linear(8, 3))
    theirs = torch.nn.Sequential(
        torch.nn.Conv2d(1, 2, 3),
        torch.nn.BatchNorm2d(2),
        torch.nn.ReLU(),
        torch.nn.Flatten(),
        torch.nn.Linear(8, 3),
    )
    assert list(ours.state_dict()) == list(theirs.state_dict())
    compare_with_torch(ours, theirs, rng.standard_normal((2, 1, 4, 4)))


def test_load_state_dict_errors_name_keys_and_shapes_and_change_nothing():
    net = nn.Sequential(nn.Linear(2, 3, rng=0), nn.BatchNorm1d(3))
    before = {k: v.clone() for k, v in net.state_dict().items()}
    bad = dict(before)
    bad["0.weight"] = np.zeros((2, 2))
    del bad["1.running_var"]
    bad["2.weight"] = np.zeros(1)
    with pytest.raises(RuntimeError) as e:
        net.load_state_dict(bad)
    msg = str(e.value)
    assert (
        "size mismatch for 0.weight: copying a param with shape (2, 2) from checkpoint, "
        "the shape in current model is (3, 2)" in msg
    )
    assert 'Missing key(s) in state_dict: "1.running_var"' in msg
    assert 'Unexpected key(s) in state_dict: "2.weight"' in msg
    for k, v in net.state_dict().items():
        np.testing.assert_array_equal(v, before[k])
    del bad["2.weight"]
    bad["0.weight"] = np.ones((3, 2))
    result = net.load_state_dict(bad, strict=False)
    assert result.missing_keys == ["1.running_var"] and result.unexpected_keys == []
    np.testing.assert_array_equal(net[0].weight.data, np.ones((3, 2)))


def test_buffers_are_not_parameters_and_can_be_non_persistent():
    m = nn.Module()
    m.register_buffer("a", np.zeros(2))
    m.register_buffer("b", np.ones(1), persistent=False)
    assert [n for n, _ in m.named_buffers()] == ["a", "b"]
    assert list(m.state_dict()) == ["a"] and list(m.parameters()) == []
    m.a = np.full(2, 7.0)  # assignment re-registers the buffer
    np.testing.assert_array_equal(m.state_dict()["a"], [7.0, 7.0])


@pytest.mark.parametrize("padding_idx", [None, 2, -1])
def test_embedding_matches_torch_and_padding_row_gets_no_gradient(padding_idx):
    ours, theirs = (
        nn.Embedding(6, 3, padding_idx=padding_idx),
        torch.nn.Embedding(6, 3, padding_idx=padding_idx),
    )
    idx = np.array([[0, 2, 5], [2, 2, 1]])
    compare_with_torch(ours, theirs, idx)
    unused = [3, 4]
    np.testing.assert_array_equal(ours.weight.grad[unused], 0)  # only rows used get a gradient
    if padding_idx is not None:
        np.testing.assert_array_equal(ours.weight.grad[padding_idx], 0)


@pytest.mark.parametrize(
    "kw",
    [
        dict(max_norm=1.0),
        dict(max_norm=0.7, norm_type=1.0),
        dict(max_norm=1.5, norm_type=3.0, padding_idx=1),
        dict(scale_grad_by_freq=True),
        dict(scale_grad_by_freq=True, padding_idx=2, max_norm=1.2),
    ],
)
def test_embedding_max_norm_and_scale_grad_by_freq_match_torch(kw):
    ours, theirs = nn.Embedding(6, 3, **kw), torch.nn.Embedding(6, 3, **kw)
    idx = np.array([[0, 2, 5], [2, 2, 1]])  # 2 three times: its gradient is divided by 3 by frequency
    compare_with_torch(ours, theirs, idx)
    # max_norm renormalised the rows used, in place, exactly as torch did; rows not used are untouched
    np.testing.assert_allclose(ours.weight.data, theirs.weight.detach().numpy(), rtol=1e-12, atol=1e-14)
    if "max_norm" in kw:
        norms = np.linalg.norm(ours.weight.data[[0, 1, 2, 5]], ord=kw.get("norm_type", 2.0), axis=1)
        assert (norms <= kw["max_norm"] + 1e-6).all()


def test_embedding_functional_max_norm_and_sparse():
    w = Tensor(rng.standard_normal((5, 4)) * 3, requires_grad=True)
    tw = torch.tensor(w.data.copy(), requires_grad=True)
    idx = np.array([4, 0, 4])
    out = F.embedding(idx, w, max_norm=2.0)
    with torch.no_grad():  # torch renormalises a leaf that requires grad only outside autograd
        torch.nn.functional.embedding(torch.tensor(idx), tw, max_norm=2.0)
    tout = torch.nn.functional.embedding(torch.tensor(idx), tw)
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(w.data, tw.detach().numpy(), rtol=1e-12)
    assert nn.Embedding(3, 2, sparse=True).sparse  # accepted: the gradient is dense (no sparse tensors)


def test_embedding_init_and_from_pretrained():
    e = nn.Embedding(1000, 4, padding_idx=0, rng=0)
    np.testing.assert_array_equal(e.weight.data[0], 0)
    assert abs(e.weight.data[1:].std() - 1) < 0.05  # N(0, 1) as in PyTorch
    w = rng.standard_normal((4, 2))
    frozen = nn.Embedding.from_pretrained(w)
    assert not frozen.weight.requires_grad
    np.testing.assert_array_equal(frozen(np.array([3, 1])).data, w[[3, 1]])
    assert nn.Embedding.from_pretrained(w, freeze=False).weight.requires_grad
    with pytest.raises(TypeError, match="integers"):
        e(np.array([0.5]))
    with pytest.raises(IndexError, match=r"in \[0, 1000\)"):
        e(np.array([1000]))


def test_dropout_is_seeded_scaled_and_identity_in_eval():
    x = np.ones((200, 50))
    a, b = nn.Dropout(0.3, rng=5), nn.Dropout(0.3, rng=5)
    ya, yb = a(x).data, b(x).data
    np.testing.assert_array_equal(ya, yb)  # the same seed gives the same mask
    assert set(np.unique(ya)) == {0.0, 1 / 0.7}  # PyTorch's scaling of the kept values
    assert abs((ya == 0).mean() - 0.3) < 0.02
    assert not np.array_equal(a(x).data, ya)  # the next call draws a new mask
    np.testing.assert_array_equal(a.eval()(x).data, x)
    t = Tensor(x, requires_grad=True)
    y = F.dropout(t, 0.5, rng=1)
    y.sum().backward()
    np.testing.assert_array_equal(t.grad, y.data)  # gradient is the same mask and scale
    assert np.all(F.dropout(x, 1.0).data == 0)


def test_dropout2d_drops_whole_channels():
    y = nn.Dropout2d(0.5, rng=0)(np.ones((8, 16, 3, 3))).data
    per_channel = y.reshape(8, 16, 9)
    assert np.all(per_channel.min(axis=2) == per_channel.max(axis=2))
    assert set(np.unique(y)) == {0.0, 2.0}


def test_flatten_unflatten_identity_bilinear_match_torch():
    x = rng.standard_normal((2, 3, 4, 5))
    compare_with_torch(nn.Flatten(), torch.nn.Flatten(), x)
    compare_with_torch(nn.Flatten(0, 2), torch.nn.Flatten(0, 2), x)
    compare_with_torch(nn.Unflatten(1, (2, 2)), torch.nn.Unflatten(1, (2, 2)), rng.standard_normal((3, 4, 5)))
    compare_with_torch(nn.Identity(), torch.nn.Identity(), x)
    compare_with_torch(
        nn.Bilinear(3, 4, 2),
        torch.nn.Bilinear(3, 4, 2),
        rng.standard_normal((5, 3)),
        rng.standard_normal((5, 4)),
    )
    b = nn.Bilinear(16, 2, 30, rng=0)
    assert np.abs(b.weight.data).max() <= 0.25 and np.abs(b.weight.data).max() > 0.2


@pytest.mark.parametrize(
    "ours, theirs",
    [
        (nn.Softmax(dim=1), torch.nn.Softmax(dim=1)),
        (nn.LogSoftmax(dim=-1), torch.nn.LogSoftmax(dim=-1)),
        (nn.Softmax(), torch.nn.Softmax()),  # PyTorch's implicit dim: 1 for 2-D input
        (nn.Sigmoid(), torch.nn.Sigmoid()),
        (nn.Tanh(), torch.nn.Tanh()),
        (nn.ReLU(), torch.nn.ReLU()),
    ],
)
def test_existing_activation_layers_match_torch(ours, theirs):
    compare_with_torch(ours, theirs, rng.standard_normal((3, 4)))


# every other activation layer, each calling its nn.functional op
ACTIVATIONS = [
    ("GELU", dict(), "gelu"),
    ("GELU", dict(approximate="tanh"), "gelu"),
    ("SiLU", dict(), "silu"),
    ("Mish", dict(), "mish"),
    ("ELU", dict(alpha=0.7), "elu"),
    ("CELU", dict(alpha=1.3), "celu"),
    ("SELU", dict(), "selu"),
    ("LeakyReLU", dict(negative_slope=0.2), "leaky_relu"),
    ("ReLU6", dict(), "relu6"),
    ("Hardtanh", dict(min_val=-0.5, max_val=2.0), "hardtanh"),
    ("Hardsigmoid", dict(), "hardsigmoid"),
    ("Hardswish", dict(), "hardswish"),
    ("LogSigmoid", dict(), "logsigmoid"),
    ("Softsign", dict(), "softsign"),
    ("Softplus", dict(), "softplus"),
    ("Softplus", dict(beta=2.0, threshold=3.0), "softplus"),
    ("Softmin", dict(dim=1), "softmin"),
    ("GLU", dict(dim=-1), "glu"),
    ("Tanhshrink", dict(), "tanhshrink"),
    ("Softshrink", dict(lambd=0.3), "softshrink"),
    ("Hardshrink", dict(lambd=0.3), "hardshrink"),
    ("Threshold", dict(threshold=0.1, value=-2.0), "threshold"),
    ("PReLU", dict(num_parameters=4), "prelu"),
]


@pytest.mark.parametrize("name, kw, fn", ACTIVATIONS, ids=[f"{p[0]}{p[1] or ''}" for p in ACTIVATIONS])
def test_activation_layers_match_torch(name, kw, fn):
    ours, theirs = getattr(nn, name)(**kw), getattr(torch.nn, name)(**kw)
    x = rng.standard_normal((3, 4, 2)) * 2
    x[np.abs(x) < 0.05] = 0.3  # away from kinks at 0
    # PyTorch's float64 backward kernels of these two use float32 constants (hardsigmoid's 1/6,
    # celu's 1/alpha): autobp's exact gradients differ from them by ~1e-8 relative
    rtol = 1e-6 if name in ("Hardsigmoid", "CELU") else 1e-8
    compare_with_torch(ours, theirs, x, rtol=rtol)


def test_module_to_casts_parameters_and_float_buffers_in_place():
    net = nn.Sequential(nn.Linear(2, 3, rng=0), nn.BatchNorm1d(3))
    w = net[0].weight
    net.float()
    assert net[0].weight is w and w.dtype == np.float32 and net[1].running_mean.dtype == np.float32
    assert net[1].num_batches_tracked.dtype == np.int64  # integer buffers keep their type
    y = net(np.ones((4, 2), dtype=np.float32))
    assert y.dtype == np.float32
    assert net.double()[0].weight.dtype == np.float64
    with pytest.raises(TypeError, match="floating point"):
        net.to(np.int32)


def test_dropout1d_drops_whole_channels_and_errors():
    y = nn.Dropout1d(0.5, rng=0)(np.ones((8, 16, 5))).data
    assert np.all(y.min(axis=2) == y.max(axis=2)) and set(np.unique(y)) == {0.0, 2.0}
    with pytest.raises(ValueError, match="probability p must be in"):
        nn.Dropout(1.5)
    with pytest.warns(UserWarning, match="Received a 2-D input to dropout2d"):  # PyTorch warns, runs
        F.dropout2d(np.ones((2, 3)), 0.5)


def test_deepcopy_of_a_parameter_drops_its_grad_like_torch():
    import copy

    p, tp = nn.Parameter(np.ones(2)), torch.nn.Parameter(torch.ones(2, dtype=torch.float64))
    (p * 3).sum().backward()
    (tp * 3).sum().backward()
    q, tq = copy.deepcopy(p), copy.deepcopy(tp)
    assert q.grad is None and tq.grad is None
    assert isinstance(q, nn.Parameter) and q.requires_grad and q is not p
    q.data[0] = 5.0
    assert p.data[0] == 1.0  # its own data
    layer = nn.Linear(2, 2)
    twin = copy.deepcopy(nn.Sequential(layer, layer))  # shared parameters stay shared in the copy
    assert twin[0].weight is twin[1].weight and twin[0].weight is not layer.weight


def test_buffer_assignment_registers_like_torch():
    ours, theirs = nn.Module(), torch.nn.Module()
    ours.count, theirs.count = nn.Buffer(np.zeros(2)), torch.nn.Buffer(torch.zeros(2))
    ours.tmp = nn.Buffer(np.ones(3), persistent=False)
    theirs.tmp = torch.nn.Buffer(torch.ones(3), persistent=False)
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["count"]
    assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()] == ["count", "tmp"]
    assert not list(ours.parameters()) and type(ours.count) is Tensor  # a plain Tensor once registered
    ours.count = np.array([1.0, 2.0])  # assigning to a registered buffer keeps it a buffer
    np.testing.assert_array_equal(ours.state_dict()["count"], [1.0, 2.0])
