"""Differentiable scipy.stats densities in jax.scipy.stats' functional form
(``autobp.stats.norm.logpdf(x, loc=0, scale=1)``): compositions of autobp's ops, differentiable in
x and every parameter. Of arrays and numbers alone they return scipy.stats' kind of result (ndarrays,
numpy scalars); with a Tensor argument, a Tensor."""

from __future__ import annotations

from .discrete import bernoulli, binom, poisson
from .normal import multivariate_normal, norm, t
from .others import cauchy, laplace, uniform
from .positive import beta, chi2, dirichlet, expon, gamma

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
]
