"""torch.linalg's LU family, *_ex forms, vander and householder_product against PyTorch on general
matrices (row swaps, rectangular, singular and indefinite ones): values, pivots, info codes,
gradients, and the errors."""

import numpy as np
import pytest

import autobp
import autobp.linalg as la

torch = pytest.importorskip("torch")

rng = np.random.default_rng(7)


@pytest.mark.parametrize("shape", [(4, 4), (2, 3, 3), (3, 5), (5, 3), (2, 1, 4, 2)])
def test_lu_factor_and_lu_match_torch(shape):
    a = rng.standard_normal(shape)
    lu, piv = la.lu_factor(a)
    t = torch.linalg.lu_factor(torch.tensor(a))
    np.testing.assert_allclose(lu.data, t.LU.numpy(), atol=1e-12)
    assert piv.dtype == np.int32
    np.testing.assert_array_equal(piv.data, t.pivots.numpy())
    P, L, U = la.lu(a)
    tP, tL, tU = torch.linalg.lu(torch.tensor(a))
    for ours, theirs in ((P, tP), (L, tL), (U, tU)):
        assert ours.shape == tuple(theirs.shape)
        np.testing.assert_allclose(ours.data, theirs.numpy(), atol=1e-12)
    np.testing.assert_allclose((P @ L @ U).data, a, atol=1e-12)


def test_lu_factor_keeps_float32():
    a = rng.standard_normal((3, 3)).astype(np.float32)
    assert la.lu_factor(a).LU.dtype == np.float32 and la.lu(a).L.dtype == np.float32


def test_lu_gradients_match_torch_with_row_swaps():
    a = rng.standard_normal((2, 4, 4))
    w1, w2 = rng.standard_normal((2, 4, 4)), rng.standard_normal((2, 4, 4))
    x = autobp.tensor(a, requires_grad=True)
    P, L, U = la.lu(x)
    (L * w1 + U * U * w2).sum().backward()
    tx = torch.tensor(a, requires_grad=True)
    _, tL, tU = torch.linalg.lu(tx)
    (tL * torch.tensor(w1) + tU * tU * torch.tensor(w2)).sum().backward()
    assert not np.array_equal(np.asarray(P)[0], np.eye(4))  # rows were swapped
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), rtol=1e-9, atol=1e-10)
    assert autobp.gradgradcheck(lambda m: la.lu_factor(m).LU, [autobp.tensor(a[0], requires_grad=True)])


