"""The KL divergences PyTorch registers with a Pareto on either side: closed forms from the Pareto's
moments and E[log X], +inf where a moment does not exist or one support is not inside the other.
Importing this module registers them with ``kl_divergence``."""

from __future__ import annotations

import math

import numpy as np

from ..ops import full_like, log, where
from ..special import gammaln
from ..tensor import Tensor
from .gamma import Beta, Exponential, Gamma
from .kl import register_kl
from .location_scale import Gumbel, Laplace, Uniform
from .normal import Normal
from .power_families import Pareto


def _inf_where(mask: np.ndarray, x: Tensor) -> Tensor:
    mask = np.broadcast_to(mask, x.shape)
    return where(mask, full_like(x, np.inf), x) if np.any(mask) else x


def _infinite(x: Tensor) -> Tensor:
    return full_like(x, np.inf)


@register_kl(Pareto, Pareto)
def _kl_pareto_pareto(p: Pareto, q: Pareto) -> Tensor:
    # alpha_q log(s_p / s_q) - log(alpha_q / alpha_p) + alpha_q / alpha_p - 1; +inf where s_p < s_q
    alpha_ratio = q.alpha / p.alpha
    result = q.alpha * log(p.scale / q.scale) - log(alpha_ratio) + alpha_ratio - 1.0
    return _inf_where(p.scale._data < q.scale._data, result)


@register_kl(Pareto, Exponential)
def _kl_pareto_exponential(p: Pareto, q: Exponential) -> Tensor:
    # +inf where alpha <= 1 (no mean)
    sr = p.scale * q.rate
    result = log(p.alpha / sr) - 1.0 / p.alpha + p.alpha * sr / (p.alpha - 1.0) - 1.0
    return _inf_where(p.alpha._data <= 1, result)


@register_kl(Pareto, Gamma)
def _kl_pareto_gamma(p: Pareto, q: Gamma) -> Tensor:
    # -H(p) - E_p[log q] with E_p[log X] = log s + 1 / alpha; +inf where alpha <= 1
    common = log(p.scale) + 1.0 / p.alpha
    c, r = q.concentration, q.rate
    t2 = gammaln(c) - c * log(r)
    t4 = r * p.alpha * p.scale / (p.alpha - 1.0)
    result = log(p.alpha) - common + t2 + (1.0 - c) * common + t4 - 1.0
    return _inf_where(p.alpha._data <= 1, result)


@register_kl(Pareto, Normal)
def _kl_pareto_normal(p: Pareto, q: Normal) -> Tensor:
    # -H(p) - E_p[log q] from the Pareto's mean and variance; +inf where alpha <= 2
    two_var = 2.0 * q.scale**2
    common = p.scale / (p.alpha - 1.0)
    t1 = log(math.sqrt(2.0 * math.pi) * q.scale * p.alpha / p.scale)
    t3 = p.alpha * common**2 / (p.alpha - 2.0)
    t4 = (p.alpha * common - q.loc) ** 2
    result = t1 - 1.0 / p.alpha + (t3 + t4) / two_var - 1.0
    return _inf_where(p.alpha._data <= 2, result)


@register_kl(Uniform, Pareto)
def _kl_uniform_pareto(p: Uniform, q: Pareto) -> Tensor:
    # -log(high - low) - E_p[log q]; +inf where low < q's scale
    width = p.high - p.low
    with np.errstate(invalid="ignore", divide="ignore"):  # x log x of a low outside q's support
        t1 = log(q.alpha * q.scale**q.alpha * width)
        t2 = (p.high * log(p.high) - p.low * log(p.low) - width) / width
    result = t2 * (q.alpha + 1.0) - t1
    return _inf_where(p.low._data < q.scale._data, result)


for _p, _name in (
    (Beta, "concentration1"),
    (Exponential, "rate"),
    (Gamma, "concentration"),
    (Gumbel, "loc"),
    (Laplace, "loc"),
    (Normal, "loc"),
):
    register_kl(_p, Pareto)(lambda p, q, _n=_name: _infinite(getattr(p, _n)))
for _q in (Beta, Uniform):
    register_kl(Pareto, _q)(lambda p, q: _infinite(p.scale))

__all__: list = []
