"""PyTorch's ``MultivariateNormal``: N(loc, Sigma) given by a covariance, a precision or a lower
Cholesky factor L (Sigma = L L^T). Everything goes through L: ``rsample`` is loc + L eps, so it is
differentiable in loc and in whichever matrix was given."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import linalg
from ..ops import broadcast_to, diagonal, log, matmul, swapaxes
from ..tensor import Tensor
from . import constraints
from .distribution import Distribution, lazy_property, params, rng


def _tril_solve(scale_tril: Tensor, rhs: Tensor) -> Tensor:
    """L^-1 rhs for rhs (..., k, m), L broadcast over rhs's batch (and rhs over L's)."""
    batch = np.broadcast_shapes(scale_tril.shape[:-2], rhs.shape[:-2])
    lt = broadcast_to(scale_tril, batch + scale_tril.shape[-2:])
    return linalg.solve_triangular(lt, broadcast_to(rhs, batch + rhs.shape[-2:]), lower=True)


def _symmetric(m: Tensor) -> Tensor:
    return 0.5 * (m + swapaxes(m, -1, -2))


def batch_mahalanobis(scale_tril: Tensor, diff: Tensor) -> Tensor:
    """||L^-1 diff||^2 over the last axis, L and diff's batch dims broadcast."""
    z = _tril_solve(scale_tril, diff[..., None])[..., 0]
    return (z * z).sum(axis=-1)


class MultivariateNormal(Distribution):
    """The multivariate normal with mean ``loc`` (..., k) and exactly one of ``covariance_matrix``,
    ``precision_matrix`` or ``scale_tril`` (..., k, k); batch dims of loc and the matrix broadcast."""

    arg_constraints = {
        "loc": constraints.real_vector,
        "covariance_matrix": constraints.positive_definite,
        "precision_matrix": constraints.positive_definite,
        "scale_tril": constraints.lower_cholesky,
    }
    support = constraints.real_vector
    has_rsample = True

    def __init__(
        self,
        loc: Any,
        covariance_matrix: Any = None,
        precision_matrix: Any = None,
        scale_tril: Any = None,
        validate_args: bool | None = None,
    ) -> None:
        given = [m is not None for m in (covariance_matrix, precision_matrix, scale_tril)]
        if sum(given) != 1:
            raise ValueError(
                "Exactly one of covariance_matrix or precision_matrix or scale_tril may be specified."
            )
        name = ("covariance_matrix", "precision_matrix", "scale_tril")[given.index(True)]
        loc, matrix = params(
            loc, next(m for m in (covariance_matrix, precision_matrix, scale_tril) if m is not None)
        )
        if loc.ndim < 1:
            raise ValueError("loc must be at least one-dimensional.")
        if matrix.ndim < 2:
            raise ValueError(
                f"{name} must be at least two-dimensional, with optional leading batch dimensions"
            )
        k = loc.shape[-1]
        if matrix.shape[-2:] != (k, k):
            raise ValueError(f"{name} of shape {matrix.shape} does not match loc's event size {k}")
        batch = np.broadcast_shapes(loc.shape[:-1], matrix.shape[:-2])
        self.loc = broadcast_to(loc, batch + (k,))
        setattr(self, name, broadcast_to(matrix, batch + (k, k)))
        super().__init__(batch, (k,), validate_args)  # validates before the Cholesky factor
        # the Cholesky factor reads one triangle; of the symmetric part, so that the gradient to a
        # covariance or precision is symmetric (PyTorch's)
        if name == "scale_tril":
            self._unbroadcasted_scale_tril = matrix
        elif name == "covariance_matrix":
            self._unbroadcasted_scale_tril = linalg.cholesky(_symmetric(matrix))
        else:
            self._unbroadcasted_scale_tril = linalg.cholesky(linalg.inv(_symmetric(matrix)))

    @lazy_property
    def scale_tril(self) -> Tensor:
        """The lower Cholesky factor L of the covariance."""
        return broadcast_to(self._unbroadcasted_scale_tril, self._batch_shape + self._event_shape * 2)

    @lazy_property
    def covariance_matrix(self) -> Tensor:
        """L L^T."""
        lt = self._unbroadcasted_scale_tril
        return broadcast_to(matmul(lt, swapaxes(lt, -1, -2)), self._batch_shape + self._event_shape * 2)

    @lazy_property
    def precision_matrix(self) -> Tensor:
        """The inverse covariance."""
        return broadcast_to(linalg.inv(self.covariance_matrix), self._batch_shape + self._event_shape * 2)

    @property
    def mean(self) -> Tensor:
        """loc."""
        return self.loc

    @property
    def mode(self) -> Tensor:
        """loc."""
        return self.loc

    @property
    def variance(self) -> Tensor:
        """The diagonal of the covariance: the row sums of L^2."""
        lt = self._unbroadcasted_scale_tril
        return broadcast_to((lt * lt).sum(axis=-1), self._batch_shape + self._event_shape)

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        """loc + L eps with eps ~ N(0, I)."""
        shape = self._extended_shape(sample_shape)
        eps = Tensor._const(np.asarray(rng().standard_normal(shape)).astype(self.loc.dtype, copy=False))
        return self.loc + matmul(self._unbroadcasted_scale_tril, eps[..., None])[..., 0]

    def _half_log_det(self) -> Tensor:
        return log(diagonal(self._unbroadcasted_scale_tril, axis1=-2, axis2=-1)).sum(axis=-1)

    def log_prob(self, value: Any) -> Tensor:
        """-(k log 2 pi + ||L^-1 (value - loc)||^2) / 2 - log det L."""
        value = self._value(value)
        m = batch_mahalanobis(self._unbroadcasted_scale_tril, value - self.loc)
        k = self._event_shape[0]
        return -0.5 * (k * math.log(2.0 * math.pi) + m) - self._half_log_det()

    def entropy(self) -> Tensor:
        """k (1 + log 2 pi) / 2 + log det L."""
        k = self._event_shape[0]
        h = 0.5 * k * (1.0 + math.log(2.0 * math.pi)) + self._half_log_det()
        return broadcast_to(h, self._batch_shape)


