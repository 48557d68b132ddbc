"""numpy's array-manipulation functions beyond the basic shape ops (diagflat, vander, block, delete,
insert, choose, compress, resize, ediff1d, unstack, trim_zeros, ...): each one is a gather, a join or a
product of existing ops, so gradients reach every float Tensor input through those ops' rules."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._broadcast import AxisError, normalize_axes
from .._default_dtype import default_float
from ..tensor import Tensor
from ._args import as_tensor
from ._decl import op
from .axis_moves import moveaxis
from .diagonals import diag
from .elementwise import where
from .indexing import take, take_along_axis
from .joining import concatenate, stack
from .reduction_keywords import takes_out as numpy_out
from .shape import astype, broadcast_to, reshape, swapaxes, transpose
from .tensor_methods import copy

_A = "numpy_arrays"


def data_of(x: Any) -> Any:
    """x's array when it is a Tensor, else x as numpy sees it (index and condition arguments)."""
    return np.asarray(x._data if isinstance(x, Tensor) else x)  # no ndarray subclass: numpy's own answers


def _flat(x: Tensor) -> Tensor:
    return reshape(x, (-1,))


def _cast(t: Tensor, dtype: Any) -> Tensor:
    return t if t.dtype == dtype else astype(t, dtype)


@op(family=_A, rules=("reshape", "getitem", "scatter_add"), method=False)
def diagflat(v: Any, k: int = 0, *, offset: Any = None) -> Tensor:
    """A 2-D tensor with the flattened ``v`` on diagonal ``k`` (numpy's and PyTorch's diagflat;
    PyTorch spells ``k`` ``offset``)."""
    if offset is not None:
        if k not in (0, offset):
            raise TypeError(f"diagflat: got both k={k!r} and offset={offset!r}")
        k = offset
    return diag(_flat(as_tensor(v)), k)


@op(family=_A, differentiable=False, method=False)
def tri(N: int, M: int | None = None, k: int = 0, dtype: Any = None, *, like: Any = None) -> Tensor:  # noqa: N803
    """An N x M constant with ones at and below diagonal ``k``, zeros above (numpy's tri), of the
    default dtype unless ``dtype``."""
    return Tensor._const(np.tri(N, M, k, default_float(dtype)))


@op(family=_A, rules=("mul", "stack"), method=False)
def vander(x: Any, N: int | None = None, increasing: bool = False) -> Tensor:  # noqa: N803
    """The Vandermonde matrix of the 1-D ``x``: columns x**(N-1), ..., x, 1 (reversed with
    ``increasing``), as numpy's and PyTorch's vander. Built by repeated products, so the gradient of
    the x**0 column is exactly 0 and that of x**p is p x**(p-1), also at x = 0."""
    x = as_tensor(x)
    if x.ndim != 1:
        raise ValueError(f"vander: x must be one-dimensional, got shape {x.shape}")
    n = x.shape[0] if N is None else int(N)
    if n < 0:
        raise ValueError(f"vander: N must be non-negative, got {N}")
    # numpy's: integers and booleans as int64 (x**p overflows int8 fast); float32 stays float32
    dtype = np.promote_types(x.dtype, np.int64) if x.dtype.kind in "biu" else x.dtype
    if n == 0:  # no columns: an empty slice of x, on its graph
        return _cast(reshape(x, (-1, 1))[:, :0], dtype)
    ones = Tensor._const(np.ones(x.shape, dtype))
    # x**0 alone (N = 1) is still a function of x, of zero derivative: on its graph
    cols = [where(np.zeros(x.shape, bool), _cast(x, dtype), ones) if n == 1 else ones]
    for _ in range(n - 1):
        cols.append(cols[-1] * x if len(cols) > 1 else _cast(x, dtype))
    return stack(cols if increasing else cols[::-1], axis=1)


def _depth(item: Any, where: str) -> tuple[int, int, str | None]:
    """(list depth, largest array ndim, where an empty list is) of a nested block; every leaf must
    sit at the same depth. An empty list counts as a list of leaves, so mismatched depths are reported
    before emptiness, as numpy does."""
    if isinstance(item, tuple):
        raise TypeError(f"block: {where} is a tuple; only lists may hold the blocks (numpy's rule)")
    if not isinstance(item, list):
        return 0, np.ndim(data_of(item)), None
    if not item:
        return 1, 0, where
    found = [_depth(sub, f"{where}[{i}]") for i, sub in enumerate(item)]
    if len({d for d, _, _ in found}) > 1:
        raise ValueError(f"block: List depths are mismatched inside {where}: {[d for d, _, _ in found]}")
    empty = next((e for _, _, e in found if e is not None), None)
    return found[0][0] + 1, max(n for _, n, _ in found), empty


