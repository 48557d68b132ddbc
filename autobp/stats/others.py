"""Two-sided and flat continuous distributions: laplace, cauchy, uniform (jax.scipy.stats forms)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..ops import abs as _abs
from ..ops import arctan, clip, exp, log, where
from ..special import log1p
from ..tensor import Tensor
from ._common import arg, data, outside, tensors
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
        """1/2 + arctan(z) / pi (PyTorch's Cauchy.cdf)."""
        x, loc, scale = tensors(x, loc, scale)
        return 0.5 + arctan((arg(x) - loc) / scale) / np.pi

    @staticmethod
    def logcdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Tensor:
        """log of cdf."""
        return log(cauchy.cdf(x, loc, scale))


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
