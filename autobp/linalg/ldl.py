"""PyTorch's LDL family: ldl_factor / ldl_factor_ex (LAPACK sytrf's compact LD and 1-based pivots,
negative for 2x2 blocks of D) and ldl_solve, batched over leading axes. scipy's LAPACK sytrf/hetrf
factorise and sytrs/hetrs solve. As in torch 2.x, none of them has a derivative: their results record
a node whose backward raises, naming the op, when a gradient is asked for."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.linalg import lapack

from .. import return_types as _rt
from .._torch_out import takes_out
from ..ops._args import as_tensor
from ..ops._decl import op
from ..rules import rule
from ..tensor import Tensor
from ._common import FAMILY, NS, LinalgArgumentError, check_matrix, float_dtype
from .lu import raise_info

LDLFactorResult = _rt.linalg_ldl_factor  # the earlier name, kept
LDLFactorExResult = _rt.linalg_ldl_factor_ex  # the earlier name, kept


def _routine(kind: str, a: np.ndarray, hermitian: bool) -> Any:
    """LAPACK's sy<kind> for real and complex-symmetric matrices, he<kind> for complex Hermitian ones."""
    family = "he" if hermitian and a.dtype.kind == "c" else "sy"
    return lapack.get_lapack_funcs((family + kind,), (a,))[0]


def sytrf(a: np.ndarray, hermitian: bool) -> tuple:
    """LAPACK sytrf (hetrf) with the lower triangle on each matrix of a batch (..., n, n): LD with its
    strict upper triangle zeroed, int32 pivots (..., n) and int32 info (...; i > 0 when D[i-1, i-1]
    is exactly zero)."""
    n = a.shape[-1]
    flat = a.reshape((int(np.prod(a.shape[:-2])), n, n))
    ld = np.zeros_like(flat)
    piv = np.tile(np.arange(1, n + 1, dtype=np.int32), (flat.shape[0], 1))
    info = np.zeros(flat.shape[0], dtype=np.int32)
    if flat.size:
        fn = _routine("trf", flat, hermitian)
        lwork = max(int(np.real(_routine("trf_lwork", flat, hermitian)(n, lower=1)[0])), 1)
        for i, mat in enumerate(flat):
            out, p, inf = fn(mat, lower=1, lwork=lwork)
            ld[i], piv[i], info[i] = np.tril(out), p, max(int(inf), 0)
    return ld.reshape(a.shape), piv.reshape(a.shape[:-1]), info.reshape(a.shape[:-2])


def _factor(A: Any, hermitian: bool, name: str) -> tuple:
    a = as_tensor(A)
    check_matrix(a, name)
    data = a._data.astype(float_dtype(a.dtype), copy=False)
    ld, piv, info = sytrf(data, hermitian)
    return Tensor._make(ld, (a,), "ldl_factor", name), piv, info


@op(family=FAMILY, namespace=NS, numpy=None, method=False, differentiable=False)
@takes_out("linalg.ldl_factor")
def ldl_factor(A: Any, *, hermitian: bool = False) -> LDLFactorResult:  # noqa: N803  PyTorch's name
    """(LD, pivots): the compact LDL^T (LDL^H with ``hermitian``) factorisation of a symmetric, possibly
    indefinite matrix, as torch.linalg.ldl_factor.

    LAPACK sytrf's format with the lower triangle: L (unit, below the diagonal) and the 1x1 / 2x2 blocks
    of D packed in LD, and 1-based int32 pivots, a negative pair marking a 2x2 block. Only A's lower
    triangle is read. A singular D raises LinAlgError (use ldl_factor_ex for info). No derivative,
    as in torch: a backward through LD raises."""
    ld, piv, info = _factor(A, hermitian, "ldl_factor")
    raise_info(info, "ldl_factor", "D[{0}, {0}] is exactly zero: the matrix is singular")
    return LDLFactorResult._make((ld, Tensor._const(piv)))


