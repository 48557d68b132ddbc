"""Linear systems: inv, solve, solve_triangular (scipy's signature), pinv and lstsq, batched over
leading axes like numpy, each with a rule written in differentiable ops (second order works)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._autocast import autocasts
from .._torch_out import takes_out
from ..ops._args import as_tensor
from ..ops._decl import op
from ..rules import holomorphic, rule
from ..tensor import Tensor
from ._common import (
    FAMILY,
    NS,
    LinalgArgumentError,
    LinAlgShapeError,
    check_matrix,
    conj,
    data_of,
    float_dtype,
    lin,
    mH,
    mT,
    solve_triangular_arrays,
    tril,
    triu,
)


@op(family=FAMILY, namespace=NS, numpy=(np.linalg.inv,), method=False)
@takes_out("linalg.inv")
@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def inv(a: Any) -> Tensor:
    """Inverse of each square matrix of ``a`` (..., n, n); raises LinAlgError when one is singular."""
    a = as_tensor(a)
    check_matrix(a, "inv", complex_ok=True)
    try:
        data = np.linalg.inv(a._data)
    except np.linalg.LinAlgError:  # name the first singular matrix, as PyTorch does
        from .lu import getrf, raise_info
        from .torch_extras import INV_FAILED

        raise_info(getrf(a._data.astype(float_dtype(a.dtype), copy=False))[2], "linalg.inv", INV_FAILED)
        raise
    return Tensor._make(data, (a,), "inv")


@rule("inv")  # d(A^-1) = -A^-1 dA A^-1, so gA = -A^-T g A^-T (complex: -A^-H g A^-H)
@holomorphic
def _inv(F, g, out, xs, ctx, need):
    t = mT(out)
    return (-(t @ g @ t),)


@op(family=FAMILY, namespace=NS, numpy=(np.linalg.solve,), method=False, rules=("solve", "getitem"))
@takes_out("linalg.solve")
@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def solve(a: Any, b: Any, *, left: bool = True) -> Tensor:
    """x with a @ x = b; ``b`` is a vector (M,) only when it is 1-D, else (..., M, K) (numpy 2).
    ``left=False`` (PyTorch's) solves x @ a = b instead, for a matrix b (..., K, M)."""
    a, b = as_tensor(a), as_tensor(b)
    check_matrix(a, "solve", complex_ok=True)
    if not left:
        if b.ndim < 2:
            raise LinalgArgumentError(
                f"solve: left=False needs a matrix b (..., K, M), got shape {b.shape} "
                "(Vector case when left = False is not allowed)"
            )
        return mT(solve(mT(a), mT(b)))
    if (
        b.ndim == 0
        or (b.ndim == 1 and b.shape[0] != a.shape[-1])
        or (b.ndim > 1 and b.shape[-2] != a.shape[-1])
    ):
        hint = ""
        if b.ndim > 1 and b.shape == a.shape[:-1]:  # torch.linalg.solve reads this b as a batch of vectors
            hint = "; b is read as numpy 2 reads it (matrices): solve(a, b[..., None])[..., 0] for vectors"
        raise LinalgArgumentError(f"solve: a of shape {a.shape} and b of shape {b.shape} do not align{hint}")
    if b.ndim == 1:
        return _solve(a, b[:, None])[..., 0]
    return _solve(a, b)


def _solve(a: Tensor, b: Tensor) -> Tensor:
    try:
        data = np.linalg.solve(a._data, b._data)
    except ValueError:
        raise LinalgArgumentError(
            f"solve: batch shapes of a {a.shape} and b {b.shape} do not broadcast"
        ) from None
    return Tensor._make(data, (a, b), "solve")


@rule("solve")  # x = A^-1 b: gb = A^-T g, gA = -gb x^T (complex: A^-H g and -gb x^H)
@holomorphic
def _solve_rule(F, g, out, xs, ctx, need):
    gb = lin(g).solve(mT(xs[0]), g)
    return (-(gb @ mT(out)) if need[0] else None), gb


_SCIPY_FLAGS = ("overwrite_b", "check_finite", "debug")


@op(family=FAMILY, namespace=NS, numpy=None, method=False, rules=("solve_triangular", "getitem"))
@takes_out("linalg.solve_triangular")
def solve_triangular(
    a: Any,
    b: Any,
    trans: Any = 0,
    lower: bool = False,
    unit_diagonal: bool = False,
    *,
    upper: bool | None = None,
    left: bool = True,
    unitriangular: bool | None = None,
    **scipy_flags: Any,
) -> Tensor:
    """x with op(a) @ x = b for triangular ``a`` (scipy.linalg's signature, or PyTorch's keywords).

    ``trans``: 0/'N' solves a x = b, 1/'T' a^T x = b, 2/'C' a^H x = b. Only the triangle named by ``lower``
    is read (and not its diagonal with ``unit_diagonal``), so a's gradient lies in that triangle,
    as PyTorch's. ``b`` is a vector (M,) when it is 1-D, else (..., M, K) (as numpy 2's solve). scipy's
    ``overwrite_b``/``check_finite``/``debug`` flags are accepted and ignored.

    torch.linalg.solve_triangular's keywords select PyTorch's form: ``upper=`` (required there; the
    triangle read), ``unitriangular=`` (the diagonal taken as ones) and ``left=False`` (solve
    x @ a = b); ``b`` is then a matrix (..., M, K), as PyTorch requires.
    """
    unknown = sorted(set(scipy_flags) - set(_SCIPY_FLAGS))
    if unknown:
        raise TypeError(f"solve_triangular: unexpected keyword arguments {unknown}")
    if upper is not None or unitriangular is not None or left is not True:
        return _torch_solve_triangular(a, b, upper, left, unitriangular)
    a, b = as_tensor(a), as_tensor(b)
    check_matrix(a, "solve_triangular")
    t = {0: 0, 1: 1, 2: 2, "N": 0, "T": 1, "C": 2}.get(trans)
    if t is None:
        raise LinalgArgumentError(f"solve_triangular: trans must be 0, 1, 2, 'N', 'T' or 'C', got {trans!r}")
    if t == 2:  # a^H x = b: the transpose of conj(a), so the rule only meets holomorphic cases
        a, t = conj(a), 1
    vector = b.ndim == 1
    rows = b.shape[0] if vector else (b.shape[-2] if b.ndim >= 2 else None)
    if rows != a.shape[-1]:
        raise LinalgArgumentError(
            f"solve_triangular: a of shape {a.shape} and b of shape {b.shape} do not align"
        )
    flags = (t, bool(lower), bool(unit_diagonal))
    if vector:
        return _solve_tri(a, b[..., None], flags)[..., 0]
    return _solve_tri(a, b, flags)


def _torch_solve_triangular(a: Any, b: Any, upper: Any, left: bool, unitriangular: Any) -> Tensor:
    """torch.linalg.solve_triangular(a, b, upper=, left=, unitriangular=) on the scipy form."""
    if upper is None:
        raise TypeError("solve_triangular: PyTorch's form (left=, unitriangular=) needs upper= as well")
    a, b = as_tensor(a), as_tensor(b)
    check_matrix(a, "solve_triangular")
    if b.ndim < 2:
        raise LinalgArgumentError(
            f"solve_triangular: b must be a matrix (..., M, K) with upper=, got shape {b.shape}"
        )
    unit = bool(unitriangular)
    if left:
        return solve_triangular(a, b, 0, not upper, unit)
    # x a = b  <=>  a^T x^T = b^T
    return mT(solve_triangular(a, mT(b), 1, not upper, unit))


def _solve_tri(a: Tensor, b: Tensor, flags: tuple) -> Tensor:
    try:
        data = solve_triangular_arrays(a._data, b._data, *flags)
    except np.linalg.LinAlgError as e:
        raise np.linalg.LinAlgError(f"solve_triangular: {e} (a of shape {a.shape})") from None
    except ValueError:
        raise LinalgArgumentError(
            f"solve_triangular: batch shapes of a {a.shape} and b {b.shape} do not broadcast"
        ) from None
    return Tensor._make(data, (a, b), "solve_triangular", flags)


@rule("solve_triangular")  # ctx = (trans, lower, unit_diagonal); op(T) x = b (complex: op(T)^-H g)
@holomorphic
def _solve_tri_rule(F, g, out, xs, ctx, need):
    trans, lower, unit = ctx
    gb = lin(g).solve_triangular(xs[0], g, 1 - trans, lower, unit)  # op(T)^-T g
    if not need[0]:
        return None, gb
    gt = -(gb @ mT(out))  # gradient with respect to op(T)
    if trans:
        gt = mT(gt)
    k = -1 if unit else 0  # only the triangle the solver reads has a gradient
    ga = tril(gt, k) if lower else triu(gt, -k)
    return ga, gb


@op(family=FAMILY, namespace=NS, numpy=(np.linalg.pinv,), method=False)
@takes_out("linalg.pinv", "safe")
def pinv(a: Any, rcond: Any = None, hermitian: bool = False, *, rtol: Any = None) -> Tensor:
    """Moore-Penrose pseudo-inverse of each matrix (numpy's cutoffs ``rcond``/``rtol``).

    The gradient is the one of a matrix of constant rank (Golub & Pereyra); where a singular value
    crosses the cutoff the pseudo-inverse jumps and has no derivative.
    """
    a = as_tensor(a)
    check_matrix(a, "pinv", square=False)
    if rtol is not None:
        if rcond is not None:
            raise LinalgArgumentError("pinv: `rtol` and `rcond` can't be both set (give one of them)")
        rcond = rtol
    if rcond is None:
        rcond = max(a.shape[-2:], default=0) * np.finfo(a.dtype if a.dtype.kind in "fc" else np.float64).eps
    data = np.linalg.pinv(a._data, rcond=rcond, hermitian=hermitian)
    return Tensor._make(data, (a,), "pinv")


@rule("pinv")  # X = A+: gA = -X^H G X^H + (I - A X) G^H X X^H + X^H X G^H (I - X A)
def _pinv(F, g, out, xs, ctx, need):
    a, x = xs[0], out
    xt, gt = mH(x), mH(g)
    left = gt @ x - a @ (x @ (gt @ x))  # (I - A X) G^T X
    right = gt - (gt @ x) @ a  # G^T (I - X A)
    return (-(xt @ g @ xt) + left @ xt + xt @ (x @ right),)


@op(family=FAMILY, namespace=NS, numpy=(np.linalg.lstsq,), method=False, rules=("pinv", "matmul"))
@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def lstsq(a: Any, b: Any, rcond: Any = None, *, driver: str | None = None) -> tuple:
    """Least-squares solution of a @ x = b as numpy returns it: (x, residuals, rank, singular values).

    x = pinv(a) @ b (the minimum-norm solution), so its gradient is pinv's (constant rank);
    residuals (the squared 2-norm of each column of b - a x, only when rank == N < M, else empty)
    and the singular values are differentiable too; rank is an int32 number, as numpy's.

    ``driver=`` ('gels', 'gelsy', 'gelsd', 'gelss') gives torch.linalg.lstsq's form instead: batched
    (B a batch of vectors when it has one axis fewer than A), rcond defaulting to eps(dtype) * max(M, N),
    and a (solution, residuals, rank, singular_values) named tuple filled per driver as PyTorch fills
    it on the CPU: rank (int64, batch shape) for all but gels (empty); singular values (not
    differentiable) for gelsd/gelss only (empty otherwise); residuals (batch, K) when M > N and, for
    gelsd/gelss, every matrix has full rank; never for gelsy, always (M > N) for gels. gels assumes full
    rank: on a rank-deficient A its solution keeps every non-zero singular value (no cutoff), where
    LAPACK's QR gives other, equally meaningless numbers. gelsy's rank and, for a rank-deficient A,
    its solution are LAPACK's: the minimum-norm solution of the rank-r part of A's pivoted QR.

    Batched input (A or B with more than two axes, which numpy refuses) takes that form too, with
    PyTorch's CPU default driver 'gelsy'. numpy's form is a named tuple as well (numpy's order, with
    PyTorch's field names: solution, residuals, rank, singular_values).
    """
    from .lstsq_torch import LstsqResult, lapack_rcond, lstsq_driver

    a, b = as_tensor(a), as_tensor(b)
    if driver is not None or a.ndim > 2 or b.ndim > 2:
        return lstsq_driver(a, b, rcond, "gelsy" if driver is None else driver)
    from .svd import svdvals

    if a.ndim == 2 and b.ndim in (1, 2) and b.shape[0] != a.shape[0]:  # numpy's LinAlgError
        raise LinAlgShapeError(f"lstsq: Incompatible dimensions: a is {a.shape}, b is {b.shape}")
    if a.ndim != 2 or b.ndim not in (1, 2):
        raise LinalgArgumentError(
            f"lstsq: a must be (M, N) and b (M,) or (M, K), got {a.shape} and {b.shape}"
        )
    m, n = a.shape
    if rcond is None:
        rcond = np.finfo(np.float64).eps * max(m, n)
    rcond = lapack_rcond(float(rcond), "gelsd", np.float64)  # numpy calls gelsd in double precision
    s = svdvals(a)
    sd = data_of(s)
    rank = np.int32(np.sum(sd > rcond * sd.max()) if sd.size else 0)  # numpy's type
    x = pinv(a, rcond=rcond) @ b
    if rank == n and m > n:
        r = a @ x - b
        res = ((abs(r) ** 2) if r.dtype.kind == "c" else (r * r)).sum(axis=0)
        res = res.reshape((1,)) if b.ndim == 1 else res
    else:
        res = Tensor._const(np.empty((0,), dtype=np.finfo(x.dtype).dtype))  # real, as numpy's
    return LstsqResult._make((x, res, rank, s))
