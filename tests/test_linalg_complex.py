"""autobp.linalg where numpy, PyTorch and calculus leave a choice on complex or unsymmetric input:
the triangle eigh/cholesky read (finite differences on unsymmetric matrices, batched, second order),
the phases of complex eigen/singular vectors, eig's always-complex results, trans='C'."""

import numpy as np
import pytest

import autobp
import autobp.linalg as la
from autobp import Tensor, gradcheck, gradgradcheck

torch = pytest.importorskip("torch")


def _cnormal(rng, shape):
    return rng.standard_normal(shape) + 1j * rng.standard_normal(shape)


@pytest.mark.parametrize("uplo", ["L", "U"])
@pytest.mark.parametrize("complex_", [False, True])
def test_eigh_of_an_unsymmetric_batch_is_differentiated_as_the_triangle_numpy_reads(uplo, complex_):
    rng = np.random.default_rng(0)
    a = _cnormal(rng, (2, 3, 3)) if complex_ else rng.standard_normal((2, 3, 3))

    def fn(x):
        w, v = la.eigh(x, UPLO=uplo)
        return w, abs(v)  # |v|: the same whatever phase (sign) LAPACK gives each eigenvector

    x = Tensor(a, requires_grad=True)
    assert gradcheck(fn, [x]) and gradgradcheck(fn, [x])
    la.eigvalsh(x, UPLO=uplo).sum().backward()
    other = np.triu(np.ones((3, 3)), 1) if uplo == "L" else np.tril(np.ones((3, 3)), -1)
    np.testing.assert_array_equal(x.grad * other, 0.0)  # the unread triangle has no gradient
    if complex_:  # nor the imaginary part of the diagonal
        np.testing.assert_array_equal(np.diagonal(x.grad, 0, -2, -1).imag, 0.0)


def test_eigh_of_a_symmetric_input_matches_torch_along_symmetric_directions():
    rng = np.random.default_rng(1)
    b = rng.standard_normal((4, 4))
    a, d = b + b.T, rng.standard_normal((4, 4))
    d = d + d.T  # a symmetric direction: both conventions must give the same derivative
    x = Tensor(a, requires_grad=True)
    (la.eigvalsh(x) ** 3).sum().backward()
    t = torch.tensor(a, requires_grad=True)
    (torch.linalg.eigvalsh(t) ** 3).sum().backward()
    assert np.sum(x.grad * d) == pytest.approx(np.sum(t.grad.numpy() * d), rel=1e-10)


def test_cholesky_upper_reads_the_upper_triangle_as_numpy():
    a = np.array([[4.0, 1.0], [100.0, 3.0]])  # the lower triangle is not positive definite
    np.testing.assert_allclose(la.cholesky(a, upper=True).data, np.linalg.cholesky(a, upper=True))
    with pytest.raises(np.linalg.LinAlgError, match=r"shape \(2, 2\) is not positive definite"):
        la.cholesky(a)


@pytest.mark.parametrize("upper", [False, True])
def test_cholesky_of_an_unsymmetric_complex_batch_matches_finite_differences(upper):
    rng = np.random.default_rng(2)
    b = _cnormal(rng, (2, 3, 3))
    h = b @ b.conj().swapaxes(-1, -2) + 3 * np.eye(3)
    noise = _cnormal(rng, (2, 3, 3))
    a = h + (np.tril(noise, -1) if upper else np.triu(noise, 1))  # noise where numpy does not read
    x = Tensor(a, requires_grad=True)
    assert gradcheck(lambda m: la.cholesky(m, upper=upper), [x])
    assert gradgradcheck(lambda m: la.cholesky(m, upper=upper), [x])


def test_a_loss_depending_on_eigenvector_phases_raises_as_torch():
    rng = np.random.default_rng(3)
    b = _cnormal(rng, (3, 3))
    h = b + b.conj().T
    x = Tensor(h, requires_grad=True)
    with pytest.raises(ValueError, match="eigh: complex eigenvectors are determined only up to a phase"):
        la.eigh(x)[1].real.sum().backward()
    t = torch.tensor(h, requires_grad=True)
    with pytest.raises(RuntimeError, match="up to multiplication by"):
        torch.linalg.eigh(t)[1].real.sum().backward()
    x = Tensor(_cnormal(rng, (3, 3)), requires_grad=True)
    with pytest.raises(ValueError, match="eig: complex eigenvectors"):
        la.eig(x)[1].imag.sum().backward()


