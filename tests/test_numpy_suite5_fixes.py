"""Differences numpy's own linalg/fft/einsum/histogram/polynomial/stride-trick tests found (run through a
renaming adapter): autobp against numpy itself on the same inputs."""

import autobp.polynomial as P
import numpy as np
import pytest

import autobp


@pytest.mark.parametrize("kind", ["Polynomial", "Chebyshev", "Legendre", "Hermite", "HermiteE", "Laguerre"])
def test_polynomial_convert_between_autobp_classes_as_numpy(kind):
    # before: RecursionError (the isinstance/issubclass check of autobp's classes called itself)
    coef = np.array([1.0, -2.0, 0.5])
    got = P.Polynomial(coef, domain=[0, 2]).convert(kind=getattr(P, kind))
    want = np.polynomial.Polynomial(coef, domain=[0, 2]).convert(kind=getattr(np.polynomial, kind))
    np.testing.assert_allclose(got.coef, want.coef, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(got.domain, want.domain)
    q, r = divmod(got, getattr(P, kind)([1.0, 1.0], domain=got.domain, window=got.window))
    wq, wr = divmod(want, getattr(np.polynomial, kind)([1.0, 1.0], domain=want.domain, window=want.window))
    np.testing.assert_allclose(q.coef, wq.coef, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(r.coef, wr.coef, rtol=1e-12, atol=1e-12)


def test_polynomial_classes_isinstance_both_ways():
    assert isinstance(np.polynomial.Chebyshev([1.0]), P.Chebyshev)
    assert isinstance(P.Chebyshev([1.0]), np.polynomial.Chebyshev)
    assert not isinstance(P.Chebyshev([1.0]), P.Polynomial)
    assert not issubclass(P.Chebyshev, np.polynomial.Polynomial)


def test_linalg_outer_message_as_numpy():
    with pytest.raises(ValueError, match="Input arrays must be one-dimensional"):
        np.linalg.outer(np.ones((3, 1)), np.ones(3))
    with pytest.raises(ValueError, match="Input arrays must be one-dimensional"):
        autobp.linalg.outer(autobp.ones((3, 1)), autobp.ones(3))


@pytest.mark.parametrize(
    "fn",
    [
        lambda m, a: m.linalg.matrix_power(a, 1),
        lambda m, a: m.linalg.inv(a),
        lambda m, a: m.linalg.det(a),
        lambda m, a: m.linalg.solve(a, a),
        lambda m, a: m.linalg.cholesky(a),
    ],
)
@pytest.mark.parametrize("shape", [(3,), (3, 2), (4, 3, 2)])
def test_linalg_not_square_raises_numpy_linalgerror(fn, shape):
    # before: a ValueError that was no numpy.linalg.LinAlgError
    a = np.ones(shape)
    with pytest.raises(np.linalg.LinAlgError):
        fn(np, a)
    with pytest.raises(np.linalg.LinAlgError):
        fn(autobp, autobp.tensor(a))
    with pytest.raises(RuntimeError):  # PyTorch's type still holds
        fn(autobp, autobp.tensor(a))


@pytest.mark.parametrize("dtype", [bool, np.int8, np.int64, np.float32, np.complex64])
def test_matrix_power_zero_keeps_dtype_as_numpy(dtype):
    a = np.array([[0, 1], [1, 0]], dtype=dtype)
    want = np.linalg.matrix_power(a, 0)
    got = autobp.linalg.matrix_power(autobp.tensor(a), 0)
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got.data, want)


def test_lstsq_incompatible_dims_is_linalgerror():
    a, b = np.ones((4, 2)), np.ones(5)
    with pytest.raises(np.linalg.LinAlgError, match="Incompatible dimensions"):
        np.linalg.lstsq(a, b)
    with pytest.raises(np.linalg.LinAlgError, match="Incompatible dimensions"):
        autobp.linalg.lstsq(autobp.tensor(a), autobp.tensor(b))


def test_pinv_rcond_and_rtol_is_valueerror():
    with pytest.raises(ValueError, match="`rtol` and `rcond` can't be both set"):
        np.linalg.pinv(np.eye(2), rcond=0.5, rtol=0.5)
    with pytest.raises(ValueError, match="`rtol` and `rcond` can't be both set"):
        autobp.linalg.pinv(autobp.eye(2), rcond=0.5, rtol=0.5)


def test_cross_message_as_numpy():
    with pytest.raises(ValueError, match=r"input arrays must be \(arrays of\) 3-dimensional vectors"):
        autobp.linalg.cross(autobp.ones((3, 2)), autobp.ones((3, 2)))


def test_testing_assert_equal_named_tuple_of_tensors():
    # before: TypeError rebuilding the named tuple (SlogdetResult(<generator>))
    got = autobp.linalg.slogdet(autobp.zeros((0, 0), dtype="complex64"))
    autobp.testing.assert_equal(got, (1, 0))
    autobp.testing.assert_equal(got, np.linalg.slogdet(np.zeros((0, 0), dtype=np.complex64)))
    with pytest.raises(AssertionError):
        autobp.testing.assert_equal(got, (1, 1))


def test_einsum_dtype_sums_in_that_dtype_as_numpy():
    # silent before: the sums were done in int8 (wrapping around), then cast
    a = np.array([100, 100, 100], dtype=np.int8)
    want = np.einsum("i->", a, dtype="f8")
    got = autobp.einsum("i->", autobp.tensor(a), dtype="f8")
    assert got.dtype == want.dtype and got.item() == want == 300.0
    b = np.arange(6, dtype=np.int16).reshape(2, 3) * 100
    want = np.einsum("ij,ij->i", b, b, dtype=np.int64)
    np.testing.assert_array_equal(
        autobp.einsum("ij,ij->i", autobp.tensor(b), autobp.tensor(b), dtype=np.int64).data, want
    )


def test_einsum_dtype_gradient():
    x = autobp.tensor(np.random.default_rng(0).normal(size=(3, 2)).astype(np.float32), requires_grad=True)
    y = autobp.tensor(np.random.default_rng(1).normal(size=(2, 4)), requires_grad=True)
    assert autobp.einsum("ij,jk->ik", x, y, dtype=np.float64).dtype == np.float64
    x64 = autobp.tensor(x.data.astype(np.float64), requires_grad=True)
    assert autobp.gradcheck(lambda a, b: autobp.einsum("ij,jk->ik", a, b, dtype=np.complex128).real, (x64, y))


@pytest.mark.parametrize("casting", ["safe", "same_kind"])
def test_einsum_dtype_casting_refused_as_numpy(casting):
    a = np.ones(3)
    with pytest.raises(TypeError):
        np.einsum("i->", a, dtype=np.float32, casting=casting if casting == "safe" else "no")
    with pytest.raises(TypeError):
        autobp.einsum(
            "i->", autobp.tensor(a), dtype=np.float32, casting=casting if casting == "safe" else "no"
        )


def test_einsum_out_ndarray_and_tensor_as_numpy():
    rng = np.random.default_rng(2)
    a, b = rng.normal(size=(3, 4)), rng.normal(size=(4, 2))
    want = np.zeros((3, 2))
    np.einsum("ij,jk->ik", a, b, out=want)
    got = np.zeros((3, 2))
    assert autobp.einsum("ij,jk->ik", a, b, out=got) is got
    np.testing.assert_allclose(got, want, rtol=1e-13)
    # float32 out of float64 operands: numpy's unsafe cast on request, TypeError under 'safe'
    want32, got32 = np.zeros((3, 2), np.float32), np.zeros((3, 2), np.float32)
    np.einsum("ij,jk->ik", a, b, out=want32, casting="unsafe")
    autobp.einsum("ij,jk->ik", a, b, out=got32, casting="unsafe")
    np.testing.assert_array_equal(got32, want32)
    with pytest.raises(TypeError):
        np.einsum("ij,jk->ik", a, b, out=np.zeros((3, 2), np.float32))
    with pytest.raises(TypeError):
        autobp.einsum("ij,jk->ik", a, b, out=np.zeros((3, 2), np.float32))
    # a Tensor out: written in place, the write recorded
    x = autobp.tensor(a, requires_grad=True)
    t = autobp.zeros(3, 2, dtype=autobp.float64)
    r = autobp.einsum("ij,jk->ik", x, autobp.tensor(b), out=t)
    assert r is t
    np.testing.assert_allclose(t.data, want, rtol=1e-13)
    t.sum().backward()
    np.testing.assert_allclose(x.grad, np.ones((3, 2)) @ b.T, rtol=1e-13)


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.einsum(),
        lambda m: m.einsum("", 0, order="W"),
        lambda m: m.einsum("", 0, casting="blah"),
    ],
)
def test_einsum_bad_keywords_valueerror_as_numpy(call):
    with pytest.raises(ValueError):
        call(np)
    with pytest.raises(ValueError):
        call(autobp)


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.einsum("", 0, out="test"),
        lambda m: m.einsum("", 0, dtype="bad_data_type"),
        lambda m: m.einsum("", 0, bad_arg=0),
    ],
)
def test_einsum_bad_keywords_typeerror_as_numpy(call):
    with pytest.raises(TypeError):
        call(np)
    with pytest.raises(TypeError):
        call(autobp)


