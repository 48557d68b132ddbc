"""``kl_divergence(p, q)`` = E_p[log p - log q] in closed form, looked up by the pair of types in a
registry that ``register_kl`` extends (PyTorch's ``torch.distributions.kl``); the most specific
registered pair (by the classes' method resolution order) wins."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..nn.functional import softplus
from ..ops import abs as _abs
from ..ops import broadcast_to, diagonal, exp, full_like, log, log1p, where
from ..special import digamma, gammaln
from ..tensor import Tensor
from .counts import Geometric
from .discrete import Bernoulli, Binomial, Categorical, OneHotCategorical, Poisson
from .distribution import Distribution
from .gamma import Beta, Dirichlet, Exponential, Gamma
from .half import HalfNormal
from .independent import Independent, _sum_rightmost
from .location_scale import _EULER, Cauchy, Gumbel, Laplace, Uniform
from .multivariate_normal import MultivariateNormal, _tril_solve
from .normal import Normal
from .transformed import TransformedDistribution

_KL_REGISTRY: dict = {}


def register_kl(type_p: type, type_q: type) -> Callable:
    """Decorator registering ``fn(p, q)`` as the KL divergence of a ``type_p`` from a ``type_q``.

    >>> @register_kl(Normal, Normal)  # doctest: +SKIP
    ... def _kl_normal_normal(p, q): ...
    """
    if not (isinstance(type_p, type) and issubclass(type_p, Distribution)):
        raise TypeError(f"register_kl: expected a Distribution subclass, got {type_p!r}")
    if not (isinstance(type_q, type) and issubclass(type_q, Distribution)):
        raise TypeError(f"register_kl: expected a Distribution subclass, got {type_q!r}")

    def decorator(fn: Callable) -> Callable:
        _KL_REGISTRY[type_p, type_q] = fn
        return fn

    return decorator


def _lookup(tp: type, tq: type) -> Callable | None:
    best, rank = None, None
    for (p, q), fn in _KL_REGISTRY.items():
        if issubclass(tp, p) and issubclass(tq, q):
            r = (tp.__mro__.index(p), tq.__mro__.index(q))
            if rank is None or r < rank:
                best, rank = fn, r
    return best


def kl_divergence(p: Distribution, q: Distribution) -> Tensor:
    """KL(p || q) for each distribution of the batch; differentiable in both's parameters.

    Raises NotImplementedError naming the two types when no closed form is registered.
    """
    fn = _lookup(type(p), type(q))
    if fn is None:
        raise NotImplementedError(
            f"No KL(p || q) is implemented for p of type {type(p).__name__} and q of type {type(q).__name__}"
        )
    return fn(p, q)


def _inf_where(mask: np.ndarray, x: Tensor) -> Tensor:
    return where(mask, full_like(x, np.inf), x) if np.any(mask) else x


@register_kl(Normal, Normal)
def _kl_normal_normal(p: Normal, q: Normal) -> Tensor:
    # (var_ratio + ((mu_p - mu_q) / s_q)^2 - 1 - log var_ratio) / 2, var_ratio = (s_p / s_q)^2
    r = p.scale / q.scale
    var_ratio = r * r
    t1 = (p.loc - q.loc) / q.scale
    return 0.5 * (var_ratio + t1 * t1 - 1.0 - log(var_ratio))


@register_kl(MultivariateNormal, MultivariateNormal)
def _kl_mvn_mvn(p: MultivariateNormal, q: MultivariateNormal) -> Tensor:
    # log det L_q - log det L_p + (||L_q^-1 L_p||_F^2 + ||L_q^-1 (mu_q - mu_p)||^2 - k) / 2
    if p.event_shape != q.event_shape:
        raise ValueError(
            "KL-divergence between two Multivariate Normals with different event shapes cannot be computed"
        )
    lp, lq = p._unbroadcasted_scale_tril, q._unbroadcasted_scale_tril
    half_term1 = log(diagonal(lq, axis1=-2, axis2=-1)).sum(axis=-1) - log(
        diagonal(lp, axis1=-2, axis2=-1)
    ).sum(axis=-1)
    batch = np.broadcast_shapes(p.batch_shape, q.batch_shape)
    m = _tril_solve(lq, lp)
    term2 = (m * m).sum(axis=(-2, -1))
    z = _tril_solve(lq, (q.loc - p.loc)[..., None])[..., 0]
    term3 = (z * z).sum(axis=-1)
    k = p.event_shape[0]
    return broadcast_to(half_term1 + 0.5 * (term2 + term3 - k), batch)


@register_kl(Bernoulli, Bernoulli)
def _kl_bernoulli_bernoulli(p: Bernoulli, q: Bernoulli) -> Tensor:
    # p (log p - log q) + (1 - p)(log(1 - p) - log(1 - q)), written with softplus of the logits;
    # a term whose weight is 0 is 0 (0 log 0 = 0)
    pp = p.probs
    t1 = pp * (softplus(-q.logits) - softplus(-p.logits))
    t1 = where(pp._data == 0, full_like(t1, 0.0), t1)
    t2 = (1.0 - pp) * (softplus(q.logits) - softplus(p.logits))
    t2 = where(pp._data == 1, full_like(t2, 0.0), t2)
    return t1 + t2


@register_kl(Categorical, Categorical)
def _kl_categorical_categorical(p: Categorical, q: Categorical) -> Tensor:
    # sum p (log p - log q): 0 where p = 0, inf where q = 0 < p
    t = p.probs * (p.logits - q.logits)
    qz = np.broadcast_to(q.probs._data == 0, t.shape)
    t = _inf_where(qz, t)
    pz = np.broadcast_to(p.probs._data == 0, t.shape)
    t = where(pz, full_like(t, 0.0), t) if np.any(pz) else t
    return t.sum(axis=-1)


@register_kl(OneHotCategorical, OneHotCategorical)
def _kl_onehot_onehot(p: OneHotCategorical, q: OneHotCategorical) -> Tensor:
    return _kl_categorical_categorical(p._categorical, q._categorical)


@register_kl(Poisson, Poisson)
def _kl_poisson_poisson(p: Poisson, q: Poisson) -> Tensor:
    return p.rate * (log(p.rate) - log(q.rate)) - (p.rate - q.rate)


@register_kl(Beta, Beta)
def _kl_beta_beta(p: Beta, q: Beta) -> Tensor:
    # log B(a_q, b_q) - log B(a_p, b_p) + (a_p - a_q) psi(a_p) + (b_p - b_q) psi(b_p)
    # + (a_q + b_q - a_p - b_p) psi(a_p + b_p)
    sp = p.concentration1 + p.concentration0
    sq = q.concentration1 + q.concentration0
    t1 = gammaln(q.concentration1) + gammaln(q.concentration0) + gammaln(sp)
    t2 = gammaln(p.concentration1) + gammaln(p.concentration0) + gammaln(sq)
    t3 = (p.concentration1 - q.concentration1) * digamma(p.concentration1)
    t4 = (p.concentration0 - q.concentration0) * digamma(p.concentration0)
    t5 = (sq - sp) * digamma(sp)
    return t1 - t2 + t3 + t4 + t5


@register_kl(Gamma, Gamma)
def _kl_gamma_gamma(p: Gamma, q: Gamma) -> Tensor:
    # c_q log(r_p / r_q) + log G(c_q) - log G(c_p) + (c_p - c_q) psi(c_p) + (r_q - r_p) c_p / r_p
    t1 = q.concentration * log(p.rate / q.rate)
    t2 = gammaln(q.concentration) - gammaln(p.concentration)
    t3 = (p.concentration - q.concentration) * digamma(p.concentration)
    t4 = (q.rate - p.rate) * (p.concentration / p.rate)
    return t1 + t2 + t3 + t4


@register_kl(Dirichlet, Dirichlet)
def _kl_dirichlet_dirichlet(p: Dirichlet, q: Dirichlet) -> Tensor:
    # log G(a0_p) - log G(a0_q) - sum(log G(a_p) - log G(a_q)) + sum (a_p - a_q)(psi(a_p) - psi(a0_p))
    sp = p.concentration.sum(axis=-1)
    sq = q.concentration.sum(axis=-1)
    t1 = gammaln(sp) - gammaln(sq)
    t2 = (gammaln(p.concentration) - gammaln(q.concentration)).sum(axis=-1)
    t3 = p.concentration - q.concentration
    t4 = digamma(p.concentration) - digamma(sp)[..., None]
    return t1 - t2 + (t3 * t4).sum(axis=-1)


@register_kl(Exponential, Exponential)
def _kl_exponential_exponential(p: Exponential, q: Exponential) -> Tensor:
    ratio = q.rate / p.rate
    return -log(ratio) + ratio - 1.0


@register_kl(Laplace, Laplace)
def _kl_laplace_laplace(p: Laplace, q: Laplace) -> Tensor:
    # -log(b_p / b_q) + |mu_p - mu_q| / b_q + (b_p / b_q) exp(-|mu_p - mu_q| / b_p) - 1
    ratio = p.scale / q.scale
    d = _abs(p.loc - q.loc)
    return -log(ratio) + d / q.scale + ratio * exp(-d / p.scale) - 1.0


@register_kl(Uniform, Uniform)
def _kl_uniform_uniform(p: Uniform, q: Uniform) -> Tensor:
    # log((h_q - l_q) / (h_p - l_p)), inf unless [l_p, h_p] lies inside [l_q, h_q]
    out = log((q.high - q.low) / (p.high - p.low))
    outside = (q.low._data > p.low._data) | (q.high._data < p.high._data)
    return _inf_where(np.broadcast_to(outside, out.shape), out)


@register_kl(Cauchy, Cauchy)
def _kl_cauchy_cauchy(p: Cauchy, q: Cauchy) -> Tensor:
    # log(((s_p + s_q)^2 + (mu_p - mu_q)^2) / (4 s_p s_q))
    s, d = p.scale + q.scale, p.loc - q.loc
    return log(s * s + d * d) - log(4.0 * p.scale * q.scale)


@register_kl(Gumbel, Gumbel)
def _kl_gumbel_gumbel(p: Gumbel, q: Gumbel) -> Tensor:
    # -log r - (mu_q - mu_p) / s_q + r gamma_E + exp((mu_q - mu_p) / s_q + log Gamma(1 + r)) - 1 - gamma_E,
    # r = s_p / s_q
    r = p.scale / q.scale
    shift = (q.loc - p.loc) / q.scale
    return -log(r) - shift + r * _EULER + exp(shift + gammaln(1.0 + r)) - (1.0 + _EULER)


@register_kl(HalfNormal, HalfNormal)
def _kl_halfnormal_halfnormal(p: HalfNormal, q: HalfNormal) -> Tensor:
    return _kl_normal_normal(p.base_dist, q.base_dist)  # folding both at 0 keeps the ratio of densities


@register_kl(Geometric, Geometric)
def _kl_geometric_geometric(p: Geometric, q: Geometric) -> Tensor:
    # -H(p) - E_p[k] log(1 - q) - log q, written as PyTorch writes it
    return -p.entropy() - log1p(-q.probs) / p.probs - q.logits


@register_kl(Binomial, Binomial)
def _kl_binomial_binomial(p: Binomial, q: Binomial) -> Tensor:
    # n (p (logit p - logit q) + log(1 - p) - log(1 - q)); inf where p has more trials than q
    n_p, n_q = p.total_count._data, q.total_count._data
    if np.any(n_p < n_q):
        raise NotImplementedError(
            "KL between Binomials where q.total_count > p.total_count is not implemented"
        )
    kl = p.total_count * (p.probs * (p.logits - q.logits) + log1p(-p.probs) - log1p(-q.probs))
    return _inf_where(np.broadcast_to(n_p > n_q, kl.shape), kl)


@register_kl(Independent, Independent)
def _kl_independent_independent(p: Independent, q: Independent) -> Tensor:
    if p.reinterpreted_batch_ndims != q.reinterpreted_batch_ndims:
        raise NotImplementedError(
            "KL between Independents with different reinterpreted_batch_ndims "
            f"({p.reinterpreted_batch_ndims} and {q.reinterpreted_batch_ndims}) is not implemented"
        )
    return _sum_rightmost(kl_divergence(p.base_dist, q.base_dist), p.reinterpreted_batch_ndims)


@register_kl(TransformedDistribution, TransformedDistribution)
def _kl_transformed_transformed(p: TransformedDistribution, q: TransformedDistribution) -> Tensor:
    # KL is invariant under the same bijection applied to both
    if p.transforms != q.transforms:
        raise NotImplementedError("KL between TransformedDistributions with different transforms")
    if p.event_shape != q.event_shape:
        raise NotImplementedError("KL between TransformedDistributions with different event shapes")
    return kl_divergence(p.base_dist, q.base_dist)
