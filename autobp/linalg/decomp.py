"""Decompositions: cholesky, eigh, eigvalsh, svd, svdvals and qr, batched, with PyTorch's gradient
formulas (so the same numbers at the same degenerate points). An op with several results records
one node per result; each node's rule is the part of the joint formula that is linear in its own
output's gradient, and the engine sums the parts at the input."""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np

from ..ops._args import as_tensor
from ..ops._decl import op
from ..rules import rule
from ..tensor import Tensor
from ._common import FAMILY, NS, check_matrix, data_of, diag_embed, lin, mT, tril

EighResult = namedtuple("EighResult", ["eigenvalues", "eigenvectors"])
SVDResult = namedtuple("SVDResult", ["U", "S", "Vh"])
QRResult = namedtuple("QRResult", ["Q", "R"])


# --- cholesky ------------------------------------------------------------------------------------
@op(family=FAMILY, namespace=NS, numpy=(np.linalg.cholesky,), method=False)
def cholesky(a: Any, *, upper: bool = False) -> Tensor:
    """Cholesky factor L (lower; U = L^T with ``upper=True``) of each symmetric positive-definite
    matrix, reading its lower triangle as numpy does; the gradient is symmetric (PyTorch's)."""
    a = as_tensor(a)
    check_matrix(a, "cholesky")
    try:
        data = np.linalg.cholesky(a._data)
    except np.linalg.LinAlgError:
        raise np.linalg.LinAlgError(
            f"cholesky: a matrix of the input of shape {a.shape} is not positive definite"
        ) from None
    return Tensor._make(mT(data) if upper else data, (a,), "cholesky", bool(upper))


@rule("cholesky")  # Murray (2016): gA = L^-T Phi(L^T gL) L^-1, Phi = symmetrised lower part
def _cholesky(F, g, out, xs, ctx, need):
    L, gL = (mT(out), mT(g)) if ctx else (out, g)
    P = tril(mT(L) @ gL)
    P = 0.5 * (P + mT(tril(P, -1)))  # the lower triangle's symmetric extension, diagonal halved
    la = lin(g)
    P = la.solve_triangular(L, P, 1, True)  # L^-T P
    return (mT(la.solve_triangular(L, mT(P), 1, True)),)  # (L^-T P^T)^T = P L^-1


# --- eigh, eigvalsh ------------------------------------------------------------------------------
def _check_uplo(uplo: str, op_name: str) -> None:
    if uplo not in ("L", "U"):
        raise ValueError(f"{op_name}: UPLO must be 'L' or 'U', got {uplo!r}")


@op(family=FAMILY, namespace=NS, numpy=(np.linalg.eigh,), method=False, rules=("eigh_w", "eigh_v"))
def eigh(a: Any, UPLO: str = "L") -> EighResult:  # noqa: N803  numpy's spelling
    """Eigenvalues (ascending) and eigenvectors (columns) of each symmetric matrix, as numpy's eigh.

    The gradient is PyTorch's: V (diag(gw) + skew(V^T gV) / 2 / E) V^T with E_ij = w_j - w_i. Where
    eigenvalues repeat, E has zeros and an eigenvector gradient is inf/nan, as in PyTorch (the
    eigenvectors are not unique there); the eigenvalues' own gradient stays finite.
    """
    a = as_tensor(a)
    check_matrix(a, "eigh")
    _check_uplo(UPLO, "eigh")
    w, v = np.linalg.eigh(a._data, UPLO=UPLO)
    return EighResult(Tensor._make(w, (a,), "eigh_w", v), Tensor._make(v, (a,), "eigh_v", w))


def _eigh_grad(F, a, w, v, gw, gv):
    if gv is None:  # V diag(gw) V^T
        return (v * gw[..., None, :]) @ mT(v)
    vgv = mT(v) @ gv
    e = w[..., None, :] - w[..., :, None]  # E_ij = w_j - w_i; its diagonal meets zeros only
    eye = np.eye(data_of(w).shape[-1], dtype=bool)
    inner = (0.5 * (vgv - mT(vgv))) / F.where(eye, 1.0, e)
    if gw is not None:
        inner = inner + diag_embed(gw)
    return v @ inner @ mT(v)


