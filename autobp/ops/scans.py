"""Scans along one axis: cumsum, cumprod, logcumsumexp, cummax, cummin, and diff; ``axis=None``
scans the flattened tensor, as numpy does. cummax/cummin return (values, indices) as PyTorch's do."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import return_types as _rt
from .._broadcast import ShapeError, normalize_axes
from .._torch_out import takes_out as torch_out
from ..rules import RULES, holomorphic, rule
from ..tensor import Tensor
from ._args import as_tensor, axis_arg, refuse_complex
from ._decl import op
from .reduction_keywords import takes_out

_C = "scans"


def raw(a: Any) -> np.ndarray:
    """The array behind ``a`` (an ndarray in a plain backward, a Tensor under create_graph), for
    masks and positions, which are piecewise constant: their derivative is 0."""
    return a._data if isinstance(a, Tensor) else a


def flip(a: Any, axis: int) -> Any:
    """``a`` reversed along ``axis`` (an ndarray view, or a recorded getitem of a Tensor)."""
    return a[(slice(None),) * axis + (slice(None, None, -1),)]


def ones(like: Any, shape: tuple) -> Any:
    """Ones of ``shape`` in ``like``'s dtype, as a constant of ``like``'s kind (ndarray or Tensor)."""
    one = np.ones(shape, dtype=raw(like).dtype)
    return Tensor._const(one) if isinstance(like, Tensor) else one


def along(position: np.ndarray, axis: int, ndim: int) -> np.ndarray:
    """``position`` (1-d) shaped to broadcast along ``axis`` of an ``ndim``-d array."""
    return position.reshape((1,) * axis + (-1,) + (1,) * (ndim - axis - 1))


def _scan_input(x: Any, axis: Any, dim: Any, name: str) -> tuple:
    """The tensor to scan and its axis: flattened for axis None, a 0-d tensor as 1-d (numpy's)."""
    x = as_tensor(x)
    axis = axis_arg(axis, dim, name)
    if isinstance(axis, tuple):
        raise TypeError(f"{name}: axis must be an int or None, got {axis!r}")
    if axis is None or x.ndim == 0:
        if axis is not None:
            normalize_axes(axis, 1, name, x.shape)  # a 0-d tensor scans as 1-d: axis 0 or -1
        return x.reshape((-1,)), 0
    return x, normalize_axes(axis, x.ndim, name, x.shape)[0]


def _typed(x: Tensor, dtype: Any, out: Any, name: str) -> Tensor:
    if out is not None:
        raise TypeError(f"{name}: out= is not supported (Tensors are not written in place by ops)")
    return x if dtype is None else x.astype(dtype)


_SCAN_0D = "torch.{0} keeps a 0-d input 0-d; numpy's (and autobp's) scans it as 1-d, shape (1,)"


@op(family=_C, differs=_SCAN_0D.format("cumsum"))
@takes_out
def cumsum(x: Any, axis: Any = None, dtype: Any = None, out: Any = None, *, dim: Any = None) -> Tensor:
    """Running sum along ``axis`` (of the flattened tensor if None)."""
    x, a = _scan_input(_typed(as_tensor(x), dtype, out, "cumsum"), axis, dim, "cumsum")
    kept = None if dtype is None else x.dtype  # numpy would widen small integers again
    return Tensor._make(np.cumsum(x._data, axis=a, dtype=kept), (x,), "cumsum", a)


@op(family=_C, differs=_SCAN_0D.format("cumprod"))
@takes_out
def cumprod(x: Any, axis: Any = None, dtype: Any = None, out: Any = None, *, dim: Any = None) -> Tensor:
    """Running product along ``axis`` (of the flattened tensor if None); exact gradients at zeros."""
    x, a = _scan_input(_typed(as_tensor(x), dtype, out, "cumprod"), axis, dim, "cumprod")
    kept = None if dtype is None else x.dtype  # numpy would widen small integers again
    return Tensor._make(np.cumprod(x._data, axis=a, dtype=kept), (x,), "cumprod", a)


@op(family=_C, numpy=None)
@torch_out("logcumsumexp", "scalar")
def logcumsumexp(x: Any, axis: Any = None, *, dim: Any = None) -> Tensor:
    """log(cumsum(exp(x))) along ``axis``, computed without overflow (PyTorch's logcumsumexp); for
    complex x PyTorch's running formula (its branch of the log, not the principal one)."""
    scalar = _torch_scalar(x, axis, dim)
    x, a = _scan_input(x, axis, dim, "logcumsumexp")
    if x.dtype.kind not in "fc":
        x = x.astype(np.float64)
    if x.dtype.kind == "c":
        out = Tensor._make(_complex_logcumsumexp(x._data, a), (x,), "logcumsumexp", a)
    else:
        out = Tensor._make(np.logaddexp.accumulate(x._data, axis=a), (x,), "logcumsumexp", a)
    return out.reshape(()) if scalar else out


def _torch_scalar(x: Any, axis: Any, dim: Any) -> bool:
    """PyTorch's scans that numpy lacks (logcumsumexp, cummax, cummin) keep a 0-d input 0-d along
    dim 0 / -1 (numpy's cumsum of a 0-d array scans it as 1-d, shape (1,), and autobp's cumsum follows
    numpy); axis None still scans the flattened tensor."""
    return isinstance(x, Tensor) and x.ndim == 0 and (axis is not None or dim is not None)


def _complex_logcumsumexp(z: np.ndarray, axis: int) -> np.ndarray:
    """PyTorch's running log-add-exp of complex numbers: each position folded into the previous
    result (its formula and branch, see complex_log_add_exp), one step per position."""
    from .binary import complex_log_add_exp

    zs = np.moveaxis(z, axis, 0)
    out = np.empty_like(zs)
    acc = np.full(zs.shape[1:], complex(-np.inf, 0.0), zs.dtype)
    for k in range(zs.shape[0]):
        acc = out[k] = complex_log_add_exp(zs[k], acc)
    return np.moveaxis(out, 0, axis)


def _running_extreme(x: Any, axis: Any, dim: Any, name: str, accumulate: Any, kind: type) -> Any:
    if _torch_scalar(x, axis, dim):
        normalize_axes(axis_arg(axis, dim, name), 1, name, x.shape)  # a 0-d tensor's axes: 0 and -1
        values, indices = _running_extreme(x.reshape((1,)), 0, None, name, accumulate, kind)
        return kind._make((values.reshape(()), indices.reshape(())))
    x, a = _scan_input(x, axis, dim, name)
    refuse_complex(x, name)
    data = x._data
    values = accumulate(data, axis=a) if data.size else data.copy()
    # PyTorch's index: the LAST position so far holding the running extreme (a tie moves it on), that
    # is the running maximum of the positions j where x_j equals the extreme so far or is NaN
    pos = along(np.arange(data.shape[a]), a, data.ndim)
    reached = data == values
    if data.dtype.kind == "f":
        reached |= np.isnan(data)
    marks = np.where(reached, pos, 0)
    indices = np.maximum.accumulate(marks, axis=a) if data.size else marks
    index = tuple(indices if i == a else p for i, p in enumerate(np.indices(data.shape, sparse=True)))
    return kind._make((Tensor._make(values, (x,), name, index), Tensor._const(indices.astype(np.int64))))


@op(family=_C, numpy=None)
@torch_out("cummax", "scalar", ("values", "indices"))
def cummax(x: Any, axis: Any = None, *, dim: Any = None) -> _rt.cummax:
    """Running maximum along ``axis`` and where it sits, a ``return_types.cummax``; ties as PyTorch.

    On ties the index (and the gradient) goes to the latest of the tied elements, as PyTorch's does.
    """
    return _running_extreme(x, axis, dim, "cummax", np.maximum.accumulate, _rt.cummax)


@op(family=_C, numpy=None)
@torch_out("cummin", "scalar", ("values", "indices"))
def cummin(x: Any, axis: Any = None, *, dim: Any = None) -> _rt.cummin:
    """Running minimum along ``axis`` and where it sits, a ``return_types.cummin``; ties as cummax."""
    return _running_extreme(x, axis, dim, "cummin", np.minimum.accumulate, _rt.cummin)


@op(family=_C, rules=("getitem", "sub", "concatenate"))
def diff(
    x: Any, n: int = 1, axis: Any = None, prepend: Any = None, append: Any = None, *, dim: Any = None
) -> Tensor:
    """n-th discrete difference along ``axis`` (numpy's; ``dim=`` PyTorch's), values put before/after.

    ``axis`` (or ``dim``) is the last one by default; ``prepend``/``append`` are joined on first."""
    x = as_tensor(x)
    axis = axis_arg(axis, dim, "diff")
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 0:
        raise ValueError(f"diff: order n must be a non-negative integer, got {n!r}")
    if x.ndim == 0:
        raise ShapeError("diff: diff expects input to be at least one-dimensional, got a 0-d tensor")
    (a,) = normalize_axes(-1 if axis is None else axis, x.ndim, "diff", x.shape)
    if n == 0:
        return x
    parts = []
    for name, extra in (("prepend", prepend), (None, x), ("append", append)):
        if extra is None:
            continue
        if name is not None:
            extra = as_tensor(extra)
            if extra.ndim == 0:
                shape = x.shape[:a] + (1,) + x.shape[a + 1 :]
                extra = extra.broadcast_to(shape)
            _check_extra(extra, x, a, name)
        parts.append(extra)
    from .joining import concatenate  # the joining family, imported when diff needs it

    y = parts[0] if len(parts) == 1 else concatenate(parts, axis=a)
    lead = (slice(None),) * a
    for _ in range(n):
        if y.dtype == bool:  # numpy's diff of booleans is "not equal"
            y = Tensor._const(y._data[lead + (slice(1, None),)] != y._data[lead + (slice(None, -1),)])
        else:
            y = y[lead + (slice(1, None),)] - y[lead + (slice(None, -1),)]
    return y


def _check_extra(extra: Tensor, x: Tensor, a: int, name: str) -> None:
    """diff's prepend/append: numpy's and PyTorch's shape rules, with PyTorch's words."""
    if extra.ndim != x.ndim:
        raise ShapeError(
            f"diff: diff expects prepend or append to be the same dimension as input; {name} has shape "
            f"{extra.shape}, the input {x.shape}"
        )
    if extra.shape[:a] + extra.shape[a + 1 :] != x.shape[:a] + x.shape[a + 1 :]:
        raise ShapeError(
            "diff: diff expects the shape of tensor to prepend or append to match that of input except "
            f"along the differencing dimension; {name} has shape {extra.shape}, the input {x.shape} (dim {a})"
        )


# --- rules: ctx = the scanned axis ------------------------------------------------------------
@rule("cumsum")  # d/dx_i of sum_k g_k out_k is the sum of g over k >= i: a reversed running sum
def _cumsum(F, g, out, xs, ctx, need):
    return (flip(F.cumsum(flip(g, ctx), axis=ctx), ctx),)


@rule("cumprod")
@holomorphic
def _cumprod(F, g, out, xs, ctx, need):
    # out_k = prod_{j<=k} x_j, so d/dx_i sum_k g_k out_k = sum_{k>=i} g_k prod_{j<=k, j!=i} x_j.
    # With z the first zero of a slice (n if none): for i < z every such term is g_k out_k / x_i
    # (terms with k >= z are 0 either way); for i > z every term holds x_z = 0; and at i = z it is
    # P * sum_{k>=z} g_k Q_k with P = prod_{j<z} x_j and Q_k = prod_{z<j<=k} x_j: no division by 0,
    # and a polynomial in x, so the rule is differentiable again (PyTorch computes the same).
    x, a = xs[0], ctx
    data = raw(x)
    n = data.shape[a]
    if data.size == 0:
        return (g,)
    pos = along(np.arange(n), a, data.ndim)
    zero = data == 0
    z = np.where(zero.any(axis=a, keepdims=True), zero.argmax(axis=a, keepdims=True), n)
    before = pos < z
    if isinstance(x, Tensor) or not np.all(in_range(out) | ~before):
        # recording (the masks below would cut the derivative of grad_i = 0 for i > z, true at
        # x_z = 0 only, and out_k / x_i cancels badly for tiny x_i), or a running product under- or
        # overflowed: the polynomial in full
        gl, xl = F.swapaxes(g, a, -1), F.swapaxes(x, a, -1)
        return (F.swapaxes(_cumprod_grad_polynomial(F, gl, xl), a, -1),)
    grad = F.where(before, flip(F.cumsum(flip(g * out, a), axis=a), a) / F.where(before, x, 1.0), 0.0)
    if z.min() < n:  # some slice holds a zero
        q = F.cumprod(F.where(pos <= z, 1.0, x), axis=a)
        s = F.where(pos >= z, g * q, 0.0).sum(axis=a, keepdims=True)
        p = F.cumprod(F.where(before, x, 1.0), axis=a)[(slice(None),) * a + (slice(n - 1, n),)]
        grad = grad + F.where(pos == z, p * s, 0.0)
    return (grad,)


def in_range(a: np.ndarray) -> np.ndarray:
    """Elementwise: |a| is a normal float (no underflow to 0 or subnormals, no overflow)."""
    m = np.abs(a)
    info = np.finfo(m.dtype)
    return (m >= info.tiny) & (m <= info.max)


def _cumprod_grad_polynomial(F, g: Any, x: Any) -> Any:
    """sum_{k>=i} g_k prod_{j<=k, j!=i} x_j along the last axis, as prod_{j<i} x_j times
    sum_{k>=i} g_k prod_{i<j<=k} x_j, through (n, n) running products: O(n^2), no division."""
    n = x.shape[-1]
    i, j = np.arange(n)[:, None], np.arange(n)[None, :]  # row i: the element differentiated
    rows = x[..., None, :]
    after = F.cumprod(F.where(j > i, rows, 1.0), axis=-1)  # [i, k] = prod_{i<j<=k} x_j
    s = F.where(j >= i, g[..., None, :] * after, 0.0).sum(axis=-1)
    p = F.cumprod(F.where(j < i, rows, 1.0), axis=-1)[..., n - 1]  # prod_{j<i} x_j
    return p * s


def _running_logsumexp(v: Any, axis: int) -> Any:
    """logcumsumexp of an ndarray (plain backward) or a Tensor (recorded)."""
    return logcumsumexp(v, axis=axis) if isinstance(v, Tensor) else np.logaddexp.accumulate(v, axis=axis)


@rule("logcumsumexp")
def _logcumsumexp(F, g, out, xs, ctx, need):
    # d/dx_i = sum_{k>=i} g_k exp(x_i - out_k). Summed in log space, the positive and the negative
    # parts of g apart (PyTorch's formula), so nothing overflows; a finite floor stands for log 0
    x, a = xs[0], ctx
    if x.dtype.kind == "c":
        return (_complex_logcumsumexp_grad(F, g, out, x, a),)
    floor = float(np.finfo(raw(x).dtype).min) / 4  # exp(floor + anything in range) is 0, no overflow
    log_abs = F.log(F.abs(F.where(g == 0, 1.0, g)))  # log|g|, kept finite where g is 0 (unused there)
    parts = []
    for part in (g > 0, g < 0):
        summed = flip(_running_logsumexp(flip(F.where(part, log_abs, floor) - out, a), a), a)
        parts.append(F.exp(summed + x))
    return (parts[0] - parts[1],)


def _complex_logcumsumexp_grad(F, g: Any, out: Any, x: Any, a: int) -> Any:
    """z.grad_i = sum_{k>=i} g_k conj(exp(x_i - out_k)) (holomorphic: g times the conjugate
    derivative), as exp(conj x_i - s) times the reversed running sum of g_k exp(s - conj out_k); the
    shift s, the largest Re(out) of the slice, is a constant (it cancels), so this overflows only
    when Re(out) spans more than ~700 within one slice."""
    c = F.conj(out)
    s = np.max(raw(out).real, axis=a, keepdims=True) if raw(out).size else 0.0
    s = np.where(np.isfinite(s), s, 0.0)
    tail = flip(F.cumsum(flip(g * F.exp(s - c), a), axis=a), a)
    return F.exp(F.conj(x) - s) * tail


@rule("cummax")  # ctx = the index of each output's source element: g goes there (repeats add up)
def _cummax(F, g, out, xs, ctx, need):
    return (F.scatter_add(g, ctx, xs[0].shape),)


RULES["cummin"] = _cummax
