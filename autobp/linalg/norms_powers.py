"""Norms and powers: vector_norm (any ord, PyTorch's gradient at zero and at ties), matrix_norm
('fro', 'nuc', +-1, +-2, +-inf), norm (numpy.linalg.norm's dispatch between them) and matrix_power.
Op names carry a ``linalg_`` prefix where autobp's own ``norm``/``vector_norm`` could clash."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._broadcast import normalize_axes, reduction_axes, reduction_ctx
from .._torch_out import takes_out
from ..ops import abs as _abs
from ..ops import expand_dims, transpose, where
from ..ops import max as _max
from ..ops import min as _min
from ..ops import sum as _sum
from ..ops._args import as_tensor, axis_arg, keep_arg
from ..ops._decl import op
from ..ops.complex_parts import real_part
from ..ops.norms import norm as _flat_norm
from ..ops.norms import sgn
from ..ops.reductions import expand_reduced
from ..rules import rule
from ..tensor import Tensor
from ._common import FAMILY, NS, LinalgArgumentError, check_matrix, data_of
from .solve import inv
from .svd import svdvals


def _cast(x: Any, dtype: Any) -> Tensor:
    """``x`` as a Tensor, cast to ``dtype`` first when given (PyTorch's dtype= of the norms)."""
    x = as_tensor(x)
    return x if dtype is None or np.dtype(dtype) == x.dtype else x.astype(dtype)


@op(name="linalg_vector_norm", family=FAMILY, namespace=NS, numpy=(np.linalg.vector_norm,), method=False)
@takes_out("linalg.vector_norm")
def vector_norm(
    x: Any,
    ord: Any = 2,
    axis: Any = None,
    keepdims: bool = False,
    *,
    dim: Any = None,
    keepdim: Any = None,
    dtype: Any = None,
) -> Tensor:
    """(sum |x|^ord)^(1/ord) over ``axis`` (all axes by default); ord inf/-inf: max/min |x|, 0: the
    count of nonzeros. Gradient as PyTorch's: 0 where the norm is 0, ties of inf-norms share it.
    ``dtype=`` (PyTorch's) casts x first."""
    x = _cast(x, dtype)
    axis, keepdims = axis_arg(axis, dim, "vector_norm"), keep_arg(keepdims, keepdim)
    if isinstance(ord, str) or ord is None:
        raise LinalgArgumentError(f"vector_norm: ord must be a number, got {ord!r}")
    axes = reduction_axes(axis, x.ndim, "vector_norm", x.shape)
    p = float(ord)
    data = np.linalg.vector_norm(x._data, ord=p, axis=axes, keepdims=keepdims)
    if x.dtype.kind == "f":
        data = data.astype(x.dtype, copy=False)
    return Tensor._make(
        np.asarray(data), (x,), "linalg_vector_norm", reduction_ctx(axes, keepdims, x.shape, p)
    )


@rule("linalg_vector_norm")  # ctx = (axes, kept shape, ord)
def _vector_norm(F, g, out, xs, ctx, need):
    x, p = xs[0], ctx[2]
    g, n = expand_reduced(real_part(F, g), ctx), expand_reduced(out, ctx)
    if p == 0:
        return (0.0 * x,)
    if p == 1:
        return (g * sgn(F, x),)
    zero = data_of(n) == 0
    safe_n = F.where(zero, 1.0, n)
    if p == 2:
        return (F.where(zero, 0.0, g / safe_n) * x,)
    if np.isinf(p):  # the elements at the max (min) of |x| share g equally, as amax's ties
        at = np.abs(data_of(x)) == data_of(n)
        share = at / np.maximum(at.sum(axis=ctx[0], keepdims=True), 1)
        return (g * sgn(F, x) * share.astype(data_of(g).dtype),)
    ax = F.abs(x)
    if p < 1:
        xz = data_of(x) == 0
        scaled = sgn(F, x) * F.where(xz, 0.0, F.where(xz, 1.0, ax) ** (p - 1))
        return (scaled * g * n ** (1 - p),)
    scale = F.where(zero, 0.0, g / safe_n ** (p - 1))
    scaled = sgn(F, x) * ax ** (p - 1) if p < 2 else x * ax ** (p - 2)
    return (scaled * scale,)


def _two_axes(axis: Any, x: Tensor, op_name: str) -> tuple:
    if not isinstance(axis, (tuple, list)) or len(axis) != 2:
        raise LinalgArgumentError(
            f"linalg.{op_name}: axis must be a pair of axes (dim must be a 2-tuple), got {axis!r}"
        )
    if x.ndim < 2:
        raise LinalgArgumentError(
            f"linalg.{op_name}: expected at least 2 dimensions, got shape {x.shape} (The input tensor A must "
            "have at least 2 dimensions)"
        )
    r, c = (normalize_axes(a, x.ndim, op_name, x.shape)[0] for a in axis)
    if r == c:
        raise LinalgArgumentError(f"{op_name}: the two axes {tuple(axis)} are the same")
    return r, c


@op(name="linalg_matrix_norm", family=FAMILY, namespace=NS, numpy=(np.linalg.matrix_norm,), method=False)
@takes_out("linalg.matrix_norm")
def matrix_norm(
    x: Any,
    ord: Any = "fro",
    axis: Any = (-2, -1),
    keepdims: bool = False,
    *,
    dim: Any = None,
    keepdim: Any = None,
    dtype: Any = None,
) -> Tensor:
    """Matrix norm over the two ``axis``: 'fro', 'nuc' (sum of singular values), 2/-2 (largest/
    smallest singular value), 1/-1 (max/min column sum of |x|), inf/-inf (max/min row sum).
    ``dtype=`` (PyTorch's) casts x first."""
    x = _cast(x, dtype)
    if x.dtype.kind in "biu":  # numpy's norms compute integers as float64 (the 1/inf sums were int64)
        x = x.astype(np.float64)
    if dim is not None and tuple(axis) == (-2, -1):  # PyTorch's dim= with axis left at its default
        axis = None
    axis, keepdims = axis_arg(axis, dim, "matrix_norm"), keep_arg(keepdims, keepdim)
    r, c = _two_axes(axis, x, "matrix_norm")
    empty = x.shape[r] == 0 or x.shape[c] == 0
    if ord == "fro" or (
        empty and ord in (1, 2, np.inf)
    ):  # an empty matrix's 1, 2, inf norms: 0 (numpy, torch)
        return vector_norm(x, 2, axis=(r, c), keepdims=keepdims)
    if ord in ("nuc", 2, 1, np.inf) and 0 in (x.shape[r], x.shape[c]):  # an empty matrix: 0, as numpy's
        return vector_norm(x, 1, axis=(r, c), keepdims=keepdims)
    if ord in ("nuc", 2, -2):
        rest = [i for i in range(x.ndim) if i not in (r, c)]
        s = svdvals(transpose(x, rest + [r, c]))
        out = _sum(s, -1) if ord == "nuc" else _max(s, -1) if ord == 2 else _min(s, -1)
    elif ord in (1, -1, np.inf, -np.inf):
        inner, outer = (r, c) if ord in (1, -1) else (c, r)  # column sums for 1, row sums for inf
        sums = _sum(_abs(x), axis=inner, keepdims=True)
        out = (_max if ord > 0 else _min)(sums, axis=outer, keepdims=True)
        out = out.reshape(tuple(n for i, n in enumerate(x.shape) if i not in (r, c)))
    else:
        raise LinalgArgumentError(
            f"matrix_norm: invalid ord {ord!r} (use 'fro', 'nuc', 1, -1, 2, -2, inf or -inf)"
        )
    if keepdims:
        out = expand_dims(expand_dims(out, min(r, c)), max(r, c))
    return out


@op(name="linalg_norm", family=FAMILY, namespace=NS, numpy=(np.linalg.norm,), method=False, rules=())
@takes_out("linalg.norm")
def norm(
    x: Any,
    ord: Any = None,
    axis: Any = None,
    keepdims: bool = False,
    *,
    dim: Any = None,
    keepdim: Any = None,
    dtype: Any = None,
) -> Tensor:
    """numpy.linalg.norm: the 2-norm of all elements when ``ord`` and ``axis`` are None; a vector
    norm over an int ``axis`` (or of a 1-D ``x``); a matrix norm over a pair (or of a 2-D ``x``).
    ``dim``/``keepdim`` are torch.linalg.norm's spellings of ``axis``/``keepdims``; ``dtype=``
    (PyTorch's) casts x first."""
    x = _cast(x, dtype)
    axis, keepdims = axis_arg(axis, dim, "norm"), keep_arg(keepdims, keepdim)
    if axis is None and (ord is None or (ord in ("f", "fro") and x.ndim == 2) or (ord == 2 and x.ndim == 1)):
        # numpy's sqrt(dot(r, r)) of the raveled array, bit for bit: autobp.norm computes it so
        return _flat_norm(x, keepdims=keepdims)
    if axis is None:
        if x.ndim not in (1, 2):
            raise LinalgArgumentError(
                f"norm: ord={ord!r} without axis needs a 1-D or 2-D input, got shape {x.shape}"
            )
        axis = tuple(range(x.ndim))
    if isinstance(axis, (int, np.integer)):
        axis = (int(axis),)
    axis = tuple(axis)
    if len(axis) == 1:
        if isinstance(ord, str):
            raise LinalgArgumentError(f"norm: invalid ord {ord!r} for a vector norm")
        return vector_norm(x, 2 if ord is None else ord, axis=axis, keepdims=keepdims)
    if len(axis) == 2:
        return matrix_norm(x, "fro" if ord is None else ord, axis=axis, keepdims=keepdims)
    raise LinalgArgumentError(f"norm: axis must be an int or a pair, got {axis!r}")


@op(family=FAMILY, namespace=NS, numpy=(np.linalg.matrix_power,), method=False, rules=("matmul", "inv"))
@takes_out("linalg.matrix_power")
def matrix_power(a: Any, n: int) -> Tensor:
    """a multiplied by itself ``n`` times (n < 0: of its inverse; n = 0: the identity), by repeated
    squaring, so the gradient is matmul's (and inv's)."""
    a = as_tensor(a)
    check_matrix(a, "matrix_power")
    if not isinstance(n, (int, np.integer)):
        raise TypeError(f"matrix_power: exponent must be an integer, got {n!r}")
    if n == 0:
        eye = np.broadcast_to(np.eye(a.shape[-1], dtype=a.dtype), a.shape)  # numpy's: a's dtype (bool too)
        if not a.requires_grad:
            return Tensor._const(eye.copy())
        # on the graph with a zero gradient (PyTorch's): the identity picked over a, so a's nan/inf stay out
        return where(np.ones(a.shape, dtype=bool), Tensor._const(eye.copy()), a)
    base = inv(a) if n < 0 else a
    n = abs(int(n))
    result = None
    while n:  # binary exponentiation: log2(n) squarings
        if n & 1:
            result = base if result is None else result @ base
        n >>= 1
        if n:
            base = base @ base
    return result
