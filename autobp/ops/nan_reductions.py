"""numpy's NaN-ignoring reductions beyond nansum/nanmean/nanmax/nanmin (in reductions.py): nanprod,
nanvar, nanstd, nancumsum, nancumprod (NaN counts as the operation's identity, its gradient is 0 as
in torch.nansum), and nanargmax/nanargmin (indices, numpy's error on an all-NaN slice)."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .._broadcast import normalize_axes
from ..tensor import Tensor
from ._args import as_tensor, axis_arg, keep_arg
from ._decl import op
from ._nan_helpers import inexact_dtype
from .elementwise import where
from .reduction_keywords import complex_dtype, takes_out
from .scans import _typed

_N = "nan_reductions"


def _nan_mask(data: np.ndarray) -> np.ndarray:
    """True at NaN (a complex number with a NaN part counts, as in numpy's nan-functions)."""
    return np.isnan(data) if data.dtype.kind in "fc" else np.zeros(data.shape, bool)


def _filled(x: Tensor, fill: float, where_: Any = None) -> tuple:
    """x with ``fill`` at its NaNs (and where ``where_`` is False): the gradient there is 0."""
    skip = _nan_mask(x._data)
    if where_ is not None:
        keep = np.broadcast_to(
            np.asarray(where_._data if isinstance(where_, Tensor) else where_, bool), x.shape
        )
        skip = skip | ~keep
    return (where(skip, fill, x) if skip.any() else x), skip


@op(family=_N, rules=("where", "prod", "mul"), method=False)
@takes_out
def nanprod(
    a: Any,
    axis: Any = None,
    dtype: Any = None,
    out: Any = None,
    keepdims: bool = False,
    initial: Any = None,
    where: Any = None,  # noqa: A002  numpy's keyword
    *,
    dim: Any = None,
    keepdim: Any = None,
) -> Tensor:
    """Product over ``axis`` treating NaN as 1; the gradient at a NaN is 0."""
    from .statistics import prod

    x = as_tensor(a)
    filled, _ = _filled(x, 1.0, where)
    axis, keepdims = axis_arg(axis, dim, "nanprod"), keep_arg(keepdims, keepdim)
    result = prod(filled, axis=axis, dtype=dtype, out=out, keepdims=keepdims)
    return result if initial is None else result * initial


def _var(a, axis, dtype, out, ddof, keepdims, where_, mean, correction, name) -> Tensor:
    """numpy's nanvar: the mean of the present elements, squared deviations (NaN ones set to 0
    BEFORE squaring, so no NaN meets a gradient), summed, over count - ddof; NaN (with numpy's
    warning) where that is <= 0."""
    from .complex_parts import conj, real
    from .reductions import sum as _sum

    if out is not None:
        raise TypeError(f"{name}: out= is not supported (Tensors are not written in place by ops)")
    inexact_dtype(as_tensor(a), dtype, name)
    if correction is not None:
        if ddof != 0:
            raise ValueError(f"{name}: ddof and correction can't be provided simultaneously.")
        ddof = correction
    x = as_tensor(a)
    if dtype is not None:
        x = x.astype(np.dtype(dtype))
    elif x.dtype.kind in "biu":
        x = x.astype(np.float64)
    axes = normalize_axes(axis, x.ndim, name, x.shape)
    filled, skip = _filled(x, 0.0, where_)
    count = np.sum(~skip, axis=axes, keepdims=True)
    if mean is None:
        # an all-NaN slice divides by 1: its deviations are all set to 0 below, so the mean is unused
        avg = _sum(filled, axis=axes, keepdims=True) / np.maximum(count, 1).astype(x._data.real.dtype)
    else:
        avg = as_tensor(mean)
    dev = filled - avg
    if skip.any():
        dev = where(skip, 0.0, dev)
    sq = real(dev * conj(dev)) if dev.dtype.kind == "c" else dev * dev
    dof = count - ddof
    bad = dof <= 0  # divided by 1 and then replaced by NaN: no inf or NaN meets a gradient
    var = _sum(sq, axis=axes, keepdims=True) / np.where(bad, 1, dof).astype(sq.dtype)
    if bad.any():
        warnings.warn("Degrees of freedom <= 0 for slice.", RuntimeWarning, stacklevel=3)
        var = where(bad, np.nan, var)
    return var if keepdims else var.reshape(tuple(s for i, s in enumerate(var.shape) if i not in axes))


@op(family=_N, rules=("where", "sub", "mul", "sum", "div", "real", "conj"), method=False)
@takes_out
def nanvar(
    a: Any,
    axis: Any = None,
    dtype: Any = None,
    out: Any = None,
    ddof: Any = 0,
    keepdims: bool = False,
    *,
    where: Any = None,  # noqa: A002  numpy's keyword
    mean: Any = None,
    correction: Any = None,
) -> Tensor:
    """Variance over ``axis`` of the elements that are not NaN (``ddof``: divide by count - ddof).

    The gradient at a NaN is 0; a slice with count - ddof <= 0 gives NaN with numpy's warning."""
    return complex_dtype(_var(a, axis, dtype, out, ddof, keepdims, where, mean, correction, "nanvar"), dtype)


@op(family=_N, rules=("where", "sub", "mul", "sum", "div", "real", "conj", "sqrt"), method=False)
@takes_out
def nanstd(
    a: Any,
    axis: Any = None,
    dtype: Any = None,
    out: Any = None,
    ddof: Any = 0,
    keepdims: bool = False,
    *,
    where: Any = None,  # noqa: A002  numpy's keyword
    mean: Any = None,
    correction: Any = None,
) -> Tensor:
    """Standard deviation over ``axis`` of the elements that are not NaN (sqrt of nanvar)."""
    from .elementwise import sqrt

    return complex_dtype(
        sqrt(_var(a, axis, dtype, out, ddof, keepdims, where, mean, correction, "nanstd")), dtype
    )


@op(family=_N, rules=("where", "cumsum"), method=False)
@takes_out
def nancumsum(a: Any, axis: Any = None, dtype: Any = None, out: Any = None, *, dim: Any = None) -> Tensor:
    """Running sum along ``axis`` (flattened if None) treating NaN as 0; the gradient at a NaN is 0."""
    from .scans import cumsum

    x = _typed(as_tensor(a), None, out, "nancumsum")  # NaN filled before any cast (numpy's order)
    return cumsum(_filled(x, 0.0)[0], axis=axis_arg(axis, dim, "nancumsum"), dtype=dtype)


@op(family=_N, rules=("where", "cumprod"), method=False)
@takes_out
def nancumprod(a: Any, axis: Any = None, dtype: Any = None, out: Any = None, *, dim: Any = None) -> Tensor:
    """Running product along ``axis`` (flattened if None) treating NaN as 1; gradient 0 at a NaN."""
    from .scans import cumprod

    x = _typed(as_tensor(a), None, out, "nancumprod")  # NaN filled before any cast (numpy's order)
    return cumprod(_filled(x, 1.0)[0], axis=axis_arg(axis, dim, "nancumprod"), dtype=dtype)


def _nan_arg(a: Any, axis: Any, out: Any, keepdims: bool, fn: Any, name: str) -> Tensor:
    if out is not None:
        raise TypeError(f"{name}: out= is not supported (Tensors are not written in place by ops)")
    x = as_tensor(a)
    data = x._data
    if axis is not None:
        normalize_axes(axis, x.ndim, name, x.shape)
    if data.size and _nan_mask(data).all(axis=axis).any():
        raise ValueError(f"{name}: All-NaN slice encountered (input of shape {x.shape}, axis={axis})")
    if data.size == 0 and (axis is None or data.shape[axis] == 0):
        raise ValueError(
            f"{name}: attempt to get {name[3:]} of an empty sequence (shape {x.shape}, axis={axis})"
        )
    return Tensor._const(np.asarray(fn(data, axis=axis, keepdims=keepdims)))


@op(family=_N, differentiable=False, method=False)
@takes_out
def nanargmax(a: Any, axis: Any = None, out: Any = None, *, keepdims: bool = False) -> Tensor:
    """Index of the largest element over ``axis`` ignoring NaN (no gradient; all-NaN raises)."""
    return _nan_arg(a, axis, out, keepdims, np.nanargmax, "nanargmax")


@op(family=_N, differentiable=False, method=False)
@takes_out
def nanargmin(a: Any, axis: Any = None, out: Any = None, *, keepdims: bool = False) -> Tensor:
    """Index of the smallest element over ``axis`` ignoring NaN (no gradient; all-NaN raises)."""
    return _nan_arg(a, axis, out, keepdims, np.nanargmin, "nanargmin")