def test_phase_invariant_losses_of_eigenvectors_match_torch():
    rng = np.random.default_rng(4)
    a = _cnormal(rng, (2, 3, 3))
    w8 = rng.standard_normal((2, 3, 3))
    x = Tensor(a, requires_grad=True)
    w, v = la.eig(x)
    ((abs(v) * w8).sum() + (w * w).real.sum()).backward()
    t = torch.tensor(a, requires_grad=True)
    tw, tv = torch.linalg.eig(t)
    ((tv.abs() * torch.tensor(w8)).sum() + (tw * tw).real.sum()).backward()
    np.testing.assert_allclose(x.grad, t.grad.numpy(), rtol=1e-8, atol=1e-12)


def test_eig_results_are_complex_even_where_numpys_are_real():
    a = np.array([[2.0, 1.0], [1.0, 3.0]])  # a real spectrum: numpy returns float64
    assert np.linalg.eig(a)[0].dtype == np.float64
    assert la.eig(a)[0].dtype == np.float64  # of an array alone: numpy's result (constants out)
    w, v = la.eig(Tensor(a))
    assert w.dtype == v.dtype == np.complex128
    np.testing.assert_allclose(np.sort(w.data.real), np.linalg.eigvalsh(a), rtol=1e-12)
    assert la.eigvals(Tensor(a.astype(np.float32))).dtype == np.complex64
    x = Tensor(a, requires_grad=True)
    la.eigvals(x).real.sum().backward()  # the trace's derivative: I, and real for a real input
    assert x.grad.dtype == np.float64
    np.testing.assert_allclose(x.grad, np.eye(2), atol=1e-12)


def test_complex_svd_gradient_of_the_reconstruction_matches_torch():
    rng = np.random.default_rng(5)
    a, g = _cnormal(rng, (4, 3)), _cnormal(rng, (4, 3))
    x = Tensor(a, requires_grad=True)
    u, s, vh = la.svd(x, full_matrices=False)
    ((u * s[None, :]) @ vh * g.conj()).real.sum().backward()  # U and Vh's phases cancel
    np.testing.assert_allclose(x.grad, g, rtol=1e-10)  # the identity's gradient


def test_solve_triangular_trans_c_solves_with_the_conjugate_transpose():
    rng = np.random.default_rng(6)
    a, b = np.triu(_cnormal(rng, (3, 3))) + 3 * np.eye(3), _cnormal(rng, (3, 2))
    x = la.solve_triangular(a, b, trans="C")
    np.testing.assert_allclose(a.conj().T @ x.data, b, rtol=1e-12)
    np.testing.assert_allclose(x.data, la.solve_triangular(a, b, trans=2).data)
    assert gradcheck(
        lambda m, r: la.solve_triangular(m, r, trans="C"),
        [Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)],
    )


def test_complex_norms_of_a_zero_vector_have_torchs_zero_gradient():
    for ord_ in (2, 1, 3, np.inf):
        x = Tensor(np.zeros(3, dtype=complex), requires_grad=True)
        la.vector_norm(x, ord_).backward()
        t = torch.zeros(3, dtype=torch.complex128, requires_grad=True)
        torch.linalg.vector_norm(t, ord_).backward()
        np.testing.assert_array_equal(x.grad, t.grad.numpy())
        y = Tensor(np.zeros(3, dtype=complex), requires_grad=True)
        autobp.norm(y, ord_).backward()
        np.testing.assert_array_equal(y.grad, t.grad.numpy())


def test_complex_det_at_a_singular_matrix_has_torchs_cofactor_gradient():
    rng = np.random.default_rng(7)
    a = _cnormal(rng, (3, 2)) @ _cnormal(rng, (2, 3))  # rank 2
    x = Tensor(a, requires_grad=True)
    la.det(x).real.backward()
    t = torch.tensor(a, requires_grad=True)
    (g,) = torch.autograd.grad(torch.linalg.det(t).real, t, create_graph=True)  # torch's SVD path
    assert np.abs(g.detach().numpy()).max() > 0.1
    np.testing.assert_allclose(x.grad, g.detach().numpy(), atol=1e-12)


@pytest.mark.parametrize("hermitian", [False, True])
def test_repeated_eigenvalues_give_nan_vector_gradients_and_finite_value_gradients_as_torch(hermitian):
    a = np.diag([1.0, 1.0, 2.0]).astype(complex)
    ours_fn, torch_fn = (la.eigh, torch.linalg.eigh) if hermitian else (la.eig, torch.linalg.eig)
    x, t = Tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    with np.errstate(all="ignore"):
        abs(ours_fn(x)[1]).sum().backward()
    torch_fn(t)[1].abs().sum().backward()
    assert np.all(np.isnan(x.grad)) and np.all(np.isnan(t.grad.numpy()))
    x, t = Tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    (ours_fn(x)[0].real ** 2).sum().backward()
    (torch_fn(t)[0].real ** 2).sum().backward()
    np.testing.assert_allclose(x.grad, t.grad.numpy(), atol=1e-12)
    np.testing.assert_allclose(x.grad, np.diag([2.0, 2.0, 4.0]), atol=1e-12)
