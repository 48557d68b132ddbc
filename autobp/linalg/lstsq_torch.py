"""torch.linalg.lstsq's form of autobp.linalg.lstsq, chosen by ``driver=``: batched, and its
(solution, residuals, rank, singular_values) filled per LAPACK driver as PyTorch fills them on the CPU.
The solution is pinv(A) @ B, so its gradient is pinv's (constant rank); residuals are differentiable,
singular values are not (as in PyTorch)."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.linalg

from .. import return_types as _rt
from ..ops._args import as_tensor
from ..tensor import Tensor
from ._common import LinalgArgumentError, check_matrix, float_dtype

LstsqResult = _rt.linalg_lstsq  # the earlier name, kept
DRIVERS = ("gels", "gelsy", "gelsd", "gelss")


def _gelsy_rank(a: np.ndarray, rcond: float) -> np.ndarray:
    """The rank LAPACK's gelsy finds (QR with column pivoting), per matrix of the batch."""
    flat = a.reshape((int(np.prod(a.shape[:-2])),) + a.shape[-2:])
    ranks = [
        scipy.linalg.lstsq(m, np.zeros((m.shape[0], 1), m.dtype), cond=rcond, lapack_driver="gelsy")[2]
        if m.size
        else 0
        for m in flat
    ]
    return np.asarray(ranks, dtype=np.int64).reshape(a.shape[:-2])


def _gelsy_solution(a: Tensor, bm: Tensor, rank: np.ndarray, batch: tuple) -> Tensor:
    """gelsy's minimum-norm solution of the rank-r system it keeps: with A P = Q R (pivoted QR) and Q_r
    the first r columns of Q, x = pinv(Q_r^H A) Q_r^H b, differentiable through qr and pinv."""
    from ..ops import broadcast_to, stack
    from .decomp import qr
    from .solve import pinv

    m, n = a.shape[-2:]
    A = broadcast_to(a, batch + (m, n))
    B = broadcast_to(bm, batch + bm.shape[-2:])
    ranks = np.broadcast_to(rank, batch)
    parts = []
    for idx in np.ndindex(*batch):
        ai, bi, r = A[idx], B[idx], int(ranks[idx])
        if r == 0:
            parts.append(Tensor._const(np.zeros((n, bi.shape[-1]), np.result_type(ai.dtype, bi.dtype))))
            continue
        piv = scipy.linalg.qr(ai.data, pivoting=True, mode="r")[1]
        q = qr(ai[:, piv[:r]], mode="reduced")[0]
        qh = q.swapaxes(-1, -2).conj()
        parts.append(pinv(qh @ ai) @ (qh @ bi))
    return stack(parts).reshape(batch + (n, B.shape[-1]))


def lapack_rcond(rc: float, driver: str, dt: Any) -> float:
    """The cutoff the LAPACK driver really applies: xGELSD (through xLALSD) replaces an rcond outside
    (0, 1) by its unit roundoff (so rcond=1.0 keeps every singular value above eps * S(1), as numpy's
    lstsq does), xGELSS a negative one; gelsy passes rcond to its own QR rank test unchanged."""
    unit = float(np.finfo(dt).eps) / 2  # LAPACK's dlamch('E') (slamch for float32/complex64)
    if driver == "gelsd" and not 0.0 < rc < 1.0:
        return unit
    if driver == "gelss" and rc < 0.0:
        return unit
    return rc


def lstsq_driver(a: Any, b: Any, rcond: Any, driver: str) -> LstsqResult:
    """torch.linalg.lstsq(A, B, rcond, driver=driver); see autobp.linalg.lstsq."""
    from .solve import pinv
    from .svd import svdvals

    if driver not in DRIVERS:
        raise LinalgArgumentError(f"lstsq: driver should be one of {DRIVERS}, got {driver!r}")
    a, b = as_tensor(a), as_tensor(b)
    check_matrix(a, "lstsq", square=False)
    vector = b.ndim == a.ndim - 1  # PyTorch's rule: B one axis short of A is a (batch of) vector(s)
    if not vector and b.ndim != a.ndim:
        raise LinalgArgumentError(
            f"lstsq: B must have A's dimensions or one fewer, got A {a.shape} and B {b.shape}"
        )
    bm = b[..., None] if vector else b
    m, n = a.shape[-2:]
    if bm.shape[-2] != m:
        raise LinalgArgumentError(f"lstsq: A {a.shape} and B {b.shape} need the same number of rows")
    try:
        batch = np.broadcast_shapes(a.shape[:-2], bm.shape[:-2])
    except ValueError:
        raise LinalgArgumentError(
            f"lstsq: batch shapes of A {a.shape} and B {b.shape} do not broadcast"
        ) from None
    dt = float_dtype(a.dtype, b.dtype)
    rc = np.finfo(dt).eps * max(m, n) if rcond is None else float(rcond)
    rc = lapack_rcond(rc, driver, dt)
    full_pinv = driver in ("gels", "gelsy")  # gels assumes full rank; gelsy's cut is its QR's (below)
    x = pinv(a, rcond=0.0 if full_pinv else rc) @ bm
    real = np.finfo(dt).dtype
    empty_int = Tensor._const(np.zeros((0,), np.int64))
    if driver == "gels":
        rank, sv, full = empty_int, Tensor._const(np.zeros((0,), real)), True
    else:
        s = svdvals(a).data
        if driver == "gelsy":
            r = _gelsy_rank(a.data, rc)
            sv = Tensor._const(np.zeros((0,), real))
            if np.any(r < min(m, n)):  # gelsy truncates its pivoted QR, not the SVD
                x = _gelsy_solution(a, bm, r, batch)
        else:
            smax = s.max(axis=-1, keepdims=True) if s.shape[-1] else np.zeros(s.shape[:-1] + (1,))
            r = np.sum(s > rc * smax, axis=-1).astype(np.int64)
            sv = Tensor._const(np.array(np.broadcast_to(s, batch + s.shape[-1:])))
        rank = Tensor._const(np.array(np.broadcast_to(r, batch)))
        full = driver != "gelsy" and bool(np.all(r == n))
    if m > n and full:
        res = a @ x - bm
        res = ((abs(res) ** 2) if res.dtype.kind == "c" else res * res).sum(axis=-2)
    else:
        res = Tensor._const(np.zeros((0,), real))
    return LstsqResult._make((x[..., 0] if vector else x, res, rank, sv))
