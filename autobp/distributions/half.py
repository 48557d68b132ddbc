"""The half-normal and half-Cauchy distributions (PyTorch's ``HalfNormal``, ``HalfCauchy``): |X| for X
centred normal or Cauchy, densities doubled on [0, inf); ``rsample`` is |the base's rsample|."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..ops import abs as _abs
from ..ops import full_like, where
from ..tensor import Tensor
from . import constraints
from .distribution import Distribution, as_param, broadcast_all
from .location_scale import Cauchy
from .normal import Normal


class _Half(Distribution):
    """|X| for X ~ base(0, scale): log density log 2 + the base's on [0, inf), -inf below."""

    arg_constraints = {"scale": constraints.positive}
    support = constraints.nonnegative
    has_rsample = True
    _base: type = Normal

    def __init__(self, scale: Any, validate_args: bool | None = None) -> None:
        (self.scale,) = broadcast_all(scale)
        super().__init__(self.scale.shape, (), validate_args)

    @property
    def base_dist(self) -> Distribution:
        """The symmetric distribution folded at 0."""
        return self._base(full_like(self.scale, 0.0), self.scale, validate_args=False)

    @property
    def mode(self) -> Tensor:
        """0."""
        return full_like(self.scale, 0.0)

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        """|X| for X the base's reparameterised draw."""
        return _abs(self.base_dist.rsample(sample_shape))

    def log_prob(self, value: Any) -> Tensor:
        """log 2 + the base's log density, -inf below 0."""
        value = self._value(value)
        lp = self.base_dist.log_prob(value) + math.log(2.0)
        below = value._data < 0
        return where(below, full_like(lp, -np.inf), lp) if np.any(below) else lp

    def cdf(self, value: Any) -> Tensor:
        """2 F_base(value) - 1."""
        return 2.0 * self.base_dist.cdf(self._value(value)) - 1.0

    def icdf(self, value: Any) -> Tensor:
        """F_base^-1((p + 1) / 2)."""
        p = value if isinstance(value, Tensor) else as_param(value, self.scale.dtype)
        return self.base_dist.icdf((p + 1.0) / 2.0)

    def entropy(self) -> Tensor:
        """The base's entropy minus log 2."""
        return self.base_dist.entropy() - math.log(2.0)


class HalfNormal(_Half):
    """|X| for X ~ N(0, scale^2)."""

    _base = Normal

    @property
    def mean(self) -> Tensor:
        """scale sqrt(2 / pi)."""
        return self.scale * math.sqrt(2.0 / math.pi)

    @property
    def variance(self) -> Tensor:
        """scale^2 (1 - 2 / pi)."""
        return self.scale * self.scale * (1.0 - 2.0 / math.pi)


class HalfCauchy(_Half):
    """|X| for X ~ Cauchy(0, scale)."""

    _base = Cauchy

    @property
    def mean(self) -> Tensor:
        """inf."""
        return full_like(self.scale, np.inf)

    @property
    def variance(self) -> Tensor:
        """inf."""
        return full_like(self.scale, np.inf)
