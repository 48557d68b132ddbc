"""PyTorch's ``Wishart``: the law of sum_i x_i x_i^T for df draws x_i ~ N(0, Sigma) (any real
df > p - 1), given by Sigma, its inverse or its Cholesky factor. ``rsample`` is Bartlett's
decomposition L A A^T L^T (chi draws on A's diagonal, reparameterised through the Gamma draws, normal
noise below), differentiable in df and the matrix; log density, entropy, moments and the KL divergence
between two Wisharts in closed form."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from .. import linalg
from .._cholesky_solve import cholesky_solve
from ..ops import broadcast_to, clip, diagonal, full_like, log, matmul, sqrt, swapaxes, where
from ..pytorch_math import mvlgamma
from ..special import digamma
from ..tensor import Tensor
from . import constraints
from .distribution import Distribution, lazy_property, params, rng
from .gamma import Chi2
from .kl import register_kl
from .multivariate_normal import _symmetric

_LOG_2 = math.log(2.0)


def _mvdigamma(x: Tensor, p: int) -> Tensor:
    """The multivariate digamma sum_{i<p} psi(x - i / 2), for x > (p - 1) / 2."""
    if not np.all(x._data > (p - 1) / 2):
        raise ValueError(f"multivariate digamma of dimension {p} needs x > {(p - 1) / 2}")
    return digamma(x[..., None] - np.arange(p, dtype=x.dtype) / 2.0).sum(axis=-1)


class Wishart(Distribution):
    """The Wishart distribution of ``df`` degrees of freedom (a number or Tensor > p - 1) and exactly
    one of ``covariance_matrix``, ``precision_matrix`` or ``scale_tril`` (..., p, p); events are
    (p, p) symmetric positive definite matrices."""

    support = constraints.positive_definite
    has_rsample = True

    @property
    def arg_constraints(self) -> dict:  # type: ignore[override]
        """The matrix's constraint and df > p - 1."""
        return {
            "covariance_matrix": constraints.positive_definite,
            "precision_matrix": constraints.positive_definite,
            "scale_tril": constraints.lower_cholesky,
            "df": constraints.greater_than(self.event_shape[-1] - 1),
        }

    def __init__(
        self,
        df: Any,
        covariance_matrix: Any = None,
        precision_matrix: Any = None,
        scale_tril: Any = None,
        validate_args: bool | None = None,
    ) -> None:
        given = [m is not None for m in (covariance_matrix, precision_matrix, scale_tril)]
        if sum(given) != 1:  # PyTorch raises AssertionError here
            raise AssertionError(
                "Exactly one of covariance_matrix or precision_matrix or scale_tril may be specified."
            )
        name = ("covariance_matrix", "precision_matrix", "scale_tril")[given.index(True)]
        matrix = next(m for m in (covariance_matrix, precision_matrix, scale_tril) if m is not None)
        matrix, df = params(matrix, df)
        if matrix.ndim < 2:
            raise ValueError(
                "scale_tril must be at least two-dimensional, with optional leading batch dimensions"
            )
        p = matrix.shape[-1]
        if matrix.shape[-2] != p:
            raise ValueError(f"{name} must be square (..., p, p), got shape {matrix.shape}")
        batch = np.broadcast_shapes(matrix.shape[:-2], df.shape)
        self.df = broadcast_to(df, batch)
        if np.any(self.df._data <= p - 1):
            raise ValueError(f"Value of df={df._data} expected to be greater than ndim - 1 = {p - 1}.")
        setattr(self, name, broadcast_to(matrix, batch + (p, p)))
        if np.any(self.df._data < p):
            warnings.warn(
                "Low df values detected. Singular samples are highly likely to occur for "
                "ndim - 1 < df < ndim.",
                stacklevel=2,
            )
        super().__init__(batch, (p, p), validate_args)
        if name == "scale_tril":
            self._unbroadcasted_scale_tril = matrix
        elif name == "covariance_matrix":  # of the symmetric part: a symmetric gradient, as PyTorch's
            self._unbroadcasted_scale_tril = linalg.cholesky(_symmetric(matrix))
        else:
            self._unbroadcasted_scale_tril = linalg.cholesky(linalg.inv(_symmetric(matrix)))

    def expand(self, batch_shape: Any, _instance: Any = None) -> Distribution:
        """df and the matrices broadcast to ``batch_shape`` (the Cholesky factor is shared)."""
        batch_shape = tuple(batch_shape)
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new.df = broadcast_to(self.df, batch_shape)
        for name in ("covariance_matrix", "precision_matrix", "scale_tril"):
            if name in self.__dict__:
                new.__dict__[name] = broadcast_to(self.__dict__[name], batch_shape + self._event_shape)
        new._batch_shape = batch_shape
        return new

    @lazy_property
    def scale_tril(self) -> Tensor:
        """The lower Cholesky factor L of the scale matrix Sigma."""
        return broadcast_to(self._unbroadcasted_scale_tril, self._batch_shape + self._event_shape)

    @lazy_property
    def covariance_matrix(self) -> Tensor:
        """The scale matrix Sigma = L L^T."""
        lt = self._unbroadcasted_scale_tril
        return broadcast_to(matmul(lt, swapaxes(lt, -1, -2)), self._batch_shape + self._event_shape)

    @lazy_property
    def precision_matrix(self) -> Tensor:
        """Sigma^-1."""
        lt = self._unbroadcasted_scale_tril
        eye = Tensor._const(np.eye(self._event_shape[-1], dtype=lt.dtype))
        return broadcast_to(cholesky_solve(eye, lt), self._batch_shape + self._event_shape)

    def _df_matrix(self, x: Tensor) -> Tensor:
        return x.reshape(self._batch_shape + (1, 1))

    @property
    def mean(self) -> Tensor:
        """df Sigma."""
        return self._df_matrix(self.df) * self.covariance_matrix

    @property
    def mode(self) -> Tensor:
        """(df - p - 1) Sigma for df > p + 1, else nan."""
        factor = self.df - (self._event_shape[-1] + 1.0)
        bad = factor._data <= 0
        if np.any(bad):
            factor = where(bad, full_like(factor, np.nan), factor)
        return self._df_matrix(factor) * self.covariance_matrix

    @property
    def variance(self) -> Tensor:
        """Var(X_ij) = df (Sigma_ij^2 + Sigma_ii Sigma_jj)."""
        v = self.covariance_matrix
        d = diagonal(v, axis1=-2, axis2=-1)
        return self._df_matrix(self.df) * (v * v + d[..., :, None] * d[..., None, :])

    def _bartlett(self, sample_shape: tuple) -> Tensor:
        p = self._event_shape[-1]
        lt = self._unbroadcasted_scale_tril
        chi2 = Chi2(self.df[..., None] - np.arange(p, dtype=self.df.dtype), validate_args=False)
        eps = float(np.finfo(lt.dtype).eps)
        chi = clip(sqrt(chi2.rsample(sample_shape)), eps, None)
        i, j = np.tril_indices(p, -1)
        below = np.zeros(sample_shape + self._batch_shape + (p, p), dtype=lt.dtype)
        below[..., i, j] = rng().standard_normal(sample_shape + self._batch_shape + (len(i),))
        noise = chi[..., None] * np.eye(p, dtype=lt.dtype) + Tensor._const(below)
        chol = matmul(lt, noise)
        return matmul(chol, swapaxes(chol, -1, -2))

    def rsample(self, sample_shape: Any = (), max_try_correction: int | None = None) -> Tensor:
        """Bartlett draws L A A^T L^T, differentiable in df and the matrix. Draws that are not
        positive definite (likely for df < p) are redrawn up to ``max_try_correction`` (10) times,
        with a warning; some may stay singular."""
        sample_shape = (sample_shape,) if isinstance(sample_shape, int) else tuple(sample_shape)
        tries = 10 if max_try_correction is None else int(max_try_correction)
        sample = self._bartlett(sample_shape)
        singular = ~np.asarray(self.support.check(sample._data), bool)
        if singular.any():
            warnings.warn("Singular sample detected.", stacklevel=2)
        for _ in range(tries):
            if not singular.any():
                break
            redraw = self._bartlett(sample_shape)
            sample = where(singular[..., None, None], redraw, sample)
            singular = ~np.asarray(self.support.check(sample._data), bool)
        return sample

    def _log_det_half(self) -> Tensor:
        """p log 2 / 2 + log det L."""
        lt = self._unbroadcasted_scale_tril
        p = self._event_shape[-1]
        return p * _LOG_2 / 2.0 + log(diagonal(lt, axis1=-2, axis2=-1)).sum(axis=-1)

    def log_prob(self, value: Any) -> Tensor:
        """-df (p log 2 / 2 + log det L) - log Gamma_p(df / 2) + (df - p - 1) / 2 log det X
        - tr(Sigma^-1 X) / 2."""
        value = self._value(value)
        nu, p = self.df, self._event_shape[-1]
        logdet = linalg.slogdet(value)[1]
        trace = diagonal(cholesky_solve(value, self._unbroadcasted_scale_tril), axis1=-2, axis2=-1).sum(
            axis=-1
        )
        return (
            -nu * self._log_det_half() - mvlgamma(nu / 2.0, p) + (nu - p - 1.0) / 2.0 * logdet - trace / 2.0
        )

    def entropy(self) -> Tensor:
        """(p + 1)(p log 2 / 2 + log det L) + log Gamma_p(df / 2) - (df - p - 1) / 2 psi_p(df / 2)
        + df p / 2."""
        nu, p = self.df, self._event_shape[-1]
        return (
            (p + 1) * self._log_det_half()
            + mvlgamma(nu / 2.0, p)
            - (nu - p - 1.0) / 2.0 * _mvdigamma(nu / 2.0, p)
            + nu * p / 2.0
        )


