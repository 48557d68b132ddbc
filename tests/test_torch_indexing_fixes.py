"""Indexing, scatter and gather fixes found by running PyTorch's test_indexing.py / test_scatter_gather.py
against autobp (torchops5); torch is the oracle."""

from itertools import product

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")


def _np(t):
    return np.asarray(t.detach().numpy())


@pytest.mark.parametrize("name", ["scatter", "scatter_add", "scatter_reduce"])
@pytest.mark.parametrize("index_shape", [(0,), (0, 5), (2, 0, 1)])
def test_empty_index_writes_nothing(name, index_shape):
    x = np.arange(4.0).reshape(2, 2)
    src = np.ones((3, 3, 3))
    args = ("sum",) if name == "scatter_reduce" else ()
    want = getattr(torch, name)(
        torch.tensor(x), 0, torch.zeros(index_shape, dtype=torch.long), torch.tensor(src), *args
    )
    got = getattr(autobp, name)(
        autobp.tensor(x), 0, autobp.zeros(index_shape, dtype=autobp.int64), autobp.tensor(src), *args
    )
    np.testing.assert_array_equal(_np(got), want.numpy())


def test_empty_index_still_checks_dim_and_keeps_gradient():
    empty = np.zeros(0, dtype=np.int64)
    with pytest.raises(IndexError):
        torch.scatter(torch.zeros(2, 2), 5, torch.tensor(empty), torch.ones(3))
    with pytest.raises(IndexError):
        autobp.scatter(autobp.zeros((2, 2)), 5, autobp.tensor(empty), autobp.ones(3))
    x = autobp.tensor(np.ones((2, 2)), requires_grad=True)
    y = x * 2.0
    y.scatter_(0, autobp.tensor(empty), 7.0)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, np.full((2, 2), 2.0))


def test_gather_empty_index_of_other_ndim():
    want = torch.gather(torch.ones(2, 2), 0, torch.zeros(0, dtype=torch.long))
    got = autobp.gather(autobp.ones((2, 2)), 0, autobp.zeros(0, dtype=autobp.int64))
    assert got.shape == tuple(want.shape)


@pytest.mark.parametrize("bad", [-1, 5, -6])
@pytest.mark.parametrize("name", ["index_copy", "index_add", "index_select"])
def test_index_ops_refuse_negative_and_past_end_indices(name, bad):
    def call(lib):
        x, i = lib.zeros(3, 5) if lib is torch else lib.zeros((3, 5)), lib.tensor([bad])
        if name == "index_select":
            return lib.index_select(x, 1, i)
        return getattr(lib, name)(x, 1, i, lib.ones(3, 1) if lib is torch else lib.ones((3, 1)))

    with pytest.raises((IndexError, RuntimeError)):
        call(torch)
    with pytest.raises(IndexError, match="out of bounds for dimension 1 with size 5"):
        call(autobp)


def test_index_fill_counts_negative_indices_from_the_end_as_torch():
    want = torch.zeros(3, 5).index_fill(1, torch.tensor([-1]), 2.0)
    got = autobp.zeros((3, 5)).index_fill(1, autobp.tensor([-1]), 2.0)
    np.testing.assert_array_equal(_np(got), want.numpy())


def test_index_fill_refuses_complex_value_for_real_tensor():
    with pytest.raises(RuntimeError, match="Scalar"):
        torch.tensor([[1, 2], [4, 5]]).index_fill_(1, torch.tensor([0]), 1 + 1j)
    with pytest.raises(RuntimeError, match="Scalar"):
        autobp.tensor([[1, 2], [4, 5]]).index_fill_(1, autobp.tensor([0]), 1 + 1j)


@pytest.mark.parametrize("shapes", list(product([(), (1,)], repeat=3)))
def test_index_copy_scalar_shapes(shapes):
    st, si, ss = shapes
    want = torch.zeros(st).index_copy(0, torch.zeros(si, dtype=torch.long), torch.full(ss, 3.0))
    got = autobp.zeros(st).index_copy(0, autobp.zeros(si, dtype=autobp.int64), autobp.full(ss, 3.0))
    assert got.shape == tuple(want.shape)
    np.testing.assert_array_equal(_np(got), want.numpy())


def test_index_copy_gradient_matches_torch():
    x = np.arange(15.0).reshape(5, 3)
    src = np.arange(6.0).reshape(2, 3) + 0.5
    w = np.linspace(-1, 1, 15).reshape(5, 3)
    tx, ts = torch.tensor(x, requires_grad=True), torch.tensor(src, requires_grad=True)
    (torch.index_copy(tx, 0, torch.tensor([3, 1]), ts) * torch.tensor(w)).sum().backward()
    ax, as_ = autobp.tensor(x, requires_grad=True), autobp.tensor(src, requires_grad=True)
    (autobp.index_copy(ax, 0, autobp.tensor([3, 1]), as_) * autobp.tensor(w)).sum().backward()
    np.testing.assert_allclose(ax.grad, tx.grad.numpy())
    np.testing.assert_allclose(as_.grad, ts.grad.numpy())