def _assemble(item: Any, depth: int, ndim: int) -> Tensor:
    if not isinstance(item, list):
        t = as_tensor(item)
        return reshape(t, (1,) * (ndim - t.ndim) + t.shape) if t.ndim < ndim else t
    parts = [_assemble(sub, depth - 1, ndim) for sub in item]
    return concatenate(parts, axis=-depth)  # the innermost lists join along the last axis


@op(family=_A, rules=("concatenate", "reshape", "copy"), method=False)
def block(arrays: Any) -> Tensor:
    """A tensor assembled from nested lists of blocks (numpy's block): the innermost lists are joined
    along the last axis, the next ones along the one before, blocks given leading 1-axes as needed."""
    depth, ndim, empty = _depth(arrays, "arrays")
    if empty is not None:  # numpy's words
        raise ValueError(f"block: List at {empty} cannot be empty")
    if depth == 0:
        return copy(as_tensor(arrays))
    return _assemble(arrays, depth, max(depth, ndim))


@op(family=_A, rules=("broadcast_to",), method=False)
def broadcast_arrays(*args: Any, subok: bool = False) -> tuple:
    """The inputs broadcast against each other, as a tuple of views (numpy's and PyTorch's
    broadcast_tensors); each gradient is summed back to its input's shape."""
    ts = [as_tensor(a) for a in args]
    try:
        shape = np.broadcast_shapes(*(t.shape for t in ts))
    except ValueError:
        shown = " and ".join(str(t.shape) for t in ts)
        raise ValueError(f"broadcast_arrays: shapes {shown} cannot be broadcast together") from None
    return tuple(t if t.shape == shape else broadcast_to(t, shape) for t in ts)


def _positions(obj: Any) -> Any:
    """``obj`` as numpy's delete/insert read it: a slice as is; an empty Python sequence is integer
    positions (numpy's), not the float array ``np.asarray([])`` would make."""
    if isinstance(obj, slice):
        return obj
    idx = data_of(obj)
    if isinstance(obj, (list, tuple)) and np.size(idx) == 0:
        return np.asarray(idx, np.intp)
    return idx


def _axis_of(x: Tensor, axis: Any, name: str) -> tuple[Tensor, int]:
    if axis is None:
        return _flat(x), 0
    return x, normalize_axes(axis, x.ndim, name, x.shape)[0]


@op(family=_A, rules=("getitem",), method=False)
def delete(arr: Any, obj: Any, axis: Any = None) -> Tensor:
    """``arr`` without the entries ``obj`` (an index, indices, a slice or a boolean mask) along
    ``axis`` (of the flattened ``arr`` when None), as numpy's delete: a gather of the rest."""
    x, ax = _axis_of(as_tensor(arr), axis, "delete")
    n = x.shape[ax]
    try:
        keep = np.delete(np.arange(n), _positions(obj))
    except (IndexError, ValueError) as e:
        raise type(e)(f"delete: obj {obj!r} along axis {ax} of length {n} (shape {x.shape}): {e}") from None
    return take(x, keep, axis=ax)


@op(family=_A, rules=("concatenate", "getitem", "astype"), method=False)
def insert(arr: Any, obj: Any, values: Any, axis: Any = None) -> Tensor:
    """``arr`` with ``values`` inserted before the indices ``obj`` along ``axis`` (numpy's insert,
    its broadcasting of ``values`` included). Differentiable in both ``arr`` and ``values``: numpy
    places labels of the two inputs' elements, and the result gathers those elements."""
    x = as_tensor(arr)
    v = as_tensor(values)
    v = _cast(v, x.dtype)  # numpy casts the values to arr's dtype
    here = np.arange(1, x.size + 1).reshape(x.shape)  # element i of arr is label i + 1
    theirs = -np.arange(1, v.size + 1).reshape(v.shape)  # element j of values is label -(j + 1)
    try:
        labels = np.insert(here, _positions(obj), theirs, axis)
    except (IndexError, ValueError, TypeError) as e:
        raise type(e)(
            f"insert: values of shape {v.shape} at {obj!r} along axis {axis} of shape {x.shape}: {e}"
        ) from None
    source = np.where(labels > 0, labels - 1, x.size - labels - 1)  # positions in [arr.flat, values.flat]
    return concatenate([_flat(x), _flat(v)])[source]


