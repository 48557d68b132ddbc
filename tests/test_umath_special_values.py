"""Elementwise math at special values (infinities, NaN, signed zeros) found wrong by running numpy's
test_umath.py and a special-value sweep against autobp: values against numpy (or torch for torch's
names) on the same inputs, gradients against torch or gradcheck."""

import warnings

import numpy as np
import pytest

import autobp as ab

torch = pytest.importorskip("torch")

INF, NAN = np.inf, np.nan
PARTS = [0.0, -0.0, 2.0, -2.0, INF, -INF, NAN, 1e-310, 1e300, 0.5]
GRID = np.array([complex(a, b) for a in PARTS for b in PARTS])


def same_bits(got, expected):
    """Equal values, NaN where numpy has NaN, and the same sign of every zero (real and imaginary)."""
    got, expected = np.asarray(got), np.asarray(expected)
    assert got.dtype == expected.dtype
    for g, e in ((got.real, expected.real), (got.imag, expected.imag)):
        np.testing.assert_array_equal(np.isnan(g), np.isnan(e))
        ok = np.isnan(e) | ((g == e) & (np.signbit(g) == np.signbit(e)))
        assert ok.all(), (got[~ok], expected[~ok])


@pytest.mark.parametrize("dtype", ["complex128", "complex64"])
def test_sign_complex_special_values_as_numpy(dtype):
    with np.errstate(over="ignore"):
        z = GRID.astype(dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no spurious invalid-value warnings either
        got = ab.sign(ab.tensor(z))
    with np.errstate(all="ignore"):
        same_bits(got, np.sign(z))


def test_sign_complex_gradient_as_torch_sgn():
    z = np.array([1 + 2j, -0.5 + 0.1j, 3 - 4j, -2 - 0j, 0j, 1e-3j, -0.0 + 1j])
    a = ab.tensor(z, requires_grad=True)
    out = ab.sign(a)
    (0.7 * ab.real(out).sum() + 1.3 * ab.imag(out).sum()).backward()
    t = torch.tensor(z, requires_grad=True)
    out_t = torch.sgn(t)
    (0.7 * out_t.real.sum() + 1.3 * out_t.imag.sum()).backward()
    np.testing.assert_allclose(np.asarray(a.grad), t.grad.numpy(), rtol=1e-12, atol=1e-15)
    x = ab.tensor(z[:4], requires_grad=True)
    assert ab.gradcheck(ab.sign, (x,))
    assert ab.gradgradcheck(ab.sign, (x,))


REAL = np.array([1.0, -0.0, INF, NAN, 2.0, -INF, 0.0, -3.0])
IMAG = np.array([INF, 1.0, -0.0, 0.0, -0.0, NAN, -INF, -0.0])


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_complex_keeps_each_part_as_torch(dtype):
    got = ab.complex(ab.tensor(REAL.astype(dtype)), ab.tensor(IMAG.astype(dtype)))
    expected = torch.complex(torch.tensor(REAL.astype(dtype)), torch.tensor(IMAG.astype(dtype)))
    same_bits(got, expected.numpy())


def test_polar_at_infinite_abs_as_torch():
    r, th = np.array([INF, 2.0, 0.0]), np.array([0.0, -0.0, -1.0])
    got = ab.polar(ab.tensor(r), ab.tensor(th))
    same_bits(got, torch.polar(torch.tensor(r), torch.tensor(th)).numpy())


def test_complex_gradient_as_torch():
    re, im = np.array([0.5, -1.5, 2.0]), np.array([-0.0, 3.0, 0.25])
    a, b = ab.tensor(re, requires_grad=True), ab.tensor(im, requires_grad=True)
    z = ab.complex(a, b)
    (ab.real(z * z).sum() + 0.3 * ab.imag(z * z).sum()).backward()
    ta, tb = torch.tensor(re, requires_grad=True), torch.tensor(im, requires_grad=True)
    zt = torch.complex(ta, tb)
    ((zt * zt).real.sum() + 0.3 * (zt * zt).imag.sum()).backward()
    np.testing.assert_allclose(np.asarray(a.grad), ta.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(np.asarray(b.grad), tb.grad.numpy(), rtol=1e-12)


def test_imag_setter_with_gradient_keeps_infinity_and_signed_zero():
    base = ab.tensor(np.array([1 + 2j, 3 + 4j]), requires_grad=True)
    v = ab.tensor(np.array([INF, -0.0]), requires_grad=True)
    t = base * 1
    t.imag = v
    expected = np.array([1 + 2j, 3 + 4j])
    expected.imag = [INF, -0.0]
    same_bits(t, expected)
    ab.real(t).sum().backward()
    np.testing.assert_array_equal(np.asarray(base.grad), [1.0, 1.0])


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int16", "uint64"])
@pytest.mark.parametrize(
    "name", ["divide", "true_divide", "arctan2", "hypot", "copysign", "logaddexp", "logaddexp2"]
)
@pytest.mark.parametrize("number", [300, -1, 2**40])
def test_python_int_beyond_integer_dtype_in_float_ops_as_numpy(dtype, name, number):
    a = np.array([1, 2, 3], dtype=dtype)
    for args in ((a, number), (number, a)):
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = getattr(np, name)(*args)
            got = getattr(ab, name)(*(ab.tensor(v) if isinstance(v, np.ndarray) else v for v in args))
        assert np.asarray(got).dtype == expected.dtype
        np.testing.assert_allclose(np.asarray(got), expected, rtol=1e-6)


def test_true_division_operator_by_python_int_beyond_dtype_as_numpy():
    a = np.array([1, 2, 3], dtype=np.int8)
    np.testing.assert_array_equal(np.asarray(ab.tensor(a) / 300), a / 300)
    np.testing.assert_array_equal(np.asarray(1000 / ab.tensor(a)), 1000 / a)
    with pytest.raises(OverflowError):  # numpy refuses it where the loop is int8's own
        ab.tensor(a) + 300


def test_power_base_gradient_at_zero_exponent_as_torch():
    """x ** 0 is constant: torch's 0 also at a NaN base and at a tiny base whose x^-1 overflows."""
    x = np.array([NAN, 1e-310, -1e-310, 0.0, 2.0, -3.0, INF, 1e-310, 0.5])
    y = np.array([0.0, 0.0, -0.0, 0.0, 0.0, -0.0, 0.0, 1.5, 2.0])
    a, b = ab.tensor(x, requires_grad=True), ab.tensor(y, requires_grad=True)
    with np.errstate(all="ignore"):
        (a**b).sum().backward()
    ta, tb = torch.tensor(x, requires_grad=True), torch.tensor(y, requires_grad=True)
    (ta**tb).sum().backward()
    np.testing.assert_array_equal(np.asarray(a.grad), ta.grad.numpy())
    np.testing.assert_allclose(np.asarray(b.grad), tb.grad.numpy(), rtol=1e-12)


def test_power_mixed_second_derivative_at_zero_exponent():
    x, y = (
        ab.tensor(np.array([1.0, 2.5]), requires_grad=True),
        ab.tensor(np.array([0.0, 0.0]), requires_grad=True),
    )
    assert ab.gradgradcheck(lambda a, b: a**b, (x, y))


@pytest.mark.parametrize("order", ["C", "F", "A", "K", "f", "c"])
def test_flatten_order_as_ndarray_flatten(order):
    a = np.arange(12.0).reshape(3, 4)
    np.testing.assert_array_equal(np.asarray(ab.tensor(a).flatten(order)), a.flatten(order))
    np.testing.assert_array_equal(np.asarray(ab.flatten(ab.tensor(a), order=order)), a.flatten(order))
    np.testing.assert_array_equal(np.asarray(ab.ravel(ab.tensor(a), order)), np.ravel(a, order))


def test_flatten_order_gradient():
    a = np.arange(6.0).reshape(2, 3)
    t = ab.tensor(a, requires_grad=True)
    (t.flatten("F") * ab.tensor(np.arange(6.0))).sum().backward()
    ta = torch.tensor(a, requires_grad=True)
    (ta.t().reshape(-1) * torch.arange(6.0, dtype=torch.float64)).sum().backward()
    np.testing.assert_array_equal(np.asarray(t.grad), ta.grad.numpy())


def test_power_function_values_as_numpy_power():
    """numpy's power function, not the ** operator's fast paths: they differ at z ** -1 for z = inf and
    in the sign of a zero imaginary part (the operator keeps the operator's values)."""
    z = np.array([-2 + 0j, 1.5 + 0j, -0.0 + 0j, INF + 0j, 3 - 4j])
    with np.errstate(all="ignore"):
        for p in (-1, 2, -2, 0.5):
            same_bits(ab.power(ab.tensor(z), p), np.power(z, p))
            same_bits(ab.tensor(z) ** p, z**p)
    b = np.array([True, False])
    assert ab.power(ab.tensor(b), 2).dtype == np.power(b, 2).dtype


@pytest.mark.parametrize("symbol", ["<<=", ">>="])
@pytest.mark.parametrize("other", [2, 0, 70, np.array([1, 2, 3, 1, 2], np.int8), np.array([1, 2, 3, 1, 2])])
def test_shift_assignments_write_in_place_as_numpy(symbol, other):
    """``t <<= k`` / ``t >>= k`` were missing: Python fell back to ``t = t << k``, a new tensor of the
    promoted dtype (int8 <<= an int64 array gave int64); numpy writes into the array, keeping its dtype."""
    import operator

    op = operator.ilshift if symbol == "<<=" else operator.irshift
    a = np.array([1, -2, 0, 127, -128], np.int8)
    expected = a.copy()
    op(expected, other)
    t = ab.tensor(a.copy())
    alias = t
    t = op(t, ab.tensor(other) if isinstance(other, np.ndarray) else other)
    assert t is alias
    assert t.dtype == expected.dtype
    np.testing.assert_array_equal(np.asarray(t), expected)


def test_shift_assignment_refuses_unsafe_cast_as_numpy():
    u = np.array([1, 2, 3], np.uint8)
    with pytest.raises(TypeError):
        u <<= np.array([1, 1, 1])  # numpy: int64 result into uint8 is not same_kind
    t = ab.tensor(np.array([1, 2, 3], np.uint8))
    with pytest.raises(TypeError):
        t <<= ab.tensor(np.array([1, 1, 1]))


def test_lgamma_subnormal_and_negative_infinity_as_torch():
    """scipy's gammaln gives inf at a subnormal float64 x and -inf at -inf; torch.lgamma -log|x| and inf."""
    x = np.array([-INF, 1e-310, -1e-310, 5e-324, 1e-300, 0.0, -0.0, NAN, -1.0, 2.5, -2.5, INF])
    got = np.asarray(ab.lgamma(ab.tensor(x)))
    expected = torch.lgamma(torch.tensor(x)).numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-13)
    a = ab.tensor(x[1:5], requires_grad=True)
    ab.lgamma(a).sum().backward()
    t = torch.tensor(x[1:5], requires_grad=True)
    torch.lgamma(t).sum().backward()
    np.testing.assert_allclose(np.asarray(a.grad), t.grad.numpy(), rtol=1e-13)
    assert ab.gradgradcheck(ab.lgamma, (ab.tensor([0.5, 2.5, -1.5], requires_grad=True),))