@pytest.mark.parametrize("dtype", ["bool", "float64", "int32"])
def test_take_along_dim_checks_indices_as_torch(dtype):
    t = np.arange(24.0).reshape(2, 3, 1, 4)
    idx = np.argsort(t, axis=0)
    with pytest.raises(RuntimeError, match="dtype of indices should be Long"):
        torch.take_along_dim(torch.tensor(t), torch.tensor(idx.astype(dtype)), dim=0)
    with pytest.raises(RuntimeError, match="dtype of indices should be Long"):
        autobp.take_along_dim(autobp.tensor(t), autobp.tensor(idx.astype(dtype)), dim=0)


def test_take_along_dim_ndim_mismatch_and_values():
    t = np.random.RandomState(0).randn(2, 3, 4)
    idx = np.argsort(t, axis=1)
    with pytest.raises(RuntimeError, match="same number of dimensions"):
        autobp.take_along_dim(autobp.tensor(t), autobp.tensor(idx[0]), dim=1)
    want = torch.take_along_dim(torch.tensor(t), torch.tensor(idx), dim=1)
    np.testing.assert_array_equal(
        _np(autobp.take_along_dim(autobp.tensor(t), autobp.tensor(idx), dim=1)), want.numpy()
    )
    flat = np.argsort(t.reshape(-1))
    want = torch.take_along_dim(torch.tensor(t), torch.tensor(flat))
    np.testing.assert_array_equal(
        _np(autobp.take_along_dim(autobp.tensor(t), autobp.tensor(flat))), want.numpy()
    )


@pytest.mark.parametrize("dtype", ["bool", "uint8", "int64"])
@pytest.mark.parametrize("reduce", ["amax", "amin"])
@pytest.mark.parametrize("include_self", [True, False])
def test_scatter_reduce_amax_amin_of_bool_and_unsigned(dtype, reduce, include_self):
    x = np.array([[1, 0, 1], [0, 1, 0]]).astype(dtype)
    src = np.array([[0, 0, 1], [1, 1, 0]]).astype(dtype)
    idx = np.array([[0, 0, 1], [1, 0, 1]])
    want = torch.scatter_reduce(
        torch.tensor(x), 0, torch.tensor(idx), torch.tensor(src), reduce, include_self=include_self
    )
    got = autobp.scatter_reduce(
        autobp.tensor(x), 0, autobp.tensor(idx), autobp.tensor(src), reduce, include_self=include_self
    )
    assert got.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(_np(got), want.numpy())


@pytest.mark.parametrize(
    "index, match",
    [
        ((0, 5), "index 5 is out of bounds for dimension 1 with size 5"),
        ((4, 5), "index 4 is out of bounds for dimension 0 with size 2"),
        ((slice(None), slice(None), 12), "index 12 is out of bounds for dimension 2 with size 10"),
    ],
)
def test_out_of_bounds_index_message_has_torch_words(index, match):
    with pytest.raises(IndexError, match=match):
        torch.arange(0, 100).view(2, 5, 10)[index]
    with pytest.raises(IndexError, match=match):
        autobp.arange(0, 100).view(2, 5, 10)[index]


def test_index_errors_in_torch_words():
    for lib in (torch, autobp):
        with pytest.raises(IndexError, match="invalid index"):
            lib.tensor(10)[0]
        with pytest.raises(IndexError, match="mask"):
            lib.ones((5, 4, 3))[lib.tensor([True])]


@pytest.mark.parametrize("value", [[], [1, 2, 3]])
def test_boolean_assignment_value_mismatch(value):
    for lib in (torch, autobp):
        a = lib.arange(0, 4)
        with pytest.raises(RuntimeError, match="shape mismatch"):
            a[a > -1] = lib.tensor(value)


def test_setitem_and_index_put_broadcast_errors_are_runtime_errors():
    for lib in (torch, autobp):
        a = lib.ones((2, 3))
        with pytest.raises(RuntimeError):
            a[True] = lib.ones((5, 1, 2, 3))
        with pytest.raises(RuntimeError):
            lib.ones(()).index_put([], lib.tensor([1.0]), True)
    with pytest.raises(ValueError):  # still numpy's ValueError too
        autobp.ones((2, 3))[True] = autobp.ones((5, 1, 2, 3))


def test_index_into_a_dimension_of_size_0_message():
    for lib in (torch, autobp):
        with pytest.raises(IndexError, match="for dimension with size 0"):
            lib.empty((10, 0))[:, [0, 1]]
