"""Shape ops: reshape (view, ravel, unflatten; atleast_Nd in atleast.py), transpose (permute;
moveaxis in axis_moves.py), swapaxes, expand_dims, squeeze, broadcast_to (expand), flatten, astype.

Each result that shares its input's memory is linked to it (``_view``), so in-place writes
through either are seen by the version checks of both.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._broadcast import AxisError, ShapeError, normalize_axes, reduction_axes
from ..rules import rule
from ..tensor import Tensor, _view
from ._args import as_tensor, axis_arg
from ._decl import op

_S = "shape"


def _shape_arg(shape: tuple) -> tuple:
    return tuple(shape[0]) if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape


def _reshape_method(self: Tensor, *shape: Any, order: str = "C", copy: Any = None, **named: Any) -> Tensor:
    if named:  # numpy's and PyTorch's ``t.reshape(shape=...)``
        if set(named) != {"shape"} or shape:
            raise TypeError(f"reshape: unexpected arguments {sorted(named)} (give the shape once)")
        shape = (named["shape"],)
    return reshape(self, _shape_arg(shape), order, copy=copy)


@op(family=_S, method=_reshape_method, torch=("view",))
def reshape(x: Any, shape: Any, order: str = "C", *, copy: Any = None) -> Tensor:
    """The same elements in a new shape (one axis may be -1), read and placed in numpy's ``order``:
    'C' (last axis fastest), 'F' (first axis fastest) or 'A' ('F' for Fortran-ordered memory).

    ``copy``: None gives a view where numpy can, True always a copy, False refuses where a copy is
    needed (numpy's words). The gradient is reshaped back in the same order."""
    x = as_tensor(x)
    shape = tuple(shape) if isinstance(shape, (tuple, list)) else (shape,)
    order = order.upper() if isinstance(order, str) else order  # numpy takes 'f' for 'F'
    if order != "C" or copy is not None:
        return _reshape_ordered(x, shape, order, copy)
    try:
        data = x._data.reshape(shape)
    except (ValueError, TypeError) as e:
        if isinstance(e, TypeError):  # a size that is no integer (1.0, True): numpy's and PyTorch's TypeError
            raise TypeError(
                f"reshape: tensor of shape {x.shape} into {shape}: sizes must be integers ({e})"
            ) from None
        why = ""
        if x.size == 0 and -1 in shape and 0 in shape:  # PyTorch's words for this case
            why = "; because the unspecified dimension size -1 can be any value and is ambiguous"
        raise ShapeError(
            f"reshape: cannot reshape tensor of shape {x.shape} into {shape} ({e}){why}"
        ) from None
    return _view(Tensor._make(data, (x,), "reshape"), x, "reshape")


def _reshape_ordered(x: Tensor, shape: tuple, order: str, copy: Any) -> Tensor:
    """reshape in order 'F' or 'A', or with copy=: 'F' is the C reshape of the axes reversed, its
    result's axes reversed back (views where numpy gives views); numpy checks the arguments first."""
    if order not in ("C", "F", "A"):
        if order == "K":
            raise ValueError("reshape: order 'K' is not permitted for reshaping")
        raise ValueError(f"reshape: order must be one of 'C', 'F', 'A', or 'K' (got {order!r})")
    try:
        np.reshape(x._data, shape, order=order, copy=False if copy is False else None)
    except (ValueError, TypeError) as e:
        raise type(e)(f"reshape: tensor of shape {x.shape} into {shape}, order={order!r}: {e}") from None
    fortran = order == "F" or (order == "A" and np.isfortran(x._data))
    if fortran:
        out = transpose(reshape(transpose(x), tuple(shape)[::-1]))  # a -1 resolves alike reversed
    else:
        out = reshape(x, shape)
    if copy:
        return astype(out, out.dtype)
    return out


@op(family=_S, rules=("reshape",), numpy=None)
def flatten(x: Any, start_dim: Any = 0, end_dim: int = -1, order: str | None = None) -> Tensor:
    """Axes ``start_dim`` to ``end_dim`` merged into one (all of them by default, as ndarray.flatten).

    ndarray.flatten's ``order`` ('C', 'F', 'A', 'K', also given first: ``t.flatten('F')``) reads the
    elements in that order, as ravel's."""
    if isinstance(start_dim, str) or order is not None:
        return ravel(x, start_dim if isinstance(start_dim, str) else order)
    x = as_tensor(x)
    if x.ndim == 0:
        return reshape(x, (1,))
    lo, hi = (normalize_axes(a, x.ndim, "flatten", x.shape)[0] for a in (start_dim, end_dim))
    if lo > hi:
        raise ShapeError(  # numpy's ValueError and PyTorch's RuntimeError, in its words
            f"flatten: start_dim cannot come after end_dim (start_dim {start_dim}, end_dim {end_dim}, "
            f"shape {x.shape})"
        )
    if lo == hi:  # nothing to merge: the tensor itself, as PyTorch's
        return x
    merged = int(np.prod(x.shape[lo : hi + 1]))  # not -1: an empty tensor leaves -1 undetermined
    return reshape(x, x.shape[:lo] + (merged,) + x.shape[hi + 1 :])


def _transpose_method(
    self: Tensor, *axes: Any, dims: Any = None, dim0: Any = None, dim1: Any = None
) -> Tensor:
    if dim0 is not None or dim1 is not None:  # PyTorch's t.transpose(dim0=, dim1=): a swap
        if axes or dims is not None or dim0 is None or dim1 is None:
            raise TypeError("transpose: give dim0= and dim1= together, and nothing else")
        return swapaxes(self, dim0, dim1)
    if axes == (None,):  # numpy's a.transpose(None): the axes reversed
        axes = ()
    return transpose(self, _shape_arg(axes) or None, dims=dims)


@op(
    family=_S,
    method=_transpose_method,
    torch=("permute",),
    differs="torch.transpose(x, d0, d1) swaps two dims (numpy's swapaxes); here it permutes all axes",
)
def transpose(x: Any, axes: Any = None, *, dims: Any = None, dim0: Any = None, dim1: Any = None) -> Tensor:
    """Permute the axes (reverse them by default), as numpy's transpose; PyTorch's ``permute`` names
    them ``dims``. PyTorch's keywords ``transpose(x, dim0=, dim1=)`` swap those two (``swapaxes``)."""
    x = as_tensor(x)
    if dim0 is not None or dim1 is not None:
        return _transpose_method(x, *(() if axes is None else (axes,)), dims=dims, dim0=dim0, dim1=dim1)
    if dims is not None:
        if axes is not None:
            raise TypeError("transpose/permute: give axes or dims=, not both")
        axes = dims
    n = x.ndim
    if isinstance(axes, (int, np.integer)):  # numpy takes a lone int (a 1-d array's one axis)
        axes = (axes,)
    axes = tuple(range(n))[::-1] if axes is None else tuple(axes)
    bad = [a for a in axes if isinstance(a, bool) or not isinstance(a, (int, np.integer))]
    if bad:  # numpy and torch.permute: a TypeError, as for any index that is not an integer
        raise TypeError(f"transpose: axes must be integers, got {bad[0]!r} in {axes!r} (shape {x.shape})")
    ok = len(axes) == n and all(-n <= a < n for a in axes)
    if not ok or sorted(a % n for a in axes) != list(range(n)):
        raise ShapeError(f"transpose: axes {axes} are not a permutation of the axes of shape {x.shape}")
    perm = tuple(int(a) % n for a in axes)
    return _view(Tensor._make(np.transpose(x._data, perm), (x,), "transpose", perm), x, "transpose", perm)


@op(family=_S, rules=("transpose",), torch=("swapdims",))
def swapaxes(
    x: Any,
    axis1: Any = None,
    axis2: Any = None,
    *,
    axis0: Any = None,
    dim0: Any = None,
    dim1: Any = None,
) -> Tensor:
    """Exchange two axes (numpy's ``axis1``, ``axis2``; PyTorch's ``swapaxes(axis0=, axis1=)`` and
    ``swapdims(dim0=, dim1=)`` keywords also work: the swap is the same either way round)."""
    x = as_tensor(x)
    named = [v for v in (axis0, dim0, dim1) if v is not None]
    if named:
        axes = [v for v in (axis1, axis2) if v is not None] + named
        if len(axes) != 2:
            raise TypeError(f"swapaxes: needs exactly two axes, got {axes}")
        axis1, axis2 = axes
    if axis1 is None or axis2 is None:
        raise TypeError("swapaxes: needs two axes")
    perm = list(range(x.ndim))
    a, b = (normalize_axes(i, x.ndim, "swapaxes", x.shape)[0] for i in (axis1, axis2))
    perm[a], perm[b] = perm[b], perm[a]
    return transpose(x, perm)


@op(family=_S, rules=("reshape",), torch=("unsqueeze",))
def expand_dims(x: Any, axis: Any = None, *, dim: Any = None) -> Tensor:
    """Insert size-1 axes (an int or a tuple; numpy's expand_dims, PyTorch's unsqueeze)."""
    x = as_tensor(x)
    axis = axis_arg(axis, dim, "expand_dims")
    if axis is None:
        raise TypeError("expand_dims: give the axis (or axes) to insert")
    try:
        shape = np.expand_dims(np.empty(x.shape, dtype=bool), axis).shape
    except (ValueError, TypeError, OverflowError) as e:
        raise AxisError(f"expand_dims: bad axis {axis!r} for shape {x.shape} ({e})") from None
    return reshape(x, shape)


@op(family=_S, rules=("reshape",), differs="torch.squeeze(x, d) ignores a named axis whose size is not 1")
def squeeze(x: Any, axis: Any = None, *, dim: Any = None) -> Tensor:
    """Remove size-1 axes (all of them, or those named by ``axis``, which must have size 1). A 0-d
    tensor takes axis 0 or -1 (numpy's int; PyTorch's also as ``(0,)``) and is returned unchanged."""
    x = as_tensor(x)
    axis = axis_arg(axis, dim, "squeeze")
    if axis is None:
        shape = tuple(n for n in x.shape if n != 1)
    elif x.ndim == 0:  # axis 0 / -1 (or (0,)) of a 0-d tensor: itself, as numpy's and PyTorch's
        items = axis if isinstance(axis, tuple) else (axis,)
        if any(not hasattr(a, "__index__") or a.__index__() not in (0, -1) for a in items):
            normalize_axes(axis, 1, "squeeze", x.shape)  # its error: the range [-1, 0], PyTorch's words
        reduction_axes(axis, 0, "squeeze", x.shape)  # (0, -1) repeats the one axis
        shape = ()
    else:
        axes = normalize_axes(axis, x.ndim, "squeeze", x.shape)
        for a in axes:
            if x.shape[a] != 1:
                raise ValueError(f"squeeze: axis {a} of shape {x.shape} is not of size 1")
        shape = tuple(n for i, n in enumerate(x.shape) if i not in axes)
    return reshape(x, shape)


@op(family=_S)
def broadcast_to(x: Any, shape: Any) -> Tensor:
    """A view of ``x`` repeated along broadcast axes; the gradient sums them back. A size of -1 keeps
    that axis's size, as PyTorch's."""
    x = as_tensor(x)
    shape = tuple(shape) if isinstance(shape, (tuple, list)) else (shape,)
    if any(isinstance(n, (int, np.integer)) and n == -1 for n in shape):
        return expand(x, *shape)  # PyTorch's -1: keep that axis's size (numpy refuses it)
    try:
        data = np.broadcast_to(x._data, shape)
    except ValueError as e:
        raise ShapeError(
            f"broadcast_to: cannot broadcast shape {x.shape} to {shape} ({e}){_torch_words(x.shape, shape)}"
        ) from None
    except TypeError as e:
        raise TypeError(f"broadcast_to: cannot broadcast shape {x.shape} to {shape} ({e})") from None
    return _view(Tensor._make(data, (x,), "broadcast_to"), x, "broadcast_to")


def _torch_words(have: tuple, want: tuple) -> str:
    """PyTorch's words for the first axis where ``have`` does not broadcast to ``want`` ("" if none)."""
    for i in range(1, min(len(have), len(want)) + 1):
        h, w = have[-i], want[-i]
        if h != 1 and h != w:
            return (
                f"; The expanded size of the tensor ({w}) must match the existing size ({h}) at "
                f"non-singleton dimension {len(want) - i}"
            )
    return ""


@op(family=_S, numpy=None)
def astype(x: Any, dtype: Any, order: str = "K", casting: str = "unsafe", *, copy: bool = True) -> Tensor:
    """A copy in ``dtype``; a non-float result is a constant (rounding has no useful gradient).

    numpy's ``copy=False`` returns ``x`` itself when it already has ``dtype`` (PyTorch's
    ``to(dtype, copy=False)`` alike); ``casting`` is numpy's rule for which casts are allowed."""
    x = as_tensor(x)
    if not copy and x.dtype == np.dtype(dtype):
        return x
    try:
        data = x._data.astype(dtype, order=order, casting=casting)
    except TypeError as e:
        if "according to the rule" in str(e):
            raise TypeError(f"astype: {e}") from None
        raise TypeError(f"astype: {dtype!r} is not a numeric dtype ({e})") from None
    except ValueError as e:
        raise TypeError(f"astype: {dtype!r} is not a numeric dtype ({e})") from None
    if data.dtype.kind not in "fc":
        return Tensor._const(data)
    return Tensor._make(data, (x,), "astype")


@op(family=_S, rules=("reshape",))
def ravel(a: Any, order: str = "C") -> Tensor:
    """The elements as a 1-D tensor, read in numpy's ``order``: 'C', 'F', 'A' (as reshape's); 'K' as 'C'.
    In order 'C', a view of a C-contiguous tensor, else a contiguous copy (as numpy's and PyTorch's)."""
    order = order.upper() if isinstance(order, str) else order  # numpy takes 'f' for 'F'
    if order in ("F", "A"):
        return reshape(a, (-1,), order)
    if order not in ("C", "K"):
        raise ValueError(f"ravel: order must be one of 'C', 'F', 'A', or 'K' (got {order!r})")
    a = as_tensor(a)
    return reshape(a, (-1,), copy=None if a._data.flags.c_contiguous else True)


@op(family=_S, rules=("reshape",), numpy=None)
def unflatten(x: Any, dim: int, sizes: Any) -> Tensor:
    """Axis ``dim`` split into ``sizes`` (one of them may be -1), as PyTorch's unflatten."""
    x = as_tensor(x)
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
        raise TypeError(f"unflatten(): argument 'dim' (position 1) must be int, not {type(dim).__name__}")
    if x.ndim == 0:
        raise AxisError(f"unflatten: Dimension specified as {dim} but tensor has no dimensions (0-d)")
    (d,) = normalize_axes(dim, x.ndim, "unflatten", x.shape)
    sizes = tuple(int(n) for n in sizes)
    if not sizes:
        raise ShapeError(f"unflatten: sizes must be non-empty (shape {x.shape}, dim {dim})")
    known = int(np.prod([n for n in sizes if n != -1]))
    words = f"Provided sizes {list(sizes)} don't multiply up to the size of dim {dim} ({x.shape[d]})"
    if sizes.count(-1) > 1:
        raise ShapeError(f"unflatten: only one dimension can be inferred, got sizes {sizes} ({x.shape})")
    if sizes.count(-1) == 0 and known != x.shape[d]:
        raise ShapeError(f"unflatten: sizes {sizes} do not multiply to axis {d} of shape {x.shape}: {words}")
    if -1 in sizes:
        if known == 0:
            raise ShapeError(
                f"unflatten: sizes {sizes} for axis {d} of shape {x.shape}: the unspecified dimension size "
                "-1 can be any value and is ambiguous"
            )
        if x.shape[d] % known:
            raise ShapeError(f"unflatten: sizes {sizes} cannot fill axis {d} of shape {x.shape}: {words}")
        sizes = tuple(x.shape[d] // known if n == -1 else n for n in sizes)
    return reshape(x, x.shape[:d] + sizes + x.shape[d + 1 :])


def _expand_method(self: Tensor, *sizes: Any, size: Any = None) -> Tensor:
    if size is not None:  # PyTorch's t.expand(size=...)
        if sizes:
            raise TypeError("expand: give the sizes positionally or as size=, not both")
        sizes = (size,)
    return expand(self, *sizes)


@op(family=_S, rules=("broadcast_to",), numpy=None, method=_expand_method)
def expand(x: Any, *sizes: Any) -> Tensor:
    """PyTorch's expand: ``x`` broadcast to ``sizes``, where -1 keeps an existing axis's size."""
    x = as_tensor(x)
    sizes = _shape_arg(sizes)
    lead = len(sizes) - x.ndim
    if lead < 0:
        raise ShapeError(
            f"expand: {len(sizes)} sizes {sizes} for a tensor of shape {x.shape} (PyTorch: the number of "
            "sizes provided must be greater or equal to the number of dimensions in the tensor)"
        )
    shape = []
    for i, n in enumerate(sizes):
        if n == -1:
            if i < lead:
                raise ShapeError(f"expand: -1 is not allowed for a new leading axis (sizes {sizes})")
            n = x.shape[i - lead]
        shape.append(int(n))
    if tuple(shape[lead:]) == x.shape and all(n == 1 for n in shape[:lead]):
        # nothing is repeated: a plain (writable) view, as PyTorch's, so in-place ops may write through it
        return reshape(x, tuple(shape))
    return broadcast_to(x, tuple(shape))


def _converter(dtype: Any, doc: str) -> Any:
    def convert(self: Tensor, memory_format: Any = None) -> Tensor:  # memory_format: row-major always
        return astype(self, dtype)

    convert.__doc__ = doc
    return convert


# PyTorch's dtype methods (numpy has none; t.float() is float32, as in PyTorch), attached by name
DUNDERS = {
    "float": _converter(np.float32, "A float32 copy (PyTorch's ``t.float()``)."),
    "double": _converter(np.float64, "A float64 copy (PyTorch's ``t.double()``)."),
    "half": _converter(np.float16, "A float16 copy (PyTorch's ``t.half()``)."),
    "long": _converter(np.int64, "An int64 copy, without gradient (PyTorch's ``t.long()``)."),
    "int": _converter(np.int32, "An int32 copy, without gradient (PyTorch's ``t.int()``)."),
    "bool": _converter(np.bool_, "A boolean copy (PyTorch's ``t.bool()``)."),
}


_REVERSED = [tuple(range(n))[::-1] for n in range(33)]  # numpy's most axes is 64; more go the long way


def _reversed_axes(self: Tensor) -> Tensor:
    """``t.T``: ``transpose(t)`` without its argument checks (the reversed axes are always valid)."""
    data = self._data
    n = data.ndim
    if n > 32:
        return transpose(self)
    perm = _REVERSED[n]
    return _view(Tensor._make(data.transpose(perm), (self,), "transpose", perm), self, "transpose", perm)


PROPERTIES = {"T": property(_reversed_axes, doc="The axes reversed (numpy's .T).")}


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
    x = xs[0]
    if g.dtype.kind == "c" and x.dtype.kind != "c":  # complex from real: the real part (PyTorch's)
        g = F.real(g)
    return (g.astype(x.dtype),)


@rule("broadcast_to")
def _broadcast_to(F, g, out, xs, ctx, need):
    return (g,)  # the engine sums g back to the input's shape
