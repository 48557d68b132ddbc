"""Fixes from running JAX's linalg_test/fft_test against autobp: complex inputs to vjp/jvp/linearize
(PyTorch's convention, checked against torch.func), numpy.linalg.vecdot's per-input axis, and
scipy.linalg's expm, expm_frechet, block_diag, toeplitz, cho_factor/cho_solve and eigh_tridiagonal
(values against scipy, gradients against autobp.gradcheck and torch)."""

import numpy as np
import pytest
import scipy.linalg as sl

import autobp
import autobp.func as F
import autobp.functional as AF
import autobp.linalg as la

torch = pytest.importorskip("torch")

RNG = np.random.RandomState(0)


def _c(*shape):
    return RNG.randn(*shape) + 1j * RNG.randn(*shape)


def _np(t):
    return np.asarray(t.detach().data if isinstance(t, autobp.Tensor) else t)


# --- complex inputs to the function transforms ------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["inv", "nonholomorphic"],
)
def test_jvp_vjp_of_complex_inputs_match_torch_func(name):
    a, v, g = _c(3, 3) + 3 * np.eye(3), _c(3, 3), _c(3, 3)
    if name == "inv":
        ours, theirs = la.inv, torch.linalg.inv
    else:
        ours = lambda x: autobp.abs(x) ** 2 * x + x.conj()  # noqa: E731
        theirs = lambda x: x.abs() ** 2 * x + x.conj()  # noqa: E731
    _, t_ours = F.jvp(ours, (autobp.tensor(a),), (autobp.tensor(v),))
    _, t_torch = torch.func.jvp(theirs, (torch.tensor(a),), (torch.tensor(v),))
    np.testing.assert_allclose(_np(t_ours), t_torch.numpy(), rtol=1e-10, atol=1e-12)
    _, pull = F.vjp(ours, autobp.tensor(a))
    _, tpull = torch.func.vjp(theirs, torch.tensor(a))
    np.testing.assert_allclose(_np(pull(autobp.tensor(g))[0]), tpull(torch.tensor(g))[0].numpy(), rtol=1e-10)
    _, lin = F.linearize(ours, autobp.tensor(a))
    np.testing.assert_allclose(_np(lin(autobp.tensor(v))), t_torch.numpy(), rtol=1e-10, atol=1e-12)
    _, t_af = AF.jvp(ours, autobp.tensor(a), autobp.tensor(v))
    np.testing.assert_allclose(_np(t_af), t_torch.numpy(), rtol=1e-10, atol=1e-12)


def test_jvp_of_real_to_complex_function_matches_finite_differences():
    a, v, eps = RNG.randn(4, 4), RNG.randn(4, 4), 1e-6
    _, t = F.jvp(lambda x: autobp.fft.fft2(x), (autobp.tensor(a),), (autobp.tensor(v),))
    fd = (np.fft.fft2(a + eps * v) - np.fft.fft2(a - eps * v)) / (2 * eps)
    np.testing.assert_allclose(_np(t), fd, rtol=1e-6, atol=1e-8)


def test_jacobian_still_refuses_complex_inputs():
    with pytest.raises(TypeError, match="not a real-valued array"):
        AF.jacobian(lambda x: x * x, autobp.tensor(np.array([1j, 2.0])))


# --- numpy.linalg.vecdot: axis of each input, before broadcasting ---------------------------------------


@pytest.mark.parametrize("axis", [0, 1, -1, -2])
def test_vecdot_axis_is_each_inputs_axis_as_numpy(axis):
    a, b = _c(2, 2, 2), RNG.randn(2, 2)
    np.testing.assert_allclose(_np(la.vecdot(a, b, axis=axis)), np.linalg.vecdot(a, b, axis=axis), atol=1e-12)
    ta, tb = autobp.tensor(a), autobp.tensor(b)
    want = np.linalg.vecdot(a, b, axis=axis)
    np.testing.assert_allclose(_np(la.vecdot(ta, tb, axis=axis)), want, atol=1e-12)
    want = torch.linalg.vecdot(torch.tensor(a), torch.tensor(b, dtype=torch.complex128), dim=axis).numpy()
    np.testing.assert_allclose(_np(la.vecdot(ta, tb, dim=axis)), want, atol=1e-12)


