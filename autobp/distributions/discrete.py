"""Discrete distributions (PyTorch's ``Bernoulli``, ``Categorical``, ``OneHotCategorical``, ``Poisson``,
``Binomial``): given by ``probs`` or ``logits`` (the other computed on first use); log masses
differentiable in the parameters; samples are integers-valued constants."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..nn.functional import softplus
from ..ops import broadcast_to, clip, exp, log, log1p, logsumexp, sigmoid, take_along_axis
from ..special import gammaln, xlogy
from ..tensor import Tensor
from . import constraints
from .distribution import Distribution, broadcast_all, lazy_property, params, rng


def _one_of(probs: Any, logits: Any, who: str) -> None:
    if (probs is None) == (logits is None):
        raise ValueError(f"{who}: either `probs` or `logits` must be specified, but not both.")


def clamp_probs(probs: Tensor) -> Tensor:
    """probs clipped to [eps, 1 - eps] of their dtype (PyTorch's ``clamp_probs``)."""
    eps = float(np.finfo(probs.dtype).eps)
    return clip(probs, eps, 1.0 - eps)


def probs_to_logits(probs: Tensor, is_binary: bool = False) -> Tensor:
    """log p (categorical) or log p - log(1 - p) (binary), of clamped probabilities."""
    p = clamp_probs(probs)
    return log(p) - log1p(-p) if is_binary else log(p)


class BinaryParam(Distribution):
    """A distribution of one success probability, given as ``probs`` or ``logits`` (the other
    computed on first use)."""

    @property
    def _param(self) -> Tensor:
        return self.__dict__["probs"] if "probs" in self.__dict__ else self.__dict__["logits"]

    @lazy_property
    def logits(self) -> Tensor:
        """log(p / (1 - p))."""
        return probs_to_logits(self.probs, is_binary=True)

    @lazy_property
    def probs(self) -> Tensor:
        """sigmoid(logits)."""
        return sigmoid(self.logits)


class Bernoulli(BinaryParam):
    """1 with probability ``probs`` (or sigmoid(``logits``)), else 0."""

    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.boolean
    has_enumerate_support = True

    def __init__(self, probs: Any = None, logits: Any = None, validate_args: bool | None = None) -> None:
        _one_of(probs, logits, "Bernoulli")
        if probs is not None:
            (self.probs,) = params(probs)
        else:
            (self.logits,) = params(logits)
        super().__init__(self._param.shape, (), validate_args)

    @property
    def param_shape(self) -> tuple:
        """The shape of the parameter."""
        return self._param.shape

    @property
    def mean(self) -> Tensor:
        """probs."""
        return self.probs

    @property
    def mode(self) -> Tensor:
        """1 where probs > 1/2, 0 where below, nan at 1/2."""
        p = self.probs._data
        return Tensor._const(np.where(p == 0.5, np.nan, (p > 0.5).astype(p.dtype)))

    @property
    def variance(self) -> Tensor:
        """p (1 - p)."""
        return self.probs * (1.0 - self.probs)

    def sample(self, sample_shape: Any = ()) -> Tensor:
        """0/1 draws of the parameters' float dtype."""
        shape = self._extended_shape(sample_shape)
        p = np.broadcast_to(self.probs._data, shape)
        return Tensor._const((rng().random(shape) < p).astype(p.dtype))

    def log_prob(self, value: Any) -> Tensor:
        """value logits - softplus(logits), the negated binary cross-entropy with logits."""
        value = self._value(value)
        return value * self.logits - softplus(self.logits)

    def entropy(self) -> Tensor:
        """softplus(logits) - p logits."""
        return softplus(self.logits) - self.probs * self.logits

    def enumerate_support(self, expand: bool = True) -> Tensor:
        """0 and 1 along a new leading axis, broadcast over the batch when ``expand``."""
        dt = self._param.dtype
        values = np.arange(2, dtype=dt).reshape((2,) + (1,) * len(self._batch_shape))
        if expand:
            values = np.broadcast_to(values, (2,) + self._batch_shape)
        return Tensor._const(np.ascontiguousarray(values))


class Categorical(Distribution):
    """Categories 0 .. K-1 of the last axis of ``probs`` (normalised) or ``logits`` (unnormalised)."""

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.independent(constraints.real, 1)}
    has_enumerate_support = True

    def __init__(self, probs: Any = None, logits: Any = None, validate_args: bool | None = None) -> None:
        _one_of(probs, logits, "Categorical")
        if probs is not None:
            (p,) = params(probs)
            if p.ndim < 1:
                raise ValueError("`probs` parameter must be at least one-dimensional.")
            self.probs = p / p.sum(axis=-1, keepdims=True)
        else:
            (lg,) = params(logits)
            if lg.ndim < 1:
                raise ValueError("`logits` parameter must be at least one-dimensional.")
            self.logits = lg - logsumexp(lg, axis=-1, keepdims=True)
        self._num_events = self._param.shape[-1]
        super().__init__(self._param.shape[:-1], (), validate_args)

    @property
    def _param(self) -> Tensor:
        return self.__dict__["probs"] if "probs" in self.__dict__ else self.__dict__["logits"]

    @lazy_property
    def logits(self) -> Tensor:
        """log probs (normalised)."""
        return probs_to_logits(self.probs)

    @lazy_property
    def probs(self) -> Tensor:
        """softmax(logits)."""
        return exp(self.logits)

    @property
    def param_shape(self) -> tuple:
        """The shape of the parameter (batch_shape + (K,))."""
        return self._param.shape

    @property
    def support(self) -> constraints.Constraint:  # type: ignore[override]
        """The integers 0 .. K-1."""
        return constraints.integer_interval(0, self._num_events - 1)

    @property
    def mean(self) -> Tensor:
        """nan (categories have no mean)."""
        return Tensor._const(np.full(self._batch_shape, np.nan, self._param.dtype))

    @property
    def variance(self) -> Tensor:
        """nan."""
        return self.mean

    @property
    def mode(self) -> Tensor:
        """The most probable category."""
        return Tensor._const(np.argmax(self._param._data, axis=-1))

    def sample(self, sample_shape: Any = ()) -> Tensor:
        """int64 categories, each drawn by inverting the cumulative probabilities at uniform noise."""
        shape = self._extended_shape(sample_shape)
        cum = np.cumsum(self.probs._data, axis=-1)
        cum = cum / cum[..., -1:]
        u = rng().random(shape)[..., None]
        idx = (np.broadcast_to(cum, shape + (self._num_events,)) <= u).sum(-1)
        return Tensor._const(np.minimum(idx, self._num_events - 1).astype(np.int64))

    def log_prob(self, value: Any) -> Tensor:
        """logits[value] (normalised), batch and value broadcast."""
        value = self._value(value) if isinstance(value, Tensor) else self._value(np.asarray(value))
        shape = np.broadcast_shapes(value.shape, self._batch_shape)
        idx = np.broadcast_to(value._data.astype(np.int64), shape)[..., None]
        logits = broadcast_to(self.logits, shape + (self._num_events,))
        return take_along_axis(logits, idx, axis=-1)[..., 0]

    def entropy(self) -> Tensor:
        """-sum p log p (logits clipped at the dtype's most negative number, so 0 log 0 = 0)."""
        lg = clip(self.logits, float(np.finfo(self.logits.dtype).min), None)
        return -(lg * self.probs).sum(axis=-1)

    def enumerate_support(self, expand: bool = True) -> Tensor:
        """0 .. K-1 along a new leading axis, broadcast over the batch when ``expand``."""
        values = np.arange(self._num_events).reshape((-1,) + (1,) * len(self._batch_shape))
        if expand:
            values = np.broadcast_to(values, (self._num_events,) + self._batch_shape)
        return Tensor._const(np.ascontiguousarray(values))


