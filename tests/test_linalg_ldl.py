"""torch.linalg's ldl_factor, ldl_factor_ex and ldl_solve: LD, pivots (2x2 blocks, negative) and info
against torch on real, complex-symmetric and Hermitian matrices, the solution against A X = B, errors
for bad input, and the refused derivative (torch has none)."""

import numpy as np
import pytest

import autobp as ab
import autobp.linalg as la

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(3)


def _sym(shape, dtype=np.float64):
    a = RNG.standard_normal(shape)
    if np.dtype(dtype).kind == "c":
        a = a + 1j * RNG.standard_normal(shape)
    return (a + a.swapaxes(-1, -2)).astype(dtype)


INDEFINITE = np.array([[0.0, 1, 2, 1], [1, 0, 3, 0], [2, 3, 0, 1], [1, 0, 1, 0]])  # a zero diagonal


def _torch_factor(a, hermitian=False):
    LD, piv = torch.linalg.ldl_factor(torch.tensor(a), hermitian=hermitian)
    return LD.numpy(), piv.numpy()


@pytest.mark.parametrize(
    "a",
    [INDEFINITE, _sym((5, 5)), _sym((2, 3, 4, 4)), _sym((3, 3), np.float32), np.diag([2.0, -1.0, 3.0])],
    ids=["zero-diagonal", "5x5", "batched", "float32", "diagonal"],
)
def test_factor_matches_torch(a):
    LD, piv = la.ldl_factor(ab.tensor(a))
    tLD, tpiv = _torch_factor(a)
    assert LD.dtype == a.dtype and piv.dtype == np.int32 and piv.shape == a.shape[:-1]
    np.testing.assert_array_equal(piv.numpy(), tpiv)
    np.testing.assert_allclose(LD.numpy(), tLD, rtol=1e-5 if a.dtype == np.float32 else 1e-12, atol=1e-6)


def test_two_by_two_blocks_are_negative_pivot_pairs():
    _, piv = la.ldl_factor(ab.tensor(INDEFINITE))
    _, tpiv = _torch_factor(INDEFINITE)
    assert (tpiv < 0).sum() == 2  # the case exercises a 2x2 block
    np.testing.assert_array_equal(piv.numpy(), tpiv)


def _ld_from_compact(ld, piv):
    """A rebuilt from sytrf's lower compact form (LAPACK's documented format), for a real A."""
    n = len(piv)
    A_inv_perm = np.eye(n)
    D = np.zeros((n, n))
    k = 0
    factors = []
    while k < n:
        if piv[k] > 0:
            D[k, k] = ld[k, k]
            Lk = np.eye(n)
            Lk[k + 1 :, k] = ld[k + 1 :, k]
            factors.append((piv[k] - 1, k, Lk))
            k += 1
        else:
            D[k : k + 2, k : k + 2] = [[ld[k, k], ld[k + 1, k]], [ld[k + 1, k], ld[k + 1, k + 1]]]
            Lk = np.eye(n)
            Lk[k + 2 :, k : k + 2] = ld[k + 2 :, k : k + 2]
            factors.append((-piv[k] - 1, k + 1, Lk))
            k += 2
    M = A_inv_perm
    for p, swap_row, Lk in factors:  # L = P(1) L(1) P(2) L(2) ...
        P = np.eye(n)
        P[[swap_row, p]] = P[[p, swap_row]]
        M = M @ P @ Lk
    return M @ D @ M.T


def test_compact_form_reconstructs_the_matrix():
    ld, piv = la.ldl_factor(ab.tensor(INDEFINITE))
    np.testing.assert_allclose(_ld_from_compact(ld.numpy(), piv.numpy()), INDEFINITE, atol=1e-12)


def test_only_the_lower_triangle_is_read():
    a = INDEFINITE.copy()
    a[0, 3] = 100.0
    np.testing.assert_array_equal(la.ldl_factor(a).LD, la.ldl_factor(INDEFINITE).LD)
    np.testing.assert_array_equal(la.ldl_factor(a).LD, _torch_factor(a)[0])


@pytest.mark.parametrize("hermitian", [False, True])
def test_complex_symmetric_and_hermitian(hermitian):
    z = RNG.standard_normal((2, 4, 4)) + 1j * RNG.standard_normal((2, 4, 4))
    a = z + (np.conj(z.swapaxes(-1, -2)) if hermitian else z.swapaxes(-1, -2))
    LD, piv = la.ldl_factor(ab.tensor(a), hermitian=hermitian)
    tLD, tpiv = _torch_factor(a, hermitian)
    np.testing.assert_array_equal(piv.numpy(), tpiv)
    np.testing.assert_allclose(LD.numpy(), tLD, atol=1e-12)
    b = RNG.standard_normal((2, 4, 3)) + 1j * RNG.standard_normal((2, 4, 3))
    x = la.ldl_solve(LD, piv, ab.tensor(b), hermitian=hermitian)
    tx = torch.linalg.ldl_solve(torch.tensor(tLD), torch.tensor(tpiv), torch.tensor(b), hermitian=hermitian)
    np.testing.assert_allclose(x.numpy(), tx.numpy(), atol=1e-11)
    np.testing.assert_allclose(a @ x.numpy(), b, atol=1e-10)


