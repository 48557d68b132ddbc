"""KL divergences between different families (PyTorch registers the same pairs): closed forms
-H(p) - E_p[log q] from p's moments, and +inf where p puts mass outside q's support.
Importing this module registers them with ``kl_divergence``."""

from __future__ import annotations

import math

import numpy as np

from ..ops import broadcast_to, exp, full_like, log, where
from ..special import betaln, digamma, erf, gammaln, xlogy
from ..tensor import Tensor
from .discrete import Bernoulli, Binomial, Poisson
from .gamma import Beta, Exponential, Gamma
from .kl import kl_divergence, register_kl
from .location_scale import Gumbel, Laplace, Uniform
from .multivariate_normal import LowRankMultivariateNormal, MultivariateNormal
from .normal import Normal

_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)


def _infinite(*params: Tensor) -> Tensor:
    """+inf of the parameters' broadcast shape (p has mass where q has none)."""
    shape = np.broadcast_shapes(*(t.shape for t in params))
    return full_like(broadcast_to(params[0], shape), np.inf)


def _mask_inf(mask: np.ndarray, x: Tensor) -> Tensor:
    return where(mask, full_like(x, np.inf), x) if np.any(mask) else x


def _neg_log_normal(mean: Tensor, var: Tensor, q: Normal) -> Tensor:
    """-E[log q(X)] for X of this mean and variance, q normal."""
    s2 = q.scale * q.scale
    return log(q.scale) + _HALF_LOG_2PI + (var + (mean - q.loc) ** 2) / (2.0 * s2)


def _neg_log_gumbel(mean: Tensor, mgf: Tensor, q: Gumbel) -> Tensor:
    """-E[log q(X)] for q Gumbel, given E[X] and E[exp(-(X - loc_q) / scale_q)] (``mgf``)."""
    return log(q.scale) + (mean - q.loc) / q.scale + mgf


def _neg_log_gamma(mean: Tensor, mean_log: Tensor, q: Gamma) -> Tensor:
    """-E[log q(X)] for q Gamma, given E[X] and E[log X]."""
    c, r = q.concentration, q.rate
    return gammaln(c) - c * log(r) - (c - 1.0) * mean_log + r * mean


def _beta_moments(p: Beta) -> tuple[Tensor, Tensor]:
    a, b = p.concentration1, p.concentration0
    t = a + b
    return a / t, a * b / (t * t * (t + 1.0))


# -- to +inf: p's support is not inside q's -----------------------------------------------------------
def _reg_inf(type_p: type, type_q: type) -> None:
    register_kl(type_p, type_q)(lambda p, q: _infinite(*_params(p), *_params(q)))


def _params(d) -> list[Tensor]:  # noqa: ANN001
    names = {"Poisson": ("rate",), "Bernoulli": ("probs",), "Binomial": ("probs", "total_count")}
    keys = names.get(type(d).__name__) or [k for k in d.arg_constraints if k in d.__dict__]
    return [getattr(d, k) for k in keys if isinstance(getattr(d, k), Tensor)]


for _p in (Normal, Gumbel, Laplace):
    for _q in (Beta, Exponential, Gamma, Uniform):
        _reg_inf(_p, _q)
for _p in (Exponential, Gamma):
    for _q in (Beta, Uniform):
        _reg_inf(_p, _q)
_reg_inf(Poisson, Bernoulli)
_reg_inf(Poisson, Binomial)


# -- closed forms ------------------------------------------------------------------------------------
@register_kl(Normal, Laplace)
def _kl_normal_laplace(p: Normal, q: Laplace) -> Tensor:
    d = p.loc - q.loc
    e_abs = p.scale * math.sqrt(2.0 / math.pi) * exp(-(d * d) / (2.0 * p.scale**2)) + d * erf(
        d / (p.scale * math.sqrt(2.0))
    )
    return -p.entropy() + log(2.0 * q.scale) + e_abs / q.scale


@register_kl(Normal, Gumbel)
def _kl_normal_gumbel(p: Normal, q: Gumbel) -> Tensor:
    mgf = exp(-(p.loc - q.loc) / q.scale + p.scale**2 / (2.0 * q.scale**2))
    return -p.entropy() + _neg_log_gumbel(p.loc, mgf, q)


@register_kl(Exponential, Normal)
def _kl_exponential_normal(p: Exponential, q: Normal) -> Tensor:
    m = 1.0 / p.rate
    return -p.entropy() + _neg_log_normal(m, m * m, q)


@register_kl(Exponential, Gamma)
def _kl_exponential_gamma(p: Exponential, q: Gamma) -> Tensor:
    return -p.entropy() + _neg_log_gamma(1.0 / p.rate, -np.euler_gamma - log(p.rate), q)


@register_kl(Exponential, Gumbel)
def _kl_exponential_gumbel(p: Exponential, q: Gumbel) -> Tensor:
    mgf = exp(q.loc / q.scale) * p.rate / (p.rate + 1.0 / q.scale)
    return -p.entropy() + _neg_log_gumbel(1.0 / p.rate, mgf, q)


@register_kl(Gamma, Exponential)
def _kl_gamma_exponential(p: Gamma, q: Exponential) -> Tensor:
    return -p.entropy() - log(q.rate) + q.rate * p.concentration / p.rate