class OfCategorical(Distribution):
    """A distribution built on a Categorical over the last axis of ``probs``/``logits`` (kept as
    ``_categorical``): its parameters, shapes and ``expand``."""

    arg_constraints = Categorical.arg_constraints

    def _wrap(self, probs: Any, logits: Any, validate_args: bool | None) -> None:
        self._categorical = c = Categorical(probs, logits, validate_args)
        Distribution.__init__(self, c.batch_shape, c.param_shape[-1:], validate_args=False)
        self._validate_args = c._validate_args

    def expand(self, batch_shape: Any, _instance: Any = None) -> Distribution:
        """The same distributions broadcast to ``batch_shape``."""
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new._categorical = self._categorical.expand(batch_shape)
        new._batch_shape = tuple(batch_shape)
        return new

    @property
    def probs(self) -> Tensor:
        """The categories' probabilities."""
        return self._categorical.probs

    @property
    def logits(self) -> Tensor:
        """The categories' normalised log probabilities."""
        return self._categorical.logits

    @property
    def param_shape(self) -> tuple:
        """batch_shape + (K,)."""
        return self._categorical.param_shape


class OneHotCategorical(OfCategorical):
    """Categorical draws as one-hot vectors of length K (the event)."""

    support = constraints.one_hot
    has_enumerate_support = True

    def __init__(self, probs: Any = None, logits: Any = None, validate_args: bool | None = None) -> None:
        self._wrap(probs, logits, validate_args)

    @property
    def mean(self) -> Tensor:
        """probs."""
        return self.probs

    @property
    def mode(self) -> Tensor:
        """The one-hot vector of the most probable category."""
        k = self._event_shape[0]
        return Tensor._const(
            (np.arange(k) == self._categorical.mode._data[..., None]).astype(self.probs.dtype)
        )

    @property
    def variance(self) -> Tensor:
        """p (1 - p)."""
        return self.probs * (1.0 - self.probs)

    def sample(self, sample_shape: Any = ()) -> Tensor:
        """One-hot vectors of categorical draws."""
        idx = self._categorical.sample(sample_shape)._data
        k = self._event_shape[0]
        return Tensor._const((np.arange(k) == idx[..., None]).astype(self.probs.dtype))

    def log_prob(self, value: Any) -> Tensor:
        """log p of the category the one-hot ``value`` marks."""
        value = self._value(value)
        return self._categorical.log_prob(Tensor._const(np.argmax(value._data, axis=-1)))

    def entropy(self) -> Tensor:
        """The categorical entropy."""
        return self._categorical.entropy()

    def enumerate_support(self, expand: bool = True) -> Tensor:
        """The K one-hot vectors along a new leading axis."""
        k = self._event_shape[0]
        values = np.eye(k, dtype=self.probs.dtype).reshape((k,) + (1,) * len(self._batch_shape) + (k,))
        if expand:
            values = np.broadcast_to(values, (k,) + self._batch_shape + (k,))
        return Tensor._const(np.ascontiguousarray(values))