def test_einsum_sublist_integer_array_and_bad_path():
    a = np.arange(9.0).reshape(3, 3)
    assert autobp.einsum(autobp.tensor(a), autobp.tensor(np.array([0, 0]))).item() == np.einsum(
        a, np.array([0, 0])
    )
    ops = [np.ones((2, 2))] * 4
    with pytest.raises(RuntimeError):
        np.einsum("ab,bc,cd,de->ae", *ops, optimize=["einsum_path", (2, 3), (0, 1)])
    with pytest.raises(RuntimeError):
        autobp.einsum("ab,bc,cd,de->ae", *map(autobp.tensor, ops), optimize=["einsum_path", (2, 3), (0, 1)])


@pytest.mark.parametrize("name", ["fftn", "ifftn", "fft2", "ifft2", "rfftn", "rfft2", "irfftn", "irfft2"])
def test_fft_s_minus_one_is_the_whole_axis_as_numpy(name):
    x = np.arange(100.0).reshape(10, 10) / 7
    want = getattr(np.fft, name)(x, s=(-1, 5), axes=(0, 1))
    got = getattr(autobp.fft, name)(autobp.tensor(x), s=(-1, 5), axes=(0, 1))
    assert got.shape == want.shape
    np.testing.assert_allclose(got.data, want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", ["fftn", "ifftn", "rfftn", "irfftn"])
def test_fft_deprecation_warnings_as_numpy(name):
    x = np.arange(60.0).reshape(3, 4, 5)
    with pytest.warns(DeprecationWarning, match="`axes` should not be `None` if `s`"):
        want = getattr(np.fft, name)(x, s=(4, 6))
    with pytest.warns(DeprecationWarning, match="`axes` should not be `None` if `s`"):
        got = getattr(autobp.fft, name)(autobp.tensor(x), s=(4, 6))
    np.testing.assert_allclose(got.data, want, rtol=1e-12, atol=1e-12)
    with pytest.warns(DeprecationWarning, match="array containing `None` values to `s`"):
        want = getattr(np.fft, name)(x, s=(3, None, 6), axes=(0, 1, 2))
    with pytest.warns(DeprecationWarning, match="array containing `None` values to `s`"):
        got = getattr(autobp.fft, name)(autobp.tensor(x), s=(3, None, 6), axes=(0, 1, 2))
    np.testing.assert_allclose(got.data, want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", ["fftn", "ifftn", "rfftn", "irfftn"])
def test_fft_repeated_axes_as_numpy_with_gradient(name):
    # before: refused ("repeated axes are not supported"); numpy transforms once per entry
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2, 3))
    s, axes = (5, 4, 6), (0, 0, 1)
    want = getattr(np.fft, name)(x, s=s, axes=axes)
    got = getattr(autobp.fft, name)(autobp.tensor(x), s=s, axes=axes)
    assert got.shape == want.shape
    np.testing.assert_allclose(got.data, want, rtol=1e-12, atol=1e-12)
    t = autobp.tensor(x, requires_grad=True)
    assert autobp.gradcheck(lambda v: autobp.abs(getattr(autobp.fft, name)(v, s=s, axes=axes)) ** 2, (t,))


