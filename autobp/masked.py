"""PyTorch's ``torch.masked`` reductions and normalisations on a plain Tensor with a boolean ``mask``.

Each function replaces the masked-out elements (``mask`` False, broadcast to the input's shape) with the
operation's identity (0 for sum, 1 for prod, -inf for amax/logsumexp/softmax, +inf for amin/softmin, ...)
and applies the ordinary autobp op, so gradients flow by composition (to any order) and masked-out elements
get a zero gradient (var/std's nan gradients aside, as PyTorch's). A fully masked-out reduction gives
the identity (sum 0, amax -inf, ...) or nan where there is none (mean, var, median), as torch 2.x's.
``mask=None`` means every element counts. Only the Tensor-and-mask API, not torch's MaskedTensor class."""

from __future__ import annotations

import operator
from typing import Any

import numpy as np

from . import linalg as _la
from .ops import amax as _amax
from .ops import amin as _amin
from .ops import argmax as _argmax
from .ops import argmin as _argmin
from .ops import cumprod as _cumprod
from .ops import cumsum as _cumsum
from .ops import isnan, maximum, sort, sqrt, take_along_axis, where
from .ops import log_softmax as _log_softmax
from .ops import logaddexp as _logaddexp
from .ops import logsumexp as _logsumexp
from .ops import prod as _prod
from .ops import softmax as _softmax
from .ops import sum as _sum
from .ops._args import as_tensor
from .tensor import Tensor

_SMALL_INTS = ("bool", "uint8", "int8", "int16", "int32")


def _dtype(dtype: Any, default: Any) -> np.dtype:
    return np.dtype(default if dtype is None else dtype)


def _dims(dim: Any, ndim: int, who: str) -> tuple[int, ...]:
    """dim as a sorted tuple of non-negative axes (None or () meaning all, as torch.masked's)."""
    if dim is None or dim == ():
        return tuple(range(ndim))
    dims = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
    out = []
    for d in dims:
        d = operator.index(d)
        if not -max(ndim, 1) <= d < max(ndim, 1):
            raise IndexError(f"{who}: dim {d} out of range for a tensor of {ndim} dimensions")
        d = d % max(ndim, 1)
        if d in out:
            raise RuntimeError(f"{who}: dim {d} appears more than once in {dim!r}")
        out.append(d)
    return tuple(sorted(out)) if ndim else ()


def _mask(x: Tensor, mask: Any, who: str) -> np.ndarray | None:
    """The boolean mask broadcast to x's shape (None: no mask)."""
    if mask is None:
        return None
    m = np.asarray(mask.numpy() if isinstance(mask, Tensor) else mask)
    if m.ndim > x.ndim:
        raise IndexError(f"{who}: a mask of shape {m.shape} has more dimensions than the input's {x.shape}")
    try:
        return np.broadcast_to(m.astype(bool), x.shape)
    except ValueError:
        raise ValueError(
            f"{who}: mask of shape {m.shape} does not broadcast to the input's {x.shape}"
        ) from None


def _fill(x: Tensor, m: np.ndarray | None, value: Any) -> Tensor:
    """x with its masked-out elements replaced by value (x's dtype)."""
    if m is None:
        return x
    return where(Tensor._const(m), x, Tensor._const(np.asarray(value, dtype=x.dtype)))


def _extreme(x: Tensor, lowest: bool) -> Any:
    if x.dtype.kind in "fc":
        return -np.inf if lowest else np.inf
    info = np.iinfo(x.dtype) if x.dtype.kind in "iu" else None
    if info is None:  # bool
        return not lowest
    return info.min if lowest else info.max


def _count(x: Tensor, m: np.ndarray | None, dims: tuple[int, ...], keepdim: bool) -> np.ndarray:
    ones = np.ones(x.shape, np.int64) if m is None else m.astype(np.int64)
    return ones.sum(axis=dims, keepdims=keepdim)


def sum(input: Any, dim: Any = None, *, keepdim: bool = False, dtype: Any = None, mask: Any = None) -> Tensor:
    """The sum over ``dim`` of the elements ``mask`` keeps (0 where none; small integer and bool inputs
    give int64, as torch.masked.sum)."""
    x = as_tensor(input)
    default = np.int64 if x.dtype.name in _SMALL_INTS else x.dtype
    filled = _fill(x, _mask(x, mask, "sum"), 0)
    return _sum(filled.astype(_dtype(dtype, default)), axis=_dims(dim, x.ndim, "sum"), keepdims=bool(keepdim))


