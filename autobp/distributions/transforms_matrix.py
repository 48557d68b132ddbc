"""PyTorch's transforms onto simplices and matrices: ``SoftmaxTransform``, ``StickBreakingTransform``
(real vectors to the simplex), ``LowerCholeskyTransform``, ``PositiveDefiniteTransform`` (square
matrices to Cholesky factors / positive-definite matrices) and ``CorrCholeskyTransform`` (vectors to
Cholesky factors of correlation matrices). Composed of differentiable autobp ops."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..linalg import cholesky
from ..nn.functional import logsigmoid, softplus
from ..ops import (
    amax,
    clip,
    concatenate,
    cumprod,
    cumsum,
    diagonal,
    exp,
    log,
    log1p,
    matmul,
    ones,
    sigmoid,
    sqrt,
    swapaxes,
    tanh,
    tril,
)
from ..pytorch_functions import diag_embed
from ..tensor import Tensor
from . import constraints
from .transforms_base import Transform, _IdentityEq


def _need(x: Tensor, ndim: int, who: str) -> None:
    if x.ndim < ndim:
        raise ValueError(f"{who}: too few dimensions on input of shape {x.shape} (needs at least {ndim})")


def _square(x: Tensor, who: str) -> None:
    _need(x, 2, who)
    if x.shape[-1] != x.shape[-2]:
        raise ValueError(f"{who}: expected square matrices, got shape {x.shape}")


def _tril_index(n: int, diag: int) -> np.ndarray:
    """Flat positions (row-major) of the entries (i, j) with j <= i + diag of an n x n matrix."""
    i, j = np.indices((n, n))
    return np.flatnonzero(j <= i + diag)


def tril_matrix_to_vec(mat: Tensor, diag: int = 0) -> Tensor:
    """The entries on and below diagonal ``diag`` of the last two axes, row by row."""
    n = mat.shape[-1]
    if not -n <= diag < n:
        raise ValueError(f"diag ({diag}) provided is outside [{-n}, {n - 1}].")
    return mat.reshape(mat.shape[:-2] + (n * n,))[..., _tril_index(n, diag)]


def vec_to_tril_matrix(vec: Tensor, diag: int = 0) -> Tensor:
    """A lower-triangular matrix (zero above diagonal ``diag``) filled row by row from ``vec``."""
    m = vec.shape[-1]
    n = (-(1 + 2 * diag) + math.sqrt((1 + 2 * diag) ** 2 + 8 * m + 4 * abs(diag) * (diag + 1))) / 2
    if abs(round(n) - n) > 1e-6:
        raise ValueError(
            f"The size of last dimension is {m} which cannot be expressed as the lower triangular "
            "part of a square D x D matrix."
        )
    n = round(n)
    pos = np.full(n * n, m)  # index m is the appended zero
    pos[_tril_index(n, diag)] = np.arange(m)
    padded = concatenate([vec, vec.new_zeros(vec.shape[:-1] + (1,))], axis=-1)
    return padded[..., pos.reshape(n, n)]


def _clipped_sigmoid(x: Tensor) -> Tensor:
    fi = np.finfo(x.dtype)
    return clip(sigmoid(x), float(fi.tiny), 1.0 - float(fi.eps))


class SoftmaxTransform(Transform):
    """y = exp(x) / sum(exp(x)) over the last axis: onto the simplex, not injective (x + c gives the
    same y); the inverse returns log y."""

    domain = constraints.real_vector
    codomain = constraints.simplex
    bijective = False

    def _call(self, x: Tensor) -> Tensor:
        _need(x, 1, "SoftmaxTransform")
        e = exp(x - amax(x, axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)

    def _inverse(self, y: Tensor) -> Tensor:
        return log(y)

    def forward_shape(self, shape: Any) -> tuple:
        """The same shape (at least one axis)."""
        if len(shape) < 1:
            raise ValueError("SoftmaxTransform: too few dimensions on input (shape ())")
        return tuple(shape)

    inverse_shape = forward_shape


def _offset(k: int, dtype: Any) -> np.ndarray:
    """k, k-1, ..., 1: the stick-breaking shift that maps x = 0 to the simplex's centre."""
    return np.arange(k, 0, -1).astype(dtype)


class StickBreakingTransform(Transform):
    """Real vectors of K entries to the simplex of K + 1 by stick breaking: piece i takes the fraction
    sigmoid(x_i - log(K - i)) of what is left (x = 0 gives the uniform point). Bijective."""

    bijective = True

    domain = constraints.real_vector
    codomain = constraints.simplex

    def _call(self, x: Tensor) -> Tensor:
        _need(x, 1, "StickBreakingTransform")
        z = _clipped_sigmoid(x - np.log(_offset(x.shape[-1], x.dtype)))
        one = ones(x.shape[:-1] + (1,), dtype=x.dtype)
        return concatenate([z, one], axis=-1) * concatenate([one, cumprod(1.0 - z, axis=-1)], axis=-1)

    def _inverse(self, y: Tensor) -> Tensor:
        _need(y, 1, "StickBreakingTransform.inv")
        crop = y[..., :-1]
        rest = clip(1.0 - cumsum(crop, axis=-1), float(np.finfo(y.dtype).tiny), None)
        return log(crop) - log(rest) + np.log(_offset(crop.shape[-1], y.dtype))

    def log_abs_det_jacobian(self, x: Any, y: Any) -> Tensor:
        """sum_i (log sigmoid(u_i) - u_i + log y_i), u = x - log(K - i): the triangular Jacobian's
        diagonal."""
        u = x - np.log(_offset(x.shape[-1], x.dtype))
        return (-u + logsigmoid(u) + log(y[..., :-1])).sum(axis=-1)

    def forward_shape(self, shape: Any) -> tuple:
        """One more entry on the last axis."""
        if len(shape) < 1:
            raise ValueError("StickBreakingTransform: too few dimensions on input (shape ())")
        return tuple(shape[:-1]) + (shape[-1] + 1,)

    def inverse_shape(self, shape: Any) -> tuple:
        """One entry fewer on the last axis."""
        if len(shape) < 1:
            raise ValueError("StickBreakingTransform: too few dimensions on input (shape ())")
        return tuple(shape[:-1]) + (shape[-1] - 1,)


