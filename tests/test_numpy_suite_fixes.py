"""Differences numpy's own test suite found (run through a renaming adapter): autobp against numpy
itself on the same inputs."""

import warnings

import numpy as np
import pytest

import autobp
from autobp import Tensor


@pytest.mark.parametrize(
    "a",
    [
        [np.inf, np.nan],
        [np.inf, np.inf],
        [1.0, np.inf],
        [-np.inf, np.inf],
        [1.0, 2.0, np.inf, np.nan],
        [np.nan, np.nan],
        [3.0, 1.0, 2.0, 2.0],
    ],
)
def test_nanmedian_infinite_middle_values_as_numpy(a):
    # silent before: an infinite value anywhere in the slice gave NaN (quantile interpolation)
    with warnings.catch_warnings():  # numpy's all-NaN warning
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = np.nanmedian(a)
    np.testing.assert_array_equal(autobp.nanmedian(Tensor(np.array(a))).data, expected)


@pytest.mark.parametrize("axis", [None, 0, (0, 2), (2, 0), -1])
@pytest.mark.parametrize("keepdims", [False, True])
def test_nanmedian_axes_and_gradient(axis, keepdims):
    x = np.random.default_rng(0).normal(size=(3, 4, 5))
    x[0, 1, 2] = np.nan
    x[1, 2, 3] = np.inf
    got = autobp.nanmedian(Tensor(x), axis=axis, keepdims=keepdims)
    np.testing.assert_array_equal(got.data, np.nanmedian(x, axis=axis, keepdims=keepdims))
    t = Tensor(np.random.default_rng(1).normal(size=(4, 5)), requires_grad=True)
    assert autobp.gradcheck(lambda u: autobp.nanmedian(u, axis=1), (t,))


@pytest.mark.parametrize("axis", [(1, 0), (0, 1), (-1,), 1, (0, -1), (2, 0, 1)])
def test_gradient_axes_in_the_order_given(axis):
    # silent before: a tuple of axes was sorted, so axis=(1, 0) gave the axis-0 derivative first
    f = np.random.default_rng(2).normal(size=(4, 5, 6))
    expected = np.gradient(f, axis=axis)
    got = autobp.gradient(Tensor(f), axis=axis)
    expected = expected if isinstance(expected, tuple) else (expected,)
    got = got if isinstance(got, tuple) else (got,)
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g.data, e)


def test_gradient_spacings_follow_the_axis_order():
    f = np.arange(30.0).reshape(5, 6) ** 2
    xs = np.array([0.0, 1.0, 3.0, 4.0, 7.0, 9.0])
    expected = np.gradient(f, xs, 2.0, axis=(1, 0))
    got = autobp.gradient(Tensor(f), xs, 2.0, axis=(1, 0))
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g.data, e)


@pytest.mark.parametrize("shape", [(1, 3), (1, 4), (3, 4), (4,), (2, 1)])
@pytest.mark.parametrize("ddof", [0, 1])
def test_cov_rowvar_false_transposes_every_2d_input(shape, ddof):
    # silent before: a (1, n) input with rowvar=False was taken as one variable (shape ()), numpy's
    # is n variables of one observation each ((n, n))
    m = np.random.default_rng(3).normal(size=shape)
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)  # numpy: degrees of freedom <= 0
        expected = np.cov(m, rowvar=False, ddof=ddof)
        got = autobp.cov(Tensor(m), rowvar=False, ddof=ddof)
    assert got.shape == np.shape(expected)
    np.testing.assert_allclose(got.data, expected, equal_nan=True)


def test_cov_y_with_one_row_and_rowvar_false():
    r = np.random.default_rng(4)
    m, y = r.normal(size=(4, 2)), r.normal(size=(1, 4))
    with np.errstate(divide="ignore", invalid="ignore"):
        np.testing.assert_allclose(
            autobp.cov(Tensor(m), Tensor(y), rowvar=False).data, np.cov(m, y, rowvar=False)
        )


@pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.int16, np.int32, np.uint32, np.int64, np.bool_])
@pytest.mark.parametrize("n", [None, 0, 1, 4])
def test_vander_integer_inputs_in_numpys_dtype(dtype, n):
    # silent before: int8 powers wrapped around in int8 (numpy computes in int64)
    x = np.array([1, 12, 13]).astype(dtype)
    expected = np.vander(x, n)
    got = autobp.vander(Tensor(x), n)
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got.data, expected)


_EDGE = [0.0, 1.0, -np.inf, np.inf, np.nan]


@pytest.mark.parametrize(
    "xp", [[0.0, 1.0], [-np.inf, 1.0], [0.0, np.inf], [-np.inf, np.inf], [0.0, 1.0, np.inf]]
)
@pytest.mark.parametrize("complex_fp", [False, True])
def test_interp_with_infinite_knots_or_values_as_numpy(xp, complex_fp):
    # silent before: e.g. interp(0.5, [-inf, 1], [10, 10]) gave nan (numpy: 10), a knot next to an
    # infinite value gave nan (numpy: the knot's value)
    x = np.array([-1.0, 0.0, 0.5, 1.0, 2.0, np.inf, -np.inf, np.nan])
    for f0 in _EDGE:
        for f1 in _EDGE:
            fp = np.array([f0, f1] + [3.0] * (len(xp) - 2))
            if complex_fp:
                fp = fp + 1j * fp[::-1]
            with np.errstate(invalid="ignore", divide="ignore"):
                expected = np.interp(x, xp, fp)
            got = autobp.interp(Tensor(x), Tensor(np.array(xp)), Tensor(fp))
            np.testing.assert_array_equal(got.data, expected, err_msg=f"xp={xp} fp={fp}")


def test_interp_finite_inputs_keep_their_gradient():
    x = Tensor(np.array([0.2, 1.5, 2.7]), requires_grad=True)
    xp = Tensor(np.array([0.0, 1.0, 2.0, 3.0]), requires_grad=True)
    fp = Tensor(np.array([1.0, -2.0, 0.5, 4.0]), requires_grad=True)
    assert autobp.gradcheck(autobp.interp, (x, xp, fp))


_METHODS = (
    "inverted_cdf",
    "averaged_inverted_cdf",
    "closest_observation",
    "interpolated_inverted_cdf",
    "hazen",
    "weibull",
    "median_unbiased",
    "normal_unbiased",
)


@pytest.mark.parametrize("method", _METHODS)
@pytest.mark.parametrize("name", ["quantile", "nanquantile", "percentile", "nanpercentile"])
def test_numpys_other_quantile_methods(method, name):
    # refused before (ValueError: method must be one of linear, lower, higher, nearest, midpoint)
    x = np.random.default_rng(5).normal(size=(4, 7))
    x[1, 2] = np.nan if name.startswith("nan") else x[1, 2]
    q = np.array([0.0, 0.1, 0.5, 0.77, 1.0]) * (100 if "per" in name else 1)
    for axis in (1, 0, None, (0, 1)):
        expected = getattr(np, name)(x, q, axis=axis, method=method)
        got = getattr(autobp, name)(Tensor(x), q, axis=axis, method=method)
        np.testing.assert_array_equal(got.data, expected)
    t = Tensor(x[[0, 2, 3]], requires_grad=True)
    assert autobp.gradcheck(lambda u: getattr(autobp, name)(u, q[1:4], axis=1, method=method), (t,))


@pytest.mark.parametrize("name", ["nanvar", "nanstd"])
def test_ddof_with_correction_refused_with_numpys_message(name):
    x = np.array([1.0, np.nan, 3.0])
    with pytest.raises(ValueError) as numpy_error:
        getattr(np, name)(x, ddof=1, correction=1)
    with pytest.raises(ValueError, match=str(numpy_error.value).replace(".", r"\.")):
        getattr(autobp, name)(Tensor(x), ddof=1, correction=1)


_WHERE = np.array([[True, True, False], [True, True, True], [False, True, True]])
_NANS = np.array([[1.0, np.nan, 3.0], [np.nan, np.nan, np.nan], [4.0, 5.0, 6.0]])