class LowRankMultivariateNormal(Distribution):
    """The multivariate normal with covariance W W^T + diag(d): ``cov_factor`` W (..., k, r) and
    ``cov_diag`` d (..., k). Log density and entropy go through the Cholesky factor of the (k, k)
    covariance (exact; O(k^3) where PyTorch's Woodbury form is O(k r^2)); ``rsample`` is
    loc + W eps_r + sqrt(d) eps_k, as PyTorch draws it."""

    arg_constraints = {
        "loc": constraints.real_vector,
        "cov_factor": constraints.independent(constraints.real, 2),
        "cov_diag": constraints.independent(constraints.positive, 1),
    }
    support = constraints.real_vector
    has_rsample = True

    def __init__(self, loc: Any, cov_factor: Any, cov_diag: Any, validate_args: bool | None = None) -> None:
        loc, w, d = params(loc, cov_factor, cov_diag)
        if loc.ndim < 1 or w.ndim < 2 or d.ndim < 1:
            raise ValueError(
                f"LowRankMultivariateNormal: loc {loc.shape}, cov_factor {w.shape} and cov_diag {d.shape} "
                "need at least 1, 2 and 1 dimensions"
            )
        k = loc.shape[-1]
        if w.shape[-2] != k or d.shape[-1] != k:
            raise ValueError(
                f"LowRankMultivariateNormal: cov_factor {w.shape} must be (..., {k}, rank) and cov_diag "
                f"{d.shape} must be (..., {k}) for loc {loc.shape}"
            )
        batch = np.broadcast_shapes(loc.shape[:-1], w.shape[:-2], d.shape[:-1])
        self.loc = broadcast_to(loc, batch + (k,))
        self.cov_factor = broadcast_to(w, batch + w.shape[-2:])
        self.cov_diag = broadcast_to(d, batch + (k,))
        super().__init__(batch, (k,), validate_args)

    @lazy_property
    def covariance_matrix(self) -> Tensor:
        """W W^T + diag(d)."""
        w = self.cov_factor
        return matmul(w, swapaxes(w, -1, -2)) + self.cov_diag[..., None] * np.eye(self._event_shape[0])

    @lazy_property
    def scale_tril(self) -> Tensor:
        """The lower Cholesky factor of the covariance."""
        return linalg.cholesky(self.covariance_matrix)

    @lazy_property
    def precision_matrix(self) -> Tensor:
        """The inverse covariance."""
        return linalg.inv(self.covariance_matrix)

    @property
    def mean(self) -> Tensor:
        """loc."""
        return self.loc

    @property
    def mode(self) -> Tensor:
        """loc."""
        return self.loc

    @property
    def variance(self) -> Tensor:
        """The row sums of W^2 plus d."""
        return (self.cov_factor * self.cov_factor).sum(axis=-1) + self.cov_diag

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        """loc + W eps_r + sqrt(d) eps_k."""
        shape = self._extended_shape(sample_shape)
        r = self.cov_factor.shape[-1]
        gen, dt = rng(), self.loc.dtype
        eps_w = Tensor._const(np.asarray(gen.standard_normal(shape[:-1] + (r,))).astype(dt, copy=False))
        eps_d = Tensor._const(np.asarray(gen.standard_normal(shape)).astype(dt, copy=False))
        return self.loc + matmul(self.cov_factor, eps_w[..., None])[..., 0] + self.cov_diag**0.5 * eps_d

    def log_prob(self, value: Any) -> Tensor:
        """-(k log 2 pi + ||L^-1 (value - loc)||^2) / 2 - log det L."""
        value = self._value(value)
        lt = self.scale_tril
        m = batch_mahalanobis(lt, value - self.loc)
        half_log_det = log(diagonal(lt, axis1=-2, axis2=-1)).sum(axis=-1)
        return -0.5 * (self._event_shape[0] * math.log(2.0 * math.pi) + m) - half_log_det

    def entropy(self) -> Tensor:
        """k (1 + log 2 pi) / 2 + log det L."""
        half_log_det = log(diagonal(self.scale_tril, axis1=-2, axis2=-1)).sum(axis=-1)
        return 0.5 * self._event_shape[0] * (1.0 + math.log(2.0 * math.pi)) + half_log_det
