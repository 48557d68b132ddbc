"""numpy's keywords autobp used to refuse (mean/var/std out=, where=, mean=; reshape order=; astype
copy=; ufunc out=/where=/dtype=), numpy's all-NaN warnings, unwrap's and ix_'s dtypes: values against
numpy on the same inputs, gradients against torch or gradcheck."""

import warnings

import numpy as np
import pytest

import autobp as ab

T = ab.Tensor
rng = np.random.default_rng(7)
A = rng.normal(size=(3, 4))
W = rng.random((3, 4)) > 0.4
W[2] = [True, False, False, True]


@pytest.mark.parametrize("name", ["mean", "var", "std"])
@pytest.mark.parametrize("axis", [None, 0, 1])
@pytest.mark.parametrize("keepdims", [False, True])
def test_where_matches_numpy(name, axis, keepdims):
    expected = getattr(np, name)(A, axis=axis, keepdims=keepdims, where=W)
    got = getattr(ab, name)(T(A), axis=axis, keepdims=keepdims, where=W)
    assert got.shape == np.shape(expected)
    np.testing.assert_allclose(np.asarray(got), expected, rtol=1e-12)


def test_where_float32_and_int_dtypes():
    f = A.astype(np.float32)
    assert ab.mean(T(f), where=W).dtype == np.mean(f, where=W).dtype
    assert ab.var(T(f), where=W).dtype == np.var(f, where=W).dtype
    ints = np.arange(3)
    np.testing.assert_allclose(np.asarray(ab.mean(T(ints), where=[True, True, False])), 0.5)


def test_where_gradients_against_torch():
    torch = pytest.importorskip("torch")
    x = T(A, requires_grad=True)
    ab.std(x, axis=1, where=W, ddof=1).sum().backward()
    xt = torch.tensor(A, requires_grad=True)
    total = sum(xt[i][torch.tensor(W[i])].std() for i in range(3))
    total.backward()
    np.testing.assert_allclose(x.grad, xt.grad.numpy(), rtol=1e-10)
    assert np.all(x.grad[~W] == 0)
    assert ab.gradcheck(lambda t: ab.mean(t, axis=0, where=W), (T(A, requires_grad=True),))


def test_var_mean_keyword_and_its_gradient():
    m = A.mean(axis=1, keepdims=True) + 0.1
    for name in ("var", "std"):
        expected = getattr(np, name)(A, axis=1, mean=m)
        got = getattr(ab, name)(T(A), axis=1, mean=T(m))
        np.testing.assert_allclose(np.asarray(got), expected, rtol=1e-12)
    x, mt = T(A, requires_grad=True), T(m, requires_grad=True)
    assert ab.gradcheck(lambda a, b: ab.var(a, axis=1, mean=b, where=W), (x, mt))
    assert ab.gradcheck(lambda a, b: ab.std(a, axis=1, mean=b), (x, mt))


def test_mean_var_out():
    o = T(np.zeros(3))
    assert ab.mean(T(A), axis=1, out=o) is o
    np.testing.assert_allclose(np.asarray(o), A.mean(axis=1))
    x = T(A, requires_grad=True)
    o = T(np.zeros(3))
    ab.var(x, axis=1, out=o)
    o.sum().backward()
    np.testing.assert_allclose(x.grad, 2 * (A - A.mean(1, keepdims=True)) / 4)
    expected = np.zeros(3, dtype=int)  # numpy casts a mean or var into out unsafely, std not
    np.mean(A * 10, axis=1, out=expected)
    ints = np.zeros(3, dtype=int)
    assert ab.mean(T(A * 10), axis=1, out=ints) is ints
    np.testing.assert_array_equal(ints, expected)
    with pytest.raises(TypeError):
        np.std(A, axis=1, out=np.zeros(3, dtype=int))
    with pytest.raises(TypeError):
        ab.std(T(A), axis=1, out=np.zeros(3, dtype=int))
    with pytest.raises(ValueError, match="shape"):
        ab.mean(T(A), axis=1, out=T(np.zeros(4)))


@pytest.mark.parametrize("order", ["C", "F", "A"])
@pytest.mark.parametrize("layout", ["c", "f", "t"])
@pytest.mark.parametrize("shape", [(12, 2), (4, -1), (-1,)])
def test_reshape_order_matches_numpy(order, layout, shape):
    base = np.arange(24.0).reshape(2, 3, 4)
    arr = {"c": base, "f": np.asfortranarray(base), "t": base.transpose(1, 0, 2)}[layout]
    t = T(arr)
    got = ab.reshape(t, shape, order=order)
    expected = np.reshape(arr, shape, order=order)
    np.testing.assert_array_equal(np.asarray(got), expected)
    assert np.shares_memory(got._data, t._data) == np.shares_memory(expected, arr)
    np.testing.assert_array_equal(np.asarray(t.reshape(*shape, order=order)), expected)


