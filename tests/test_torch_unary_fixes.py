"""Unary functions against torch (the oracle) where PyTorch's test_unary_ufuncs found disagreements:
complex log1p's accuracy for small arguments, and PyTorch's out= of nan_to_num, isposinf/isneginf
and sgn."""

import numpy as np
import pytest

import autobp as ab

torch = pytest.importorskip("torch")

SMALL_AND_EXTREME = [
    0.2 + 0.3j,
    1e-19 + 1e-18j,
    1e-18 + 0.1j,
    0.1 + 1e-18j,
    0.5 + 0j,
    -1.0 + 2.0j,
    2.0j,
    -1 + 1e250j,
    1e250 + 1e250j,
    1e-250 + 2e-250j,
    1e250 + 1e-250j,
    -1 + 1e-10j,
    -1.5 + 0j,
    complex(-np.inf, 1.0),
]


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
def test_complex_log1p_is_accurate_for_small_arguments(dtype):
    # numpy's log1p gives 0 for the real part of log1p(1e-19 + 1e-18j); torch keeps 1e-19
    z = np.array(SMALL_AND_EXTREME)
    if dtype == "complex64":
        z = z[np.abs(z) < 1e30]
    z = z.astype(dtype)
    with np.errstate(all="ignore"):
        want = torch.log1p(torch.tensor(z)).numpy()
        got = ab.log1p(ab.tensor(z))
    assert got.dtype == z.dtype
    np.testing.assert_allclose(got.numpy().real, want.real, rtol=1e-6 if dtype == "complex64" else 1e-13)
    np.testing.assert_allclose(got.numpy().imag, want.imag, rtol=1e-6 if dtype == "complex64" else 1e-13)


def test_complex_log1p_gradient_unchanged():
    z = np.array([0.3 + 0.4j, 1e-12 + 1e-12j, -0.5 - 0.5j])
    g = np.array([1.0 - 2.0j, 0.5j, 3.0])
    zt = torch.tensor(z, requires_grad=True)
    za = ab.tensor(z, requires_grad=True)
    (torch.log1p(zt) * torch.tensor(g)).real.sum().backward()
    (ab.log1p(za) * ab.tensor(g)).real.sum().backward()
    np.testing.assert_allclose(za.grad, zt.grad.numpy(), rtol=1e-12)
    assert ab.gradcheck(ab.log1p, (ab.tensor(z, requires_grad=True),))


def test_real_log1p_still_numpys():
    x = np.array([-0.5, 0.0, 1e-300, 3.0, -1.0])
    with np.errstate(divide="ignore"):
        np.testing.assert_array_equal(ab.log1p(ab.tensor(x)).numpy(), np.log1p(x))


X = np.array([[1.0, np.nan, np.inf], [-np.inf, -2.5, 0.0]])


def test_nan_to_num_out():
    for kw in ({}, {"nan": 0.5, "posinf": 3.0, "neginf": -4.0}):
        want = torch.nan_to_num(torch.tensor(X), **kw)
        out = ab.empty(X.shape)
        got = ab.nan_to_num(ab.tensor(X), out=out, **kw)
        assert got is out
        np.testing.assert_array_equal(out.numpy(), want.numpy())
    with pytest.raises(RuntimeError):
        torch.nan_to_num(torch.tensor(X), out=torch.empty(X.shape, dtype=torch.float32))
    with pytest.raises(RuntimeError):
        ab.nan_to_num(ab.tensor(X), out=ab.empty(X.shape, dtype=ab.float32))


@pytest.mark.parametrize("name", ["isposinf", "isneginf"])
def test_isposinf_isneginf_out_and_errors(name):
    want = getattr(torch, name)(torch.tensor(X))
    out = ab.empty(X.shape, dtype=bool)
    got = getattr(ab, name)(ab.tensor(X), out=out)
    assert got is out
    np.testing.assert_array_equal(out.numpy(), want.numpy())
    for lib in (torch, ab):
        with pytest.raises(RuntimeError, match="does not support non-boolean outputs"):
            getattr(lib, name)(lib.tensor(X), out=lib.empty(X.shape))
        with pytest.raises(RuntimeError, match="does not support complex inputs"):
            getattr(lib, name)(lib.tensor([1j, np.inf + 0j]))
    with pytest.raises(TypeError):  # numpy's type for complex input
        getattr(ab, name)(ab.tensor([1j]))


def test_sgn_out():
    z = np.array([1 + 1j, -2j, 0j, 3.0 + 0j])
    out = ab.empty(4, dtype=ab.complex128)
    got = ab.sgn(ab.tensor(z), out=out)
    assert got is out
    np.testing.assert_allclose(out.numpy(), torch.sgn(torch.tensor(z)).numpy())
    with pytest.raises(RuntimeError):
        torch.sgn(torch.tensor(z), out=torch.empty(4, dtype=torch.float64))
    with pytest.raises(RuntimeError):
        ab.sgn(ab.tensor(z), out=ab.empty(4))


