"""The derivative table: one vector-Jacobian rule per op, shared by Value and Tensor.

A rule is ``rule(F, g, out, xs, ctx, need) -> tuple`` of one gradient per input
(None where ``need`` says the input wants none). ``g`` is the gradient of the
output, ``out`` the output, ``xs`` the inputs, ``ctx`` what the forward saved.
The engine passes raw numbers and ``F`` = numpy (or math) for a plain backward,
and Tensors with ``F`` = autobp's own ops under ``create_graph=True``: the same
rule then records its own graph, so one rule serves every derivative order.
Gradients may have the broadcast shape; the engine reduces them (unbroadcast).
``F.scale(g, f)`` is ``g * f`` for an ``f`` of g's shape; when the engine holds the
only reference to ``g`` it may write the product into g's buffer instead of a new one.
``F.saved(a, rebuild)`` is an array ``a`` the forward saved in ``ctx``; under ``create_graph``
it is ``rebuild()``, recorded from the inputs, so the rule stays differentiable.
"""

from __future__ import annotations

from collections.abc import Callable

RULES: dict[str, Callable] = {}


def rule(name: str) -> Callable[[Callable], Callable]:
    """Register ``fn`` as the derivative rule of op ``name``."""

    def register(fn: Callable) -> Callable:
        if name in RULES:
            raise ValueError(f"derivative rule for op {name!r} is already registered")
        RULES[name] = fn
        return fn

    return register


# Constants in the rules' arithmetic are float literals: numpy takes a Python int against a float
# array through a slower path (0.1 us more per op on small arrays); a float keeps the dtype just the same.


# --- arithmetic -------------------------------------------------------------
@rule("add")
def _add(F, g, out, xs, ctx, need):
    return g, g


@rule("sub")
def _sub(F, g, out, xs, ctx, need):
    return g, (-g if need[1] else None)


@rule("neg")
def _neg(F, g, out, xs, ctx, need):
    return (-g,)


@rule("mul")
def _mul(F, g, out, xs, ctx, need):
    x, y = xs
    return (g * y if need[0] else None), (g * x if need[1] else None)


@rule("div")
def _div(F, g, out, xs, ctx, need):
    x, y = xs
    gx = g / y if need[0] else None
    return gx, (-(g * out) / y if need[1] else None)  # d(x/y)/dy = -x/y^2 = -out/y


@rule("pow_scalar")  # x ** p with a constant p (ctx)
def _pow_scalar(F, g, out, xs, ctx, need):
    (x,) = xs
    p = ctx
    if p == 2:
        return (g * (x + x),)  # 2x exactly, without converting a Python 2 for numpy
    return (g * (p * x ** (p - 1)),)


@rule("pow")  # x ** y with both differentiable; dy needs x > 0
def _pow(F, g, out, xs, ctx, need):
    x, y = xs
    gx = g * y * x ** (y - 1.0) if need[0] else None
    return gx, (g * out * F.log(x) if need[1] else None)


# --- elementwise functions --------------------------------------------------
@rule("exp")
def _exp(F, g, out, xs, ctx, need):
    return (F.scale(g, out),)


@rule("log")
def _log(F, g, out, xs, ctx, need):
    return (g / xs[0],)


@rule("tanh")
def _tanh(F, g, out, xs, ctx, need):
    return (F.scale(g, 1.0 - out * out),)


@rule("sigmoid")
def _sigmoid(F, g, out, xs, ctx, need):
    return (F.scale(g, out * (1.0 - out)),)


@rule("relu")
def _relu(F, g, out, xs, ctx, need):
    # out > 0 exactly where x > 0 (subgradient 0 at the kink); reading the output, which the next
    # layer's rule reads too, spares the backward pass a read of the input array
    return (F.scale(g, out > 0),)


@rule("sqrt")
def _sqrt(F, g, out, xs, ctx, need):
    return (g / (2.0 * out),)


@rule("abs")
def _abs(F, g, out, xs, ctx, need):
    return (g * F.sign(xs[0]),)  # subgradient 0 at the kink


@rule("clip")  # ctx = (lo, hi, boolean mask of the elements inside [lo, hi])
def _clip(F, g, out, xs, ctx, need):
    return (g * ctx[2],)


@rule("maximum")  # ctx = weight of x: 1 where x > y, 1/2 on ties, 0 elsewhere
def _maximum(F, g, out, xs, ctx, need):
    return (g * ctx if need[0] else None), (g * (1.0 - ctx) if need[1] else None)


@rule("where")  # ctx = the boolean condition
def _where(F, g, out, xs, ctx, need):
    zero = 0.0 * g
    return (F.where(ctx, g, zero) if need[0] else None), (F.where(ctx, zero, g) if need[1] else None)


