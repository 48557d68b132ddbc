"""Derivatives of special functions in their shape parameters, as jax.scipy.special has them:
gammainc/gammaincc in a, hyp1f1 in a and b, hyp2f1 in a, b and c. Each is a convergent power series
summed in float64 with numpy (first order only: a recorded backward gives a node whose own derivative
raises, rather than a silently wrong second derivative)."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.special as sc

from ..rules import rule
from ..tensor import Tensor
from ._common import data_of

_MAX_TERMS = 20000


def _f64(*xs: Any) -> list:
    return [np.asarray(v, dtype=np.float64) for v in np.broadcast_arrays(*(data_of(x) for x in xs))]


def dgammainc_da(a: Any, x: Any) -> np.ndarray:
    """d/da P(a, x) = sum_k x^(a+k) e^-x / Gamma(a+k+1) (log x - digamma(a+k+1)) (a > 0, x >= 0)."""
    a, x = _f64(a, x)
    out = np.full(a.shape, np.nan)
    ok = (a > 0) & (x >= 0) & np.isfinite(a) & np.isfinite(x)
    out[ok & (x == 0)] = 0.0
    idx = ok & (x > 0)
    av, xv = a[idx], x[idx]
    need = np.ceil(np.maximum(xv - av, 0.0) + 12.0 * np.sqrt(xv) + 50.0)
    res = np.empty(av.shape)
    buckets = np.minimum(2.0 ** np.ceil(np.log2(need)), 2.0**17) if av.size else need
    for kb in np.unique(buckets):
        sel = buckets == kb
        k = np.arange(int(kb), dtype=np.float64)
        for lo in range(0, int(sel.sum()), max(1, 4_000_000 // int(kb))):
            rows = np.flatnonzero(sel)[lo : lo + max(1, 4_000_000 // int(kb))]
            ak = av[rows, None] + k
            lx = np.log(xv[rows, None])
            with np.errstate(all="ignore"):
                terms = np.exp(ak * lx - xv[rows, None] - sc.gammaln(ak + 1.0)) * (lx - sc.digamma(ak + 1.0))
            res[rows] = terms.sum(axis=1)
    out[idx] = res
    return out


def _series(ratio, weight, shape) -> np.ndarray:
    """sum_{k>=1} term_k weight(k) with term_1 = ratio(0) and term_{k+1} = term_k ratio(k), summed until
    every term is below eps of its partial sum (vectorised; at most _MAX_TERMS terms)."""
    total = np.zeros(shape)
    term = ratio(0.0)
    eps = np.finfo(np.float64).eps
    for k in range(1, _MAX_TERMS):
        contrib = term * weight(float(k))
        total = total + contrib
        with np.errstate(all="ignore"):
            done = (np.abs(contrib) <= eps * np.abs(total)) | (term == 0) | ~np.isfinite(total)
        if np.all(done) and k > 2:
            break
        term = term * ratio(float(k))
    return total


def dhyp1f1(a: Any, b: Any, x: Any) -> tuple:
    """(d/da, d/db) of 1F1(a; b; x): sum_k (a)_k x^k / ((b)_k k!) (digamma(a+k) - digamma(a)) and
    (digamma(b) - digamma(b+k)); for x < 0 through Kummer's e^x 1F1(b - a; b; -x)."""
    a, b, x = _f64(a, b, x)
    neg = x < 0
    aa = np.where(neg, b - a, a)
    xx = np.abs(x)
    with np.errstate(all="ignore"):
        ratio = lambda k: (aa + k) / (b + k) * xx / (k + 1.0)  # noqa: E731
        d1 = _series(ratio, lambda k: sc.digamma(aa + k) - sc.digamma(aa), a.shape)
        d2 = _series(ratio, lambda k: sc.digamma(b) - sc.digamma(b + k), a.shape)
        ex = np.exp(x)
        da = np.where(neg, -ex * d1, d1)
        db = np.where(neg, ex * (d1 + d2), d2)
    return da, db


def dhyp2f1(a: Any, b: Any, c: Any, x: Any) -> tuple:
    """(d/da, d/db, d/dc) of 2F1(a, b; c; x) for x < 1: the Gauss series' term-wise derivatives on
    [0, 1); on x < 0 Pfaff's (1 - x)^-a 2F1(a, c - b; c; x / (x - 1)) first. nan for x >= 1."""
    a, b, c, x = _f64(a, b, c, x)
    neg = x < 0
    bb = np.where(neg, c - b, b)
    z = np.where(neg, x / (x - 1.0), x)
    z = np.where(z >= 1.0, np.nan, z)
    with np.errstate(all="ignore"):
        ratio = lambda k: (a + k) * (bb + k) / (c + k) * z / (k + 1.0)  # noqa: E731
        da = _series(ratio, lambda k: sc.digamma(a + k) - sc.digamma(a), a.shape)
        db = _series(ratio, lambda k: sc.digamma(bb + k) - sc.digamma(bb), a.shape)
        dc = _series(ratio, lambda k: sc.digamma(c) - sc.digamma(c + k), a.shape)
        pf = (1.0 - x) ** (-a)
        f2 = sc.hyp2f1(a, bb, c, z)
        da_out = np.where(neg, pf * (da - np.log1p(-x) * f2), da)
        db_out = np.where(neg, -pf * db, db)
        dc_out = np.where(neg, pf * (db + dc), dc)
    return da_out, db_out, dc_out


def param_grad(values: np.ndarray, xs: tuple, g: Any, name: str) -> Any:
    """g times the numbers ``values`` in g's dtype; on a recorded backward a node of ``xs`` whose own
    derivative raises (first order only)."""
    dt = data_of(g).dtype
    vals = np.asarray(values).astype(dt if dt.kind == "f" else np.float64, copy=False)
    if any(isinstance(t, Tensor) for t in xs):
        return g * Tensor._make(vals, tuple(t for t in xs if isinstance(t, Tensor)), "param_grad", name)
    return g * vals


@rule("param_grad")  # ctx = the function's name
def _param_grad(F, g, out, xs, ctx, need):
    raise NotImplementedError(f"{ctx}: no second derivative in its shape parameters (first order only)")
