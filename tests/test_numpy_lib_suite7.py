"""Fixes found by running numpy 2.4.6's lib/_core test files against autobp (seventh numpy pass):
each checked against numpy on the same inputs (and gradcheck where differentiable)."""

import numpy as np
import pytest

import autobp as ab

INF = np.inf


@pytest.mark.parametrize(
    "fp",
    [
        [0, -INF * 1j],
        [0, INF * 1j],
        [-INF * 1j, 10],
        [complex(INF, INF), 10],
        [0, complex(INF, INF)],
        [complex(-INF, INF), 1j],
        [complex(np.nan, 1), 2],
    ],
)
def test_interp_complex_infinite_parts_apart(fp):
    # numpy interpolates the real and imaginary parts apart: inf + inf j stays inf + inf j
    fp = np.array(fp, complex)
    x = np.array([0.5, 0.0, 1.0, 0.25])
    got = ab.interp(ab.tensor(x), ab.tensor([0.0, 1.0]), ab.tensor(fp))
    np.testing.assert_array_equal(got.numpy(), np.interp(x, [0.0, 1.0], fp))


@pytest.mark.parametrize("empty", [[], ()])
def test_delete_insert_empty_python_sequence(empty):
    # numpy reads an empty list/tuple of positions as integers: nothing deleted / inserted
    a = np.arange(12.0).reshape(3, 4)
    t = ab.tensor(a, requires_grad=True)
    d = ab.delete(t, empty, axis=1)
    np.testing.assert_array_equal(d.numpy(), np.delete(a, empty, axis=1))
    i = ab.insert(t, empty, 5.0)
    np.testing.assert_array_equal(i.numpy(), np.insert(a, empty, 5.0))
    d.sum().backward()
    np.testing.assert_array_equal(t.grad, np.ones_like(a))
    assert ab.gradcheck(lambda x: ab.insert(x, empty, []), (ab.tensor(a, requires_grad=True),))


def test_delete_empty_float_array_still_refused():
    # numpy refuses an empty *float array* of positions (only Python sequences read as integers)
    with pytest.raises(IndexError):
        np.delete(np.arange(4.0), np.array([]))
    with pytest.raises(IndexError):
        ab.delete(ab.arange(4.0), ab.tensor([]))


@pytest.mark.parametrize("kw", [{}, {"minlength": 3}, {"weights": []}, {"minlength": 2, "weights": ()}])
def test_bincount_empty_python_sequence(kw):
    got = np.asarray(ab.bincount([], **kw))
    want = np.bincount([], **kw)
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize(
    "xd, wd",
    [
        (np.uint8, np.uint8),
        (np.int8, np.int8),
        (np.bool_, np.bool_),
        (np.float32, np.uint8),
        (np.float32, np.int64),
        (np.int32, np.float32),
        (np.float16, np.int8),
        (np.complex64, np.float64),
    ],
)
def test_average_weights_dtype_and_no_wraparound(xd, wd):
    # numpy multiplies in result_type(a, w[, float64 for integer a]): uint8 products do not wrap
    rng = np.random.default_rng(0)
    a = (rng.standard_normal((3, 4)) * 100).astype(xd)
    w = (np.arange(4) + 60).astype(wd)
    for axis, weights in [(1, w), (None, np.broadcast_to(w, a.shape).copy())]:
        want, wsum = np.average(a, axis=axis, weights=weights, returned=True)
        got, gsum = ab.average(ab.tensor(a), axis=axis, weights=ab.tensor(weights), returned=True)
        assert got.dtype == want.dtype and gsum.dtype == wsum.dtype
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-3 if want.dtype.itemsize <= 4 else 1e-12)
        np.testing.assert_allclose(gsum.numpy(), wsum, rtol=1e-3)


def test_average_integer_weights_gradient():
    a = np.array([[1.0, -2.0, 3.0], [0.5, 4.0, -1.0]])
    w = ab.tensor(np.array([1, 200, 3], np.uint8))
    assert ab.gradcheck(lambda x: ab.average(x, axis=1, weights=w), (ab.tensor(a, requires_grad=True),))
    x = ab.tensor(a, requires_grad=True)
    ab.average(x, axis=1, weights=w).sum().backward()
    np.testing.assert_allclose(x.grad, np.broadcast_to(np.array([1, 200, 3]) / 204.0, a.shape))


@pytest.mark.parametrize("dt", [np.bool_, np.int8, np.uint16, np.float32, np.int64])
def test_sort_complex_dtype(dt):
    a = np.array([[1, 0, 1], [0, 0, 1]], dt)
    got = ab.sort_complex(ab.tensor(a))
    want = np.sort_complex(a)
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got.numpy(), want)


def test_gradient_of_bool_refused_as_numpy():
    a = np.array([True, False, True])
    with pytest.raises(TypeError):
        np.gradient(a)
    with pytest.raises(TypeError, match="boolean"):
        ab.gradient(ab.tensor(a))
    # integer samples still differentiate as float64, as numpy's
    i = np.array([5, 3, 1, 8], np.uint8)
    np.testing.assert_array_equal(ab.gradient(ab.tensor(i)).numpy(), np.gradient(i))
