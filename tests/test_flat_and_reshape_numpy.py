"""numpy's flat-iterator indexing on ``t.flat`` (numpy is the oracle: values, errors, repeated
assignment values), its gradients (gradcheck), and reshape's TypeError for sizes that are no integers."""

import warnings

import numpy as np
import pytest

import autobp as ab

READS = [0, -1, slice(None), slice(5, 10), slice(None, None, -2), slice(10, 5), (), Ellipsis]
READS += [np.array([1, 3, 5]), [-1, -2], np.array([[1, 2], [3, 4]]), [True, 1], np.arange(9) % 2 == 0]
READS += [np.array([1, 3, 5], np.int16)]


@pytest.mark.parametrize("index", READS, ids=repr)
def test_flat_read_matches_numpy(index):
    a = np.arange(9.0).reshape(3, 3)
    want = a.flat[index]
    got = ab.tensor(a).flat[index]
    np.testing.assert_array_equal(got.numpy(), want)
    assert got.shape == np.shape(want)


@pytest.mark.parametrize(
    "index,value",
    [
        (slice(None), 10.0),
        (slice(5, 10), 30.0),
        (slice(None, None, 2), [1.0, 2.0]),  # numpy repeats the values over the positions
        (slice(None, None, -1), [1.0, 2.0, 3.0, 4.0]),
        (np.array([[1, 2], [3, 4]]), 7.0),
        ([True, 1], 40.0),
        (np.arange(9) % 2 == 0, [5.0, 6.0]),
        (Ellipsis, 80.0),
        (-1, 3.0),
    ],
    ids=repr,
)
def test_flat_write_matches_numpy(index, value):
    a = np.arange(9.0).reshape(3, 3)
    t = ab.tensor(a)
    a.flat[index] = value
    t.flat[index] = value
    np.testing.assert_array_equal(t.numpy(), a)


@pytest.mark.parametrize(
    "index,write", [(None, False), (None, True), ((1, 2), False), ([True, True], False), ([True, True], True)]
)
def test_flat_errors_match_numpy(index, write):
    a = np.arange(9.0).reshape(3, 3)
    t = ab.tensor(a)

    def use(x):
        if write:
            x.flat[index] = 1.0
        else:
            return x.flat[index]

    with pytest.raises(IndexError) as want:
        use(a)
    with pytest.raises(IndexError) as got:
        use(t)
    assert str(want.value) == str(got.value)


def test_flat_zero_d_index_not_assignable_and_bool_warning():
    t = ab.arange(9).reshape(3, 3)
    with pytest.raises(IndexError, match="Assigning to a flat iterator with a 0-D index"):
        t.flat[()] = 70
    with pytest.warns(DeprecationWarning, match="0-dimensional boolean index"):
        r = t.flat[True]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        np.testing.assert_array_equal(r.numpy(), np.arange(9).reshape(3, 3).flat[True])


def test_flat_gradients():
    x0 = np.random.default_rng(0).standard_normal((3, 4))
    v0 = np.random.default_rng(1).standard_normal(2)
    x = ab.tensor(x0, requires_grad=True)
    v = ab.tensor(v0, requires_grad=True)

    def write(x, v):
        y = x * 1.0
        y.flat[1::3] = v  # four positions, the two values repeated
        return y * y

    assert ab.gradcheck(write, (x, v))
    assert ab.gradcheck(lambda x: x.flat[np.array([[0, 5], [5, 11]])] ** 2, (x,))


@pytest.mark.parametrize(
    "shape", [(1.0, 1.0, -1), (True, -1), (np.array(1.0), -1), (np.bool_(True), -1)], ids=repr
)
def test_reshape_non_integer_sizes_type_error(shape):
    a = np.array([[5]])
    with pytest.raises(TypeError):
        np.reshape(a, shape)
    with pytest.raises(TypeError):
        ab.reshape(ab.tensor(a), shape)
    with pytest.raises(TypeError):
        ab.tensor(a).reshape(shape)
