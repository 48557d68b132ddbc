"""Shape ops: reshape, transpose, swapaxes, expand_dims, squeeze, broadcast_to, flatten, astype.

Each result that shares its input's memory is linked to it (``_view``), so in-place writes
through either are seen by the version checks of both.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._broadcast import AxisError, normalize_axes
from ..rules import rule
from ..tensor import Tensor, _view
from ._args import as_tensor
from ._decl import op

_S = "shape"


def _shape_arg(shape: tuple) -> tuple:
    return tuple(shape[0]) if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape


def _reshape_method(self: Tensor, *shape: Any) -> Tensor:
    return reshape(self, _shape_arg(shape))


@op(family=_S, method=_reshape_method, torch=("view",))
def reshape(x: Any, shape: Any) -> Tensor:
    """The same elements in a new shape (one axis may be -1)."""
    x = as_tensor(x)
    shape = tuple(shape) if isinstance(shape, (tuple, list)) else (shape,)
    try:
        data = x._data.reshape(shape)
    except (ValueError, TypeError) as e:
        raise ValueError(f"reshape: cannot reshape tensor of shape {x.shape} into {shape} ({e})") from None
    return _view(Tensor._make(data, (x,), "reshape"), x)


@op(family=_S, rules=("reshape",), numpy=None)
def flatten(x: Any, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Axes ``start_dim`` to ``end_dim`` merged into one (all of them by default, as ndarray.flatten)."""
    x = as_tensor(x)
    if x.ndim == 0:
        return reshape(x, (1,))
    lo, hi = (normalize_axes(a, x.ndim, "flatten", x.shape)[0] for a in (start_dim, end_dim))
    if lo > hi:
        raise ValueError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim} for shape {x.shape}")
    merged = int(np.prod(x.shape[lo : hi + 1]))  # not -1: an empty tensor leaves -1 undetermined
    return reshape(x, x.shape[:lo] + (merged,) + x.shape[hi + 1 :])


def _transpose_method(self: Tensor, *axes: Any) -> Tensor:
    return transpose(self, _shape_arg(axes) or None)


@op(family=_S, method=_transpose_method, torch=("permute",))
def transpose(x: Any, axes: Any = None) -> Tensor:
    """Permute the axes (reverse them by default), as numpy's transpose."""
    x = as_tensor(x)
    n = x.ndim
    axes = tuple(range(n))[::-1] if axes is None else tuple(axes)
    ok = len(axes) == n and all(isinstance(a, (int, np.integer)) and -n <= a < n for a in axes)
    if not ok or sorted(a % n for a in axes) != list(range(n)):
        raise ValueError(f"transpose: axes {axes} are not a permutation of the axes of shape {x.shape}")
    perm = tuple(int(a) % n for a in axes)
    return _view(Tensor._make(np.transpose(x._data, perm), (x,), "transpose", perm), x)


@op(family=_S, rules=("transpose",), torch=("swapdims",))
def swapaxes(x: Any, axis1: int, axis2: int) -> Tensor:
    """Exchange two axes."""
    x = as_tensor(x)
    perm = list(range(x.ndim))
    a, b = (normalize_axes(i, x.ndim, "swapaxes", x.shape)[0] for i in (axis1, axis2))
    perm[a], perm[b] = perm[b], perm[a]
    return transpose(x, perm)


@op(family=_S, rules=("reshape",), torch=("unsqueeze",))
def expand_dims(x: Any, axis: Any) -> Tensor:
    """Insert size-1 axes (numpy's expand_dims; ``unsqueeze`` is the PyTorch name)."""
    x = as_tensor(x)
    try:
        shape = np.expand_dims(np.empty(x.shape, dtype=bool), axis).shape
    except (ValueError, TypeError, OverflowError) as e:
        raise AxisError(f"expand_dims: bad axis {axis!r} for shape {x.shape} ({e})") from None
    return reshape(x, shape)


@op(family=_S, rules=("reshape",))
def squeeze(x: Any, axis: Any = None) -> Tensor:
    """Remove size-1 axes (all of them, or those named by ``axis``, which must have size 1)."""
    x = as_tensor(x)
    if axis is None:
        shape = tuple(n for n in x.shape if n != 1)
    else:
        axes = normalize_axes(axis, x.ndim, "squeeze", x.shape)
        for a in axes:
            if x.shape[a] != 1:
                raise ValueError(f"squeeze: axis {a} of shape {x.shape} is not of size 1")
        shape = tuple(n for i, n in enumerate(x.shape) if i not in axes)
    return reshape(x, shape)


@op(family=_S)
def broadcast_to(x: Any, shape: Any) -> Tensor:
    """A view of ``x`` repeated along broadcast axes; the gradient sums them back."""
    x = as_tensor(x)
    shape = tuple(shape) if isinstance(shape, (tuple, list)) else (shape,)
    try:
        data = np.broadcast_to(x._data, shape)
    except (ValueError, TypeError) as e:
        raise type(e)(f"broadcast_to: cannot broadcast shape {x.shape} to {shape} ({e})") from None
    return _view(Tensor._make(data, (x,), "broadcast_to"), x)


@op(family=_S, numpy=None)
def astype(x: Any, dtype: Any) -> Tensor:
    """A copy in ``dtype``; a non-float result is a constant (rounding has no useful gradient)."""
    x = as_tensor(x)
    try:
        data = x._data.astype(dtype)
    except (TypeError, ValueError) as e:
        raise TypeError(f"astype: {dtype!r} is not a numeric dtype ({e})") from None
    if data.dtype.kind != "f":
        return Tensor._const(data)
    return Tensor._make(data, (x,), "astype")


PROPERTIES = {"T": property(lambda self: transpose(self), doc="The axes reversed (numpy's .T).")}


# --- rules ---------------------------------------------------------------------------------
@rule("reshape")
def _reshape(F, g, out, xs, ctx, need):
    return (g.reshape(xs[0].shape),)


@rule("transpose")  # ctx = the permutation
def _transpose(F, g, out, xs, ctx, need):
    inverse = [0] * len(ctx)
    for i, a in enumerate(ctx):
        inverse[a] = i
    return (F.transpose(g, inverse),)


@rule("astype")
def _astype(F, g, out, xs, ctx, need):
    return (g.astype(xs[0].dtype),)


@rule("broadcast_to")
def _broadcast_to(F, g, out, xs, ctx, need):
    return (g,)  # the engine sums g back to the input's shape
