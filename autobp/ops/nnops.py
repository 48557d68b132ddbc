"""Neural-network functions that are one node each: softmax, log_softmax, linear, nll, cross_entropy."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _kernels
from .._autocast import lower as _autocast_lower
from .._autocast import on_threads as _autocast_threads
from .._autocast import state as _autocast
from .._broadcast import ShapeError, one_axis
from ..rules import rule
from ..tensor import Tensor
from ._args import as_tensor, axis_arg, refuse_complex
from ._decl import op

_N = "nn"


def _scalar_dim(x: Tensor, axis: Any, dim: Any) -> bool:
    """PyTorch (and scipy.special) read dim 0 or -1 of a 0-d tensor as its one element:
    torch.softmax(t0, 0) is 1 and torch.log_softmax(t0, -1) is 0."""
    a = axis if dim is None else dim
    return x.ndim == 0 and isinstance(a, int) and a in (0, -1)


def _cast(x: Tensor, dtype: Any) -> Tensor:
    return x if dtype is None or np.dtype(dtype) == x.dtype else x.astype(dtype)


@op(family=_N, numpy=None)
def softmax(x: Any, axis: int = -1, *, dim: Any = None, dtype: Any = None) -> Tensor:
    """exp(x) / sum(exp(x)) along ``axis``, shifted by the maximum so it never overflows.

    ``dtype`` (PyTorch's): the input is cast to it first."""
    x = _cast(as_tensor(x), dtype)
    refuse_complex(x, "softmax")  # shifted by the maximum, which needs an order (PyTorch refuses too)
    if _scalar_dim(x, axis, dim):
        return softmax(x.reshape(1), 0).reshape(())
    (a,) = one_axis(axis_arg(axis if dim is None else None, dim, "softmax"), x.ndim, "softmax", x.shape)
    if x.shape[a] == 0:  # nothing to normalise over: an empty result, as PyTorch's
        return Tensor._make(np.exp(x._data), (x,), "softmax", a)
    return Tensor._make(_kernels.softmax([x._data], a)[0], (x,), "softmax", a)


@op(family=_N, numpy=None)
def log_softmax(x: Any, axis: int = -1, *, dim: Any = None, dtype: Any = None) -> Tensor:
    """x - logsumexp(x) along ``axis``, stable for any x; ``dtype`` (PyTorch's): the input is cast to
    it first."""
    x = _cast(as_tensor(x), dtype)
    refuse_complex(x, "log_softmax")
    if _scalar_dim(x, axis, dim):
        return log_softmax(x.reshape(1), 0).reshape(())
    (a,) = one_axis(
        axis_arg(axis if dim is None else None, dim, "log_softmax"), x.ndim, "log_softmax", x.shape
    )
    if x.shape[a] == 0:  # nothing to normalise over: an empty result, as PyTorch's
        return Tensor._make(np.exp(x._data), (x,), "log_softmax", a)
    return Tensor._make(_kernels.log_softmax([x._data], a)[0], (x,), "log_softmax", a)


@op(family=_N, numpy=None, method=False)
def linear(x: Any, weight: Any, bias: Any = None) -> Tensor:
    """x @ weight.T + bias as one node (nn.Linear's forward); weight is (out, in), bias (out,)."""
    x, weight = as_tensor(x), as_tensor(weight)
    bias = None if bias is None else as_tensor(bias)
    if _autocast_threads and _autocast.enabled:  # autobp.autocast: float32 operands to float16
        x, weight, bias = _autocast_lower(x, weight, bias)
    ws, xs = weight._data.shape, x._data.shape  # read once: nn.Linear pays these checks per layer
    if len(ws) != 2:
        raise ValueError(f"linear: weight must be 2-D (out, in), got shape {ws}")
    if not xs or xs[-1] != ws[1]:
        rows = int(np.prod(xs[:-1])) if xs else 1
        raise ShapeError(
            f"linear: input of shape {xs} must have {ws[1]} as its last dimension (weight {ws}; PyTorch: "
            f"mat1 and mat2 shapes cannot be multiplied ({rows}x{xs[-1] if xs else 1} and {ws[1]}x{ws[0]}))"
        )
    if bias is not None and bias._data.shape != ws[:1]:
        raise ValueError(f"linear: bias of shape {bias.shape} must be ({ws[0]},) for weight {ws}")
    if bias is None:
        parents, arrays = (x, weight), (x._data, weight._data)
    else:
        parents, arrays = (x, weight, bias), (x._data, weight._data, bias._data)
    return Tensor._make(_kernels.linear(arrays, None)[0], parents, "linear")


def nll(log_probs: Tensor, index: tuple, divisor: int) -> Tensor:
    """-sum(log_probs[index]) / divisor as one node (cross_entropy's last step); ``index`` must be
    a normalised index (a tuple of ints, slices or integer arrays), ``divisor`` a positive count."""
    refuse_complex(log_probs, "nll")
    out, ctx = _kernels.nll([log_probs._data], (index, divisor))
    return Tensor._make(out, (log_probs,), "nll", ctx)


def cross_entropy(logits: Tensor, index: tuple, divisor: int) -> Tensor:
    """-sum(log_softmax(logits, -1)[index]) / divisor as one node (``nn.functional.cross_entropy``);
    ``index`` must pick one class in each row, as ``(arange(N), targets)`` or ``(target,)`` does."""
    refuse_complex(logits, "cross_entropy")
    out, ctx = _kernels.cross_entropy([logits._data], (index, divisor))
    return Tensor._make(out, (logits,), "cross_entropy", ctx)


# --- rules ---------------------------------------------------------------------------------
@rule("softmax")  # ctx = axis
def _softmax(F, g, out, xs, ctx, need):
    return (out * (g - (g * out).sum(axis=ctx, keepdims=True)),)


@rule("log_softmax")  # ctx = axis
def _log_softmax(F, g, out, xs, ctx, need):
    return (g - F.exp(out) * g.sum(axis=ctx, keepdims=True),)


@rule("linear")  # out = x @ W.T (+ b), W of shape (out, in): nn.Linear as one node
def _linear(F, g, out, xs, ctx, need):
    x, W = xs[0], xs[1]
    if out.dtype.kind == "c":  # bilinear: each input's gradient uses the other's conjugate
        x, W = F.conj(x), F.conj(W)
    gx = g @ W if need[0] else None
    gW = None
    if need[1] and g.ndim == 2:  # (N, out).T @ (N, in)
        gW = g.T @ x
    elif need[1]:  # summed over every leading axis of x
        gW = g.reshape(-1, g.shape[-1]).T @ x.reshape(-1, x.shape[-1])
    if len(xs) == 2:
        return gx, gW
    return gx, gW, (g if need[2] else None)  # the engine sums g over the leading axes for b


@rule("nll")  # ctx = (index, divisor): out = -sum(x[index]) / divisor
def _nll(F, g, out, xs, ctx, need):
    return (F.scatter_add(-g / ctx[1], ctx[0], xs[0].shape),)


@rule("cross_entropy")  # ctx = (index, divisor, softmax(x)): out = -sum(log_softmax(x)[index]) / divisor
def _cross_entropy(F, g, out, xs, ctx, need):
    index, divisor, p = ctx  # index picks one class per row: the gradient is (p - onehot) * g / divisor
    s = g / divisor
    return (F.saved(p, lambda: xs[0].softmax(axis=-1)) * s - F.scatter_add(s, index, p.shape),)
