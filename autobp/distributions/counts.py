"""Count distributions beyond the Bernoulli family (PyTorch's ``Geometric``, ``NegativeBinomial`` and
``Multinomial``), given by ``probs`` or ``logits``; log masses differentiable in the parameters."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..nn.functional import logsigmoid, softplus
from ..ops import exp, floor, full_like, log, log1p, sigmoid, where
from ..special import gammaln
from ..tensor import Tensor
from . import constraints
from .discrete import BinaryParam, OfCategorical, _one_of
from .distribution import broadcast_all, rng


class Geometric(BinaryParam):
    """The number of failures before the first success in trials of probability ``probs``."""

    arg_constraints = {"probs": constraints.interval(0.0, 1.0), "logits": constraints.real}
    support = constraints.nonnegative_integer

    def __init__(self, probs: Any = None, logits: Any = None, validate_args: bool | None = None) -> None:
        _one_of(probs, logits, "Geometric")
        if probs is not None:
            (self.probs,) = broadcast_all(probs)
        else:
            (self.logits,) = broadcast_all(logits)
        super().__init__(self._param.shape, (), validate_args)
        if self._validate_args and probs is not None and not np.all(self.probs._data > 0):
            # beyond [0, 1]: a success probability of 0 never stops (PyTorch's extra check)
            bad = self.probs._data[~(self.probs._data > 0)]
            raise ValueError(f"Expected parameter probs of Geometric to be positive but found values {bad}")

    @property
    def mean(self) -> Tensor:
        """1 / p - 1."""
        return 1.0 / self.probs - 1.0

    @property
    def mode(self) -> Tensor:
        """0."""
        return full_like(self.probs, 0.0)

    @property
    def variance(self) -> Tensor:
        """(1 / p - 1) / p."""
        return (1.0 / self.probs - 1.0) / self.probs

    def sample(self, sample_shape: Any = ()) -> Tensor:
        """Failure counts of the parameters' float dtype."""
        shape = self._extended_shape(sample_shape)
        p = np.broadcast_to(self.probs._data, shape)
        return Tensor._const(np.asarray(rng().geometric(p) - 1, dtype=p.dtype))

    def log_prob(self, value: Any) -> Tensor:
        """value log(1 - p) + log p (0 log 0 = 0 at p = 1, value = 0)."""
        value = self._value(value)
        p = self.probs
        stuck = (p._data == 1) & (value._data == 0)
        q = where(stuck, full_like(p, 0.0), p) if np.any(stuck) else p
        return value * log1p(-q) + log(p)

    def entropy(self) -> Tensor:
        """(softplus(logits) - p logits) / p: the Bernoulli entropy per success."""
        return (softplus(self.logits) - self.probs * self.logits) / self.probs


class NegativeBinomial(BinaryParam):
    """Successes of probability ``probs`` before ``total_count`` failures (a gamma-Poisson mixture)."""

    arg_constraints = {
        "total_count": constraints.greater_than_eq(0.0),
        "probs": constraints.half_open_interval(0.0, 1.0),
        "logits": constraints.real,
    }
    support = constraints.nonnegative_integer

    def __init__(
        self, total_count: Any, probs: Any = None, logits: Any = None, validate_args: bool | None = None
    ) -> None:
        _one_of(probs, logits, "NegativeBinomial")
        if probs is not None:
            self.total_count, self.probs = broadcast_all(total_count, probs)
        else:
            self.total_count, self.logits = broadcast_all(total_count, logits)
        super().__init__(self._param.shape, (), validate_args)

    @property
    def mean(self) -> Tensor:
        """n exp(logits) = n p / (1 - p)."""
        return self.total_count * exp(self.logits)

    @property
    def mode(self) -> Tensor:
        """floor((n - 1) exp(logits)), at least 0."""
        m = floor((self.total_count - 1.0) * exp(self.logits))
        return where(m._data < 0, full_like(m, 0.0), m)

    @property
    def variance(self) -> Tensor:
        """mean / (1 - p)."""
        return self.mean / sigmoid(-self.logits)

    def sample(self, sample_shape: Any = ()) -> Tensor:
        """Counts of the parameters' float dtype."""
        shape = self._extended_shape(sample_shape)
        n = np.broadcast_to(self.total_count._data, shape)
        p = np.broadcast_to(self.probs._data, shape)
        # numpy wants n > 0; a total_count of 0 counts 0 failures (as PyTorch)
        draws = rng().negative_binomial(np.where(n > 0, n, 1.0), 1.0 - p)
        return Tensor._const(np.asarray(np.where(n > 0, draws, 0), dtype=p.dtype))

    def log_prob(self, value: Any) -> Tensor:
        """n log(1 - p) + k log p + log Gamma(n + k) - log Gamma(k + 1) - log Gamma(n)."""
        value = self._value(value)
        n = self.total_count
        unnormalised = n * logsigmoid(-self.logits) + value * logsigmoid(self.logits)
        norm = -gammaln(n + value) + gammaln(1.0 + value) + gammaln(n)
        zero = (n._data + value._data) == 0  # the point mass at 0 when n = 0
        norm = where(zero, full_like(norm, 0.0), norm) if np.any(zero) else norm
        return unnormalised - norm


