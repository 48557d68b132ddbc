"""Decompositions: cholesky and qr, batched, with PyTorch's gradient
formulas (so the same numbers at the same degenerate points). An op with several results records
one node per result; each node's rule is the part of the joint formula that is linear in its own
output's gradient, and the engine sums the parts at the input."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import return_types as _rt
from .._autocast import autocasts
from .._torch_out import takes_out
from ..ops._args import as_tensor
from ..ops._decl import op
from ..rules import rule
from ..tensor import Tensor
from ._common import (
    FAMILY,
    NS,
    LinalgArgumentError,
    check_matrix,
    data_of,
    diag_embed,
    diagonal,
    float_dtype,
    is_complex,
    lin,
    mH,
    tri_adjoint,
    tril,
    triu,
)

QRResult = _rt.linalg_qr  # numpy's name for it (numpy.linalg.qr's fields)


# --- cholesky ------------------------------------------------------------------------------------
@op(
    family=FAMILY,
    namespace=NS,
    numpy=(np.linalg.cholesky,),
    method=False,
    differs="numpy (and so autobp) reads only one triangle (the upper one with upper=True) and the "
    "gradient is nonzero only there; torch.linalg.cholesky reads the lower one even with upper=True "
    "and returns the symmetrised gradient (the same along symmetric perturbations)",
)
@takes_out("linalg.cholesky")
@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def cholesky(a: Any, *, upper: bool = False) -> Tensor:
    """Cholesky factor L (lower; U = L^H with ``upper=True``) of each Hermitian positive-definite
    matrix, as numpy's: only the lower triangle is read (the upper one with ``upper=True``; the
    diagonal's real part), and the gradient is the derivative of that function, zero outside the
    triangle. Along Hermitian perturbations it is PyTorch's (Murray 2016)."""
    a = as_tensor(a)
    check_matrix(a, "cholesky")
    try:
        data = np.linalg.cholesky(a._data, upper=bool(upper))
    except np.linalg.LinAlgError:
        from .lu import raise_info
        from .torch_extras import CHOLESKY_FAILED, _potrf_info

        info = _potrf_info(a._data.astype(float_dtype(a.dtype), copy=False), bool(upper))[1]
        shape = f" (a matrix of the input of shape {a.shape} is not positive definite)"
        raise_info(info, "linalg.cholesky", CHOLESKY_FAILED + shape)
        raise np.linalg.LinAlgError(f"cholesky: a matrix of the input of shape {a.shape}{shape}") from None
    return Tensor._make(data, (a,), "cholesky", bool(upper))


@rule("cholesky")  # Murray (2016): gA = L^-H Phi(L^H gL) L^-1, Phi = Hermitian lower part
def _cholesky(F, g, out, xs, ctx, need):
    L, gL = (mH(out), mH(g)) if ctx else (out, g)
    P = tril(mH(L) @ gL)
    low = tril(P, -1)
    d = diagonal(P)
    d = (F.real(d) if isinstance(d, Tensor) else d.real) if is_complex(d) else d
    P = 0.5 * (low + mH(low) + diag_embed(d))  # Hermitian; the diagonal halved
    la = lin(g)
    P = la.solve_triangular(L, P, 2, True)  # L^-H P
    gs = mH(la.solve_triangular(L, mH(P), 2, True))  # (L^-H P^H)^H = P L^-1
    return (tri_adjoint(gs, "U" if ctx else "L"),)


