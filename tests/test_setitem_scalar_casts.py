"""A Python number written into a Tensor by ``t[i] = v`` follows numpy's scalar rules (numpy is the oracle,
PyTorch refuses the same ones): a complex number into a real tensor, NaN or infinity into an integer
one, an integer out of range are refused instead of silently cast; the casts numpy makes still happen."""

import warnings

import numpy as np
import pytest

import autobp as ab

CASES = [
    (np.arange(5.0), 1 + 2j),
    (np.arange(5), np.nan),
    (np.arange(5), np.inf),
    (np.arange(5), -np.inf),
    (np.arange(5, dtype=np.uint8), -1),
    (np.arange(5, dtype=np.int8), 300),
    (np.arange(5.0, dtype=np.float32), 3j),
]


@pytest.mark.parametrize(
    "index", [slice(1, 3), 2, [0, 4], np.array([True, False, True, False, False])], ids=repr
)
@pytest.mark.parametrize("arr,value", CASES, ids=repr)
def test_refused_as_numpy(arr, value, index):
    with pytest.raises((TypeError, ValueError, OverflowError)) as want:
        arr.copy()[index] = value
    t = ab.tensor(arr.copy())
    with pytest.raises(type(want.value)):
        t[index] = value
    np.testing.assert_array_equal(t.numpy(), arr)  # nothing written


@pytest.mark.parametrize(
    "arr,value",
    [
        (np.arange(5), 2.7),
        (np.arange(5, dtype=np.int8), -3.9),
        (np.zeros(5, bool), 2.5),
        (np.arange(5.0, dtype=np.float32), 1e40),
        (np.arange(5.0), np.complex128(1 + 2j)),  # a numpy complex scalar: numpy drops the imaginary part
        (np.arange(5.0), 7),
    ],
    ids=repr,
)
def test_casts_kept_as_numpy(arr, value):
    want = arr.copy()
    t = ab.tensor(arr.copy())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want[1:3] = value
        t[1:3] = value
    np.testing.assert_array_equal(t.numpy(), want)
    assert t.dtype == want.dtype


def test_refused_while_recording():
    x = ab.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 2
    with pytest.raises(TypeError):
        y[0] = 1j
    y[0] = 5.0
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 2.0, 2.0])


@pytest.mark.parametrize("value", [np.nan, np.inf])
def test_fill_refuses_nan_into_integers(value):
    with pytest.raises((ValueError, OverflowError)) as want:
        np.arange(3).fill(value)
    t = ab.arange(3)
    with pytest.raises(type(want.value)):
        t.fill_(value)
    np.testing.assert_array_equal(t.numpy(), np.arange(3))
    t.fill_(2.5)  # a finite float is cast, as numpy's fill
    a = np.arange(3)
    a.fill(2.5)
    np.testing.assert_array_equal(t.numpy(), a)
