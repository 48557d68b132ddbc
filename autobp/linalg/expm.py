"""The matrix exponential: scipy's expm forward, and a backward that is itself a matrix exponential
(Van Loan's block trick), so every derivative order is again a matrix_exp."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..ops._args import as_tensor
from ..ops._decl import op
from ..rules import holomorphic, rule
from ..tensor import Tensor
from ._common import FAMILY, NS, check_matrix, expm_arrays, lin, mT


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def matrix_exp(a: Any) -> Tensor:
    """exp(a) = sum a^k / k! of each square matrix (scipy.linalg.expm), batched."""
    a = as_tensor(a)
    check_matrix(a, "matrix_exp")
    return Tensor._make(expm_arrays(a._data), (a,), "matrix_exp")


@rule("matrix_exp")
@holomorphic  # exp has real Taylor coefficients: complex gA is the derivative at A^H
def _matrix_exp(F, g, out, xs, ctx, need):
    # gA is the Frechet derivative of exp at A^T in the direction g, the upper-right block of
    # exp([[A^T, g], [0, A^T]]) (Van Loan 1978)
    at = mT(xs[0])
    n = at.shape[-1]
    la = lin(g)
    zeros = np.zeros(np.broadcast_shapes(at.shape, g.shape), dtype=g.dtype)
    at = at + zeros  # both blocks of a row need the full batch shape
    top = la.concatenate([at, g + zeros], -1)
    bottom = la.concatenate([zeros, at], -1)
    return (la.matrix_exp(la.concatenate([top, bottom], -2))[..., :n, n:],)
