"""numpy.random's module-level functions (the distributions, ``choice``, ``shuffle``, ``bytes``,
``random``, ``get_state``/``set_state``, ...) with numpy's signatures, drawing from autobp's one global
generator, so ``autobp.random.seed(0)`` / ``manual_seed(0)`` repeats them. They return numpy arrays
and scalars (constants, as numpy.random does); Tensor parameters are read as their values. The
classes (Generator, SeedSequence, PCG64, RandomState, ...) and ``default_rng`` are numpy's own."""

from __future__ import annotations

import builtins
import warnings
from typing import Any

import numpy as np
from numpy.random import (  # noqa: F401  numpy's classes, re-exported
    MT19937,
    PCG64,
    PCG64DXSM,
    SFC64,
    BitGenerator,
    Generator,
    Philox,
    RandomState,
    SeedSequence,
    default_rng,
)

from .tensor import Tensor


def _rng() -> np.random.Generator:
    from .random import default_generator

    return default_generator()


def _c(x: Any) -> Any:
    """A parameter as numpy sees it: a Tensor's values (draws are constants: no gradient)."""
    if isinstance(x, Tensor):
        return x._data
    if isinstance(x, (list, tuple)) and any(isinstance(v, Tensor) for v in x):
        return np.asarray([_c(v) for v in x])
    return x


def beta(a: Any, b: Any, size: Any = None) -> Any:
    """Samples of the Beta(a, b) distribution."""
    return _rng().beta(_c(a), _c(b), size=size)


def binomial(n: Any, p: Any, size: Any = None) -> Any:
    """Successes in ``n`` trials of probability ``p`` (int64)."""
    return _rng().binomial(_c(n), _c(p), size=size)


def chisquare(df: Any, size: Any = None) -> Any:
    """Samples of the chi-square distribution with ``df`` degrees of freedom."""
    return _rng().chisquare(_c(df), size=size)


def exponential(scale: Any = 1.0, size: Any = None) -> Any:
    """Samples of the exponential distribution of mean ``scale``."""
    return _rng().exponential(_c(scale), size=size)


def f(dfnum: Any, dfden: Any, size: Any = None) -> Any:
    """Samples of the F (Fisher-Snedecor) distribution."""
    return _rng().f(_c(dfnum), _c(dfden), size=size)


def gamma(shape: Any, scale: Any = 1.0, size: Any = None) -> Any:
    """Samples of the Gamma(shape, scale) distribution."""
    return _rng().gamma(_c(shape), _c(scale), size=size)


def geometric(p: Any, size: Any = None) -> Any:
    """Trials up to the first success of probability ``p`` (int64, from 1)."""
    return _rng().geometric(_c(p), size=size)


def gumbel(loc: Any = 0.0, scale: Any = 1.0, size: Any = None) -> Any:
    """Samples of the Gumbel (extreme value type I) distribution."""
    return _rng().gumbel(_c(loc), _c(scale), size=size)


def hypergeometric(ngood: Any, nbad: Any, nsample: Any, size: Any = None) -> Any:
    """Good items among ``nsample`` drawn without replacement (int64)."""
    return _rng().hypergeometric(_c(ngood), _c(nbad), _c(nsample), size=size)


def laplace(loc: Any = 0.0, scale: Any = 1.0, size: Any = None) -> Any:
    """Samples of the Laplace (double exponential) distribution."""
    return _rng().laplace(_c(loc), _c(scale), size=size)


def logistic(loc: Any = 0.0, scale: Any = 1.0, size: Any = None) -> Any:
    """Samples of the logistic distribution."""
    return _rng().logistic(_c(loc), _c(scale), size=size)


def lognormal(mean: Any = 0.0, sigma: Any = 1.0, size: Any = None) -> Any:
    """Samples whose log is N(mean, sigma^2)."""
    return _rng().lognormal(_c(mean), _c(sigma), size=size)


def logseries(p: Any, size: Any = None) -> Any:
    """Samples of the logarithmic series distribution (int64)."""
    return _rng().logseries(_c(p), size=size)


def negative_binomial(n: Any, p: Any, size: Any = None) -> Any:
    """Failures before the ``n``-th success of probability ``p`` (int64)."""
    return _rng().negative_binomial(_c(n), _c(p), size=size)


