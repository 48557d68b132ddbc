"""The gamma family (PyTorch's ``Gamma``, ``Exponential``, ``Beta``, ``Dirichlet``, ``Chi2``).

Gamma draws are inverse-cdf draws x = P^-1(alpha, u) of uniform noise u, with the implicit
reparameterisation gradient dx/dalpha = -(dP/dalpha)(x) / p(x) (Figurnov et al. 2018), so ``rsample``
is differentiable in the parameters; Beta and Dirichlet normalise gamma draws and inherit it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.special as sc

from .._graph import is_grad_enabled
from ..ops import broadcast_to, clip, exp, full_like, log, log1p, where
from ..special import betaln, digamma, gammainc, gammaln, xlog1py, xlogy
from ..tensor import Tensor
from . import constraints
from .distribution import Distribution, as_param, broadcast_all, rng


def standard_gamma(alpha: Tensor) -> Tensor:
    """One Gamma(alpha, 1) draw per entry of ``alpha``, differentiable in alpha (implicitly).

    The draw is x = P^-1(alpha, u) for u ~ U[0, 1) from the global generator (P the regularised lower
    incomplete gamma function), so with a fixed seed x is a smooth function of alpha whose derivative
    is -(dP/dalpha)(alpha, x) / p(x; alpha); dP/dalpha (which has no closed form) by a central
    difference of relative step 1e-5, accurate to about 1e-9. First order only.
    """
    a = alpha._data.astype(np.float64)
    u = rng().random(a.shape)
    x = np.maximum(sc.gammaincinv(a, u), np.finfo(alpha.dtype).tiny)
    out = Tensor._const(x.astype(alpha.dtype))
    if not (alpha.requires_grad and is_grad_enabled()):  # sample(): no derivative to compute
        return out
    h = 1e-5 * a
    dp_da = (sc.gammainc(a + h, x) - sc.gammainc(a - h, x)) / (2.0 * h)
    density = np.exp(sc.xlogy(a - 1.0, x) - x - sc.gammaln(a))
    dx_da = np.where(density > 0, -dp_da / np.where(density > 0, density, 1.0), 0.0)
    # the value is x exactly (alpha - alpha is 0); the gradient to alpha is dx/dalpha
    return out + (alpha - alpha.detach()) * dx_da.astype(alpha.dtype)


class Gamma(Distribution):
    """The gamma distribution of shape ``concentration`` and inverse scale ``rate``."""

    arg_constraints = {"concentration": constraints.positive, "rate": constraints.positive}
    support = constraints.nonnegative
    has_rsample = True

    def __init__(self, concentration: Any, rate: Any, validate_args: bool | None = None) -> None:
        self.concentration, self.rate = broadcast_all(concentration, rate)
        super().__init__(self.concentration.shape, (), validate_args)

    @property
    def mean(self) -> Tensor:
        """concentration / rate."""
        return self.concentration / self.rate

    @property
    def mode(self) -> Tensor:
        """(concentration - 1) / rate, clipped at 0."""
        return clip((self.concentration - 1.0) / self.rate, 0.0, None)

    @property
    def variance(self) -> Tensor:
        """concentration / rate^2."""
        return self.concentration / (self.rate * self.rate)

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        """Gamma(concentration, 1) draws (implicitly reparameterised) divided by rate."""
        shape = self._extended_shape(sample_shape)
        return standard_gamma(broadcast_to(self.concentration, shape)) / self.rate

    def log_prob(self, value: Any) -> Tensor:
        """c log rate + (c - 1) log value - rate value - log Gamma(c)."""
        value = self._value(value)
        c = self.concentration
        return xlogy(c, self.rate) + xlogy(c - 1.0, value) - self.rate * value - gammaln(c)

    def cdf(self, value: Any) -> Tensor:
        """P(c, rate value), differentiable in value and rate (not in c, as PyTorch)."""
        value = self._value(value)
        return gammainc(self.concentration.detach(), self.rate * value)

    def entropy(self) -> Tensor:
        """c - log rate + log Gamma(c) + (1 - c) psi(c)."""
        c = self.concentration
        return c - log(self.rate) + gammaln(c) + (1.0 - c) * digamma(c)


class Chi2(Gamma):
    """The chi-squared distribution: Gamma(df / 2, 1 / 2)."""

    arg_constraints = {"df": constraints.positive}

    def __init__(self, df: Any, validate_args: bool | None = None) -> None:
        (self.df,) = broadcast_all(df)
        super().__init__(0.5 * self.df, full_like(self.df, 0.5), validate_args)

    def expand(self, batch_shape: Any, _instance: Any = None) -> Distribution:
        """Chi2 of df broadcast to ``batch_shape`` (of this instance's class, so subclasses stay)."""
        new = object.__new__(type(self))
        Chi2.__init__(new, broadcast_to(self.df, tuple(batch_shape)), validate_args=False)
        return new


class Exponential(Distribution):
    """The exponential distribution of rate ``rate``."""

    arg_constraints = {"rate": constraints.positive}
    support = constraints.nonnegative
    has_rsample = True

    def __init__(self, rate: Any, validate_args: bool | None = None) -> None:
        (self.rate,) = broadcast_all(rate)
        super().__init__(self.rate.shape, (), validate_args)

    @property
    def mean(self) -> Tensor:
        """1 / rate."""
        return 1.0 / self.rate

    @property
    def mode(self) -> Tensor:
        """0."""
        return full_like(self.rate, 0.0)

    @property
    def stddev(self) -> Tensor:
        """1 / rate."""
        return 1.0 / self.rate

    @property
    def variance(self) -> Tensor:
        """1 / rate^2."""
        return 1.0 / (self.rate * self.rate)

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        """E / rate with E a standard exponential draw."""
        e = rng().standard_exponential(self._extended_shape(sample_shape))
        return Tensor._const(np.asarray(e).astype(self.rate.dtype)) / self.rate

    def log_prob(self, value: Any) -> Tensor:
        """log rate - rate value."""
        value = self._value(value)
        return log(self.rate) - self.rate * value

    def cdf(self, value: Any) -> Tensor:
        """1 - exp(-rate value)."""
        value = self._value(value)
        return 1.0 - exp(-self.rate * value)

    def icdf(self, value: Any) -> Tensor:
        """-log(1 - p) / rate."""
        p = value if isinstance(value, Tensor) else as_param(value, self.rate.dtype)
        return -log1p(-p) / self.rate

    def entropy(self) -> Tensor:
        """1 - log rate."""
        return 1.0 - log(self.rate)


class Beta(Distribution):
    """The beta distribution on [0, 1] with ``concentration1`` (alpha) and ``concentration0`` (beta)."""

    arg_constraints = {"concentration1": constraints.positive, "concentration0": constraints.positive}
    support = constraints.unit_interval
    has_rsample = True

    def __init__(self, concentration1: Any, concentration0: Any, validate_args: bool | None = None) -> None:
        self.concentration1, self.concentration0 = broadcast_all(concentration1, concentration0)
        super().__init__(self.concentration1.shape, (), validate_args)

    @property
    def mean(self) -> Tensor:
        """a / (a + b)."""
        return self.concentration1 / (self.concentration1 + self.concentration0)

    @property
    def mode(self) -> Tensor:
        """(a - 1)^+ / ((a - 1)^+ + (b - 1)^+); where a, b < 1 both, the end of the larger
        (1 on a tie). PyTorch answers 1 for every such pair (its argmax meets a 0/0)."""
        m1 = clip(self.concentration1 - 1.0, 0.0, None)
        m0 = clip(self.concentration0 - 1.0, 0.0, None)
        m = m1 / (m1 + m0)
        a, b = self.concentration1._data, self.concentration0._data
        corner = (a < 1) & (b < 1)
        return where(corner, Tensor._const((a >= b).astype(a.dtype)), m) if corner.any() else m

    @property
    def variance(self) -> Tensor:
        """a b / ((a + b)^2 (a + b + 1))."""
        a, b = self.concentration1, self.concentration0
        t = a + b
        return a * b / (t * t * (t + 1.0))

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        """X / (X + Y), X ~ Gamma(a, 1), Y ~ Gamma(b, 1), both implicitly reparameterised."""
        shape = self._extended_shape(sample_shape)
        x = standard_gamma(broadcast_to(self.concentration1, shape))
        y = standard_gamma(broadcast_to(self.concentration0, shape))
        return x / (x + y)

    def log_prob(self, value: Any) -> Tensor:
        """(a - 1) log value + (b - 1) log(1 - value) - log B(a, b)."""
        value = self._value(value)
        a, b = self.concentration1, self.concentration0
        return xlogy(a - 1.0, value) + xlog1py(b - 1.0, -value) - betaln(a, b)

    def entropy(self) -> Tensor:
        """log B(a, b) - (a - 1) psi(a) - (b - 1) psi(b) + (a + b - 2) psi(a + b)."""
        a, b = self.concentration1, self.concentration0
        return betaln(a, b) - (a - 1.0) * digamma(a) - (b - 1.0) * digamma(b) + (a + b - 2.0) * digamma(a + b)


class Dirichlet(Distribution):
    """The Dirichlet distribution on the simplex; the last axis of ``concentration`` is the event."""

    arg_constraints = {"concentration": constraints.independent(constraints.positive, 1)}
    support = constraints.simplex
    has_rsample = True

    def __init__(self, concentration: Any, validate_args: bool | None = None) -> None:
        (self.concentration,) = broadcast_all(concentration)
        if self.concentration.ndim < 1:
            raise ValueError("Dirichlet: concentration must be at least one-dimensional, got a 0-d value")
        shape = self.concentration.shape
        super().__init__(shape[:-1], shape[-1:], validate_args)

    @property
    def mean(self) -> Tensor:
        """alpha / sum(alpha)."""
        c = self.concentration
        return c / c.sum(axis=-1, keepdims=True)

    @property
    def mode(self) -> Tensor:
        """(alpha - 1)^+ normalised; where every alpha < 1, the vertex of the largest alpha (the first on
        a tie). PyTorch answers the first vertex for every such row (its argmax meets a 0/0)."""
        c = self.concentration
        m = clip(c - 1.0, 0.0, None)
        m = m / m.sum(axis=-1, keepdims=True)
        cd = c._data
        corner = np.all(cd < 1, axis=-1, keepdims=True)
        vertex = (np.arange(cd.shape[-1]) == np.argmax(cd, axis=-1)[..., None]).astype(cd.dtype)
        return where(corner, Tensor._const(vertex), m) if corner.any() else m

    @property
    def variance(self) -> Tensor:
        """alpha (a0 - alpha) / (a0^2 (a0 + 1)), a0 = sum(alpha)."""
        c = self.concentration
        a0 = c.sum(axis=-1, keepdims=True)
        return c * (a0 - c) / (a0 * a0 * (a0 + 1.0))

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        """Gamma(alpha_i, 1) draws (implicitly reparameterised) divided by their sum."""
        g = standard_gamma(broadcast_to(self.concentration, self._extended_shape(sample_shape)))
        return g / g.sum(axis=-1, keepdims=True)

    def log_prob(self, value: Any) -> Tensor:
        """sum (alpha_i - 1) log x_i + log Gamma(a0) - sum log Gamma(alpha_i)."""
        value = self._value(value)
        c = self.concentration
        return xlogy(c - 1.0, value).sum(axis=-1) + gammaln(c.sum(axis=-1)) - gammaln(c).sum(axis=-1)

    def entropy(self) -> Tensor:
        """sum log Gamma(alpha_i) - log Gamma(a0) - (K - a0) psi(a0) - sum (alpha_i - 1) psi(alpha_i)."""
        c = self.concentration
        k = c.shape[-1]
        a0 = c.sum(axis=-1)
        return (
            gammaln(c).sum(axis=-1)
            - gammaln(a0)
            - (k - a0) * digamma(a0)
            - ((c - 1.0) * digamma(c)).sum(axis=-1)
        )
