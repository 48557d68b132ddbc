"""PyTorch's ``GeneralizedPareto``: the peaks-over-threshold law of ``loc``, ``scale`` and
``concentration`` xi, survival function (1 + xi z)^(-1/xi) for z = (x - loc) / scale (exp(-z) at
xi = 0), drawn through its inverse cdf so ``rsample`` is differentiable in every parameter."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..ops import broadcast_to, exp, expm1, full_like, log, log1p, where
from ..tensor import Tensor
from . import constraints
from .distribution import Distribution, as_param, broadcast_all, rng


class GeneralizedPareto(Distribution):
    """The generalised Pareto distribution: Exponential at concentration 0, a Pareto above,
    bounded above by loc - scale / concentration below 0."""

    arg_constraints = {
        "loc": constraints.real,
        "scale": constraints.positive,
        "concentration": constraints.real,
    }
    has_rsample = True

    def __init__(self, loc: Any, scale: Any, concentration: Any, validate_args: bool | None = None) -> None:
        self.loc, self.scale, self.concentration = broadcast_all(loc, scale, concentration)
        super().__init__(self.loc.shape, (), validate_args)

    @property
    def support(self) -> constraints.Constraint:  # type: ignore[override]
        """[loc, loc - scale / concentration] for concentration < 0, else [loc, inf]."""
        c, lo = self.concentration._data, self.loc._data
        with np.errstate(divide="ignore", invalid="ignore"):
            upper = np.where(c < 0, lo - self.scale._data / c, np.inf)
        return constraints.interval(lo, upper)

    def _zero_and_safe(self) -> tuple[np.ndarray, Tensor]:
        """Where the concentration is 0 (PyTorch's isclose: |xi| <= 1e-8) and xi with 1 there."""
        c = self.concentration
        eq_zero = np.abs(c._data) <= 1e-8
        return eq_zero, where(eq_zero, full_like(c, 1.0), c)

    def _z(self, x: Tensor) -> Tensor:
        return (x - self.loc) / self.scale

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        """icdf(u) for u ~ U[0, 1)."""
        shape = self._extended_shape(sample_shape)
        u = Tensor._const(np.asarray(rng().random(shape)).astype(self.loc.dtype, copy=False))
        return self.icdf(u)

    def log_prob(self, value: Any) -> Tensor:
        """-log scale - (1 / xi + 1) log1p(xi z); -log scale - z at xi = 0."""
        z = self._z(self._value(value))
        eq_zero, safe = self._zero_and_safe()
        y = 1.0 / safe + 1.0
        nonzero = where(y._data == 0, y, y * log1p(safe * z))
        return -log(self.scale) - where(eq_zero, z, nonzero)

    def log_survival_function(self, value: Any) -> Tensor:
        """log P(X > value): -log1p(xi z) / xi; -z at xi = 0."""
        z = self._z(self._value(value))
        eq_zero, safe = self._zero_and_safe()
        return where(eq_zero, -z, -log1p(safe * z) / safe)

    def log_cdf(self, value: Any) -> Tensor:
        """log P(X <= value) = log1p(-exp(log survival))."""
        return log1p(-exp(self.log_survival_function(value)))

    def cdf(self, value: Any) -> Tensor:
        """P(X <= value)."""
        return exp(self.log_cdf(value))

    def icdf(self, value: Any) -> Tensor:
        """loc + scale / xi expm1(-xi log1p(-u)); loc - scale log1p(-u) at xi = 0."""
        u = value if isinstance(value, Tensor) else as_param(value, self.loc.dtype)
        eq_zero, safe = self._zero_and_safe()
        logu = log1p(-u)
        nonzero = self.loc + self.scale / safe * expm1(-safe * logu)
        return where(eq_zero, self.loc - self.scale * logu, nonzero)

    @property
    def mean(self) -> Tensor:
        """loc + scale / (1 - xi) for xi < 1, else nan."""
        c = self.concentration
        valid = c._data < 1
        safe = where(valid, c, full_like(c, 0.5))
        return where(valid, self.loc + self.scale / (1.0 - safe), full_like(c, np.nan))

    @property
    def variance(self) -> Tensor:
        """scale^2 / ((1 - xi)^2 (1 - 2 xi)) for xi < 1/2, else nan."""
        c = self.concentration
        valid = c._data < 0.5
        safe = where(valid, c, full_like(c, 0.25))
        return where(valid, self.scale**2 / ((1.0 - safe) ** 2 * (1.0 - 2.0 * safe)), full_like(c, np.nan))

    @property
    def mode(self) -> Tensor:
        """loc."""
        return self.loc

    def entropy(self) -> Tensor:
        """log scale + xi + 1."""
        return broadcast_to(log(self.scale) + self.concentration + 1.0, self._batch_shape)
