"""torch.linalg's keywords on autobp.linalg's numpy-named functions: matrix_rank(atol=, rtol=) with
singular values on both sides of the tolerance (torch as the oracle)."""

import numpy as np
import pytest

import autobp.linalg as la
from autobp import tensor as la_tensor

torch = pytest.importorskip("torch")


def _with_singular_values(s, seed):
    rng = np.random.default_rng(seed)
    u, _ = np.linalg.qr(rng.standard_normal((4, 4)))
    v, _ = np.linalg.qr(rng.standard_normal((3, 3)))
    return u[:, :3] @ np.diag(s) @ v.T


A = np.stack([_with_singular_values([3.0, 1.0, 0.2], 0), _with_singular_values([2.0, 0.6, 0.05], 1)])


@pytest.mark.parametrize(
    "kw",
    [
        {"atol": 0.5},
        {"atol": 0.1},
        {"atol": 0.1, "rtol": 0.32},
        {"atol": 0.0, "rtol": 0.32},
        {"rtol": 0.32},
        {"atol": 0.5, "hermitian": False},
    ],
    ids=str,
)
def test_matrix_rank_tolerances_match_torch(kw):
    want = torch.linalg.matrix_rank(torch.tensor(A), **kw).numpy()
    got = la.matrix_rank(A, **kw)
    assert np.asarray(got).dtype == np.int64
    np.testing.assert_array_equal(np.asarray(got), want)
    assert want.tolist() != [3, 3]  # the tolerance matters here


def test_matrix_rank_hermitian_atol_matches_torch():
    h = A[0].T @ A[0]  # eigenvalues 9, 1, 0.04
    for atol in (0.5, 0.01, 2.0):
        want = torch.linalg.matrix_rank(torch.tensor(h), atol=atol, hermitian=True).item()
        assert int(la.matrix_rank(h, atol=atol, hermitian=True)) == want


def test_solve_with_a_batch_of_vectors_says_how_numpy_reads_it():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(2, 3, 3)) + 3 * np.eye(3)
    b = rng.normal(size=(2, 3))  # torch.linalg.solve: a batch of vectors; numpy 2: refused
    with pytest.raises(ValueError, match=r"\(2, 3, 3\).*\(2, 3\).*b\[\.\.\., None\]"):
        la.solve(la_tensor(a), la_tensor(b))
    x = la.solve(la_tensor(a), la_tensor(b)[..., None])[..., 0]  # as the message says
    np.testing.assert_allclose(x.data, torch.linalg.solve(torch.tensor(a), torch.tensor(b)).numpy())