@op(family=_A, rules=("stack", "broadcast_to", "getitem", "astype"))
def choose(a: Any, choices: Any, out: Any = None, mode: str = "raise") -> Tensor:
    """Element-wise ``choices[a]`` (numpy's choose, also as ``a.choose(choices)``): the integer ``a``
    and the choices broadcast together; ``mode`` 'raise', 'wrap' or 'clip' for out-of-range indices;
    ``out``: a Tensor (written in place, recorded) or array to hold the result. Differentiable in the
    choices (each element's gradient goes to the choice it came from)."""
    if out is not None:
        from .reduction_keywords import into_out

        return into_out(choose(a, choices, mode=mode), out, "choose")
    idx = data_of(a)
    if idx.dtype.kind not in "iub":
        raise TypeError(f"choose: a must hold integers, got dtype {idx.dtype} (shape {idx.shape})")
    cs = [as_tensor(c) for c in choices]
    n = len(cs)
    if n == 0:
        raise ValueError("choose: choices is empty")
    try:
        shape = np.broadcast_shapes(idx.shape, *(c.shape for c in cs))
    except ValueError:
        shown = ", ".join(str(c.shape) for c in cs)
        raise ValueError(
            f"choose: a of shape {idx.shape} and choices of shapes {shown} do not broadcast"
        ) from None
    if mode == "wrap":
        idx = idx % n
    elif mode == "clip":
        idx = np.clip(idx, 0, n - 1)
    elif mode != "raise":
        raise ValueError(f"choose: mode must be 'raise', 'wrap' or 'clip', got {mode!r}")
    elif idx.size and (idx.min() < 0 or idx.max() >= n):
        raise ValueError(f"choose: a holds {idx.min()}..{idx.max()}, outside 0..{n - 1} for {n} choices")
    dtype = np.result_type(*(c._data for c in cs))
    joined = stack([broadcast_to(_cast(c, dtype), shape) for c in cs])
    return joined[(np.broadcast_to(idx, shape), *np.indices(shape, sparse=True))]


def _true_positions(condition: Any, n: int, name: str, shape: tuple) -> np.ndarray:
    cond = np.ravel(data_of(condition)).astype(bool)
    idx = np.flatnonzero(cond)
    if idx.size and idx[-1] >= n:
        raise IndexError(
            f"{name}: condition of length {cond.size} is True at {idx[-1]}, beyond length {n} (shape {shape})"
        )
    return idx


def _compress_method(self: Tensor, condition: Any, axis: Any = None, out: Any = None) -> Tensor:
    return compress(condition, self, axis, out)  # numpy's a.compress(condition, axis)


@op(family=_A, rules=("getitem",), method=_compress_method)
@numpy_out
def compress(condition: Any, a: Any, axis: Any = None, out: Any = None) -> Tensor:
    """The slices of ``a`` along ``axis`` (of the flattened ``a`` when None) where the 1-D
    ``condition`` is True (numpy's compress; a shorter condition counts as False beyond its end)."""
    if out is not None:
        raise TypeError("compress: out= is not supported (results are new tensors)")
    if np.ndim(data_of(condition)) != 1:
        raise ValueError(f"compress: condition must be 1-D, got shape {np.shape(data_of(condition))}")
    x, ax = _axis_of(as_tensor(a), axis, "compress")
    return take(x, _true_positions(condition, x.shape[ax], "compress", x.shape), axis=ax)


@op(family=_A, rules=("getitem",), method=False)
def extract(condition: Any, arr: Any) -> Tensor:
    """The elements of the flattened ``arr`` where the flattened ``condition`` is True (numpy's
    extract)."""
    x = _flat(as_tensor(arr))
    return take(x, _true_positions(condition, x.shape[0], "extract", np.shape(data_of(arr))))


@op(family=_A, rules=("getitem", "reshape"), method=False)
def resize(a: Any, new_shape: Any) -> Tensor:
    """A tensor of ``new_shape`` filled by repeating the elements of ``a`` in order (numpy's
    resize; zeros when ``a`` is empty). Not ndarray.resize and not PyTorch's resize_."""
    x = _flat(as_tensor(a))
    shape = tuple(int(n) for n in np.atleast_1d(new_shape))
    if any(n < 0 for n in shape):
        raise ValueError(f"resize: all elements of new_shape {shape} must be non-negative")
    size = int(np.prod(shape))
    if x.shape[0] == 0 or size == 0:
        return Tensor._const(np.zeros(shape, x.dtype))
    return reshape(x[np.arange(size) % x.shape[0]], shape)