@op(family=FAMILY, namespace=NS, numpy=None, method=False, differentiable=False)
@takes_out("linalg.ldl_factor_ex")
def ldl_factor_ex(A: Any, *, hermitian: bool = False, check_errors: bool = False) -> LDLFactorExResult:  # noqa: N803
    """(LD, pivots, info) as ldl_factor (torch.linalg.ldl_factor_ex), with info (int32, batch shape)
    i > 0 where D[i-1, i-1] is exactly zero instead of an error; ``check_errors=True`` raises."""
    ld, piv, info = _factor(A, hermitian, "ldl_factor_ex")
    if check_errors:
        raise_info(info, "ldl_factor_ex", "D[{0}, {0}] is exactly zero: the matrix is singular")
    return LDLFactorExResult._make((ld, Tensor._const(piv), Tensor._const(info)))


def _check_pivots(piv: np.ndarray, n: int, ld_shape: tuple) -> None:
    if piv.dtype.kind not in "iu" or piv.shape != ld_shape[:-1]:
        raise LinalgArgumentError(
            f"ldl_solve: pivots must be integers of shape LD.shape[:-1] = {ld_shape[:-1]}, "
            f"got {piv.dtype} {piv.shape}"
        )
    if np.any(piv == 0) or np.any(np.abs(piv) > n):
        raise LinalgArgumentError(
            f"ldl_solve: pivots must lie in 1..{n} or -{n}..-1 (LAPACK's 1-based sytrf pivots)"
        )


@op(family=FAMILY, namespace=NS, numpy=None, method=False, differentiable=False)
@takes_out("linalg.ldl_solve")
def ldl_solve(LD: Any, pivots: Any, B: Any, *, hermitian: bool = False) -> Tensor:  # noqa: N803
    """X with A X = B for A given as ldl_factor's (LD, pivots), as torch.linalg.ldl_solve.

    ``hermitian`` must be the one given to ldl_factor. Batch dimensions broadcast; mixed dtypes are
    promoted (torch demands equal ones). No derivative, as in torch: a backward through X raises."""
    LD, B = as_tensor(LD), as_tensor(B)
    check_matrix(LD, "ldl_solve")
    piv = np.asarray(pivots._data if isinstance(pivots, Tensor) else pivots)
    n = LD.shape[-1]
    _check_pivots(piv, n, LD.shape)
    if B.ndim < 2:
        raise LinalgArgumentError(
            f"ldl_solve: B must be a matrix or a batch of matrices (..., n, k), got shape {B.shape}"
        )
    if B.shape[-2] != n:
        raise LinalgArgumentError(
            f"ldl_solve: B of shape {B.shape} must have {n} rows for LD of shape {LD.shape}"
        )
    try:
        batch = np.broadcast_shapes(LD.shape[:-2], B.shape[:-2])
    except ValueError:
        raise LinalgArgumentError(
            f"ldl_solve: the batch dimensions of LD {LD.shape} and B {B.shape} do not broadcast"
        ) from None
    dt = float_dtype(LD.dtype, B.dtype)
    m = int(np.prod(batch))
    ld = np.broadcast_to(LD._data.astype(dt, copy=False), batch + (n, n)).reshape((m, n, n))
    p = np.broadcast_to(piv.astype(np.int32, copy=False), batch + (n,)).reshape((m, n))
    k = B.shape[-1]
    b = np.broadcast_to(B._data.astype(dt, copy=False), batch + (n, k)).reshape((m, n, k))
    x = np.empty_like(b)
    if x.size:
        fn = _routine("trs", ld, hermitian)
        for i in range(ld.shape[0]):
            x[i], _ = fn(ld[i], p[i], b[i], lower=1)
    return Tensor._make(x.reshape(batch + (n, k)), (LD, B), "ldl_solve", "ldl_solve")


def _no_derivative(F, g, out, xs, ctx, need):
    raise NotImplementedError(
        f"the derivative for {ctx} is not implemented (nor in torch.linalg.{ctx}); "
        "detach its inputs, or use solve / cholesky, which have gradients"
    )


rule("ldl_factor")(_no_derivative)
rule("ldl_solve")(_no_derivative)
