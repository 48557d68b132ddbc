"""Location-scale families on the line and the half-line: gumbel_r, gumbel_l, logistic,
weibull_min, rayleigh, pareto, with scipy.stats' parameters and values; logpdf/pdf/cdf/logcdf/sf/
logsf/ppf as compositions of autobp's ops (differentiable in x, loc, scale and the shape)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..ops import abs as _abs
from ..ops import exp, expm1, log, log1p, sqrt, where
from ..special import expit, logit, xlogy
from ..tensor import Tensor
from ._common import data, outside, safe
from ._standard import log1mexp, nan_outside_unit, probability, standard
from ._valid import valid


@valid()
class gumbel_r:  # noqa: N801
    """The right-skewed Gumbel (extreme value type I) distribution."""

    @staticmethod
    def logpdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """-z - exp(-z) - log(scale), z = (x - loc) / scale."""
        z, s = standard(x, loc, scale)
        return -z - exp(-z) - log(s)

    @staticmethod
    def pdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """Density."""
        return exp(gumbel_r.logpdf(x, loc, scale))

    @staticmethod
    def cdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """exp(-exp(-z))."""
        z, _ = standard(x, loc, scale)
        return _right_cdf(z)

    @staticmethod
    def logcdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """-exp(-z)."""
        z, _ = standard(x, loc, scale)
        return -exp(-z)

    @staticmethod
    def sf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """-expm1(-exp(-z))."""
        z, _ = standard(x, loc, scale)
        return _right_sf(z)

    @staticmethod
    def logsf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log(1 - exp(-exp(-z))), accurate where sf is near 1 and in the right tail (log1p alone gave
        -29.99983 for scipy's -30 at z = 30, -inf from z = 38 on)."""
        z, _ = standard(x, loc, scale)
        return _right_logsf(z)

    @staticmethod
    def ppf(q: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """loc - scale log(-log q)."""
        q, loc, scale = probability(q, loc, scale)
        return nan_outside_unit(q, loc - scale * log(-log(q)))


@valid()
class gumbel_l:  # noqa: N801
    """The left-skewed Gumbel distribution (the minimum's)."""

    @staticmethod
    def logpdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """z - exp(z) - log(scale)."""
        z, s = standard(x, loc, scale)
        return z - exp(z) - log(s)

    @staticmethod
    def pdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """Density."""
        return exp(gumbel_l.logpdf(x, loc, scale))

    @staticmethod
    def cdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """-expm1(-exp(z)) (gumbel_r's sf at -z)."""
        z, _ = standard(x, loc, scale)
        return _right_sf(-z)

    @staticmethod
    def logcdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log(1 - exp(-exp(z))), accurate where cdf is near 1 and in the left tail (was -inf from
        z = -38 on)."""
        z, _ = standard(x, loc, scale)
        return _right_logsf(-z)

    @staticmethod
    def sf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """exp(-exp(z))."""
        z, _ = standard(x, loc, scale)
        return _right_cdf(-z)

    @staticmethod
    def logsf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """-exp(z)."""
        z, _ = standard(x, loc, scale)
        return -exp(z)

    @staticmethod
    def ppf(q: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """loc + scale log(-log1p(-q))."""
        q, loc, scale = probability(q, loc, scale)
        return nan_outside_unit(q, loc + scale * log(-log1p(-q)))


_FLAT = -7.0  # below this z, exp(-exp(-z)) < exp(-1096): 0 in float64 (and float32) with gradient 0
_TAIL = 30.0  # above this z, log(1 - exp(-w)) = log w - w/2 to double precision (w = exp(-z))


def _right_cdf(z: Tensor) -> Tensor:
    """exp(-exp(-z)); 0 (gradient 0) where it underflows, not 0 * inf = nan in the gradient."""
    flat = data(z) < _FLAT
    return outside(flat, 0.0, exp(-exp(-safe(flat, z, 0.0))))


def _right_sf(z: Tensor) -> Tensor:
    """-expm1(-exp(-z)); 1 (gradient 0) where exp(-exp(-z)) underflows."""
    flat = data(z) < _FLAT
    return outside(flat, 1.0, -expm1(-exp(-safe(flat, z, 0.0))))


def _right_logsf(z: Tensor) -> Tensor:
    """log(1 - exp(-exp(-z))): 0 where exp(-exp(-z)) underflows, -z - exp(-z)/2 in the right tail
    (finite to z = 1e5 and beyond, where exp(-z) is 0), log1mexp between."""
    zd = data(z)
    flat, tail = zd < _FLAT, zd > _TAIL
    mid = safe(flat | tail, z, 0.0)
    zt = safe(~tail, z, _TAIL + 1.0)
    out = where(tail, -zt - 0.5 * exp(-zt), log1mexp(exp(-mid)))
    return outside(flat, 0.0, out)


@valid()
class logistic:  # noqa: N801
    """The logistic distribution."""

    @staticmethod
    def logpdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """-|z| - 2 log1p(exp(-|z|)) - log(scale) (symmetric, no overflow)."""
        z, s = standard(x, loc, scale)
        a = _abs(z)
        return -a - 2.0 * log1p(exp(-a)) - log(s)

    @staticmethod
    def pdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """Density."""
        return exp(logistic.logpdf(x, loc, scale))

    @staticmethod
    def cdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """expit(z)."""
        z, _ = standard(x, loc, scale)
        return expit(z)

    @staticmethod
    def logcdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """-log1p(exp(-z)), computed without overflow."""
        z, _ = standard(x, loc, scale)
        return _log_expit(z)

    @staticmethod
    def sf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """expit(-z)."""
        z, _ = standard(x, loc, scale)
        return expit(-z)

    @staticmethod
    def logsf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log expit(-z)."""
        z, _ = standard(x, loc, scale)
        return _log_expit(-z)

    @staticmethod
    def ppf(q: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """loc + scale logit(q)."""
        q, loc, scale = probability(q, loc, scale)
        return nan_outside_unit(q, loc + scale * logit(q))

    @staticmethod
    def isf(q: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """loc - scale logit(q), the inverse of sf."""
        q, loc, scale = probability(q, loc, scale)
        return nan_outside_unit(q, loc - scale * logit(q))


def _log_expit(z: Tensor) -> Tensor:
    """log(1 / (1 + exp(-z))) = min(z, 0) - log1p(exp(-|z|)); 0 at z = +inf (was inf - inf = nan)."""
    top = np.isposinf(data(z))
    z = safe(top, z, 0.0)
    return outside(top, 0.0, (z - _abs(z)) * 0.5 - log1p(exp(-_abs(z))))


@valid(lambda c: c > 0)
class weibull_min:  # noqa: N801
    """The Weibull minimum distribution with shape ``c``."""

    @staticmethod
    def logpdf(x: Any, c: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log c + (c - 1) log y - y^c - log(scale) for y >= 0."""
        y, s, c = standard(x, loc, scale, c)
        bad = data(y) < 0
        y = safe(bad, y, 1.0)
        return outside(bad, -np.inf, log(c) + xlogy(c - 1.0, y) - y**c - log(s))

    @staticmethod
    def pdf(x: Any, c: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """Density."""
        return exp(weibull_min.logpdf(x, c, loc, scale))

    @staticmethod
    def cdf(x: Any, c: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """-expm1(-y^c), 0 below loc."""
        y, _, c = standard(x, loc, scale, c)
        bad = data(y) < 0
        return outside(bad, 0.0, -expm1(-(safe(bad, y, 1.0) ** c)))

    @staticmethod
    def logcdf(x: Any, c: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log of cdf."""
        return log(weibull_min.cdf(x, c, loc, scale))

    @staticmethod
    def sf(x: Any, c: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """exp(-y^c), 1 below loc."""
        return exp(weibull_min.logsf(x, c, loc, scale))

    @staticmethod
    def logsf(x: Any, c: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """-y^c, 0 below loc."""
        y, _, c = standard(x, loc, scale, c)
        bad = data(y) < 0
        return outside(bad, 0.0, -(safe(bad, y, 1.0) ** c))

    @staticmethod
    def ppf(q: Any, c: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """loc + scale (-log1p(-q))^(1/c)."""
        q, loc, scale, c = probability(q, loc, scale, c)
        return nan_outside_unit(q, loc + scale * (-log1p(-q)) ** (1.0 / c))


@valid()
class rayleigh:  # noqa: N801
    """The Rayleigh distribution."""

    @staticmethod
    def logpdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log y - y^2 / 2 - log(scale) for y >= 0; -inf at y = inf (was inf - inf = nan)."""
        y, s = standard(x, loc, scale)
        bad = (data(y) < 0) | np.isposinf(data(y))
        y = safe(bad, y, 1.0)
        return outside(bad, -np.inf, log(y) - 0.5 * y * y - log(s))

    @staticmethod
    def pdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """Density."""
        return exp(rayleigh.logpdf(x, loc, scale))

    @staticmethod
    def cdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """-expm1(-y^2 / 2), 0 below loc."""
        y, _ = standard(x, loc, scale)
        bad = data(y) < 0
        y = safe(bad, y, 0.0)
        return outside(bad, 0.0, -expm1(-0.5 * y * y))

    @staticmethod
    def logcdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log of cdf."""
        return log(rayleigh.cdf(x, loc, scale))

    @staticmethod
    def sf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """exp(-y^2 / 2), 1 below loc."""
        return exp(rayleigh.logsf(x, loc, scale))

    @staticmethod
    def logsf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """-y^2 / 2, 0 below loc."""
        y, _ = standard(x, loc, scale)
        bad = data(y) < 0
        y = safe(bad, y, 0.0)
        return outside(bad, 0.0, -0.5 * y * y)

    @staticmethod
    def ppf(q: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """loc + scale sqrt(-2 log1p(-q))."""
        q, loc, scale = probability(q, loc, scale)
        return nan_outside_unit(q, loc + scale * sqrt(-2.0 * log1p(-q)))


@valid(lambda b: b > 0)
class pareto:  # noqa: N801
    """The Pareto distribution with shape ``b`` (support y >= 1)."""

    @staticmethod
    def logpdf(x: Any, b: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log b - (b + 1) log y - log(scale) for y >= 1."""
        y, s, b = standard(x, loc, scale, b)
        bad = data(y) < 1
        y = safe(bad, y, 1.0)
        return outside(bad, -np.inf, log(b) - (b + 1.0) * log(y) - log(s))

    @staticmethod
    def pdf(x: Any, b: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """Density."""
        return exp(pareto.logpdf(x, b, loc, scale))

    @staticmethod
    def cdf(x: Any, b: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """1 - y^-b, 0 below 1."""
        y, _, b = standard(x, loc, scale, b)
        bad = data(y) < 1
        return outside(bad, 0.0, -expm1(-b * log(safe(bad, y, 1.0))))

    @staticmethod
    def logcdf(x: Any, b: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log of cdf."""
        return log(pareto.cdf(x, b, loc, scale))

    @staticmethod
    def sf(x: Any, b: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """y^-b, 1 below 1."""
        return exp(pareto.logsf(x, b, loc, scale))

    @staticmethod
    def logsf(x: Any, b: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """-b log y, 0 below 1."""
        y, _, b = standard(x, loc, scale, b)
        bad = data(y) < 1
        return outside(bad, 0.0, -b * log(safe(bad, y, 1.0)))

    @staticmethod
    def ppf(q: Any, b: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """loc + scale (1 - q)^(-1/b)."""
        q, loc, scale, b = probability(q, loc, scale, b)
        return nan_outside_unit(q, loc + scale * exp(-log1p(-q) / b))
