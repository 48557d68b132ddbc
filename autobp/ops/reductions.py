"""Reductions over any axes (sum, mean, max/amax, min/amin, ptp, logsumexp, nansum, nanmean, nanmax,
nanmin; any, all, argmax, argmin, count_nonzero without gradient) with their rules; ``axis`` and
``keepdims`` as numpy spells them, ``dim``/``keepdim`` as PyTorch does."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _kernels
from .._broadcast import count, full_reduction, reduction_axes, reduction_ctx
from ..rules import RULES, holomorphic, rule
from ..tensor import Tensor
from . import reduction_initial as _init
from ._args import as_tensor, axis_arg, keep_arg, refuse_complex
from ._decl import op
from ._nan_helpers import _nan_extreme, _nan_reduction, _numpy_extras, _share_dtype
from ._reduction_torch import EmptyReductionError, _elementwise
from .reduction_keywords import into_out, masked_mean, takes_out

_R = "reductions"


def _array_out() -> Any:
    """``out=`` that makes a ufunc return a 0-d array, not a numpy scalar: ``...`` where numpy
    (>= 2.3) has it, else None (a scalar, which ``Tensor._make`` then wraps at a cost)."""
    try:
        np.add.reduce(np.zeros(1), None, out=...)
    except TypeError:
        return None
    return ...


_ARRAY_OUT = _array_out()


@op(family=_R)
def sum(  # noqa: A001
    x: Any,
    axis: Any = None,
    keepdims: bool = False,
    *,
    dim: Any = None,
    keepdim: Any = None,
    dtype: Any = None,
    initial: Any = None,
    where: Any = True,
    out: Any = None,
) -> Tensor:
    """Sum over ``axis`` (all axes by default); ``dtype=`` sums in that dtype (numpy's and PyTorch's
    keyword: the input is cast first, and its gradient cast back); numpy's ``initial=`` is added in,
    ``where=`` sums the selected elements only; ``out=`` takes the result."""
    if out is not None:
        result = sum(x, axis, keepdims, dim=dim, keepdim=keepdim, dtype=dtype, initial=initial, where=where)
        return into_out(result, out, "sum")
    if type(x) is not Tensor:
        x = as_tensor(x)
    if dtype is not None:
        x = x.astype(np.dtype(dtype))
    if initial is not None or where is not True:
        axes = reduction_axes(axis_arg(axis, dim, "sum"), x.ndim, "sum", x.shape)
        return _init.sum_or_prod(x, axes, keep_arg(keepdims, keepdim), initial, where, "sum", dtype)
    if axis is None and keepdims is False and dim is None and keepdim is None:
        data = x._data  # the usual loss reduction; np.add.reduce is ndarray.sum less its Python wrapper
        total = np.add.reduce(data, None, None if dtype is None else x.dtype, out=_ARRAY_OUT)
        return Tensor._make(total, (x,), "sum", full_reduction(data.ndim))
    axis, keepdims = axis_arg(axis, dim, "sum"), keep_arg(keepdims, keepdim)
    axes = reduction_axes(axis, x.ndim, "sum", x.shape)
    ctx = reduction_ctx(axes, keepdims, x.shape)
    kept = None if dtype is None else x.dtype  # dtype=int16 stays int16, as numpy's
    return Tensor._make(x._data.sum(axis=axes, keepdims=keepdims, dtype=kept), (x,), "sum", ctx)


@op(family=_R)
def mean(
    x: Any,
    axis: Any = None,
    keepdims: bool = False,
    *,
    dim: Any = None,
    keepdim: Any = None,
    dtype: Any = None,
    out: Any = None,
    where: Any = True,
) -> Tensor:
    """Arithmetic mean over ``axis`` (all axes by default), in ``dtype`` if given (numpy's and
    PyTorch's keyword: the input is cast first).

    numpy's ``where=``: only the selected elements are counted (the others get a zero gradient);
    ``out=``: the result written into that Tensor (or array), which is returned."""
    x = as_tensor(x)
    if dtype is not None:
        x = x.astype(np.dtype(dtype))
    axis, keepdims = axis_arg(axis, dim, "mean"), keep_arg(keepdims, keepdim)
    axes = reduction_axes(axis, x.ndim, "mean", x.shape)
    if where is not True:
        return into_out(masked_mean(x, axes, keepdims, where), out, "mean")
    data, ctx = _kernels.mean([x._data], reduction_ctx(axes, keepdims, x.shape, count(x.shape, axes)))
    result = Tensor._make(data, (x,), "mean", ctx)
    if dtype is not None and result.dtype != x.dtype:  # numpy: an integer dtype= truncates the mean
        result = result.astype(x.dtype)
    return into_out(result, out, "mean")


def _extreme(
    x: Any,
    axis: Any,
    keepdims: bool,
    dim: Any,
    keepdim: Any,
    op: str,
    name: str,
    initial: Any = None,
    where: Any = True,
) -> Tensor:
    """max or min (``op``, the recorded rule) for the public op ``name``; numpy's initial=/where=."""
    x = as_tensor(x)
    refuse_complex(x, name)
    axis, keepdims = axis_arg(axis, dim, name), keep_arg(keepdims, keepdim)
    axes = reduction_axes(axis, x.ndim, name, x.shape)
    if initial is not None or where is not True:
        return _init.extreme(x, axes, keepdims, initial, where, op, name)
    for a in axes:
        if x.shape[a] == 0:
            raise EmptyReductionError(f"{name}: cannot reduce over empty axis {a} of shape {x.shape}")
    out, ctx = _kernels.KERNELS[op]([x._data], reduction_ctx(axes, keepdims, x.shape))
    return Tensor._make(out, (x,), op, ctx)


_TORCH_MAX = (
    "torch.{0}(x, dim) returns (values, indices) and gives a tie's whole gradient to the one index it "
    "returns; autobp's {0}(x, axis) (also spelt dim=) returns the values only, as numpy's does, and "
    "splits a tie's gradient equally, like torch.a{0}"
)


@op(family=_R, numpy=(np.max,), rules=("max", "maximum"), differs=_TORCH_MAX.format("max"))
def max(  # noqa: A001
    x: Any,
    axis: Any = None,
    keepdims: bool = False,
    *,
    dim: Any = None,
    keepdim: Any = None,
    initial: Any = None,
    where: Any = True,
    out: Any = None,
) -> Tensor:
    """Largest element(s) (values only, numpy's meaning); tied maxima share the gradient equally.

    ``max(x, other)`` with a Tensor ``other`` is PyTorch's elementwise ``maximum(x, other)``."""
    if isinstance(axis, Tensor):
        return _elementwise(x, axis, keepdims, dim, keepdim, "max")
    return into_out(_extreme(x, axis, keepdims, dim, keepdim, "max", "max", initial, where), out, "max")


@op(family=_R, numpy=(np.min,), rules=("min", "minimum"), differs=_TORCH_MAX.format("min"))
def min(  # noqa: A001
    x: Any,
    axis: Any = None,
    keepdims: bool = False,
    *,
    dim: Any = None,
    keepdim: Any = None,
    initial: Any = None,
    where: Any = True,
    out: Any = None,
) -> Tensor:
    """Smallest element(s) (values only, numpy's meaning); tied minima share the gradient equally.

    ``min(x, other)`` with a Tensor ``other`` is PyTorch's elementwise ``minimum(x, other)``."""
    if isinstance(axis, Tensor):
        return _elementwise(x, axis, keepdims, dim, keepdim, "min")
    return into_out(_extreme(x, axis, keepdims, dim, keepdim, "min", "min", initial, where), out, "min")


@op(family=_R, rules=("max",), numpy=(np.amax,))
def amax(
    x: Any,
    axis: Any = None,
    keepdims: bool = False,
    *,
    dim: Any = None,
    keepdim: Any = None,
    initial: Any = None,
    where: Any = True,
    out: Any = None,
) -> Tensor:
    """Largest element(s), as ``max``; tied maxima share the gradient equally (as torch.amax)."""
    return into_out(_extreme(x, axis, keepdims, dim, keepdim, "max", "amax", initial, where), out, "amax")


@op(family=_R, rules=("min",), numpy=(np.amin,))
def amin(
    x: Any,
    axis: Any = None,
    keepdims: bool = False,
    *,
    dim: Any = None,
    keepdim: Any = None,
    initial: Any = None,
    where: Any = True,
    out: Any = None,
) -> Tensor:
    """Smallest element(s), as ``min``; tied minima share the gradient equally (as torch.amin)."""
    return into_out(_extreme(x, axis, keepdims, dim, keepdim, "min", "amin", initial, where), out, "amin")


@op(family=_R, rules=("max", "min", "sub"))
def ptp(
    x: Any, axis: Any = None, keepdims: bool = False, *, dim: Any = None, keepdim: Any = None, out: Any = None
) -> Tensor:
    """Range, max - min, over ``axis`` (numpy's "peak to peak"); ties split as in max and min."""
    x = as_tensor(x)
    if x.dtype == bool:
        raise TypeError("ptp: boolean tensors have no subtraction (numpy refuses them too)")
    hi = _extreme(x, axis, keepdims, dim, keepdim, "max", "ptp")
    return into_out(hi - _extreme(x, axis, keepdims, dim, keepdim, "min", "ptp"), out, "ptp")


@op(family=_R, numpy=None)
def logsumexp(
    x: Any, axis: Any = None, keepdims: bool = False, *, dim: Any = None, keepdim: Any = None, out: Any = None
) -> Tensor:
    """log(sum(exp(x))) over ``axis``, computed without overflow; complex x too, as PyTorch's
    (the principal log of the sum, shifted by the largest real part); ``out=`` takes the result."""
    if out is not None:
        return into_out(logsumexp(x, axis, keepdims, dim=dim, keepdim=keepdim), out, "logsumexp")
    x = as_tensor(x)
    if x.dtype.kind in "biu":  # integers and booleans: in float64, as PyTorch's (its default dtype)
        x = x.astype(np.float64)  # and scipy's do, not in numpy's exp dtype (float16 for int8)
    axis, keepdims = axis_arg(axis, dim, "logsumexp"), keep_arg(keepdims, keepdim)
    axes = reduction_axes(axis, x.ndim, "logsumexp", x.shape)
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


@rule("logsumexp")  # d/dx = softmax(x) = exp(x - out); complex: its conjugate
@holomorphic
def _logsumexp(F, g, out, xs, ctx, need):
    return (expand_reduced(g, ctx) * F.exp(xs[0] - expand_reduced(out, ctx)),)


# --- NaN-ignoring reductions -------------------------------------------------------------------
@op(family=_R)
@takes_out
def nansum(
    x: Any,
    axis: Any = None,
    dtype: Any = None,
    out: Any = None,
    keepdims: bool = False,
    initial: Any = None,
    where: Any = True,
    *,
    dim: Any = None,
    keepdim: Any = None,
) -> Tensor:
    """Sum over ``axis`` treating NaN as 0 (numpy's ``initial=`` added, ``where=`` elements only);
    the gradient at a NaN is 0."""
    x, axes, keepdims, data, present = _nan_reduction(
        x, axis, dtype, out, keepdims, dim, keepdim, "nansum", where
    )
    ctx = reduction_ctx(axes, keepdims, x.shape, present.astype(_share_dtype(data)))
    kept = None if dtype is None else data.dtype
    value = np.nansum(data, axis=axes, keepdims=keepdims, dtype=kept, **_numpy_extras(initial, where))
    return Tensor._make(value, (x,), "nansum", ctx)


@op(family=_R)
@takes_out
def nanmean(
    x: Any,
    axis: Any = None,
    dtype: Any = None,
    out: Any = None,
    keepdims: bool = False,
    *,
    where: Any = True,
    dim: Any = None,
    keepdim: Any = None,
) -> Tensor:
    """Mean over ``axis`` of the elements that are not NaN (and, with numpy's ``where=``, selected);
    the gradient at a NaN is 0."""
    x, axes, keepdims, data, present = _nan_reduction(
        x, axis, dtype, out, keepdims, dim, keepdim, "nanmean", where
    )
    counted = np.maximum(present.sum(axis=axes, keepdims=True), 1)
    ctx = reduction_ctx(axes, keepdims, x.shape, (present / counted).astype(_share_dtype(data)))
    with np.errstate(invalid="ignore", divide="ignore"):
        value = (
            np.nanmean(data, axis=axes, keepdims=keepdims, **_numpy_extras(None, where))
            if x.size
            else np.mean(data, axis=axes, keepdims=keepdims)
        )
    return Tensor._make(value, (x,), "nanmean", ctx)


@op(family=_R)
@takes_out
def nanmax(
    x: Any,
    axis: Any = None,
    out: Any = None,
    keepdims: bool = False,
    initial: Any = None,
    where: Any = True,
    *,
    dim: Any = None,
    keepdim: Any = None,
) -> Tensor:
    """Largest element over ``axis`` ignoring NaN (NaN where all are NaN); ties split the gradient.

    numpy's ``initial=`` takes part in the comparison, ``where=`` leaves elements out."""
    return _nan_extreme(x, axis, out, keepdims, dim, keepdim, "nanmax", np.max, -np.inf, initial, where)


@op(family=_R)
@takes_out
def nanmin(
    x: Any,
    axis: Any = None,
    out: Any = None,
    keepdims: bool = False,
    initial: Any = None,
    where: Any = True,
    *,
    dim: Any = None,
    keepdim: Any = None,
) -> Tensor:
    """Smallest element over ``axis`` ignoring NaN (NaN where all are NaN); ties split the gradient.

    numpy's ``initial=`` takes part in the comparison, ``where=`` leaves elements out."""
    return _nan_extreme(x, axis, out, keepdims, dim, keepdim, "nanmin", np.min, np.inf, initial, where)


# nansum, nanmean, nanmax and nanmin weight g by a constant share of each element (ctx[2]), as
# max and min do
for _name in ("nansum", "nanmean", "nanmax", "nanmin"):
    RULES[_name] = _max
