"""autobp.linalg at the points where calculus leaves a choice, against PyTorch: repeated eigenvalues
and singular values, singular matrices, zero norms, ties of inf-norms; and the errors of the
factorisations whose gradient does not exist."""

import numpy as np
import pytest

import autobp
import autobp.linalg as la
from autobp import Tensor

torch = pytest.importorskip("torch")


def _both(fn_ours, fn_torch, a, create_graph=False):
    """Gradients of sum(w * f(a)) from autobp and torch."""
    w = np.random.default_rng(1).standard_normal(np.shape(fn_ours(Tensor(a)).data))
    x = Tensor(a.copy(), requires_grad=True)
    (fn_ours(x) * w).sum().backward()
    t = torch.tensor(a, requires_grad=True)
    (g,) = torch.autograd.grad((fn_torch(t) * torch.tensor(w)).sum(), t, create_graph=create_graph)
    return x.grad, g.detach().numpy()


def test_det_gradient_at_a_singular_matrix_is_the_cofactor_matrix_as_torch_under_create_graph():
    a = np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]])  # rank 2
    ours, theirs = _both(la.det, torch.linalg.det, a, create_graph=True)
    np.testing.assert_allclose(ours, theirs, atol=1e-12)
    cof = np.array([[4.0, 4.0, -4.0], [-2.0, -2.0, 2.0], [0.0, 0.0, 0.0]])
    w = np.random.default_rng(1).standard_normal(())
    np.testing.assert_allclose(ours, w * cof, atol=1e-12)


def test_det_gradient_at_rank_n_minus_2_is_zero_and_batched_mixes_regular_and_singular():
    a = np.stack([np.ones((3, 3)), np.diag([1.0, 2.0, 3.0])])
    x = Tensor(a, requires_grad=True)
    la.det(x).sum().backward()
    np.testing.assert_allclose(x.grad[0], 0.0, atol=1e-12)
    np.testing.assert_allclose(x.grad[1], np.diag([6.0, 3.0, 2.0]), atol=1e-12)


def test_det_second_order_at_a_regular_matrix_matches_torch():
    a = np.random.default_rng(0).standard_normal((3, 3))
    x = Tensor(a, requires_grad=True)
    (g,) = autobp.grad(la.det(x), [x], create_graph=True)
    (g * g).sum().backward()
    t = torch.tensor(a, requires_grad=True)
    (tg,) = torch.autograd.grad(torch.linalg.det(t), t, create_graph=True)
    (tg * tg).sum().backward()
    np.testing.assert_allclose(x.grad, t.grad.numpy(), rtol=1e-9)


def test_repeated_eigenvalues_give_non_finite_eigenvector_gradients_as_torch():
    a = np.diag([1.0, 1.0, 2.0])
    ours, theirs = _both(lambda m: la.eigh(m)[1], lambda m: torch.linalg.eigh(m)[1], a)
    assert not np.all(np.isfinite(ours)) and not np.all(np.isfinite(theirs))


def test_repeated_eigenvalues_leave_the_eigenvalue_gradient_finite_as_torch():
    a = np.diag([1.0, 1.0, 2.0])
    ours, theirs = _both(la.eigvalsh, torch.linalg.eigvalsh, a)
    np.testing.assert_allclose(ours, theirs, atol=1e-12)
    ours, theirs = _both(lambda m: la.eigh(m)[0], lambda m: torch.linalg.eigh(m)[0], a)
    np.testing.assert_allclose(ours, theirs, atol=1e-12)


def test_repeated_singular_values_svdvals_finite_vectors_not_as_torch():
    a = np.diag([2.0, 2.0, 1.0])
    ours, theirs = _both(la.svdvals, torch.linalg.svdvals, a)
    np.testing.assert_allclose(ours, theirs, atol=1e-12)
    ours, theirs = _both(
        lambda m: la.svd(m, full_matrices=False)[0], lambda m: torch.linalg.svd(m, full_matrices=False)[0], a
    )
    assert not np.all(np.isfinite(ours)) and not np.all(np.isfinite(theirs))


