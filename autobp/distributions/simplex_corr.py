"""PyTorch's ``LogisticNormal`` (a normal vector pushed onto the simplex by stick breaking) and
``LKJCholesky`` (the LKJ distribution over Cholesky factors of correlation matrices)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._graph import no_grad
from ..ops import diagonal, expand_dims, log
from ..pytorch_math import lgamma, mvlgamma
from ..tensor import Tensor
from . import constraints
from .distribution import Distribution, broadcast_all, rng
from .gamma import Beta
from .normal import Normal
from .transformed import TransformedDistribution
from .transforms import StickBreakingTransform


class LogisticNormal(TransformedDistribution):
    """X = StickBreakingTransform()(Z) with Z ~ N(loc, scale^2) elementwise: a distribution on the
    simplex of ``loc.shape[-1] + 1`` entries (a scalar loc gives a 2-entry simplex).

    >>> from autobp.distributions import LogisticNormal
    >>> LogisticNormal([0.0, 0.0], 1.0).event_shape
    (3,)
    """

    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.simplex
    has_rsample = True

    def __init__(self, loc: Any, scale: Any, validate_args: bool | None = None) -> None:
        base: Distribution = Normal(loc, scale, validate_args=validate_args)
        if not base.batch_shape:
            base = base.expand((1,))
        super().__init__(base, StickBreakingTransform(), validate_args=validate_args)

    def expand(self, batch_shape: Any, _instance: Any = None) -> Distribution:
        """The same distributions broadcast to ``batch_shape`` (a LogisticNormal again)."""
        return super().expand(batch_shape, _instance)

    @property
    def loc(self) -> Tensor:
        """The mean of the normal vector before stick breaking."""
        return self.base_dist.base_dist.loc

    @property
    def scale(self) -> Tensor:
        """The standard deviations of the normal vector before stick breaking."""
        return self.base_dist.base_dist.scale


class LKJCholesky(Distribution):
    """The LKJ distribution over lower Cholesky factors L of ``dim`` x ``dim`` correlation matrices,
    density proportional to det(L L^T)^(concentration - 1); concentration 1 is uniform over
    correlation matrices. Sampled by PyTorch's onion method (not its generator's draws)."""

    arg_constraints = {"concentration": constraints.positive}
    support = constraints.corr_cholesky

    def __init__(self, dim: int, concentration: Any = 1.0, validate_args: bool | None = None) -> None:
        if isinstance(dim, bool) or int(dim) != dim or dim < 2:
            raise ValueError(f"Expected dim to be an integer greater than or equal to 2. Found dim={dim}.")
        self.dim = int(dim)
        (self.concentration,) = broadcast_all(concentration)
        super().__init__(self.concentration.shape, (self.dim, self.dim), validate_args)
        self._beta = self._marginal_beta(self.concentration)

    def _marginal_beta(self, conc: Tensor) -> Beta:
        """Beta(k / 2, c + (d - 2) / 2 - (k - 1) / 2) for the squared off-diagonal norm of row k
        (Lewandowski, Kurowicka & Joe 2009, onion method; row 0 has none: a placeholder).
        PyTorch 2.13 uses k - 1/2 for the first parameter, which draws rows k >= 2 from a
        different law than its own log_prob (E[r_20^2] = 0.214 instead of 1/6 at d = 3, c = 2)."""
        k = np.arange(self.dim, dtype=float)
        conc1 = (0.5 * np.maximum(k, 1.0)).astype(conc.dtype)
        shift = (0.5 * np.maximum(k - 1.0, 0.0)).astype(conc.dtype)
        conc0 = expand_dims(conc + 0.5 * (self.dim - 2), -1) - shift
        return Beta(Tensor._const(conc1), conc0, validate_args=False)

    def expand(self, batch_shape: Any, _instance: Any = None) -> Distribution:
        """The same distributions broadcast to ``batch_shape``."""
        new = super().expand(batch_shape, _instance)
        new._beta = self._beta.expand(tuple(batch_shape) + (self.dim,))
        return new

    def sample(self, sample_shape: Any = ()) -> Tensor:
        """Cholesky factors drawn by the onion method: row i is sqrt(y_i) times a uniform direction
        on the first i coordinates, y_i ~ Beta, completed with a positive diagonal entry."""
        with no_grad():
            y = expand_dims(self._beta.sample(sample_shape), -1)._data
            shape = self._extended_shape(sample_shape)
            u = np.tril(rng().standard_normal(shape).astype(y.dtype), -1)
            norm = np.linalg.norm(u, axis=-1, keepdims=True)
            u = np.divide(u, norm, out=np.zeros_like(u), where=norm > 0)
            w = np.sqrt(y) * u
            diag = np.sqrt(np.clip(1.0 - (w * w).sum(-1), np.finfo(y.dtype).tiny, None))
            i = np.arange(self.dim)
            w[..., i, i] = diag
            return Tensor._const(w)

    def log_prob(self, value: Any) -> Tensor:
        """sum_i (2 (c - 1) + d - i) log L_ii (i = 2 .. d) minus the log normaliser."""
        value = self._value(value)
        diag = diagonal(value, 0, -2, -1)[..., 1:]
        order = 2.0 * expand_dims(self.concentration - 1.0, -1) + self.dim - np.arange(2, self.dim + 1)
        unnormalized = (order * log(diag)).sum(axis=-1)
        dm1 = self.dim - 1
        alpha = self.concentration + 0.5 * dm1
        normalizer = 0.5 * dm1 * math.log(math.pi) + mvlgamma(alpha - 0.5, dm1) - lgamma(alpha) * dm1
        return unnormalized - normalizer
