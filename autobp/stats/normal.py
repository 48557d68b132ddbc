"""The normal family: norm, multivariate_normal (logpdf is one op with scipy's value, mvn.py; entropy
goes through a Cholesky factor) and Student's t, as jax.scipy.stats spells them
(``norm.logpdf(x, loc=0, scale=1)``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import linalg
from ..linalg._common import diagonal
from ..ops import exp, log, where
from ..special import gammaln, log1p, log_ndtr, ndtr, ndtri, stdtr
from ..tensor import Tensor
from ._common import arg, data, safe, tensors
from ._valid import valid
from .mvn import logpdf as mvn_logpdf

_HALF_LOG_2PI = 0.5 * np.log(2.0 * np.pi)
_SQRT_2PI = np.sqrt(2.0 * np.pi)


@valid()
class norm:  # noqa: N801  scipy.stats' name
    """The normal distribution N(loc, scale^2)."""

    @staticmethod
    def logpdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log density: -z^2/2 - log(2 pi)/2 - log(scale) with z = (x - loc) / scale (scipy's value)."""
        x, loc, scale = tensors(x, loc, scale)
        z = (arg(x) - loc) / scale
        return -(z * z) / 2.0 - _HALF_LOG_2PI - log(arg(scale))  # scipy's operations, in its order

    @staticmethod
    def pdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """Density exp(-z^2/2) / sqrt(2 pi) / scale (scipy's value; no log-exp round trip)."""
        x, loc, scale = tensors(x, loc, scale)
        z = (arg(x) - loc) / scale
        return exp(-(z * z) / 2.0) / _SQRT_2PI / scale

    @staticmethod
    def cdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """P(X <= x) = ndtr((x - loc) / scale)."""
        x, loc, scale = tensors(x, loc, scale)
        return ndtr((arg(x) - loc) / scale)

    @staticmethod
    def logcdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log P(X <= x), accurate in the far left tail."""
        x, loc, scale = tensors(x, loc, scale)
        return log_ndtr((arg(x) - loc) / scale)

    @staticmethod
    def sf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """P(X > x)."""
        x, loc, scale = tensors(x, loc, scale)
        return ndtr((loc - arg(x)) / scale)

    @staticmethod
    def logsf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log P(X > x)."""
        x, loc, scale = tensors(x, loc, scale)
        return log_ndtr((loc - arg(x)) / scale)

    @staticmethod
    def ppf(q: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """The quantile: loc + scale ndtri(q)."""
        q, loc, scale = tensors(q, loc, scale)
        return ndtri(arg(q)) * scale + loc

    @staticmethod
    def isf(q: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """The inverse of sf: loc - scale ndtri(q), accurate for tiny q (1e-100: 3.5 + 2 * 21.27)."""
        q, loc, scale = tensors(q, loc, scale)
        return loc - ndtri(arg(q)) * scale


class multivariate_normal:  # noqa: N801
    """The multivariate normal N(mean, cov); ``x`` is (..., k), one point per row."""

    logpdf = staticmethod(mvn_logpdf)  # one op with scipy's value (mvn.py)

    @staticmethod
    def pdf(x: Any, mean: Any = None, cov: Any = 1, allow_singular: bool = False) -> Tensor:
        """Density."""
        return exp(multivariate_normal.logpdf(x, mean, cov, allow_singular))

    @staticmethod
    def entropy(mean: Any = None, cov: Any = 1) -> Tensor:
        """Differential entropy (k (1 + log 2 pi) + log det cov) / 2, log det through Cholesky;
        it does not depend on the mean (accepted for scipy's signature)."""
        cov = arg(cov)
        k = cov.shape[-1] if cov.ndim else (np.shape(mean)[-1] if np.ndim(mean) else 1)
        if cov.ndim == 0:
            cov = cov * np.eye(k)
        elif cov.ndim == 1:
            cov = cov[:, None] * np.eye(k)
        logdet = 2.0 * log(diagonal(linalg.cholesky(cov))).sum()
        return 0.5 * logdet + k * (0.5 + _HALF_LOG_2PI)


@valid(lambda df: df > 0)
class t:  # noqa: N801
    """Student's t with ``df`` degrees of freedom, shifted and scaled."""

    @staticmethod
    def logpdf(x: Any, df: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """gammaln((df+1)/2) - gammaln(df/2) - log(df pi)/2 - log(scale) - (df+1)/2 log1p(z^2/df).
        For df > 100 the gammaln difference is its series log(a)/2 - 1/(8a) + 1/(192 a^3) - 1/(640 a^5)
        + 17/(14336 a^7), a = df/2 (the two gammaln cancelled: -20.3 for -1.04 at df = 1e17, 1e-12 off
        at 1e4); df = inf is the normal's (was nan)."""
        x, df, loc, scale = tensors(x, df, loc, scale)
        df = arg(df)
        z = (arg(x) - loc) / scale
        dd = data(df)
        inf, big = np.isposinf(dd), dd > 100.0
        a_big, a = safe(~big, df, 200.0) * 0.5, safe(big, df, 1.0) * 0.5
        df = safe(inf, df, 1.0)
        r = 1.0 / a_big  # 0 at df = inf
        series = -0.5 * np.log(2.0 * np.pi) + r * (
            -1.0 / 8 + r * r * (1.0 / 192 + r * r * (-1.0 / 640 + r * r * 17.0 / 14336))
        )
        direct = gammaln(a + 0.5) - gammaln(a) - 0.5 * log(2.0 * a * np.pi)
        norm_const = where(big, series, direct) - log(arg(scale))
        kernel = (df + 1.0) * 0.5 * log1p(z * z / df)
        return norm_const - (where(inf, 0.5 * z * z, kernel) if np.any(inf) else kernel)

    @staticmethod
    def pdf(x: Any, df: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """Density."""
        return exp(t.logpdf(x, df, loc, scale))

    @staticmethod
    def cdf(x: Any, df: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """P(X <= x) = stdtr(df, z); differentiable in x, loc and scale (not df, as in PyTorch)."""
        x, df, loc, scale = tensors(x, df, loc, scale)
        return stdtr(arg(df), (arg(x) - loc) / scale)

    @staticmethod
    def logcdf(x: Any, df: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log P(X <= x)."""
        return log(t.cdf(x, df, loc, scale))

    @staticmethod
    def sf(x: Any, df: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """P(X > x) = stdtr(df, -z) (the t distribution is symmetric)."""
        x, df, loc, scale = tensors(x, df, loc, scale)
        return stdtr(arg(df), (loc - arg(x)) / scale)

    @staticmethod
    def logsf(x: Any, df: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log P(X > x)."""
        return log(t.sf(x, df, loc, scale))
