"""autobp.fft's dct/idct/dst/idst and n-d forms against scipy.fft: values for every type, norm,
orthogonalize, n/s and axis/axes; dtypes (ints -> float64, float32 kept, complex parts); the errors
scipy raises; gradients against the transpose of scipy's transform matrix and autobp.gradcheck."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import scipy.fft as sfft

import autobp
import autobp.fft as afft

NAMES = ("dct", "idct", "dst", "idst")
NORMS = (None, "backward", "ortho", "forward")


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("type_", [1, 2, 3, 4])
def test_one_axis_against_scipy(name, type_):
    rng = np.random.default_rng(type_)
    for n_pts, n, norm, orth, axis in itertools.product(
        (2, 3, 8), (None, 1, 5), NORMS, (None, True, False), (-1, 0)
    ):
        x = rng.normal(size=(3, n_pts))
        try:
            want = getattr(sfft, name)(x, type=type_, n=n, axis=axis, norm=norm, orthogonalize=orth)
        except (ValueError, RuntimeError):  # scipy refuses (a 1-point type-1 DCT): so do we
            with pytest.raises(ValueError):
                getattr(afft, name)(
                    autobp.asarray(x), type=type_, n=n, axis=axis, norm=norm, orthogonalize=orth
                )
            continue
        got = getattr(afft, name)(
            autobp.asarray(x), type=type_, n=n, axis=axis, norm=norm, orthogonalize=orth
        )
        np.testing.assert_allclose(np.asarray(got), want, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", ("dctn", "idctn", "dstn", "idstn"))
def test_n_axes_against_scipy(name):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 3, 4))
    for axes, s in (
        (None, None),
        ((0, 2), None),
        ((0, 2), (4, 2)),
        ((-1,), (6,)),
        (None, (2, 5)),
        ((1, 0, 2), (3, 2, 4)),
    ):
        for type_, norm in itertools.product((1, 2, 3, 4), ("ortho", None)):
            want = getattr(sfft, name)(x, type=type_, s=s, axes=axes, norm=norm)
            got = getattr(afft, name)(autobp.asarray(x), type=type_, s=s, axes=axes, norm=norm)
            np.testing.assert_allclose(np.asarray(got), want, rtol=1e-10, atol=1e-12)


def test_round_trips_and_jax_regressions():
    x = np.random.default_rng(1).normal(size=(5, 6))
    for t in (1, 2, 3, 4):
        y = afft.idctn(afft.dctn(autobp.asarray(x), type=t, norm="ortho"), type=t, norm="ortho")
        np.testing.assert_allclose(np.asarray(y), x, atol=1e-12)
    ones = np.ones(3)
    np.testing.assert_allclose(np.asarray(afft.idct(ones, n=10)), sfft.idct(ones, n=10), atol=1e-14)
    x = np.arange(10.0).reshape(5, 2)
    for f in ("dctn", "idctn"):
        want = getattr(sfft, f)(x, type=2, s=(12, 7), axes=(-2, -1))
        np.testing.assert_allclose(
            np.asarray(getattr(afft, f)(x, type=2, s=(12, 7), axes=(-2, -1))), want, rtol=1e-12
        )


@pytest.mark.parametrize(
    "dtype", [np.float32, np.float16, np.int32, np.bool_, np.complex64, np.complex128, np.float64]
)
def test_dtypes_as_scipy(dtype):
    rng = np.random.default_rng(2)
    x = rng.normal(size=6) * 3
    if np.dtype(dtype).kind == "c":
        x = x + 1j * rng.normal(size=6)
    x = x.astype(dtype)
    for name in NAMES:
        want = getattr(sfft, name)(x, norm="ortho")
        got = getattr(afft, name)(autobp.asarray(x), norm="ortho")
        assert got.dtype == want.dtype
        tol = 1e-5 if want.dtype in (np.float32, np.complex64) else 1e-12
        np.testing.assert_allclose(np.asarray(got), want, rtol=tol, atol=tol)
    empty = np.arange(6).reshape(2, 3)
    assert afft.dctn(empty, axes=[]).dtype == sfft.dctn(empty, axes=[]).dtype


def test_errors_as_scipy():
    x = autobp.ones(4)
    with pytest.raises(ValueError, match="type"):
        afft.dct(x, type=5)
    with pytest.raises(ValueError, match="norm"):
        afft.dst(x, norm="bad")
    with pytest.raises(ValueError, match="number of data points"):
        afft.idct(x, n=0)
    with pytest.raises(ValueError, match="same length"):
        afft.dctn(autobp.ones((2, 3)), s=(3,), axes=(0, 1))
    with pytest.raises(ValueError, match="unique"):
        afft.dstn(autobp.ones((2, 3)), axes=(0, 0))
    with pytest.raises(ValueError, match="out of range"):
        afft.dct(autobp.ones((2, 3)), axis=2)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("type_", [1, 2, 3, 4])
@pytest.mark.parametrize("norm", [None, "ortho", "forward"])
def test_gradient_is_the_transpose_of_scipys_matrix(name, type_, norm):
    n_pts, n = 4, 6
    rng = np.random.default_rng(type_)
    w = rng.normal(size=(n, 2))
    x = autobp.Tensor(rng.normal(size=(n_pts, 2)), requires_grad=True)
    out = getattr(afft, name)(x, type=type_, n=n, axis=0, norm=norm)
    (out * autobp.asarray(w)).sum().backward()
    # the transform is linear: its matrix is scipy's transform of the identity (columns), padded by n
    matrix = getattr(sfft, name)(np.eye(n), type=type_, axis=0, norm=norm)[:, :n_pts]
    np.testing.assert_allclose(np.asarray(x.grad), matrix.T @ w, rtol=1e-10, atol=1e-12)


def test_gradcheck_second_order_and_complex():
    rng = np.random.default_rng(3)
    x = autobp.Tensor(rng.normal(size=(2, 3, 4)), requires_grad=True)
    assert autobp.gradcheck(lambda a: afft.idctn(a, s=(3, 5), axes=(0, 2), norm="ortho"), (x,))
    assert autobp.gradgradcheck(lambda a: afft.dstn(a, type=3, axes=(1, 2)) ** 2, (x,))
    z = autobp.Tensor(rng.normal(size=4) + 1j * rng.normal(size=4), requires_grad=True)
    assert autobp.gradcheck(lambda a: afft.dct(a, type=4, norm="ortho"), (z,))
