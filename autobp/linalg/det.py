"""Determinants: det (gradient the cofactor matrix, also at singular matrices) and slogdet."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .. import return_types as _rt
from .._torch_out import takes_out
from ..ops._args import as_tensor
from ..ops._decl import op
from ..ops.complex_parts import real_part
from ..rules import holomorphic, rule
from ..tensor import Tensor
from ._common import FAMILY, NS, check_matrix, conj, data_of, float_dtype, lin, mH, mT

SlogdetResult = _rt.linalg_slogdet  # numpy's name for it (numpy.linalg.slogdet's fields)


@op(family=FAMILY, namespace=NS, numpy=(np.linalg.det,), method=False)
@takes_out("linalg.det")
def det(a: Any) -> Tensor:
    """Determinant of each square matrix.

    The gradient is the cofactor matrix (det(A) A^-T where A is invertible). At a singular matrix
    it comes from the SVD, A = U diag(S) Vh: det(U) det(Vh) U diag(prod_{j != i} S_j) Vh, which is
    PyTorch's formula under create_graph and the true derivative (zero only when the rank is
    below n - 1). PyTorch's plain backward returns zeros at exactly singular matrices instead.
    """
    a = as_tensor(a)
    check_matrix(a, "det", complex_ok=True)
    return Tensor._make(np.linalg.det(a._data), (a,), "det")


def _cofactor_svd(a: Any) -> Any:
    """The cofactor matrix of each matrix of ``a`` from its SVD (correct at singular matrices)."""
    u, s, vh = lin(a).svd(a)
    n = data_of(s).shape[-1]
    sign = np.linalg.det(data_of(u)) * np.linalg.det(data_of(vh))  # +-1, locally constant
    others = 1.0
    prods = []
    for i in range(n):  # prod_{j != i} S_j, by multiplication so zeros need no division
        others = 1.0
        for j in range(n):
            if j != i:
                others = others * s[..., j]
        prods.append(others)
    from ..ops import stack

    p = stack(prods, -1) if isinstance(s, Tensor) else np.stack(prods, -1) if n else s
    return (u * (sign[..., None] * p)[..., None, :]) @ vh


@rule("det")
@holomorphic  # complex: g conj(det A) A^-H
def _det(F, g, out, xs, ctx, need):
    a = xs[0]
    d = data_of(out)
    singular = d == 0
    if not np.any(singular):
        return ((g * out)[..., None, None] * mT(lin(g).inv(a)),)
    cof = _cofactor_svd(a)
    if isinstance(a, Tensor) or np.all(singular):
        return (g[..., None, None] * cof,)
    safe = np.where(singular[..., None, None], np.eye(a.shape[-1]), a)  # invert the regular ones only
    regular = d[..., None, None] * mT(np.linalg.inv(safe))
    return (g[..., None, None] * np.where(singular[..., None, None], cof, regular),)


@op(family=FAMILY, namespace=NS, numpy=(np.linalg.slogdet,), method=False, rules=("slogdet", "slogdet_sign"))
@takes_out("linalg.slogdet")
def slogdet(a: Any) -> SlogdetResult:
    """(sign, log|det|) of each square matrix, as numpy's slogdet. log|det| has the gradient A^-H
    (at an exactly singular matrix log|det| is -inf and the gradient is not finite, as in PyTorch:
    LAPACK's LU solve divides by the zero pivot, giving inf/nan, where numpy's inv would raise); a
    real sign is piecewise constant, a complex one (det/|det|, a phase e^(i theta)) has a gradient too."""
    a = as_tensor(a)
    check_matrix(a, "slogdet")
    sign, logdet = np.linalg.slogdet(a._data)
    sign, logdet = np.asarray(sign), np.asarray(logdet)
    sign_t = Tensor._make(sign, (a,), "slogdet_sign") if sign.dtype.kind == "c" else Tensor._const(sign)
    return SlogdetResult._make((sign_t, Tensor._make(logdet, (a,), "slogdet")))


def _lu_inverse(a: np.ndarray) -> np.ndarray:
    """The inverse of each matrix from LAPACK's LU factorisation and solve (getrf/getrs, what PyTorch's
    backward uses), without numpy's singularity check: an exactly singular matrix gives inf/nan."""
    import scipy.linalg as sl

    n = a.shape[-1]
    flat = a.reshape(-1, n, n)
    res = np.empty(flat.shape, dtype=float_dtype(a.dtype))
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scipy's LinAlgWarning: "Diagonal number k is exactly zero"
        for k, m in enumerate(flat):
            res[k] = sl.lu_solve(sl.lu_factor(m, check_finite=False), np.eye(n), check_finite=False)
    return res.reshape(a.shape)


def _inv_h(a: Any, singular: np.ndarray) -> Any:
    """A^-H; at the exactly ``singular`` matrices of the batch the non-finite LU-solve values
    (PyTorch's), the others inverted as usual (and recorded under create_graph)."""
    if not np.any(singular):
        return mH(lin(a).inv(a))
    d = data_of(a)
    s = np.asarray(singular)[..., None, None]
    safe_eye = np.eye(d.shape[-1], dtype=d.dtype)
    fallback = np.broadcast_to(_lu_inverse(d), d.shape)
    if isinstance(a, Tensor):
        from ..ops import where

        return mH(where(s, fallback, lin(a).inv(where(s, safe_eye, a))))
    return mH(np.where(s, fallback, np.linalg.inv(np.where(s, safe_eye, d))))


@rule("slogdet")  # d log|det A| = Re tr(A^-1 dA): gA = g A^-H
def _slogdet(F, g, out, xs, ctx, need):
    return (real_part(F, g)[..., None, None] * _inv_h(xs[0], data_of(out) == -np.inf),)


@rule("slogdet_sign")  # s = e^(i theta), d theta = Im tr(A^-1 dA): gA = i Im(g conj(s)) A^-H
def _slogdet_sign(F, g, out, xs, ctx, need):
    c = F.imag(g * conj(out))
    return (c[..., None, None] * 1j * _inv_h(xs[0], data_of(out) == 0),)
