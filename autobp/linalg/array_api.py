"""numpy.linalg's names for top-level operations (its array-API additions: cross, outer, diagonal,
trace, matmul, matrix_transpose, tensordot, vecdot) with numpy.linalg's stricter semantics, and
cond, matrix_rank, multi_dot, tensorinv and tensorsolve, all built on autobp's differentiable ops."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._autocast import autocasts
from .._autocast import lower as _autocast_lower
from .._autocast import on_threads as _autocast_threads
from .._autocast import state as _autocast
from .._torch_out import takes_out
from ..ops._args import as_tensor, pair
from ..ops._decl import op
from ..tensor import Tensor
from ._common import FAMILY, NS, LinalgArgumentError, LinAlgShapeError, data_of

_LA = dict(family=FAMILY, namespace=NS, method=False)


def _dim(axis: Any, dim: Any, default: Any, name: str) -> Any:
    """PyTorch's ``dim=`` for numpy's ``axis=``; both given must agree."""
    if dim is None:
        return axis
    if axis != default and axis != dim:
        raise TypeError(f"{name}: got both axis={axis!r} and dim={dim!r}")
    return dim


@op(
    name="linalg_cross",
    numpy=(np.linalg.cross,),
    rules=("transpose", "getitem", "mul", "sub", "stack"),
    **_LA,
)
@takes_out("linalg.cross")
def cross(x1: Any, x2: Any, /, *, axis: int = -1, dim: Any = None) -> Tensor:
    """Cross product of 3-vectors along ``axis`` (numpy.linalg's: both must have size 3 there;
    PyTorch's ``dim=`` names the axis too)."""
    from ..ops.einsum import cross as _cross

    axis = _dim(axis, dim, -1, "linalg.cross")

    a, b = pair(x1, x2, "linalg.cross")
    if a.ndim == 0 or b.ndim == 0 or a.shape[axis] != 3 or b.shape[axis] != 3:
        raise LinalgArgumentError(
            f"linalg.cross: input arrays must be (arrays of) 3-dimensional vectors (along axis {axis}), "
            f"got shapes {a.shape} and {b.shape}"
        )
    return _cross(a, b, axis=axis)


@op(name="linalg_outer", numpy=(np.linalg.outer,), rules=("einsum",), **_LA)
def outer(x1: Any, x2: Any, /) -> Tensor:
    """Outer product of two 1-d vectors (numpy.linalg's: no flattening of other shapes)."""
    from ..ops.einsum import outer as _outer

    a, b = pair(x1, x2, "linalg.outer")
    if a.ndim != 1 or b.ndim != 1:
        raise LinalgArgumentError(
            "linalg.outer: Input arrays must be one-dimensional, but they are "
            f"x1.ndim={a.ndim} and x2.ndim={b.ndim} (shapes {a.shape} and {b.shape})"
        )
    return _outer(a, b)


@op(name="linalg_diagonal", numpy=(np.linalg.diagonal,), rules=("transpose", "getitem"), **_LA)
def diagonal(x: Any, /, *, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """Diagonal ``offset`` of each matrix (the last two axes, or PyTorch's ``dim1``/``dim2``), as a
    new last axis."""
    from ..ops.diagonals import diagonal as _diagonal

    return _diagonal(x, offset, dim1, dim2)


@op(name="linalg_trace", numpy=(np.linalg.trace,), rules=("transpose", "getitem", "sum"), **_LA)
def trace(x: Any, /, *, offset: int = 0, dtype: Any = None) -> Tensor:
    """Sum of diagonal ``offset`` of each matrix (the last two axes)."""
    from ..ops.diagonals import trace as _trace

    return _trace(x, offset, -2, -1, dtype)


@op(name="linalg_matmul", numpy=(np.linalg.matmul,), rules=("matmul",), **_LA)
def matmul(x1: Any, x2: Any, /) -> Tensor:
    """Matrix product, batched and with 1-d operands as numpy's matmul."""
    from ..ops.products import matmul as _matmul

    return _matmul(x1, x2)


@op(name="linalg_matrix_transpose", numpy=(np.linalg.matrix_transpose,), rules=("transpose",), **_LA)
def matrix_transpose(x: Any, /) -> Tensor:
    """Each matrix transposed (the last two axes swapped); needs at least 2 dimensions."""
    x = as_tensor(x)
    if x.ndim < 2:
        raise LinalgArgumentError(
            f"linalg.matrix_transpose: array must be at least 2-dimensional, got shape {x.shape}"
        )
    return x.swapaxes(-1, -2)


@op(name="linalg_tensordot", numpy=(np.linalg.tensordot,), rules=("einsum",), **_LA)
def tensordot(x1: Any, x2: Any, /, *, axes: Any = 2) -> Tensor:
    """Sum of products over ``axes`` (an int N: x1's last N with x2's first N; or two lists)."""
    from ..ops.einsum import tensordot as _tensordot

    return _tensordot(x1, x2, axes)


def _kept(a: Tensor, b: Tensor) -> Any:
    """The dtype numpy.linalg.vecdot keeps for integers and bools (sum would widen them to int64)."""
    dt = np.result_type(a.dtype, b.dtype)
    return dt if dt.kind in "iub" else None


@op(name="linalg_vecdot", numpy=(np.linalg.vecdot,), rules=("conj", "mul", "sum", "transpose"), **_LA)
@takes_out("linalg.vecdot")
def vecdot(x1: Any, x2: Any, /, *, axis: int = -1, dim: Any = None) -> Tensor:
    """Dot product sum(conj(x1) * x2) along ``axis`` (or PyTorch's ``dim``), the other axes broadcast.

    numpy's ``axis`` names an axis of each input before broadcasting (numpy.linalg.vecdot's gufunc
    rule); PyTorch's ``dim`` names an axis of the broadcast shape (torch.linalg.vecdot). The two differ
    only for a non-negative axis of inputs of different ranks."""
    from ..linalg._common import conj

    torch_dim = dim is not None
    axis = _dim(axis, dim, -1, "linalg.vecdot")

    a, b = pair(x1, x2, "linalg.vecdot")
    if _autocast_threads and _autocast.enabled:  # autobp.autocast: float32 operands to float16
        a, b = _autocast_lower(a, b)
    if torch_dim:
        if a.ndim == 0 or b.ndim == 0 or a.shape[axis] != b.shape[axis]:
            raise LinalgArgumentError(
                f"linalg.vecdot: shapes {a.shape} and {b.shape} differ along dim {axis}"
            )
        return (conj(a) * b).sum(axis=axis, dtype=_kept(a, b))
    if a.ndim == 0 or b.ndim == 0 or not (-a.ndim <= axis < a.ndim and -b.ndim <= axis < b.ndim):
        raise LinalgArgumentError(
            f"linalg.vecdot: axis {axis} is out of bounds for shapes {a.shape} and {b.shape}"
        )
    if a.shape[axis] != b.shape[axis]:
        raise LinalgArgumentError(f"linalg.vecdot: shapes {a.shape} and {b.shape} differ along axis {axis}")
    return (conj(a.moveaxis(axis, -1)) * b.moveaxis(axis, -1)).sum(axis=-1, dtype=_kept(a, b))


@op(name="linalg_matrix_rank", numpy=(np.linalg.matrix_rank,), differentiable=False, **_LA)
@takes_out("linalg.matrix_rank", "safe")
@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def matrix_rank(
    A: Any,  # noqa: N803
    tol: Any = None,
    hermitian: bool = False,
    *,
    rtol: Any = None,
    atol: Any = None,
) -> Tensor:
    """Rank of each matrix by SVD (numpy's tolerances; an integer, no gradient).

    PyTorch's ``atol=``: singular values above max(atol, rtol * the largest) count, with rtol 0 when
    only atol is given (torch.linalg.matrix_rank's rule)."""
    a = as_tensor(A)
    tol = tol if tol is None else data_of(tol)
    if atol is None:
        return Tensor._const(np.asarray(np.linalg.matrix_rank(a._data, tol, hermitian, rtol=rtol)))
    if tol is not None:
        raise TypeError("linalg.matrix_rank: give tol= or atol=/rtol=, not both")
    x = a._data
    if x.ndim < 2:
        raise LinAlgShapeError(f"linalg.matrix_rank: needs matrices (..., M, N), got shape {x.shape}")
    s = np.abs(np.linalg.eigvalsh(x)) if hermitian else np.linalg.svd(x, compute_uv=False)
    big = s.max(axis=-1, keepdims=True) if s.shape[-1] else np.zeros(s.shape[:-1] + (1,))
    limit = np.maximum(
        np.asarray(data_of(atol))[..., None],
        (0.0 if rtol is None else np.asarray(data_of(rtol))[..., None]) * big,
    )
    return Tensor._const(np.asarray((s > limit).sum(axis=-1), dtype=np.int64))


@op(name="linalg_cond", numpy=(np.linalg.cond,), rules=("svd_s", "getitem", "div", "inv"), **_LA)
@takes_out("linalg.cond", "safe")
@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def cond(x: Any, p: Any = None) -> Tensor:
    """Condition number of each matrix in the norm ``p`` (numpy's cond).

    p None or 2 (-2): the largest over the smallest singular value (its inverse), differentiable by
    autobp.linalg.svdvals; other p ('fro', 'nuc', inf, -inf, 1, -1): norm(x, p) norm(inv(x), p),
    square matrices, differentiable by norm and inv. A singular matrix gives inf, as numpy (a
    constant: its condition number has no derivative)."""
    from .norms_powers import matrix_norm
    from .solve import inv
    from .svd import svdvals

    x = as_tensor(x)
    if x.ndim < 2:
        raise LinAlgShapeError(f"linalg.cond: {x.ndim}-dimensional array given; it must be at least two")
    if x.shape[-1] == 0 or x.shape[-2] == 0:
        raise LinAlgShapeError(f"linalg.cond: not defined on empty arrays (shape {x.shape})")
    if p is None or p in (2, -2):
        s = svdvals(x)
        with np.errstate(all="ignore"):
            r = s[..., -1] / s[..., 0] if p == -2 else s[..., 0] / s[..., -1]
    else:
        if x.shape[-1] != x.shape[-2]:
            raise LinAlgShapeError(f"linalg.cond: p={p!r} needs square matrices, got shape {x.shape}")
        with np.errstate(all="ignore"):
            try:
                r = matrix_norm(x, p) * matrix_norm(inv(x), p)
            except np.linalg.LinAlgError:  # singular: numpy's inf (computed on the numbers)
                return Tensor._const(np.asarray(np.linalg.cond(x._data, p)))
    bad = np.isnan(data_of(r)) & ~np.isnan(x._data).any(axis=(-2, -1))
    if bad.any():  # numpy turns a NaN from a singular matrix into inf
        from ..ops.elementwise import where

        r = where(bad, np.inf, r)
    return r


@op(name="linalg_multi_dot", numpy=(np.linalg.multi_dot,), rules=("matmul", "reshape", "getitem"), **_LA)
@takes_out("linalg.multi_dot")
def multi_dot(arrays: Any, *, out: Any = None) -> Tensor:
    """Product of two or more matrices (the first may be a row vector, the last a column vector).

    Multiplied left to right: numpy picks the cheapest order, so values agree to rounding."""
    from ..ops.products import matmul

    ts = [as_tensor(a) for a in arrays]
    if len(ts) < 2:
        raise LinalgArgumentError(
            f"linalg.multi_dot: expecting at least two arrays, got {len(ts)} (expected at least 2 tensors)"
        )
    row, col = ts[0].ndim == 1, ts[-1].ndim == 1
    if row:
        ts[0] = ts[0].reshape((1, -1))
    if col:
        ts[-1] = ts[-1].reshape((-1, 1))
    for i, t in enumerate(ts):
        if t.ndim != 2:
            raise LinalgArgumentError(
                f"linalg.multi_dot: array {i} has shape {t.shape}; it must be two-dimensional"
            )
    result = ts[0]
    for t in ts[1:]:
        result = matmul(result, t)
    if row and col:
        return result[0, 0]
    return result[0] if row else result[:, 0] if col else result


@op(name="linalg_tensorinv", numpy=(np.linalg.tensorinv,), rules=("reshape", "inv"), **_LA)
@takes_out("linalg.tensorinv", "safe")
def tensorinv(a: Any, ind: int = 2) -> Tensor:
    """The inverse of ``a`` as a linear map from its first ``ind`` axes to the rest (numpy's)."""
    from .solve import inv

    a = as_tensor(a)
    if ind <= 0:
        raise LinalgArgumentError(
            f"linalg.tensorinv: invalid ind argument {ind} (Expected a strictly positive integer for 'ind')"
        )
    inv_shape = a.shape[ind:] + a.shape[:ind]
    rows = int(np.prod(a.shape[ind:]))
    cols = int(np.prod(a.shape[:ind]))
    if rows != cols:
        raise LinAlgShapeError(
            f"linalg.tensorinv: shape {a.shape} with ind={ind} is not square ({cols} x {rows} as a matrix; "
            "Expected self to satisfy the requirement prod(self.shape[ind:]) == prod(self.shape[:ind]))"
        )
    return inv(a.reshape((rows, cols))).reshape(inv_shape)


@op(name="linalg_tensorsolve", numpy=(np.linalg.tensorsolve,), rules=("transpose", "reshape", "solve"), **_LA)
@takes_out("linalg.tensorsolve", "safe")
def tensorsolve(a: Any, b: Any, axes: Any = None, *, dims: Any = None) -> Tensor:
    """x with tensordot(a, x, x.ndim) = b (numpy's tensorsolve); ``axes`` of a moved to the end first
    (``dims=`` is PyTorch's spelling of ``axes``)."""
    from ..ops.shape import transpose
    from .solve import solve

    a, b = as_tensor(a), as_tensor(b)
    if dims is not None:
        if axes is not None:
            raise TypeError("linalg.tensorsolve: give axes (numpy's) or dims (PyTorch's), not both")
        axes = dims
    an = a.ndim
    if axes is not None:
        order = [k for k in range(an) if k not in [ax % an for ax in axes]] + [ax % an for ax in axes]
        a = transpose(a, order)
    old = a.shape[an - (an - b.ndim) :] if an > b.ndim else ()
    n = int(np.prod(old))
    if a.size != n * n or b.size != n:
        raise LinAlgShapeError(
            f"linalg.tensorsolve: a of shape {a.shape} and b of shape {b.shape} must satisfy "
            "prod(a.shape[b.ndim:]) == prod(a.shape[:b.ndim]) == b.size (Expected self to satisfy the "
            "requirement prod(self.shape[other.ndim:]) == prod(self.shape[:other.ndim]))"
        )
    return solve(a.reshape((n, n)), b.reshape((-1,))).reshape(old)