def test_sign_of_booleans_is_pytorchs():
    b = np.array([True, False, True])
    want = torch.sign(torch.tensor(b))
    got = ab.sign(ab.tensor(b))
    assert got.dtype == np.bool_
    np.testing.assert_array_equal(got.numpy(), want.numpy())


def test_polygamma_negative_n_is_a_runtime_error():
    with pytest.raises(RuntimeError, match=r"polygamma\(n, x\) does not support negative n\."):
        torch.polygamma(-1, torch.tensor([1.0, 2.0]))
    with pytest.raises(RuntimeError, match=r"polygamma\(n, x\) does not support negative n\.") as info:
        ab.polygamma(-1, ab.tensor([1.0, 2.0]))
    assert isinstance(info.value, ValueError)


def test_signbit_of_complex_is_refused_as_pytorch():
    for lib in (torch, ab):
        with pytest.raises(RuntimeError, match="signbit is not implemented for complex tensors."):
            lib.signbit(lib.tensor([1j, -1 + 2j]))
    with pytest.raises(TypeError):  # numpy's type
        ab.signbit(ab.tensor([1j]))


@pytest.mark.parametrize("name", ["float32", "float64", "complex64", "complex128", "bool"])
def test_iinfo_of_a_non_integer_dtype_is_a_type_error(name):
    with pytest.raises(TypeError):
        torch.iinfo(getattr(torch, name))
    with pytest.raises(TypeError) as info:
        ab.iinfo(getattr(ab, name) if name != "bool" else np.bool_)
    assert isinstance(info.value, ValueError)  # numpy's type


@pytest.mark.parametrize("name", ["int64", "int32", "int16", "int8", "uint8"])
def test_finfo_of_a_non_floating_dtype_is_a_type_error(name):
    with pytest.raises(TypeError):
        torch.finfo(getattr(torch, name))
    with pytest.raises(TypeError):
        ab.finfo(getattr(ab, name))
    info = torch.iinfo(getattr(torch, name))
    got = ab.iinfo(getattr(ab, name))
    assert (got.bits, got.min, got.max) == (info.bits, info.min, info.max)


@pytest.mark.parametrize("name", ["float32", "float64", "complex64", "complex128"])
def test_finfo_still_matches_pytorch(name):
    want, got = torch.finfo(getattr(torch, name)), ab.finfo(getattr(ab, name))
    for field in ("bits", "eps", "max", "min", "tiny", "resolution"):
        assert float(getattr(got, field)) == pytest.approx(float(getattr(want, field)), rel=1e-6)


def test_frexp_out_and_its_checks():
    x = np.random.default_rng(8).standard_normal((5, 5)) * 100
    want_m, want_e = torch.frexp(torch.tensor(x))
    m, e = ab.empty((5, 5)), ab.empty((5, 5), dtype=ab.int32)
    got = ab.frexp(ab.tensor(x), out=(m, e))
    assert got[0] is m and got[1] is e
    np.testing.assert_array_equal(m.numpy(), want_m.numpy())
    np.testing.assert_array_equal(e.numpy(), want_e.numpy())
    bad_mantissa = r"torch\.frexp\(\) expects mantissa to have dtype .+ but got .+"
    bad_exponent = r"torch\.frexp\(\) expects exponent to have int dtype but got .+"
    for lib in (torch, ab):
        t = lib.tensor(x)
        with pytest.raises(RuntimeError, match=bad_mantissa):
            lib.frexp(t, out=(lib.empty((5, 5), dtype=lib.float32), lib.empty((5, 5), dtype=lib.int32)))
        with pytest.raises(RuntimeError, match=bad_exponent):
            lib.frexp(t, out=(lib.empty((5, 5), dtype=lib.float64), lib.empty((5, 5), dtype=lib.int64)))
        with pytest.raises(RuntimeError, match=r"torch\.frexp\(\) only supports floating-point dtypes"):
            lib.frexp(lib.tensor([1j, 2.0]))


def test_negating_a_boolean_tensor_is_refused_as_both_libraries_do():
    words = (
        r"Negation, the `\-` operator, on a bool tensor is not supported. If you are trying to invert a "
        r"mask, use the `\~` or `logical_not\(\)` operator instead."
    )
    with pytest.raises(RuntimeError, match=words):
        torch.neg(torch.tensor([False, True]))
    t = ab.tensor([False, True])
    for call in (lambda: -t, lambda: ab.neg(t), lambda: ab.negative(t)):
        with pytest.raises(RuntimeError, match=words) as info:
            call()
        assert isinstance(info.value, TypeError)  # numpy's type
        assert "numpy boolean negative" in str(info.value)
    np.testing.assert_array_equal((-ab.tensor([1, -2])).numpy(), [-1, 2])
