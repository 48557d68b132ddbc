"""Differentiable scipy.stats densities in jax.scipy.stats' functional form
(``autobp.stats.norm.logpdf(x, loc=0, scale=1)``): compositions of autobp's ops, differentiable in
x and every parameter. Of arrays and numbers alone they return scipy.stats' kind of result (ndarrays,
numpy scalars); with a Tensor argument, a Tensor."""

from __future__ import annotations

from .bounded import gennorm, truncnorm, vonmises, wrapcauchy
from .discrete import bernoulli, binom, poisson
from .discrete_more import betabinom, geom, multinomial, nbinom
from .extreme import gumbel_l, gumbel_r, logistic, pareto, rayleigh, weibull_min
from .kde import gaussian_kde
from .normal import multivariate_normal, norm, t
from .others import cauchy, laplace, uniform
from .positive import beta, chi2, dirichlet, expon, gamma
from .positive_more import chi, f, halfcauchy, halfnorm, invgamma, loggamma, lognorm
from .summary import ModeResult, mode, rankdata, sem

__all__ = [
    "norm",
    "multivariate_normal",
    "t",
    "gamma",
    "beta",
    "dirichlet",
    "poisson",
    "bernoulli",
    "binom",
    "expon",
    "laplace",
    "cauchy",
    "uniform",
    "chi2",
    "betabinom",
    "gennorm",
    "geom",
    "gumbel_l",
    "gumbel_r",
    "logistic",
    "multinomial",
    "nbinom",
    "pareto",
    "truncnorm",
    "vonmises",
    "wrapcauchy",
    "lognorm",
    "halfnorm",
    "halfcauchy",
    "invgamma",
    "weibull_min",
    "rayleigh",
    "f",
    "chi",
    "loggamma",
    "gaussian_kde",
    "mode",
    "rankdata",
    "sem",
    "ModeResult",
]
