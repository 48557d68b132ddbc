"""Op-table cases for autobp.linalg on complex matrices (``complex=True``: finite differences on the
real and imaginary parts, PyTorch's complex gradients, second order, complex64 kept), and eig/eigvals.
Matrices are built from their factors (unitary times spaced values) so that no case sits at a point
without a derivative; eigen/singular vectors enter losses through abs(), which their arbitrary
phases do not change."""

import numpy as np
from hypothesis import strategies as st

import autobp.linalg as la

from ..optable import case, torch
from .linalg import _batch, _rng, _spaced

_np_la = np.linalg
C = {"complex": True}


def _cnormal(rng, shape):
    return rng.standard_normal(shape) + 1j * rng.standard_normal(shape)


def _unitary(rng, batch, n, k):
    q, _ = np.linalg.qr(_cnormal(rng, batch + (n, k)))
    return q


def _mh(a):
    return a.conj().swapaxes(-1, -2)


@st.composite
def csquare(draw, shift=3.0, max_batch=2, min_n=1):
    """Complex (..., n, n) matrices, ``shift`` * I added (well conditioned)."""
    n, batch, rng = draw(st.integers(min_n, 4)), _batch(draw, max_batch), _rng(draw)
    return (0.5 * _cnormal(rng, batch + (n, n)) + shift * np.eye(n),)


@st.composite
def crect(draw, min_sv=0.1, wide=None, max_batch=2, is_square=False):
    """Complex U diag(s) V^H, singular values at least 0.1 apart (and ``min_sv`` and up)."""
    m, n = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    if wide is not None:
        m, n = (min(m, n), max(m, n)) if wide else (max(m, n), min(m, n))
    n = m if is_square else n
    batch, rng = _batch(draw, max_batch), _rng(draw)
    k = min(m, n)
    s = _spaced(rng, batch, k, max(min_sv, 0.1), 0.1)
    return ((_unitary(rng, batch, m, k) * s[..., None, :]) @ _mh(_unitary(rng, batch, n, k)),)


@st.composite
def hermitian(draw, lo=-1.0, gap=0.1, uplo=None, is_complex=True, max_batch=2):
    """Q diag(w) Q^H with eigenvalues ``gap`` apart from ``lo`` up; with ``uplo`` the triangle
    numpy does not read (and the imaginary part of the diagonal) gets noise: eigh and cholesky
    must not see it, in values or gradients."""
    n, batch, rng = draw(st.integers(1, 4)), _batch(draw, max_batch), _rng(draw)
    q = _unitary(rng, batch, n, n) if is_complex else np.linalg.qr(rng.standard_normal(batch + (n, n)))[0]
    w = _spaced(rng, batch, n, lo, 2 * gap)
    a = (q * w[..., None, :]) @ _mh(q)
    if uplo is not None:
        noise = _cnormal(rng, a.shape) if is_complex else rng.standard_normal(a.shape)
        a = a + (np.triu(noise, 1) if uplo == "L" else np.tril(noise, -1))
        if is_complex:
            a = a + 1j * np.eye(n) * rng.standard_normal(batch + (n, 1))
    return (a,)


@st.composite
def diagonalizable(draw, is_complex=True, max_batch=1):
    """V diag(w) V^-1 with V near I and eigenvalues spaced (real: a real spectrum or conjugate pairs)."""
    n, batch, rng = draw(st.integers(1, 4)), _batch(draw, max_batch), _rng(draw)
    v = np.eye(n) + 0.3 * (
        _cnormal(rng, batch + (n, n)) if is_complex else rng.standard_normal(batch + (n, n))
    )
    w = _spaced(rng, batch, n, -1.0, 0.5)
    if is_complex:
        w = w + 1j * _spaced(rng, batch, n, -1.0, 0.5)
    return ((v * w[..., None, :]) @ np.linalg.inv(v),)


def torch_triangle(a, uplo):
    """The Hermitian matrix numpy's eigh/cholesky read from ``a``'s triangle, built in torch, so
    torch's gradient through it is the gradient of numpy's function of ``a``."""
    low = a.tril(-1) if uplo == "L" else a.triu(1)
    d = torch.diagonal(a, 0, -2, -1).real
    return low + low.mH + torch.diag_embed(d).to(a.dtype)


