"""Differentiable numpy.linalg (and scipy.linalg's solve_triangular, expm and more), batched over
leading axes like numpy: ``autobp.linalg.inv(t)``, or ``np.linalg.inv(t)`` on a Tensor. Of arrays
alone they return numpy's results (``autobp.linalg.det(np.eye(2))`` is a numpy float64)."""

from __future__ import annotations

from numpy.linalg import LinAlgError  # what numpy (and so autobp) raises for singular matrices

from .array_api import (  # numpy.linalg's array-API names and cond, multi_dot, tensorinv, ...
    cond,
    cross,
    diagonal,
    matmul,
    matrix_rank,
    matrix_transpose,
    multi_dot,
    outer,
    tensordot,
    tensorinv,
    tensorsolve,
    trace,
    vecdot,
)
from .decomp import QRResult, cholesky, qr
from .det import SlogdetResult, det, slogdet
from .eigen import EighResult, EigResult, eig, eigh, eigvals, eigvalsh
from .expm import matrix_exp
from .ldl import LDLFactorExResult, LDLFactorResult, ldl_factor, ldl_factor_ex, ldl_solve
from .lu import LUFactorExResult, LUFactorResult, LUResult, lu, lu_factor, lu_factor_ex, lu_solve
from .norms_powers import matrix_norm, matrix_power, norm, vector_norm
from .scipy_linalg import solve_banded, solve_sylvester, sqrtm  # noqa: F401  scipy.linalg's names
from .scipy_more import (  # noqa: E402  after .expm: the function expm replaces the submodule's name
    block_diag,
    cho_factor,
    cho_solve,
    eigh_tridiagonal,
    expm,
    expm_frechet,
    toeplitz,
)
from .solve import inv, lstsq, pinv, solve, solve_triangular
from .svd import SVDResult, svd, svdvals
from .torch_extras import cholesky_ex, householder_product, inv_ex, solve_ex, vander

__all__ = [
    "inv",
    "solve",
    "lstsq",
    "det",
    "slogdet",
    "cholesky",
    "eigh",
    "eigvalsh",
    "eig",
    "eigvals",
    "svd",
    "svdvals",
    "qr",
    "pinv",
    "norm",
    "matrix_norm",
    "vector_norm",
    "matrix_power",
    "matrix_exp",
    "solve_triangular",
    "EighResult",
    "EigResult",
    "SVDResult",
    "QRResult",
    "SlogdetResult",
    "LinAlgError",
    "lu",
    "lu_factor",
    "lu_factor_ex",
    "lu_solve",
    "LUResult",
    "LUFactorResult",
    "LUFactorExResult",
    "cholesky_ex",
    "inv_ex",
    "solve_ex",
    "vander",
    "householder_product",
]
__all__ += ["cond", "cross", "diagonal", "matmul", "matrix_rank", "matrix_transpose", "multi_dot", "outer"]
__all__ += ["tensordot", "tensorinv", "tensorsolve", "trace", "vecdot"]
__all__ += ["ldl_factor", "ldl_factor_ex", "ldl_solve", "LDLFactorResult", "LDLFactorExResult"]
__all__ += ["expm", "expm_frechet", "block_diag", "toeplitz", "cho_factor", "cho_solve"]
__all__ += ["eigh_tridiagonal"]