@rule("eigh_w")  # ctx = the eigenvectors
def _eigh_w(F, g, out, xs, ctx, need):
    v = F.saved(ctx, lambda: eigh(xs[0])[1])
    return (_eigh_grad(F, xs[0], out, v, g, None),)


@rule("eigh_v")  # ctx = the eigenvalues
def _eigh_v(F, g, out, xs, ctx, need):
    w = F.saved(ctx, lambda: eigh(xs[0])[0])
    return (_eigh_grad(F, xs[0], w, out, None, g),)


@op(family=FAMILY, namespace=NS, numpy=(np.linalg.eigvalsh,), method=False, rules=("eigh_w",))
def eigvalsh(a: Any, UPLO: str = "L") -> Tensor:  # noqa: N803
    """Eigenvalues (ascending) of each symmetric matrix; gradient V diag(gw) V^T, finite everywhere."""
    a = as_tensor(a)
    check_matrix(a, "eigvalsh")
    _check_uplo(UPLO, "eigvalsh")
    w, v = np.linalg.eigh(a._data, UPLO=UPLO)
    return Tensor._make(w, (a,), "eigh_w", v)


# --- svd, svdvals --------------------------------------------------------------------------------
@op(family=FAMILY, namespace=NS, numpy=(np.linalg.svd,), method=False, rules=("svd_u", "svd_s", "svd_vh"))
def svd(a: Any, full_matrices: bool = True, compute_uv: bool = True, hermitian: bool = False) -> Any:
    """U, S, Vh with a = U diag(S) Vh, as numpy's svd (``full_matrices=True`` by default).

    Gradients are PyTorch's formulas for the reduced factors; with ``full_matrices=True`` and a
    non-square input the extra columns of U (rows of Vh) are not functions of ``a``, so a nonzero
    gradient reaching them raises (PyTorch silently drops it). Repeated singular values make the
    U/Vh gradient inf/nan (E_ij = S_j^2 - S_i^2 = 0) as in PyTorch; S's own gradient stays finite.
    """
    a = as_tensor(a)
    check_matrix(a, "svd", square=False)
    if not compute_uv:
        return svdvals(a)
    u, s, vh = np.linalg.svd(a._data, full_matrices=full_matrices, hermitian=hermitian)
    k = s.shape[-1]
    uk, vhk = u[..., :, :k], vh[..., :k, :]  # the reduced factors every rule works with
    return SVDResult(
        Tensor._make(u, (a,), "svd_u", (s, vhk, k)),
        Tensor._make(s, (a,), "svd_s", (uk, vhk)),
        Tensor._make(vh, (a,), "svd_vh", (uk, s, k)),
    )


def _narrow(g: Any, k: int, axis: int, what: str) -> Any:
    """The gradient of the first ``k`` columns (axis -1) or rows (axis -2); the rest must be 0."""
    if g.shape[axis] == k:
        return g
    extra = data_of(g)[..., :, k:] if axis == -1 else data_of(g)[..., k:, :]
    if np.any(extra != 0):
        raise ValueError(
            f"svd: the gradient reaches the extra {what} of a full_matrices=True factorisation of a "
            "non-square matrix, which are not determined by the input: use full_matrices=False"
        )
    return g[..., :, :k] if axis == -1 else g[..., :k, :]


def _svd_grad(F, u, s, vh, gs, gu, gvh):
    """PyTorch's svd_backward for one of gS, gU, gVh (the others None), real reduced factors."""
    m, n = u.shape[-2], vh.shape[-1]
    if gs is not None:  # U diag(gS) Vh
        return (u * gs[..., None, :]) @ vh
    s2 = s * s
    e = s2[..., None, :] - s2[..., :, None]  # E_jk = S_k^2 - S_j^2
    eye = np.eye(data_of(s).shape[-1], dtype=bool)
    e = F.where(eye, 1.0, e)
    if gu is not None:
        uhgu = mT(u) @ gu
        inner = (uhgu - mT(uhgu)) * s[..., None, :] / e
        if m > n:  # (I - U U^T) gU S^-1 lies outside the span of U
            gus = gu / s[..., None, :]
            return (u @ inner + gus - u @ (mT(u) @ gus)) @ vh
        return u @ inner @ vh
    vhgv = vh @ mT(gvh)
    inner = s[..., :, None] * (vhgv - mT(vhgv)) / e
    if m < n:
        sgvh = gvh / s[..., :, None]
        return u @ (inner @ vh + sgvh - (sgvh @ mT(vh)) @ vh)
    return u @ inner @ vh