def prod(
    input: Any, dim: Any = None, *, keepdim: bool = False, dtype: Any = None, mask: Any = None
) -> Tensor:
    """The product over ``dim`` of the elements ``mask`` keeps (1 where none; torch.masked.prod)."""
    x = as_tensor(input)
    default = np.int64 if x.dtype.name in _SMALL_INTS else x.dtype
    filled = _fill(x, _mask(x, mask, "prod"), 1)
    return _prod(
        filled.astype(_dtype(dtype, default)), axis=_dims(dim, x.ndim, "prod"), keepdims=bool(keepdim)
    )


def amax(
    input: Any, dim: Any = None, *, keepdim: bool = False, dtype: Any = None, mask: Any = None
) -> Tensor:
    """The largest kept element over ``dim`` (-inf, or the integer minimum, where none; torch.masked.amax)."""
    x = as_tensor(input)
    filled = _fill(x, _mask(x, mask, "amax"), _extreme(x, lowest=True))
    return _amax(filled, axis=_dims(dim, x.ndim, "amax"), keepdims=bool(keepdim)).astype(
        _dtype(dtype, x.dtype)
    )


def amin(
    input: Any, dim: Any = None, *, keepdim: bool = False, dtype: Any = None, mask: Any = None
) -> Tensor:
    """The smallest kept element over ``dim`` (+inf, or the integer maximum, where none;
    torch.masked.amin)."""
    x = as_tensor(input)
    filled = _fill(x, _mask(x, mask, "amin"), _extreme(x, lowest=False))
    return _amin(filled, axis=_dims(dim, x.ndim, "amin"), keepdims=bool(keepdim)).astype(
        _dtype(dtype, x.dtype)
    )


def _arg(
    fn: Any, lowest: bool, who: str, input: Any, dim: Any, keepdim: bool, dtype: Any, mask: Any
) -> Tensor:
    x = as_tensor(input)
    filled = _fill(x, _mask(x, mask, who), _extreme(x, lowest=lowest))
    if dim is not None:
        dim = _dims(dim, x.ndim, who)[0] if x.ndim else None
    return fn(filled.detach(), axis=dim, keepdims=bool(keepdim)).astype(_dtype(dtype, x.dtype))


def argmax(input: Any, dim: int | None = None, *, keepdim: bool = False, dtype: Any = None,
           mask: Any = None) -> Tensor:  # fmt: skip
    """The index of the largest kept element along ``dim`` (of the flattened input if None), in
    ``dtype`` — the input's by default, as torch.masked.argmax (0 where nothing is kept)."""
    return _arg(_argmax, True, "argmax", input, dim, keepdim, dtype, mask)


def argmin(input: Any, dim: int | None = None, *, keepdim: bool = False, dtype: Any = None,
           mask: Any = None) -> Tensor:  # fmt: skip
    """The index of the smallest kept element along ``dim`` (of the flattened input if None), in
    ``dtype`` — the input's by default, as torch.masked.argmin."""
    return _arg(_argmin, False, "argmin", input, dim, keepdim, dtype, mask)


def mean(
    input: Any, dim: Any = None, *, keepdim: bool = False, dtype: Any = None, mask: Any = None
) -> Tensor:
    """The mean over ``dim`` of the kept elements (nan where none; a floating or complex dtype needed, as
    torch.masked.mean)."""
    x = as_tensor(input)
    dt = _dtype(dtype, x.dtype)
    if dt.kind not in "fc":
        raise ValueError(f"mean: a floating or complex dtype is needed, got {dt.name}")
    m = _mask(x, mask, "mean")
    dims = _dims(dim, x.ndim, "mean")
    total = _sum(_fill(x, m, 0).astype(dt), axis=dims, keepdims=bool(keepdim))
    count = _count(x, m, dims, bool(keepdim))
    mean = total / Tensor._const(np.maximum(count, 1).astype(dt))  # no 0 / 0 in the graph
    return where(Tensor._const(count > 0), mean, Tensor._const(np.asarray(np.nan, mean.dtype)))


def median(
    input: Any, dim: int = -1, *, keepdim: bool = False, dtype: Any = None, mask: Any = None
) -> Tensor:
    """The lower median along ``dim`` of the kept (and non-nan) elements, nan where none (torch.masked.median;
    an integer input with a fully masked-out row is an error)."""
    x = as_tensor(input)
    is_float = x.dtype.kind == "f"
    xf = x if is_float else x.astype(np.float32)
    d = _dims(dim, x.ndim, "median")
    axis = d[0] if d else None
    work = xf.reshape(1) if x.ndim == 0 else xf
    m = _mask(x, mask, "median")
    filled = _fill(work, None if m is None else m.reshape(work.shape), np.nan)
    ordered = sort(filled, axis=axis if x.ndim else 0)  # nan last
    ax = axis if x.ndim else 0
    valid = (~np.isnan(filled.numpy())).sum(axis=ax, keepdims=True)
    k = np.maximum(valid - 1, 0) // 2
    out = take_along_axis(ordered, Tensor._const(k), axis=ax)
    out = where(Tensor._const(valid > 0), out, Tensor._const(np.asarray(np.nan, out.dtype)))
    out = out.reshape(()) if x.ndim == 0 else (out if keepdim else out.squeeze(ax))
    if is_float:
        return out
    if bool(isnan(out).numpy().any()):
        raise ValueError("median: an integer input needs every row to keep at least one element")
    return out.astype(_dtype(dtype, x.dtype))