def _edge(t: Any, dtype: Any, which: str) -> Tensor:
    t = as_tensor(t)
    if not np.can_cast(t.dtype, dtype, casting="same_kind"):
        raise TypeError(
            f"ediff1d: dtype of `{which}` must be compatible with input `ary` under the `same_kind` rule "
            f"({t.dtype} cannot be cast to {dtype})"
        )
    return _cast(_flat(t), dtype)


@op(family=_A, rules=("sub", "getitem", "concatenate"), method=False)
def ediff1d(ary: Any, to_end: Any = None, to_begin: Any = None) -> Tensor:
    """Differences of consecutive elements of the flattened ``ary``, with ``to_begin`` and ``to_end``
    put before and after (numpy's ediff1d; the input's dtype)."""
    x = _flat(as_tensor(ary))
    if x.dtype.kind == "b":
        raise TypeError("ediff1d: boolean input has no subtraction (numpy refuses it too)")
    parts = [] if to_begin is None else [_edge(to_begin, x.dtype, "to_begin")]
    parts.append(x[1:] - x[:-1])
    if to_end is not None:
        parts.append(_edge(to_end, x.dtype, "to_end"))
    return parts[0] if len(parts) == 1 else concatenate(parts)


@op(family=_A, rules=("transpose", "getitem"), method=False)
def unstack(x: Any, /, *, axis: int = 0) -> tuple:
    """The slices of ``x`` along ``axis``, as a tuple of views (numpy's unstack, PyTorch's unbind)."""
    x = as_tensor(x)
    if x.ndim == 0:
        raise ValueError("unstack: the input must be at least 1-d, got a 0-d tensor")
    (ax,) = normalize_axes(axis, x.ndim, "unstack", x.shape)
    moved = moveaxis(x, ax, 0) if ax else x
    return tuple(moved[i] for i in range(x.shape[ax]))


@op(family=_A, rules=("transpose",), method=False)
def permute_dims(a: Any, axes: Any = None) -> Tensor:
    """The axes of ``a`` reordered by ``axes`` (reversed when None): the array API's name for
    transpose."""
    return transpose(a, axes)


@op(family=_A, rules=("swapaxes",), method=False)
def matrix_transpose(x: Any, /) -> Tensor:
    """The last two axes swapped (numpy's matrix_transpose, PyTorch's mT)."""
    x = as_tensor(x)
    if x.ndim < 2:
        raise ValueError(f"matrix_transpose: the input must be at least 2-d, got shape {x.shape}")
    return swapaxes(x, -1, -2)


@op(family=_A, rules=("getitem", "astype"), method=False)
def sort_complex(a: Any) -> Tensor:
    """The values sorted along the last axis by real part, then imaginary part, as a complex
    tensor (numpy's sort_complex: real float inputs give complex128, small integers complex64)."""
    x = as_tensor(a)
    if x.ndim == 0:
        raise AxisError(
            "sort_complex: axis -1 is out of bounds for a 0-d tensor (numpy sorts along the last axis)"
        )
    s = take_along_axis(x, np.argsort(x._data, axis=-1, kind="stable"), -1)
    if x.dtype.kind == "c":
        return s
    return astype(s, np.complex64 if x.dtype.char in "bhBH" else np.complex128)


@op(family=_A, rules=("getitem",), method=False)
def trim_zeros(filt: Any, trim: str = "fb", axis: Any = None) -> Tensor:
    """``filt`` without its leading ('f') and trailing ('b') zeros along ``axis`` (all axes when
    None), as numpy's trim_zeros: a slice, so the kept elements get their gradient."""
    x = as_tensor(filt)
    trim = trim.lower()
    if trim not in {"fb", "bf", "f", "b"}:
        raise ValueError(f"trim_zeros: unexpected character(s) in `trim`: {trim!r}")
    axes = tuple(range(x.ndim)) if axis is None else normalize_axes(axis, x.ndim, "trim_zeros", x.shape)
    if not axes:
        return x
    nonzero = np.argwhere(x._data)
    if nonzero.size == 0:
        start = stop = [0] * x.ndim
    else:
        start = nonzero.min(axis=0) if "f" in trim else [None] * x.ndim
        stop = nonzero.max(axis=0) + 1 if "b" in trim else [None] * x.ndim
    return x[tuple(slice(start[i], stop[i]) if i in axes else slice(None) for i in range(x.ndim))]