def test_fft_invalid_points_message_as_numpy():
    with pytest.raises(ValueError, match=r"Invalid number of FFT data points \(0\)"):
        np.fft.ifft(np.ones(3), n=0)
    with pytest.raises(ValueError, match=r"Invalid number of FFT data points \(0\)"):
        autobp.fft.ifft(autobp.ones(3), n=0)


_VALS = [
    ("polynomial", "polyval"),
    ("chebyshev", "chebval"),
    ("legendre", "legval"),
    ("hermite", "hermval"),
    ("hermite_e", "hermeval"),
    ("laguerre", "lagval"),
    ("polynomial", "polyvalfromroots"),
]


@pytest.mark.parametrize("sub,name", _VALS)
@pytest.mark.parametrize("cshape", [(3,), (3, 2), (3, 2, 2)])
def test_polynomial_val_tensor_x_as_numpy_array_x(sub, name, cshape):
    # silent before: numpy reshapes c (roots) for tensor=True only when x is an ndarray, so a Tensor
    # x gave other shapes and numbers (polyvalfromroots(x, r) with len(x) == len(r): one number)
    rng = np.random.default_rng(4)
    x, c = rng.normal(size=(2, 3)), rng.normal(size=cshape)
    want = getattr(getattr(np.polynomial, sub), name)(x, c)
    got = getattr(getattr(P, sub), name)(autobp.tensor(x), c)
    assert got.shape == want.shape
    np.testing.assert_allclose(got.data, want, rtol=1e-12, atol=1e-12)
    if len(cshape) > 1:
        want = getattr(getattr(np.polynomial, sub), name)(x[0, :2], c, tensor=False)
        got = getattr(getattr(P, sub), name)(autobp.tensor(x[0, :2]), c, tensor=False)
        np.testing.assert_allclose(got.data, want, rtol=1e-12, atol=1e-12)
    t = autobp.tensor(x, requires_grad=True)
    assert autobp.gradcheck(lambda v: getattr(getattr(P, sub), name)(v, c), (t,))


