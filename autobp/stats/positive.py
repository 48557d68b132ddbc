"""Distributions on the positive axis, an interval and the simplex: gamma, beta, dirichlet, expon,
as jax.scipy.stats spells them; -inf (zero density) outside the support, as scipy."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..ops import concatenate, exp, log, log1p
from ..special import betainc, betaln, gammainc, gammaincc, gammaln, xlog1py, xlogy
from ..tensor import Tensor
from ._common import arg, data, outside, safe, support_error, tensors
from ._standard import log1mexp, nan_outside_unit, probability
from ._valid import valid


@valid(lambda a: a > 0)
class gamma:  # noqa: N801
    """The gamma distribution with shape ``a``, shifted by ``loc`` and scaled by ``scale``."""

    @staticmethod
    def logpdf(x: Any, a: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """(a-1) log y - y - gammaln(a) - log(scale), y = (x - loc) / scale >= 0."""
        x, a, loc, scale = tensors(x, a, loc, scale)
        a = arg(a)
        y = (arg(x) - loc) / scale
        out_of = data(y) < 0
        y = safe(out_of, y, 1.0)
        return outside(out_of, -np.inf, xlogy(a - 1.0, y) - y - gammaln(a) - log(arg(scale)))

    @staticmethod
    def pdf(x: Any, a: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """Density."""
        return exp(gamma.logpdf(x, a, loc, scale))

    @staticmethod
    def cdf(x: Any, a: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """gammainc(a, y), 0 below loc; differentiable in x, loc, scale (not a, as in PyTorch)."""
        x, a, loc, scale = tensors(x, a, loc, scale)
        y = (arg(x) - loc) / scale
        below = data(y) < 0
        return outside(below, 0.0, gammainc(arg(a), safe(below, y, 1.0)))

    @staticmethod
    def logcdf(x: Any, a: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log of cdf."""
        return log(gamma.cdf(x, a, loc, scale))

    @staticmethod
    def sf(x: Any, a: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """gammaincc(a, y), 1 below loc."""
        x, a, loc, scale = tensors(x, a, loc, scale)
        y = (arg(x) - loc) / scale
        below = data(y) < 0
        return outside(below, 1.0, gammaincc(arg(a), safe(below, y, 1.0)))

    @staticmethod
    def logsf(x: Any, a: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log of sf."""
        return log(gamma.sf(x, a, loc, scale))


@valid(lambda df: df > 0)
class chi2:  # noqa: N801
    """The chi-squared distribution with ``df`` degrees of freedom: gamma(df/2) scaled by 2."""

    @staticmethod
    def logpdf(x: Any, df: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """gamma.logpdf(x, df/2, loc, 2 scale)."""
        x, df, loc, scale = tensors(x, df, loc, scale)
        return gamma.logpdf(x, arg(df) / 2.0, loc, 2.0 * arg(scale))

    @staticmethod
    def pdf(x: Any, df: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """Density."""
        return exp(chi2.logpdf(x, df, loc, scale))

    @staticmethod
    def cdf(x: Any, df: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """gammainc(df/2, y/2); differentiable in x, loc, scale (not df)."""
        x, df, loc, scale = tensors(x, df, loc, scale)
        return gamma.cdf(x, arg(df) / 2.0, loc, 2.0 * arg(scale))

    @staticmethod
    def logcdf(x: Any, df: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log of cdf."""
        return log(chi2.cdf(x, df, loc, scale))

    @staticmethod
    def sf(x: Any, df: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """1 - cdf, accurately in the right tail."""
        x, df, loc, scale = tensors(x, df, loc, scale)
        return gamma.sf(x, arg(df) / 2.0, loc, 2.0 * arg(scale))

    @staticmethod
    def logsf(x: Any, df: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log of sf."""
        return log(chi2.sf(x, df, loc, scale))


@valid(lambda a, b: (a > 0) & (b > 0))
class beta:  # noqa: N801
    """The beta distribution on [loc, loc + scale]; nan where a, b or scale is not positive (scipy's)."""

    @staticmethod
    def logpdf(x: Any, a: Any, b: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """(a-1) log y + (b-1) log(1-y) - betaln(a, b) - log(scale), y = (x - loc) / scale in [0, 1]."""
        x, a, b, loc, scale = tensors(x, a, b, loc, scale)
        a, b = arg(a), arg(b)
        y = (arg(x) - loc) / scale
        out_of = (data(y) < 0) | (data(y) > 1)
        y = safe(out_of, y, 0.5)
        inside = xlogy(a - 1.0, y) + xlog1py(b - 1.0, -y) - betaln(a, b) - log(arg(scale))
        return outside(_bad_beta(a, b, scale), np.nan, outside(out_of, -np.inf, inside))

    @staticmethod
    def pdf(x: Any, a: Any, b: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """Density."""
        return exp(beta.logpdf(x, a, b, loc, scale))

    @staticmethod
    def cdf(x: Any, a: Any, b: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """betainc(a, b, y), clipped to 0 below and 1 above the support; differentiable in x, loc,
        scale (not a, b)."""
        x, a, b, loc, scale = tensors(x, a, b, loc, scale)
        y = (arg(x) - loc) / scale
        below, above = data(y) < 0, data(y) > 1
        inside = betainc(arg(a), arg(b), safe(below | above, y, 0.5))
        return outside(_bad_beta(a, b, scale), np.nan, outside(above, 1.0, outside(below, 0.0, inside)))

    @staticmethod
    def logcdf(x: Any, a: Any, b: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log of cdf."""
        return log(beta.cdf(x, a, b, loc, scale))

    @staticmethod
    def sf(x: Any, a: Any, b: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """1 - cdf."""
        return 1.0 - beta.cdf(x, a, b, loc, scale)

    @staticmethod
    def logsf(x: Any, a: Any, b: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log of sf."""
        return log(beta.sf(x, a, b, loc, scale))


def _bad_beta(a: Any, b: Any, scale: Any) -> np.ndarray:
    """Where the beta distribution's parameters are invalid (a, b or scale not > 0): scipy's nan."""
    with np.errstate(invalid="ignore"):
        return ~((data(a) > 0) & (data(b) > 0) & (data(scale) > 0))


class dirichlet:  # noqa: N801
    """The Dirichlet distribution; ``x`` has the K components along its first axis (K,) or (K, N),
    or the first K - 1 of them (the last is 1 minus their sum), as scipy.stats.dirichlet."""

    @staticmethod
    def logpdf(x: Any, alpha: Any) -> Tensor:
        """sum (alpha_i - 1) log x_i - (sum gammaln(alpha_i) - gammaln(sum alpha_i))."""
        x, alpha = tensors(x, alpha)
        x, alpha = arg(x), arg(alpha)
        if alpha.ndim == 1 and x.ndim > 0 and x.shape[0] == alpha.shape[0] - 1:
            x = concatenate([x, 1.0 - x.sum(axis=0, keepdims=True)], axis=0)  # scipy's implied last one
        if alpha.ndim != 1 or x.ndim == 0 or x.shape[0] != alpha.shape[0]:
            raise ValueError(
                f"dirichlet.logpdf: x of shape {x.shape} needs its first axis to be alpha's {alpha.shape}"
            )
        if np.any(data(alpha) <= 0):
            raise support_error("dirichlet.logpdf", "alpha must be positive", data(alpha))
        xd = data(x)
        if (
            np.any(xd < 0)
            or np.any(xd > 1)
            or not np.allclose(xd.sum(axis=0), 1.0, atol=1e-10 if xd.dtype == np.float64 else 1e-5)
        ):
            raise support_error(
                "dirichlet.logpdf", "x must lie in the simplex (components >= 0 summing to 1)", xd
            )
        a = alpha.reshape(alpha.shape + (1,) * (x.ndim - 1))
        log_norm = gammaln(alpha).sum() - gammaln(alpha.sum())
        return xlogy(a - 1.0, x).sum(axis=0) - log_norm

    @staticmethod
    def pdf(x: Any, alpha: Any) -> Tensor:
        """Density."""
        return exp(dirichlet.logpdf(x, alpha))

    @staticmethod
    def rvs(alpha: Any, size: Any = 1, random_state: Any = None) -> np.ndarray:
        """Samples, shape ``size + (K,)``, as scipy.stats.dirichlet.rvs draws them (numpy's global
        generator unless ``random_state`` is given); not differentiable (a draw has no gradient), as
        HIPS autograd's ``scipy.stats.dirichlet.rvs``."""
        import scipy.stats

        return scipy.stats.dirichlet.rvs(np.asarray(data(arg(alpha))), size=size, random_state=random_state)


@valid()
class expon:  # noqa: N801
    """The exponential distribution with rate 1/scale, shifted by loc."""

    @staticmethod
    def logpdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """-y - log(scale) for y = (x - loc) / scale >= 0."""
        x, loc, scale = tensors(x, loc, scale)
        y = (arg(x) - loc) / scale
        return outside(data(y) < 0, -np.inf, -y - log(arg(scale)))

    @staticmethod
    def pdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """Density."""
        return exp(expon.logpdf(x, loc, scale))

    @staticmethod
    def cdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """1 - exp(-y), 0 below loc."""
        x, loc, scale = tensors(x, loc, scale)
        y = (arg(x) - loc) / scale
        below = data(y) < 0
        return outside(below, 0.0, 1.0 - exp(-safe(below, y, 0.0)))

    @staticmethod
    def logcdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log(1 - exp(-y)), -inf below loc; accurate for tiny y (was -inf at y = 1e-300, scipy -690.8)."""
        x, loc, scale = tensors(x, loc, scale)
        y = (arg(x) - loc) / scale
        below = data(y) <= 0
        return outside(below, -np.inf, log1mexp(safe(below, y, 1.0)))

    @staticmethod
    def sf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """exp(-y), 1 below loc."""
        x, loc, scale = tensors(x, loc, scale)
        return exp(expon.logsf(x, loc, scale))

    @staticmethod
    def logsf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """-y, 0 below loc."""
        x, loc, scale = tensors(x, loc, scale)
        y = (arg(x) - loc) / scale
        return outside(data(y) < 0, 0.0, -y)

    @staticmethod
    def ppf(q: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """loc - scale log1p(-q): loc at q = 0, inf at q = 1, nan outside [0, 1]."""
        q, loc, scale = probability(q, loc, scale)
        return nan_outside_unit(q, loc - scale * log1p(-q))

    @staticmethod
    def isf(q: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """loc - scale log(q), the inverse of sf."""
        q, loc, scale = probability(q, loc, scale)
        return nan_outside_unit(q, loc - scale * log(q))