@register_kl(Wishart, Wishart)
def _kl_wishart_wishart(p: Wishart, q: Wishart) -> Tensor:
    # n_q (log det L_q - log det L_p) + n_p (tr(Sigma_q^-1 Sigma_p) - k) / 2
    #   + log Gamma_k(n_q / 2) - log Gamma_k(n_p / 2) + (n_p - n_q) / 2 psi_k(n_p / 2)
    if p.event_shape != q.event_shape:
        raise ValueError("KL-divergence between two Wisharts with different event shapes cannot be computed")
    k = p.event_shape[-1]
    lp, lq = p._unbroadcasted_scale_tril, q._unbroadcasted_scale_tril
    half_logdet_p = log(diagonal(lp, axis1=-2, axis2=-1)).sum(axis=-1)
    half_logdet_q = log(diagonal(lq, axis1=-2, axis2=-1)).sum(axis=-1)
    batch = np.broadcast_shapes(lp.shape[:-2], lq.shape[:-2])
    m = linalg.solve_triangular(
        broadcast_to(lq, batch + (k, k)), broadcast_to(lp, batch + (k, k)), lower=True
    )
    trace = (m * m).sum(axis=(-2, -1))
    np_, nq = p.df, q.df
    return (
        nq * (half_logdet_q - half_logdet_p)
        + np_ * (trace - k) / 2.0
        + mvlgamma(nq / 2.0, k)
        - mvlgamma(np_ / 2.0, k)
        + (np_ - nq) / 2.0 * _mvdigamma(np_ / 2.0, k)
    )
