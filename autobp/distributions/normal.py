"""The normal family (PyTorch's ``Normal`` and ``StudentT``): log densities, cdf and quantile, moments,
entropy; ``rsample`` is loc + scale * noise, so it is differentiable in loc and scale."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..ops import full_like, log, log1p, sqrt, where
from ..special import digamma, erf, erfinv, gammaln
from ..tensor import Tensor
from . import constraints
from .distribution import Distribution, broadcast_all, rng
from .location_scale import LocScale

_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)


def _noise(shape: tuple, dtype: np.dtype) -> Tensor:
    return Tensor._const(np.asarray(rng().standard_normal(shape)).astype(dtype, copy=False))


class Normal(LocScale):
    """The normal distribution N(loc, scale^2), batched over the broadcast shape of loc and scale.

    >>> float(Normal(0.0, 1.0).log_prob(0.0))  # -log(2 pi) / 2
    -0.9189385332046727
    """

    @property
    def stddev(self) -> Tensor:
        """scale."""
        return self.scale

    @property
    def variance(self) -> Tensor:
        """scale^2."""
        return self.scale * self.scale

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        """loc + scale * eps with eps ~ N(0, 1) from the global generator."""
        eps = _noise(self._extended_shape(sample_shape), self.loc.dtype)
        return self.loc + eps * self.scale

    def log_prob(self, value: Any) -> Tensor:
        """-(value - loc)^2 / (2 scale^2) - log scale - log(2 pi) / 2."""
        value = self._value(value)
        z = (value - self.loc) / self.scale
        return -0.5 * z * z - log(self.scale) - _HALF_LOG_2PI

    def cdf(self, value: Any) -> Tensor:
        """(1 + erf((value - loc) / (scale sqrt 2))) / 2."""
        value = self._value(value)
        return 0.5 * (1.0 + erf((value - self.loc) / (self.scale * math.sqrt(2.0))))

    def icdf(self, value: Any) -> Tensor:
        """loc + scale sqrt(2) erfinv(2 value - 1)."""
        value = value if isinstance(value, Tensor) else Tensor._const(np.asarray(value, self.loc.dtype))
        return self.loc + self.scale * erfinv(2.0 * value - 1.0) * math.sqrt(2.0)

    def entropy(self) -> Tensor:
        """1/2 + log(2 pi)/2 + log scale."""
        return 0.5 + _HALF_LOG_2PI + log(self.scale)


class StudentT(Distribution):
    """Student's t with ``df`` degrees of freedom, shifted by ``loc`` and scaled by ``scale``.

    ``rsample`` is N(0, 1) / sqrt(chi2(df) / df), the chi-squared a Gamma drawn with its implicit
    reparameterisation, so it is differentiable in df, loc and scale.
    """

    arg_constraints = {"df": constraints.positive, "loc": constraints.real, "scale": constraints.positive}
    support = constraints.real
    has_rsample = True

    def __init__(self, df: Any, loc: Any = 0.0, scale: Any = 1.0, validate_args: bool | None = None) -> None:
        self.df, self.loc, self.scale = broadcast_all(df, loc, scale)
        super().__init__(self.df.shape, (), validate_args)

    @property
    def mean(self) -> Tensor:
        """loc for df > 1, nan otherwise."""
        return where(self.df._data > 1, self.loc, full_like(self.loc, np.nan))

    @property
    def mode(self) -> Tensor:
        """loc."""
        return self.loc

    @property
    def variance(self) -> Tensor:
        """scale^2 df / (df - 2) for df > 2, inf for 1 < df <= 2, nan for df <= 1."""
        d = self.df._data
        big = d > 2
        df = where(big, self.df, full_like(self.df, 3.0))
        v = self.scale * self.scale * df / (df - 2.0)
        v = where(big, v, full_like(v, np.inf))
        return where(d <= 1, full_like(v, np.nan), v)

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        """loc + scale * X / sqrt(Z / df), X ~ N(0, 1), Z ~ chi2(df)."""
        from .gamma import standard_gamma  # noqa: PLC0415  gamma.py imports this module's Normal

        shape = self._extended_shape(sample_shape)
        x = _noise(shape, self.df.dtype)
        from ..ops import broadcast_to  # noqa: PLC0415

        z = 2.0 * standard_gamma(broadcast_to(0.5 * self.df, shape))  # chi2(df) = 2 Gamma(df / 2, 1)
        return self.loc + self.scale * x / sqrt(z / self.df)

    def log_prob(self, value: Any) -> Tensor:
        """log Gamma((df+1)/2) - log Gamma(df/2) - log(df pi)/2 - log scale - (df+1)/2 log(1 + y^2/df)."""
        value = self._value(value)
        y = (value - self.loc) / self.scale
        z = (
            log(self.scale)
            + 0.5 * log(self.df)
            + 0.5 * math.log(math.pi)
            + gammaln(0.5 * self.df)
            - gammaln(0.5 * (self.df + 1.0))
        )
        return -0.5 * (self.df + 1.0) * log1p(y * y / self.df) - z

    def entropy(self) -> Tensor:
        """log scale + (df+1)/2 (psi((df+1)/2) - psi(df/2)) + log(df)/2 + log B(df/2, 1/2)."""
        half = 0.5 * (self.df + 1.0)
        lbeta = gammaln(0.5 * self.df) + math.lgamma(0.5) - gammaln(half)
        return log(self.scale) + half * (digamma(half) - digamma(0.5 * self.df)) + 0.5 * log(self.df) + lbeta
