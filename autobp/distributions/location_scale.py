"""Location-scale families beside the normal (PyTorch's ``Uniform``, ``Laplace``, ``Cauchy`` and
``Gumbel``): each ``rsample`` is loc + scale * (a fixed transform of uniform noise), differentiable in
the parameters."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..ops import abs as _abs
from ..ops import atan, clip, exp, expm1, full_like, log, log1p, sign, tan, where
from ..tensor import Tensor
from . import constraints
from .distribution import Distribution, broadcast_all, rng

_EULER = 0.5772156649015329


def _uniform(shape: tuple, dtype: np.dtype, low: float = 0.0, high: float = 1.0) -> Tensor:
    """U[low, high) noise from the global generator, as a constant of ``dtype``."""
    u = rng().uniform(low, high, size=shape)
    return Tensor._const(np.asarray(u).astype(dtype, copy=False))


def _as(value: Any, like: Tensor) -> Tensor:
    return value if isinstance(value, Tensor) else Tensor._const(np.asarray(value, like.dtype))


class LocScale(Distribution):
    """A family of ``loc`` + ``scale`` * (a fixed standard distribution), loc and scale broadcast."""

    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.real
    has_rsample = True

    def __init__(self, loc: Any, scale: Any, validate_args: bool | None = None) -> None:
        self.loc, self.scale = broadcast_all(loc, scale)
        super().__init__(self.loc.shape, (), validate_args)

    @property
    def mean(self) -> Tensor:
        """loc."""
        return self.loc

    @property
    def mode(self) -> Tensor:
        """loc."""
        return self.loc


class Uniform(Distribution):
    """The uniform distribution on [low, high)."""

    has_rsample = True

    def __init__(self, low: Any, high: Any, validate_args: bool | None = None) -> None:
        self.low, self.high = broadcast_all(low, high)
        super().__init__(self.low.shape, (), validate_args)

    @property
    def arg_constraints(self) -> dict:  # type: ignore[override]
        """low < high."""
        return {"low": constraints.less_than(self.high), "high": constraints.greater_than(self.low)}

    @property
    def support(self) -> constraints.Constraint:  # type: ignore[override]
        """[low, high]."""
        return constraints.interval(self.low._data, self.high._data)

    @property
    def mean(self) -> Tensor:
        """(low + high) / 2."""
        return 0.5 * (self.high + self.low)

    @property
    def mode(self) -> Tensor:
        """nan: every point of the support is a mode."""
        return full_like(self.high, np.nan)

    @property
    def stddev(self) -> Tensor:
        """(high - low) / sqrt 12."""
        return (self.high - self.low) / math.sqrt(12.0)

    @property
    def variance(self) -> Tensor:
        """(high - low)^2 / 12."""
        w = self.high - self.low
        return w * w / 12.0

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        """low + (high - low) u with u ~ U[0, 1)."""
        u = _uniform(self._extended_shape(sample_shape), self.low.dtype)
        return self.low + u * (self.high - self.low)

    def log_prob(self, value: Any) -> Tensor:
        """-log(high - low) inside [low, high), -inf outside."""
        value = self._value(value)
        inside = (self.low._data <= value._data) & (value._data < self.high._data)
        lp = -log(self.high - self.low) + 0.0 * value
        return where(inside, lp, full_like(lp, -np.inf))

    def cdf(self, value: Any) -> Tensor:
        """(value - low) / (high - low), clipped to [0, 1]."""
        value = self._value(value)
        return clip((value - self.low) / (self.high - self.low), 0.0, 1.0)

    def icdf(self, value: Any) -> Tensor:
        """low + value (high - low)."""
        return _as(value, self.low) * (self.high - self.low) + self.low

    def entropy(self) -> Tensor:
        """log(high - low)."""
        return log(self.high - self.low)


class Laplace(LocScale):
    """The Laplace distribution: density exp(-|x - loc| / scale) / (2 scale)."""

    @property
    def variance(self) -> Tensor:
        """2 scale^2."""
        return 2.0 * self.scale * self.scale

    @property
    def stddev(self) -> Tensor:
        """sqrt(2) scale."""
        return math.sqrt(2.0) * self.scale

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        """loc - scale sign(u) log(1 - |u|) with u ~ U(-1, 1) (the inverse cdf)."""
        dt = self.loc.dtype
        u = _uniform(self._extended_shape(sample_shape), dt, np.nextafter(-1.0, 0.0, dtype=dt), 1.0)
        return self.loc - self.scale * sign(u) * log1p(-_abs(u))

    def log_prob(self, value: Any) -> Tensor:
        """-log(2 scale) - |value - loc| / scale."""
        value = self._value(value)
        return -log(2.0 * self.scale) - _abs(value - self.loc) / self.scale

    def cdf(self, value: Any) -> Tensor:
        """1/2 - sign(z) expm1(-|z|) / 2 with z = (value - loc) / scale."""
        value = self._value(value)
        z = (value - self.loc) / self.scale
        return 0.5 - 0.5 * sign(z) * expm1(-_abs(z))

    def icdf(self, value: Any) -> Tensor:
        """loc - scale sign(p - 1/2) log(1 - 2 |p - 1/2|)."""
        t = _as(value, self.loc) - 0.5
        return self.loc - self.scale * sign(t) * log1p(-2.0 * _abs(t))

    def entropy(self) -> Tensor:
        """1 + log(2 scale)."""
        return 1.0 + log(2.0 * self.scale)


class Cauchy(LocScale):
    """The Cauchy distribution: density 1 / (pi scale (1 + z^2)), z = (x - loc) / scale."""

    @property
    def mean(self) -> Tensor:
        """nan: the Cauchy distribution has no mean."""
        return full_like(self.loc, np.nan)

    @property
    def variance(self) -> Tensor:
        """inf."""
        return full_like(self.loc, np.inf)

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        """loc + scale tan(pi (u - 1/2)), u ~ U[0, 1) (the inverse cdf)."""
        u = _uniform(self._extended_shape(sample_shape), self.loc.dtype)
        return self.loc + self.scale * tan(math.pi * (u - 0.5))

    def log_prob(self, value: Any) -> Tensor:
        """-log pi - log scale - log(1 + z^2)."""
        value = self._value(value)
        z = (value - self.loc) / self.scale
        return -math.log(math.pi) - log(self.scale) - log1p(z * z)

    def cdf(self, value: Any) -> Tensor:
        """atan(z) / pi + 1/2."""
        value = self._value(value)
        return atan((value - self.loc) / self.scale) / math.pi + 0.5

    def icdf(self, value: Any) -> Tensor:
        """loc + scale tan(pi (p - 1/2))."""
        return self.loc + self.scale * tan(math.pi * (_as(value, self.loc) - 0.5))

    def entropy(self) -> Tensor:
        """log(4 pi scale)."""
        return math.log(4.0 * math.pi) + log(self.scale)


class Gumbel(LocScale):
    """The Gumbel (type-I extreme value) distribution: cdf exp(-exp(-(x - loc) / scale))."""

    @property
    def mean(self) -> Tensor:
        """loc + scale * Euler's gamma."""
        return self.loc + self.scale * _EULER

    @property
    def stddev(self) -> Tensor:
        """pi scale / sqrt 6."""
        return (math.pi / math.sqrt(6.0)) * self.scale

    @property
    def variance(self) -> Tensor:
        """pi^2 scale^2 / 6."""
        return (math.pi**2 / 6.0) * self.scale * self.scale

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        """loc - scale log(-log u), u ~ U(0, 1)."""
        dt = self.loc.dtype
        u = _uniform(self._extended_shape(sample_shape), dt, np.finfo(dt).tiny, 1.0)
        return self.loc - self.scale * log(-log(u))

    def log_prob(self, value: Any) -> Tensor:
        """-(z + exp(-z)) - log scale, z = (value - loc) / scale."""
        value = self._value(value)
        z = (value - self.loc) / self.scale
        return -(z + exp(-z)) - log(self.scale)

    def cdf(self, value: Any) -> Tensor:
        """exp(-exp(-z))."""
        value = self._value(value)
        return exp(-exp(-(value - self.loc) / self.scale))

    def icdf(self, value: Any) -> Tensor:
        """loc - scale log(-log p)."""
        return self.loc - self.scale * log(-log(_as(value, self.loc)))

    def entropy(self) -> Tensor:
        """log scale + 1 + Euler's gamma."""
        return log(self.scale) + (1.0 + _EULER)
