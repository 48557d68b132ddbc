"""Discrete distributions: poisson, bernoulli, binom (logpmf and pmf), differentiable in the
parameters (and in k through gammaln's continuous extension); -inf outside the support, as scipy."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..ops import broadcast_to, exp, log, where
from ..special import gammainc, gammaincc, gammaln, xlog1py, xlogy
from ..tensor import Tensor
from ._common import arg, data, outside, safe, tensors
from ._valid import is_count, valid


def _not_count(k: np.ndarray) -> np.ndarray:
    return (k < 0) | (k != np.floor(k))


@valid(lambda mu: mu >= 0)
class poisson:  # noqa: N801
    """The Poisson distribution with mean ``mu``, shifted by ``loc``."""

    @staticmethod
    def logpmf(k: Any, mu: Any, loc: Any = 0) -> Tensor:
        """k log mu - mu - gammaln(k + 1), summed in float64 (its terms cancel: in float32 at mu = 1e8
        the sum came out 0 or 2048 for a true -10) and returned in the inputs' float dtype; nan for
        mu < 0, as scipy."""
        k, mu, loc = tensors(k, mu, loc)
        k, mu = arg(k) - loc, arg(mu)
        dt = np.result_type(k.dtype, mu.dtype)
        if dt == np.float32 or dt == np.float16:
            k, mu = k.astype(np.float64), mu.astype(np.float64)
        bad = _not_count(data(k))
        k = safe(bad, k, 0.0)
        # k log mu is 0 at k = 0 for every mu: mu = 1 stands in there, so the slope at mu = 0 is -1
        # (xlogy's own 0/0 made it nan)
        mu_k = safe(data(k) == 0, mu, 1.0)
        out = outside(bad, -np.inf, xlogy(k, mu_k) - mu - gammaln(k + 1.0))
        with np.errstate(invalid="ignore"):
            out = outside(data(mu) < 0, np.nan, out)
        return out.astype(dt) if dt.kind == "f" and out.dtype != dt else out

    @staticmethod
    def pmf(k: Any, mu: Any, loc: Any = 0) -> Tensor:
        """Probability mass."""
        return exp(poisson.logpmf(k, mu, loc))

    @staticmethod
    def cdf(k: Any, mu: Any, loc: Any = 0) -> Tensor:
        """P(K <= k) = gammaincc(floor(k) + 1, mu), 0 for k < 0; differentiable in mu (k is a count)."""
        k, mu, loc = tensors(k, mu, loc)
        kk = np.floor(data(arg(k) - loc))
        neg = kk < 0
        return outside(neg, 0.0, gammaincc(np.where(neg, 0.0, kk) + 1.0, arg(mu)))

    @staticmethod
    def logcdf(k: Any, mu: Any, loc: Any = 0) -> Tensor:
        """log of cdf."""
        return log(poisson.cdf(k, mu, loc))

    @staticmethod
    def sf(k: Any, mu: Any, loc: Any = 0) -> Tensor:
        """P(K > k) = gammainc(floor(k) + 1, mu), 1 for k < 0."""
        k, mu, loc = tensors(k, mu, loc)
        kk = np.floor(data(arg(k) - loc))
        neg = kk < 0
        return outside(neg, 1.0, gammainc(np.where(neg, 0.0, kk) + 1.0, arg(mu)))

    @staticmethod
    def entropy(mu: Any, loc: Any = 0) -> Tensor:
        """-sum_k pmf(k) log pmf(k) (independent of loc): summed over k for mu <= 200, beyond it
        log(2 pi e mu)/2 - 1/(12 mu) - 1/(24 mu^2) - 19/(360 mu^3) (error below 1e-10; scipy's
        truncated sum drifts there: 2.77 for 6.1 at mu = 1e6); 0 at mu = 0, nan for mu < 0.
        Computed in float64, returned in mu's float dtype; differentiable in mu."""
        mu, loc = tensors(mu, loc)
        mu = broadcast_to(mu, np.broadcast_shapes(mu.shape, loc.shape))  # scipy's broadcast shape
        dt = mu.dtype if mu.dtype.kind == "f" else np.dtype(np.float64)
        mu = mu.astype(np.float64)
        md = data(mu)
        with np.errstate(invalid="ignore"):
            small, zero = md <= 200.0, md <= 0
        m = safe(~small | zero, mu, 1.0)
        top = float(np.max(np.where(small & ~zero, md, 1.0), initial=1.0))
        k = np.arange(int(top + 15.0 * np.sqrt(top) + 40.0), dtype=np.float64)
        logp = xlogy(k, m[..., None]) - m[..., None] - gammaln(k + 1.0)
        summed = -(exp(logp) * logp).sum(axis=-1)
        b = safe(small, mu, 1000.0)
        series = (
            0.5 * log(2.0 * np.pi * np.e * b) - 1.0 / (12.0 * b) - 1.0 / (24.0 * b**2) - 19.0 / (360.0 * b**3)
        )
        out = outside(zero, 0.0, where(small, summed, series))
        return out.astype(dt) if out.dtype != dt else out


