"""Eigendecompositions: eigh/eigvalsh (Hermitian, one triangle read as numpy does) and eig/eigvals
(general square matrices, complex results), batched, real or complex, with PyTorch's gradient
formulas. Each result is its own node; the engine sums the parts at the input."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import return_types as _rt
from .._autocast import autocasts
from .._torch_out import takes_out
from ..ops._args import as_tensor
from ..ops._decl import op
from ..ops.complex_parts import real_part
from ..rules import rule
from ..tensor import Tensor
from ._common import (
    FAMILY,
    NS,
    LinalgArgumentError,
    LinAlgShapeError,
    check_matrix,
    conj,
    data_of,
    diag_embed,
    diagonal,
    lin,
    mH,
    tri_adjoint,
)

EighResult = _rt.linalg_eigh  # numpy's name for it (numpy.linalg.eigh's fields)
EigResult = _rt.linalg_eig  # numpy's name for it (numpy.linalg.eig's fields)


def _check_uplo(uplo: str, op_name: str) -> str:
    """``uplo`` upper-cased: numpy and PyTorch take 'l' and 'u' too."""
    if not isinstance(uplo, str) or uplo.upper() not in ("L", "U"):
        raise LinalgArgumentError(f"{op_name}: UPLO must be 'L' or 'U', got {uplo!r}")
    return uplo.upper()


def _check_gauge(vhgv: Any, op_name: str) -> None:
    """PyTorch's check: eigenvectors are only defined up to a phase e^{i phi} each (a sign for real
    ones), so a loss must not depend on it, i.e. Im diag(V^H gV) = 0."""
    d = data_of(vhgv)
    if d.dtype.kind != "c" or d.size == 0:
        return
    im = np.abs(np.diagonal(d, 0, -2, -1).imag)
    if np.any(im > 1e-6 * (1.0 + np.abs(d).max())):
        raise LinalgArgumentError(
            f"{op_name}: complex eigenvectors are determined only up to a phase e^(i phi) each, and "
            f"the loss depends on it (max |Im diag(V^H gV)| = {im.max():.3g}), so its gradient is not "
            "defined: use a phase-invariant function of the eigenvectors (abs(v), v v^H, ...)"
        )


# --- eigh, eigvalsh ------------------------------------------------------------------------------
_EIGH_DIFFERS = (
    "numpy (and so autobp) reads only the UPLO triangle of the input, and the gradient is the "
    "derivative of that function: nonzero only in the triangle; torch.linalg.eigh returns the "
    "symmetrised gradient (the same along symmetric perturbations)"
)


@op(
    family=FAMILY,
    namespace=NS,
    numpy=(np.linalg.eigh,),
    method=False,
    rules=("eigh_w", "eigh_v"),
    differs=_EIGH_DIFFERS,
)
@takes_out("linalg.eigh")
@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def eigh(a: Any, UPLO: str = "L") -> EighResult:  # noqa: N803  numpy's (and torch's) spelling
    """Eigenvalues (ascending, real) and eigenvectors (columns) of each Hermitian matrix, as numpy's.

    Only the ``UPLO`` triangle is read (the diagonal's real part), and the gradient is the true
    derivative of that function, zero outside the triangle. Along Hermitian perturbations it is
    PyTorch's: V (diag(gw) + skew(V^H gV) / 2 / E) V^H with E_ij = w_j - w_i. Where eigenvalues
    repeat an eigenvector gradient is inf/nan, as in PyTorch (the eigenvectors are not unique
    there); the eigenvalues' gradient stays finite. A loss depending on the (arbitrary) phases of
    complex eigenvectors raises, as in PyTorch.
    """
    a = as_tensor(a)
    check_matrix(a, "eigh")
    UPLO = _check_uplo(UPLO, "eigh")  # noqa: N806
    w, v = np.linalg.eigh(a._data, UPLO=UPLO)
    return EighResult._make(
        (Tensor._make(w, (a,), "eigh_w", (v, UPLO)), Tensor._make(v, (a,), "eigh_v", (w, UPLO)))
    )


def _eigh_grad(F, w, v, gw, gv, uplo):
    if gv is None:  # V diag(gw) V^H
        gs = (v * gw[..., None, :]) @ mH(v)
    else:
        vgv = mH(v) @ gv
        _check_gauge(vgv, "eigh")
        e = w[..., None, :] - w[..., :, None]  # E_ij = w_j - w_i; its diagonal meets zeros only
        eye = np.eye(data_of(w).shape[-1], dtype=bool)
        gs = v @ ((0.5 * (vgv - mH(vgv))) / F.where(eye, 1.0, e)) @ mH(v)
    return tri_adjoint(gs, uplo)


@rule("eigh_w")  # ctx = (the eigenvectors, UPLO)
def _eigh_w(F, g, out, xs, ctx, need):
    v = F.saved(ctx[0], lambda: eigh(xs[0], ctx[1])[1])
    return (_eigh_grad(F, out, v, real_part(F, g), None, ctx[1]),)


@rule("eigh_v")  # ctx = (the eigenvalues, UPLO)
def _eigh_v(F, g, out, xs, ctx, need):
    w = F.saved(ctx[0], lambda: eigh(xs[0], ctx[1])[0])
    return (_eigh_grad(F, w, out, None, g, ctx[1]),)


@op(
    family=FAMILY,
    namespace=NS,
    numpy=(np.linalg.eigvalsh,),
    method=False,
    rules=("eigh_w",),
    differs=_EIGH_DIFFERS,
)
@takes_out("linalg.eigvalsh")
@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def eigvalsh(a: Any, UPLO: str = "L") -> Tensor:  # noqa: N803
    """Eigenvalues (ascending) of each Hermitian matrix (its ``UPLO`` triangle); gradient the
    triangle's part of V diag(gw) V^H (see eigh), finite everywhere."""
    a = as_tensor(a)
    check_matrix(a, "eigvalsh")
    UPLO = _check_uplo(UPLO, "eigvalsh")  # noqa: N806
    w, v = np.linalg.eigh(a._data, UPLO=UPLO)
    return Tensor._make(w, (a,), "eigh_w", (v, UPLO))


# --- eig, eigvals --------------------------------------------------------------------------------
def _complex_eig(data: np.ndarray) -> tuple:
    w, v = np.linalg.eig(data)
    ct = np.result_type(data.dtype, np.complex64)
    return w.astype(ct, copy=False), v.astype(ct, copy=False)


@op(
    family=FAMILY,
    namespace=NS,
    numpy=(np.linalg.eig,),
    method=False,
    rules=("eig_w", "eig_v"),
)
@takes_out("linalg.eig", "safe", ("eigenvalues", "eigenvectors"))
@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def eig(a: Any) -> EigResult:
    """Eigenvalues and unit-norm eigenvectors (columns) of each square matrix, always complex.

    The results are complex as PyTorch's, also where numpy returns real arrays (a real spectrum),
    so their dtype does not depend on the values.

    Gradient PyTorch's: V^-H (diag(gw) + (V^H gV - V^H V Re diag(V^H gV)) / conj(E)) V^H with
    E_ij = w_j - w_i (off the diagonal). Repeated eigenvalues make the eigenvector gradient inf/nan
    and a loss depending on the eigenvectors' arbitrary phases raises, as in PyTorch.
    """
    a = as_tensor(a)
    check_matrix(a, "eig")
    if not np.all(np.isfinite(a._data)):  # numpy's LinAlgError, and PyTorch's RuntimeError and words
        raise LinAlgShapeError(
            f"torch.linalg.eig: input tensor should not contain infs or NaNs (shape {a.shape}; numpy: Array "
            "must not contain infs or NaNs)"
        )
    w, v = _complex_eig(a._data)
    return EigResult._make((Tensor._make(w, (a,), "eig_w", v), Tensor._make(v, (a,), "eig_v", w)))


def _eig_grad(F, w, v, gw, gv):
    vh = mH(v)
    if gv is None:
        inner = diag_embed(gw)
    else:
        vhgv = vh @ gv
        _check_gauge(vhgv, "eig")
        re_diag = diagonal(vhgv)
        re_diag = F.real(re_diag) if isinstance(re_diag, Tensor) else re_diag.real
        vhgv = vhgv - vh @ (v * re_diag[..., None, :])  # the tangent space of unit-norm columns
        e = conj(w[..., None, :] - w[..., :, None])  # conj(E), E_ij = w_j - w_i
        eye = np.eye(data_of(w).shape[-1], dtype=bool)
        inner = F.where(eye, 0.0, vhgv / F.where(eye, 1.0, e))
    return lin(vh).solve(vh, inner @ vh)


@rule("eig_w")  # ctx = the eigenvectors
def _eig_w(F, g, out, xs, ctx, need):
    v = F.saved(ctx, lambda: eig(xs[0])[1])
    return (_eig_grad(F, out, v, g, None),)


@rule("eig_v")  # ctx = the eigenvalues
def _eig_v(F, g, out, xs, ctx, need):
    w = F.saved(ctx, lambda: eig(xs[0])[0])
    return (_eig_grad(F, w, out, None, g),)


@op(
    family=FAMILY,
    namespace=NS,
    numpy=(np.linalg.eigvals,),
    method=False,
    rules=("eig_w",),
)
@takes_out("linalg.eigvals", "safe", ("eigenvalues",))
@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def eigvals(a: Any) -> Tensor:
    """Eigenvalues of each square matrix, always complex; gradient V^-H diag(gw) V^H (see eig)."""
    a = as_tensor(a)
    check_matrix(a, "eigvals")
    w, v = _complex_eig(a._data)
    return Tensor._make(w, (a,), "eig_w", v)