def test_reshape_order_gradient_and_errors():
    x = T(rng.normal(size=(2, 3, 4)), requires_grad=True)
    assert ab.gradcheck(lambda t: ab.reshape(t, (4, 6), order="F") ** 2, (x,))
    with pytest.raises(ValueError, match="order 'K' is not permitted"):
        ab.reshape(x, (4, 6), order="K")
    with pytest.raises(ValueError, match="Unable to avoid creating a copy"):
        ab.reshape(T(np.arange(6.0).reshape(2, 3)), (3, 2), order="F", copy=False)
    c = ab.reshape(x, (4, 6), copy=True)
    assert not np.shares_memory(c._data, x._data)
    np.testing.assert_array_equal(np.asarray(ab.ravel(x, "F")), np.ravel(x._data, "F"))


def test_astype_copy_and_casting():
    t = T(A)
    assert ab.astype(t, np.float64, copy=False) is t
    assert ab.astype(t, np.float64) is not t
    assert t.astype(np.float32, copy=False).dtype == np.float32
    with pytest.raises(TypeError, match="according to the rule 'safe'"):
        t.astype(np.float32, casting="safe")


def test_ufunc_dtype_out_where():
    a, b = A[0], A[1]
    got = ab.maximum(T(a), T(b), dtype=np.float32)
    expected = np.maximum(a, b, dtype=np.float32)
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(np.asarray(got), expected)
    for fn in ("minimum", "add", "multiply", "arctan2", "hypot"):
        e = getattr(np, fn)(a, b, dtype=np.float32)
        g = getattr(ab, fn)(T(a), T(b), dtype=np.float32)
        assert g.dtype == e.dtype
        np.testing.assert_allclose(np.asarray(g), e, rtol=1e-6)
    with pytest.raises(TypeError, match="same_kind"):
        ab.add(T(a), 2, dtype=np.int32)
    o = T(np.zeros(4))
    assert ab.sin(T(a), out=o) is o
    np.testing.assert_allclose(np.asarray(o), np.sin(a))
    arr = np.zeros(4)
    assert ab.sin(a, out=arr) is arr
    np.testing.assert_allclose(arr, np.sin(a))


def test_ufunc_out_where_gradient():
    x = T(A[0], requires_grad=True)
    mask = np.array([True, False, True, False])
    o = T(np.full(4, 7.0))
    ab.sin(x, out=o, where=mask)
    expected = np.sin(A[0], out=np.full(4, 7.0), where=mask)
    np.testing.assert_allclose(o._data, expected)
    o.sum().backward()
    np.testing.assert_allclose(x.grad, np.cos(A[0]) * mask)


def _caught(fn):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        fn()
    return [(x.category, str(x.message)) for x in w]


@pytest.mark.parametrize("name", ["nanmin", "nanmax", "nanmedian"])
def test_all_nan_warning(name):
    a = np.array([[np.nan, np.nan], [1.0, np.nan]])
    expected = _caught(lambda: getattr(np, name)(a, axis=1))
    assert expected == [(RuntimeWarning, "All-NaN slice encountered")]
    assert _caught(lambda: getattr(ab, name)(T(a), axis=1)) == expected
    assert _caught(lambda: getattr(ab, name)(T(a[1:]), axis=1)) == []


@pytest.mark.parametrize("name, q", [("nanpercentile", 50), ("nanquantile", 0.5)])
def test_all_nan_warning_quantiles(name, q):
    a = np.array([[np.nan, np.nan], [1.0, np.nan]])
    got = _caught(lambda: getattr(ab, name)(T(a), q, axis=1))
    assert (RuntimeWarning, "All-NaN slice encountered") in got


@pytest.mark.parametrize(
    "values, kw",
    [
        ([1, 2, 3, 40, 5], {}),
        ([1, 2, 3, 40, 5], {"period": 6}),
        ([1, 1 + 256], {"period": 255}),
        ([1, 2, 3, 40, 5], {"period": 6.0}),
        ([0, 5, 0, -5, 0], {"period": 10}),
    ],
)
def test_unwrap_integer_dtype(values, kw):
    for dt in (np.int64, np.int8) if max(values) < 128 else (np.int64,):
        a = np.array(values, dtype=dt)
        expected = np.unwrap(a, **kw)
        got = ab.unwrap(T(a), **kw)
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(np.asarray(got), expected)