def test_svd_full_matrices_gradient_of_the_undetermined_columns_raises():
    a = np.random.default_rng(2).standard_normal((4, 2))
    x = Tensor(a, requires_grad=True)
    u, s, vh = la.svd(x)  # full_matrices=True: U is 4 x 4, its last two columns are arbitrary
    with pytest.raises(ValueError, match="full_matrices=False"):
        u.sum().backward()
    x = Tensor(a, requires_grad=True)
    u, s, vh = la.svd(x)
    (u[:, :2] * u[:1, :2]).sum().backward()  # only the determined columns: fine, as torch
    ours, theirs = _both(
        lambda m: (lambda f: f[:, :2] * f[:1, :2])(la.svd(m)[0]),
        lambda m: (lambda f: f[:, :2] * f[:1, :2])(torch.linalg.svd(m)[0]),
        a,
    )
    np.testing.assert_allclose(ours, theirs, atol=1e-10)


def test_qr_complete_of_a_tall_matrix_has_no_gradient():
    x = Tensor(np.random.default_rng(3).standard_normal((4, 2)), requires_grad=True)
    q, r = la.qr(x, mode="complete")
    assert q.shape == (4, 4)
    with pytest.raises(ValueError, match="mode='reduced'"):
        r.sum().backward()


@pytest.mark.parametrize("ord", [2, 3, 1.5, 0.5, np.inf, 1])
def test_vector_norm_at_zero_as_torch(ord):
    a = np.zeros((2, 3))
    a[1] = [0.0, 1.0, -2.0]  # one row all zero, one with a zero entry
    ours, theirs = _both(
        lambda m: la.vector_norm(m, ord, axis=-1), lambda m: torch.linalg.vector_norm(m, ord, dim=-1), a
    )
    np.testing.assert_allclose(ours, theirs, atol=1e-12)


def test_inf_norm_ties_share_the_gradient_as_torch():
    a = np.array([1.0, -3.0, 3.0, 0.0])
    ours, theirs = _both(
        lambda m: la.vector_norm(m, np.inf), lambda m: torch.linalg.vector_norm(m, np.inf), a
    )
    np.testing.assert_allclose(ours, theirs, atol=1e-12)
    assert ours[1] == -ours[2] != 0


def test_norm_of_zero_matrix_fro_gradient_is_zero_as_torch():
    ours, theirs = _both(lambda m: la.norm(m), lambda m: torch.linalg.norm(m), np.zeros((2, 2)))
    np.testing.assert_allclose(ours, theirs)
    np.testing.assert_array_equal(ours, 0.0)


def _triangle_of(sym_grad, uplo):
    """The gradient with respect to the triangle numpy reads, from PyTorch's symmetrised one."""
    both = sym_grad + sym_grad.T
    off = np.tril(both, -1) if uplo == "L" else np.triu(both, 1)
    return off + np.diag(np.diag(sym_grad))


