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
