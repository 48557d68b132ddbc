"""``Tensor.storage()`` / ``untyped_storage()`` tell whether two tensors share memory as PyTorch's do
(the same ``data_ptr()`` for a tensor and its views, another for a copy), and ``Tensor.device`` is
the string "cpu" (numpy's) that also has PyTorch's ``type`` and ``index``. torch is the oracle."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

import autobp as ab

torch = pytest.importorskip("torch")

MAKERS = {
    "slice": lambda t: t[1:, ::2],
    "T": lambda t: t.T,
    "view": lambda t: t.view(16),
    "diagonal": lambda t: t.diagonal(),
    "unsqueeze": lambda t: t.unsqueeze(0),
    "detach": lambda t: t.detach(),
    "reshape of T (a copy)": lambda t: t.T.reshape(16),
    "clone": lambda t: t.clone(),
    "contiguous of T (a copy)": lambda t: t.T.contiguous(),
}


@pytest.mark.parametrize("name", list(MAKERS))
def test_storage_is_shared_exactly_where_torch_shares_it(name):
    x, tx = ab.ones((4, 4)), torch.ones(4, 4, dtype=torch.float64)
    v, tv = MAKERS[name](x), MAKERS[name](tx)
    same = v.storage().data_ptr() == x.storage().data_ptr()
    assert same == (tv.untyped_storage().data_ptr() == tx.untyped_storage().data_ptr())
    assert (v.untyped_storage().data_ptr() == x.untyped_storage().data_ptr()) == same
    assert len(v.untyped_storage()) == len(tv.untyped_storage())
    assert v.untyped_storage().nbytes() == tv.untyped_storage().nbytes()


def test_device_is_cpu_with_torch_attributes():
    x, tx = ab.ones(3), torch.ones(3)
    assert x.device == "cpu" and str(x.device) == "cpu"
    assert x.device.type == tx.device.type and x.device.index == tx.device.index
    assert pickle.loads(pickle.dumps(x.device)) == "cpu"


@pytest.mark.parametrize("size, step", [(3, 2), (2, 2), (1, 3)])
def test_unfold_is_a_view_as_torch(size, step):
    x, tx = ab.ones(10), torch.ones(10, dtype=torch.float64)
    v, tv = x.unfold(0, size, step), tx.unfold(0, size, step)
    assert v._base is x and tv._base is tx
    assert v.storage().data_ptr() == x.storage().data_ptr()
    v[1, 0] = 0.0
    tv[1, 0] = 0.0
    np.testing.assert_array_equal(x.numpy(), tx.numpy())
    x[5] = 7.0  # and the view sees a write into its base
    tx[5] = 7.0
    np.testing.assert_array_equal(v.numpy(), tv.numpy())


def test_empty_views_are_views_as_torch():
    for lib in (ab, torch):
        x = lib.tensor([], dtype=lib.complex64)
        assert lib.view_as_real(x)._base is x
        y = lib.tensor([])
        assert y.reshape(0, 2)._base is y and y.reshape(0, 2)._is_view()


@pytest.mark.parametrize("call", ["flatten", "swapaxes", "tensor_split"])
def test_an_axis_out_of_range_says_dimension_out_of_range(call):
    calls = {
        "flatten": lambda lib: lib.ones((5, 5)).flatten(5, 10),
        "swapaxes": lambda lib: lib.swapaxes(lib.ones((2, 3)), 5, 0),
        "tensor_split": lambda lib: lib.tensor_split(lib.ones(10), 10, 1),
    }
    with pytest.raises(IndexError, match="Dimension out of range"):
        calls[call](torch)
    with pytest.raises(IndexError, match="Dimension out of range") as got:
        calls[call](ab)
    assert isinstance(got.value, ValueError)  # numpy's AxisError is both


def test_flatten_with_start_after_end_refuses_as_torch():
    with pytest.raises(RuntimeError, match="start_dim cannot come after end_dim"):
        torch.ones(2, 3, 4).flatten(2, 0)
    with pytest.raises(RuntimeError, match="start_dim cannot come after end_dim") as got:
        ab.ones((2, 3, 4)).flatten(2, 0)
    assert isinstance(got.value, ValueError)


ERRORS = {
    "view -1 with a 0 size": lambda lib: lib.empty(0).view(-1, 0),
    "chunk(0)": lambda lib: lib.ones((4, 7)).chunk(0),
    "chunk(-2)": lambda lib: lib.ones((4, 7)).chunk(-2),
}


@pytest.mark.parametrize("name", list(ERRORS))
def test_refusals_say_what_torch_says(name):
    with pytest.raises(RuntimeError) as want:
        ERRORS[name](torch)
    with pytest.raises(RuntimeError) as got:
        ERRORS[name](ab)
    assert isinstance(got.value, ValueError)  # numpy's error type too
    words = (
        "because the unspecified dimension"
        if "view" in name
        else "chunk expects `chunks` to be greater than 0"
    )
    assert words in str(want.value) and words in str(got.value)
