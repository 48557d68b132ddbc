"""The derivative rules of the activation functions in ``activations``, each written as PyTorch's
kernel computes it, so values at the kinks (x == 0, x == +-3, the softplus threshold) agree."""

from __future__ import annotations

import math
from typing import Any

from ..rules import holomorphic, rule
from .elementwise import sigmoid

_SQRT1_2 = math.sqrt(0.5)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_K, _C = math.sqrt(2.0 / math.pi), 0.044715  # gelu's tanh approximation: tanh(K (x + C x^3))


def _halves(axis: int, n: int) -> tuple[tuple, tuple]:
    lead = (slice(None),) * axis
    return lead + (slice(0, n // 2),), lead + (slice(n // 2, n),)


def _pnorm(x: Any, p: float, dim: Any, F: Any) -> Any:
    if p == 2:
        return F.sqrt((x * x).sum(axis=dim, keepdims=True))
    return (F.abs(x) ** p).sum(axis=dim, keepdims=True) ** (1.0 / p)


# --- rules ---------------------------------------------------------------------------------------
def _pass_where(F, g, out, xs, ctx, need):
    return (F.where(ctx, g, 0.0),)  # ctx = mask where the op is the identity: exact zeros elsewhere


for _name in ("hardtanh", "softshrink", "hardshrink", "threshold"):
    rule(_name)(_pass_where)


@rule("gelu")  # ctx = approximate
def _gelu(F, g, out, xs, ctx, need):
    x = xs[0]
    if ctx == "none":  # d (x Phi(x)) = Phi(x) + x phi(x)
        cdf = 0.5 * (1.0 + F.erf(x * _SQRT1_2))
        return (g * (cdf + x * (F.exp(-0.5 * x * x) * _INV_SQRT_2PI)),)
    t = F.tanh(_K * (x + _C * x * x * x))
    return (g * (0.5 * (1.0 + t) + (0.5 * _K) * x * (1.0 - t * t) * (1.0 + (3.0 * _C) * x * x)),)


@rule("silu")  # ctx = sigmoid(x): d (x s) = s (1 + x (1 - s))
def _silu(F, g, out, xs, ctx, need):
    x = xs[0]
    s = F.saved(ctx, lambda: sigmoid(x))
    return (g * (s * (1.0 + x * (1.0 - s))),)


@rule("mish")  # ctx = (tanh(softplus(x)), sigmoid(x)): d = t + x (1 - t^2) sigmoid(x)
def _mish(F, g, out, xs, ctx, need):
    x = xs[0]
    t = F.saved(ctx[0], lambda: F.tanh(F.logaddexp(0.0, x)))
    s = F.saved(ctx[1], lambda: sigmoid(x))
    return (g * (t + x * (1.0 - t * t) * s),)


@rule("elu")  # ctx = (alpha, scale, input_scale); x <= 0: scale alpha input_scale e^(input_scale x)
def _elu_rule(F, g, out, xs, ctx, need):
    x = xs[0]
    alpha, scale, input_scale = ctx
    positive = x > 0
    slope = F.exp(F.where(positive, 0.0, x) * input_scale) * (alpha * scale * input_scale)
    return (F.where(positive, g * scale, g * slope),)


@rule("leaky_relu")  # ctx = (mask x > 0, negative_slope)
def _leaky_relu(F, g, out, xs, ctx, need):
    return (F.where(ctx[0], g, g * ctx[1]),)


@rule("prelu")  # ctx = mask x > 0; the weight's gradient is summed back to its shape by the engine
def _prelu(F, g, out, xs, ctx, need):
    x, w = xs
    gx = F.where(ctx, g, g * w) if need[0] else None
    return gx, (F.where(ctx, 0.0, g * x) if need[1] else None)


@rule("hardsigmoid")  # ctx = mask -3 < x < 3; exactly 1/6 (PyTorch's is float32(1/6) even in float64)
def _hardsigmoid(F, g, out, xs, ctx, need):
    return (F.where(ctx, g * (1.0 / 6.0), 0.0),)


@rule("hardswish")  # ctx = (mask -3 < x < 3, mask x >= 3)
def _hardswish(F, g, out, xs, ctx, need):
    middle, high = ctx
    return (F.where(middle, g * (xs[0] * (1.0 / 3.0) + 0.5), F.where(high, g, 0.0)),)


@rule("logsigmoid")  # ctx = sigmoid(-x) = 1 - sigmoid(x)
def _logsigmoid(F, g, out, xs, ctx, need):
    return (g * F.saved(ctx, lambda: sigmoid(-xs[0])),)


@rule("softsign")
def _softsign(F, g, out, xs, ctx, need):
    d = 1.0 + F.abs(xs[0])
    return (g / (d * d),)


@rule("softplus")  # ctx = (mask of the linear part, sigmoid(beta x), beta)
def _softplus(F, g, out, xs, ctx, need):
    linear, s, beta = ctx
    return (F.where(linear, g, g * F.saved(s, lambda: sigmoid(xs[0] * beta))),)


@rule("glu")  # ctx = (axis, its length, sigmoid(b)): d/da = s, d/db = a s (1 - s)
def _glu(F, g, out, xs, ctx, need):
    axis, n, s = ctx
    x = xs[0]
    first, second = _halves(axis, n)
    a = x[first]
    s = F.saved(s, lambda: sigmoid(x[second]))
    return (F.concatenate([g * s, g * a * s * (1.0 - s)], axis=axis),)


@rule("tanhshrink")
@holomorphic
def _tanhshrink(F, g, out, xs, ctx, need):
    t = F.tanh(xs[0])
    return (g * (t * t),)


# y = x / d with d = max(||x||_p, eps): dy = (g - [||x|| >= eps] (g . y) sign(y) |y|^(p-1)) / d, since
# d||x||/dx = sign(x) |x|^(p-1) / ||x||^(p-1) = sign(y) |y|^(p-1) where d = ||x||
@rule("normalize")  # ctx = (p, dim, eps, d, mask ||x|| >= eps)
def _normalize(F, g, out, xs, ctx, need):
    p, dim, eps, d, on_norm = ctx
    x = xs[0]
    # rebuilt, d is the norm where it is >= eps and the constant eps elsewhere, computed from rows
    # of ones there, so no 0/0 of the norm of a zero row leaks into the second derivative
    d = F.saved(d, lambda: F.where(on_norm, _pnorm(F.where(on_norm, x, 1.0), p, dim, F), eps))
    direction = out if p == 2 else F.sign(out) * F.abs(out) ** (p - 1.0)
    along = (g * out).sum(axis=dim, keepdims=True) * direction
    return ((g - F.where(on_norm, along, 0.0)) / d,)