def _abs_vectors(w, v):
    return w, abs(v)


# --- eigh, eigvalsh: complex Hermitian, and the triangle numpy reads (real and complex) --------------
for _uplo in ("L", "U"):
    for _cx in (False, True):
        case(
            "eigh",
            lambda a, u=_uplo: _abs_vectors(*la.eigh(a, UPLO=u)),
            hermitian(uplo=_uplo, is_complex=_cx),
            torch_fn=lambda a, u=_uplo: _abs_vectors(*torch.linalg.eigh(torch_triangle(a, u))),
            numpy_fn=lambda a, u=_uplo: _abs_vectors(*_np_la.eigh(a, UPLO=u)),
            id=f"eigh-triangle-{_uplo}" + ("-complex" if _cx else ""),
            **({"complex": True} if _cx else {}),
        )
    case(
        "eigvalsh",
        lambda a, u=_uplo: la.eigvalsh(a, UPLO=u),
        hermitian(uplo=_uplo, gap=0.01),
        torch_fn=lambda a, u=_uplo: torch.linalg.eigvalsh(torch_triangle(a, u)),
        numpy_fn=lambda a, u=_uplo: _np_la.eigvalsh(a, UPLO=u),
        id=f"eigvalsh-triangle-{_uplo}-complex",
        **C,
    )


# --- eig, eigvals: general matrices, complex results (of a real input: their parts, real) -----------
def _parts(w):
    return w.real * 1.0, w.imag * 1.0


case(
    "eig",
    lambda a: _abs_vectors(*la.eig(a)),
    diagonalizable(),
    torch_fn=lambda a: _abs_vectors(*torch.linalg.eig(a)),
    numpy_fn=lambda a: _abs_vectors(*_np_la.eig(a)),
    id="eig-complex",
    **C,
)
case(
    "eig",
    lambda a: (lambda w, v: (*_parts(w), abs(v)))(*la.eig(a)),
    diagonalizable(is_complex=False),
    torch_fn=lambda a: (lambda w, v: (*_parts(w), v.abs()))(*torch.linalg.eig(a)),
    id="eig-real",  # no numpy_fn: numpy's dtype depends on whether the spectrum is real
)
case(
    "eigvals",
    la.eigvals,
    diagonalizable(),
    torch_fn=lambda a: torch.linalg.eigvals(a),
    numpy_fn=_np_la.eigvals,
    **C,
)
case(
    "eigvals",
    lambda a: _parts(la.eigvals(a)),
    diagonalizable(is_complex=False),
    torch_fn=lambda a: _parts(torch.linalg.eigvals(a)),
    id="eigvals-real",
)

# --- svd, svdvals ----------------------------------------------------------------------------------
for _full in (False, True):
    case(
        "svd",
        lambda a, f=_full: (lambda u, s, vh: (abs(u), s, abs(vh)))(*la.svd(a, full_matrices=f)),
        crect(is_square=_full),
        torch_fn=lambda a, f=_full: (lambda u, s, vh: (u.abs(), s, vh.abs()))(
            *torch.linalg.svd(a, full_matrices=f)
        ),
        numpy_fn=lambda a, f=_full: (lambda u, s, vh: (abs(u), s, abs(vh)))(*_np_la.svd(a, full_matrices=f)),
        id=f"svd-complex-full{_full}",
        **C,
    )


def _rebuilt(u, s, vh):
    """U diag(S) Vh from the first k columns of U and rows of Vh: the phases cancel."""
    k = s.shape[-1]
    return (u[..., :k] * s[..., None, :]) @ vh[..., :k, :]


case(
    "svd",
    lambda a: _rebuilt(*la.svd(a)),
    crect(),
    torch_fn=lambda a: _rebuilt(*torch.linalg.svd(a)),
    id="svd-complex-reconstruction",
    **C,
)
case("svdvals", la.svdvals, crect(), torch_fn=lambda a: torch.linalg.svdvals(a), numpy_fn=_np_la.svdvals, **C)
case(
    "svd",
    lambda a: la.svd(a, compute_uv=False),
    crect(),
    torch_fn=lambda a: torch.linalg.svdvals(a),
    id="svd-values-only-complex",
    **C,
)