def test_vecdot_axis_gradient():
    a, b = RNG.randn(3, 2, 4), RNG.randn(3, 4)
    f = lambda x, y: la.vecdot(x, y, axis=0)  # noqa: E731
    assert autobp.gradcheck(f, (autobp.tensor(a, requires_grad=True), autobp.tensor(b, requires_grad=True)))


def test_vecdot_axis_out_of_bounds_or_mismatched_is_an_error():
    with pytest.raises(ValueError, match="differ along axis 0"):
        la.vecdot(np.ones((3, 2)), np.ones((2, 3)), axis=0)
    with pytest.raises(ValueError, match="out of bounds"):
        la.vecdot(np.ones((3, 2)), np.ones(2), axis=1)


# --- scipy.linalg names -----------------------------------------------------------------------------------


def test_expm_is_a_function_with_scipys_values():
    assert callable(la.expm)
    a = RNG.randn(2, 3, 3) * 0.5
    np.testing.assert_allclose(_np(la.expm(autobp.tensor(a))), sl.expm(a), rtol=1e-12, atol=1e-14)
    out = la.expm(np.array([[0, 1], [0, 0]]))
    assert out.dtype == np.float64
    np.testing.assert_allclose(out, sl.expm(np.array([[0, 1], [0, 0]])))
    c = _c(3, 3) * 0.3
    np.testing.assert_allclose(_np(la.expm(autobp.tensor(c))), sl.expm(c), rtol=1e-12)
    x = autobp.tensor(RNG.randn(3, 3) * 0.5, requires_grad=True)
    assert autobp.gradcheck(la.expm, (x,))
    assert autobp.gradgradcheck(la.expm, (x,))


def test_expm_frechet_matches_scipy_and_differentiates():
    a, e = RNG.randn(4, 4) * 0.4, RNG.randn(4, 4)
    ex, lf = la.expm_frechet(autobp.tensor(a), autobp.tensor(e))
    want = sl.expm_frechet(a, e)
    np.testing.assert_allclose(_np(ex), want[0], rtol=1e-12)
    np.testing.assert_allclose(_np(lf), want[1], rtol=1e-10, atol=1e-12)
    lf2 = la.expm_frechet(a, e, compute_expm=False)
    np.testing.assert_allclose(_np(lf2), want[1], rtol=1e-10, atol=1e-12)
    ta, te = (autobp.tensor(x, requires_grad=True) for x in (a[:3, :3], e[:3, :3]))
    assert autobp.gradcheck(lambda x, y: la.expm_frechet(x, y, compute_expm=False), (ta, te))
    with pytest.raises(ValueError, match="same shape"):
        la.expm_frechet(np.eye(2), np.eye(3))


def test_block_diag_matches_scipy():
    args = (np.ones((3, 4)), 5.0, RNG.randn(5, 2), [1.0, 2.0])
    np.testing.assert_array_equal(la.block_diag(*args), sl.block_diag(*args))
    assert la.block_diag().shape == sl.block_diag().shape == (1, 0)
    xs = [autobp.tensor(RNG.randn(2, 2), requires_grad=True), autobp.tensor(RNG.randn(3), requires_grad=True)]
    assert autobp.gradcheck(lambda p, q: la.block_diag(p, q), xs)


@pytest.mark.parametrize(
    "cshape,rshape", [((4,), (3,)), ((2, 3), (5,)), ((), (2,)), ((2, 1, 3), (4, 2)), ((3,), None)]
)
def test_toeplitz_matches_scipy_batched(cshape, rshape):
    c = _c(*cshape)
    r = None if rshape is None else RNG.randn(*rshape)
    np.testing.assert_allclose(_np(la.toeplitz(c, r)), sl.toeplitz(c, r))


def test_toeplitz_gradient():
    c, r = (autobp.tensor(RNG.randn(n), requires_grad=True) for n in (3, 4))
    assert autobp.gradcheck(la.toeplitz, (c, r))
    assert autobp.gradgradcheck(la.toeplitz, (c, r))


