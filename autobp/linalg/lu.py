"""PyTorch's LU family: lu_factor / lu_factor_ex (packed LU and LAPACK's 1-based pivots), lu (P, L, U)
and lu_solve, batched over leading axes. scipy's LAPACK getrf factorises; the gradient of the packed
factor is the known LU backward (square matrices here, wide and tall ones in lu_rect.py), and lu_solve
is two triangular solves, so its gradients (to LU and to B) come from solve_triangular's rule."""

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
from ._common import FAMILY, NS, LinalgArgumentError, check_matrix, float_dtype, lin, mH, mT, tril, triu

LUFactorResult = _rt.linalg_lu_factor  # the earlier name, kept
LUFactorExResult = _rt.linalg_lu_factor_ex  # the earlier name, kept
LUResult = _rt.linalg_lu  # the earlier name, kept


def getrf(a: np.ndarray) -> tuple:
    """LAPACK getrf on each matrix of a batch (..., m, n): packed LU, 1-based int32 pivots (...,
    min(m, n)) and int32 info (...; i > 0 when U[i-1, i-1] is exactly zero)."""
    m, n = a.shape[-2:]
    batch = a.shape[:-2]
    flat = a.reshape((int(np.prod(batch)), m, n))  # not -1: an empty matrix leaves it undetermined
    lu = np.empty_like(flat)
    piv = np.empty((flat.shape[0], min(m, n)), dtype=np.int32)
    info = np.zeros(flat.shape[0], dtype=np.int32)
    if flat.size:
        (fn,) = lapack.get_lapack_funcs(("getrf",), (flat,))
        for i, mat in enumerate(flat):
            lu[i], p, inf = fn(mat)
            piv[i] = p + 1  # scipy's pivots are 0-based; PyTorch keeps LAPACK's 1-based ones
            info[i] = max(int(inf), 0)
    return lu.reshape(a.shape), piv.reshape(batch + (min(m, n),)), info.reshape(batch)


def permutation(pivots: np.ndarray, m: int, dtype: Any) -> np.ndarray:
    """The matrices P (..., m, m) of A = P L U from LAPACK's 1-based row interchanges: row i was
    swapped with row pivots[i] - 1, in order, so P^T A = A[perm]."""
    batch = pivots.shape[:-1]
    flat = pivots.reshape((int(np.prod(batch)), pivots.shape[-1]))
    out = np.empty((flat.shape[0], m, m), dtype=dtype)
    for b, piv in enumerate(flat):
        perm = np.arange(m)
        for i, p in enumerate(piv):
            perm[[i, p - 1]] = perm[[p - 1, i]]
        out[b] = np.eye(m, dtype=dtype)[perm].T
    return out.reshape(batch + (m, m))


def _factor(A: Any, name: str, pivot: bool) -> tuple:
    a = as_tensor(A)
    check_matrix(a, name, square=False)
    if not pivot:
        raise NotImplementedError(f"{name}: LU without pivoting is not implemented (nor on PyTorch's CPU)")
    data = a._data.astype(float_dtype(a.dtype), copy=False)
    lu, piv, info = getrf(data)
    return Tensor._make(lu, (a,), "lu_factor", piv), piv, info


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
@takes_out("linalg.lu_factor")
def lu_factor(A: Any, *, pivot: bool = True) -> LUFactorResult:  # noqa: N803  PyTorch's name
    """(LU, pivots): L (unit lower, below the diagonal) and U packed in one matrix, and LAPACK's
    1-based int32 row interchanges, as torch.linalg.lu_factor (A = P L U). Differentiable, any m x n."""
    lu, piv, _ = _factor(A, "lu_factor", pivot)
    return LUFactorResult._make((lu, Tensor._const(piv)))


@op(family=FAMILY, namespace=NS, numpy=None, method=False, rules=("lu_factor",))
@takes_out("linalg.lu_factor_ex")
def lu_factor_ex(A: Any, *, pivot: bool = True, check_errors: bool = False) -> LUFactorExResult:  # noqa: N803
    """(LU, pivots, info) as lu_factor, with info (int32, batch shape) > 0 where U is singular."""
    lu, piv, info = _factor(A, "lu_factor_ex", pivot)
    if check_errors:
        raise_info(info, "lu_factor_ex", "U[{0}, {0}] is exactly zero: the matrix is singular")
    return LUFactorExResult._make((lu, Tensor._const(piv), Tensor._const(info)))


def raise_info(info: np.ndarray, name: str, message: str) -> None:
    """LinAlgError naming the first failed batch element (info > 0), as check_errors=True does, in
    PyTorch's words: "name: (Batch element i): message" (i the flat index; no prefix unbatched)."""
    info = np.asarray(info)
    bad = np.flatnonzero(info > 0)
    if len(bad):
        k = int(info.reshape(-1)[bad[0]])
        where = f"(Batch element {int(bad[0])}): " if info.ndim else ""
        raise np.linalg.LinAlgError(f"{name}: {where}" + message.format(k - 1, k))