class LowerCholeskyTransform(Transform):
    """Square matrices to lower-triangular ones with positive diagonal: the strictly lower part kept,
    the diagonal exponentiated, the upper part dropped (so not injective)."""

    domain = constraints.independent(constraints.real, 2)
    codomain = constraints.lower_cholesky
    bijective = False

    def _call(self, x: Tensor) -> Tensor:
        _square(x, "LowerCholeskyTransform")
        return tril(x, -1) + diag_embed(exp(diagonal(x, 0, -2, -1)))

    def _inverse(self, y: Tensor) -> Tensor:
        _square(y, "LowerCholeskyTransform.inv")
        return tril(y, -1) + diag_embed(log(diagonal(y, 0, -2, -1)))


class PositiveDefiniteTransform(Transform):
    """Square matrices to positive-definite ones: L L^T with L = LowerCholeskyTransform(x)."""

    domain = constraints.independent(constraints.real, 2)
    codomain = constraints.positive_definite
    bijective = False

    def _call(self, x: Tensor) -> Tensor:
        low = LowerCholeskyTransform()(x)
        return matmul(low, swapaxes(low, -1, -2))

    def _inverse(self, y: Tensor) -> Tensor:
        _square(y, "PositiveDefiniteTransform.inv")
        return LowerCholeskyTransform().inv(cholesky(y))


class CorrCholeskyTransform(_IdentityEq, Transform):
    """Vectors of D (D - 1) / 2 reals to D x D Cholesky factors of correlation matrices: tanh of the
    entries, laid row by row below the diagonal, each row then scaled onto the unit sphere by stick
    breaking (PyTorch's construction). Bijective."""

    bijective = True

    domain = constraints.real_vector
    codomain = constraints.corr_cholesky

    def _call(self, x: Tensor) -> Tensor:
        _need(x, 1, "CorrCholeskyTransform")
        eps = float(np.finfo(x.dtype).eps)
        r = vec_to_tril_matrix(clip(tanh(x), -1.0 + eps, 1.0 - eps), diag=-1)
        keep = cumprod(sqrt(1.0 - r * r), axis=-1)
        one = ones(r.shape[:-1] + (1,), dtype=x.dtype)
        r = r + np.eye(r.shape[-1], dtype=x.dtype)
        return r * concatenate([one, keep[..., :-1]], axis=-1)

    def _inverse(self, y: Tensor) -> Tensor:
        _square(y, "CorrCholeskyTransform.inv")
        left = 1.0 - cumsum(y * y, axis=-1)
        one = ones(y.shape[:-1] + (1,), dtype=y.dtype)
        shifted = concatenate([one, left[..., :-1]], axis=-1)
        t = tril_matrix_to_vec(y, -1) / sqrt(tril_matrix_to_vec(shifted, -1))
        return 0.5 * (log1p(t) - log1p(-t))

    def log_abs_det_jacobian(self, x: Any, y: Any) -> Tensor:
        """The stick-breaking part, 1/2 sum log(1 - cumsum(y^2)) below the first subdiagonal, plus
        the tanh part, sum log(1 - tanh(x)^2)."""
        left = tril_matrix_to_vec(1.0 - cumsum(y * y, axis=-1), -2)
        stick = 0.5 * log(left).sum(axis=-1)
        return stick - 2.0 * (x + softplus(-2.0 * x) - math.log(2.0)).sum(axis=-1)

    def forward_shape(self, shape: Any) -> tuple:
        """(..., N) to (..., D, D) with N = D (D - 1) / 2."""
        if len(shape) < 1:
            raise ValueError("CorrCholeskyTransform: too few dimensions on input (shape ())")
        n = shape[-1]
        d = round((0.25 + 2 * n) ** 0.5 + 0.5)
        if d * (d - 1) // 2 != n:
            raise ValueError(f"CorrCholeskyTransform: last axis of shape {tuple(shape)} is not D (D - 1) / 2")
        return tuple(shape[:-1]) + (d, d)

    def inverse_shape(self, shape: Any) -> tuple:
        """(..., D, D) to (..., D (D - 1) / 2)."""
        if len(shape) < 2:
            raise ValueError(f"CorrCholeskyTransform: too few dimensions on input (shape {tuple(shape)})")
        if shape[-2] != shape[-1]:
            raise ValueError(f"CorrCholeskyTransform: input of shape {tuple(shape)} is not square")
        d = shape[-1]
        return tuple(shape[:-2]) + (d * (d - 1) // 2,)
