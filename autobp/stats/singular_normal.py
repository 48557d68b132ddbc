"""multivariate_normal with allow_singular=True, scipy's meaning: on the support of a positive
semidefinite cov (the span of its eigenvalues above scipy's cutoff) the density uses the
pseudo-determinant and the pseudo-inverse; off the support the log density is -inf."""

from __future__ import annotations

import numpy as np

from .. import linalg
from ..linalg._common import diagonal
from ..ops import log, where
from ..tensor import Tensor

_LOG_2PI = np.log(2.0 * np.pi)


def _cutoff(s: np.ndarray) -> float:
    """scipy's eigenvalue cutoff (stats' _eigvalsh_to_eps): 1e6 eps (float64) or 1e3 eps (float32)
    times the largest |eigenvalue|."""
    kind = np.dtype(s.dtype.char.lower())
    factor = 1e3 if kind == np.float32 else 1e6
    return float(factor * np.finfo(kind).eps * np.max(np.abs(s), initial=0.0))


def singular_logpdf(diff: Tensor, cov: Tensor, k: int) -> Tensor:
    """log density of N(0, cov) at the rows of ``diff`` (..., k) for a possibly singular ``cov``.

    With V the eigenvectors of the r eigenvalues s above the cutoff, the log pseudo-determinant and
    diff^T cov^+ diff are computed on the basis B = cov V / s of cov's range (see below), so they are
    differentiable in cov along rank-preserving changes, to every order (the pseudo-determinant
    jumps where the rank changes, so no other derivative exists).
    """
    s, u = np.linalg.eigh(cov._data)  # which directions are the support: a decision, no gradient
    eps = _cutoff(s)
    if s.size and np.min(s) < -eps:
        raise ValueError(
            f"multivariate_normal.logpdf: cov must be symmetric positive semidefinite, "
            f"its smallest eigenvalue is {np.min(s):.3g}"
        )
    keep = s > eps
    basis, null = u[:, keep], u[:, ~keep]
    r = int(keep.sum())
    rows = diff.reshape((-1, k))
    if r:
        # B = cov V / s spans cov's range for every cov of the same rank near this one (and is V
        # here), so pdet(cov) = det(B^T cov B) / det(B^T B) and cov^+ = B (B^T cov B)^-1 B^T hold
        # along rank-preserving changes of cov: derivatives of every order see the support turn
        b = cov @ (basis / s[keep])
        chol = linalg.cholesky(b.T @ cov @ b)
        gram = linalg.cholesky(b.T @ b)
        z = linalg.solve_triangular(chol, (rows @ b).T, lower=True)  # (r, points)
        maha = (z * z).sum(axis=0)
        logpdet = 2.0 * (log(diagonal(chol)).sum() - log(diagonal(gram)).sum())
    else:  # cov = 0: a point mass at the mean
        maha = Tensor._const(np.zeros(rows.shape[0], rows.dtype))
        logpdet = 0.0
    out = -0.5 * (r * _LOG_2PI + logpdet + maha)
    residual = np.linalg.norm(rows._data @ null, axis=-1)
    off = residual >= 1e3 * eps  # scipy's support test
    if off.any():
        out = where(off, Tensor._const(np.full(out.shape, -np.inf, out.dtype)), out)
    return out.reshape(diff.shape[:-1])
