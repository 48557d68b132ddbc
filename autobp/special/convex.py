"""scipy.special's convex functions and power transforms: rel_entr, kl_div, huber, pseudo_huber,
boxcox, inv_boxcox. Values are scipy's; derivatives follow JAX where the function has a kink or
leaves its domain (0 there: the masked-off branch contributes nothing)."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.special as sc

from ..ops import abs as _abs
from ..ops import sqrt, where
from ..ops._decl import op
from ..rules import rule
from ..tensor import Tensor
from ._common import FAMILY, NS
from ._scipy_op import args, mask, scipy_op


def _both_positive(x: Any, y: Any) -> np.ndarray:
    return mask(x, lambda a: a > 0) & mask(y, lambda b: b > 0)


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def rel_entr(x: Any, y: Any) -> Tensor:
    """x log(x / y) for x, y > 0; 0 at x = 0 <= y; +inf elsewhere. Derivatives log(x / y) + 1 and
    -x / y inside (x, y > 0), 0 elsewhere (as JAX)."""
    return scipy_op("rel_entr", sc.rel_entr, (x, y))


@rule("rel_entr")
def _rel_entr(F, g, out, xs, ctx, need):
    x, y = xs
    inside = _both_positive(x, y)
    xs_, ys_ = F.where(inside, x, 1.0), F.where(inside, y, 1.0)
    gx = g * F.where(inside, F.log(xs_ / ys_) + 1.0, 0.0) if need[0] else None
    gy = g * F.where(inside, -xs_ / ys_, 0.0) if need[1] else None
    return gx, gy


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def kl_div(x: Any, y: Any) -> Tensor:
    """x log(x / y) - x + y for x, y > 0; y at x = 0 <= y; +inf elsewhere. Derivatives log(x / y)
    and 1 - x / y inside; at x = 0 <= y, 0 and 1 (as JAX); 0 elsewhere."""
    return scipy_op("kl_div", sc.kl_div, (x, y))


@rule("kl_div")
def _kl_div(F, g, out, xs, ctx, need):
    x, y = xs
    inside = _both_positive(x, y)
    edge = mask(x, lambda a: a == 0) & mask(y, lambda b: b >= 0)
    xs_, ys_ = F.where(inside, x, 1.0), F.where(inside, y, 1.0)
    gx = g * F.where(inside, F.log(xs_ / ys_), 0.0) if need[0] else None
    gy = g * F.where(inside, 1.0 - xs_ / ys_, F.where(edge, 1.0, 0.0)) if need[1] else None
    return gx, gy


@op(family=FAMILY, namespace=NS, numpy=None, method=False, rules=("where", "abs"))
def huber(delta: Any, r: Any) -> Tensor:
    """Huber's loss: r^2 / 2 for |r| <= delta, delta (|r| - delta / 2) beyond, +inf for delta < 0;
    derivative clip(r, -delta, delta) in r."""
    delta, r = args((delta, r), "huber")
    d_, r_ = delta._data, r._data
    a = _abs(r)
    out = where(np.abs(r_) <= d_, 0.5 * r * r, delta * (a - 0.5 * delta))
    return where(d_ < 0, np.inf, out) if np.any(d_ < 0) else out


@op(family=FAMILY, namespace=NS, numpy=None, method=False, rules=("sqrt", "where"))
def pseudo_huber(delta: Any, r: Any) -> Tensor:
    """The smooth Huber loss delta^2 (sqrt(1 + (r / delta)^2) - 1); 0 where delta or r is 0, +inf
    for delta < 0 (scipy's cases)."""
    delta, r = args((delta, r), "pseudo_huber")
    d_ = delta._data
    zero = d_ == 0
    safe_d = where(zero, 1.0, delta) if np.any(zero) else delta
    v = r / safe_d
    out = r * r / (sqrt(1.0 + v * v) + 1.0)  # delta^2 (sqrt(1 + v^2) - 1) without the cancellation
    if np.any(zero):
        out = where(zero, 0.0, out)
    return where(d_ < 0, np.inf, out) if np.any(d_ < 0) else out


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def boxcox(x: Any, lmbda: Any) -> Tensor:
    """The Box-Cox transform (x^lmbda - 1) / lmbda, log(x) at lmbda = 0; derivatives x^(lmbda - 1) in
    x and (x^lmbda log x - boxcox) / lmbda in lmbda (log(x)^2 / 2 at lmbda = 0)."""
    return scipy_op("boxcox", sc.boxcox, (x, lmbda))


@rule("boxcox")
def _boxcox(F, g, out, xs, ctx, need):
    x, lm = xs
    lx = F.log(x)
    gx = g * F.exp((lm - 1.0) * lx) if need[0] else None
    gl = None
    if need[1]:
        t = lm * lx  # the formula cancels for small lmbda log x: the series L^2/2 + lmbda L^3/3 + ...
        small = mask(t, lambda a: np.abs(a) < 1e-3)
        safe = F.where(small, 1.0, lm)
        series = lx * lx * (0.5 + t / 3.0 + t * t / 8.0)
        gl = g * F.where(small, series, (F.exp(lm * lx) * lx - out) / safe)
    return gx, gl


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def inv_boxcox(y: Any, lmbda: Any) -> Tensor:
    """The inverse Box-Cox transform (1 + lmbda y)^(1 / lmbda), exp(y) at lmbda = 0; derivatives
    x / (1 + lmbda y) in y and x (y / (lmbda (1 + lmbda y)) - log1p(lmbda y) / lmbda^2) in lmbda
    (-x y^2 / 2 at lmbda = 0)."""
    return scipy_op("inv_boxcox", sc.inv_boxcox, (y, lmbda))


@rule("inv_boxcox")
def _inv_boxcox(F, g, out, xs, ctx, need):
    y, lm = xs
    u = 1.0 + lm * y
    gy = g * out / u if need[0] else None
    gl = None
    if need[1]:
        t = lm * y  # the formula cancels for small lmbda y: the series -y^2/2 + 2 lmbda y^3/3 - ...
        small = mask(t, lambda a: np.abs(a) < 1e-3)
        safe = F.where(small, 1.0, lm)
        d = y / (safe * u) - F.log1p(safe * y) / (safe * safe)
        series = y * y * (-0.5 + (2.0 / 3.0) * t - 0.75 * t * t)
        gl = g * out * F.where(small, series, d)
    return gy, gl
