"""numpy's behaviour where autobp differed in numpy's own test files: average's weights along several
axes, cross of numpy 2's deprecated 2-d vectors, convolve/correlate integer modes, and numpy's error
types (bincount, cov weights, take_along_axis); values against numpy, gradients by gradcheck."""

import warnings

import numpy as np
import pytest

import autobp as ab

T = ab.Tensor
rng = np.random.default_rng(11)
Y = np.arange(12.0).reshape(2, 2, 3)
W = rng.random((2, 2, 3)) + 0.1


@pytest.mark.parametrize(
    "axis, weights",
    [
        ((0, 1), W[:, :, 0]),
        ((1, 2), W[1]),
        ((0, 2), W[:, 0, :]),
        ((1, 0), W[:, :, 0]),
        (2, W[0, 0]),
        (None, W),
    ],
)
@pytest.mark.parametrize("keepdims", [False, True])
def test_average_weights_along_axes(axis, weights, keepdims):
    e = np.average(Y, axis=axis, weights=weights, keepdims=keepdims, returned=True)
    g = ab.average(T(Y), axis=axis, weights=weights, keepdims=keepdims, returned=True)
    for a, b in zip(g, e):
        assert a.shape == np.shape(b)
        np.testing.assert_allclose(np.asarray(a), b)


def test_average_weights_errors_and_gradient():
    with pytest.raises(ValueError, match="Shape of weights must be consistent"):
        ab.average(T(Y), axis=(0, 1, 2), weights=W[:, :, 0])
    with pytest.raises(TypeError, match="Axis must be specified"):
        ab.average(T(Y), weights=W[0])
    x, w = T(Y, requires_grad=True), T(W[:, :, 0], requires_grad=True)
    assert ab.gradcheck(lambda a, b: ab.average(a, axis=(1, 0), weights=b), (x, w))


@pytest.mark.parametrize(
    "sa, sb", [((2,), (2,)), ((2,), (3,)), ((3,), (2,)), ((4, 2), (2,)), ((4, 3), (4, 2))]
)
def test_cross_two_dimensional_vectors(sa, sb):
    a, b = rng.normal(size=sa), rng.normal(size=sb)
    with pytest.warns(DeprecationWarning, match="2-dimensional vectors"):
        expected = np.cross(a, b)
    with pytest.warns(DeprecationWarning, match="2-dimensional vectors"):
        got = ab.cross(T(a), T(b))
    assert got.shape == expected.shape
    np.testing.assert_allclose(np.asarray(got), expected)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        assert ab.gradcheck(lambda p, q: ab.cross(p, q), (T(a, requires_grad=True), T(b, requires_grad=True)))


def test_cross_bad_size():
    with pytest.raises(ValueError, match="dimension must be 2 or 3"):
        ab.cross(T(np.ones(4)), T(np.ones(3)))


@pytest.mark.parametrize("name", ["convolve", "correlate"])
def test_convolve_modes_as_numbers(name):
    d, k = rng.normal(size=10), rng.normal(size=3)
    for mode in (0, 1, 2):
        expected = getattr(np, name)(d, k, mode=mode)
        np.testing.assert_allclose(np.asarray(getattr(ab, name)(T(d), T(k), mode=mode)), expected)
    for bad, err in (("f", ValueError), (-1, ValueError), (None, TypeError)):
        with pytest.raises(err):
            getattr(np, name)(d, k, mode=bad)
        with pytest.raises(err):
            getattr(ab, name)(T(d), T(k), mode=bad)


def test_error_types_are_numpys():
    for bad in (np.array([[2, 2]]), np.array(2)):
        with pytest.raises(ValueError):
            np.bincount(bad)
        with pytest.raises(ValueError):
            ab.bincount(T(bad))
    with pytest.raises(TypeError):
        ab.bincount(T(np.array([1, 2])), minlength="foobar")
    for kw in (
        {"fweights": np.ones((2, 3), int)},
        {"aweights": np.ones((2, 3))},
        {"fweights": np.ones(2, int)},
    ):
        with pytest.raises(RuntimeError):
            np.cov(np.ones((2, 3)), **kw)
        with pytest.raises(RuntimeError):
            ab.cov(T(np.ones((2, 3))), **kw)
    with pytest.raises(IndexError):
        np.take_along_axis(np.ones(3), np.array([True]), axis=0)
    with pytest.raises(IndexError):
        ab.take_along_axis(T(np.ones(3)), np.array([True]), axis=0)


