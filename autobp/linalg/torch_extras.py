"""PyTorch's torch.linalg functions with no numpy name: cholesky_ex, inv_ex and solve_ex (the result
and an int32 ``info``, 0 where it succeeded, instead of an error), vander (increasing powers, unlike
numpy.vander) and householder_product. Compositions of autobp's differentiable ops."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.linalg import lapack

from .. import return_types as _rt
from .._autocast import autocasts
from .._torch_out import takes_out
from ..ops import where
from ..ops._args import as_tensor
from ..ops._decl import op
from ..tensor import Tensor
from ._common import FAMILY, NS, LinalgArgumentError, check_matrix, conj, float_dtype, mT
from .decomp import cholesky
from .lu import getrf, raise_info
from .solve import inv, solve

CHOLESKY_FAILED = (  # PyTorch's words
    "The factorization could not be completed because the input is not positive-definite "
    "(the leading minor of order {1} is not positive-definite)."
)
INV_FAILED = (
    "The diagonal element {1} is zero, the inversion could not be completed because the input matrix "
    "is singular."
)
CholeskyExResult = _rt.linalg_cholesky_ex  # the earlier name, kept
InvExResult = _rt.linalg_inv_ex  # the earlier name, kept
SolveExResult = _rt.linalg_solve_ex  # the earlier name, kept


def _potrf_info(a: np.ndarray, upper: bool) -> tuple:
    """LAPACK potrf on each matrix: the (partial, where it failed) factors and int32 info, the order
    of the leading minor that is not positive definite (0: success)."""
    n = a.shape[-1]
    flat = a.reshape((int(np.prod(a.shape[:-2])), n, n))  # not -1: undetermined for n = 0
    fac = np.zeros_like(flat)
    info = np.zeros(flat.shape[0], dtype=np.int32)
    if flat.size:
        (fn,) = lapack.get_lapack_funcs(("potrf",), (flat,))
        for i, mat in enumerate(flat):
            c, inf = fn(mat, lower=not upper, clean=True)
            fac[i], info[i] = c, max(int(inf), 0)
    return fac.reshape(a.shape), info.reshape(a.shape[:-2])


def _select(ok: np.ndarray, good: Tensor, bad: np.ndarray) -> Tensor:
    """``good`` where the batch element succeeded, the constant ``bad`` elsewhere."""
    if ok.all():
        return good
    return where(ok[..., None, None], good, bad)


def _safe(a: Tensor, ok: np.ndarray) -> Tensor:
    """``a`` with its failed matrices replaced by the identity (so the differentiable op runs)."""
    if ok.all():
        return a
    return where(ok[..., None, None], a, np.eye(a.shape[-1], dtype=a.dtype))


@op(family=FAMILY, namespace=NS, numpy=None, method=False, rules=("cholesky", "where"))
@takes_out("linalg.cholesky_ex")
@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def cholesky_ex(A: Any, *, upper: bool = False, check_errors: bool = False) -> CholeskyExResult:  # noqa: N803
    """(L, info) as torch.linalg.cholesky_ex: info (int32, batch shape) is 0 where the Cholesky factor
    exists, else the order of the first leading minor that is not positive definite (where L holds
    LAPACK's partial factor, with no gradient). ``check_errors=True`` raises instead."""
    a = as_tensor(A)
    check_matrix(a, "cholesky_ex")
    a = a if a.dtype == float_dtype(a.dtype) else a.astype(float_dtype(a.dtype))
    partial, info = _potrf_info(a._data, upper)
    if check_errors:
        raise_info(info, "cholesky_ex", CHOLESKY_FAILED)
    ok = info == 0
    return CholeskyExResult._make(
        (_select(ok, cholesky(_safe(a, ok), upper=upper), partial), Tensor._const(info))
    )


@op(family=FAMILY, namespace=NS, numpy=None, method=False, rules=("inv", "where"))
@takes_out("linalg.inv_ex")
def inv_ex(A: Any, *, check_errors: bool = False) -> InvExResult:  # noqa: N803
    """(inverse, info) as torch.linalg.inv_ex: info (int32, batch shape) is i > 0 where LU's U[i-1, i-1]
    is exactly zero (singular; the inverse is nan there), 0 elsewhere. ``check_errors=True`` raises."""
    a = as_tensor(A)
    check_matrix(a, "inv_ex")
    info = getrf(a._data.astype(float_dtype(a.dtype), copy=False))[2]
    if check_errors:
        raise_info(info, "inv_ex", INV_FAILED)
    ok = info == 0
    return InvExResult._make((_select(ok, inv(_safe(a, ok)), np.nan), Tensor._const(info)))


@op(family=FAMILY, namespace=NS, numpy=None, method=False, rules=("solve", "where"))
@takes_out("linalg.solve_ex")
def solve_ex(A: Any, B: Any, *, left: bool = True, check_errors: bool = False) -> SolveExResult:  # noqa: N803
    """(result, info) as torch.linalg.solve_ex: X with A X = B (X A = B with ``left=False``), info as
    inv_ex's (the result is nan where A is singular). B is a batch of vectors when its shape is A's
    minus the last axis (PyTorch's rule), else a batch of matrices."""
    a, b = as_tensor(A), as_tensor(B)
    check_matrix(a, "solve_ex")
    info = getrf(a._data.astype(float_dtype(a.dtype), copy=False))[2]
    if check_errors:
        raise_info(
            info,
            "solve_ex",
            "The solver failed because the input matrix is singular (the diagonal element {1} is zero).",
        )
    ok = info == 0
    vector = b.ndim == 1 or (b.ndim == a.ndim - 1 and b.shape == a.shape[:-1])
    if vector:
        b = b[..., None]
    if b.ndim < 2 or b.shape[-2 if left else -1] != a.shape[-1]:
        raise LinalgArgumentError(f"solve_ex: A of shape {a.shape} and B of shape {B.shape} do not align")
    safe = _safe(a, ok)
    try:
        x = solve(safe, b) if left else mT(solve(mT(safe), mT(b)))
    except ValueError:
        raise LinalgArgumentError(
            f"solve_ex: batch shapes of A {a.shape} and B {B.shape} do not broadcast"
        ) from None
    okb = np.broadcast_to(ok, x.shape[:-2])
    x = _select(okb, x, np.nan)
    return SolveExResult._make((x[..., 0] if vector else x, Tensor._const(info)))


@op(name="linalg_vander", family=FAMILY, namespace=NS, numpy=None, method=False, rules=("multiply", "stack"))
def vander(x: Any, *, N: int | None = None) -> Tensor:  # noqa: N803  PyTorch's name
    """The Vandermonde matrices [1, x, x^2, ..., x^(N-1)] of the last axis of ``x`` (..., n) ->
    (..., n, N), N = n by default: increasing powers, as torch.linalg.vander (numpy.vander's columns
    are the other way round). Products, not powers, so the gradient at x = 0 is exact."""
    from ..ops import ones_like, stack

    x = as_tensor(x)
    if x.ndim == 0:  # a 0-d x is read as one point, (1,) -> (1, N), as torch.linalg.vander
        x = x.reshape((1,))
    N = x.shape[-1] if N is None else N  # noqa: N806
    if not isinstance(N, (int, np.integer)) or N < 2:  # PyTorch's rule, even for a 1-element x
        raise LinalgArgumentError(
            f"vander: N must be an integer greater than 1, got {N!r} (x of shape {x.shape})"
        )
    cols, p = [ones_like(x)], x
    for _ in range(1, int(N)):
        cols.append(p)
        p = p * x
    return stack(cols, axis=-1)


@op(family=FAMILY, namespace=NS, numpy=None, method=False, rules=("matmul", "multiply", "subtract"))
@takes_out("linalg.householder_product")
def householder_product(A: Any, tau: Any) -> Tensor:  # noqa: N803
    """The first n columns of H_1 H_2 ... H_k, H_i = I - tau_i v_i v_i^H, v_i having 1 at row i, 0 above
    and A's column i below the diagonal (A: (..., m, n), m >= n; tau: (..., k), k <= n), as
    torch.linalg.householder_product (LAPACK's orgqr). Differentiable in A and tau."""
    a, tau = as_tensor(A), as_tensor(tau)
    check_matrix(a, "householder_product", square=False)
    m, n = a.shape[-2:]
    k = tau.shape[-1] if tau.ndim else -1
    if n > m or tau.ndim < 1 or k > n or tau.shape[:-1] != a.shape[:-2]:
        raise LinalgArgumentError(
            f"householder_product: expected A (..., m, n) with m >= n and tau (..., k) with k <= n and "
            f"the same batch shape, got A {a.shape} and tau {tau.shape}"
        )
    single = a.dtype in (np.float32, np.complex64)  # complex64 stays complex64
    dt = np.result_type(a.dtype, tau.dtype, np.float32 if single else np.float64)
    rows = np.arange(m)
    q = Tensor._const(np.broadcast_to(np.eye(m, dtype=dt), a.shape[:-2] + (m, m)).copy())
    for i in range(k):
        v = a[..., :, i] * (rows > i).astype(dt) + (rows == i).astype(dt)  # (..., m)
        qv = (q @ v[..., None])[..., 0]
        q = q - (tau[..., i, None, None] * qv[..., :, None]) * conj(v)[..., None, :]
    return q[..., :, :n]