@pytest.mark.parametrize(
    ("name", "extra"),
    [
        ("nansum", {"initial": 2.5}),
        ("nansum", {"where": _WHERE}),
        ("nansum", {"initial": 4.5, "where": _WHERE}),
        ("nanmax", {"initial": 2.5}),
        ("nanmax", {"initial": 4.5, "where": _WHERE}),
        ("nanmin", {"initial": 2.5}),
        ("nanmin", {"initial": 4.5, "where": _WHERE}),
        ("nanmean", {"where": _WHERE}),
    ],
)
def test_nan_reductions_take_numpys_initial_and_where(name, extra):
    # refused before: TypeError: nansum() got an unexpected keyword argument 'initial'
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = getattr(np, name)(_NANS, axis=1, **extra)
        got = getattr(autobp, name)(Tensor(_NANS), axis=1, **extra)
    np.testing.assert_array_equal(got.data, expected)
    t = Tensor(np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.5]]), requires_grad=True)
    row = np.array([True, False, True])
    kw = {k: (row if k == "where" else v) for k, v in extra.items()}
    assert autobp.gradcheck(lambda u: getattr(autobp, name)(u, axis=1, **kw), (t,))


def test_nanmax_where_without_initial_refused_as_numpy():
    with pytest.raises(ValueError, match="initial"):
        np.nanmax(_NANS, axis=1, where=_WHERE)
    with pytest.raises(ValueError, match="initial"):
        autobp.nanmax(Tensor(_NANS), axis=1, where=_WHERE)


@pytest.mark.parametrize(
    ("dtype", "casting"),
    [(np.float32, "same_kind"), ("int64", "unsafe"), (np.complex128, "same_kind"), ("float64", "no")],
)
def test_concatenate_takes_numpys_dtype_and_casting(dtype, casting):
    # refused before: TypeError: concatenate() got an unexpected keyword argument 'dtype'
    a, b = np.arange(3), np.arange(3.0)
    try:
        expected = np.concatenate([a, b], dtype=dtype, casting=casting)
    except TypeError:
        with pytest.raises(TypeError, match="cannot cast"):
            autobp.concatenate([Tensor(a), Tensor(b)], dtype=dtype, casting=casting)
        return
    got = autobp.concatenate([Tensor(a), Tensor(b)], dtype=dtype, casting=casting)
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got.data, expected)


def test_histogram2d_and_histogramdd_take_edges_given_as_tensors():
    # before: edges as a tuple of Tensors recursed without end (numpy dispatched back to autobp)
    x = np.array([0.417, 0.72, 0.0001, 0.30, 0.147])
    y = np.array([0.09, 0.19, 0.35, 0.40, 0.54])
    e = np.linspace(0, 1, 10)
    got = autobp.histogram2d(Tensor(x), Tensor(y), (Tensor(e), Tensor(e)))
    expected = np.histogram2d(x, y, (e, e))
    for g, w in zip(got, expected):
        np.testing.assert_array_equal(g.data, w)
    s = np.stack([x, y], axis=1)
    got_dd = autobp.histogramdd(Tensor(s), [Tensor(e), Tensor(e)], weights=Tensor(x))[0]
    np.testing.assert_allclose(got_dd.data, np.histogramdd(s, (e, e), weights=x)[0])


def test_isclose_with_tolerances_given_as_tensors():
    # before: a Tensor atol/rtol recursed without end (numpy's isclose dispatched back to autobp)
    a, b = np.array([1.0, 1.1, 2.0]), np.array([1.0, 1.0, 2.5])
    for atol, rtol in ((0.2, 0.0), (0.0, 0.3), (0.05, 0.05)):
        expected = np.isclose(a, b, atol=atol, rtol=rtol)
        got = autobp.isclose(Tensor(a), Tensor(b), atol=Tensor(np.array(atol)), rtol=Tensor(np.array(rtol)))
        np.testing.assert_array_equal(got.data, expected)
        assert autobp.allclose(Tensor(a), b, atol=Tensor(np.array(atol)), rtol=rtol) == np.allclose(
            a, b, atol=atol, rtol=rtol
        )
