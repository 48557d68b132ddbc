"""multivariate_normal.logpdf as one recorded op: its value is scipy.stats.multivariate_normal.logpdf's
(the numbers scipy users get, bit for bit), its gradient the closed forms below (with d = x - mean
and S = cov), symmetric in S as PyTorch's MultivariateNormal gives it. allow_singular=True is a
composition of ops (singular_normal.py)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..linalg._common import lin
from ..ops import broadcast_to, concatenate
from ..ops._decl import op
from ..rules import rule
from ..tensor import Tensor
from ._common import arg
from .singular_normal import singular_logpdf


def _square_cov(cov: Tensor, k: int) -> Tensor:
    """``cov`` as a (k, k) matrix: a number is that times the identity, a vector the diagonal."""
    if cov.ndim == 0:
        cov = cov * np.eye(k)
    elif cov.ndim == 1:
        cov = cov[:, None] * np.eye(k)
    if cov.ndim != 2 or cov.shape != (k, k):
        raise ValueError(f"multivariate_normal.logpdf: cov of shape {cov.shape} is not (k, k)")
    return cov


@op(
    name="multivariate_normal.logpdf",
    family="stats",
    namespace="autobp.stats",
    numpy=None,
    method=False,
    rules=("multivariate_normal.logpdf",),
)
def logpdf(x: Any, mean: Any = None, cov: Any = 1, allow_singular: bool = False) -> Tensor:
    """log density of N(mean, cov) at the points ``x`` (..., k): scipy's value, as one op.

    ``cov`` may be a (k, k) matrix, a vector (its diagonal) or a number (times the identity);
    the result is squeezed as scipy squeezes it (one point gives a 0-d result). With
    allow_singular=True, scipy's meaning for a positive semidefinite ``cov`` (pseudo-determinant and
    pseudo-inverse; -inf off its support), composed of differentiable ops.
    """
    x, cov = arg(x), arg(cov)
    if cov.ndim > 2 and not allow_singular:  # a batch of matrices (JAX's broadcasting; scipy has none)
        return _batched_logpdf(x, mean, cov)
    k = cov.shape[-1] if cov.ndim else (np.shape(mean)[-1] if np.ndim(mean) else 1)  # scipy's dim
    cov = _square_cov(cov, k)
    if x.ndim == 0 or (k == 1 and x.ndim == 1 and x.shape[0] != 1):
        x = x.reshape(x.shape + (1,)) if x.ndim else x.reshape((1,))
    if x.shape[-1] != k:
        raise ValueError(f"multivariate_normal.logpdf: x of shape {x.shape} does not end in k = {k}")
    if allow_singular:  # scipy's pseudo-determinant and pseudo-inverse on cov's support
        out = singular_logpdf(x if mean is None else x - mean, cov, k)
        return out.reshape(tuple(n for n in out.shape if n != 1))
    if mean is None:
        mean = Tensor._const(np.zeros(k, dtype=np.result_type(x.dtype, cov.dtype, np.float32)))
    mean = arg(mean)
    if mean.ndim > 1:  # one mean per point (broadcast), beyond scipy's (k,) mean: pass the difference
        x, mean = x - mean, Tensor._const(np.zeros(k, dtype=np.result_type(x.dtype, mean.dtype)))
    elif mean.shape != (k,):
        mean = broadcast_to(mean, (k,))
    out = _logpdf_rows(x.reshape((-1, k)), mean, cov).reshape(x.shape[:-1])
    return out.reshape(tuple(n for n in out.shape if n != 1))


def _batched_logpdf(x: Tensor, mean: Any, cov: Tensor) -> Tensor:
    """log N(x; mean, cov) for covariances (..., k, k), broadcast with x (..., k) and mean (..., k)
    over the batch dimensions (not squeezed: the broadcast batch shape, as JAX's); each matrix's
    entries are the one-matrix op's (scipy's value, the same bits as one call per matrix)."""
    k = cov.shape[-1]
    if cov.shape[-2] != k:
        raise ValueError(f"multivariate_normal.logpdf: cov of shape {cov.shape} is not (..., k, k)")
    d = x if mean is None else x - arg(mean)
    if d.ndim == 0 or d.shape[-1] != k:
        raise ValueError(f"multivariate_normal.logpdf: x - mean of shape {d.shape} does not end in k = {k}")
    batch = np.broadcast_shapes(d.shape[:-1], cov.shape[:-2])
    d = broadcast_to(d, batch + (k,)).reshape((-1, 1, k))
    cov = broadcast_to(cov, batch + (k, k)).reshape((-1, k, k))
    zero = Tensor._const(np.zeros(k, dtype=np.result_type(d.dtype, cov.dtype)))
    rows = [_logpdf_rows(d[i], zero, cov[i]) for i in range(d.shape[0])]  # scipy's value per matrix
    return (concatenate(rows) if rows else Tensor._const(np.zeros(0, dtype=zero.dtype))).reshape(batch)


def _logpdf_rows(x: Tensor, mean: Tensor, cov: Tensor) -> Tensor:
    """The recorded node: one log density per row of x (n, k), mean (k,), cov (k, k) positive definite."""
    dtype = np.result_type(x.dtype, mean.dtype, cov.dtype, np.float32)
    import scipy.stats  # here, not at import: scipy.stats takes most of a second to import

    value = scipy.stats.multivariate_normal.logpdf(x._data, mean._data, cov._data)
    data = np.asarray(value, dtype=dtype).reshape(x.shape[:1])
    return Tensor._make(data, (x, mean, cov), "multivariate_normal.logpdf")


@rule("multivariate_normal.logpdf")
def _logpdf_rule(F, g, out, xs, ctx, need):
    # log p = -(d^T S^-1 d + log det S + k log 2 pi) / 2 per row d = x - mean, so
    # d/dx = -S^-1 d, d/dmean = S^-1 d, and d/dS = (S^-1 d d^T S^-1 - S^-1) / 2 (symmetric, S^-1 is)
    x, mean, cov = xs
    la = lin(g)
    d = x - mean  # (n, k)
    w = g[:, None]
    gx = gm = gc = None
    if need[0] or need[1]:
        gm = w * la.solve(cov, d.T).T  # (n, k); the engine sums it over the rows for the mean
        gx = -gm if need[0] else None
    if need[2]:
        inv = la.inv(cov)
        s = (inv @ d.T).T  # S^-1 d per row, (n, k)
        if s.shape[0] == 1:  # one point: g (s s^T - S^-1) / 2, each entry one product
            gc = w * (0.5 * (s.T * s - inv))
        else:  # sum over the rows: (s^T diag(g) s - sum(g) S^-1) / 2, one matrix product
            gc = 0.5 * ((s * w).T @ s - g.sum() * inv)
    return gx, (gm if need[1] else None), gc