def logsumexp(input: Any, dim: Any = None, *, keepdim: bool = False, dtype: Any = None,
              mask: Any = None) -> Tensor:  # fmt: skip
    """log(sum(exp)) over ``dim`` of the kept elements (-inf where none; torch.masked.logsumexp)."""
    x = as_tensor(input)
    out_dtype = _dtype(dtype, x.dtype)
    if x.dtype.kind in "biu":  # in floats: an integer fill (its lowest value) would wrap in x - max
        x = x.astype(np.float64)
    filled = _fill(x, _mask(x, mask, "logsumexp"), _extreme(x, lowest=True))
    with np.errstate(divide="ignore", invalid="ignore"):
        out = _logsumexp(filled, axis=_dims(dim, x.ndim, "logsumexp"), keepdims=bool(keepdim))
    return out.astype(out_dtype)


def logaddexp(input: Any, other: Any, *, dtype: Any = None, input_mask: Any = None,
              other_mask: Any = None) -> Tensor:  # fmt: skip
    """log(exp(input) + exp(other)) elementwise, each operand's masked-out elements taken as -inf
    (torch.masked.logaddexp)."""
    x, y = as_tensor(input), as_tensor(other)
    a = _fill(x, _mask(x, input_mask, "logaddexp"), _extreme(x, lowest=True))
    b = _fill(y, _mask(y, other_mask, "logaddexp"), _extreme(y, lowest=True))
    with np.errstate(invalid="ignore"):
        return _logaddexp(a, b).astype(_dtype(dtype, x.dtype))


def norm(input: Any, ord: float | None = 2.0, dim: Any = None, *, keepdim: bool = False, dtype: Any = None,
         mask: Any = None) -> Tensor:  # fmt: skip
    """The vector ``ord``-norm over ``dim`` of the kept elements (0 where none, +inf for ord=-inf;
    torch.masked.norm)."""
    x = as_tensor(input)
    p = 2.0 if ord is None else ord
    fill = np.inf if p == -np.inf else 0
    filled = _fill(x, _mask(x, mask, "norm"), fill).astype(_dtype(dtype, x.dtype))
    return _la.vector_norm(filled, p, axis=_dims(dim, x.ndim, "norm"), keepdims=bool(keepdim))


def _std_var(input: Any, dim: Any, unbiased: bool | None, correction: Any, keepdim: bool, dtype: Any,
             mask: Any, root: bool, who: str) -> Tensor:  # fmt: skip
    if unbiased is not None and correction is not None:
        raise ValueError(f"{who}: give only one of unbiased and correction")
    c = (
        1.0
        if correction is None and unbiased is None
        else float(unbiased if correction is None else correction)
    )
    x = as_tensor(input)
    dt = _dtype(dtype, x.dtype if x.dtype.kind in "fc" else np.float32)
    if dt.kind not in "fc":
        dt = np.dtype(np.float32)
    xd = x.astype(dt)
    m = _mask(x, mask, who)
    dims = _dims(dim, x.ndim, who)
    count = _count(x, m, dims, True)
    with np.errstate(invalid="ignore", divide="ignore"):
        # torch.masked's composition, 0 / 0 included: a slice with no kept element (or count <= correction)
        # is nan, and so is its gradient, as PyTorch's
        centre = _sum(_fill(xd, m, 0), axis=dims, keepdims=True) / Tensor._const(count.astype(dt))
        dev = xd - centre
        sq = (dev * dev.conj()).real if dt.kind == "c" else dev * dev
        total = _sum(_fill(sq, m, 0), axis=dims, keepdims=bool(keepdim))
        n = count if keepdim else count.reshape(total.shape)
        out = total / Tensor._const(np.maximum(n - c, 0).astype(total.dtype))
        out = sqrt(out) if root else out
    if dt.kind != "c":
        return out
    # torch.masked's: complex in, complex out (real-valued; nan + nan j where the real result is nan)
    return out.astype(dt) + Tensor._const(np.where(np.isnan(out.data), 1j * np.nan, 0).astype(dt))


