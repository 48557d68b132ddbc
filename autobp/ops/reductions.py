"""Reductions over any axes (sum, mean, max, min, logsumexp) with their rules; ``axis``/``keepdims``
as numpy spells them, ``dim``/``keepdim`` as PyTorch does."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _kernels
from .._broadcast import count, full_reduction, normalize_axes, reduction_ctx
from ..rules import RULES, rule
from ..tensor import Tensor
from ._args import as_tensor, axis_arg, keep_arg
from ._decl import op

_R = "reductions"


@op(family=_R)
def sum(  # noqa: A001
    x: Any, axis: Any = None, keepdims: bool = False, *, dim: Any = None, keepdim: Any = None
) -> Tensor:
    """Sum over ``axis`` (all axes by default)."""
    if type(x) is not Tensor:
        x = as_tensor(x)
    if axis is None and keepdims is False and dim is None and keepdim is None:
        data = x._data  # the usual loss reduction; np.add.reduce is ndarray.sum less its Python wrapper
        return Tensor._make(np.add.reduce(data, None), (x,), "sum", full_reduction(data.ndim))
    axis, keepdims = axis_arg(axis, dim, "sum"), keep_arg(keepdims, keepdim)
    axes = normalize_axes(axis, x.ndim, "sum", x.shape)
    ctx = reduction_ctx(axes, keepdims, x.shape)
    return Tensor._make(x._data.sum(axis=axes, keepdims=keepdims), (x,), "sum", ctx)


@op(family=_R)
def mean(x: Any, axis: Any = None, keepdims: bool = False, *, dim: Any = None, keepdim: Any = None) -> Tensor:
    """Arithmetic mean over ``axis`` (all axes by default)."""
    x = as_tensor(x)
    axis, keepdims = axis_arg(axis, dim, "mean"), keep_arg(keepdims, keepdim)
    axes = normalize_axes(axis, x.ndim, "mean", x.shape)
    if x.size == 0:
        raise ValueError(f"mean: tensor of shape {x.shape} is empty")
    out, ctx = _kernels.mean([x._data], reduction_ctx(axes, keepdims, x.shape, count(x.shape, axes)))
    return Tensor._make(out, (x,), "mean", ctx)


def _extreme(x: Any, axis: Any, keepdims: bool, dim: Any, keepdim: Any, op: str) -> Tensor:
    x = as_tensor(x)
    axis, keepdims = axis_arg(axis, dim, op), keep_arg(keepdims, keepdim)
    axes = normalize_axes(axis, x.ndim, op, x.shape)
    for a in axes:
        if x.shape[a] == 0:
            raise ValueError(f"{op}: cannot reduce over empty axis {a} of shape {x.shape}")
    out, ctx = _kernels.KERNELS[op]([x._data], reduction_ctx(axes, keepdims, x.shape))
    return Tensor._make(out, (x,), op, ctx)


@op(family=_R, numpy=(np.max, np.amax))
def max(  # noqa: A001
    x: Any, axis: Any = None, keepdims: bool = False, *, dim: Any = None, keepdim: Any = None
) -> Tensor:
    """Largest element(s) (values only, numpy's meaning); tied maxima share the gradient equally."""
    return _extreme(x, axis, keepdims, dim, keepdim, "max")


@op(family=_R, numpy=(np.min, np.amin))
def min(  # noqa: A001
    x: Any, axis: Any = None, keepdims: bool = False, *, dim: Any = None, keepdim: Any = None
) -> Tensor:
    """Smallest element(s) (values only, numpy's meaning); tied minima share the gradient equally."""
    return _extreme(x, axis, keepdims, dim, keepdim, "min")


@op(family=_R, numpy=None)
def logsumexp(
    x: Any, axis: Any = None, keepdims: bool = False, *, dim: Any = None, keepdim: Any = None
) -> Tensor:
    """log(sum(exp(x))) over ``axis``, computed without overflow."""
    x = as_tensor(x)
    axis, keepdims = axis_arg(axis, dim, "logsumexp"), keep_arg(keepdims, keepdim)
    axes = normalize_axes(axis, x.ndim, "logsumexp", x.shape)
    out, ctx = _kernels.logsumexp([x._data], reduction_ctx(axes, keepdims, x.shape))
    return Tensor._make(out, (x,), "logsumexp", ctx)


# --- rules: ctx = (axes, kept shape or None if keepdims, extra) ------------------------------
def expand_reduced(g: Any, ctx: tuple) -> Any:
    """Put back the reduced axes of ``g`` (as size 1) so it broadcasts against the input."""
    return g if ctx[1] is None or g.ndim == 0 else g.reshape(ctx[1])  # a 0-d g broadcasts as it is


@rule("sum")
def _sum(F, g, out, xs, ctx, need):
    return (F.broadcast_to(expand_reduced(g, ctx), xs[0].shape),)


@rule("mean")  # ctx[2] = number of elements averaged
def _mean(F, g, out, xs, ctx, need):
    return (F.broadcast_to(expand_reduced(g, ctx) / ctx[2], xs[0].shape),)


@rule("max")  # ctx[2]: each element's share of g; ties split it equally
def _max(F, g, out, xs, ctx, need):
    return (expand_reduced(g, ctx) * ctx[2],)


RULES["min"] = _max


@rule("logsumexp")
def _logsumexp(F, g, out, xs, ctx, need):
    return (expand_reduced(g, ctx) * F.exp(xs[0] - expand_reduced(out, ctx)),)