def test_polyvalfromroots_tensor_false_shape_check_as_numpy():
    with pytest.raises(ValueError, match="x.ndim must be < r.ndim"):
        np.polynomial.polynomial.polyvalfromroots([1.0], [1.0], tensor=False)
    with pytest.raises(ValueError, match="x.ndim must be < r.ndim"):
        P.polynomial.polyvalfromroots(autobp.tensor([1.0]), [1.0], tensor=False)


@pytest.mark.parametrize("name", ["polyadd", "polysub", "polymul", "polydiv"])
def test_poly1d_arguments_give_poly1d_as_numpy(name):
    b, a = np.poly1d([2, 6, 6, 1]), np.poly1d([-1j, (1 + 2j), -(2 + 1j), 1])
    want, got = getattr(np, name)(b, a), getattr(autobp, name)(b, a)
    want, got = (want, got) if isinstance(want, tuple) else ((want,), (got,))
    for w, g in zip(want, got):
        assert isinstance(g, np.poly1d) and isinstance(w, np.poly1d)
        np.testing.assert_allclose(g.coeffs, w.coeffs, rtol=1e-12)
    for name1 in ("polyder", "polyint"):
        assert isinstance(getattr(autobp, name1)(b), np.poly1d)
        np.testing.assert_allclose(getattr(autobp, name1)(b).coeffs, getattr(np, name1)(b).coeffs)


def test_flatiter_operand_as_numpy():
    # before: "unsupported operand of type flatiter" (numpy reads a.flat as a 1-d array)
    c, v = np.arange(6.0).reshape(2, 3), np.ones((4, 6))
    np.testing.assert_array_equal(autobp.dot(autobp.tensor(v), c.flat).data, np.dot(v, c.flat))
    np.testing.assert_array_equal((autobp.tensor(np.ones(6)) + c.flat).data, np.ones(6) + c.flat)


def test_zero_d_tensor_is_not_iterable():
    # silent before: Python's __getitem__ fallback iterated a 0-d Tensor as empty, so np.empty(t)
    # of a 0-d size Tensor had shape () and RandomState.normal(size=t) gave one number
    with pytest.raises(TypeError, match="iteration over a 0-d"):
        iter(np.array(10))
    with pytest.raises(TypeError, match="iteration over a 0-d"):
        list(autobp.tensor(10))
    assert np.empty(autobp.tensor(10)).shape == np.empty(np.array(10)).shape == (10,)
    assert np.random.RandomState(0).normal(size=autobp.tensor(4)).shape == (4,)
    rows = list(autobp.tensor(np.arange(6.0).reshape(3, 2)))
    assert len(rows) == 3
    np.testing.assert_array_equal(rows[2].data, np.arange(6.0).reshape(3, 2)[2])