class _Multinomial(constraints.Constraint):
    is_discrete = True
    event_dim = 1

    def __init__(self, upper_bound: int) -> None:
        self.upper_bound = upper_bound

    def check(self, value: Any) -> np.ndarray:
        v = value._data if isinstance(value, Tensor) else np.asarray(value)
        return np.all((v >= 0) & (v % 1 == 0), axis=-1) & (v.sum(-1) <= self.upper_bound)

    def __repr__(self) -> str:
        return f"Multinomial(upper_bound={self.upper_bound})"


class Multinomial(OfCategorical):
    """Counts of the K categories (the last axis of ``probs``/``logits``) in ``total_count`` draws."""

    def __init__(
        self, total_count: int = 1, probs: Any = None, logits: Any = None, validate_args: bool | None = None
    ) -> None:
        if not isinstance(total_count, (int, np.integer)) or isinstance(total_count, bool):
            raise NotImplementedError("inhomogeneous total_count is not supported")
        self.total_count = int(total_count)
        self._wrap(probs, logits, validate_args)

    @property
    def support(self) -> constraints.Constraint:  # type: ignore[override]
        """Count vectors summing to at most total_count."""
        return _Multinomial(self.total_count)

    @property
    def mean(self) -> Tensor:
        """n p."""
        return self.total_count * self.probs

    @property
    def variance(self) -> Tensor:
        """n p (1 - p)."""
        return self.total_count * self.probs * (1.0 - self.probs)

    def sample(self, sample_shape: Any = ()) -> Tensor:
        """Count vectors of the parameters' float dtype."""
        shape = self._extended_shape(sample_shape)
        p = np.broadcast_to(self.probs._data, shape).astype(np.float64)
        p = p / p.sum(-1, keepdims=True)
        return Tensor._const(rng().multinomial(self.total_count, p).astype(self.probs.dtype))

    def entropy(self) -> Tensor:
        """n H(p) - log n! + sum_i E[log x_i!], x_i ~ Binomial(n, p_i) (summed over k = 1 .. n)."""
        from .discrete import Binomial  # noqa: PLC0415

        n = self.total_count
        binomial = Binomial(n, probs=self.probs, validate_args=False)
        support = binomial.enumerate_support(expand=False)[1:]  # k = 1 .. n, then a 1 per batch axis
        weights = gammaln(support + 1.0)
        term2 = (exp(binomial.log_prob(support)) * weights).sum(axis=0).sum(axis=-1)
        return n * self._categorical.entropy() - float(gammaln(np.float64(n + 1))) + term2

    def log_prob(self, value: Any) -> Tensor:
        """log(n!) - sum log(x_i!) + sum x_i log p_i."""
        value = self._value(value)
        lg = self.logits
        ninf = np.isneginf(lg._data) & (value._data == 0)
        lg = where(ninf, full_like(lg, 0.0), lg) if np.any(ninf) else lg
        return (
            gammaln(value.sum(axis=-1) + 1.0) - gammaln(value + 1.0).sum(axis=-1) + (lg * value).sum(axis=-1)
        )
