"""Differentiable scipy.special: the gamma family, the normal CDF and error functions, Bessel
functions, xlogy/xlog1py, expit/logit and the logsumexp/softmax family, under scipy's names and
signatures (``autobp.special.gammaln(t)``)."""

from __future__ import annotations

from .bessel import i0, i0e, i1, i1e
from .bessel_jy import iv, ive, j0, j1, jn, jv, y0, y1, yn, yv
from .gamma import betaln, digamma, gamma, gammaln, multigammaln, polygamma, psi
from .incomplete import beta, betainc, erfcinv, gammainc, gammaincc, gammasgn, rgamma, stdtr
from .logs import expit, log1p, log_softmax, logit, logsumexp, softmax, xlog1py, xlogy
from .normal import erf, erfc, erfinv, log_ndtr, ndtr, ndtri

__all__ = [
    "gammaln",
    "gamma",
    "digamma",
    "psi",
    "polygamma",
    "multigammaln",
    "betaln",
    "erf",
    "erfc",
    "erfinv",
    "ndtr",
    "ndtri",
    "log_ndtr",
    "xlogy",
    "xlog1py",
    "expit",
    "logit",
    "logsumexp",
    "softmax",
    "log_softmax",
    "i0",
    "i1",
    "i0e",
    "i1e",
    "log1p",
    "gammainc",
    "gammaincc",
    "betainc",
    "stdtr",
    "beta",
    "rgamma",
    "gammasgn",
    "erfcinv",
    "j0",
    "j1",
    "y0",
    "y1",
    "jv",
    "jn",
    "yv",
    "yn",
    "iv",
    "ive",
]
