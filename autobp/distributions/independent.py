"""PyTorch's ``Independent`` (batch axes reinterpreted as event axes: log densities summed over them)
and ``MixtureSameFamily`` (a categorical mixture of one batched component distribution)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..ops import log_softmax, logsumexp
from ..tensor import Tensor
from . import constraints
from .discrete import Categorical
from .distribution import Distribution


def _sum_rightmost(x: Tensor, n: int) -> Tensor:
    return x.reshape(x.shape[: x.ndim - n] + (-1,)).sum(axis=-1) if n > 0 else x


class Independent(Distribution):
    """``base_distribution`` with its last ``reinterpreted_batch_ndims`` batch axes made event axes."""

    arg_constraints: dict = {}

    def __init__(
        self,
        base_distribution: Distribution,
        reinterpreted_batch_ndims: int,
        validate_args: bool | None = None,
    ) -> None:
        n = int(reinterpreted_batch_ndims)
        shape = base_distribution.batch_shape + base_distribution.event_shape
        if n > len(base_distribution.batch_shape):
            raise ValueError(
                f"Expected reinterpreted_batch_ndims <= len(base_distribution.batch_shape), actual {n} vs "
                f"{len(base_distribution.batch_shape)}"
            )
        cut = len(base_distribution.batch_shape) - n
        self.base_dist, self.reinterpreted_batch_ndims = base_distribution, n
        super().__init__(shape[:cut], shape[cut:], validate_args=False)
        self._validate_args = (
            base_distribution._validate_args if validate_args is None else bool(validate_args)
        )

    @property
    def has_rsample(self) -> bool:  # type: ignore[override]
        """The base's has_rsample."""
        return self.base_dist.has_rsample

    @property
    def has_enumerate_support(self) -> bool:  # type: ignore[override]
        """False when events have batch axes (their joint support is a product)."""
        return self.reinterpreted_batch_ndims == 0 and self.base_dist.has_enumerate_support

    @property
    def support(self) -> constraints.Constraint:  # type: ignore[override]
        """The base's support over the larger events."""
        return constraints.independent(self.base_dist.support, self.reinterpreted_batch_ndims)

    def expand(self, batch_shape: Any, _instance: Any = None) -> Distribution:
        """The base expanded to ``batch_shape`` plus the reinterpreted axes."""
        batch_shape = tuple(batch_shape)
        n = self.reinterpreted_batch_ndims
        extra = self._event_shape[:n] if n else ()
        new = object.__new__(type(self))  # a subclass expands to itself
        base = self.base_dist.expand(batch_shape + extra)
        Independent.__init__(new, base, n, validate_args=self._validate_args)
        return new

    @property
    def mean(self) -> Tensor:
        """The base's mean."""
        return self.base_dist.mean

    @property
    def mode(self) -> Tensor:
        """The base's mode."""
        return self.base_dist.mode

    @property
    def variance(self) -> Tensor:
        """The base's variance."""
        return self.base_dist.variance

    def sample(self, sample_shape: Any = ()) -> Tensor:
        """The base's sample."""
        return self.base_dist.sample(sample_shape)

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        """The base's rsample."""
        return self.base_dist.rsample(sample_shape)

    def log_prob(self, value: Any) -> Tensor:
        """The base's log density summed over the reinterpreted axes."""
        return _sum_rightmost(self.base_dist.log_prob(value), self.reinterpreted_batch_ndims)

    def entropy(self) -> Tensor:
        """The base's entropy summed over the reinterpreted axes."""
        return _sum_rightmost(self.base_dist.entropy(), self.reinterpreted_batch_ndims)

    def __repr__(self) -> str:
        return f"Independent({self.base_dist!r}, {self.reinterpreted_batch_ndims})"