@register_kl(Gamma, Normal)
def _kl_gamma_normal(p: Gamma, q: Normal) -> Tensor:
    return -p.entropy() + _neg_log_normal(p.mean, p.variance, q)


@register_kl(Gamma, Gumbel)
def _kl_gamma_gumbel(p: Gamma, q: Gumbel) -> Tensor:
    mgf = exp(q.loc / q.scale) * (p.rate / (p.rate + 1.0 / q.scale)) ** p.concentration
    return -p.entropy() + _neg_log_gumbel(p.mean, mgf, q)


@register_kl(Gumbel, Normal)
def _kl_gumbel_normal(p: Gumbel, q: Normal) -> Tensor:
    return -p.entropy() + _neg_log_normal(p.mean, p.variance, q)


@register_kl(Laplace, Normal)
def _kl_laplace_normal(p: Laplace, q: Normal) -> Tensor:
    return -p.entropy() + _neg_log_normal(p.loc, 2.0 * p.scale**2, q)


@register_kl(Beta, Normal)
def _kl_beta_normal(p: Beta, q: Normal) -> Tensor:
    return -p.entropy() + _neg_log_normal(*_beta_moments(p), q)


@register_kl(Beta, Exponential)
def _kl_beta_exponential(p: Beta, q: Exponential) -> Tensor:
    return -p.entropy() - log(q.rate) + q.rate * _beta_moments(p)[0]


@register_kl(Beta, Gamma)
def _kl_beta_gamma(p: Beta, q: Gamma) -> Tensor:
    a, b = p.concentration1, p.concentration0
    return -p.entropy() + _neg_log_gamma(a / (a + b), digamma(a) - digamma(a + b), q)


@register_kl(Beta, Uniform)
def _kl_beta_uniform(p: Beta, q: Uniform) -> Tensor:
    out = -p.entropy() + log(q.high - q.low)
    return _mask_inf((q.low._data > 0) | (q.high._data < 1), out)


def _uniform_mean_log(lo: Tensor, hi: Tensor) -> Tensor:
    """E[log X] for X uniform on [lo, hi], lo >= 0."""
    return (xlogy(hi, hi) - hi - xlogy(lo, lo) + lo) / (hi - lo)


@register_kl(Uniform, Normal)
def _kl_uniform_normal(p: Uniform, q: Normal) -> Tensor:
    w = p.high - p.low
    return -p.entropy() + _neg_log_normal((p.low + p.high) / 2.0, w * w / 12.0, q)


@register_kl(Uniform, Exponential)
def _kl_uniform_exponential(p: Uniform, q: Exponential) -> Tensor:
    out = -p.entropy() - log(q.rate) + q.rate * (p.low + p.high) / 2.0
    return _mask_inf(p.low._data < 0, out)


@register_kl(Uniform, Gamma)
def _kl_uniform_gamma(p: Uniform, q: Gamma) -> Tensor:
    lo_ok = where(p.low._data < 0, full_like(p.low, 0.0), p.low)  # finite where it is used
    out = -p.entropy() + _neg_log_gamma((p.low + p.high) / 2.0, _uniform_mean_log(lo_ok, p.high), q)
    return _mask_inf(p.low._data < 0, out)


@register_kl(Uniform, Gumbel)
def _kl_uniform_gumbel(p: Uniform, q: Gumbel) -> Tensor:
    w = p.high - p.low
    mgf = q.scale * (exp(-(p.low - q.loc) / q.scale) - exp(-(p.high - q.loc) / q.scale)) / w
    return -p.entropy() + _neg_log_gumbel((p.low + p.high) / 2.0, mgf, q)


@register_kl(Uniform, Beta)
def _kl_uniform_beta(p: Uniform, q: Beta) -> Tensor:
    bad = (p.low._data < 0) | (p.high._data > 1)
    lo = where(bad, full_like(p.low, 0.25), p.low)
    hi = where(bad, full_like(p.high, 0.75), p.high)
    e_log = _uniform_mean_log(lo, hi)
    e_log1m = _uniform_mean_log(1.0 - hi, 1.0 - lo)
    a, b = q.concentration1, q.concentration0
    out = -p.entropy() + betaln(a, b) - (a - 1.0) * e_log - (b - 1.0) * e_log1m
    return _mask_inf(bad, out)


@register_kl(Bernoulli, Poisson)
def _kl_bernoulli_poisson(p: Bernoulli, q: Poisson) -> Tensor:
    return -p.entropy() + q.rate - p.probs * log(q.rate)


# -- low-rank normals: through their dense form -------------------------------------------------------
def _dense(d: MultivariateNormal | LowRankMultivariateNormal) -> MultivariateNormal:
    if isinstance(d, MultivariateNormal):
        return d
    return MultivariateNormal(d.loc, scale_tril=d.scale_tril, validate_args=False)


@register_kl(LowRankMultivariateNormal, LowRankMultivariateNormal)
@register_kl(LowRankMultivariateNormal, MultivariateNormal)
@register_kl(MultivariateNormal, LowRankMultivariateNormal)
def _kl_lowrank(p, q) -> Tensor:  # noqa: ANN001
    return kl_divergence(_dense(p), _dense(q))
