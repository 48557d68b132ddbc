"""PyTorch's ``TransformedDistribution`` (a base distribution pushed through invertible transforms, its
log density by the change of variables) and ``LogNormal`` (a Normal through exp)."""

from __future__ import annotations

from typing import Any

from .._graph import no_grad
from ..ops import exp, expm1
from ..tensor import Tensor
from . import constraints
from .distribution import Distribution
from .independent import Independent
from .normal import Normal
from .transforms import ComposeTransform, ExpTransform, Transform, _t, sum_rightmost


class TransformedDistribution(Distribution):
    """The distribution of y = t_n(... t_1(x)) for x ~ ``base_distribution``.

    log p(y) = log p_base(x) - sum_i log |det J_t_i|, each term at the intermediate values.
    """

    arg_constraints: dict = {}

    def __init__(
        self, base_distribution: Distribution, transforms: Any, validate_args: bool | None = None
    ) -> None:
        if isinstance(transforms, Transform):
            transforms = [transforms]
        self.transforms = list(transforms)
        if not all(isinstance(t, Transform) for t in self.transforms):
            raise ValueError("transforms must be a Transform or a list of Transforms")
        b = base_distribution
        base_shape, base_dim = tuple(b.batch_shape) + tuple(b.event_shape), len(b.event_shape)
        chain = ComposeTransform(self.transforms)
        if len(base_shape) < chain.domain.event_dim:
            raise ValueError(
                f"base_distribution needs to have shape with size at least {chain.domain.event_dim}, "
                f"but got {base_shape}."
            )
        shape = chain.forward_shape(base_shape)
        expanded = chain.inverse_shape(shape)
        if expanded != base_shape:  # the transforms broadcast the base (an Affine with a batch of loc)
            b = b.expand(expanded[: len(expanded) - base_dim])
        if chain.domain.event_dim > base_dim:  # the transforms act on more axes than the base's events
            b = Independent(b, chain.domain.event_dim - base_dim)
        self.base_dist = b
        change = chain.codomain.event_dim - chain.domain.event_dim
        event_dim = max(chain.codomain.event_dim, base_dim + change)
        cut = len(shape) - event_dim
        super().__init__(shape[:cut], shape[cut:], validate_args)

    @property
    def has_rsample(self) -> bool:  # type: ignore[override]
        """Whether the base distribution has rsample."""
        return self.base_dist.has_rsample

    @property
    def support(self) -> constraints.Constraint:  # type: ignore[override]
        """The last transform's codomain."""
        if not self.transforms:
            return self.base_dist.support
        c = self.transforms[-1].codomain
        extra = len(self._event_shape) - c.event_dim
        return constraints.independent(c, extra) if extra > 0 else c

    def expand(self, batch_shape: Any, _instance: Any = None) -> Distribution:
        """The base distribution expanded, the same transforms."""
        new = object.__new__(type(self)) if _instance is None else _instance
        new.__dict__.update(self.__dict__)
        shape = tuple(batch_shape) + self._event_shape
        for t in reversed(self.transforms):
            shape = t.inverse_shape(shape)
        new.base_dist = self.base_dist.expand(shape[: len(shape) - len(self.base_dist.event_shape)])
        new._batch_shape = tuple(batch_shape)
        return new

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        """The base's rsample through the transforms."""
        x = self.base_dist.rsample(sample_shape)
        for t in self.transforms:
            x = t(x)
        return x

    def sample(self, sample_shape: Any = ()) -> Tensor:
        """The base's sample through the transforms, without gradient."""
        with no_grad():
            x = self.base_dist.sample(sample_shape)
            for t in self.transforms:
                x = t(x)
            return x.detach()

    def log_prob(self, value: Any) -> Tensor:
        """The base's log density at the inverse image minus the transforms' log |det J|."""
        y = self._value(value)
        event_dim = len(self._event_shape)
        lp: Any = 0.0
        for t in reversed(self.transforms):
            x = t.inv(y)
            event_dim += t.domain.event_dim - t.codomain.event_dim
            lp = lp - sum_rightmost(t.log_abs_det_jacobian(x, y), event_dim - t.domain.event_dim)
            y = x
        return lp + sum_rightmost(self.base_dist.log_prob(y), event_dim - len(self.base_dist.event_shape))

    def _monotonize_cdf(self, value: Any) -> Any:
        """value where the transforms increase, 1 - value where they decrease (per entry)."""
        sign: Any = 1
        for t in self.transforms:
            sign = sign * t.sign
        if isinstance(sign, int) and sign == 1:
            return value
        return sign * (value - 0.5) + 0.5

    def cdf(self, value: Any) -> Tensor:
        """The base's cdf at the inverse image (1 - it where the map decreases)."""
        y = self._value(value)
        for t in reversed(self.transforms):
            y = t.inv(y)
        return self._monotonize_cdf(self.base_dist.cdf(y))

    def icdf(self, value: Any) -> Tensor:
        """The transforms applied to the base's icdf."""
        x = self.base_dist.icdf(self._monotonize_cdf(_t(value)))
        for t in self.transforms:
            x = t(x)
        return x


class LogNormal(TransformedDistribution):
    """exp(X) for X ~ N(loc, scale^2)."""

    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.positive

    def __init__(self, loc: Any, scale: Any, validate_args: bool | None = None) -> None:
        super().__init__(Normal(loc, scale, validate_args=validate_args), ExpTransform(), validate_args)

    @property
    def loc(self) -> Tensor:
        """The mean of log X."""
        return self.base_dist.loc

    @property
    def scale(self) -> Tensor:
        """The standard deviation of log X."""
        return self.base_dist.scale

    @property
    def mean(self) -> Tensor:
        """exp(loc + scale^2 / 2)."""
        return exp(self.loc + 0.5 * self.scale * self.scale)

    @property
    def mode(self) -> Tensor:
        """exp(loc - scale^2)."""
        return exp(self.loc - self.scale * self.scale)

    @property
    def variance(self) -> Tensor:
        """(exp(scale^2) - 1) exp(2 loc + scale^2)."""
        s2 = self.scale * self.scale
        return expm1(s2) * exp(2.0 * self.loc + s2)

    def entropy(self) -> Tensor:
        """The normal entropy plus loc."""
        return self.base_dist.entropy() + self.loc
