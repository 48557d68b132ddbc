"""PyTorch's ``Kumaraswamy``: the law on [0, 1] with cdf 1 - (1 - x^a)^b, a Uniform(0, 1) pushed
through u -> (1 - u^(1/b))^(1/a), so ``rsample``, ``log_prob``, ``cdf`` and ``icdf`` come from the
transforms and are differentiable in both concentrations; moments from B(1 + n/a, b)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..ops import broadcast_to, exp, full_like, log, where
from ..special import digamma, gammaln
from ..tensor import Tensor
from . import constraints
from .distribution import Distribution, broadcast_all
from .location_scale import _EULER, Uniform
from .transformed import TransformedDistribution
from .transforms import AffineTransform, PowerTransform


def _moment(a: Tensor, b: Tensor, n: int) -> Tensor:
    """E[X^n] = b B(1 + n / a, b)."""
    arg = 1.0 + n / a
    return b * exp(gammaln(arg) + gammaln(b) - gammaln(arg + b))


class Kumaraswamy(TransformedDistribution):
    """The Kumaraswamy distribution: density a b x^(a-1) (1 - x^a)^(b-1) on [0, 1], a =
    ``concentration1``, b = ``concentration0``."""

    arg_constraints = {"concentration1": constraints.positive, "concentration0": constraints.positive}
    support = constraints.unit_interval
    has_rsample = True

    def __init__(self, concentration1: Any, concentration0: Any, validate_args: bool | None = None) -> None:
        self.concentration1, self.concentration0 = broadcast_all(concentration1, concentration0)
        c0 = self.concentration0
        base = Uniform(full_like(c0, 0.0), full_like(c0, 1.0), validate_args=validate_args)
        transforms = [
            PowerTransform(1.0 / c0),
            AffineTransform(1.0, -1.0),
            PowerTransform(1.0 / self.concentration1),
        ]
        super().__init__(base, transforms, validate_args)

    def expand(self, batch_shape: Any, _instance: Any = None) -> Distribution:
        """Both concentrations (and the base uniform) broadcast to ``batch_shape``."""
        new = super().expand(batch_shape)
        shape = tuple(batch_shape)
        new.concentration1 = broadcast_to(self.concentration1, shape)
        new.concentration0 = broadcast_to(self.concentration0, shape)
        return new

    @property
    def mean(self) -> Tensor:
        """b B(1 + 1/a, b)."""
        return _moment(self.concentration1, self.concentration0, 1)

    @property
    def mode(self) -> Tensor:
        """((a - 1) / (a b - 1))^(1 / a) where a >= 1 and b >= 1 (nan elsewhere, and at a = b = 1).

        A deliberate difference: PyTorch 2.13's formula takes log1p(-b) and log1p(-a b), so it
        answers nan for every concentration; this is the maximiser of the density."""
        a, b = self.concentration1, self.concentration0
        m = ((a - 1.0) / (a * b - 1.0)) ** (1.0 / a)
        bad = (a._data < 1) | (b._data < 1)
        return where(bad, full_like(m, np.nan), m) if np.any(bad) else m

    @property
    def variance(self) -> Tensor:
        """E[X^2] - E[X]^2."""
        return _moment(self.concentration1, self.concentration0, 2) - self.mean**2

    def entropy(self) -> Tensor:
        """(1 - 1/b) + (1 - 1/a) H_b - log a - log b, H_b = psi(b + 1) + Euler's gamma."""
        a, b = self.concentration1, self.concentration0
        h0 = digamma(b + 1.0) + _EULER
        return (1.0 - 1.0 / b) + (1.0 - 1.0 / a) * h0 - log(a) - log(b)