def _svd_factors(xs):
    return svd(xs[0], full_matrices=False)


@rule("svd_u")  # ctx = (S, reduced Vh, k)
def _svd_u(F, g, out, xs, ctx, need):
    s, vh, k = ctx
    s = F.saved(s, lambda: _svd_factors(xs)[1])
    vh = F.saved(vh, lambda: _svd_factors(xs)[2])
    return (_svd_grad(F, out[..., :, :k], s, vh, None, _narrow(g, k, -1, "columns of U"), None),)


@rule("svd_s")  # ctx = (reduced U, reduced Vh)
def _svd_s(F, g, out, xs, ctx, need):
    u = F.saved(ctx[0], lambda: _svd_factors(xs)[0])
    vh = F.saved(ctx[1], lambda: _svd_factors(xs)[2])
    return (_svd_grad(F, u, out, vh, g, None, None),)


@rule("svd_vh")  # ctx = (reduced U, S, k)
def _svd_vh(F, g, out, xs, ctx, need):
    u, s, k = ctx
    u = F.saved(u, lambda: _svd_factors(xs)[0])
    s = F.saved(s, lambda: _svd_factors(xs)[1])
    return (_svd_grad(F, u, s, out[..., :k, :], None, None, _narrow(g, k, -2, "rows of Vh")),)


@op(family=FAMILY, namespace=NS, numpy=(np.linalg.svdvals,), method=False, rules=("svd_s",))
def svdvals(a: Any) -> Tensor:
    """Singular values (descending) of each matrix; gradient U diag(gS) Vh, finite everywhere."""
    a = as_tensor(a)
    check_matrix(a, "svdvals", square=False)
    u, s, vh = np.linalg.svd(a._data, full_matrices=False)
    return Tensor._make(s, (a,), "svd_s", (u, vh))


# --- qr ------------------------------------------------------------------------------------------
@op(family=FAMILY, namespace=NS, numpy=(np.linalg.qr,), method=False, rules=("qr_q", "qr_r", "qr_complete"))
def qr(a: Any, mode: str = "reduced") -> Any:
    """Q, R with a = Q R (numpy's qr, modes 'reduced', 'complete' and 'r'; batched).

    Differentiable where R's diagonal has no zero (full rank). mode='complete' with more rows than
    columns has no gradient (Q's extra columns are not determined), as in PyTorch.
    """
    a = as_tensor(a)
    check_matrix(a, "qr", square=False)
    if mode not in ("reduced", "complete", "r"):
        raise ValueError(f"qr: mode must be 'reduced', 'complete' or 'r', got {mode!r}")
    m, n = a.shape[-2:]
    full = mode == "complete" and m > n
    q, r = np.linalg.qr(a._data, mode="complete" if mode == "complete" else "reduced")
    rule_q, rule_r = ("qr_complete", "qr_complete") if full else ("qr_q", "qr_r")
    rt = Tensor._make(r, (a,), rule_r, q)
    if mode == "r":
        return rt
    return QRResult(Tensor._make(q, (a,), rule_q, r), rt)


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
            gq, gr = y @ mT(gr[..., :, m:]), gr[..., :, :m]
    M = 0.0
    if gr is not None:
        M = r @ mT(gr)
    if gq is not None:
        M = M - mT(gq) @ q
    M = tril(M)
    M = M + mT(tril(M, -1))  # copy the lower triangle to the upper
    b = q @ M if gq is None else gq + q @ M
    ga = mT(la.solve_triangular(r, mT(b), 0, False))  # b R^-T
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


@rule("qr_complete")
def _qr_complete(F, g, out, xs, ctx, need):
    raise ValueError(
        "qr: mode='complete' of a matrix with more rows than columns has no gradient "
        "(the extra columns of Q are not determined by the input): use mode='reduced'"
    )