def test_unwrap_float32_and_gradient():
    a = np.array([1.0, 2, 30], dtype=np.float32)
    assert ab.unwrap(T(a), period=6).dtype == np.unwrap(a, period=6).dtype
    assert ab.gradcheck(lambda t: ab.unwrap(t, period=5.0), (T(rng.random(6) * 20, requires_grad=True),))


def test_ix_empty_is_intp():
    for arg in ([], range(0)):
        assert ab.ix_(arg)[0].dtype == np.ix_(arg)[0].dtype
    empty = np.array([], dtype=np.float32)
    assert ab.ix_(T(empty))[0].dtype == np.ix_(empty)[0].dtype


@pytest.mark.parametrize("fn", ["less", "less_equal", "greater", "greater_equal", "equal", "not_equal"])
def test_comparisons_exact_across_signedness(fn):
    for dt in (np.uint8, np.uint32, np.uint64):
        arr = np.array([np.iinfo(dt).max], dtype=dt)
        expected = getattr(np, fn)(arr, -1)
        np.testing.assert_array_equal(np.asarray(getattr(ab, fn)(T(arr), -1)), expected)
        np.testing.assert_array_equal(np.asarray(getattr(ab, fn)(-1, T(arr))), getattr(np, fn)(-1, arr))
    big, bigger = np.array([2**60], np.int64), np.array([2**60 + 1], np.uint64)
    np.testing.assert_array_equal(
        np.asarray(getattr(ab, fn)(T(big), T(bigger))), getattr(np, fn)(big, bigger)
    )


def test_real_imag_setters_match_numpy_and_torch():
    torch = pytest.importorskip("torch")
    z = np.array([1 + 2j, 3 - 1j])
    t, a = T(z.copy()), z.copy()
    t.real, a.real = -0.0, -0.0
    np.testing.assert_array_equal(np.signbit(t._data.real), np.signbit(a.real))
    t.imag, a.imag = T([5.0, 6.0]), [5.0, 6.0]
    np.testing.assert_array_equal(t._data, a)
    with pytest.raises(TypeError, match="no imaginary part"):
        T([1.0, 2.0]).imag = 1.0
    x, v = T(z, requires_grad=True), T([2.0, 3.0], requires_grad=True)
    y = x * 1
    y.real = v * v
    (ab.abs(y) ** 2).sum().backward()
    xt = torch.tensor(z, requires_grad=True)
    vt = torch.tensor([2.0, 3.0], dtype=torch.float64, requires_grad=True)
    yt = xt * 1
    yt.real = vt * vt
    (yt.abs() ** 2).sum().backward()
    np.testing.assert_allclose(x.grad, xt.grad.numpy())
    np.testing.assert_allclose(v.grad, vt.grad.numpy())


@pytest.mark.parametrize(
    "name, scale", [("quantile", 1), ("percentile", 100), ("nanquantile", 1), ("nanpercentile", 100)]
)
@pytest.mark.parametrize("axis", [None, 0, 1])
def test_weighted_inverted_cdf_matches_numpy(name, scale, axis):
    a = rng.integers(0, 6, size=(4, 5)).astype(float)
    if name.startswith("nan"):
        a[0, 1] = a[2, 3] = np.nan
    w = rng.integers(0, 4, size=(4, 5)).astype(float)
    w[:, 0] += 1
    q = np.array([0.0, 0.2, 0.5, 0.9, 1.0]) * scale
    expected = getattr(np, name)(a, q, axis=axis, weights=w, method="inverted_cdf")
    got = getattr(ab, name)(T(a), q, axis=axis, weights=w, method="inverted_cdf")
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(np.asarray(got), expected)


def test_weighted_quantile_gradient_and_errors():
    a = rng.normal(size=(3, 4))
    w = rng.random(4)
    x = T(a, requires_grad=True)
    assert ab.gradcheck(lambda t: ab.quantile(t, [0.3, 0.8], axis=1, weights=w, method="inverted_cdf"), (x,))
    with pytest.raises(ValueError, match="Only method 'inverted_cdf' supports weights"):
        ab.quantile(T(a), 0.5, axis=1, weights=w)
    with pytest.raises(ValueError, match="Weights must be non-negative"):
        ab.quantile(T(a), 0.5, axis=1, weights=-w, method="inverted_cdf")
    with pytest.raises(TypeError, match="Axis must be specified"):
        ab.quantile(T(a), 0.5, weights=w, method="inverted_cdf")
