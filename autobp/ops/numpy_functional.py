"""numpy's vector products of the array API (vecdot, matvec, vecmat) and its functions that call a
Python function on pieces of an array (apply_along_axis, apply_over_axes, piecewise): the function
runs on Tensor slices and the results are stacked, so gradients flow through whatever it computes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .._broadcast import normalize_axes
from ..tensor import Tensor
from ._args import as_tensor
from ._decl import op
from .axis_moves import moveaxis
from .complex_parts import conj
from .elementwise import where
from .joining import stack
from .numpy_aliases import convolve
from .numpy_arrays import data_of
from .products import matmul
from .reduction_keywords import takes_out as numpy_out
from .reductions import sum as _sum
from .scatter import index_put
from .shape import astype, expand_dims, reshape

_F = "numpy_functional"


def _no_out(out: Any, name: str) -> None:  # numpy's out= is taken by @numpy_out before the call
    if out is not None:
        raise TypeError(f"{name}: out= is not supported (results are new tensors)")


@op(family=_F, rules=("conj", "mul", "sum"), method=False)
@numpy_out
def vecdot(x1: Any, x2: Any, /, *, axis: int = -1, out: Any = None) -> Tensor:
    """The dot product of vectors along ``axis``, sum(conj(x1) * x2), the other axes broadcasting
    (numpy's vecdot, torch.linalg.vecdot: the first argument is conjugated)."""
    _no_out(out, "vecdot")
    a, b = as_tensor(x1), as_tensor(x2)
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError(f"vecdot: inputs must be at least 1-d, got shapes {a.shape} and {b.shape}")
    (i,) = normalize_axes(axis, a.ndim, "vecdot", a.shape)
    (j,) = normalize_axes(axis, b.ndim, "vecdot", b.shape)
    if a.shape[i] != b.shape[j]:
        raise ValueError(
            f"vecdot: axis {axis} has length {a.shape[i]} in x1 {a.shape} but {b.shape[j]} in x2 {b.shape}"
        )
    shapes = (a.shape, b.shape)
    a, b = moveaxis(a, i, -1), moveaxis(b, j, -1)
    try:
        np.broadcast_shapes(a.shape[:-1], b.shape[:-1])
    except ValueError:
        raise ValueError(
            f"vecdot: shapes {shapes[0]} and {shapes[1]} do not broadcast outside axis {axis}"
        ) from None
    prod = conj(a) * b
    out = _sum(prod, axis=-1)  # numpy keeps the product's dtype; sum widens small ints (same value mod 2**n)
    return out if prod.dtype.kind not in "biu" or out.dtype == prod.dtype else out.astype(prod.dtype)


@op(family=_F, rules=("matmul", "reshape"), method=False)
@numpy_out
def matvec(x1: Any, x2: Any, /, *, out: Any = None) -> Tensor:
    """Matrix-vector products x1 @ x2 over the last axes, the leading ones broadcasting (numpy's
    matvec: x1 of shape (..., m, n), x2 (..., n), the result (..., m); no conjugation)."""
    _no_out(out, "matvec")
    a, b = as_tensor(x1), as_tensor(x2)
    if a.ndim < 2 or b.ndim < 1 or a.shape[-1] != b.shape[-1]:
        raise ValueError(f"matvec: shapes {a.shape} and {b.shape} are not (..., m, n) and (..., n)")
    y = matmul(a, reshape(b, b.shape + (1,)))
    return reshape(y, y.shape[:-1])


@op(family=_F, rules=("conj", "matmul", "reshape"), method=False)
@numpy_out
def vecmat(x1: Any, x2: Any, /, *, out: Any = None) -> Tensor:
    """Vector-matrix products conj(x1) @ x2 over the last axes, the leading ones broadcasting
    (numpy's vecmat: x1 of shape (..., n), x2 (..., n, m), the result (..., m); x1 conjugated)."""
    _no_out(out, "vecmat")
    a, b = as_tensor(x1), as_tensor(x2)
    if a.ndim < 1 or b.ndim < 2 or a.shape[-1] != b.shape[-2]:
        raise ValueError(f"vecmat: shapes {a.shape} and {b.shape} are not (..., n) and (..., n, m)")
    y = matmul(reshape(conj(a), a.shape[:-1] + (1, a.shape[-1])), b)
    return reshape(y, y.shape[:-2] + y.shape[-1:])


@op(family=_F, rules=("transpose", "getitem", "stack", "reshape"), method=False)
def apply_along_axis(func1d: Callable, axis: int, arr: Any, *args: Any, **kwargs: Any) -> Tensor:
    """``func1d`` applied to each 1-D slice of ``arr`` along ``axis`` (numpy's apply_along_axis): the
    results (all of one shape) take the place of that axis. The slices are Tensors, so the gradient
    flows through func1d."""
    x = as_tensor(arr)
    (ax,) = normalize_axes(axis, x.ndim, "apply_along_axis", x.shape)
    moved = moveaxis(x, ax, -1)
    outer = moved.shape[:-1]
    if 0 in outer:
        raise ValueError(
            f"apply_along_axis: no slices to apply to: shape {x.shape} is empty outside axis {ax}"
        )
    results = [as_tensor(func1d(moved[ind], *args, **kwargs)) for ind in np.ndindex(*outer)]
    first = results[0]
    for ind, r in zip(np.ndindex(*outer), results):
        if r.shape != first.shape:
            raise ValueError(
                f"apply_along_axis: func1d gave shape {r.shape} at {ind}, {first.shape} on the first slice"
            )
    stacked = stack([r if r.dtype == first.dtype else astype(r, first.dtype) for r in results])
    out = reshape(stacked, outer + first.shape)
    k = len(outer)
    lead = list(range(k, k + first.ndim))
    return moveaxis(out, lead, list(range(ax, ax + first.ndim))) if lead else out


@op(family=_F, rules=("reshape",), method=False)
def apply_over_axes(func: Callable, a: Any, axes: Any) -> Tensor:
    """``func(a, axis)`` applied for each axis in turn, a result with one axis fewer given it back
    (numpy's apply_over_axes: ``apply_over_axes(sum, a, [0, 2])`` keeps the dimensions)."""
    val = as_tensor(a)
    n = val.ndim
    for axis in np.atleast_1d(data_of(axes)).tolist():
        axis = axis + n if axis < 0 else axis
        res = as_tensor(func(val, axis))
        if res.ndim == val.ndim - 1:
            res = expand_dims(res, axis)
        if res.ndim != val.ndim:
            raise ValueError(
                f"apply_over_axes: func gave shape {res.shape} for axis {axis} of shape {val.shape}; "
                f"it must keep {val.ndim} or drop one dimension"
            )
        val = res
    return val


@op(family=_F, rules=("getitem", "index_put"), method=False)
def piecewise(x: Any, condlist: Any, funclist: Any, *args: Any, **kw: Any) -> Tensor:
    """numpy's piecewise: where condition i holds, funclist[i] (a function called on the selected
    elements, or a constant); one function more than conditions covers where none holds; elsewhere
    0. The functions see Tensors, so their gradients reach x; x's dtype is kept."""
    x = as_tensor(x)
    n2 = len(funclist)
    if isinstance(condlist, Tensor):
        condlist = condlist._data
    if np.isscalar(condlist) or (not isinstance(condlist[0], (list, np.ndarray, Tensor)) and x.ndim != 0):
        condlist = [condlist]
    conds = np.asarray([data_of(c) for c in condlist], dtype=bool)
    n = len(conds)
    if n == n2 - 1:  # the last function covers where no condition holds
        conds = np.concatenate([conds, ~np.any(conds, axis=0, keepdims=True)], axis=0)
        n += 1
    elif n != n2:
        raise ValueError(f"piecewise: with {n} condition(s), either {n} or {n + 1} functions are expected")
    if conds.shape[1:] != x.shape:
        raise ValueError(f"piecewise: conditions of shape {conds.shape[1:]} for x of shape {x.shape}")
    y = Tensor._const(np.zeros(x.shape, x.dtype))
    for cond, func in zip(conds, funclist):
        if not callable(func):
            y = index_put(y, cond, func)
        elif cond.any():
            y = index_put(y, cond, as_tensor(func(x[cond], *args, **kw)))
    if x.requires_grad and not y.requires_grad:  # no function ran (x empty, say): still on x's graph
        y = where(np.zeros(x.shape, bool), x, y)
    return y


@op(family=_F, rules=("conj", "convolve"), method=False)
def correlate(a: Any, v: Any, mode: str = "valid") -> Tensor:
    """The cross-correlation c[k] = sum_n a[n + k] * conj(v[n]) of two 1-D sequences (numpy's
    correlate, modes 'valid', 'same', 'full'): convolve(a, conj(v[::-1])), with numpy's swap when v
    is the longer one."""
    x, w = as_tensor(a), as_tensor(v)
    if x.ndim != 1 or w.ndim != 1 or not x.size or not w.size:
        raise ValueError(f"correlate: a and v must be non-empty 1-d, got shapes {x.shape} and {w.shape}")
    if w.size > x.size:  # numpy correlates v with a and reverses (conjugated), so 'same' keeps its length
        return conj(correlate(w, x, mode)[::-1])
    return convolve(x, conj(w[::-1]), mode)


@op(family=_F, rules=("add",), method=False)
def unwrap(p: Any, discont: Any = None, axis: int = -1, *, period: float = 2 * np.pi) -> Tensor:
    """``p`` with each jump between neighbours along ``axis`` larger than ``discont`` (default
    period / 2) taken back by a multiple of ``period`` (numpy's unwrap). The correction is piecewise
    constant, so the gradient is the identity's."""
    x = as_tensor(p)
    (ax,) = normalize_axes(axis, x.ndim, "unwrap", x.shape)
    dd = np.diff(x._data, axis=ax)
    dtype = np.result_type(dd, period)  # numpy's: integer input and period stay integer
    if np.issubdtype(dtype, np.integer):
        high, rem = divmod(period, 2)
        ambiguous = rem == 0
    else:
        high, ambiguous = period / 2, True
    limit = period / 2 if discont is None else discont
    wrapped = np.mod(dd + high, period) - high  # dd brought into [-high, high)
    if ambiguous:  # a jump of exactly +period/2 stays +period/2
        np.copyto(wrapped, high, where=(wrapped == -high) & (dd > 0))
    step = wrapped - dd
    np.copyto(step, 0, where=np.abs(dd) < limit)
    correction = np.zeros(x.shape, step.dtype)
    later = [slice(None)] * x.ndim
    later[ax] = slice(1, None)
    correction[tuple(later)] = np.cumsum(step, axis=ax)
    if x.dtype != dtype:
        x = astype(x, dtype)
    return x + Tensor._const(correction.astype(x.dtype, copy=False))
