"""PyTorch's ``ContinuousBernoulli`` (Loaiza-Ganem and Cunningham 2019): the density
C(p) p^x (1 - p)^(1 - x) on [0, 1], with its normaliser C(p), moments, cdf and inverse cdf in closed
form (Taylor expansions near p = 1/2, where the closed forms are 0/0, as PyTorch evaluates them), and
the KL divergences PyTorch registers for it."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..nn.functional import softplus
from ..ops import abs as _abs
from ..ops import full_like, log, log1p, sigmoid, sqrt, where
from ..tensor import Tensor
from . import constraints
from .discrete import _one_of, clamp_probs, probs_to_logits
from .distribution import Distribution, as_param, lazy_property, params, rng
from .gamma import Beta, Exponential, Gamma
from .kl import register_kl
from .location_scale import Gumbel, Laplace, Uniform
from .normal import Normal
from .power_families import Pareto


class ContinuousBernoulli(Distribution):
    """The continuous Bernoulli on [0, 1] of ``probs`` in (0, 1) (or ``logits``, their log-odds);
    unlike the Bernoulli's, ``probs`` is not a probability. ``lims`` is the interval around 1/2 where
    Taylor expansions replace the closed forms."""

    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.unit_interval
    has_rsample = True

    def __init__(
        self,
        probs: Any = None,
        logits: Any = None,
        lims: tuple = (0.499, 0.501),
        validate_args: bool | None = None,
    ) -> None:
        _one_of(probs, logits, "ContinuousBernoulli")
        if probs is not None:
            (p,) = params(probs)
            # checked before clamping (the clamped value always passes) whenever validate_args is given
            if validate_args is not None and not np.all(constraints.unit_interval.check(p._data)):
                raise ValueError(f"The parameter probs has invalid values: {p._data}")
            self.probs = clamp_probs(p)
        else:
            (self.logits,) = params(logits)
        self._lims = tuple(lims)
        super().__init__(self._param.shape, (), validate_args)

    @property
    def _param(self) -> Tensor:
        return self.__dict__["probs"] if "probs" in self.__dict__ else self.__dict__["logits"]

    @property
    def param_shape(self) -> tuple:
        """The shape of the parameter."""
        return self._param.shape

    @lazy_property
    def logits(self) -> Tensor:
        """log(p / (1 - p))."""
        return probs_to_logits(self.probs, is_binary=True)

    @lazy_property
    def probs(self) -> Tensor:
        """sigmoid(logits), clamped inside (0, 1)."""
        return clamp_probs(sigmoid(self.logits))

    def _outside(self) -> np.ndarray:
        """Where probs is outside (lims[0], lims[1]] (the closed forms are used there)."""
        p = self.probs._data
        return (p <= self._lims[0]) | (p > self._lims[1])

    def _cut_probs(self) -> Tensor:
        p = self.probs
        return where(self._outside(), p, full_like(p, self._lims[0]))

    def _cont_bern_log_norm(self) -> Tensor:
        """log C(p) = log(|log(1 - p) - log p| / |1 - 2p|); log 2 + (4/3 + 104/45 x) x, x = (p - 1/2)^2,
        near 1/2."""
        c = self._cut_probs()
        below = c._data <= 0.5
        c_below = where(below, c, full_like(c, 0.0))
        c_above = where(c._data >= 0.5, c, full_like(c, 1.0))
        denominator = where(below, log1p(-2.0 * c_below), log(2.0 * c_above - 1.0))
        log_norm = log(_abs(log1p(-c) - log(c))) - denominator
        x = (self.probs - 0.5) ** 2
        taylor = math.log(2.0) + (4.0 / 3.0 + 104.0 / 45.0 * x) * x
        return where(self._outside(), log_norm, taylor)

    @property
    def mean(self) -> Tensor:
        """p / (2p - 1) + 1 / (log(1 - p) - log p)."""
        c = self._cut_probs()
        mus = c / (2.0 * c - 1.0) + 1.0 / (log1p(-c) - log(c))
        x = self.probs - 0.5
        taylor = 0.5 + (1.0 / 3.0 + 16.0 / 45.0 * x**2) * x
        return where(self._outside(), mus, taylor)

    @property
    def variance(self) -> Tensor:
        """p (p - 1) / (1 - 2p)^2 + 1 / (log(1 - p) - log p)^2."""
        c = self._cut_probs()
        v = c * (c - 1.0) / (1.0 - 2.0 * c) ** 2 + 1.0 / (log1p(-c) - log(c)) ** 2
        x = (self.probs - 0.5) ** 2
        taylor = 1.0 / 12.0 - (1.0 / 15.0 - 128.0 / 945.0 * x) * x
        return where(self._outside(), v, taylor)

    @property
    def stddev(self) -> Tensor:
        """The square root of the variance."""
        return sqrt(self.variance)

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        """icdf(u) for u ~ U[0, 1): differentiable in the parameter."""
        shape = self._extended_shape(sample_shape)
        u = Tensor._const(np.asarray(rng().random(shape)).astype(self.probs.dtype, copy=False))
        return self.icdf(u)

    def log_prob(self, value: Any) -> Tensor:
        """value logits - softplus(logits) + log C(p)."""
        value = self._value(value)
        return value * self.logits - softplus(self.logits) + self._cont_bern_log_norm()

    def cdf(self, value: Any) -> Tensor:
        """(p^x (1 - p)^(1 - x) + p - 1) / (2p - 1) (x near p = 1/2), 0 below 0 and 1 above 1."""
        value = self._value(value)
        c = self._cut_probs()
        cdfs = (c**value * (1.0 - c) ** (1.0 - value) + c - 1.0) / (2.0 * c - 1.0)
        unbounded = where(self._outside(), cdfs, value)
        v = value._data
        zeros, ones = full_like(unbounded, 0.0), full_like(unbounded, 1.0)
        return where(v <= 0.0, zeros, where(v >= 1.0, ones, unbounded))

    def icdf(self, value: Any) -> Tensor:
        """(log1p(-p + u (2p - 1)) - log1p(-p)) / (log p - log1p(-p)) (u near p = 1/2)."""
        u = value if isinstance(value, Tensor) else as_param(value, self.probs.dtype)
        c = self._cut_probs()
        x = (log1p(-c + u * (2.0 * c - 1.0)) - log1p(-c)) / (log(c) - log1p(-c))
        return where(self._outside(), x, u)

    def entropy(self) -> Tensor:
        """mean (log(1 - p) - log p) - log C(p) - log(1 - p)."""
        log0, log1 = log1p(-self.probs), log(self.probs)
        return self.mean * (log0 - log1) - self._cont_bern_log_norm() - log0


def _inf_where(mask: np.ndarray, x: Tensor) -> Tensor:
    return where(mask, full_like(x, np.inf), x) if np.any(mask) else x


@register_kl(ContinuousBernoulli, ContinuousBernoulli)
def _kl_cb_cb(p: ContinuousBernoulli, q: ContinuousBernoulli) -> Tensor:
    t1 = p.mean * (p.logits - q.logits)
    return t1 + p._cont_bern_log_norm() + log1p(-p.probs) - q._cont_bern_log_norm() - log1p(-q.probs)


def _minus_log_q(mean: Tensor, q: ContinuousBernoulli) -> Tensor:
    """-E[log q(X)] for X of this mean, q continuous Bernoulli."""
    return -mean * q.logits - log1p(-q.probs) - q._cont_bern_log_norm()


@register_kl(Beta, ContinuousBernoulli)
def _kl_beta_cb(p: Beta, q: ContinuousBernoulli) -> Tensor:
    return -p.entropy() + _minus_log_q(p.mean, q)


@register_kl(Uniform, ContinuousBernoulli)
def _kl_uniform_cb(p: Uniform, q: ContinuousBernoulli) -> Tensor:
    # +inf where p reaches 1 or 0 (PyTorch's test: high >= 1 or low <= 0)
    result = -p.entropy() + _minus_log_q(p.mean, q)
    mask = np.broadcast_to((p.high._data >= 1.0) | (p.low._data <= 0.0), result.shape)
    return _inf_where(mask, result)


@register_kl(ContinuousBernoulli, Exponential)
def _kl_cb_exponential(p: ContinuousBernoulli, q: Exponential) -> Tensor:
    return -p.entropy() - log(q.rate) + q.rate * p.mean


@register_kl(ContinuousBernoulli, Normal)
def _kl_cb_normal(p: ContinuousBernoulli, q: Normal) -> Tensor:
    t2 = 0.5 * (math.log(2.0 * math.pi) + (q.loc / q.scale) ** 2) + log(q.scale)
    t3 = (p.variance + p.mean**2 - 2.0 * q.loc * p.mean) / (2.0 * q.scale**2)
    return -p.entropy() + t2 + t3


@register_kl(ContinuousBernoulli, Uniform)
def _kl_cb_uniform(p: ContinuousBernoulli, q: Uniform) -> Tensor:
    # +inf where q.low >= 0 or q.high <= 1 (PyTorch's test, which also marks q = U(0, 1) infinite)
    result = -p.entropy() + log(q.high - q.low)
    mask = np.broadcast_to((q.low._data >= 0.0) | (q.high._data <= 1.0), result.shape)
    return _inf_where(mask, result)


def _infinite(x: Tensor) -> Tensor:
    return full_like(x, np.inf)


register_kl(ContinuousBernoulli, Pareto)(lambda p, q: _infinite(p.probs))
for _p, _name in ((Exponential, "rate"), (Gamma, "concentration"), (Gumbel, "loc"), (Laplace, "loc")):
    register_kl(_p, ContinuousBernoulli)(lambda p, q, _n=_name: _infinite(getattr(p, _n)))
register_kl(Normal, ContinuousBernoulli)(lambda p, q: _infinite(p.loc))
register_kl(Pareto, ContinuousBernoulli)(lambda p, q: _infinite(p.scale))
