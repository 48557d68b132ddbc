"""scipy.linalg's sqrtm, solve_sylvester and solve_banded, differentiable, with scipy's signatures.
The three rules reduce to linear solves of the same kind (a Sylvester equation, a banded system),
written with these ops themselves, so second order works."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.linalg

from ..ops._args import as_tensor
from ..ops._decl import op
from ..rules import holomorphic, rule
from ..tensor import Tensor
from ._common import FAMILY, NS, LinalgArgumentError, check_matrix, mT


def _float(t: Tensor) -> Tensor:
    return t if t.dtype.kind in "fc" else t.astype(np.float64)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def solve_sylvester(a: Any, b: Any, q: Any) -> Tensor:
    """X with a @ X + X @ b = q (scipy.linalg.solve_sylvester; a (M, M), b (N, N), q (M, N)).

    Unique when no eigenvalue of a is the negative of one of b; differentiable in all three.
    """
    a, b, q = (_float(as_tensor(t)) for t in (a, b, q))
    for t, name in ((a, "a"), (b, "b")):
        if t.ndim != 2 or t.shape[0] != t.shape[1]:
            raise LinalgArgumentError(f"solve_sylvester: {name} must be a square matrix, got shape {t.shape}")
    if q.shape != (a.shape[0], b.shape[0]):
        raise LinalgArgumentError(
            f"solve_sylvester: q of shape {q.shape} does not match a {a.shape} and b {b.shape} "
            f"(expected {(a.shape[0], b.shape[0])})"
        )
    data = scipy.linalg.solve_sylvester(a._data, b._data, q._data)
    return Tensor._make(np.asarray(data), (a, b, q), "solve_sylvester")


def _sylvester(a: Any, b: Any, q: Any) -> Any:
    if isinstance(q, Tensor):
        return solve_sylvester(a, b, q)
    return scipy.linalg.solve_sylvester(a, b, q)


# A dX + dX B = dQ - dA X - X dB. With Y solving A^T Y + Y B^T = G (the adjoint equation):
# gQ = Y, gA = -Y X^T, gB = -X^T Y (complex: conjugate transposes, which @holomorphic supplies)
@rule("solve_sylvester")
@holomorphic
def _solve_sylvester(F, g, out, xs, ctx, need):
    a, b, _ = xs
    y = _sylvester(mT(a), mT(b), g)
    return (-(y @ mT(out)) if need[0] else None), (-(mT(out) @ y) if need[1] else None), y


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def sqrtm(A: Any, disp: Any = None, blocksize: Any = None) -> Tensor:  # noqa: N803  scipy's name
    """The principal square root X of a square matrix (X @ X = A), scipy.linalg.sqrtm's; complex when A
    has negative eigenvalues, as scipy's. ``disp``/``blocksize`` (deprecated in scipy) are ignored.

    dA = dX X + X dX, so A's gradient solves the Sylvester equation X^H G_A + G_A X^H = G
    (a real A gets its real part). Not differentiable where A is singular (X has a zero eigenvalue).
    """
    a = _float(as_tensor(A))
    check_matrix(a, "sqrtm", complex_ok=True)
    if a.ndim != 2:
        raise LinalgArgumentError(f"sqrtm: expected one square matrix, got shape {a.shape}")
    data = np.asarray(scipy.linalg.sqrtm(a._data))
    if data.dtype.kind == "c" and np.all(data.imag == 0) and a.dtype.kind != "c":
        data = data.real
    return Tensor._make(data.astype(np.result_type(data.dtype, a.dtype), copy=False), (a,), "sqrtm")


@rule("sqrtm")
@holomorphic
def _sqrtm(F, g, out, xs, ctx, need):
    t = mT(out)
    return (_sylvester(t, t, g),)


# --- banded systems -------------------------------------------------------------------------------
def _band_gather(v: Any, rows: int, lo: int, up: int, shift: int) -> Any:
    """The (rows, M) array w[r, j] = v[j + r - shift] (v's first axis; zero where that is outside 0..M-1),
    with any further axes of v kept: ab's diagonal storage of a matrix built column by column."""
    m = v.shape[0]
    src = np.arange(m)[None, :] + np.arange(rows)[:, None] - shift
    inside = (src >= 0) & (src < m)
    w = v[np.clip(src, 0, m - 1)]
    return w * inside.reshape(inside.shape + (1,) * (w.ndim - 2)).astype(w.dtype)


def _band_transpose(ab: Any, lo: int, up: int) -> Any:
    """ab's storage of A^T, in (up, lo) form: A^T[i, j] = A[j, i] = ab[up + j - i, i]."""
    rows, m = ab.shape
    r = np.arange(rows)[:, None]
    j = np.arange(m)[None, :]
    src_row, src_col = up + lo - r + 0 * j, j + r - lo
    inside = (src_col >= 0) & (src_col < m)
    out = ab[src_row, np.clip(src_col, 0, m - 1)]
    return out * inside.astype(out.dtype)


def _banded(l_and_u: tuple, ab: Any, b: Any) -> Any:
    if isinstance(b, Tensor) or isinstance(ab, Tensor):
        return solve_banded(l_and_u, ab, b)
    return scipy.linalg.solve_banded(l_and_u, ab, b)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def solve_banded(
    l_and_u: Any,
    ab: Any,
    b: Any,
    overwrite_ab: bool = False,
    overwrite_b: bool = False,
    check_finite: bool = True,
) -> Tensor:
    """x with A @ x = b for a banded A given in diagonal ordered form (scipy.linalg.solve_banded):
    ``l_and_u = (l, u)`` counts the nonzero lower and upper diagonals and ``ab[u + i - j, j] = A[i, j]``.

    ``b`` is (M,) or (M, K). Differentiable in ``ab`` and ``b``; entries of ``ab`` outside the band
    (its unused corners) get a zero gradient, as they are never read. The overwrite/check flags are
    accepted and ignored (inputs are never overwritten).
    """
    try:
        lo, up = (int(n) for n in l_and_u)
    except (TypeError, ValueError):
        raise TypeError(f"solve_banded: l_and_u must be a pair of integers (l, u), got {l_and_u!r}") from None
    ab, b = _float(as_tensor(ab)), _float(as_tensor(b))
    if ab.ndim != 2 or ab.shape[0] != lo + up + 1:
        raise LinalgArgumentError(
            f"solve_banded: ab must be of shape ({lo + up + 1}, M) for (l, u) = {(lo, up)}, got {ab.shape}"
        )
    if b.ndim not in (1, 2) or b.shape[0] != ab.shape[1]:
        raise LinalgArgumentError(
            f"solve_banded: b of shape {b.shape} does not match ab {ab.shape} "
            f"(expected ({ab.shape[1]},) or ({ab.shape[1]}, K))"
        )
    data = scipy.linalg.solve_banded((lo, up), ab._data, b._data)
    return Tensor._make(np.asarray(data), (ab, b), "solve_banded", (lo, up))


# x = A^-1 b: gb = A^-T g (banded with l and u swapped); gA = -gb x^T, kept on the band only:
# gab[r, j] = gA[j + r - u, j] = -sum_k gb[j + r - u, k] x[j, k]
@rule("solve_banded")
@holomorphic
def _solve_banded(F, g, out, xs, ctx, need):
    lo, up = ctx
    ab = xs[0]
    gb = _banded((up, lo), _band_transpose(ab, lo, up), g)
    if not need[0]:
        return None, gb
    rows = lo + up + 1
    gathered = _band_gather(gb, rows, lo, up, up)  # (rows, M[, K])
    x = out[None] if out.ndim == 1 else out[None, :, :]
    prod = gathered * x
    gab = -(prod if out.ndim == 1 else prod.sum(axis=-1))
    return gab, gb