# --- linear algebra ---------------------------------------------------------
@rule("matmul")  # numpy's rules: 1-D operands are promoted, then squeezed
def _matmul(F, g, out, xs, ctx, need):
    a, b = xs
    ga = gb = None
    if a.ndim == 2 and b.ndim == 2:  # the common case, without the general machinery
        return (g @ b.T if need[0] else None), (a.T @ g if need[1] else None)
    if a.ndim == 1 and b.ndim == 1:
        return (g * b if need[0] else None), (g * a if need[1] else None)
    if a.ndim == 1:  # (k) @ (..., k, m) -> (..., m)
        if need[0]:
            ga = (F.expand_dims(g, -2) @ b.swapaxes(-1, -2)).squeeze(-2)
        if need[1]:
            gb = F.expand_dims(a, -1) @ F.expand_dims(g, -2)
        return ga, gb
    if b.ndim == 1:  # (..., n, k) @ (k) -> (..., n)
        if need[0]:
            ga = F.expand_dims(g, -1) @ F.expand_dims(b, -2)
        if need[1]:
            gb = (a.swapaxes(-1, -2) @ F.expand_dims(g, -1)).squeeze(-1)
        return ga, gb
    if need[0]:
        ga = g @ b.swapaxes(-1, -2)
    if need[1]:
        gb = a.swapaxes(-1, -2) @ g
    return ga, gb


@rule("linear")  # out = x @ W.T (+ b), W of shape (out, in): nn.Linear as one node
def _linear(F, g, out, xs, ctx, need):
    x, W = xs[0], xs[1]
    gx = g @ W if need[0] else None
    gW = None
    if need[1] and g.ndim == 2:  # (N, out).T @ (N, in)
        gW = g.T @ x
    elif need[1]:  # summed over every leading axis of x
        gW = g.reshape(-1, g.shape[-1]).T @ x.reshape(-1, x.shape[-1])
    if len(xs) == 2:
        return gx, gW
    return gx, gW, (g if need[2] else None)  # the engine sums g over the leading axes for b


# --- reductions: ctx = (axes, kept shape or None if keepdims, extra) --------
def _expand_reduced(g, ctx):
    """Put back the reduced axes of ``g`` (as size 1) so it broadcasts against the input."""
    return g if ctx[1] is None or g.ndim == 0 else g.reshape(ctx[1])  # a 0-d g broadcasts as it is


@rule("sum")
def _sum(F, g, out, xs, ctx, need):
    return (F.broadcast_to(_expand_reduced(g, ctx), xs[0].shape),)


@rule("mean")  # ctx[2] = number of elements averaged
def _mean(F, g, out, xs, ctx, need):
    return (F.broadcast_to(_expand_reduced(g, ctx) / ctx[2], xs[0].shape),)


@rule("max")  # ctx[2]: each element's share of g; ties split it equally
def _max(F, g, out, xs, ctx, need):
    return (_expand_reduced(g, ctx) * ctx[2],)


RULES["min"] = _max


@rule("logsumexp")
def _logsumexp(F, g, out, xs, ctx, need):
    return (_expand_reduced(g, ctx) * F.exp(xs[0] - _expand_reduced(out, ctx)),)


@rule("softmax")  # ctx = axis
def _softmax(F, g, out, xs, ctx, need):
    return (out * (g - (g * out).sum(axis=ctx, keepdims=True)),)


@rule("log_softmax")  # ctx = axis
def _log_softmax(F, g, out, xs, ctx, need):
    return (g - F.exp(out) * g.sum(axis=ctx, keepdims=True),)


@rule("nll")  # ctx = (index, divisor): out = -sum(x[index]) / divisor
def _nll(F, g, out, xs, ctx, need):
    return (F.scatter_add(-g / ctx[1], ctx[0], xs[0].shape),)


@rule("cross_entropy")  # ctx = (index, divisor, softmax(x)): out = -sum(log_softmax(x)[index]) / divisor
def _cross_entropy(F, g, out, xs, ctx, need):
    index, divisor, p = ctx  # index picks one class per row: the gradient is (p - onehot) * g / divisor
    s = g / divisor
    return (F.saved(p, lambda: xs[0].softmax(axis=-1)) * s - F.scatter_add(s, index, p.shape),)


# --- shape -----------------------------------------------------------------
@rule("reshape")
def _reshape(F, g, out, xs, ctx, need):
    return (g.reshape(xs[0].shape),)


@rule("transpose")  # ctx = the permutation
def _transpose(F, g, out, xs, ctx, need):
    inverse = [0] * len(ctx)
    for i, a in enumerate(ctx):
        inverse[a] = i
    return (F.transpose(g, inverse),)


@rule("astype")
def _astype(F, g, out, xs, ctx, need):
    return (g.astype(xs[0].dtype),)


@rule("broadcast_to")
def _broadcast_to(F, g, out, xs, ctx, need):
    return (g,)  # the engine sums g back to the input's shape


@rule("getitem")  # ctx = the (normalised) index
def _getitem(F, g, out, xs, ctx, need):
    return (F.scatter_add(g, ctx, xs[0].shape),)


@rule("scatter_add")  # ctx = (index, shape): zeros(shape) with g added at index
def _scatter_add(F, g, out, xs, ctx, need):
    return (g[ctx[0]],)


@rule("concatenate")  # ctx = (axis, split points)
def _concatenate(F, g, out, xs, ctx, need):
    axis, bounds = ctx
    lead = (slice(None),) * axis
    return tuple(g[lead + (slice(lo, hi),)] for lo, hi in bounds)


@rule("stack")  # ctx = axis
def _stack(F, g, out, xs, ctx, need):
    lead = (slice(None),) * ctx
    return tuple(g[lead + (i,)] for i in range(len(xs)))


# --- custom ops --------------------------------------------------------------
@rule("function")  # ctx = the FunctionCtx of an autobp.Function (function.py runs its backward)
def _function(F, g, out, xs, ctx, need):
    return ctx._vjp(g, out, xs, need)