@pytest.mark.parametrize("lower", [False, True])
def test_cho_factor_and_cho_solve_match_scipy_and_torch_gradients(lower):
    m = RNG.randn(4, 4)
    a = m @ m.T + 4 * np.eye(4)
    b = RNG.randn(4, 2)
    c, low = la.cho_factor(a, lower=lower)
    cs, lows = sl.cho_factor(a, lower=lower)
    assert low == lows
    np.testing.assert_allclose(c, cs, rtol=1e-12)
    np.testing.assert_allclose(la.cho_solve((c, low), b), sl.cho_solve((cs, lows), b), rtol=1e-12)
    want = sl.cho_solve((cs, lows), b[:, 0])
    np.testing.assert_allclose(la.cho_solve((cs, lows), b[:, 0]), want, rtol=1e-12)
    # gradient against torch's cholesky_solve, through a symmetric parametrisation a = s + s^T (autobp's
    # cholesky reads one triangle, torch's symmetrises: they agree on symmetric directions)
    s0 = (a / 2).copy()
    ts, tb = autobp.tensor(s0, requires_grad=True), autobp.tensor(b, requires_grad=True)
    x = la.cho_solve(la.cho_factor(ts + ts.T, lower=lower), tb)
    (x * x).sum().backward()
    qs, qb = torch.tensor(s0, requires_grad=True), torch.tensor(b, requires_grad=True)
    fac = torch.linalg.cholesky(qs + qs.T, upper=not lower)
    y = torch.cholesky_solve(qb, fac, upper=not lower)
    (y * y).sum().backward()
    np.testing.assert_allclose(_np(ts.grad), qs.grad.numpy(), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(_np(tb.grad), qb.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_eigh_tridiagonal_matches_scipy_and_differentiates():
    d, e = RNG.rand(6) * 4, RNG.rand(5)
    want = sl.eigh_tridiagonal(d, e, eigvals_only=True)
    np.testing.assert_allclose(_np(la.eigh_tridiagonal(d, e, eigvals_only=True)), want, rtol=1e-12)
    w, v = la.eigh_tridiagonal(d, e)
    ws, vs = sl.eigh_tridiagonal(d, e)
    np.testing.assert_allclose(_np(w), ws, rtol=1e-12)
    np.testing.assert_allclose(np.abs(_np(v)), np.abs(vs), atol=1e-10)
    for sel, rng in (("i", (1, 3)), ("v", (0.5, 2.5))):
        np.testing.assert_allclose(
            _np(la.eigh_tridiagonal(d, e, eigvals_only=True, select=sel, select_range=rng)),
            sl.eigh_tridiagonal(d, e, eigvals_only=True, select=sel, select_range=rng),
            rtol=1e-12,
        )
    ec = _c(5)  # Hermitian: subdiagonal conj(e), as numpy's eigvalsh of the dense matrix
    dense = np.diag(d) + np.diag(ec, 1) + np.diag(ec.conj(), -1)
    np.testing.assert_allclose(_np(la.eigh_tridiagonal(d, ec, eigvals_only=True)), np.linalg.eigvalsh(dense))
    td, te = (autobp.tensor(x, requires_grad=True) for x in (np.arange(4.0) * 3 + RNG.rand(4), RNG.rand(3)))
    assert autobp.gradcheck(lambda p, q: la.eigh_tridiagonal(p, q, eigvals_only=True), (td, te))
    with pytest.raises(ValueError, match=r"d must be \(n,\) and e \(n - 1,\)"):
        la.eigh_tridiagonal(np.ones(3), np.ones(3))


# --- numpy's positional dtype, numpy's error for pinv, fftfreq's keywords -------------------------------


@pytest.mark.parametrize("name", ["zeros", "ones", "empty"])
def test_factories_take_numpys_positional_dtype(name):
    for shape, dt in (((2, 0), np.float32), (3, "int32"), ((2, 2), np.complex64), (0, np.float32)):
        ours, want = getattr(autobp, name)(shape, dt), getattr(np, name)(shape, dt)
        assert ours.shape == want.shape and ours.dtype == want.dtype
    assert getattr(autobp, name)(2, 3).shape == torch.zeros(2, 3).shape  # PyTorch's sizes unchanged
    assert getattr(autobp, name)(2, np.int64(3)).shape == (2, 3)
    with pytest.raises(TypeError, match="dtype twice"):
        getattr(autobp, name)((2,), np.float32, dtype=np.float64)


def test_pinv_rcond_and_rtol_together_is_numpys_value_error():
    with pytest.raises(ValueError):
        np.linalg.pinv(np.eye(2), rcond=1e-2, rtol=1e-2)
    with pytest.raises(ValueError, match="can't be both set"):
        la.pinv(np.eye(2), rcond=1e-2, rtol=1e-2)


@pytest.mark.parametrize("name", ["fftfreq", "rfftfreq"])
def test_fftfreq_device_dtype_requires_grad_keywords(name):
    ours = getattr(autobp.fft, name)(7, 0.5, device="cpu", dtype=np.float32)
    want = getattr(torch.fft, name)(7, 0.5, dtype=torch.float32, device="cpu")
    assert ours.dtype == np.float32
    np.testing.assert_allclose(_np(ours), want.numpy(), rtol=1e-6)  # torch rounds in float32
    np.testing.assert_array_equal(
        _np(getattr(autobp.fft, name)(7, 0.5, device=None)), getattr(np.fft, name)(7, 0.5)
    )
    assert getattr(autobp.fft, name)(4, requires_grad=True).requires_grad
    with pytest.raises(TypeError, match="only floating"):
        getattr(autobp.fft, name)(4, dtype=np.int64, requires_grad=True)


@pytest.mark.parametrize("ord", [1, 2, np.inf, "nuc", "fro"])
@pytest.mark.parametrize("shape", [(0, 2), (2, 0), (0, 0), (3, 0, 2)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_norms_of_empty_matrices_are_zero_as_numpy_and_torch(ord, shape, keepdims):
    want = np.linalg.matrix_norm(np.zeros(shape), ord=ord, keepdims=keepdims)
    x = autobp.zeros(shape, requires_grad=True)
    ours = la.matrix_norm(x, ord=ord, keepdims=keepdims)
    assert ours.shape == want.shape
    np.testing.assert_array_equal(_np(ours), want)
    np.testing.assert_array_equal(_np(torch.linalg.matrix_norm(torch.zeros(shape), ord=ord)), want.squeeze())
    ours.sum().backward()
    assert x.grad.shape == shape
    np.testing.assert_array_equal(_np(la.norm(np.zeros(shape), ord=ord, axis=(-2, -1))), want.squeeze())


@pytest.mark.parametrize("dt", [np.int8, np.int32, np.uint8, np.bool_, np.float32])
def test_vecdot_keeps_numpys_integer_dtype(dt):
    a = (RNG.rand(2, 3) * 4).astype(dt)
    want = np.linalg.vecdot(a, a)
    for ours in (la.vecdot(a, a), la.vecdot(autobp.tensor(a), autobp.tensor(a))):
        assert _np(ours).dtype == want.dtype
        np.testing.assert_allclose(_np(ours), want, rtol=1e-6)  # float32: summation order


@pytest.mark.parametrize("dt", [np.int8, np.int16, np.uint8, np.float32])
def test_sum_with_dtype_sums_in_that_dtype_as_numpy_and_torch(dt):
    a = np.arange(6, dtype=np.int8).reshape(2, 3)
    for axis in (None, -1):
        want = np.sum(a, axis=axis, dtype=dt)
        ours = autobp.sum(autobp.tensor(a), axis=axis, dtype=dt)
        assert ours.dtype == want.dtype
        np.testing.assert_array_equal(_np(ours), want)
    assert autobp.tensor(a).sum(-1, dtype=np.int8).dtype == np.int8
    assert torch.tensor(a).sum(-1, dtype=torch.int8).dtype == torch.int8