def test_solve_matches_torch_and_the_system():
    a = _sym((3, 5, 5))
    b = RNG.standard_normal((3, 5, 2))
    LD, piv = la.ldl_factor(a)
    x = la.ldl_solve(LD, piv, b)
    tx = torch.linalg.ldl_solve(*torch.linalg.ldl_factor(torch.tensor(a)), torch.tensor(b))
    np.testing.assert_allclose(x, tx.numpy(), atol=1e-11)
    np.testing.assert_allclose(a @ x, b, atol=1e-10)


def test_solve_broadcasts_b_over_the_batch():
    a = _sym((2, 1, 3, 3))
    b = RNG.standard_normal((1, 3, 2))
    LD, piv = la.ldl_factor(a)
    x = la.ldl_solve(LD, piv, b)
    tx = torch.linalg.ldl_solve(*torch.linalg.ldl_factor(torch.tensor(a)), torch.tensor(b))
    assert x.shape == tuple(tx.shape) == (2, 1, 3, 2)
    np.testing.assert_allclose(x, tx.numpy(), atol=1e-11)


def test_factor_ex_info_and_singular_errors():
    a = np.stack([np.zeros((3, 3)), _sym((3, 3))])
    LD, piv, info = la.ldl_factor_ex(a)
    tLD, tpiv, tinfo = torch.linalg.ldl_factor_ex(torch.tensor(a))
    np.testing.assert_array_equal(info, tinfo.numpy())
    np.testing.assert_array_equal(piv, tpiv.numpy())
    np.testing.assert_allclose(LD, tLD.numpy(), atol=1e-12)
    assert info.dtype == np.int32 and info[0] == 1 and info[1] == 0
    with pytest.raises(RuntimeError):  # torch: an (internal) error for a singular D
        torch.linalg.ldl_factor(torch.tensor(a))
    with pytest.raises(np.linalg.LinAlgError, match=r"ldl_factor: \(Batch element 0\): D\[0, 0\]"):
        la.ldl_factor(a)
    with pytest.raises(np.linalg.LinAlgError, match="ldl_factor_ex"):
        la.ldl_factor_ex(a, check_errors=True)


def test_empty_matrices_like_torch():
    LD, piv = la.ldl_factor(np.zeros((2, 0, 0)))
    tLD, tpiv = torch.linalg.ldl_factor(torch.zeros(2, 0, 0, dtype=torch.float64))
    assert LD.shape == tuple(tLD.shape) and piv.shape == tuple(tpiv.shape)


@pytest.mark.parametrize(
    "call,tcall",
    [
        (lambda: la.ldl_factor(np.ones((3, 4))), lambda: torch.linalg.ldl_factor(torch.ones(3, 4))),
        (lambda: la.ldl_factor(np.ones(3)), lambda: torch.linalg.ldl_factor(torch.ones(3))),
        (
            lambda: la.ldl_solve(np.eye(3), np.array([1, 2]), np.ones((3, 1))),
            lambda: torch.linalg.ldl_solve(
                torch.eye(3), torch.tensor([1, 2], dtype=torch.int32), torch.ones(3, 1)
            ),
        ),
        (
            lambda: la.ldl_solve(np.eye(3), np.array([1, 2, 3]), np.ones((4, 1))),
            lambda: torch.linalg.ldl_solve(
                torch.eye(3), torch.tensor([1, 2, 3], dtype=torch.int32), torch.ones(4, 1)
            ),
        ),
        (
            lambda: la.ldl_solve(np.eye(3), np.array([1, 2, 3]), np.ones(3)),
            lambda: torch.linalg.ldl_solve(
                torch.eye(3), torch.tensor([1, 2, 3], dtype=torch.int32), torch.ones(3)
            ),
        ),
    ],
    ids=["not-square", "vector", "pivots-shape", "rows", "b-vector"],
)
def test_bad_shapes_raise_like_torch(call, tcall):
    with pytest.raises((RuntimeError, IndexError)):
        tcall()
    with pytest.raises(ValueError, match="ldl_"):
        call()


def test_bad_pivot_values_are_refused():
    with pytest.raises(ValueError, match="pivots must lie in 1..3"):
        la.ldl_solve(np.eye(3), np.array([0, 2, 3]), np.ones((3, 1)))
    with pytest.raises(ValueError, match="pivots must be integers"):
        la.ldl_solve(np.eye(3), np.array([1.0, 2, 3]), np.ones((3, 1)))


def test_no_derivative_as_in_torch():
    a = _sym((3, 3))
    ta = torch.tensor(a, requires_grad=True)
    with pytest.raises(RuntimeError, match="derivative for .*ldl_factor"):
        torch.linalg.ldl_factor(ta).LD.sum().backward()
    t = ab.tensor(a, requires_grad=True)
    LD, piv = la.ldl_factor(t)
    assert LD.requires_grad
    with pytest.raises(NotImplementedError, match="derivative for ldl_factor"):
        LD.sum().backward()
    b = ab.tensor(np.ones((3, 1)), requires_grad=True)
    tb = torch.ones(3, 1, dtype=torch.float64, requires_grad=True)
    with pytest.raises(RuntimeError, match="derivative for .*ldl_solve"):
        torch.linalg.ldl_solve(*torch.linalg.ldl_factor(torch.tensor(a)), tb).sum().backward()
    with pytest.raises(NotImplementedError, match="derivative for ldl_solve"):
        la.ldl_solve(LD.detach(), piv, b).sum().backward()
