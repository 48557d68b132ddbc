"""More discrete distributions: betabinom, geom, nbinom (scipy.stats' parameters and formulas) and
multinomial (jax.scipy.stats' form: the probabilities used as given, along the last axis);
differentiable in the parameters, -inf logpmf outside the support as scipy."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..ops import exp, expm1, log, log1p
from ..special import betainc, betaln, gammaln, xlog1py, xlogy
from ..tensor import Tensor
from ._common import arg, data, outside, safe, support_error, tensors
from ._valid import is_count, valid


def _not_count(k: np.ndarray) -> np.ndarray:
    return (k < 0) | (k != np.floor(k))


@valid(lambda n, a, b: is_count(n) & (a > 0) & (b > 0))
class betabinom:  # noqa: N801
    """The beta-binomial distribution: binomial(n, p) with p ~ beta(a, b)."""

    @staticmethod
    def logpmf(k: Any, n: Any, a: Any, b: Any, loc: Any = 0) -> Tensor:
        """-log(n + 1) - betaln(n - k + 1, k + 1) + betaln(k + a, n - k + b) - betaln(a, b)."""
        k, n, a, b, loc = tensors(k, n, a, b, loc)
        k = arg(k) - loc
        bad = _not_count(data(k)) | (data(k) > data(n))
        k = safe(bad, k, 0.0)
        comb = -log(n + 1.0) - betaln(n - k + 1.0, k + 1.0)
        return outside(bad, -np.inf, comb + betaln(k + a, n - k + b) - betaln(a, b))

    @staticmethod
    def pmf(k: Any, n: Any, a: Any, b: Any, loc: Any = 0) -> Tensor:
        """Probability mass."""
        return exp(betabinom.logpmf(k, n, a, b, loc))


@valid(lambda p: (p > 0) & (p <= 1))
class geom:  # noqa: N801
    """The geometric distribution: the number of trials up to the first success (k >= 1)."""

    @staticmethod
    def logpmf(k: Any, p: Any, loc: Any = 0) -> Tensor:
        """(k - 1) log(1 - p) + log p for integer k >= 1."""
        k, p, loc = tensors(k, p, loc)
        k = arg(k) - loc
        bad = _not_count(data(k)) | (data(k) < 1)
        k = safe(bad, k, 1.0)
        return outside(bad, -np.inf, xlog1py(k - 1.0, -p) + log(p))

    @staticmethod
    def pmf(k: Any, p: Any, loc: Any = 0) -> Tensor:
        """Probability mass."""
        return exp(geom.logpmf(k, p, loc))

    @staticmethod
    def cdf(k: Any, p: Any, loc: Any = 0) -> Tensor:
        """1 - (1 - p)^floor(k), 0 for k < 1; differentiable in p."""
        k, p, loc = tensors(k, p, loc)
        kk = np.floor(data(arg(k) - loc))
        below = kk < 1
        return outside(below, 0.0, -expm1(log1p(-p) * np.where(below, 1.0, kk)))

    @staticmethod
    def logsf(k: Any, p: Any, loc: Any = 0) -> Tensor:
        """floor(k) log(1 - p), 0 for k < 1."""
        k, p, loc = tensors(k, p, loc)
        kk = np.floor(data(arg(k) - loc))
        below = kk < 1
        return outside(below, 0.0, np.where(below, 1.0, kk) * log1p(-p))

    @staticmethod
    def sf(k: Any, p: Any, loc: Any = 0) -> Tensor:
        """(1 - p)^floor(k), 1 for k < 1."""
        return exp(geom.logsf(k, p, loc))


@valid(lambda n, p: (n > 0) & (p > 0) & (p <= 1))
class nbinom:  # noqa: N801
    """The negative binomial distribution: failures before the n-th success of probability p."""

    @staticmethod
    def logpmf(k: Any, n: Any, p: Any, loc: Any = 0) -> Tensor:
        """gammaln(n + k) - gammaln(k + 1) - gammaln(n) + n log p + k log(1 - p)."""
        k, n, p, loc = tensors(k, n, p, loc)
        k = arg(k) - loc
        bad = _not_count(data(k))
        k = safe(bad, k, 0.0)
        coeff = gammaln(n + k) - gammaln(k + 1.0) - gammaln(n)
        return outside(bad, -np.inf, coeff + n * log(p) + xlog1py(k, -p))

    @staticmethod
    def pmf(k: Any, n: Any, p: Any, loc: Any = 0) -> Tensor:
        """Probability mass."""
        return exp(nbinom.logpmf(k, n, p, loc))

    @staticmethod
    def cdf(k: Any, n: Any, p: Any, loc: Any = 0) -> Tensor:
        """betainc(n, floor(k) + 1, p), 0 for k < 0; differentiable in p (not n)."""
        k, n, p, loc = tensors(k, n, p, loc)
        kk = np.floor(data(arg(k) - loc))
        neg = kk < 0
        return outside(neg, 0.0, betainc(n, np.where(neg, 0.0, kk) + 1.0, p))

    @staticmethod
    def sf(k: Any, n: Any, p: Any, loc: Any = 0) -> Tensor:
        """betainc(floor(k) + 1, n, 1 - p), 1 for k < 0."""
        k, n, p, loc = tensors(k, n, p, loc)
        kk = np.floor(data(arg(k) - loc))
        neg = kk < 0
        return outside(neg, 1.0, betainc(np.where(neg, 0.0, kk) + 1.0, n, 1.0 - p))


class multinomial:  # noqa: N801
    """The multinomial distribution of ``n`` draws over the categories of ``p`` (last axis)."""

    @staticmethod
    def logpmf(x: Any, n: Any, p: Any) -> Tensor:
        """gammaln(n + 1) + sum(x log p - gammaln(x + 1)) over the last axis; -inf unless x are counts
        summing to n. p is used as given (JAX's; scipy replaces its last entry by 1 - the others')."""
        x, n, p = tensors(x, n, p)
        x, n, p = arg(x), arg(n), arg(p)
        if x.ndim == 0 or p.ndim == 0:
            raise support_error("multinomial.logpmf", "x and p need a category axis", data(x).shape)
        xd = data(x)
        bad = np.any(_not_count(xd), axis=-1) | (xd.sum(axis=-1) != data(n))
        xs = safe(np.broadcast_to(bad[..., None], xd.shape), x, 0.0)
        inside = gammaln(n + 1.0) + (xlogy(xs, p) - gammaln(xs + 1.0)).sum(axis=-1)
        return outside(bad, -np.inf, inside)

    @staticmethod
    def pmf(x: Any, n: Any, p: Any) -> Tensor:
        """Probability mass."""
        return exp(multinomial.logpmf(x, n, p))