def test_histogram_tensor_range_as_numpy():
    # before: numpy, given the Tensor range, called autobp's subtract with dtype= (TypeError) and
    # histogramdd/histogram2d failed to reshape
    arr = np.array([1.0], np.float16)
    r = np.array([1.0 + np.finfo(np.float32).eps, 2.0], np.float32)
    want, wedges = np.histogram(arr, bins=1, range=r)
    got, gedges = autobp.histogram(autobp.tensor(arr), bins=1, range=autobp.tensor(r))
    np.testing.assert_array_equal(got.data, want)
    assert gedges.dtype == wedges.dtype
    np.testing.assert_array_equal(gedges.data, wedges)
    got = autobp.histogram_bin_edges(autobp.tensor(arr), bins=3, range=(autobp.tensor(0.5), 2))
    np.testing.assert_array_equal(got.data, np.histogram_bin_edges(arr, bins=3, range=(0.5, 2)))
    x = np.random.default_rng(0).normal(size=(20, 2))
    rng = [[-1.0, 1.0], [-2.0, 2.0]]
    want = np.histogramdd(x, bins=3, range=rng)[0]
    got = autobp.histogramdd(autobp.tensor(x), bins=3, range=autobp.tensor(rng))[0]
    np.testing.assert_array_equal(got.data, want)
    want = np.histogram2d(x[:, 0], x[:, 1], bins=3, range=rng)[0]
    got = autobp.histogram2d(
        autobp.tensor(x[:, 0]), autobp.tensor(x[:, 1]), bins=3, range=[autobp.tensor(rng[0]), rng[1]]
    )[0]
    np.testing.assert_array_equal(got.data, want)


@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.int64, np.uint16, bool])
@pytest.mark.parametrize("ord", [1, -1, np.inf, -np.inf, "fro", "nuc", 2, -2])
def test_matrix_norm_of_integers_is_float64_as_numpy(dtype, ord):
    # silent before: the 1/inf norms of an integer matrix were int64 (uint64)
    a = np.array([[1, 0, 1], [0, 1, 1]]).astype(dtype)
    for fn in ("norm", "matrix_norm"):
        want = getattr(np.linalg, fn)(a, ord=ord)
        got = getattr(autobp.linalg, fn)(autobp.tensor(a), ord=ord)
        assert got.dtype == want.dtype
        np.testing.assert_allclose(got.item(), want, rtol=1e-12)


@pytest.mark.parametrize("shape", [(0, 2), (2, 0), (0, 0), (3, 0, 2)])
@pytest.mark.parametrize("ord", ["fro", "nuc", 1, 2, np.inf])
def test_matrix_norm_of_empty_matrices_is_zero_as_numpy(shape, ord):
    x = np.zeros(shape)
    want = np.linalg.matrix_norm(x, ord=ord)
    got = autobp.linalg.matrix_norm(autobp.tensor(x), ord=ord)
    np.testing.assert_array_equal(got.data, want)
    assert got.shape == np.shape(want)


def test_matrix_transpose_message_as_numpy():
    with pytest.raises(ValueError, match="array must be at least 2-dimensional"):
        autobp.linalg.matrix_transpose(autobp.ones(3))


def test_testing_zero_d_tensor_compares_as_numpy_scalar():
    # numpy's norm returns a float16 scalar, compared in float64 by assert_almost_equal
    x = np.array([1, 1], dtype=np.float16)
    want = np.float16(2.0) ** np.float16(0.5)
    autobp.testing.assert_almost_equal(autobp.linalg.norm(autobp.tensor(x), 2), want, decimal=12)
    with pytest.raises(AssertionError):
        autobp.testing.assert_almost_equal(autobp.tensor(np.float16(1.5)), np.float16(1.0), decimal=3)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex64, np.complex128])
@pytest.mark.parametrize("rows", [[[1, 0.5], [0.5, 1]], [[1, 0.5], [-1, 1]]])
def test_plain_eig_dtype_as_numpy(dtype, rows):
    # silent before: a complex matrix with a real spectrum gave real arrays on the plain path
    x = np.array(rows, dtype=dtype)
    assert autobp.linalg.eigvals(x).dtype == np.linalg.eigvals(x).dtype
    got, want = autobp.linalg.eig(x), np.linalg.eig(x)
    assert got[0].dtype == want[0].dtype and got[1].dtype == want[1].dtype
    np.testing.assert_allclose(np.sort_complex(got[0]), np.sort_complex(want[0]), rtol=1e-5)