def noncentral_chisquare(df: Any, nonc: Any, size: Any = None) -> Any:
    """Samples of the noncentral chi-square distribution."""
    return _rng().noncentral_chisquare(_c(df), _c(nonc), size=size)


def noncentral_f(dfnum: Any, dfden: Any, nonc: Any, size: Any = None) -> Any:
    """Samples of the noncentral F distribution."""
    return _rng().noncentral_f(_c(dfnum), _c(dfden), _c(nonc), size=size)


def pareto(a: Any, size: Any = None) -> Any:
    """Samples of the Pareto II (Lomax) distribution of shape ``a``, numpy's."""
    return _rng().pareto(_c(a), size=size)


def poisson(lam: Any = 1.0, size: Any = None) -> Any:
    """Samples of the Poisson distribution of mean ``lam`` (int64)."""
    return _rng().poisson(_c(lam), size=size)


def power(a: Any, size: Any = None) -> Any:
    """Samples in [0, 1] of the power distribution of exponent ``a - 1``."""
    return _rng().power(_c(a), size=size)


def rayleigh(scale: Any = 1.0, size: Any = None) -> Any:
    """Samples of the Rayleigh distribution."""
    return _rng().rayleigh(_c(scale), size=size)


def standard_cauchy(size: Any = None) -> Any:
    """Samples of the standard Cauchy distribution."""
    return _rng().standard_cauchy(size=size)


def standard_exponential(size: Any = None) -> Any:
    """Samples of the exponential distribution of mean 1."""
    return _rng().standard_exponential(size=size)


def standard_gamma(shape: Any, size: Any = None) -> Any:
    """Samples of the Gamma(shape, 1) distribution."""
    return _rng().standard_gamma(_c(shape), size=size)


def standard_normal(size: Any = None) -> Any:
    """Samples of N(0, 1)."""
    return _rng().standard_normal(size=size)


def standard_t(df: Any, size: Any = None) -> Any:
    """Samples of Student's t distribution with ``df`` degrees of freedom."""
    return _rng().standard_t(_c(df), size=size)


def triangular(left: Any, mode: Any, right: Any, size: Any = None) -> Any:
    """Samples of the triangular distribution on [left, right]."""
    return _rng().triangular(_c(left), _c(mode), _c(right), size=size)


def vonmises(mu: Any, kappa: Any, size: Any = None) -> Any:
    """Samples of the von Mises distribution on [-pi, pi]."""
    return _rng().vonmises(_c(mu), _c(kappa), size=size)


def wald(mean: Any, scale: Any, size: Any = None) -> Any:
    """Samples of the Wald (inverse Gaussian) distribution."""
    return _rng().wald(_c(mean), _c(scale), size=size)


def weibull(a: Any, size: Any = None) -> Any:
    """Samples of the Weibull distribution of shape ``a`` (scale 1)."""
    return _rng().weibull(_c(a), size=size)


def zipf(a: Any, size: Any = None) -> Any:
    """Samples of the Zipf distribution of parameter ``a`` > 1 (int64)."""
    return _rng().zipf(_c(a), size=size)


def dirichlet(alpha: Any, size: Any = None) -> Any:
    """Samples of the Dirichlet distribution (the last axis sums to 1)."""
    return _rng().dirichlet(_c(alpha), size=size)


def random_sample(size: Any = None) -> Any:
    """Samples of U[0, 1)."""
    return _rng().random(size=size)


def random(size: Any = None) -> Any:
    """Samples of U[0, 1) (numpy's ``random``, also spelt random_sample, ranf and sample)."""
    return _rng().random(size=size)


ranf = sample = random


def random_integers(low: Any, high: Any = None, size: Any = None) -> Any:
    """Integers in [low, high] inclusive (numpy's deprecated random_integers; [1, low] without high)."""
    warnings.warn(
        "random_integers is deprecated (as in numpy); use autobp.random.randint(low, high + 1, ...)",
        DeprecationWarning,
        stacklevel=2,
    )
    lo, hi = (1, _c(low)) if high is None else (_c(low), _c(high))
    return _rng().integers(lo, np.asarray(hi) + 1, size=size)