def var(input: Any, dim: Any = None, unbiased: bool | None = None, *, correction: float | None = None,
        keepdim: bool = False, dtype: Any = None, mask: Any = None) -> Tensor:  # fmt: skip
    """The variance over ``dim`` of the kept elements, sum of squared deviations / (count - correction)
    (correction 1 unless ``unbiased=False`` or ``correction`` says; torch.masked.var). Where a slice keeps
    no element, or no more than ``correction``, it is nan and so is its gradient, as PyTorch's: every
    element of a fully masked-out slice, the kept ones of a slice with count <= correction. Complex input
    gives a complex result (zero imaginary part) in its dtype, as torch.masked.var (torch.var's is real)."""
    return _std_var(input, dim, unbiased, correction, keepdim, dtype, mask, False, "var")


def std(input: Any, dim: Any = None, unbiased: bool | None = None, *, correction: float | None = None,
        keepdim: bool = False, dtype: Any = None, mask: Any = None) -> Tensor:  # fmt: skip
    """The square root of :func:`var` (torch.masked.std; complex input gives a complex result with zero
    imaginary part, as PyTorch's)."""
    return _std_var(input, dim, unbiased, correction, keepdim, dtype, mask, True, "std")


def cumsum(input: Any, dim: int, *, dtype: Any = None, mask: Any = None) -> Tensor:
    """The running sum along ``dim``, masked-out elements counting as 0 (torch.masked.cumsum)."""
    x = as_tensor(input)
    filled = _fill(x, _mask(x, mask, "cumsum"), 0).astype(_dtype(dtype, x.dtype))
    return _cumsum(filled, axis=_dims(dim, x.ndim, "cumsum")[0] if x.ndim else None).reshape(x.shape)


def cumprod(input: Any, dim: int, *, dtype: Any = None, mask: Any = None) -> Tensor:
    """The running product along ``dim``, masked-out elements counting as 1 (torch.masked.cumprod)."""
    x = as_tensor(input)
    filled = _fill(x, _mask(x, mask, "cumprod"), 1).astype(_dtype(dtype, x.dtype))
    return _cumprod(filled, axis=_dims(dim, x.ndim, "cumprod")[0] if x.ndim else None).reshape(x.shape)


def _soft(fn: Any, sign: float, who: str, input: Any, dim: int, dtype: Any, mask: Any) -> Tensor:
    x = as_tensor(input)
    filled = _fill(x, _mask(x, mask, who), _extreme(x, lowest=sign > 0)).astype(_dtype(dtype, x.dtype))
    axis = _dims(dim, x.ndim, who)[0] if x.ndim else None
    with np.errstate(invalid="ignore", divide="ignore"):
        if x.ndim == 0:
            return fn(sign * filled.reshape(1), axis=0).reshape(())
        return fn(sign * filled if sign < 0 else filled, axis=axis)


def softmax(input: Any, dim: int, *, dtype: Any = None, mask: Any = None) -> Tensor:
    """softmax along ``dim`` over the kept elements (masked-out ones get 0; a fully masked-out slice gives
    nan, as torch.masked.softmax)."""
    return _soft(_softmax, 1.0, "softmax", input, dim, dtype, mask)


def log_softmax(input: Any, dim: int, *, dtype: Any = None, mask: Any = None) -> Tensor:
    """log_softmax along ``dim`` over the kept elements (masked-out ones get -inf;
    torch.masked.log_softmax)."""
    return _soft(_log_softmax, 1.0, "log_softmax", input, dim, dtype, mask)


def softmin(input: Any, dim: int, *, dtype: Any = None, mask: Any = None) -> Tensor:
    """softmax of -input along ``dim`` over the kept elements (torch.masked.softmin)."""
    return _soft(_softmax, -1.0, "softmin", input, dim, dtype, mask)


def normalize(input: Any, ord: float, dim: int, *, eps: float = 1e-12, dtype: Any = None,
              mask: Any = None) -> Tensor:  # fmt: skip
    """input / max(norm(input, ord, dim, keepdim=True, mask), eps), masked-out elements 0
    (torch.masked.normalize)."""
    x = as_tensor(input)
    dt = _dtype(dtype, x.dtype)
    nrm = norm(x, ord, dim, keepdim=True, dtype=dt, mask=mask)
    denom = maximum(nrm, Tensor._const(np.asarray(eps, nrm.dtype)))
    return _fill(x, _mask(x, mask, "normalize"), 0).astype(dt) / denom


__all__ = [
    "amax",
    "amin",
    "argmax",
    "argmin",
    "cumprod",
    "cumsum",
    "log_softmax",
    "logaddexp",
    "logsumexp",
    "mean",
    "median",
    "norm",
    "normalize",
    "prod",
    "softmax",
    "softmin",
    "std",
    "sum",
    "var",
]
