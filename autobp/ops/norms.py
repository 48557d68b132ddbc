"""Vector and matrix norms: ``norm`` as numpy.linalg.norm, ``vector_norm`` as torch.linalg.vector_norm;
gradients at 0 and at ties as PyTorch's (0 for the 2-norm of a zero vector, sign(0) = 0, ties split)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._broadcast import normalize_axes, reduction_axes, reduction_ctx
from ..rules import rule
from ..tensor import Tensor
from . import reductions as _red
from ._args import as_tensor, axis_arg, keep_arg
from ._decl import op
from .complex_parts import real_part
from .elementwise import abs as _abs
from .reductions import expand_reduced
from .scans import raw

_N = "norms"


def _floating(x: Any) -> Tensor:
    x = as_tensor(x)
    return x if x.dtype.kind in "fc" else x.astype(np.float64)  # numpy's norm works in float


def sgn(F: Any, x: Any) -> Any:
    """d|x|/dx in PyTorch's convention: sign(x) for real x, x/|x| for complex x, 0 at 0."""
    if raw(x).dtype.kind != "c":
        return F.sign(x)
    zero = raw(x) == 0
    return F.where(zero, 0.0, x / F.abs(F.where(zero, 1.0, x)))


def _p_norm(x: Tensor, p: float, axes: tuple, keepdims: bool, name: str, flat: bool = False) -> Tensor:
    """(sum |x|^p)^(1/p) over ``axes``, computed as numpy.linalg.norm does; inf: max |x|, -inf:
    min |x|, 0: the count of nonzeros. One node, rule "vector_norm". ``flat``: numpy.linalg.norm's
    default 2-norm of the whole array, which numpy computes as sqrt(dot(r, r)) of r = x.ravel("K")
    (a BLAS dot, whose summation order differs from add.reduce's; for complex r the real and
    imaginary parts' dots added): the same, bit for bit."""
    if flat:
        r = x._data.ravel(order="K")
        sq = r.real.dot(r.real) + r.imag.dot(r.imag) if r.dtype.kind == "c" else r.dot(r)
        out = np.sqrt(sq)
        out = out.reshape((1,) * x.ndim) if keepdims else out
        return Tensor._make(out, (x,), "vector_norm", reduction_ctx(axes, keepdims, x.shape, p))
    data = np.abs(x._data) if x.dtype.kind == "c" else x._data  # a norm only sees the moduli
    if np.isinf(p) and any(x.shape[a] == 0 for a in axes):
        raise ValueError(f"{name}: ord={p} of an empty axis (shape {x.shape}, axes {axes}) is undefined")
    if p == np.inf:
        out = np.abs(data).max(axis=axes, keepdims=keepdims)
    elif p == -np.inf:
        out = np.abs(data).min(axis=axes, keepdims=keepdims)
    elif p == 0:
        out = (data != 0).astype(data.dtype).sum(axis=axes, keepdims=keepdims)
    elif p == 1:
        out = np.add.reduce(np.abs(data), axis=axes, keepdims=keepdims)
    elif p == 2:
        out = np.sqrt(np.add.reduce(data * data, axis=axes, keepdims=keepdims))
    else:
        powered = np.abs(data) ** p
        out = np.add.reduce(powered, axis=axes, keepdims=keepdims)
        with np.errstate(divide="ignore"):
            out = out ** np.reciprocal(p, dtype=out.dtype)
    return Tensor._make(out, (x,), "vector_norm", reduction_ctx(axes, keepdims, x.shape, p))


@op(
    family=_N,
    numpy=(np.linalg.norm,),
    rules=("vector_norm", "abs", "sum", "max", "min", "reshape"),
    differs="torch.norm(x, p, dim) is deprecated and spells ord as p; for matrices use "
    "torch.linalg.norm, whose meaning this is (numpy.linalg.norm's)",
)
def norm(
    x: Any,
    ord: Any = None,  # noqa: A002
    axis: Any = None,
    keepdims: bool = False,
    *,
    dim: Any = None,
    keepdim: Any = None,
    p: Any = None,
    dtype: Any = None,
    out: Any = None,
) -> Tensor:
    """Vector or matrix norm, as numpy.linalg.norm (the flattened 2-norm by default).

    ``ord`` None/2/1/inf/-inf/0/any p for vectors; None/'fro'/1/-1/inf/-inf for matrices (``axis`` a
    pair); 'nuc', 2 and -2 of matrices from autobp.linalg.svdvals.

    torch.norm's keywords: ``p=`` (instead of ord) has PyTorch's meaning, a vector norm of the
    flattened input (or over ``dim``) for a number, see autobp/ops/norms_torch.py; ``dtype=`` casts
    the input first; ``out=`` takes the result (PyTorch's rules, autobp.linalg.torch_out).
    """
    if dtype is not None:
        x = as_tensor(x).astype(dtype)
    if out is not None:
        from .._torch_out import write_out

        r = norm(x, ord, axis, keepdims, dim=dim, keepdim=keepdim, p=p)
        return write_out(r, out, "norm")
    x = _floating(x)
    axis, keepdims = axis_arg(axis, dim, "norm"), keep_arg(keepdims, keepdim)
    if p is not None:
        if ord is not None:
            raise TypeError(f"norm: give ord (numpy's) or p (torch.norm's), not both (ord={ord!r}, p={p!r})")
        from .norms_torch import torch_norm

        return torch_norm(x, p, axis, keepdims)
    reduction_ctx((), keepdims, ())  # checks keepdims
    if axis is None:
        if ord is None or (ord in ("f", "fro") and x.ndim == 2) or (ord == 2 and x.ndim == 1):
            return _p_norm(x, 2, tuple(range(x.ndim)), keepdims, "norm", flat=True)
        axis = tuple(range(x.ndim))
    elif not isinstance(axis, tuple):
        if isinstance(axis, bool) or not hasattr(axis, "__index__"):
            raise TypeError(f"norm: axis must be an int or a pair of ints, got {axis!r}")
        axis = (axis,)
    if len(axis) == 1:
        axes = reduction_axes(axis, x.ndim, "norm", x.shape)
        if isinstance(ord, str):
            raise ValueError(f"norm: invalid order {ord!r} for vectors (it is a matrix norm)")
        return _p_norm(x, 2.0 if ord is None else float(ord), axes, keepdims, "norm")
    if len(axis) != 2:
        raise ValueError(
            f"norm: ord={ord!r} needs a vector or a matrix; got {len(axis)} axes "
            f"(shape {x.shape}, axis {axis})"
        )
    row, col = (normalize_axes(a, x.ndim, "norm", x.shape)[0] for a in axis)
    if row == col:
        raise ValueError(f"norm: axis {axis} names the same axis twice")
    return _matrix_norm(x, ord, row, col, keepdims)


