"""Circular, truncated and generalised-normal distributions: vonmises and wrapcauchy (logpdf and
pdf, as JAX's), gennorm, and
truncnorm (JAX's set: logpdf, pdf, cdf, logcdf, sf, logsf), with scipy.stats' parameters and its
log-space normal mass, differentiable in x, the bounds, loc, scale and the shape."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..ops import abs as _abs
from ..ops import cos, exp, log, log1p, sin, where
from ..special import gammaincc, gammaln, i0e, log_ndtr, ndtr
from ..tensor import Tensor
from ._common import data, outside, safe
from ._standard import standard
from ._valid import valid

_LOG_2PI = np.log(2.0 * np.pi)
_HALF_LOG_2PI = 0.5 * np.log(2.0 * np.pi)


@valid(lambda kappa: kappa >= 0)
class vonmises:  # noqa: N801
    """The von Mises distribution on the circle with concentration ``kappa`` (scipy's support: the
    whole line, the density 2 pi-periodic)."""

    @staticmethod
    def logpdf(x: Any, kappa: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """kappa (cos y - 1) - log(2 pi) - log(i0e(kappa)) - log(scale), cos y - 1 = -2 sin^2(y/2)."""
        y, s, kappa = standard(x, loc, scale, kappa)
        h = sin(0.5 * y)
        return kappa * (-2.0 * h * h) - _LOG_2PI - log(i0e(kappa)) - log(s)

    @staticmethod
    def pdf(x: Any, kappa: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """Density."""
        return exp(vonmises.logpdf(x, kappa, loc, scale))


@valid(lambda c: (c > 0) & (c < 1))
class wrapcauchy:  # noqa: N801
    """The wrapped Cauchy distribution on [0, 2 pi] with shape 0 < c < 1."""

    @staticmethod
    def logpdf(x: Any, c: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log(1 - c^2) - log(2 pi (1 + c^2 - 2 c cos y)) - log(scale) for 0 <= y <= 2 pi."""
        y, s, c = standard(x, loc, scale, c)
        yd = data(y)
        bad = (yd < 0) | (yd > 2 * np.pi)
        y = safe(bad, y, 1.0)
        inside = log1p(-c * c) - log(2 * np.pi * (1.0 + c * c - 2.0 * c * cos(y))) - log(s)
        return outside(bad, -np.inf, inside)

    @staticmethod
    def pdf(x: Any, c: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """Density."""
        return exp(wrapcauchy.logpdf(x, c, loc, scale))


def _log_diff(hi: Tensor, lo: Tensor) -> Tensor:
    """log(exp(hi) - exp(lo)) for hi >= lo."""
    return hi + log1p(-exp(lo - hi))


def _log_mass(a: Tensor, b: Tensor) -> Tensor:
    """log(ndtr(b) - ndtr(a)), in the left tail for b <= 0, mirrored for a > 0 (scipy's cases); each
    case sees its own entries and harmless stand-ins elsewhere (no 0 * inf in the gradient)."""
    ad, bd = data(a), data(b)
    is_left, is_right = bd <= 0, ad > 0
    is_central = ~(is_left | is_right)
    al, bl = where(is_left, a, -2.0), where(is_left, b, -1.0)
    ar, br = where(is_right, a, 1.0), where(is_right, b, 2.0)
    ac, bc = where(is_central, a, -1.0), where(is_central, b, 1.0)
    left = _log_diff(log_ndtr(bl), log_ndtr(al))
    right = _log_diff(log_ndtr(-ar), log_ndtr(-br))
    central = log1p(-ndtr(ac) - ndtr(-bc))
    return where(is_left, left, where(is_right, right, central))


@valid(lambda a, b: a < b)
class truncnorm:  # noqa: N801
    """The normal distribution truncated to [a, b] (standardised bounds, as scipy's), shifted and scaled."""

    @staticmethod
    def logpdf(x: Any, a: Any, b: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """-y^2/2 - log(2 pi)/2 - log(ndtr(b) - ndtr(a)) - log(scale) for a <= y <= b."""
        y, s, a, b = standard(x, loc, scale, a, b)
        yd = data(y)
        bad = (yd < data(a)) | (yd > data(b))
        y = safe(bad, y, 0.0)
        return outside(bad, -np.inf, -(y * y) / 2.0 - _HALF_LOG_2PI - _log_mass(a, b) - log(s))

    @staticmethod
    def pdf(x: Any, a: Any, b: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """Density."""
        return exp(truncnorm.logpdf(x, a, b, loc, scale))

    @staticmethod
    def logcdf(x: Any, a: Any, b: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log((ndtr(y) - ndtr(a)) / (ndtr(b) - ndtr(a))) in log space; -inf below a, 0 above b."""
        y, _, a, b = standard(x, loc, scale, a, b)
        yd = data(y)
        below, above = yd <= data(a), yd >= data(b)
        mid = ~(below | above)
        ys = where(mid, y, 0.5 * (a + b))
        low = data(ys) <= 0  # the left tail directly, the right one through 1 - sf (stand-ins elsewhere)
        yl, al = where(low, ys, -1.0), where(low, a, -2.0)
        yu, bu = where(low, 1.0, ys), where(low, 2.0, b)
        mass = _log_mass(a, b)
        left = _log_diff(log_ndtr(yl), log_ndtr(al)) - mass
        upper = log1p(-exp(_log_diff(log_ndtr(-yu), log_ndtr(-bu)) - mass))
        inside = where(low, left, upper)
        return outside(above, 0.0, outside(below, -np.inf, inside))

    @staticmethod
    def cdf(x: Any, a: Any, b: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """exp(logcdf)."""
        return exp(truncnorm.logcdf(x, a, b, loc, scale))

    @staticmethod
    def logsf(x: Any, a: Any, b: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log((ndtr(b) - ndtr(y)) / (ndtr(b) - ndtr(a))); 0 below a, -inf above b."""
        return truncnorm.logcdf(_neg(x), _neg(b), _neg(a), _neg(loc), scale)

    @staticmethod
    def sf(x: Any, a: Any, b: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """exp(logsf)."""
        return exp(truncnorm.logsf(x, a, b, loc, scale))


def _neg(v: Any) -> Any:
    """-v (the mirror image: sf at x of [a, b] is cdf at -x of [-b, -a])."""
    return -v if isinstance(v, Tensor) else -np.asarray(v)


@valid(lambda beta: beta > 0)
class gennorm:  # noqa: N801
    """The generalised normal distribution with shape ``beta`` (Laplace at 1, normal-like at 2)."""

    @staticmethod
    def logpdf(x: Any, beta: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log(beta / 2) - gammaln(1 / beta) - |y|^beta - log(scale)."""
        y, s, beta = standard(x, loc, scale, beta)
        return log(0.5 * beta) - gammaln(1.0 / beta) - _abs(y) ** beta - log(s)

    @staticmethod
    def pdf(x: Any, beta: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """Density."""
        return exp(gennorm.logpdf(x, beta, loc, scale))

    @staticmethod
    def cdf(x: Any, beta: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """1/2 + sign(y)/2 - sign(y)/2 gammaincc(1/beta, |y|^beta); at y = 0, 1/2 with the density
        beta / (2 gamma(1/beta)) as its slope (the formula's was 0 * inf = nan). Differentiable in x,
        loc, scale and beta."""
        y, _, beta = standard(x, loc, scale, beta)
        zero = data(y) == 0
        c = 0.5 * np.sign(data(y))
        inside = (0.5 + c) - c * gammaincc(1.0 / beta, _abs(safe(zero, y, 1.0)) ** beta)
        if not np.any(zero):
            return inside
        return where(zero, 0.5 + y * (0.5 * beta * exp(-gammaln(1.0 / beta))), inside)

    @staticmethod
    def logcdf(x: Any, beta: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log of cdf."""
        return log(gennorm.cdf(x, beta, loc, scale))

    @staticmethod
    def sf(x: Any, beta: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """cdf of the mirrored point."""
        return gennorm.cdf(_neg(x), beta, _neg(loc), scale)

    @staticmethod
    def logsf(x: Any, beta: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log of sf."""
        return log(gennorm.sf(x, beta, loc, scale))
