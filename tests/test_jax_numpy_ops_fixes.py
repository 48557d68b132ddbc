"""Fixes found by running JAX's lax_numpy operators/reducers/indexing/einsum tests against autobp:
numpy is the oracle for values, dtypes and shapes; gradients are checked by autobp.gradcheck."""

import numpy as np
import pytest

import autobp

RNG = np.random.default_rng(0)
X = RNG.standard_normal((3, 4))
W = RNG.random((3, 4)) < 0.5
ROW = np.array([True, False, True, True])


def _same(got, expected):
    got = np.asarray(got.detach().numpy() if isinstance(got, autobp.Tensor) else got)
    assert got.dtype == np.asarray(expected).dtype
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


# --- numpy's initial= and where= of the reductions ---------------------------------------------
@pytest.mark.parametrize("name", ["sum", "prod"])
@pytest.mark.parametrize("axis", [None, 0, 1, (0, 1)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_sum_prod_initial_where(name, axis, keepdims):
    f, g = getattr(autobp, name), getattr(np, name)
    for kw in ({"initial": 2}, {"where": W}, {"where": ROW, "initial": -1.5}):
        _same(f(autobp.asarray(X), axis, keepdims=keepdims, **kw), g(X, axis, keepdims=keepdims, **kw))


@pytest.mark.parametrize("name", ["max", "min", "amax", "amin"])
@pytest.mark.parametrize("axis", [None, 0, 1])
def test_max_min_initial_where(name, axis):
    f, g = getattr(autobp, name), getattr(np, name)
    for kw in ({"initial": 0.3}, {"where": W, "initial": 0.1}, {"where": ROW, "initial": -5.0}):
        _same(f(autobp.asarray(X), axis, **kw), g(X, axis, **kw))
    _same(f(autobp.asarray(np.zeros((0, 3))), 0, initial=4.0), g(np.zeros((0, 3)), 0, initial=4.0))


def test_max_where_without_initial_refused_as_numpy():
    with pytest.raises(ValueError):
        np.max(X, where=W)
    with pytest.raises(ValueError, match="initial"):
        autobp.max(autobp.asarray(X), where=W)


def test_initial_must_be_scalar():
    with pytest.raises(ValueError, match="scalar"):
        autobp.sum(autobp.ones((2, 3)), axis=-1, initial=np.zeros((1, 2)))


@pytest.mark.parametrize("name", ["any", "all"])
def test_any_all_where(name):
    b = X > 0
    for axis in (None, 0, 1):
        _same(getattr(autobp, name)(autobp.asarray(b), axis, where=W), getattr(np, name)(b, axis, where=W))


def test_integer_and_bool_initial_keep_numpy_dtypes():
    i8 = (X * 10).astype(np.int8)
    _same(autobp.sum(autobp.asarray(i8), 0, initial=1, where=W), np.sum(i8, 0, initial=1, where=W))
    _same(autobp.max(autobp.asarray(i8), 1, initial=-3), np.max(i8, 1, initial=-3))
    _same(autobp.sum(autobp.asarray(W), 1, initial=1), np.sum(W, 1, initial=1))


def test_gradients_with_initial_and_where():
    x = autobp.tensor(X, requires_grad=True)
    assert autobp.gradcheck(lambda t: autobp.sum(t * t, 1, initial=1.0, where=W), (x,))
    assert autobp.gradgradcheck(lambda t: autobp.prod(t, 0, initial=2.0, where=ROW), (x,))
    assert autobp.gradcheck(lambda t: autobp.max(t, 1, initial=-0.2, where=W), (x,))
    assert autobp.gradcheck(lambda t: autobp.amin(t, 0, initial=0.4), (x,))
    # the gradient goes to the selected extreme; none where initial alone is the extreme
    y = autobp.tensor(np.array([[1.0, 5.0, 2.0], [0.0, -1.0, -2.0]]), requires_grad=True)
    autobp.max(y, 1, initial=0.5, where=np.array([True, False, True])).sum().backward()
    np.testing.assert_array_equal(np.asarray(y.grad), [[0, 0, 1], [0, 0, 0]])


# --- an explicit dtype= is kept (numpy widens small integers only when dtype is not given) -----
@pytest.mark.parametrize("name", ["sum", "prod", "nansum", "nanprod", "cumsum", "cumprod"])
@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.uint8, np.float16])
def test_explicit_dtype_kept(name, dtype):
    x = (np.abs(X) * 3).astype(np.float32)
    _same(getattr(autobp, name)(autobp.asarray(x), 1, dtype=dtype), getattr(np, name)(x, 1, dtype=dtype))


@pytest.mark.parametrize("name", ["cumulative_sum", "cumulative_prod"])
def test_cumulative_dtype_kept(name):
    x = np.arange(1, 7, dtype=np.uint16)
    _same(getattr(autobp, name)(autobp.asarray(x), dtype=np.uint8), getattr(np, name)(x, dtype=np.uint8))


def test_mean_integer_dtype_truncates_as_numpy():
    x = np.array([[0.5, 2.7, 3.9], [1.0, -2.5, 4.0]])
    for axis in (None, 0, 1):
        _same(autobp.mean(autobp.asarray(x), axis, dtype=np.int32), np.mean(x, axis, dtype=np.int32))


def test_average_returned_weight_sum_dtype():
    x = np.arange(24, dtype=np.uint32).reshape(2, 3, 4)
    w = np.arange(1, 5, dtype=np.uint32)
    got = autobp.average(autobp.asarray(x), 2, w, returned=True)
    expected = np.average(x, 2, w, returned=True)
    for g, e in zip(got, expected):
        _same(g, e)


@pytest.mark.parametrize("name", ["nansum", "nanprod", "nancumsum", "nancumprod"])
@pytest.mark.parametrize("dtype", [np.int64, np.int16, np.float64, None])
def test_nan_reductions_fill_nan_before_an_integer_dtype(name, dtype):
    # numpy replaces NaN (by 0 or 1) first, then reduces in dtype; a NaN cast to int64 first was
    # -2**63 and poisoned the sums
    x = np.array([[np.nan, 1.7, 2.2], [3.1, np.nan, -1.5]], dtype=np.float32)
    for axis in (0, 1):
        _same(
            getattr(autobp, name)(autobp.asarray(x), axis, dtype=dtype),
            getattr(np, name)(x, axis, dtype=dtype),
        )