@pytest.mark.parametrize("upper", [False, True])
def test_cholesky_gradient_is_torchs_symmetric_one_folded_onto_the_triangle_read(upper):
    b = np.random.default_rng(4).standard_normal((3, 3))
    a = b @ b.T + 3 * np.eye(3)
    ours, theirs = _both(
        lambda m: la.cholesky(m, upper=upper), lambda m: torch.linalg.cholesky(m, upper=upper), a
    )
    np.testing.assert_allclose(theirs, theirs.T, rtol=1e-12)
    np.testing.assert_allclose(ours, _triangle_of(theirs, "U" if upper else "L"), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("uplo", ["L", "U"])
def test_eigh_gradient_is_torchs_symmetric_one_folded_onto_the_triangle_read(uplo):
    b = np.random.default_rng(5).standard_normal((3, 3))
    a = b + b.T
    weights = np.random.default_rng(6).standard_normal((3, 3))

    def loss(w, v, wt):  # v ** 2: the same whatever sign each eigenvector gets
        return (w * w).sum() + (v * v * wt).sum()

    ours, theirs = _both(
        lambda m: loss(*la.eigh(m, UPLO=uplo), weights),
        lambda m: loss(*torch.linalg.eigh(m, UPLO=uplo), torch.tensor(weights)),
        a,
    )
    assert np.abs(np.triu(theirs, 1)).max() > 0.1  # a gradient off the diagonal to fold
    np.testing.assert_allclose(ours, _triangle_of(theirs, uplo), rtol=1e-8, atol=1e-12)


def test_lstsq_returns_numpys_residuals_rank_and_singular_values():
    rng = np.random.default_rng(6)
    a, b = rng.standard_normal((5, 3)), rng.standard_normal((5, 2))
    x, res, rank, s = la.lstsq(a, b)
    ex, eres, erank, es = np.linalg.lstsq(a, b)
    np.testing.assert_allclose(x.data, ex, rtol=1e-10)
    np.testing.assert_allclose(res.data, eres, rtol=1e-10)
    assert rank == erank
    np.testing.assert_allclose(s.data, es, rtol=1e-12)
    _, res1, _, _ = la.lstsq(a, b[:, 0])
    assert res1.shape == (1,)
    _, res_wide, rank_wide, _ = la.lstsq(a.T, b[:3])
    assert res_wide.shape == (0,) and rank_wide == 3


def test_lstsq_residual_gradient_matches_finite_differences():
    from .helpers import check_gradients

    rng = np.random.default_rng(7)
    check_gradients(lambda a, b: la.lstsq(a, b)[1], rng.standard_normal((5, 3)), rng.standard_normal((5, 2)))


def test_matrix_exp_second_order_matches_torch():
    a = np.random.default_rng(8).standard_normal((2, 3, 3)) * 0.5
    x = Tensor(a, requires_grad=True)
    (g,) = autobp.grad(la.matrix_exp(x).sum(), [x], create_graph=True)
    (g * g).sum().backward()
    t = torch.tensor(a, requires_grad=True)
    (tg,) = torch.autograd.grad(torch.linalg.matrix_exp(t).sum(), t, create_graph=True)
    (tg * tg).sum().backward()
    np.testing.assert_allclose(x.grad, t.grad.numpy(), rtol=1e-8)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: la.inv(np.ones(3)), r"inv: expected a matrix .* shape \(3,\)"),
        (lambda: la.det(np.ones((2, 3))), r"det: expected square matrices, got shape \(2, 3\)"),
        (lambda: la.solve(np.eye(3), np.ones(4)), r"solve: a of shape \(3, 3\) and b of shape \(4,\)"),
        (lambda: la.cholesky(-np.eye(2)), "not positive definite"),
        (lambda: la.matrix_power(np.eye(2), 1.5), "integer"),
        (lambda: la.matrix_norm(np.eye(2), "bad"), "invalid ord"),
        (lambda: la.qr(np.eye(2), mode="hello"), "mode must be"),
        (lambda: la.solve_triangular(np.eye(2), np.ones(2), trans=3), "trans must be"),
    ],
)
def test_bad_input_raises_a_clear_error(call, message):
    with pytest.raises((ValueError, TypeError, np.linalg.LinAlgError), match=message):
        call()


def test_singular_inverse_raises_linalg_error():
    with pytest.raises(np.linalg.LinAlgError):
        la.inv(np.zeros((2, 2)))


def test_empty_batches_work_like_numpy():
    a = np.zeros((0, 3, 3))
    assert la.inv(a).shape == (0, 3, 3)
    assert la.det(a).shape == (0,)
    assert la.matrix_exp(a).shape == (0, 3, 3)
    assert la.solve_triangular(a, np.zeros((0, 3, 2)), lower=True).shape == (0, 3, 2)


def test_float32_inputs_keep_float32():
    a = Tensor(np.eye(3, dtype=np.float32) * 2, requires_grad=True, dtype=np.float32)
    outs = [la.inv(a), la.det(a), la.matrix_exp(a), la.cholesky(a), la.eigvalsh(a), la.svdvals(a), la.norm(a)]
    assert all(o.dtype == np.float32 for o in outs), [o.dtype for o in outs]
    sum(o.sum() for o in outs).backward()
    assert a.grad.dtype == np.float32
