"""Order statistics over any axes: median, quantile and percentile (numpy's), and the NaN-ignoring
nanmedian, nanquantile and nanpercentile; all of numpy's methods (PyTorch's five under its
``interpolation=`` spelling too), each value's gradient going to the elements it is made of.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._autocast import autocasts
from .._broadcast import count, reduction_axes, reduction_ctx
from ..rules import RULES, rule
from ..tensor import Tensor
from ._args import as_tensor, axis_arg, keep_arg, refuse_complex
from ._decl import op
from .quantile_weights import full_weights, weighted_positions
from .reduction_keywords import takes_out
from .scans import _typed, raw

_O = "sorting"
_METHODS = ("linear", "lower", "higher", "nearest", "midpoint")  # the five torch.quantile also has
# numpy's other methods (H&F 1996): their values are numpy's, their positions in the sorted slice too
_NUMPY_METHODS = (
    "inverted_cdf",
    "averaged_inverted_cdf",
    "closest_observation",
    "interpolated_inverted_cdf",
    "hazen",
    "weibull",
    "median_unbiased",
    "normal_unbiased",
)
# d(position)/dq of numpy's continuous methods, n + 1 - alpha - beta (H&F's plotting positions; 'linear'
# is alpha = beta = 1): the q-derivative of a quantile is the gap between its neighbours times this;
# the other methods are piecewise constant in q
_Q_SLOPE = {
    "linear": -1.0,
    "interpolated_inverted_cdf": 0.0,
    "hazen": 0.0,
    "weibull": 1.0,
    "median_unbiased": 1.0 / 3.0,
    "normal_unbiased": 0.25,
}


def _axes(x: Tensor, axis: Any, keepdims: Any, dim: Any, keepdim: Any, name: str) -> tuple:
    refuse_complex(x, name)
    axis, keepdims = axis_arg(axis, dim, name), keep_arg(keepdims, keepdim)
    return reduction_axes(axis, x.ndim, name, x.shape), keepdims


def _last(a: np.ndarray, axes: tuple) -> np.ndarray:
    """``a`` with the axes not in ``axes`` first (in order) and ``axes`` merged into one last axis."""
    keep = [i for i in range(a.ndim) if i not in axes]
    lead = tuple(a.shape[i] for i in keep)
    return np.transpose(a, keep + list(axes)).reshape(lead + (count(a.shape, axes),))


def _from_last(b: np.ndarray, axes: tuple, shape: tuple) -> np.ndarray:
    """The inverse of ``_last``: ``b`` (lead + (n,)) back in the layout of an array of ``shape``."""
    keep = [i for i in range(len(shape)) if i not in axes]
    perm = keep + list(axes)
    b = b.reshape(tuple(shape[i] for i in perm))
    return np.transpose(b, np.argsort(perm))


def _of_empty(x: Tensor, value: Any) -> Tensor:
    """numpy's result for an empty ``x`` (NaN where a slice is empty, with numpy's warning; an empty
    array where no slice is left), on x's graph with a zero (empty) gradient."""
    v = np.asarray(value)
    return Tensor._const(v) + (x.sum() * 0).astype(v.dtype)