def _matrix_norm(x: Tensor, ord: Any, row: int, col: int, keepdims: bool) -> Tensor:  # noqa: A002
    if ord in (None, "fro", "f"):
        return _p_norm(x, 2, tuple(sorted((row, col))), keepdims, "norm")
    if ord in ("nuc", 2, -2):  # from the singular values of the (row, col) planes
        from ..linalg import svdvals  # autobp.linalg imports autobp.ops: import at call time
        from .axis_moves import moveaxis
        from .shape import expand_dims

        s = svdvals(moveaxis(x, (row, col), (-2, -1)))
        out = s.sum(axis=-1) if ord == "nuc" else s.max(axis=-1) if ord == 2 else s.min(axis=-1)
        if keepdims:
            for a in sorted((row, col)):
                out = expand_dims(out, a)
        return out
    if ord in (1, -1):  # the largest (smallest) column sum of |x|
        summed, over = row, col
    elif ord in (np.inf, -np.inf):  # the largest (smallest) row sum of |x|
        summed, over = col, row
    else:
        raise ValueError(f"norm: invalid order {ord!r} for matrices (None, 'fro', 1, -1, inf, -inf)")
    if any(x.shape[a] == 0 for a in (row, col)):
        raise ValueError(f"norm: ord={ord!r} of an empty matrix (shape {x.shape}) is undefined")
    sums = _red.sum(_abs(x), axis=summed)
    pick = _red.amax if ord in (1, np.inf) else _red.amin
    out = pick(sums, axis=over - (over > summed))
    if keepdims:
        shape = list(x.shape)
        shape[row] = shape[col] = 1
        out = out.reshape(tuple(shape))
    return out


@op(family=_N, numpy=None)
def vector_norm(
    x: Any,
    ord: float = 2,  # noqa: A002
    axis: Any = None,
    keepdims: bool = False,
    *,
    dim: Any = None,
    keepdim: Any = None,
) -> Tensor:
    """The ``ord``-norm over ``axis`` (all axes by default), as torch.linalg.vector_norm.

    (sum |x|^ord)^(1/ord) over any number of axes; inf: max |x|; -inf: min |x|; 0: count nonzero.
    """
    x = _floating(x)
    axis, keepdims = axis_arg(axis, dim, "vector_norm"), keep_arg(keepdims, keepdim)
    if isinstance(ord, str) or isinstance(ord, bool):
        raise TypeError(f"vector_norm: ord must be a number, got {ord!r}")
    axes = reduction_axes(axis, x.ndim, "vector_norm", x.shape)
    return _p_norm(x, float(ord), axes, keepdims, "vector_norm")


@rule("vector_norm")  # ctx = (axes, kept shape or None, p); PyTorch's formulas, zeros included
def _vector_norm(F, g, out, xs, ctx, need):
    x, p = xs[0], ctx[2]
    g, n = expand_reduced(real_part(F, g), ctx), expand_reduced(out, ctx)
    if p == 0:  # a count: piecewise constant
        return (F.broadcast_to(g * 0.0, x.shape),)
    if p == 1:
        return (sgn(F, x) * g,)
    if np.isinf(p):  # d max|x|: sign(x), the gradient split among the elements at the extreme
        absx = np.abs(raw(x))
        hit = (absx == raw(n)) | np.isnan(absx)
        return (sgn(F, x) * (g / hit.sum(axis=ctx[0], keepdims=True)) * hit,)
    flat = n == 0  # the norm of a zero vector: PyTorch's gradient there is 0 (for p >= 1)
    if p == 2:
        return (g * F.where(flat, 0.0, x / F.where(flat, 1.0, n)),)
    zero = x == 0
    absx = F.abs(F.where(zero, 1.0, x))  # |x|, 1 where x is 0 so that no power below is infinite
    if p < 1:  # |x|^(p-1) is infinite at 0: that element's gradient is taken as 0 (PyTorch's)
        return (sgn(F, x) * F.where(zero, 0.0, absx ** (p - 1.0)) * g * n ** (1.0 - p),)
    scale = F.where(flat, 0.0, g / F.where(flat, 1.0, n) ** (p - 1.0))
    if p < 2:
        return (sgn(F, x) * F.where(zero, 0.0, absx ** (p - 1.0)) * scale,)
    return (x * absx ** (p - 2.0) * scale,)
