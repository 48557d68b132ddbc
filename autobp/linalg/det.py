"""Determinants: det (gradient the cofactor matrix, also at singular matrices) and slogdet."""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np

from ..ops._args import as_tensor
from ..ops._decl import op
from ..ops.complex_parts import real_part
from ..rules import holomorphic, rule
from ..tensor import Tensor
from ._common import FAMILY, NS, check_matrix, conj, data_of, lin, mH, mT

SlogdetResult = namedtuple("SlogdetResult", ["sign", "logabsdet"])


@op(family=FAMILY, namespace=NS, numpy=(np.linalg.det,), method=False)
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
def slogdet(a: Any) -> SlogdetResult:
    """(sign, log|det|) of each square matrix, as numpy's slogdet. log|det| has the gradient A^-H
    (at a singular matrix log|det| is -inf and the gradient is not finite, as in PyTorch); a real
    sign is piecewise constant, a complex one (det/|det|, a phase e^(i theta)) has a gradient too."""
    a = as_tensor(a)
    check_matrix(a, "slogdet")
    sign, logdet = np.linalg.slogdet(a._data)
    sign, logdet = np.asarray(sign), np.asarray(logdet)
    sign_t = Tensor._make(sign, (a,), "slogdet_sign") if sign.dtype.kind == "c" else Tensor._const(sign)
    return SlogdetResult(sign_t, Tensor._make(logdet, (a,), "slogdet"))


def _inv_h(a: Any) -> Any:
    return mH(lin(a).inv(a))


@rule("slogdet")  # d log|det A| = Re tr(A^-1 dA): gA = g A^-H
def _slogdet(F, g, out, xs, ctx, need):
    return (real_part(F, g)[..., None, None] * _inv_h(xs[0]),)


@rule("slogdet_sign")  # s = e^(i theta), d theta = Im tr(A^-1 dA): gA = i Im(g conj(s)) A^-H
def _slogdet_sign(F, g, out, xs, ctx, need):
    c = F.imag(g * conj(out))
    return (c[..., None, None] * 1j * _inv_h(xs[0]),)