@pytest.mark.parametrize("left", [True, False])
@pytest.mark.parametrize("adjoint", [False, True])
def test_lu_solve_solves_and_matches_torch_gradients(left, adjoint):
    a = rng.standard_normal((2, 4, 4))
    b = rng.standard_normal((2, 4, 3) if left else (2, 3, 4))
    lu, piv = la.lu_factor(a)
    x = la.lu_solve(lu, piv, b, left=left, adjoint=adjoint)
    op = np.swapaxes(a, -1, -2) if adjoint else a
    np.testing.assert_allclose(op @ x.data if left else x.data @ op, b, atol=1e-10)
    tlu, tpiv = torch.linalg.lu_factor(torch.tensor(a))
    tlu.requires_grad_(True)
    tb = torch.tensor(b, requires_grad=True)
    tx = torch.linalg.lu_solve(tlu, tpiv, tb, left=left, adjoint=adjoint)
    w = rng.standard_normal(x.shape)
    (tx * torch.tensor(w)).sum().backward()
    lu_leaf = autobp.tensor(lu.data, requires_grad=True)
    b_leaf = autobp.tensor(b, requires_grad=True)
    (la.lu_solve(lu_leaf, piv, b_leaf, left=left, adjoint=adjoint) * w).sum().backward()
    np.testing.assert_allclose(x.data, tx.detach().numpy(), atol=1e-10)
    np.testing.assert_allclose(lu_leaf.grad, tlu.grad.numpy(), rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(b_leaf.grad, tb.grad.numpy(), rtol=1e-8, atol=1e-10)


def test_lu_errors_are_clear():
    with pytest.raises(ValueError, match=r"lu_solve: B of shape \(3, 2\) must have 4 rows"):
        la.lu_solve(np.eye(4), np.arange(1, 5, dtype=np.int32), np.ones((3, 2)))
    with pytest.raises(ValueError, match="lu_solve: pivots must lie in 1..2"):
        la.lu_solve(np.eye(2), np.array([0, 2], dtype=np.int32), np.ones((2, 1)))
    with pytest.raises(NotImplementedError, match="lu_factor: LU without pivoting"):
        la.lu_factor(np.eye(2), pivot=False)
    with pytest.raises(ValueError, match="lu: expected a matrix"):
        la.lu(np.ones(3))


def _singular_batch():
    return np.array([[[1.0, 2.0], [2.0, 4.0]], [[2.0, 1.0], [1.0, 3.0]], [[0.0, 0.0], [0.0, 1.0]]])


def test_inv_ex_and_solve_ex_report_info_like_torch():
    a = _singular_batch()
    inv, info = la.inv_ex(a)
    tinv, tinfo = torch.linalg.inv_ex(torch.tensor(a))
    assert info.dtype == np.int32
    np.testing.assert_array_equal(info.data, tinfo.numpy())  # [2, 0, 1]
    np.testing.assert_allclose(np.asarray(inv)[1], tinv.numpy()[1])
    assert np.isnan(np.asarray(inv)[0]).all() and np.isnan(np.asarray(inv)[2]).all()
    b = np.ones((3, 2))  # a batch of vectors (A's shape without its last axis), PyTorch's rule
    x, info = la.solve_ex(a, b)
    tx, tinfo = torch.linalg.solve_ex(torch.tensor(a), torch.tensor(b))
    np.testing.assert_array_equal(info.data, tinfo.numpy())
    np.testing.assert_allclose(np.asarray(x)[1], tx.numpy()[1])
    lu, piv, info = la.lu_factor_ex(a)
    np.testing.assert_array_equal(info.data, torch.linalg.lu_factor_ex(torch.tensor(a)).info.numpy())
    with pytest.raises(np.linalg.LinAlgError, match=r"inv_ex: \(Batch element 0\)"):
        la.inv_ex(a, check_errors=True)
    with pytest.raises(np.linalg.LinAlgError, match="solve_ex"):
        la.solve_ex(a, b, check_errors=True)


def test_the_ex_gradients_flow_through_the_good_matrices_only():
    a = _singular_batch()
    x = autobp.tensor(a, requires_grad=True)
    la.inv_ex(x).inverse[1].sum().backward()
    tx = torch.tensor(a[1], requires_grad=True)
    torch.linalg.inv(tx).sum().backward()
    np.testing.assert_allclose(x.grad[1], tx.grad.numpy())
    np.testing.assert_array_equal(x.grad[[0, 2]], 0.0)


def test_cholesky_ex_reports_the_failing_minor_like_torch():
    a = np.array([[[1.0, 2.0], [2.0, 1.0]], [[2.0, 1.0], [1.0, 3.0]], [[-1.0, 0.0], [0.0, 1.0]]])
    for upper in (False, True):
        L, info = la.cholesky_ex(a, upper=upper)
        tL, tinfo = torch.linalg.cholesky_ex(torch.tensor(a), upper=upper)
        np.testing.assert_array_equal(info.data, tinfo.numpy())  # [2, 0, 1]
        np.testing.assert_allclose(np.asarray(L)[1], tL.numpy()[1])
    x = autobp.tensor(a, requires_grad=True)
    w = rng.standard_normal((2, 2))
    (la.cholesky_ex(x).L[1] * w).sum().backward()
    tx = torch.tensor(a[1], requires_grad=True)
    (torch.linalg.cholesky(tx) * torch.tensor(w)).sum().backward()
    # autobp reads one triangle, PyTorch symmetrises: equal along symmetric perturbations (docs' differs)
    s = rng.standard_normal((2, 2))
    s = s + s.T
    np.testing.assert_allclose((x.grad[1] * s).sum(), (tx.grad.numpy() * s).sum(), rtol=1e-10)
    with pytest.raises(np.linalg.LinAlgError, match="cholesky_ex: .*leading minor of order 2"):
        la.cholesky_ex(a, check_errors=True)


def test_vander_matches_torch_with_zero_and_negative_points():
    x = np.array([[0.0, -1.5, 2.0], [1.0, 0.0, 0.5]])
    for N in (None, 2, 5):
        t = torch.tensor(x, requires_grad=True)
        w = rng.standard_normal(x.shape + (x.shape[-1] if N is None else N,))
        (torch.linalg.vander(t, N=N) * torch.tensor(w)).sum().backward()
        a = autobp.tensor(x, requires_grad=True)
        out = la.vander(a, N=N)
        (out * w).sum().backward()
        np.testing.assert_allclose(out.data, torch.linalg.vander(torch.tensor(x), N=N).numpy())
        np.testing.assert_allclose(a.grad, t.grad.numpy())
    np.testing.assert_allclose(la.vander([1.0, 2.0]).data, np.vander([1.0, 2.0], increasing=True))
    with pytest.raises(ValueError, match="vander: N must be an integer greater than 1"):
        la.vander(np.ones(3), N=1)


def test_householder_product_rebuilds_q_of_geqrf_like_torch():
    a = rng.standard_normal((5, 3))
    ta, ttau = torch.geqrf(torch.tensor(a))
    ours = la.householder_product(ta.numpy(), ttau.numpy())
    np.testing.assert_allclose(ours.data, torch.linalg.householder_product(ta, ttau).numpy(), atol=1e-12)
    np.testing.assert_allclose(np.abs(ours.data), np.abs(np.linalg.qr(a)[0]), atol=1e-12)
    empty = la.householder_product(a, np.zeros(0))  # no reflector: the identity's first columns
    np.testing.assert_allclose(
        empty.data,
        torch.linalg.householder_product(torch.tensor(a), torch.zeros(0, dtype=torch.float64)).numpy(),
    )
    with pytest.raises(ValueError, match=r"householder_product: .* got A \(2, 3\)"):
        la.householder_product(np.ones((2, 3)), np.ones(2))
