"""Tensor.numpy(force=) and from_numpy's checks, as PyTorch's (test_numpy_interop.py)."""

import re
import warnings

import numpy as np
import pytest

import autobp as ab

torch = pytest.importorskip("torch")


def test_numpy_force_keyword():
    data = [[1 + 2j, -2 + 3j], [-1 - 2j, 3 - 2j]]
    for force in (False, True):
        ours = ab.tensor(data).numpy(force=force)
        theirs = torch.tensor(data).numpy(force=force)
        np.testing.assert_array_equal(ours, theirs)
    t = ab.tensor([1.0, 2.0], requires_grad=True)
    np.testing.assert_array_equal(
        t.numpy(force=True), torch.tensor([1.0, 2.0], requires_grad=True).numpy(force=True)
    )
    a = ab.tensor([1.0, 2.0])
    a.numpy(force=True)[0] = 5.0  # shares memory, as PyTorch's
    assert a[0].item() == 5.0


def test_from_numpy_read_only_array_warns():
    arr = np.zeros(5)
    arr.flags["WRITEABLE"] = False
    for lib in (ab, torch):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            lib.from_numpy(arr)
        assert any(issubclass(x.category, UserWarning) for x in w), lib.__name__
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        ab.from_numpy(np.zeros(5))
    assert not w


def test_from_numpy_misaligned_strides_refused():
    x = np.array([3.0, 5.0, 8.0])
    bad = np.lib.stride_tricks.as_strided(x, (2,), (3,))
    for lib in (ab, torch):
        with pytest.raises(ValueError):
            lib.from_numpy(bad)
    holes = np.linspace(1, 125, 125).reshape(5, 5, 5)[:, 1]
    np.testing.assert_array_equal(ab.from_numpy(holes).numpy(), torch.from_numpy(holes).numpy())
    assert np.shares_memory(ab.from_numpy(holes).numpy(), holes)


@pytest.mark.parametrize(
    "make",
    [
        lambda: [np.zeros((3, 3)), np.zeros((3, 0))],
        lambda: [[np.zeros((3, 3)), np.zeros((3, 2))]],
        lambda: [[np.zeros((3, 3)), np.zeros((3, 3))], [np.zeros((3, 3)), np.zeros((3, 2))]],
        lambda: [[1, 2, 3], np.zeros(2)],
        lambda: [[1.0, 2.0], [3.0]],
    ],
)
def test_ragged_data_raises_valueerror_naming_the_dim_as_torch(make):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ValueError) as ref:
            torch.tensor(make())
    with pytest.raises(ValueError, match=re.escape(str(ref.value))):
        ab.tensor(make())
    with pytest.raises(TypeError):  # autobp's own kind for data it cannot take, as before
        ab.tensor(make())


def test_element_that_is_not_a_sequence():
    data = [[np.zeros(3), 0.5]]
    with pytest.raises(TypeError, match="not a sequence"):
        torch.tensor(data)
    with pytest.raises(TypeError, match="not a sequence"):
        ab.tensor(data)