@op(
    family=_O,
    differs="torch.median returns the lower of the two middle values for an even count (and, with "
    "dim, (values, indices)); autobp's median is numpy's: the mean of the two middle values",
)
@takes_out
def median(
    x: Any,
    axis: Any = None,
    out: Any = None,
    overwrite_input: bool = False,
    keepdims: bool = False,
    *,
    dim: Any = None,
    keepdim: Any = None,
) -> Tensor:
    """Median over ``axis``, numpy's: the mean of the two middle values for an even count.

    The gradient of a middle value is split equally among the elements equal to it (torch.median's).
    """
    x = _typed(as_tensor(x), None, out, "median")
    axes, keepdims = _axes(x, axis, keepdims, dim, keepdim, "median")
    if x.size == 0:
        return _of_empty(x, np.median(x._data, axis=axes, keepdims=keepdims))
    data = x._data
    y = _last(data, axes)
    n = y.shape[-1]
    s = np.sort(y, axis=-1)
    share = np.zeros(y.shape, dtype=data.dtype if data.dtype.kind == "f" else np.float64)
    for k in ((n - 1) // 2, n // 2):  # the two middle positions (one position twice for odd n)
        tied = y == s[..., k : k + 1]
        share += 0.5 * tied / np.maximum(tied.sum(axis=-1, keepdims=True), 1)
    if data.dtype.kind in "fc":  # a slice with a NaN has median NaN: its NaNs share the gradient (torch's)
        nan = np.isnan(y)
        some = nan.any(axis=-1, keepdims=True)
        if some.any():
            share = np.where(some, nan / np.maximum(nan.sum(axis=-1, keepdims=True), 1), share)
    ctx = reduction_ctx(axes, keepdims, x.shape, _from_last(share, axes, x.shape))
    return Tensor._make(np.median(data, axis=axes, keepdims=keepdims), (x,), "median", ctx)


# median weights g by a constant share of each element (ctx[2]), as max and min do
RULES["median"] = RULES["max"]


def _neighbours(at: np.ndarray, n: Any, method: str) -> tuple:
    """The two sorted positions a quantile at fractional position ``at`` (= q (n - 1)) is made of, and
    the weight t of the second: the value is (1 - t) s[lo] + t s[hi] of the sorted slice s."""
    lo = np.floor(at)
    if method == "linear":
        return lo, np.minimum(lo + 1, n - 1), at - lo
    if method == "midpoint":  # both neighbours by halves (the same one twice at an integer position)
        return lo, np.ceil(at), np.full_like(at, 0.5)
    pick = {"lower": lo, "higher": np.ceil(at), "nearest": np.around(at)}[method]  # around: half to even
    return pick, pick, np.zeros_like(at)


def _positions(levels: np.ndarray, n: np.ndarray, lead: tuple, method: str) -> np.ndarray:
    """The fractional position in a sorted slice of each count in ``n`` numpy's ``method`` takes its
    quantile at: numpy's quantile of the ranks 0, ..., n - 1 (which are sorted and linear)."""
    at = np.zeros(levels.shape + lead)
    counts = np.broadcast_to(n, lead)
    for m in np.unique(counts):
        if m > 0:
            at[..., counts == m] = np.quantile(np.arange(m, dtype=np.float64), levels, method=method)[
                ..., None
            ]
    return at


def _quantile(x, q, axis, out, method, keepdims, weights, interpolation, dim, keepdim, scale, name):
    x = _typed(as_tensor(x), None, out, name)
    method = interpolation if interpolation is not None else method
    if interpolation is not None and method not in _METHODS:  # PyTorch's spelling: PyTorch's five
        raise ValueError(f"{name}: method must be one of {', '.join(_METHODS)}; got {method!r}")
    if method not in _METHODS + _NUMPY_METHODS:
        raise ValueError(
            f"{name}: method must be one of {', '.join(_METHODS + _NUMPY_METHODS)}; got {method!r}"
        )
    if weights is not None and method != "inverted_cdf":
        raise ValueError(f"{name}: Only method 'inverted_cdf' supports weights. Got: {method}.")
    qs = np.asarray(raw(q) if isinstance(q, Tensor) else q, dtype=np.float64)
    if not np.all((qs >= 0) & (qs <= scale)):
        kind = "Percentiles" if scale == 100 else "Quantiles"
        raise ValueError(f"{name}: {kind} must be in the range [0, {scale:g}], got {qs.tolist()}")
    axes, keepdims = _axes(x, axis, keepdims, dim, keepdim, name)
    extra = {}
    if weights is not None:  # numpy's weighted inverted_cdf: numpy checks and computes the values
        full = full_weights(weights, x.shape, axis_arg(axis, dim, name), name)
        if np.any(full < 0):
            raise ValueError(f"{name}: Weights must be non-negative.")
    if x.ndim == 0 or not axes:  # nothing to gather along: quantiles of one-element slices
        x, axes = x.reshape(x.shape + (1,)), (x.ndim,)
        keepdims = False
    if weights is not None:
        extra["weights"] = full.reshape(x.shape)
    data = x._data
    nan_ignoring = name.startswith("nan")
    if x.size == 0:  # numpy's NaN (or IndexError, for quantile) for an empty slice
        qv = (
            q
            if isinstance(q, (int, float, np.number))
            else np.asarray(raw(q) if isinstance(q, Tensor) else q)
        )
        return _of_empty(x, getattr(np, name)(data, qv, axis=axes, keepdims=keepdims, method=method, **extra))
    # numpy's result dtype depends on which (a float32 array of levels keeps float32 data float32)
    qv = q if isinstance(q, (int, float, np.number)) else np.asarray(raw(q) if isinstance(q, Tensor) else q)
    fn = getattr(np, name)
    with np.errstate(invalid="ignore"):  # an all-NaN slice warns, as numpy's
        values = fn(data, qv, axis=axes, keepdims=keepdims, method=method, **extra)
    # the gradient: the value is (1 - t) s[lo] + t s[hi] of the sorted slice s (NaNs last), s[i]
    # coming from the element a stable sort puts at i (as torch.quantile); the nan forms count only
    # the slice's numbers, and an all-NaN slice (value NaN) sends its gradient to its first element
    y = _last(data, axes)
    lead = y.shape[:-1]
    order = np.argsort(y, axis=-1, kind="stable")
    n = (~np.isnan(y)).sum(axis=-1) if nan_ignoring else np.full(lead, y.shape[-1])
    at = qs.reshape(qs.shape + (1,) * len(lead)) / scale * np.maximum(n - 1, 0)
    if weights is not None:  # piecewise constant in q: no q term
        at = weighted_positions(qs / scale, _last(extra["weights"], axes), order, n)
        method = "weighted"
    slope = _Q_SLOPE.get(method) if weights is None else None
    if weights is None and method in _NUMPY_METHODS:
        at = _positions(qs / scale, n, lead, method)
        method = "linear"  # the value (1 - t) s[lo] + t s[lo + 1] at numpy's fractional position
    if not nan_ignoring and data.dtype.kind in "fc":  # a slice with a NaN: its value is NaN, and its
        at = np.where(np.isnan(y).any(axis=-1), n - 1, at)  # gradient goes to the NaN sorted last (torch's)
    lo, hi, t = _neighbours(at, np.maximum(n, 1), "linear" if method == "weighted" else method)
    keep = [i for i in range(x.ndim) if i not in axes]
    kept = [k.reshape((1,) * qs.ndim + k.shape) for k in np.indices(lead, sparse=True)]
    wide = np.broadcast_to(order, qs.shape + order.shape)

    def index_of(position: np.ndarray) -> tuple:
        """The index into x of the element a stable sort puts at ``position`` of each slice."""
        source = np.take_along_axis(wide, position.astype(np.intp)[..., None], axis=-1)[..., 0]
        coords = dict(zip(axes, np.unravel_index(source, tuple(x.shape[a] for a in axes))))
        coords.update(zip(keep, kept))
        return tuple(coords[i] for i in range(x.ndim))

    picks = [
        (index_of(position), weight.astype(values.dtype)) for position, weight in ((lo, 1.0 - t), (hi, t))
    ]
    result = Tensor._make(values, (x,), "quantile", (qs.shape + lead, picks))
    if slope is not None and isinstance(q, Tensor) and q.requires_grad:
        per = np.maximum(n + slope, 0)  # n - 1 for 'linear'; a position clipped to an end has no gap
        result = result + _q_term(x, q, scale, per, lead, index_of(lo), index_of(np.ceil(at)), values)
    return result


def _q_term(
    x: Tensor, q: Tensor, scale: int, per: Any, lead: tuple, low: tuple, high: tuple, values: Any
) -> Tensor:
    """Zero in value, with the derivative in q of a quantile that interpolates its two neighbours:
    (s[ceil] - s[floor]) d(position)/dq / scale, ``per`` = d(position)/dq (n - 1 for 'linear', as
    torch.quantile's, whose upper neighbour is the ceiling, so an exact rank gets 0), and the mixed
    second derivative in x and q; written in differentiable ops."""
    from .elementwise import where

    rank = q.reshape(q.shape + (1,) * len(lead)) * (per / scale)
    gap = x[high] - x[low]
    gap = where(np.isfinite(gap._data), gap, 0.0)  # inf - inf: the value stays the op's own
    term = ((rank - rank.detach()) * gap).reshape(np.shape(values))
    return term if term.dtype == np.asarray(values).dtype else term.astype(np.asarray(values).dtype)


_Q_DOC = """

    ``method`` (or PyTorch's ``interpolation``): numpy's 'linear' (default), 'lower', 'higher',
    'nearest' (half to even) or 'midpoint', or one of numpy's other methods ('inverted_cdf',
    'averaged_inverted_cdf', 'closest_observation', 'interpolated_inverted_cdf', 'hazen', 'weibull',
    'median_unbiased', 'normal_unbiased'; their values numpy's, their gradients to the one or two
    sorted elements each value is made of). The result has q's axes first; each value's gradient goes
    to the one or two elements of the sorted slice it is made of (a stable sort's, as torch.quantile).
    A Tensor ``q`` is differentiable too ('linear': the gap between the two neighbours times n - 1,
    zero at an exact rank, as torch.quantile's).
    """


def _declare(name: str, scale: int, summary: str, rules: tuple, torch: tuple = (), fp32: bool = False) -> Any:
    def fn(
        x: Any,
        q: Any,
        axis: Any = None,
        out: Any = None,
        overwrite_input: bool = False,
        method: str = "linear",
        keepdims: bool = False,
        *,
        weights: Any = None,
        interpolation: Any = None,
        dim: Any = None,
        keepdim: Any = None,
    ) -> Tensor:
        return _quantile(x, q, axis, out, method, keepdims, weights, interpolation, dim, keepdim, scale, name)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = summary + _Q_DOC
    if fp32:  # PyTorch's CPU autocast runs quantile and nanquantile in float32
        fn = autocasts("fp32")(fn)
    return op(family=_O, rules=rules, torch=torch)(takes_out(fn))


quantile = _declare(
    "quantile", 1, "q-th quantile(s) over ``axis`` (q in [0, 1], scalar or array).", (), fp32=True
)
percentile = _declare(
    "percentile", 100, "q-th percentile(s) over ``axis``: quantile at q / 100.", ("quantile",)
)
nanquantile = _declare(
    "nanquantile",
    1,
    "q-th quantile(s) over ``axis``, ignoring NaNs (NaN for an all-NaN slice).",
    ("quantile",),
    fp32=True,
)
nanpercentile = _declare(
    "nanpercentile",
    100,
    "q-th percentile(s) over ``axis``, ignoring NaNs: nanquantile at q / 100.",
    ("quantile",),
)


@rule("quantile")  # ctx = (shape of g without kept axes, [(index into x, weight)] for the two neighbours)
def _quantile_rule(F, g, out, xs, ctx, need):
    g = g.reshape(ctx[0])
    (low, w_low), (high, w_high) = ctx[1]
    shape = xs[0].shape
    return (F.scatter_add(g * w_low, low, shape) + F.scatter_add(g * w_high, high, shape),)


@op(
    family=_O,
    rules=("median",),
    differs="torch.nanmedian returns the lower of the two middle numbers for an even count (and, with "
    "dim, (values, indices)); autobp's nanmedian is numpy's: the mean of the two middle numbers",
)
@takes_out
def nanmedian(
    x: Any,
    axis: Any = None,
    out: Any = None,
    overwrite_input: bool = False,
    keepdims: bool = False,
    *,
    dim: Any = None,
    keepdim: Any = None,
) -> Tensor:
    """Median over ``axis`` ignoring NaNs, numpy's: the mean of the two middle non-NaN values.

    NaN for an all-NaN slice; an infinite middle value gives an infinite median as numpy's (a
    quantile's interpolation would give NaN). The gradient of a middle value is split equally among
    the elements equal to it, as ``median``'s; an all-NaN slice's is shared by its elements (its NaNs),
    as PyTorch's full nanmedian shares it."""

    x = _typed(as_tensor(x), None, out, "nanmedian")
    axes, keepdims = _axes(x, axis, keepdims, dim, keepdim, "nanmedian")
    if x.size == 0:
        return _of_empty(x, np.nanmedian(x._data, axis=axes, keepdims=keepdims))
    data = x._data
    y = _last(data, axes)
    n = (~np.isnan(y)).sum(axis=-1, keepdims=True)  # non-NaN count per slice (NaNs sort last)
    s = np.sort(y, axis=-1)
    share = np.zeros(y.shape, dtype=data.dtype if data.dtype.kind == "f" else np.float64)
    for k in ((n - 1) // 2, n // 2):  # the two middle non-NaN positions (one twice for odd n)
        mid = np.take_along_axis(s, np.clip(k, 0, None), axis=-1)
        tied = (y == mid) & (n > 0)
        share += 0.5 * tied / np.maximum(tied.sum(axis=-1, keepdims=True), 1)
    empty = n == 0  # all NaN: every element shares the gradient
    if empty.any():
        share = np.where(empty, 1.0 / max(y.shape[-1], 1), share).astype(share.dtype, copy=False)
    ctx = reduction_ctx(axes, keepdims, x.shape, _from_last(share, axes, x.shape))
    value = np.nanmedian(data, axis=axes, keepdims=keepdims)  # numpy's all-NaN warning, as numpy's
    return Tensor._make(np.asarray(value, dtype=share.dtype), (x,), "median", ctx)
