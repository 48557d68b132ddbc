"""PyTorch's spellings are accepted where they do not clash with numpy's names, and give PyTorch's
numbers; numpy's meaning wins where a name clashes (see the docs' list of names that differ)."""

import numpy as np
import pytest

import autobp
from autobp import Tensor

torch = pytest.importorskip("torch")

X = np.arange(24.0).reshape(2, 3, 4) / 7


def both(fn_ours, fn_torch):
    ours = fn_ours(Tensor(X))
    theirs = fn_torch(torch.tensor(X))
    np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-12)
    assert ours.shape == tuple(theirs.shape)


@pytest.mark.parametrize("op", ["sum", "mean", "logsumexp"])
@pytest.mark.parametrize("dim", [0, -1, (0, 2)])
@pytest.mark.parametrize("keepdim", [False, True])
def test_dim_and_keepdim_on_reductions(op, dim, keepdim):
    both(
        lambda t: getattr(t, op)(dim=dim, keepdim=keepdim), lambda t: getattr(t, op)(dim=dim, keepdim=keepdim)
    )


def test_dim_on_max_gives_values_like_amax():
    both(lambda t: t.max(dim=1, keepdim=True), lambda t: t.amax(dim=1, keepdim=True))
    both(lambda t: autobp.min(t, dim=-1), lambda t: t.amin(dim=-1))


def test_axis_and_dim_together_are_refused():
    with pytest.raises(TypeError, match="axis= or dim="):
        Tensor(X).sum(axis=0, dim=1)


@pytest.mark.parametrize(
    "ours, theirs",
    [
        (lambda t: t.permute(2, 0, 1), lambda t: t.permute(2, 0, 1)),
        (lambda t: t.unsqueeze(1), lambda t: t.unsqueeze(1)),
        (lambda t: t.swapdims(0, 2), lambda t: t.swapdims(0, 2)),
        (lambda t: t.flatten(1, 2), lambda t: t.flatten(1, 2)),
        (lambda t: t.view(6, 4), lambda t: t.view(6, 4)),
        (lambda t: t.clamp(0.5, 2.0), lambda t: t.clamp(0.5, 2.0)),
        (lambda t: t.clamp(min=1.0), lambda t: t.clamp(min=1.0)),
        (lambda t: autobp.cat([t, t], dim=1), lambda t: torch.cat([t, t], dim=1)),
        (lambda t: autobp.stack([t, t], dim=-1), lambda t: torch.stack([t, t], dim=-1)),
        (lambda t: t.softmax(dim=1), lambda t: t.softmax(dim=1)),
        (lambda t: t.float(), lambda t: t.float()),
        (lambda t: t.double(), lambda t: t.double()),
    ],
)
def test_pytorch_spellings_give_pytorch_numbers(ours, theirs):
    both(ours, theirs)


def test_size_is_numpy_s_count_and_pytorch_s_call():
    t = Tensor(X)
    assert t.size == 24 and t.size() == (2, 3, 4) and t.size(1) == 3 and t.size(-1) == 4
    assert t.numel() == 24 and t.dim() == 3
    with pytest.raises(IndexError):
        t.size(3)


def test_float_is_float32_and_keeps_the_graph():
    x = Tensor(X, requires_grad=True)
    y = x.float()
    assert y.dtype == np.float32 and y.requires_grad
    y.sum().backward()
    assert x.grad.dtype == np.float64 and np.all(x.grad == 1)


@pytest.mark.parametrize("axis", [3, -4])
def test_axis_out_of_range_is_both_value_and_index_error(axis):
    for fn in (
        lambda: Tensor(X).sum(axis=axis),
        lambda: Tensor(X).softmax(axis),
        lambda: Tensor(X).size(axis),
    ):
        with pytest.raises(ValueError):
            fn()
        with pytest.raises(IndexError):
            fn()
        with pytest.raises(np.exceptions.AxisError):
            fn()


def test_where_with_one_argument_and_constant_branches_is_numpy_s():
    c = Tensor(np.array([[True, False], [False, True]]), dtype=bool)
    rows, cols = autobp.where(c)
    np.testing.assert_array_equal(rows.data, [0, 1])
    np.testing.assert_array_equal(cols.data, [0, 1])
    out = autobp.where(c, 1, 0)
    assert out.dtype == np.where(c.data, 1, 0).dtype  # an integer, as numpy gives
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    y = autobp.where(np.array([True, False]), x, 0.0)
    assert y.dtype == np.float64 and y.requires_grad


def test_shift_operators_and_bitwise_shift_names_match_torch():
    torch = pytest.importorskip("torch")
    a = np.array([[0, 1, 2], [1 << 8, 1 << 16, -(1 << 20)]], dtype=np.int32)
    x, t = autobp.Tensor(a, dtype=np.int32), torch.tensor(a)
    pairs = [
        (x << 2, t << 2),
        (x >> 3, t >> 3),
        (x << 31, t << 31),  # wraps in int32, as PyTorch's
        (5 << x[:1], 5 << t[:1]),
        (x.bitwise_left_shift(1), t.bitwise_left_shift(1)),
        (autobp.bitwise_right_shift(x, x[:1]), torch.bitwise_right_shift(t, t[:1])),
    ]
    for ours, theirs in pairs:
        assert ours.dtype == np.int32
        np.testing.assert_array_equal(ours.data, theirs.numpy())
    with pytest.raises(TypeError, match="integer"):
        autobp.Tensor([1.0]) << 1


@pytest.mark.parametrize("name", ["sum", "mean"])
def test_sum_and_mean_take_dtype_as_numpy_and_torch(name):
    a = np.random.default_rng(4).standard_normal((3, 4)).astype(np.float32)
    x, t = autobp.Tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    ours, theirs = getattr(x, name)(axis=1, dtype=np.float64), getattr(t, name)(dim=1, dtype=torch.float64)
    assert ours.dtype == np.float64 == getattr(np, name)(a, axis=1, dtype=np.float64).dtype
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-12)
    w = np.arange(3.0)
    (ours * w).sum().backward()
    (theirs * torch.tensor(w)).sum().backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_allclose(x.grad, t.grad.numpy(), rtol=1e-6)
    ints = autobp.Tensor(np.arange(6, dtype=np.int32).reshape(2, 3), dtype=np.int32)
    via_numpy = getattr(np, name)(ints, axis=0, dtype=np.float32)  # numpy's own function dispatches here
    assert via_numpy.dtype == np.float32
    np.testing.assert_array_equal(via_numpy.data, getattr(np, name)(ints.data, axis=0, dtype=np.float32))
