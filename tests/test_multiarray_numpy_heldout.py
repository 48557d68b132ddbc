"""Fixes found by running numpy 2.4's own test_multiarray.py against autobp (numpy is the oracle)."""

import numpy as np
import pytest

import autobp as ab


@pytest.mark.parametrize(
    "shape,kth,axis", [((3, 2, 1, 0), 0, -1), ((3, 0), 5, -1), ((0, 4), -9, 0), ((0,), [0, 3], 0)]
)
def test_partition_of_an_empty_axis_accepts_any_kth(shape, kth, axis):
    a = np.zeros(shape)
    got = ab.partition(ab.tensor(a), kth, axis=axis)
    want = np.partition(a, kth, axis=axis)
    assert got.shape == want.shape and got.dtype == want.dtype
    gi = ab.argpartition(ab.tensor(a), kth, axis=axis)
    wi = np.argpartition(a, kth, axis=axis)
    assert gi.shape == wi.shape and gi.dtype == wi.dtype


def test_partition_still_refuses_kth_out_of_a_nonempty_axis():
    with pytest.raises(ValueError):
        np.partition(np.zeros(3), 3)
    with pytest.raises(ValueError):
        ab.partition(ab.zeros(3), 3)
    with pytest.raises(ValueError):
        ab.argpartition(ab.zeros((2, 3)), -4)


@pytest.mark.parametrize("value", [1 + 2j, -0.5j, 3.0, 7])
def test_complex_of_a_one_element_tensor(value):
    want = complex(np.array(value))
    assert complex(ab.tensor(value)) == want
    assert type(complex(ab.tensor(value))) is complex


def test_complex_of_a_one_element_complex_tensor_matches_torch():
    torch = pytest.importorskip("torch")
    assert complex(ab.tensor([1.5 - 2j])) == complex(torch.tensor([1.5 - 2j]))


def test_complex_of_many_elements_is_refused():
    with pytest.raises((TypeError, ValueError)):
        complex(ab.tensor([1 + 2j, 3j]))


@pytest.mark.parametrize("kind", [1, None])
def test_partition_kind_of_the_wrong_type_is_a_type_error(kind):
    with pytest.raises(TypeError):
        np.partition(np.arange(3), 1, kind=kind)
    with pytest.raises(TypeError):
        ab.partition(ab.arange(3), 1, kind=kind)
    with pytest.raises(TypeError):
        ab.argpartition(ab.arange(3), 1, kind=kind)


def test_putmask_array_is_positional_only_mask_and_values_by_keyword():
    want = np.array([0, 0])
    np.putmask(want, values=[-1, -2], mask=[0, 1])
    got = ab.tensor([0, 0])
    ab.putmask(got, values=[-1, -2], mask=[0, 1])
    np.testing.assert_array_equal(got.numpy(), want)
    with pytest.raises(TypeError):
        np.putmask(a=want, values=[-1, -2], mask=[0, 1])
    with pytest.raises(TypeError):
        ab.putmask(a=got, values=[-1, -2], mask=[0, 1])


@pytest.mark.parametrize("name", ["argmax", "argmin"])
@pytest.mark.parametrize("axis,keepdims", [(None, False), (None, True), (1, False), (-1, True), (0, True)])
def test_argmax_argmin_out_as_numpy(name, axis, keepdims):
    rng = np.random.default_rng(0)
    a = rng.normal(size=(3, 4, 5))
    want = getattr(np, name)(a, axis=axis, keepdims=keepdims)
    out = np.empty(np.shape(want), dtype=np.int64)
    res = getattr(ab, name)(ab.tensor(a), axis=axis, out=out, keepdims=keepdims)
    assert res is out
    np.testing.assert_array_equal(out, want)
    tout = ab.zeros(np.shape(want), dtype="int64")
    assert getattr(ab, name)(ab.tensor(a), axis=axis, out=tout, keepdims=keepdims) is tout
    np.testing.assert_array_equal(tout.numpy(), want)


@pytest.mark.parametrize("name", ["argmax", "argmin"])
def test_argmax_argmin_out_by_position_and_bad_out(name):
    a = np.arange(12.0).reshape(3, 4)[:, ::-1]
    out = np.empty(3, dtype=np.int64)
    assert getattr(ab, name)(ab.tensor(a), 1, out) is out
    np.testing.assert_array_equal(out, getattr(np, name)(a, 1))
    np.testing.assert_array_equal(
        getattr(ab, name)(ab.tensor(a), 1, True).numpy(), getattr(np, name)(a, 1, keepdims=True)
    )
    for bad, err in [(np.empty((1, 3), dtype=np.int64), ValueError), (np.empty(3), TypeError)]:
        with pytest.raises(err):
            getattr(np, name)(a, axis=1, out=bad)
        with pytest.raises(err):
            getattr(ab, name)(ab.tensor(a), axis=1, out=bad)