# --- qr ------------------------------------------------------------------------------------------
@op(
    family=FAMILY,
    namespace=NS,
    numpy=(np.linalg.qr,),
    method=False,
    rules=("qr_q", "qr_r", "qr_complete", "qr_raw"),
)
@takes_out("linalg.qr")
@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def qr(a: Any, mode: str = "reduced") -> Any:
    """Q, R with a = Q R (numpy's qr, modes 'reduced', 'complete', 'r' and 'raw'; batched).

    Differentiable where R's diagonal has no zero (full rank). mode='complete' with more rows than
    columns has no gradient (Q's extra columns are not determined), as in PyTorch. mode='raw' gives
    numpy's (h, tau): LAPACK's Householder reflectors (transposed) and scales, without a gradient
    (asking for one raises).
    """
    a = as_tensor(a)
    check_matrix(a, "qr", square=False)
    if mode not in ("reduced", "complete", "r", "raw"):
        raise LinalgArgumentError(
            f"qr: mode must be 'reduced', 'complete', 'r' or 'raw', got {mode!r} "
            f"(qr received unrecognized mode {mode!r})"
        )
    if mode == "raw":
        h, tau = np.linalg.qr(a._data, mode="raw")
        return Tensor._make(h, (a,), "qr_raw"), Tensor._make(tau, (a,), "qr_raw")
    m, n = a.shape[-2:]
    full = mode == "complete" and m > n
    q, r = np.linalg.qr(a._data, mode="complete" if mode == "complete" else "reduced")
    rule_q, rule_r = ("qr_complete", "qr_complete") if full else ("qr_q", "qr_r")
    rt = Tensor._make(r, (a,), rule_r, q)
    if mode == "r":
        return rt
    return QRResult._make((Tensor._make(q, (a,), rule_q, r), rt))


def _qr_grad(F, a, q, r, gq, gr):
    """gA for one of gQ, gR (the other None): Walter & Lehmann's formula for m >= n, and for m < n
    the square block A[:, :m] = Q R1 with the rest Y = Q R2 folded in (gQ += Y gR2^T, gY = Q gR2)."""
    m, n = q.shape[-2], r.shape[-1]
    la = lin(a)
    gy = None
    if m < n:
        y, r = a[..., :, m:], r[..., :, :m]
        if gr is not None:
            gy = q @ gr[..., :, m:]
            gq, gr = y @ mH(gr[..., :, m:]), gr[..., :, :m]
    M = 0.0  # M = gR R^H - Q^H gQ; gA = (gQ + Q N) R^-H, N = M's upper part made Hermitian
    if gr is not None:
        M = gr @ mH(r)
    if gq is not None:
        M = M - mH(q) @ gq
    up = triu(M, 1)
    d = diagonal(M)
    d = (F.real(d) if isinstance(d, Tensor) else d.real) if is_complex(d) else d
    N = up + mH(up) + diag_embed(d)  # R's diagonal is real, so only Re diag(M) acts
    b = q @ N if gq is None else gq + q @ N
    ga = mH(la.solve_triangular(r, mH(b), 0, False))  # b R^-H = (R^-1 b^H)^H
    if m < n:  # with gR absent, Y's gradient is 0
        ga = la.concatenate(
            [ga, gy if gy is not None else np.zeros(a.shape[:-2] + (m, n - m), data_of(ga).dtype)], -1
        )
    return ga


@rule("qr_q")  # ctx = R
def _qr_q(F, g, out, xs, ctx, need):
    r = F.saved(ctx, lambda: qr(xs[0])[1])
    return (_qr_grad(F, xs[0], out, r, g, None),)


@rule("qr_r")  # ctx = Q
def _qr_r(F, g, out, xs, ctx, need):
    q = F.saved(ctx, lambda: qr(xs[0])[0])
    return (_qr_grad(F, xs[0], q, out, None, g),)


@rule("qr_raw")
def _qr_raw(F, g, out, xs, ctx, need):
    raise LinalgArgumentError(
        "qr: mode='raw' (LAPACK's Householder reflectors and scales) has no gradient in autobp: use "
        "mode='reduced' (or linalg.householder_product of the reflectors)"
    )


@rule("qr_complete")
def _qr_complete(F, g, out, xs, ctx, need):
    raise LinalgArgumentError(
        "qr: mode='complete' of a matrix with more rows than columns has no gradient "
        "(the extra columns of Q are not determined by the input): use mode='reduced'"
    )