@valid(lambda p: (p >= 0) & (p <= 1))
class bernoulli:  # noqa: N801
    """The Bernoulli distribution: 1 with probability ``p``."""

    @staticmethod
    def logpmf(k: Any, p: Any, loc: Any = 0) -> Tensor:
        """k log p + (1 - k) log(1 - p) for k in {0, 1}."""
        k, p, loc = tensors(k, p, loc)
        k, p = arg(k) - loc, arg(p)
        kd = data(k)
        bad = (kd != 0) & (kd != 1)
        k = safe(bad, k, 0.0)
        return outside(bad, -np.inf, xlogy(k, p) + xlog1py(1.0 - k, -p))

    @staticmethod
    def pmf(k: Any, p: Any, loc: Any = 0) -> Tensor:
        """Probability mass."""
        return exp(bernoulli.logpmf(k, p, loc))

    @staticmethod
    def cdf(k: Any, p: Any, loc: Any = 0) -> Tensor:
        """0 below 0, 1 - p on [0, 1), 1 from 1 on (k - loc); nan for p outside [0, 1] (scipy's)."""
        k, p, loc = tensors(k, p, loc)
        kd, pd = data(arg(k) - loc), data(p)
        p = arg(p)
        mid = 1.0 - p
        with np.errstate(invalid="ignore"):
            out = outside(kd >= 1, 1.0, outside(kd < 0, 0.0, mid + 0.0 * arg(k)))
            return outside(~((pd >= 0) & (pd <= 1)), np.nan, out)

    @staticmethod
    def ppf(q: Any, p: Any, loc: Any = 0) -> Tensor:
        """The least k with cdf(k) >= q: 0 for 0 < q <= 1 - p, else 1; -1 at q = 0 (scipy's); nan for q
        or p outside [0, 1]. A step function: no gradient."""
        q, p, loc = tensors(q, p, loc)
        qd, pd, ld = data(q), data(p), data(loc)
        with np.errstate(invalid="ignore"):
            k = np.where(qd <= 1.0 - pd, 0.0, 1.0)
            k = np.where(qd == 1, 1.0, k)  # the top of the support, also for p = 0 (was 0)
            k = np.where(qd == 0, -1.0, k) + ld
            k = np.where((qd >= 0) & (qd <= 1) & (pd >= 0) & (pd <= 1), k, np.nan)
        dt = np.result_type(qd.dtype, pd.dtype, np.float16) if qd.dtype.kind == "f" else np.float64
        return Tensor._const(np.asarray(k, dtype=dt))


@valid(lambda n, p: is_count(n) & (p >= 0) & (p <= 1))
class binom:  # noqa: N801
    """The binomial distribution: successes in ``n`` trials of probability ``p``."""

    @staticmethod
    def logpmf(k: Any, n: Any, p: Any, loc: Any = 0) -> Tensor:
        """log C(n, k) + k log p + (n - k) log(1 - p), log C(n, k) through gammaln."""
        k, n, p, loc = tensors(k, n, p, loc)
        k, n, p = arg(k) - loc, arg(n), arg(p)
        bad = _not_count(data(k)) | (data(k) > data(n))
        k = safe(bad, k, 0.0)
        log_choose = gammaln(n + 1.0) - gammaln(k + 1.0) - gammaln(n - k + 1.0)
        return outside(bad, -np.inf, log_choose + xlogy(k, p) + xlog1py(n - k, -p))

    @staticmethod
    def pmf(k: Any, n: Any, p: Any, loc: Any = 0) -> Tensor:
        """Probability mass."""
        return exp(binom.logpmf(k, n, p, loc))
