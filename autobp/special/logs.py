"""Logarithms and the softmax family under scipy.special's names: xlogy, xlog1py, expit, logit,
logsumexp (with ``b=`` and ``return_sign``), softmax and log_softmax (scipy's axis=None default).
xlogy, logit and expit are autobp's own elementwise ops, re-exported (stand-ins until xlogy and
logit land in autobp/ops)."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.special as sc

from .. import ops as _ops
from .._broadcast import normalize_axes, reduction_ctx
from ..ops import exp
from ..ops._args import as_tensor, pair
from ..ops._decl import op
from ..ops.reductions import expand_reduced
from ..rules import rule
from ..tensor import Tensor
from ._common import FAMILY, NS, data_of, float_result

expit = _ops.sigmoid


@op(family=FAMILY, namespace=NS, numpy=None, method=False)
def xlog1py(x: Any, y: Any) -> Tensor:
    """x * log1p(y), and 0 where x = 0 (whatever y), elementwise; PyTorch's gradients."""
    x, y = pair(x, y, "xlog1py")
    with np.errstate(all="ignore"):
        data = float_result(sc.xlog1py(x._data, y._data), x, y)
    return Tensor._make(data, (x, y), "xlog1py")


@rule("xlog1py")  # PyTorch's: d/dx = log1p(y), except 0 where x = 0 and y <= -1; d/dy = x / (1 + y)
def _xlog1py(F, g, out, xs, ctx, need):
    x, y = xs
    gx = gy = None
    if need[0]:
        off = (data_of(x) == 0) & (data_of(y) <= -1)
        one = np.ones((), dtype=data_of(g).dtype)
        gx = g * F.where(off, 0.0, F.xlog1py(one, F.where(off, 0.0, y) if off.any() else y))
    if need[1]:
        gy = g * x / (1.0 + y)
    return gx, gy


# autobp's own (autobp/ops), under scipy.special's names too
log1p, xlogy, logit = _ops.log1p, _ops.xlogy, _ops.logit


@op(name="special_logsumexp", family=FAMILY, namespace=NS, numpy=None, method=False)
def logsumexp(
    a: Any,
    axis: Any = None,
    b: Any = None,
    keepdims: bool = False,
    return_sign: bool = False,
    where: Any = None,
) -> Any:
    """log(sum(b * exp(a))) over ``axis`` (scipy.special.logsumexp); nan where that sum is negative,
    as scipy; with ``return_sign`` the pair (log|sum|, sign). ``where`` (JAX's) leaves out the elements
    where it is False (-inf for an all-False reduction). Differentiable in ``a`` and ``b``. Complex ``a``
    gives scipy's complex log of the sum (with ``return_sign`` (log|sum|, sum/|sum|), as scipy >= 1.13)."""
    a = as_tensor(a)
    if where is not None:
        keep = np.asarray(data_of(where), dtype=bool)
        a = _ops.where(keep, a, -np.inf)
        if b is not None:
            b = _ops.where(keep, b, 0.0) if isinstance(b, Tensor) else np.where(keep, data_of(b), 0.0)
    if a.dtype.kind == "c" and b is None and not return_sign:
        return _ops.logsumexp(a, axis, keepdims)
    bt = None if b is None else pair(a, b, "logsumexp")[1]
    shape = a.shape if bt is None else np.broadcast_shapes(a.shape, bt.shape)
    if not shape and isinstance(axis, (int, np.integer)) and axis in (0, -1):
        axis = None  # scipy reads axis 0 or -1 of a 0-d input as its one element (so softmax is 1)
    axes = normalize_axes(axis, len(shape), "logsumexp", shape)
    if a.dtype.kind == "c" or (bt is not None and bt.dtype.kind == "c"):
        from .jax_more import complex_logsumexp

        return complex_logsumexp(a, bt, axes, None if axis is None else axes, keepdims, return_sign)
    with np.errstate(all="ignore"):
        res = sc.logsumexp(
            a._data,
            axis=None if axis is None else axes,
            b=None if bt is None else bt._data,
            keepdims=keepdims,
            return_sign=True,
        )
    kept = tuple(1 if i in axes else n for i, n in enumerate(shape))
    reduced = kept if keepdims else tuple(n for i, n in enumerate(shape) if i not in axes)
    out, sign = (float_result(r, a).reshape(reduced) for r in res)  # scipy's 0-d corner cases vary
    negative = (sign < 0) & (out > -np.inf)  # scipy's sign of an empty sum is -1 too
    if not return_sign and np.any(negative):
        out = np.where(negative, np.nan, out).astype(out.dtype)  # the log of a negative sum, as scipy
    parents = (a,) if bt is None else (a, bt)
    t = Tensor._make(out, parents, "special_logsumexp", reduction_ctx(axes, keepdims, shape, sign))
    return (t, Tensor._const(sign)) if return_sign else t


@rule("special_logsumexp")  # ctx[2] = the sign of the sum; d out/da = sign b exp(a - out)
def _logsumexp(F, g, out, xs, ctx, need):
    w = F.exp(xs[0] - expand_reduced(out, ctx)) * expand_reduced(ctx[2], ctx)
    gw = expand_reduced(g, ctx) * w
    if len(xs) == 1:
        return (gw,)
    return (gw * xs[1] if need[0] else None), (gw + 0.0 * xs[1] if need[1] else None)  # b's full shape


@op(
    name="special_softmax",
    family=FAMILY,
    namespace=NS,
    numpy=None,
    method=False,
    rules=("special_logsumexp",),
)
def softmax(x: Any, axis: Any = None) -> Tensor:
    """exp(x) / sum(exp(x)) over ``axis`` (all elements by default, as scipy.special.softmax)."""
    return exp(log_softmax(x, axis))


@op(
    name="special_log_softmax",
    family=FAMILY,
    namespace=NS,
    numpy=None,
    method=False,
    rules=("special_logsumexp",),
)
def log_softmax(x: Any, axis: Any = None) -> Tensor:
    """x - logsumexp(x) over ``axis`` (all elements by default, as scipy.special.log_softmax)."""
    x = as_tensor(x)
    return x - logsumexp(x, axis=axis, keepdims=True)