class MixtureSameFamily(Distribution):
    """A mixture: a category drawn from ``mixture_distribution`` (a Categorical over K) picks one of the
    K components of ``component_distribution``, whose last batch axis has size K."""

    arg_constraints: dict = {}
    has_rsample = False

    def __init__(
        self,
        mixture_distribution: Categorical,
        component_distribution: Distribution,
        validate_args: bool | None = None,
    ) -> None:
        if not isinstance(mixture_distribution, Categorical):
            raise ValueError(
                "The Mixture distribution needs to be an instance of torch.distributions.Categorical"
            )
        if not isinstance(component_distribution, Distribution):
            raise ValueError(
                "The Component distribution need to be an instance of torch.distributions.Distribution"
            )
        mb, cb = mixture_distribution.batch_shape, component_distribution.batch_shape
        if len(cb) < 1:
            raise ValueError("component_distribution must have at least one batch dimension (the components)")
        try:
            batch = np.broadcast_shapes(mb, cb[:-1])
        except ValueError:
            raise ValueError(
                f"`mixture_distribution.batch_shape` ({mb}) is not compatible with "
                f"`component_distribution.batch_shape` ({cb})"
            ) from None
        k = mixture_distribution._num_events
        if cb[-1] != k:
            raise ValueError(
                f"`mixture_distribution component` ({k}) does not equal "
                f"`component_distribution.batch_shape[-1]` ({cb[-1]})"
            )
        self._mixture_distribution, self._component_distribution = (
            mixture_distribution,
            component_distribution,
        )
        self._num_component = k
        self._event_ndims = len(component_distribution.event_shape)
        super().__init__(batch, component_distribution.event_shape, validate_args=False)
        self._validate_args = (
            validate_args if validate_args is not None else component_distribution._validate_args
        )

    @property
    def mixture_distribution(self) -> Categorical:
        """The distribution of the component index."""
        return self._mixture_distribution

    @property
    def component_distribution(self) -> Distribution:
        """The K components (the last batch axis)."""
        return self._component_distribution

    @property
    def support(self) -> constraints.Constraint:  # type: ignore[override]
        """The components' support, checked with the component axis given back (as PyTorch)."""
        return constraints.MixtureSameFamilyConstraint(self._component_distribution.support)

    def expand(self, batch_shape: Any, _instance: Any = None) -> Distribution:
        """Both parts expanded to ``batch_shape``."""
        batch_shape = tuple(batch_shape)
        comp = self._component_distribution.expand(batch_shape + (self._num_component,))
        mix = self._mixture_distribution.expand(batch_shape)
        new = object.__new__(type(self))  # a subclass expands to itself
        MixtureSameFamily.__init__(new, mix, comp, validate_args=self._validate_args)
        return new

    def _pad_probs(self) -> Tensor:
        """The mixture weights (..., K) with an axis per event axis, to weigh the components' moments."""
        p = self._mixture_distribution.probs
        return p.reshape(p.shape + (1,) * self._event_ndims)

    @property
    def mean(self) -> Tensor:
        """sum_k w_k mean_k."""
        return (self._pad_probs() * self._component_distribution.mean).sum(axis=-1 - self._event_ndims)

    @property
    def variance(self) -> Tensor:
        """The law of total variance: sum_k w_k var_k + sum_k w_k (mean_k - mean)^2."""
        axis = -1 - self._event_ndims
        w, c = self._pad_probs(), self._component_distribution
        mean_cond_var = (w * c.variance).sum(axis=axis)
        d = c.mean - self.mean[(..., None) + (slice(None),) * self._event_ndims]
        var_cond_mean = (w * d * d).sum(axis=axis)
        return mean_cond_var + var_cond_mean

    def _pad(self, x: Tensor) -> Tensor:
        """x with a component axis before its event axes."""
        return x.reshape(x.shape[: x.ndim - self._event_ndims] + (1,) + x.shape[x.ndim - self._event_ndims :])

    def log_prob(self, value: Any) -> Tensor:
        """log sum_k w_k p_k(value)."""
        x = (
            value
            if isinstance(value, Tensor)
            else Tensor._const(np.asarray(value, self._mixture_distribution.logits.dtype))
        )
        if self._validate_args:
            self._validate_sample(x)
        lp = self._component_distribution.log_prob(self._pad(x))
        return logsumexp(lp + log_softmax(self._mixture_distribution.logits, axis=-1), axis=-1)

    def cdf(self, value: Any) -> Tensor:
        """sum_k w_k F_k(value)."""
        x = (
            value
            if isinstance(value, Tensor)
            else Tensor._const(np.asarray(value, self._mixture_distribution.logits.dtype))
        )
        return (self._component_distribution.cdf(self._pad(x)) * self._mixture_distribution.probs).sum(
            axis=-1
        )

    def sample(self, sample_shape: Any = ()) -> Tensor:
        """A component index per draw, then that component's draw."""
        sample_shape = (sample_shape,) if isinstance(sample_shape, int) else tuple(sample_shape)
        idx = self._mixture_distribution.sample(sample_shape)._data  # sample_shape + mixture batch
        comp = self._component_distribution.sample(sample_shape)._data  # ... + (K,) + event
        out_batch = sample_shape + self._batch_shape
        idx = np.broadcast_to(idx, out_batch).reshape(out_batch + (1,) * (1 + self._event_ndims))
        comp = np.broadcast_to(comp, out_batch + (self._num_component,) + self._event_shape)
        idx = np.broadcast_to(idx, out_batch + (1,) + self._event_shape)
        return Tensor._const(
            np.take_along_axis(comp, idx, axis=len(out_batch))[(..., 0) + (slice(None),) * self._event_ndims]
        )
