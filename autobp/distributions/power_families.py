"""Families that are a Gamma or an Exponential pushed through a power and a scale (PyTorch's
``InverseGamma``, ``Weibull`` and ``Pareto``): log density and cdf by the change of variables,
moments and entropy in closed form, all differentiable in the parameters."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..ops import broadcast_to, exp, full_like, log, where
from ..special import digamma, gamma, gammaln
from ..tensor import Tensor
from . import constraints
from .distribution import Distribution, broadcast_all
from .gamma import Exponential, Gamma
from .transformed import TransformedDistribution
from .transforms import AffineTransform, ExpTransform, PowerTransform


def _inf_unless(ok: np.ndarray, x: Tensor) -> Tensor:
    """x where ``ok``, +inf elsewhere (a moment that does not exist)."""
    return x if np.all(ok) else where(ok, x, full_like(x, np.inf))


class InverseGamma(TransformedDistribution):
    """1 / Y for Y ~ Gamma(concentration, rate): density b^a x^(-a-1) e^(-b/x) / Gamma(a)."""

    arg_constraints = {"concentration": constraints.positive, "rate": constraints.positive}
    support = constraints.positive
    has_rsample = True

    def __init__(self, concentration: Any, rate: Any, validate_args: bool | None = None) -> None:
        base = Gamma(concentration, rate, validate_args=validate_args)
        super().__init__(base, PowerTransform(-1.0), validate_args)

    @property
    def concentration(self) -> Tensor:
        """a, the Gamma's concentration."""
        return self.base_dist.concentration

    @property
    def rate(self) -> Tensor:
        """b, the Gamma's rate (the scale of 1 / Y)."""
        return self.base_dist.rate

    def expand(self, batch_shape: Any, _instance: Any = None) -> Distribution:
        """Both parameters broadcast to ``batch_shape``."""
        shape = tuple(batch_shape)
        new = object.__new__(type(self))
        InverseGamma.__init__(
            new, broadcast_to(self.concentration, shape), broadcast_to(self.rate, shape), False
        )
        return new

    @property
    def mean(self) -> Tensor:
        """b / (a - 1) for a > 1, else inf."""
        return _inf_unless(self.concentration._data > 1, self.rate / (self.concentration - 1.0))

    @property
    def mode(self) -> Tensor:
        """b / (a + 1)."""
        return self.rate / (self.concentration + 1.0)

    @property
    def variance(self) -> Tensor:
        """b^2 / ((a - 1)^2 (a - 2)) for a > 2, else inf."""
        a = self.concentration
        return _inf_unless(a._data > 2, self.rate**2 / ((a - 1.0) ** 2 * (a - 2.0)))

    def entropy(self) -> Tensor:
        """a + log b + log Gamma(a) - (1 + a) psi(a)."""
        a = self.concentration
        return a + log(self.rate) + gammaln(a) - (1.0 + a) * digamma(a)


class Weibull(TransformedDistribution):
    """scale * E^(1 / concentration) for E ~ Exponential(1): cdf 1 - exp(-(x / scale)^k)."""

    arg_constraints = {"scale": constraints.positive, "concentration": constraints.positive}
    support = constraints.positive
    has_rsample = True

    def __init__(self, scale: Any, concentration: Any, validate_args: bool | None = None) -> None:
        self.scale, self.concentration = broadcast_all(scale, concentration)
        base = Exponential(full_like(self.scale, 1.0), validate_args=validate_args)
        parts = [PowerTransform(1.0 / self.concentration), AffineTransform(0.0, self.scale)]
        super().__init__(base, parts, validate_args)

    def expand(self, batch_shape: Any, _instance: Any = None) -> Distribution:
        """Both parameters broadcast to ``batch_shape``."""
        shape = tuple(batch_shape)
        new = object.__new__(type(self))
        Weibull.__init__(new, broadcast_to(self.scale, shape), broadcast_to(self.concentration, shape), False)
        return new

    @property
    def mean(self) -> Tensor:
        """scale Gamma(1 + 1 / k)."""
        return self.scale * exp(gammaln(1.0 + 1.0 / self.concentration))

    @property
    def mode(self) -> Tensor:
        """scale ((k - 1) / k)^(1 / k) (nan for k < 1, as PyTorch)."""
        k = self.concentration
        return self.scale * ((k - 1.0) / k) ** (1.0 / k)

    @property
    def variance(self) -> Tensor:
        """scale^2 (Gamma(1 + 2 / k) - Gamma(1 + 1 / k)^2)."""
        k = self.concentration
        return self.scale**2 * (gamma(1.0 + 2.0 / k) - gamma(1.0 + 1.0 / k) ** 2)

    def entropy(self) -> Tensor:
        """Euler's gamma (1 - 1 / k) + log(scale / k) + 1."""
        k = self.concentration
        return np.euler_gamma * (1.0 - 1.0 / k) + log(self.scale / k) + 1.0


class Pareto(TransformedDistribution):
    """scale * exp(E) for E ~ Exponential(alpha): density alpha scale^alpha / x^(alpha + 1), x >= scale."""

    arg_constraints = {"alpha": constraints.positive, "scale": constraints.positive}
    has_rsample = True

    def __init__(self, scale: Any, alpha: Any, validate_args: bool | None = None) -> None:
        self.scale, self.alpha = broadcast_all(scale, alpha)
        base = Exponential(self.alpha, validate_args=validate_args)
        super().__init__(base, [ExpTransform(), AffineTransform(0.0, self.scale)], validate_args)

    @property
    def support(self) -> constraints.Constraint:  # type: ignore[override]
        """x >= scale."""
        return constraints.greater_than_eq(self.scale._data)

    def expand(self, batch_shape: Any, _instance: Any = None) -> Distribution:
        """Both parameters broadcast to ``batch_shape``."""
        shape = tuple(batch_shape)
        new = object.__new__(type(self))
        Pareto.__init__(new, broadcast_to(self.scale, shape), broadcast_to(self.alpha, shape), False)
        return new

    @property
    def mean(self) -> Tensor:
        """alpha scale / (alpha - 1) for alpha > 1, else inf."""
        return _inf_unless(self.alpha._data > 1, self.alpha * self.scale / (self.alpha - 1.0))

    @property
    def mode(self) -> Tensor:
        """scale."""
        return self.scale

    @property
    def variance(self) -> Tensor:
        """scale^2 alpha / ((alpha - 1)^2 (alpha - 2)) for alpha > 2, else inf."""
        a = self.alpha
        return _inf_unless(a._data > 2, self.scale**2 * a / ((a - 1.0) ** 2 * (a - 2.0)))

    def entropy(self) -> Tensor:
        """log(scale / alpha) + 1 / alpha + 1."""
        return log(self.scale / self.alpha) + 1.0 / self.alpha + 1.0