def multivariate_normal(
    mean: Any, cov: Any, size: Any = None, check_valid: str = "warn", tol: float = 1e-8
) -> Any:
    """Samples of the multivariate normal N(mean, cov) (the last axis of the result is mean's)."""
    return _rng().multivariate_normal(_c(mean), _c(cov), size=size, check_valid=check_valid, tol=tol)


def choice(a: Any, size: Any = None, replace: bool = True, p: Any = None) -> Any:
    """A random sample from the 1-d ``a`` (or from arange(a) for an int), with weights ``p``.

    Of a Tensor, the chosen elements as a Tensor (indexing, so gradients flow back to ``a``)."""
    if isinstance(a, Tensor):
        if a.ndim != 1:
            raise ValueError(f"choice: a must be 1-dimensional or an integer, got shape {a.shape}")
        return a[_rng().choice(a.shape[0], size=size, replace=replace, p=_c(p))]
    return _rng().choice(_c(a), size=size, replace=replace, p=_c(p))


def shuffle(x: Any) -> None:
    """Shuffle ``x`` in place along its first axis (numpy's shuffle; returns None).

    A Tensor is shuffled as ``x.copy_(x[perm])``, a recorded in-place write: it differentiates like
    its other in-place ops, and a leaf that requires grad is refused outside no_grad (PyTorch's rule
    for in-place writes), with the error saying so."""
    if isinstance(x, Tensor):
        if x.ndim == 0:
            raise TypeError("shuffle: a 0-d tensor has no axis to shuffle")
        x.copy_(x[_rng().permutation(x.shape[0])])
        return None
    _rng().shuffle(x)
    return None


def bytes(length: int) -> builtins.bytes:  # noqa: A001  numpy's name
    """``length`` random bytes."""
    return _rng().bytes(length)


def get_state(legacy: bool = True) -> dict:
    """The global generator's state, the dict of its bit generator (numpy's ``legacy=False`` form:
    autobp's global generator is a PCG64 Generator, which has no legacy MT19937 tuple)."""
    return _rng().bit_generator.state


def set_state(state: Any) -> None:
    """Restore a state from ``get_state``: the draws that followed it are drawn again."""
    if not isinstance(state, dict):
        raise TypeError(
            "set_state: expected the state dict that autobp.random.get_state returns, got "
            f"{type(state).__name__} "
            "(a legacy MT19937 tuple belongs to numpy's own RandomState)"
        )
    _rng().bit_generator.state = state


def get_bit_generator() -> np.random.BitGenerator:
    """The bit generator of autobp's global generator."""
    return _rng().bit_generator


def set_bit_generator(bitgen: np.random.BitGenerator) -> None:
    """Make ``bitgen`` the source of autobp's global generator (every function here draws from it)."""
    from .random import _state

    if not isinstance(bitgen, np.random.BitGenerator):
        raise TypeError(f"set_bit_generator: expected a numpy BitGenerator, got {type(bitgen).__name__}")
    _state["rng"] = np.random.Generator(bitgen)


NUMPY_RANDOM = (
    "BitGenerator",
    "Generator",
    "MT19937",
    "PCG64",
    "PCG64DXSM",
    "Philox",
    "RandomState",
    "SFC64",
    "SeedSequence",
    "beta",
    "binomial",
    "bytes",
    "chisquare",
    "choice",
    "default_rng",
    "dirichlet",
    "exponential",
    "f",
    "gamma",
    "geometric",
    "get_bit_generator",
    "get_state",
    "gumbel",
    "hypergeometric",
    "laplace",
    "logistic",
    "lognormal",
    "logseries",
    "multivariate_normal",
    "negative_binomial",
    "noncentral_chisquare",
    "noncentral_f",
    "pareto",
    "poisson",
    "power",
    "random",
    "random_integers",
    "random_sample",
    "ranf",
    "rayleigh",
    "sample",
    "set_bit_generator",
    "set_state",
    "shuffle",
    "standard_cauchy",
    "standard_exponential",
    "standard_gamma",
    "standard_normal",
    "standard_t",
    "triangular",
    "vonmises",
    "wald",
    "weibull",
    "zipf",
)
