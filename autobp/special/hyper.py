"""Hypergeometric functions and the gamma-ratio family under scipy.special's names: hyp1f1, hyp2f1
(differentiable in every argument, as JAX; in the shape parameters first order only), poch, binom
(both arguments, through digamma), comb and factorial (exact=False: real-valued and
differentiable), bernoulli (numbers)."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.special as sc

from ..ops import where
from ..ops._decl import op
from ..rules import rule
from ..tensor import Tensor
from ._common import FAMILY, NS, as_float, data_of
from ._scipy_op import args, scipy_op
from .gamma import gamma
from .param_grads import dhyp1f1, dhyp2f1, param_grad


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def hyp1f1(a: Any, b: Any, x: Any) -> Tensor:
    """Kummer's confluent hypergeometric function 1F1(a; b; x); derivative in x
    (a / b) 1F1(a + 1; b + 1; x); in a and b term-wise series (first order only)."""
    return scipy_op("hyp1f1", sc.hyp1f1, (a, b, x))


@rule("hyp1f1")
def _hyp1f1(F, g, out, xs, ctx, need):
    a, b, x = xs
    ga = gb = None
    if need[0] or need[1]:
        da, db = dhyp1f1(a, b, x)
        ga = param_grad(da, xs, g, "hyp1f1") if need[0] else None
        gb = param_grad(db, xs, g, "hyp1f1") if need[1] else None
    gx = g * (a / b) * as_float(F.hyp1f1(a + 1.0, b + 1.0, x), g) if need[2] else None
    return ga, gb, gx


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def hyp2f1(a: Any, b: Any, c: Any, z: Any) -> Tensor:
    """Gauss' hypergeometric function 2F1(a, b; c; z) (real z < 1); derivative in z
    (a b / c) 2F1(a + 1, b + 1; c + 1; z); in a, b and c term-wise series (first order only)."""
    return scipy_op("hyp2f1", sc.hyp2f1, (a, b, c, z))


@rule("hyp2f1")
def _hyp2f1(F, g, out, xs, ctx, need):
    a, b, c, z = xs
    grads = [None, None, None]
    if need[0] or need[1] or need[2]:
        for i, d in enumerate(dhyp2f1(a, b, c, z)):
            grads[i] = param_grad(d, xs, g, "hyp2f1") if need[i] else None
    gz = g * (a * b / c) * as_float(F.hyp2f1(a + 1.0, b + 1.0, c + 1.0, z), g) if need[3] else None
    return (*grads, gz)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def poch(z: Any, m: Any) -> Tensor:
    """The rising factorial (z)_m = Gamma(z + m) / Gamma(z); derivatives (z)_m (digamma(z + m) -
    digamma(z)) in z and (z)_m digamma(z + m) in m."""
    return scipy_op("poch", sc.poch, (z, m))


@rule("poch")
def _poch(F, g, out, xs, ctx, need):
    z, m = xs
    dzm = as_float(F.digamma(z + m), g)
    gz = g * out * (dzm - as_float(F.digamma(z), g)) if need[0] else None
    return gz, (g * out * dzm if need[1] else None)


@op(name="special_binom", family=FAMILY, namespace=NS, numpy=None, method=False)
def binom(n: Any, k: Any) -> Tensor:
    """The binomial coefficient as a real function, Gamma(n + 1) / (Gamma(k + 1) Gamma(n - k + 1));
    derivatives binom (digamma(n + 1) - digamma(n - k + 1)) in n and binom (digamma(n - k + 1) -
    digamma(k + 1)) in k."""
    return scipy_op("special_binom", sc.binom, (n, k))


@rule("special_binom")
def _binom(F, g, out, xs, ctx, need):
    n, k = xs
    mid = as_float(F.digamma(n - k + 1.0), g)
    gn = g * out * (as_float(F.digamma(n + 1.0), g) - mid) if need[0] else None
    gk = g * out * (mid - as_float(F.digamma(k + 1.0), g)) if need[1] else None
    return gn, gk


@op(family=FAMILY, namespace=NS, numpy=None, method=False, rules=("special_binom",))
def comb(N: Any, k: Any, *, exact: bool = False, repetition: bool = False) -> Any:
    """Combinations of N things taken k at a time: binom(N, k) where 0 <= k <= N (0 elsewhere), and
    binom(N + k - 1, k) with ``repetition``; ``exact=True`` gives scipy's exact integers (no graph)."""
    if exact:
        return sc.comb(data_of(N), data_of(k), exact=True, repetition=repetition)
    N, k = args((N, k), "comb")
    empty = None
    if repetition:  # k = 0 items from N >= 0 kinds: one way (scipy >= 1.17), also for N = 0
        empty = (data_of(k) == 0) & (data_of(N) >= 0)
        N = N + k - 1
    n_, k_ = data_of(N), data_of(k)
    valid = (k_ <= n_) & (n_ >= 0) & (k_ >= 0)
    if np.all(valid):
        out = binom(N, k)
    else:
        safe_n, safe_k = where(valid, N, 1.0), where(valid, k, 0.0)
        out = where(valid, binom(safe_n, safe_k), 0.0)
    return where(empty, 1.0, out) if empty is not None and np.any(empty & ~valid) else out


@op(family=FAMILY, namespace=NS, numpy=None, method=False, rules=("gamma",))
def factorial(n: Any, exact: bool = False) -> Any:
    """n! = Gamma(n + 1) for n >= 0 and 0 for n < 0 (exact=False, differentiable: derivative
    Gamma(n + 1) digamma(n + 1)); ``exact=True`` gives scipy's exact integers (no graph)."""
    if exact:
        return sc.factorial(n, exact=True)
    if not isinstance(n, Tensor):  # constants: scipy's numbers (0-d stays 0-d) in n's float dtype
        out = sc.factorial(n)
        dt = np.asarray(n).dtype
        return out.astype(dt) if dt.kind == "f" and isinstance(out, np.ndarray) else out
    (n,) = args((n,), "factorial")
    neg = data_of(n) < 0
    if not np.any(neg):
        return gamma(n + 1.0)
    return where(neg, 0.0, gamma(where(neg, 0.0, n) + 1.0))


def bernoulli(n: int) -> np.ndarray:
    """The Bernoulli numbers B_0 .. B_n (scipy's convention, B_1 = -1/2) as a float64 array; numbers,
    not differentiable."""
    return sc.bernoulli(n)
