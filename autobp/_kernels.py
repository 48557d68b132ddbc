"""Forward kernels on numpy arrays for the ops whose forward is more than one numpy call.

Shared by the Tensor methods and by replay (``autobp.replay``), so a replayed step
computes exactly what the eager one did. A kernel is ``kernel(xs, ctx) -> (out, ctx)``:
``ctx`` comes in with the op's static parameters and goes out with what the rule needs.
"""

from __future__ import annotations

import contextvars
import threading
from typing import Any

import numpy as np

from ._scalars import ONE

_ndarray = np.ndarray


def sigmoid(xs: list, ctx: Any) -> tuple:
    """The sigmoid in the kernel signature (replay)."""
    return sigmoid_of(xs[0]), ctx


def sigmoid_of(x: np.ndarray) -> np.ndarray:
    """1 / (1 + e^-x) in one buffer. For x < -709, e^-x overflows to inf and the result is
    exactly 0, the float nearest the true value, so that overflow is silenced, not avoided
    (as is e^-x underflowing to 0 for x > 745, where the result is exactly 1)."""
    one = ONE.get(x.dtype)
    if one is not None and type(x) is _ndarray and x.ndim:  # a float64/float32 array (the usual case):
        e = np.negative(x)  # _logistic_of_negated's work written out, as a tiny net pays each call per layer
        _quiet.context.run(np.exp, e, e)
        e += one
        np.reciprocal(e, out=e)
        return e
    e = np.negative(x) if x.dtype.kind in "fc" else np.negative(x, dtype=np.float64)
    if type(e) is not np.ndarray:  # a 0-d input gives a numpy scalar: make it a buffer
        e = np.array(e)
    return _logistic_of_negated(e)


def sigmoid_into(x: np.ndarray, out: np.ndarray) -> np.ndarray:
    """The sigmoid kernel writing into ``out`` (a float array of x's shape), for replay."""
    np.negative(x, out=out)
    return _logistic_of_negated(out)


def _logistic_of_negated(e: np.ndarray) -> np.ndarray:
    """Turn a buffer holding -x into 1 / (1 + e^-x), in place."""
    _exp_quietly(e)
    e += ONE.get(e.dtype, 1.0)  # 1 as e's dtype: numpy takes a Python number through a slower path
    np.reciprocal(e, out=e)
    return e


class _Quiet(threading.local):
    """Per thread (a context is entered by one thread at a time), a context in which numpy reports
    no overflow or underflow. numpy (>= 2) keeps its error settings in a context variable, so
    entering this costs a small fraction of np.errstate, which builds its settings on every call."""

    def __init__(self) -> None:
        with np.errstate(over="ignore", under="ignore"):
            self.context = contextvars.copy_context()


_quiet = _Quiet()


def _exp_quietly(e: np.ndarray) -> None:
    """e to the power of each element of ``e``, in place, reporting no overflow or underflow."""
    _quiet.context.run(np.exp, e, e)


def clip(xs: list, ctx: tuple) -> tuple:
    """ctx = (lo, hi, mask of the elements inside [lo, hi], where the gradient passes)."""
    x = xs[0]
    lo, hi = ctx[0], ctx[1]
    inside = np.ones(x.shape, dtype=bool)
    if lo is not None:
        inside &= x >= lo
    if hi is not None:
        inside &= x <= hi
    return np.clip(x, lo, hi), (lo, hi, inside)


def extreme(fn: Any) -> Any:
    """max or min; ctx = (axes, kept shape or None, each element's share of the gradient)."""

    def kernel(xs: list, ctx: tuple) -> tuple:
        x = xs[0]
        axes = ctx[0]
        kept = fn(x, axis=axes, keepdims=True)
        out = kept if ctx[1] is None else np.squeeze(kept, axis=axes)
        hit = x == kept
        if kept.dtype.kind in "fc" and np.isnan(kept).any():  # a NaN result: its NaNs share the gradient
            hit |= np.isnan(x) & np.isnan(kept)  # (torch.max's; x == NaN is False everywhere)
        hit = hit.astype(x.dtype)
        return out, (axes, ctx[1], hit / hit.sum(axis=axes, keepdims=True))

    return kernel


