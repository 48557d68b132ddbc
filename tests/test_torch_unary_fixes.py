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
