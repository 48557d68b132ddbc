"""jax.scipy.stats.gaussian_kde: a Gaussian kernel density estimate whose evaluate/logpdf/pdf/__call__
and integrate_* are compositions of autobp's ops, differentiable in the points, the dataset and the
weights, with scipy's bandwidth rules (scott, silverman, a number, or a callable of the estimator) and
values; resample is scipy's (size, seed)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import linalg
from .._plain import has_tensor, to_plain
from ..linalg._common import diagonal
from ..ops import exp, log
from ..special import logsumexp, ndtr
from ..tensor import Tensor
from ._common import arg, tensors

_LOG_2PI = np.log(2.0 * np.pi)


class gaussian_kde:  # noqa: N801
    """A Gaussian kernel density estimate of ``dataset`` (shape (d, n), or (n,) for one dimension),
    optionally weighted; the kernel covariance is the data's weighted covariance times factor^2."""

    def __init__(self, dataset: Any, bw_method: Any = None, weights: Any = None) -> None:
        """Fit the estimate; ``bw_method`` is "scott" (default), "silverman", a number (the factor) or
        a callable taking this estimator and returning the factor."""
        data = arg(dataset)
        if data.dtype.kind != "f":
            data = data.astype(np.float64)
        if data.ndim == 1:
            data = data.reshape(1, -1)
        if data.ndim != 2:
            raise ValueError(f"gaussian_kde: dataset must be 1-d or 2-d (d, n), got shape {data.shape}")
        self.dataset = data
        self.d, self.n = data.shape
        if self.n < 2:
            raise ValueError(f"gaussian_kde: the dataset needs more than one point, got {self.n}")
        self._plain = not has_tensor([dataset, weights])
        if weights is None:
            w = Tensor._const(np.full(self.n, 1.0 / self.n, dtype=data.dtype))
        else:
            w = arg(weights)
            if w.ndim != 1 or w.shape[0] != self.n:
                raise ValueError(f"gaussian_kde: weights must have shape ({self.n},), got {w.shape}")
            w = w / w.sum()
        self.weights = w
        self.neff = 1.0 / (w * w).sum()
        self.set_bandwidth(bw_method)

    def scotts_factor(self) -> Any:
        """neff^(-1 / (d + 4))."""
        return self.neff ** (-1.0 / (self.d + 4))

    def silverman_factor(self) -> Any:
        """(neff (d + 2) / 4)^(-1 / (d + 4))."""
        return (self.neff * (self.d + 2.0) / 4.0) ** (-1.0 / (self.d + 4))

    covariance_factor = scotts_factor

    def set_bandwidth(self, bw_method: Any = None) -> None:
        """Choose the bandwidth rule (as in the constructor) and recompute the kernel covariance."""
        if bw_method is None or bw_method == "scott":
            self.covariance_factor = self.scotts_factor
        elif bw_method == "silverman":
            self.covariance_factor = self.silverman_factor
        elif np.isscalar(bw_method) and not isinstance(bw_method, str):
            self.covariance_factor = lambda: bw_method
        elif callable(bw_method):
            self.covariance_factor = lambda: bw_method(self)
        else:
            raise ValueError("gaussian_kde: bw_method must be 'scott', 'silverman', a number or a callable")
        self.factor = self.covariance_factor()
        w, x = self.weights, self.dataset
        centered = x - (x * w).sum(axis=1, keepdims=True)
        self._data_covariance = (centered * w) @ centered.T / (1.0 - (w * w).sum())
        self.covariance = self._data_covariance * self.factor**2
        self._chol = linalg.cholesky(self.covariance)
        self.log_det = 2.0 * log(diagonal(self._chol)).sum()

    def logpdf(self, x: Any) -> Any:
        """The log of the estimated density at the points ``x`` (shape (d, m), or (m,) for d = 1)."""
        pts = arg(x)
        plain = self._plain and not isinstance(x, Tensor)
        if pts.ndim == 0:
            pts = pts.reshape(1, 1)
        elif pts.ndim == 1:
            pts = pts.reshape(1, -1) if self.d == 1 else pts.reshape(-1, 1)
        if pts.shape[0] != self.d:
            raise ValueError(f"gaussian_kde: points of shape {arg(x).shape} have dimension != {self.d}")
        m = pts.shape[1]
        diff = pts.reshape(self.d, m, 1) - self.dataset.reshape(self.d, 1, self.n)
        z = linalg.solve_triangular(self._chol, diff.reshape(self.d, m * self.n), lower=True)
        energy = 0.5 * (z * z).sum(axis=0).reshape(m, self.n)
        norm = 0.5 * self.d * _LOG_2PI + 0.5 * self.log_det
        out = logsumexp(log(self.weights) - energy, axis=1) - norm
        return to_plain(out) if plain else out

    def evaluate(self, points: Any) -> Any:
        """The estimated density at ``points``."""
        out = exp(arg(self.logpdf(points)))
        return to_plain(out) if self._plain and not isinstance(points, Tensor) else out

    __call__ = evaluate
    pdf = evaluate

    def _out(self, out: Any, *others: Any) -> Any:
        return to_plain(out) if self._plain and not has_tensor(list(others)) else out

    def integrate_box_1d(self, low: Any, high: Any) -> Any:
        """The estimate's probability mass in [low, high] (one-dimensional data only)."""
        if self.d != 1:
            raise ValueError(f"gaussian_kde.integrate_box_1d: needs 1-d data, got d = {self.d}")
        std = self.covariance.reshape(()) ** 0.5
        x, high_, low_ = tensors(self.dataset.reshape(-1), high, low)  # numbers take the data's dtype
        mass = ndtr((high_ - x) / std) - ndtr((low_ - x) / std)
        return self._out((self.weights * mass).sum(), low, high)

    def integrate_gaussian(self, mean: Any, cov: Any) -> Any:
        """The integral of the estimate times the normal density N(mean, cov)."""
        m, c = arg(mean).reshape(self.d, 1), arg(cov).reshape(self.d, self.d)
        return self._out(_mixture_overlap(self.dataset, self.weights, m, self.covariance + c), mean, cov)

    def integrate_kde(self, other: gaussian_kde) -> Any:
        """The integral of the product of this estimate and ``other`` (same dimension)."""
        if other.d != self.d:
            raise ValueError(f"gaussian_kde.integrate_kde: dimensions {self.d} and {other.d} differ")
        cov = self.covariance + other.covariance
        total = 0.0
        for j in range(other.n):
            total = total + other.weights[j] * _mixture_overlap(
                self.dataset, self.weights, other.dataset[:, j : j + 1], cov
            )
        plain = self._plain and other._plain
        return to_plain(total) if plain and isinstance(total, Tensor) else total

    def resample(self, size: Any = None, seed: Any = None, *, shape: Any = None) -> Any:
        """``size`` (default n) draws from the estimate, shape (d, size): data points chosen by weight
        plus kernel noise (numpy's Generator from ``seed``); differentiable in the dataset and bandwidth.
        JAX's form ``resample(key, shape=(...))``: with ``shape`` given, the first argument is the
        random key (a seed or Generator) and the result has shape (d, *shape)."""
        if shape is not None:
            size, seed = None, size
            shape = (shape,) if np.isscalar(shape) else tuple(shape)
        rng = np.random.default_rng(seed)
        size = (self.n if size is None else int(size)) if shape is None else int(np.prod(shape))
        noise = rng.standard_normal((self.d, size)).astype(self.dataset.dtype)
        p = np.asarray(self.weights._data, dtype=np.float64)
        idx = rng.choice(self.n, size=size, p=p / p.sum())  # float32 weights summed to 1 in float32 only
        out = self.dataset[:, idx] + self._chol @ noise
        if shape is not None:
            out = out.reshape((self.d,) + shape)
        return to_plain(out) if self._plain else out


def _mixture_overlap(points: Tensor, weights: Tensor, mean: Tensor, cov: Tensor) -> Tensor:
    """sum_i w_i N(mean; x_i, cov) for the columns x_i of ``points``."""
    d = points.shape[0]
    chol = linalg.cholesky(cov)
    z = linalg.solve_triangular(chol, points - mean, lower=True)
    log_det = 2.0 * log(diagonal(chol)).sum()
    return (weights * exp(-0.5 * (z * z).sum(axis=0))).sum() * exp(-0.5 * (d * _LOG_2PI + log_det))