class Poisson(Distribution):
    """The Poisson distribution of mean ``rate``."""

    arg_constraints = {"rate": constraints.nonnegative}
    support = constraints.nonnegative_integer

    def __init__(self, rate: Any, validate_args: bool | None = None) -> None:
        (self.rate,) = broadcast_all(rate)
        super().__init__(self.rate.shape, (), validate_args)

    @property
    def mean(self) -> Tensor:
        """rate."""
        return self.rate

    @property
    def mode(self) -> Tensor:
        """floor(rate)."""
        return Tensor._const(np.floor(self.rate._data))

    @property
    def variance(self) -> Tensor:
        """rate."""
        return self.rate

    def sample(self, sample_shape: Any = ()) -> Tensor:
        """Counts of the parameters' float dtype."""
        draws = rng().poisson(np.broadcast_to(self.rate._data, self._extended_shape(sample_shape)))
        return Tensor._const(np.asarray(draws, dtype=self.rate.dtype))

    def log_prob(self, value: Any) -> Tensor:
        """value log rate - rate - log(value!)."""
        value = self._value(value)
        return xlogy(value, self.rate) - self.rate - gammaln(value + 1.0)


class Binomial(BinaryParam):
    """Successes in ``total_count`` trials of probability ``probs`` (or sigmoid(``logits``))."""

    arg_constraints = {
        "total_count": constraints.nonnegative_integer,
        "probs": constraints.unit_interval,
        "logits": constraints.real,
    }
    has_enumerate_support = True

    def __init__(
        self, total_count: Any = 1, probs: Any = None, logits: Any = None, validate_args: bool | None = None
    ) -> None:
        _one_of(probs, logits, "Binomial")
        if probs is not None:
            self.total_count, self.probs = broadcast_all(total_count, probs)
        else:
            self.total_count, self.logits = broadcast_all(total_count, logits)
        self.total_count = self.total_count.detach()
        super().__init__(self.total_count.shape, (), validate_args)

    @property
    def support(self) -> constraints.Constraint:  # type: ignore[override]
        """The integers 0 .. total_count."""
        return constraints.integer_interval(0, self.total_count._data)

    @property
    def mean(self) -> Tensor:
        """n p."""
        return self.total_count * self.probs

    @property
    def mode(self) -> Tensor:
        """floor((n + 1) p), at most n."""
        n = self.total_count._data
        return Tensor._const(np.minimum(np.floor((n + 1) * self.probs._data), n))

    @property
    def variance(self) -> Tensor:
        """n p (1 - p)."""
        return self.total_count * self.probs * (1.0 - self.probs)

    def sample(self, sample_shape: Any = ()) -> Tensor:
        """Counts of the parameters' float dtype."""
        shape = self._extended_shape(sample_shape)
        n = np.broadcast_to(self.total_count._data, shape).astype(np.int64)
        p = np.broadcast_to(self.probs._data, shape)
        return Tensor._const(np.asarray(rng().binomial(n, p), dtype=self.probs.dtype))

    def log_prob(self, value: Any) -> Tensor:
        """log C(n, k) + k logits - n softplus(logits)."""
        value = self._value(value)
        n = self.total_count
        log_choose = gammaln(n + 1.0) - gammaln(value + 1.0) - gammaln(n - value + 1.0)
        return log_choose + value * self.logits - n * softplus(self.logits)

    def entropy(self) -> Tensor:
        """-sum_k P(k) log P(k) over k = 0 .. n (one n for the whole batch, as PyTorch)."""
        n = self.total_count._data
        if n.size and not np.all(n == n.flat[0]):
            raise NotImplementedError("Inhomogeneous total count not supported by `entropy`.")
        lp = self.log_prob(self.enumerate_support(False))
        return -(exp(lp) * lp).sum(axis=0)

    def enumerate_support(self, expand: bool = True) -> Tensor:
        """0 .. n along a new leading axis (one n for the whole batch)."""
        n = self.total_count._data
        if n.size and not np.all(n == n.flat[0]):
            raise NotImplementedError("Inhomogeneous total count not supported by `enumerate_support`.")
        top = int(n.flat[0]) if n.size else 0
        values = np.arange(top + 1, dtype=self._param.dtype).reshape((-1,) + (1,) * len(self._batch_shape))
        if expand:
            values = np.broadcast_to(values, (top + 1,) + self._batch_shape)
        return Tensor._const(np.ascontiguousarray(values))