@rule("lu_factor")  # A = P L U: gA = P L^-H (tril(L^H gL, -1) + triu(gU U^H)) U^-H (square A; real: ^T)
def _lu_factor(F, g, out, xs, ctx, need):
    m, n = out.shape[-2:]
    if m != n:
        from .lu_rect import lu_rect_backward

        return (lu_rect_backward(g, out, permutation(ctx, m, g.dtype)),)
    eye = np.eye(n, dtype=g.dtype)
    L = tril(out, -1) + eye
    U = triu(out)
    phi = tril(mH(L) @ tril(g, -1), -1) + triu(triu(g) @ mH(U))
    la = lin(g)
    x = la.solve_triangular(L, phi, 2, True, True)  # L^-H phi
    y = mH(la.solve_triangular(U, mH(x), 0, False))  # (U^-1 x^H)^H = x U^-H
    return (permutation(ctx, n, g.dtype) @ y,)


@op(family=FAMILY, namespace=NS, numpy=None, method=False, rules=("lu_factor",))
@takes_out("linalg.lu")
def lu(A: Any, *, pivot: bool = True) -> LUResult:  # noqa: N803
    """(P, L, U) with A = P L U: P a permutation matrix, L unit lower triangular (m, k), U upper
    (k, n), k = min(m, n), as torch.linalg.lu. Differentiable (square, wide and tall A)."""
    packed, piv, _ = _factor(A, "lu", pivot)
    m, n = packed.shape[-2:]
    k = min(m, n)
    L = tril(packed[..., :, :k], -1) + np.eye(m, k, dtype=packed.dtype)
    U = triu(packed[..., :k, :])
    return LUResult._make((Tensor._const(permutation(piv, m, packed.dtype)), L, U))


@op(family=FAMILY, namespace=NS, numpy=None, method=False, rules=("solve_triangular", "matmul"))
@takes_out("linalg.lu_solve")
def lu_solve(LU: Any, pivots: Any, B: Any, *, left: bool = True, adjoint: bool = False) -> Tensor:  # noqa: N803
    """X with A X = B (A^H X = B with ``adjoint``; X A = B with ``left=False``) for A = P L U given as
    lu_factor's (LU, pivots), as torch.linalg.lu_solve. Gradients to LU and B."""
    LU, B = as_tensor(LU), as_tensor(B)
    check_matrix(LU, "lu_solve")
    piv = np.asarray(pivots._data if isinstance(pivots, Tensor) else pivots)
    n = LU.shape[-1]
    if piv.shape[-1:] != (n,) or piv.dtype.kind not in "iu":
        raise LinalgArgumentError(
            f"lu_solve: pivots must be integers (..., {n}), got {piv.dtype} {piv.shape}"
        )
    if B.ndim < 2:
        raise LinalgArgumentError(f"lu_solve: B must be a matrix or a batch of matrices, got shape {B.shape}")
    if B.shape[-2 if left else -1] != n:
        side = "rows" if left else "columns"
        raise LinalgArgumentError(
            f"lu_solve: B of shape {B.shape} must have {n} {side} for LU of shape {LU.shape}"
        )
    if np.any(piv < 1) or np.any(piv > n):
        raise LinalgArgumentError(f"lu_solve: pivots must lie in 1..{n} (LAPACK's 1-based row numbers)")
    if not left:  # X A = B <=> A^T X^T = B^T;  X A^H = B <=> A X^H = B^H
        return mH(_solve_lu(LU, piv, mH(B), 0)) if adjoint else mT(_solve_lu(LU, piv, mT(B), 1))
    return _solve_lu(LU, piv, B, 2 if adjoint else 0)


def _solve_lu(LU: Tensor, piv: np.ndarray, B: Tensor, trans: int) -> Tensor:
    """X with op(A) X = B, A = P L U from the packed ``LU``; op by scipy's ``trans``: 0 none, 1 ^T, 2 ^H."""
    from .solve import solve_triangular

    P = permutation(piv, LU.shape[-1], np.result_type(LU.dtype, B.dtype))
    if trans:  # U^T L^T P^T X = B: X = P L^-T U^-T B (^H alike)
        y = solve_triangular(LU, B, trans=trans, lower=False)
        return P @ solve_triangular(LU, y, trans=trans, lower=True, unit_diagonal=True)
    y = solve_triangular(LU, mT(P) @ B, lower=True, unit_diagonal=True)  # L y = P^T B
    return solve_triangular(LU, y, lower=False)  # U x = y