@pytest.mark.parametrize(
    "name, args",
    [
        ("percentile", (50,)),
        ("quantile", (0.5,)),
        ("median", ()),
        ("nanmedian", ()),
        ("nanpercentile", (50,)),
        ("cumsum", ()),
        ("nansum", ()),
        ("nanmean", ()),
        ("nanmax", ()),
        ("nanvar", ()),
        ("nanstd", ()),
        ("prod", ()),
        ("nanargmax", ()),
        ("nancumsum", ()),
    ],
)
def test_out_of_reductions_and_quantiles(name, args):
    x = rng.normal(size=(3, 4))
    expected = getattr(np, name)(x, *args, axis=0)
    arr = np.zeros_like(expected)
    assert getattr(ab, name)(T(x), *args, axis=0, out=arr) is arr
    np.testing.assert_allclose(arr, expected)
    t = T(np.zeros_like(expected))
    assert getattr(ab, name)(T(x), *args, axis=0, out=t) is t
    np.testing.assert_allclose(t._data, expected)


def test_out_gradient_and_scalar_into_one_element():
    x = rng.normal(size=(3, 4))
    one = np.zeros(1)
    assert ab.percentile(T(x), 50, None, one) is one
    np.testing.assert_allclose(one, np.percentile(x, 50, out=np.zeros(1)))
    t = T(x, requires_grad=True)
    o = T(np.zeros(4))
    ab.median(t, axis=0, out=o)
    o.sum().backward()
    u = T(x, requires_grad=True)
    ab.median(u, axis=0).sum().backward()
    np.testing.assert_allclose(t.grad, u.grad)


def test_empty_median_and_quantiles_are_numpys():
    for name, args, shape, axis in [
        ("median", (), (0,), None),
        ("nanmedian", (), (0, 3), 0),
        ("nanpercentile", (50,), (0, 3), 0),
        ("median", (), (0, 3), 1),
    ]:
        a = np.zeros(shape)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            expected = getattr(np, name)(a, *args, axis=axis)
            got = getattr(ab, name)(T(a), *args, axis=axis)
        assert got.shape == np.shape(expected)
        np.testing.assert_array_equal(np.asarray(got), expected)
    with pytest.raises(IndexError):
        ab.quantile(T(np.array([])), 0.5)
    with pytest.raises(ValueError, match="must not be negative"):
        ab.bincount(T(np.arange(3)), minlength=-1)
    with pytest.raises(ValueError, match="out= has shape"):
        ab.nanmax(T(np.arange(10.0)), out=np.zeros(2))


@pytest.mark.parametrize("name", ["nanmean", "nanvar", "nanstd"])
def test_nan_moments_keep_an_inexact_dtype(name):
    a = np.ones((2, 3))
    for dtype in (bool, int):
        with pytest.raises(TypeError):
            getattr(np, name)(a, axis=1, dtype=dtype)
        with pytest.raises(TypeError, match="dtype must be inexact"):
            getattr(ab, name)(T(a), axis=1, dtype=dtype)


def test_numpys_words_in_messages():
    with pytest.raises(ValueError, match="repeated axis in `source`"):
        ab.moveaxis(T(np.ones((2, 3))), [0, 0], [0, 1])
    with pytest.raises(ValueError, match="source: axis 3 is out of bounds"):
        ab.moveaxis(T(np.ones((1, 2, 3))), 3, 0)
    with pytest.raises(ValueError, match="all the input arrays must have same number of dimensions"):
        ab.concatenate([T(np.ones(2)), T(np.ones((1, 1)))])
    with pytest.raises(ValueError, match="ddof and correction can't be provided simultaneously"):
        ab.var(T(np.ones(3)), ddof=1, correction=1)
    with pytest.raises(ValueError, match="Percentiles must be in the range"):
        ab.percentile(T(np.ones(3)), np.nan)
    with pytest.raises(TypeError, match="i0 not supported for complex values"):
        ab.i0(T(np.array([1 + 1j])))


def test_clip_promotes_with_typed_numpy_bounds():
    cases = [
        (np.array([0.0], np.float16), np.int8(1), np.int16(0)),
        (np.arange(5), np.float64(1.5), None),
        (np.ones(3, np.float32), np.array([0, 1, 2], np.int32), None),
        (np.ones(3, np.float32), 0.5, 2),  # Python numbers stay weak: float32
    ]
    for a, lo, hi in cases:
        expected = np.clip(a, lo, hi)
        got = ab.clip(T(a), lo, hi)
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(np.asarray(got), expected)
    x = T(np.array([0.5, 1.5, 2.5], np.float32), requires_grad=True)
    ab.clip(x, np.float64(1.0), np.float64(2.0)).sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 1.0, 0.0])
