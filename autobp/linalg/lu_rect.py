"""The gradient of the packed LU factor of a non-square matrix (A = P L U, m != n), which the
lu_factor rule calls; written with differentiable ops (triangular solves, matmul, tril/triu,
concatenate), so second order works.

Wide (m < n): U = [U1 U2] with U1 square. From P^T dA = dL U + L dU, X = L^-1 P^T dA splits into
X1 U1^-1 = L^-1 dL + dU1 U1^-1 (strictly lower + upper parts) and dU2 = X2 - L^-1 dL U2, so
    gA = P L^-T [ (tril(L^T gL - gU2 U2^T, -1) + triu(gU1 U1^T)) U1^-T ,  gU2 ].
(Complex: every ^T is ^H, PyTorch's convention for a holomorphic map.)
Tall (m > n): L = [L1; L2] with L1 square. Y = P^T dA U^-1 gives Z = L1^-1 Y1 = L1^-1 dL1 + dU U^-1
and dL2 = Y2 - L2 dU U^-1, so
    gA = P [ L1^-T (tril(L1^T gL1, -1) + triu(gU U^T - L2^T gL2)) ;  gL2 ] U^-T.
(The square case, both at once, is the rule's own.)"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._common import lin, mH, tril, triu


def _cat(parts: list, axis: int, like: Any) -> Any:
    if isinstance(like, np.ndarray):
        return np.concatenate(parts, axis=axis)
    from ..ops import concatenate

    return concatenate(parts, axis=axis)


def lu_rect_backward(g: Any, out: Any, P: np.ndarray) -> Any:
    """The gradient with respect to A (..., m, n), m != n, of the packed factor ``out`` whose
    gradient is ``g``; P the permutation matrices (..., m, m)."""
    m, n = out.shape[-2:]
    k = min(m, n)
    la = lin(g)
    gL = tril(g[..., :, :k], -1)  # (m, k): L's free entries
    gU = triu(g[..., :k, :])  # (k, n): U's free entries
    L = tril(out[..., :, :k], -1) + np.eye(m, k, dtype=g.dtype)
    U = triu(out[..., :k, :])
    if m < n:
        U1, U2, gU1, gU2 = U[..., :, :k], U[..., :, k:], gU[..., :, :k], gU[..., :, k:]
        M = tril(mH(L) @ gL - gU2 @ mH(U2), -1) + triu(gU1 @ mH(U1))
        left = mH(la.solve_triangular(U1, mH(M), 0, False))  # M U1^-H
        inner = _cat([left, gU2], -1, g)
        return P @ la.solve_triangular(L, inner, 2, True, True)  # P L^-H [...]
    L1, L2, gL1, gL2 = L[..., :k, :], L[..., k:, :], gL[..., :k, :], gL[..., k:, :]
    Z = tril(mH(L1) @ gL1, -1) + triu(gU @ mH(U) - mH(L2) @ gL2)
    top = la.solve_triangular(L1, Z, 2, True, True)  # L1^-H Z
    inner = _cat([top, gL2], -2, g)
    return P @ mH(la.solve_triangular(U, mH(inner), 0, False))  # P [...] U^-H