def logsumexp(xs: list, ctx: tuple) -> tuple:
    """log(sum(exp(x))) over ctx[0], shifted by the maximum so it never overflows."""
    x, axes = xs[0], ctx[0]
    if any(x.shape[a] == 0 for a in axes):  # a sum of no terms is 0, and its log -inf (as numpy has it)
        return np.full(np.sum(x, axis=axes, keepdims=ctx[1] is None).shape, -np.inf, x.dtype), ctx
    # the shift: the largest real part (complex x: a real shift leaves the phases as they are)
    m = np.max(x.real if x.dtype.kind == "c" else x, axis=axes, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)
    out = np.log(np.exp(x - m).sum(axis=axes, keepdims=True)) + m
    if ctx[1] is not None:
        out = np.squeeze(out, axis=axes)
    return out, ctx


def softmax(xs: list, axis: int) -> tuple:
    z = xs[0] - xs[0].max(axis=axis, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=axis, keepdims=True), axis


def log_softmax(xs: list, axis: int) -> tuple:
    z = xs[0] - xs[0].max(axis=axis, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=axis, keepdims=True)), axis


def _extremum_weights(a: Any, b: Any, a_loses: Any, b_loses: Any, dtype: Any) -> tuple:
    """PyTorch's weights of max/min's inputs: 1/2 each on ties, 0 for the input that loses, else 1
    (so where either is NaN, which no comparison ranks, both get the whole gradient)."""
    half = np.where(a == b, 0.5, 1.0)
    return np.where(a_loses, 0.0, half).astype(dtype), np.where(b_loses, 0.0, half).astype(dtype)


def maximum(xs: list, ctx: Any) -> tuple:
    """ctx = the weights of the two inputs (see _extremum_weights)."""
    a, b = xs
    out = np.maximum(a, b)
    if out.dtype.kind != "f":  # integers and booleans have no gradient
        return out, None
    return out, _extremum_weights(a, b, a < b, a > b, out.dtype)


def minimum(xs: list, ctx: Any) -> tuple:
    """ctx = the weights of the two inputs (see _extremum_weights)."""
    a, b = xs
    out = np.minimum(a, b)
    if out.dtype.kind != "f":
        return out, None
    return out, _extremum_weights(a, b, a > b, a < b, out.dtype)


def mean(xs: list, ctx: tuple) -> tuple:
    """The mean over ctx[0] (ctx = (axes, kept shape or None, count)) as one reduction and one
    division in the input's float type; float16 keeps numpy's float32 accumulation."""
    x = xs[0]
    if x.dtype.kind == "f" and x.dtype.itemsize >= 4:
        return np.add.reduce(x, axis=ctx[0], keepdims=ctx[1] is None) / ctx[2], ctx
    return x.mean(axis=ctx[0], keepdims=ctx[1] is None), ctx


def linear(xs: list, ctx: Any) -> tuple:
    """x @ W.T (+ b) for W of shape (out, in): the bias is added into the fresh product when the
    dtypes agree, so the result equals ``x @ W.T + b`` bit for bit with one array fewer."""
    out = np.matmul(xs[0], xs[1].T)
    if len(xs) == 3:
        b = xs[2]
        if b.dtype == out.dtype:
            out += b
        else:
            out = out + b
    return out, ctx


def nll(xs: list, ctx: tuple) -> tuple:
    """-sum(x[index]) / divisor, ctx = (index, divisor): the divisor is the count for a mean, else 1.
    Equal bit for bit to ``(-x[index]).mean()`` (or ``.sum()``), in one node instead of three."""
    index, divisor = ctx
    return -(xs[0][index].sum()) / divisor, ctx


def cross_entropy(xs: list, ctx: tuple) -> tuple:
    """The log-softmax (last axis) and nll kernels in one node, ctx = (index, divisor, ...); the
    rule's ctx adds softmax(x) = exp(log_softmax(x)), so its gradient equals the two nodes' bit for bit."""
    index, divisor = ctx[0], ctx[1]
    logp = log_softmax(xs, -1)[0]
    return nll([logp], (index, divisor))[0], (index, divisor, np.exp(logp))


KERNELS = {
    "sigmoid": sigmoid,
    "clip": clip,
    "max": extreme(np.max),
    "min": extreme(np.min),
    "logsumexp": logsumexp,
    "softmax": softmax,
    "log_softmax": log_softmax,
    "maximum": maximum,
    "minimum": minimum,
    "nll": nll,
    "cross_entropy": cross_entropy,
    "linear": linear,
    "mean": mean,
}
