"""More distributions on the positive axis (and loggamma on the line): lognorm, halfnorm, halfcauchy,
invgamma, f, chi, loggamma, with scipy.stats' parameters and formulas; -inf logpdf (zero density)
below the support. CDFs through the regularised incomplete gamma/beta functions differentiate in x,
loc and scale (not in the shape, as PyTorch's)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..ops import arctan, arctan2, exp, log, log1p, tan, where
from ..special import betainc, betaln, erf, gammainc, gammaincc, gammaln, log_ndtr, ndtr, ndtri, xlogy
from ..tensor import Tensor
from ._common import data, outside, safe
from ._standard import nan_outside_unit, probability, standard
from ._valid import valid

_LOG_2_OVER_PI = np.log(2.0 / np.pi)
_SQRT_2PI = np.sqrt(2.0 * np.pi)


def _positive(y: Tensor, strict: bool = False) -> tuple:
    """(mask of y outside the support, y with 1 there)."""
    bad = data(y) <= 0 if strict else data(y) < 0
    return bad, safe(bad, y, 1.0)


@valid(lambda s: s > 0)
class lognorm:  # noqa: N801
    """The log-normal distribution: log(y) is normal with standard deviation ``s``."""

    @staticmethod
    def logpdf(x: Any, s: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """-log(y)^2 / (2 s^2) - log(s y sqrt(2 pi)) - log(scale) for y > 0."""
        y, sc, s = standard(x, loc, scale, s)
        bad, y = _positive(y, strict=True)
        ly = log(y)
        return outside(bad, -np.inf, -ly * ly / (2.0 * s * s) - log(s * y * _SQRT_2PI) - log(sc))

    @staticmethod
    def pdf(x: Any, s: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """Density."""
        return exp(lognorm.logpdf(x, s, loc, scale))

    @staticmethod
    def cdf(x: Any, s: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """ndtr(log(y) / s), 0 for y <= 0."""
        y, _, s = standard(x, loc, scale, s)
        bad, y = _positive(y, strict=True)
        return outside(bad, 0.0, ndtr(log(y) / s))

    @staticmethod
    def logcdf(x: Any, s: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log_ndtr(log(y) / s)."""
        y, _, s = standard(x, loc, scale, s)
        bad, y = _positive(y, strict=True)
        return outside(bad, -np.inf, log_ndtr(log(y) / s))

    @staticmethod
    def sf(x: Any, s: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """ndtr(-log(y) / s), 1 for y <= 0."""
        y, _, s = standard(x, loc, scale, s)
        bad, y = _positive(y, strict=True)
        return outside(bad, 1.0, ndtr(-log(y) / s))

    @staticmethod
    def logsf(x: Any, s: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log_ndtr(-log(y) / s)."""
        y, _, s = standard(x, loc, scale, s)
        bad, y = _positive(y, strict=True)
        return outside(bad, 0.0, log_ndtr(-log(y) / s))

    @staticmethod
    def ppf(q: Any, s: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """loc + scale exp(s ndtri(q))."""
        q, loc, scale, s = probability(q, loc, scale, s)
        return nan_outside_unit(q, loc + scale * exp(s * ndtri(q)))


@valid()
class halfnorm:  # noqa: N801
    """The half-normal distribution |N(0, 1)|, shifted and scaled."""

    @staticmethod
    def logpdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log(2 / pi) / 2 - y^2 / 2 - log(scale) for y >= 0."""
        y, s = standard(x, loc, scale)
        bad, y = _positive(y)
        return outside(bad, -np.inf, 0.5 * _LOG_2_OVER_PI - y * y / 2.0 - log(s))

    @staticmethod
    def pdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """Density."""
        return exp(halfnorm.logpdf(x, loc, scale))

    @staticmethod
    def cdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """erf(y / sqrt 2), 0 below loc."""
        y, _ = standard(x, loc, scale)
        bad, y = _positive(y)
        return outside(bad, 0.0, erf(y / np.sqrt(2.0)))

    @staticmethod
    def logcdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log of cdf."""
        return log(halfnorm.cdf(x, loc, scale))

    @staticmethod
    def sf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """2 ndtr(-y), 1 below loc."""
        y, _ = standard(x, loc, scale)
        bad, y = _positive(y)
        return outside(bad, 1.0, 2.0 * ndtr(-y))

    @staticmethod
    def logsf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log 2 + log_ndtr(-y), 0 below loc."""
        y, _ = standard(x, loc, scale)
        bad, y = _positive(y)
        return outside(bad, 0.0, np.log(2.0) + log_ndtr(-y))

    @staticmethod
    def ppf(q: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """loc + scale ndtri((1 + q) / 2)."""
        q, loc, scale = probability(q, loc, scale)
        return nan_outside_unit(q, loc + scale * ndtri((1.0 + q) / 2.0))


@valid()
class halfcauchy:  # noqa: N801
    """The half-Cauchy distribution |Cauchy(0, 1)|, shifted and scaled."""

    @staticmethod
    def logpdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log(2 / pi) - log1p(y^2) - log(scale) for y >= 0."""
        y, s = standard(x, loc, scale)
        bad, y = _positive(y)
        return outside(bad, -np.inf, _LOG_2_OVER_PI - log1p(y * y) - log(s))

    @staticmethod
    def pdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """Density."""
        return exp(halfcauchy.logpdf(x, loc, scale))

    @staticmethod
    def cdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """(2 / pi) arctan(y), 0 below loc."""
        y, _ = standard(x, loc, scale)
        bad, y = _positive(y)
        return outside(bad, 0.0, 2.0 / np.pi * arctan(y))

    @staticmethod
    def logcdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log of cdf."""
        return log(halfcauchy.cdf(x, loc, scale))

    @staticmethod
    def sf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """(2 / pi) arctan(1 / y), 1 below loc."""
        y, _ = standard(x, loc, scale)
        bad = data(y) < 0
        return outside(bad, 1.0, 2.0 / np.pi * arctan2(1.0, safe(bad, y, 1.0)))

    @staticmethod
    def logsf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log of sf."""
        return log(halfcauchy.sf(x, loc, scale))

    @staticmethod
    def ppf(q: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """loc + scale tan(pi q / 2)."""
        q, loc, scale = probability(q, loc, scale)
        return nan_outside_unit(q, loc + scale * tan(np.pi / 2 * q))


@valid(lambda a: a > 0)
class invgamma:  # noqa: N801
    """The inverse gamma distribution with shape ``a``."""

    @staticmethod
    def logpdf(x: Any, a: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """-(a + 1) log y - gammaln(a) - 1/y - log(scale) for y > 0."""
        y, s, a = standard(x, loc, scale, a)
        bad, y = _positive(y, strict=True)
        return outside(bad, -np.inf, -(a + 1.0) * log(y) - gammaln(a) - 1.0 / y - log(s))

    @staticmethod
    def pdf(x: Any, a: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """Density."""
        return exp(invgamma.logpdf(x, a, loc, scale))

    @staticmethod
    def cdf(x: Any, a: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """gammaincc(a, 1/y), 0 for y <= 0; differentiable in x, loc, scale."""
        y, _, a = standard(x, loc, scale, a)
        bad, y = _positive(y, strict=True)
        return outside(bad, 0.0, gammaincc(a, 1.0 / y))

    @staticmethod
    def logcdf(x: Any, a: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log of cdf."""
        return log(invgamma.cdf(x, a, loc, scale))

    @staticmethod
    def sf(x: Any, a: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """gammainc(a, 1/y), 1 for y <= 0."""
        y, _, a = standard(x, loc, scale, a)
        bad, y = _positive(y, strict=True)
        return outside(bad, 1.0, gammainc(a, 1.0 / y))

    @staticmethod
    def logsf(x: Any, a: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log of sf."""
        return log(invgamma.sf(x, a, loc, scale))


@valid(lambda dfn, dfd: (dfn > 0) & (dfd > 0))
class f:  # noqa: N801
    """The F (Fisher-Snedecor) distribution with ``dfn`` and ``dfd`` degrees of freedom."""

    @staticmethod
    def logpdf(x: Any, dfn: Any, dfd: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """m/2 log m + n/2 log n + (n/2 - 1) log y - ((n + m)/2) log(m + n y) - betaln(n/2, m/2)
        - log(scale) for y >= 0 (n = dfn, m = dfd; scipy's formula)."""
        y, s, n, m = standard(x, loc, scale, dfn, dfd)
        bad, y = _positive(y)
        lp = m / 2 * log(m) + n / 2 * log(n) + xlogy(n / 2 - 1, y)
        lp = lp - ((n + m) / 2 * log(m + n * y) + betaln(n / 2, m / 2))
        return outside(bad, -np.inf, lp - log(s))

    @staticmethod
    def pdf(x: Any, dfn: Any, dfd: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """Density."""
        return exp(f.logpdf(x, dfn, dfd, loc, scale))

    @staticmethod
    def cdf(x: Any, dfn: Any, dfd: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """betainc(dfn/2, dfd/2, dfn y / (dfn y + dfd)), 0 below loc, 1 at y = inf (was inf / inf =
        nan); differentiable in x, loc, scale."""
        y, _, n, m = standard(x, loc, scale, dfn, dfd)
        top = np.isposinf(data(y))
        bad, y = _positive(safe(top, y, 1.0))
        return outside(top, 1.0, outside(bad, 0.0, _f_tail(y, n, m, upper=False)))

    @staticmethod
    def logcdf(x: Any, dfn: Any, dfd: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log of cdf."""
        return log(f.cdf(x, dfn, dfd, loc, scale))

    @staticmethod
    def sf(x: Any, dfn: Any, dfd: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """betainc(dfd/2, dfn/2, dfd / (dfd + dfn y)), 1 below loc."""
        y, _, n, m = standard(x, loc, scale, dfn, dfd)
        top = np.isposinf(data(y))
        bad, y = _positive(safe(top, y, 1.0))
        return outside(top, 0.0, outside(bad, 1.0, _f_tail(y, n, m, upper=True)))

    @staticmethod
    def logsf(x: Any, dfn: Any, dfd: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log of sf."""
        return log(f.sf(x, dfn, dfd, loc, scale))


def _f_tail(y: Tensor, n: Tensor, m: Tensor, upper: bool) -> Tensor:
    """F's cdf (or sf, ``upper``) at y, from u = n y / (n y + m) and v = m / (m + n y), each computed
    directly: the cdf is betainc(n/2, m/2, u) or 1 - betainc(m/2, n/2, v). The first is used unless u
    is the one nearer 1 (u > 1/2: rounded, at y = 5e9, dfn = 1e5, dfd = 0.3 the cdf was 1.5% off) and
    the second keeps its digits (> 1e-3); the sf likewise with u and v exchanged."""
    u, v = n * y / (n * y + m), m / (m + n * y)
    if upper:
        u, v, n, m = v, u, m, n  # sf(F(n, m)) at u is the cdf of the mirrored pair at v
    near_one = data(u) > 0.5
    vd = where(near_one, v, 0.25)
    via_v = 1.0 - betainc(m / 2, n / 2, vd)
    use_v = near_one & (data(via_v) > 1e-3)
    return where(use_v, via_v, betainc(n / 2, m / 2, where(use_v, 0.25, u)))


@valid(lambda df: df > 0)
class chi:  # noqa: N801
    """The chi distribution (the norm of ``df`` standard normals)."""

    @staticmethod
    def logpdf(x: Any, df: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log 2 - (df/2) log 2 - gammaln(df/2) + (df - 1) log y - y^2/2 - log(scale) for y >= 0."""
        y, s, df = standard(x, loc, scale, df)
        bad, y = _positive(y)
        lp = np.log(2.0) - 0.5 * np.log(2.0) * df - gammaln(0.5 * df)
        return outside(bad, -np.inf, lp + xlogy(df - 1.0, y) - 0.5 * y**2 - log(s))

    @staticmethod
    def pdf(x: Any, df: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """Density."""
        return exp(chi.logpdf(x, df, loc, scale))

    @staticmethod
    def cdf(x: Any, df: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """gammainc(df/2, y^2/2), 0 below loc; differentiable in x, loc, scale."""
        y, _, df = standard(x, loc, scale, df)
        bad, y = _positive(y)
        return outside(bad, 0.0, gammainc(0.5 * df, 0.5 * y**2))

    @staticmethod
    def logcdf(x: Any, df: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log of cdf."""
        return log(chi.cdf(x, df, loc, scale))

    @staticmethod
    def sf(x: Any, df: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """gammaincc(df/2, y^2/2), 1 below loc."""
        y, _, df = standard(x, loc, scale, df)
        bad, y = _positive(y)
        return outside(bad, 1.0, gammaincc(0.5 * df, 0.5 * y**2))

    @staticmethod
    def logsf(x: Any, df: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log of sf."""
        return log(chi.sf(x, df, loc, scale))


@valid(lambda c: c > 0)
class loggamma:  # noqa: N801
    """The log-gamma distribution: log of a gamma(c) variable."""

    @staticmethod
    def logpdf(x: Any, c: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """c y - exp(y) - gammaln(c) - log(scale)."""
        y, s, c = standard(x, loc, scale, c)
        return c * y - exp(y) - gammaln(c) - log(s)

    @staticmethod
    def pdf(x: Any, c: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """Density."""
        return exp(loggamma.logpdf(x, c, loc, scale))

    @staticmethod
    def cdf(x: Any, c: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """gammainc(c, exp(y)); differentiable in x, loc, scale."""
        y, _, c = standard(x, loc, scale, c)
        return gammainc(c, exp(y))

    @staticmethod
    def logcdf(x: Any, c: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log of cdf."""
        return log(loggamma.cdf(x, c, loc, scale))

    @staticmethod
    def sf(x: Any, c: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """gammaincc(c, exp(y))."""
        y, _, c = standard(x, loc, scale, c)
        return gammaincc(c, exp(y))

    @staticmethod
    def logsf(x: Any, c: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log of sf."""
        return log(loggamma.sf(x, c, loc, scale))
