"""Op-table cases for the scipy.linalg names of autobp/linalg/scipy_more.py (expm, expm_frechet,
block_diag, toeplitz, cho_factor, cho_solve, eigh_tridiagonal) against scipy (and torch where it has
the function), and numpy.linalg.vecdot's per-input axis for inputs of different ranks."""

import numpy as np
import scipy.linalg as sl

import autobp
import autobp.linalg as la

from ..optable import arrays_of, case, complexify, torch


def _spd(a, n):
    """a a^T + n I: symmetric positive definite, written for Tensors and arrays alike."""
    return a @ a.swapaxes(-1, -2) + n * np.eye(n, dtype=a.dtype)


def _triangle(c, lower):
    """The triangle of cho_factor's c that holds the factor (scipy leaves a's entries in the other)."""
    return autobp.tril(c) if lower else autobp.triu(c)


def _spd_t(a, n):
    """_spd for torch tensors."""
    return a @ a.transpose(-1, -2) + n * torch.eye(n, dtype=a.dtype)


# no numpy_fn: scipy's expm is another algorithm, equal to rounding only (an exact zero of the result
# comes out ~1e-16), which the table's 1e-12-relative numpy check cannot allow for; torch's
# matrix_exp is the table's oracle, scipy's is compared with a tolerance in test_jax_linalg_fixes.py
for _shape in [(2, 2), (3, 3), (2, 3, 3)]:
    case(
        "expm",
        lambda a: la.expm(a),
        arrays_of(_shape, lo=-1.0, hi=1.0),
        torch_fn=lambda a: torch.linalg.matrix_exp(a),
        id=f"expm-{_shape}",
    )
case(
    "expm",
    lambda a: la.expm(a),
    complexify(arrays_of((3, 3), lo=-1.0, hi=1.0)),
    torch_fn=lambda a: torch.linalg.matrix_exp(a),
    complex=True,
    id="expm-complex",
)
for _n in (1, 3):
    case(
        "expm_frechet",
        lambda a, e: la.expm_frechet(a, e, compute_expm=False),
        arrays_of((_n, _n), (_n, _n), lo=-1.0, hi=1.0),
        numpy_fn=lambda a, e: sl.expm_frechet(a, e, compute_expm=False),
        id=f"expm_frechet-{_n}",
    )
case(
    "expm_frechet",
    lambda a, e: la.expm_frechet(a, e)[0],
    arrays_of((2, 2), (2, 2), lo=-1.0, hi=1.0),
    numpy_fn=lambda a, e: sl.expm_frechet(a, e)[0],
    id="expm_frechet-expm",
)
case(
    "linalg_block_diag",
    lambda a, b, c: la.block_diag(a, b, c),
    arrays_of((2, 3), (), (3,)),
    torch_fn=lambda a, b, c: torch.block_diag(a, b, c),
    numpy_fn=lambda a, b, c: sl.block_diag(a, b, c),
)
for _c, _r in [((4,), (3,)), ((2, 3), (2,)), ((), (2,))]:
    case(
        "toeplitz",
        lambda c, r: la.toeplitz(c, r),
        arrays_of(_c, _r),
        numpy_fn=lambda c, r: sl.toeplitz(c, r),
        id=f"toeplitz-{_c}-{_r}",
    )
case(
    "toeplitz",
    lambda c: la.toeplitz(c),
    complexify(arrays_of((3,))),
    numpy_fn=lambda c: sl.toeplitz(c),
    complex=True,
    id="toeplitz-hermitian-complex",
)
for _lower in (False, True):
    case(
        "cho_factor",
        lambda a, lower=_lower: _triangle(la.cho_factor(_spd(a, 3), lower=lower)[0], lower),
        arrays_of((3, 3), lo=-1.0, hi=1.0),
        torch_fn=lambda a, lower=_lower: torch.linalg.cholesky(_spd_t(a, 3), upper=not lower),
        id=f"cho_factor-lower={_lower}",
    )
    case(
        "cho_solve",
        lambda a, b, lower=_lower: la.cho_solve(la.cho_factor(_spd(a, 3), lower=lower), b),
        arrays_of((3, 3), (3, 2), lo=-1.0, hi=1.0),
        torch_fn=lambda a, b: torch.linalg.solve(_spd_t(a, 3), b),
        numpy_fn=lambda a, b, lower=_lower: sl.cho_solve(sl.cho_factor(_spd(a, 3), lower=lower), b),
        id=f"cho_solve-lower={_lower}",
    )
case(
    "eigh_tridiagonal",
    lambda d, e: la.eigh_tridiagonal(d * 3 + np.arange(4.0, dtype=d.dtype) * 4, e, eigvals_only=True),
    arrays_of((4,), (3,), lo=-1.0, hi=1.0),
    numpy_fn=lambda d, e: sl.eigh_tridiagonal(d * 3 + np.arange(4.0) * 4, e, eigvals_only=True),
    id="eigh_tridiagonal-eigvals",
)
case(
    "linalg_vecdot",
    lambda a, b: la.vecdot(a, b, axis=0),
    complexify(arrays_of((3, 2, 4), (3, 4))),
    numpy_fn=lambda a, b: np.linalg.vecdot(a, b, axis=0),
    complex=True,
    id="linalg_vecdot-numpy-axis0-ranks",
)
