"""Two-sided and flat continuous distributions: laplace, cauchy, uniform (jax.scipy.stats forms)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..ops import abs as _abs
from ..ops import arctan2, clip, exp, log, tan, where
from ..special import log1p
from ..tensor import Tensor
from ._common import arg, data, outside, safe, tensors
from ._standard import nan_outside_unit, probability
from ._valid import valid


@valid()
class laplace:  # noqa: N801
    """The Laplace (double exponential) distribution."""

    @staticmethod
    def logpdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """-|x - loc| / scale - log(2 scale)."""
        x, loc, scale = tensors(x, loc, scale)
        return -_abs((arg(x) - loc) / scale) - log(2.0 * arg(scale))

    @staticmethod
    def pdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """Density."""
        return exp(laplace.logpdf(x, loc, scale))

    @staticmethod
    def cdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """exp(y)/2 below loc, 1 - exp(-y)/2 from loc on, y = (x - loc) / scale; each branch on its
        own side (its slope at x = loc is the density 1/(2 scale); through |y| it was 0)."""
        y, neg, left, right = _laplace_sides(x, loc, scale)
        return where(neg, 0.5 * exp(left), 1.0 - 0.5 * exp(-right))

    @staticmethod
    def logcdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """y - log 2 below loc (no underflow), log1p(-exp(-y)/2) from loc on."""
        y, neg, left, right = _laplace_sides(x, loc, scale)
        return where(neg, left - np.log(2.0), log1p(-0.5 * exp(-right)))


def _laplace_sides(x: Any, loc: Any, scale: Any) -> tuple:
    """(y, y < 0, y there and 0 elsewhere, y from 0 on and 0 elsewhere)."""
    x, loc, scale = tensors(x, loc, scale)
    y = (arg(x) - loc) / scale
    neg = data(y) < 0
    return y, neg, where(neg, y, 0.0), where(neg, 0.0, y)


@valid()
class cauchy:  # noqa: N801
    """The Cauchy distribution."""

    @staticmethod
    def logpdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """-log(pi scale) - log1p(z^2), z = (x - loc) / scale."""
        x, loc, scale = tensors(x, loc, scale)
        z = (arg(x) - loc) / scale
        return -log1p(z * z) - log(np.pi * arg(scale))

    @staticmethod
    def pdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """Density."""
        return exp(cauchy.logpdf(x, loc, scale))

    @staticmethod
    def cdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """1/2 + arctan(z) / pi, as arctan2(1, -z) / pi (no cancellation in the left tail)."""
        x, loc, scale = tensors(x, loc, scale)
        return arctan2(1.0, (loc - arg(x)) / scale) / np.pi

    @staticmethod
    def logcdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log cdf, as log1p(-sf) where cdf > 1/2 (digits kept near 1)."""
        x, loc, scale = tensors(x, loc, scale)
        return _log_half(cauchy.cdf(x, loc, scale), cauchy.sf(x, loc, scale))

    @staticmethod
    def sf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """1/2 - arctan(z) / pi, as arctan2(1, z) / pi (no cancellation in the right tail)."""
        x, loc, scale = tensors(x, loc, scale)
        return arctan2(1.0, (arg(x) - loc) / scale) / np.pi

    @staticmethod
    def logsf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log sf, as log1p(-cdf) where sf > 1/2."""
        x, loc, scale = tensors(x, loc, scale)
        return _log_half(cauchy.sf(x, loc, scale), cauchy.cdf(x, loc, scale))

    @staticmethod
    def ppf(q: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """loc + scale tan(pi (q - 1/2)); -inf at q = 0, inf at q = 1, nan outside [0, 1]."""
        q, loc, scale = probability(q, loc, scale)
        return _ends(q, loc + scale * _std_ppf(q), -np.inf, np.inf)

    @staticmethod
    def isf(q: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """loc - scale tan(pi (q - 1/2)), the inverse of sf; inf at q = 0, -inf at q = 1."""
        q, loc, scale = probability(q, loc, scale)
        return _ends(q, loc - scale * _std_ppf(q), np.inf, -np.inf)


def _log_half(p: Tensor, rest: Tensor) -> Tensor:
    """log p given rest = 1 - p too: log p up to 1/2, log1p(-rest) above."""
    big = data(p) > 0.5
    return where(big, log1p(-where(big, rest, 0.5)), log(where(big, 0.5, p)))


def _std_ppf(q: Tensor) -> Tensor:
    """tan(pi (q - 1/2)) as -1/tan(pi q) below 1/2 and 1/tan(pi (1 - q)) above (1 - q is exact there):
    relative accuracy in both tails (q - 1/2 rounds to -1/2 at q = 1e-100). 1/2 stands in at q = 0
    and 1, the infinite ends (no inf * 0 in the gradient)."""
    qd = data(q)
    low = qd < 0.5
    q = safe((qd == 0) | (qd == 1), q, 0.5)
    ql, qh = where(low, q, 0.25), where(low, 0.75, q)
    out = where(low, -1.0 / tan(np.pi * ql), 1.0 / tan(np.pi * (1.0 - qh)))
    half = qd == 0.5
    return where(half, np.pi * (q - 0.5), out) if np.any(half) else out  # exactly 0, slope pi


def _ends(q: Tensor, value: Tensor, at0: float, at1: float) -> Tensor:
    """``value`` with at0 / at1 where q is 0 / 1, nan outside [0, 1] (scipy's ppf/isf)."""
    qd = data(q)
    return nan_outside_unit(q, outside(qd == 1, at1, outside(qd == 0, at0, value)))


@valid()
class uniform:  # noqa: N801
    """The uniform distribution on [loc, loc + scale]."""

    @staticmethod
    def logpdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """-log(scale) inside [loc, loc + scale], -inf outside."""
        x, loc, scale = tensors(x, loc, scale)
        y = data((arg(x) - loc) / scale)
        inside = -log(arg(scale)) + 0.0 * (arg(x) - loc)  # the broadcast shape; d/dx = d/dloc = 0
        return outside((y < 0) | (y > 1), -np.inf, inside)

    @staticmethod
    def pdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """Density."""
        return exp(uniform.logpdf(x, loc, scale))

    @staticmethod
    def cdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """(x - loc) / scale clipped to [0, 1]."""
        x, loc, scale = tensors(x, loc, scale)
        return clip((arg(x) - loc) / scale, 0.0, 1.0)

    @staticmethod
    def logcdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log of cdf."""
        x, loc, scale = tensors(x, loc, scale)
        return log(uniform.cdf(x, loc, scale))

    @staticmethod
    def ppf(q: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """loc + scale q for q in [0, 1], nan outside."""
        q, loc, scale = probability(q, loc, scale)
        return nan_outside_unit(q, loc + scale * q)
