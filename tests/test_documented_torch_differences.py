"""The PyTorch differences documented on clip, roll, cumsum / cumprod and linspace (``differs=``) hold:
torch behaves as the note says, and autobp as numpy does."""

import numpy as np
import pytest

import autobp
from autobp.ops import DECLS

torch = pytest.importorskip("torch")


def test_clip_with_no_bounds_is_a_copy_where_torch_refuses():
    assert "clamp" in DECLS["clip"].differs
    data = np.array([-2.0, 0.5, 3.0])
    with pytest.raises(RuntimeError):
        torch.tensor(data).clamp(None, None)
    np.testing.assert_array_equal(autobp.Tensor(data).clip(None, None).numpy(), np.clip(data, None, None))


@pytest.mark.parametrize("shifts,dims", [((1, 2), None), (1, (0, 1)), ((1, 2), 0)])
def test_roll_broadcasts_shifts_and_dims_where_torch_refuses(shifts, dims):
    assert "roll" in DECLS["roll"].differs
    data = np.arange(12.0).reshape(3, 4)
    with pytest.raises(RuntimeError):
        torch.tensor(data).roll(shifts, dims)
    np.testing.assert_array_equal(autobp.Tensor(data).roll(shifts, dims).numpy(), np.roll(data, shifts, dims))


@pytest.mark.parametrize("name", ["cumsum", "cumprod"])
def test_scan_of_a_0d_tensor_is_1d_as_numpy(name):
    assert "0-d" in DECLS[name].differs
    assert getattr(torch.tensor(2.5), name)(dim=0).shape == ()
    got = getattr(autobp.Tensor(np.float64(2.5)), name)(axis=0)
    np.testing.assert_array_equal(got.numpy(), getattr(np, name)(np.float64(2.5), axis=0))
    assert got.shape == (1,)


def test_linspace_int_floors_as_numpy_where_torch_truncates():
    assert "truncates" in DECLS["linspace"].differs
    want_torch = np.trunc(np.linspace(5.0, -5.0, 20)).astype(np.int32)
    np.testing.assert_array_equal(torch.linspace(5, -5, 20, dtype=torch.int32).numpy(), want_torch)
    got = autobp.linspace(5, -5, 20, dtype=np.int32)
    np.testing.assert_array_equal(got.numpy(), np.linspace(5, -5, 20, dtype=np.int32))
    assert not np.array_equal(got.numpy(), want_torch)  # the difference is real (-0.26 -> -1 vs 0)


def test_linspace_bool_as_numpy_where_torch_refuses():
    with pytest.raises(RuntimeError):
        torch.linspace(5, 10, 3, dtype=torch.bool)
    got = autobp.linspace(5, 10, 3, dtype=bool)
    np.testing.assert_array_equal(got.numpy(), np.linspace(5, 10, 3, dtype=bool))
