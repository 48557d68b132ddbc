"""Continuous relaxations of discrete draws (PyTorch's ``RelaxedBernoulli`` and
``RelaxedOneHotCategorical``, the Concrete / Gumbel-softmax distributions of Maddison et al. and Jang
et al. 2017): ``rsample`` is a smooth function of logistic or Gumbel noise, differentiable in the
probabilities and the temperature."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..nn.functional import softplus
from ..ops import log, log1p, logsumexp
from ..tensor import Tensor
from . import constraints
from .discrete import Bernoulli, OfCategorical, clamp_probs
from .distribution import Distribution, params, rng
from .transformed import TransformedDistribution
from .transforms import ExpTransform, SigmoidTransform


def _temperature(t: Any, dtype: np.dtype) -> Tensor:
    return t if isinstance(t, Tensor) else params(np.asarray(t, dtype))[0]


class _Relaxed(TransformedDistribution):
    """The parameters of a relaxed distribution, read from its base."""

    @property
    def temperature(self) -> Tensor:
        """The relaxation temperature."""
        return self.base_dist.temperature

    @property
    def logits(self) -> Tensor:
        """The log-odds (binary) or normalised log probabilities (categorical)."""
        return self.base_dist.logits

    @property
    def probs(self) -> Tensor:
        """The probabilities."""
        return self.base_dist.probs


def _uniform_clamped(shape: tuple, dtype: np.dtype) -> Tensor:
    return clamp_probs(Tensor._const(np.asarray(rng().random(shape)).astype(dtype, copy=False)))


class LogitRelaxedBernoulli(Distribution):
    """The logit of a RelaxedBernoulli draw: (logistic noise + logits) / temperature."""

    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.real
    has_rsample = True

    def __init__(
        self, temperature: Any, probs: Any = None, logits: Any = None, validate_args: bool | None = None
    ):
        self._bernoulli = Bernoulli(probs, logits, validate_args)
        self.temperature = _temperature(temperature, self._bernoulli._param.dtype)
        super().__init__(self._bernoulli.batch_shape, (), validate_args=False)
        self._validate_args = self._bernoulli._validate_args

    @property
    def logits(self) -> Tensor:
        """log(p / (1 - p))."""
        return self._bernoulli.logits

    @property
    def probs(self) -> Tensor:
        """p."""
        return self._bernoulli.probs

    def expand(self, batch_shape: Any, _instance: Any = None) -> Distribution:
        """The same distributions broadcast to ``batch_shape``."""
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new._bernoulli = self._bernoulli.expand(batch_shape)
        new._batch_shape = tuple(batch_shape)
        return new

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        """(log u - log(1 - u) + log p - log(1 - p)) / temperature, u ~ U(0, 1) clamped."""
        u = _uniform_clamped(self._extended_shape(sample_shape), self.probs.dtype)
        p = clamp_probs(self.probs)
        return (log(u) - log1p(-u) + log(p) - log1p(-p)) / self.temperature

    def log_prob(self, value: Any) -> Tensor:
        """log t + d - 2 softplus(d) with d = logits - t value (a logistic density)."""
        value = self._value(value)
        diff = self.logits - value * self.temperature
        return log(self.temperature) + diff - 2.0 * softplus(diff)


class RelaxedBernoulli(_Relaxed):
    """sigmoid of a LogitRelaxedBernoulli draw: values in (0, 1) that approach {0, 1} as the
    temperature goes to 0."""

    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.unit_interval
    has_rsample = True

    def __init__(
        self, temperature: Any, probs: Any = None, logits: Any = None, validate_args: bool | None = None
    ):
        base = LogitRelaxedBernoulli(temperature, probs, logits, validate_args)
        super().__init__(base, SigmoidTransform(), validate_args)


class ExpRelaxedCategorical(OfCategorical):
    """The log of a RelaxedOneHotCategorical draw: log_softmax((logits + Gumbel noise) / temperature)."""

    support = constraints.real_vector
    has_rsample = True

    def __init__(
        self, temperature: Any, probs: Any = None, logits: Any = None, validate_args: bool | None = None
    ) -> None:
        self._wrap(probs, logits, validate_args)
        self.temperature = _temperature(temperature, self._categorical._param.dtype)

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        """s - logsumexp(s) with s = (logits - log(-log u)) / temperature."""
        u = _uniform_clamped(self._extended_shape(sample_shape), self.logits.dtype)
        scores = (self.logits - log(-log(u))) / self.temperature
        return scores - logsumexp(scores, axis=-1, keepdims=True)

    def log_prob(self, value: Any) -> Tensor:
        """The Concrete density of log-probabilities ``value`` (Maddison et al. 2017, eq. in log space)."""
        value = self._value(value)
        k = self._event_shape[0]
        log_scale = math.lgamma(k) + (k - 1) * log(self.temperature)
        score = self.logits - value * self.temperature
        score = (score - logsumexp(score, axis=-1, keepdims=True)).sum(axis=-1)
        return score + log_scale


class RelaxedOneHotCategorical(_Relaxed):
    """exp of an ExpRelaxedCategorical draw: points of the simplex that approach one-hot vectors as
    the temperature goes to 0 (Gumbel-softmax)."""

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.independent(constraints.real, 1)}
    support = constraints.simplex
    has_rsample = True

    def __init__(
        self, temperature: Any, probs: Any = None, logits: Any = None, validate_args: bool | None = None
    ):
        base = ExpRelaxedCategorical(temperature, probs, logits, validate_args)
        super().__init__(base, ExpTransform(), validate_args)
