"""Joining and splitting tensors: concatenate along an existing axis (hstack, vstack, dstack,
column_stack, append), stack along a new one; split, array_split and chunk into views.

Refusals of shapes are ShapeErrors: numpy's ValueError and PyTorch's RuntimeError."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import _torch_out
from .._broadcast import ShapeError, normalize_axes
from ..rules import rule
from ..tensor import Tensor
from ._args import as_tensor, axis_arg, spelled_once
from ._decl import op
from .atleast import atleast_1d, atleast_2d, atleast_3d
from .shape import reshape

_J = "joining"


CASTINGS = ("no", "equiv", "safe", "same_kind", "unsafe")


def _check_casting(casting: Any) -> None:
    if casting not in CASTINGS:  # numpy's ValueError, its words first
        raise ValueError(
            f"casting must be one of 'no', 'equiv', 'safe', 'same_kind', or 'unsafe' (got {casting!r})"
        )


def _out_alone(dtype: Any, casting: Any, who: str) -> None:
    if dtype is not None:  # numpy's TypeError
        raise TypeError(f"{who}() only takes `out` or `dtype` as an argument, but both were provided.")
    _check_casting(casting)


def _into(out: Any, result: Tensor, casting: str, who: str) -> Any:
    from .._ufunc_keywords import _write

    if tuple(np.shape(out)) != result.shape:
        raise ValueError(f"{who}: out= has shape {tuple(np.shape(out))}, the result has shape {result.shape}")
    return _write(out, result, True, casting, who)


def _check_seq(seq: Sequence, op: str) -> list[Tensor]:
    if not isinstance(seq, (Tensor, np.ndarray)) and not hasattr(seq, "__getitem__"):  # numpy's TypeError
        if op != "concatenate":
            _seq_of(seq, op)
        raise TypeError(f"{op}: The first input argument needs to be a sequence (got {type(seq).__name__})")
    if isinstance(seq, (Tensor, np.ndarray)) and np.ndim(seq) > 0:  # numpy: an array is a sequence
        seq = _seq_of(seq, op)  # of its rows (differentiable: each row is an index of the Tensor)
    if isinstance(seq, (Tensor, np.ndarray, np.generic)) or not len(seq):
        verb = (
            "concatenate" if op in ("concatenate", "hstack", "vstack", "dstack", "column_stack") else "stack"
        )
        raise ShapeError(
            f"{op}: need at least one array to {verb} (expected a non-empty sequence of tensors)"
        )
    return [as_tensor(t) for t in seq]


def _cast_all(ts: list[Tensor], dtype: Any, casting: str, who: str) -> list[Tensor]:
    """numpy's ``dtype=``/``casting=`` of the joining functions: each input cast to ``dtype`` where
    ``casting`` allows it (a TypeError in numpy's words otherwise)."""
    _check_casting(casting)
    if dtype is None:
        return ts
    dtype = np.dtype(dtype)
    for t in ts:
        if not np.can_cast(t.dtype, dtype, casting=casting):
            raise TypeError(
                f"{who}: cannot cast array data from {t.dtype!r} to {dtype!r} "
                f"according to the rule {casting!r}"
            )
    return [t if t.dtype == dtype else t.astype(dtype) for t in ts]


def _seq_arg(seq: Any, tensors: Any, who: str) -> Any:
    """numpy's sequence argument or PyTorch's ``tensors=`` keyword (one of them)."""
    return spelled_once(
        seq,
        tensors,
        f"{who}: missing the sequence of tensors",
        f"{who}: give the tensors once (positionally or as tensors=)",
    )


@op(family=_J, method=False, torch=("cat", "concat"))
def concatenate(
    seq: Sequence[Any] | None = None,
    axis: Any = 0,
    out: Any = None,
    *,
    dtype: Any = None,
    casting: str = "same_kind",
    dim: Any = None,
    tensors: Sequence[Any] | None = None,
) -> Tensor:
    """Join tensors along an existing axis (``axis=None``: flattened first, as numpy); PyTorch's
    ``cat(tensors=, dim=)`` keywords work too.

    numpy's ``dtype=`` gives the result's dtype, each input cast to it as ``casting`` allows."""
    seq = _seq_arg(seq, tensors, "concatenate")
    if out is not None:  # numpy's out=: the result written into that Tensor (recorded) or array
        _out_alone(dtype, casting, "concatenate")
        joined = concatenate(seq, axis, dtype=dtype, casting=casting, dim=dim)
        return _into(out, joined, casting, "concatenate")
    ts = _check_seq(seq, "concatenate")
    ts = _cast_all(ts, dtype, casting, "concatenate")
    axis = axis if dim is None else dim
    if axis is None:
        ts = [reshape(t, (-1,)) for t in ts]
        axis = 0
    first = ts[0]._data
    if first.ndim == 0:
        raise ShapeError("concatenate: zero-dimensional tensors cannot be concatenated")
    (a,) = normalize_axes(axis, first.ndim, "concatenate", first.shape)
    try:
        data = np.concatenate([t._data for t in ts], axis=a)
    except ValueError:  # say which tensor does not fit
        outside = first.shape[:a] + first.shape[a + 1 :]
        for i, t in enumerate(ts):
            if t.ndim != first.ndim:  # numpy's words
                raise ShapeError(
                    "concatenate: all the input arrays must have same number of dimensions, but the array "
                    f"at index 0 has {first.ndim} dimension(s) and the array at index {i} has {t.ndim} "
                    f"dimension(s) (tensor {i} has shape {t.shape}, tensor 0 {first.shape})"
                ) from None
            if t.shape[:a] + t.shape[a + 1 :] != outside:
                d = next(k for k in range(t.ndim) if k != a and t.shape[k] != first.shape[k])
                raise ShapeError(  # numpy's words, then which tensors
                    "concatenate: all the input array dimensions except for the concatenation axis must "
                    f"match exactly, but along dimension {d}, the array at index 0 has size {first.shape[d]} "
                    f"and the array at index {i} has size {t.shape[d]} (tensor {i} has shape {t.shape}, "
                    f"which does not match tensor 0's shape {first.shape} outside axis {a})"
                ) from None
        raise
    bounds = []
    lo = 0
    for t in ts:
        hi = lo + t._data.shape[a]
        bounds.append((lo, hi))
        lo = hi
    return Tensor._make(data, tuple(ts), "concatenate", (a, bounds))


@op(family=_J, method=False)
def stack(
    seq: Sequence[Any] | None = None,
    axis: int = 0,
    out: Any = None,
    *,
    dtype: Any = None,
    casting: str = "same_kind",
    dim: Any = None,
    tensors: Sequence[Any] | None = None,
) -> Tensor:
    """Join same-shaped tensors along a new axis (PyTorch's ``stack(tensors=, dim=)`` keywords too);
    numpy's ``dtype=`` gives the result's dtype, each input cast to it as ``casting`` allows."""
    if out is not None:  # numpy's out=: the result written into that Tensor (recorded) or array
        _out_alone(dtype, casting, "stack")
        stacked = stack(seq, axis, dtype=dtype, casting=casting, dim=dim, tensors=tensors)
        return _into(out, stacked, casting, "stack")
    ts = _cast_all(_check_seq(_seq_arg(seq, tensors, "stack"), "stack"), dtype, casting, "stack")
    axis = axis if dim is None else dim
    for i, t in enumerate(ts):
        if t.shape != ts[0].shape:
            raise ShapeError(  # numpy's words first
                f"stack: all input arrays must have the same shape (tensor {i} has shape {t.shape}, "
                f"tensor 0 has {ts[0].shape})"
            )
    (a,) = normalize_axes(axis, ts[0].ndim + 1, "stack", ts[0].shape)
    data = np.stack([t._data for t in ts], axis=a)
    return Tensor._make(data, tuple(ts), "stack", a)


def _seq_of(tup: Any, name: str) -> list:
    if not hasattr(tup, "__getitem__"):  # a generator or iterator: numpy's (and PyTorch's) TypeError
        raise TypeError(
            f'{name}: arrays to stack must be passed as a "sequence" type such as list or tuple '
            f"(got {type(tup).__name__})"
        )
    if isinstance(tup, (Tensor, np.ndarray)):  # numpy iterates an array over its first axis
        if np.ndim(tup) == 0:
            raise TypeError(f"{name}: expected a sequence of tensors, got a 0-d {type(tup).__name__}")
        return [tup[i] for i in range(len(tup))]
    return list(tup)


@op(family=_J, rules=("reshape", "concatenate"), method=False)
def hstack(tup: Sequence[Any], *, dtype: Any = None, casting: str = "same_kind") -> Tensor:
    """Join along the second axis (the first for 1-D inputs), as numpy's hstack."""
    ts = [atleast_1d(t) for t in _seq_of(tup, "hstack")]
    return concatenate(ts, axis=0 if ts and ts[0].ndim == 1 else 1, dtype=dtype, casting=casting)


@op(family=_J, rules=("reshape", "concatenate"), method=False, torch=("row_stack",))
def vstack(tup: Sequence[Any], *, dtype: Any = None, casting: str = "same_kind") -> Tensor:
    """Join along the first axis, 1-D inputs becoming rows, as numpy's vstack."""
    return concatenate([atleast_2d(t) for t in _seq_of(tup, "vstack")], axis=0, dtype=dtype, casting=casting)


@op(family=_J, rules=("reshape", "concatenate"), method=False)
def dstack(tup: Sequence[Any]) -> Tensor:
    """Join along the third axis, as numpy's dstack ((n,) -> (1, n, 1), (m, n) -> (m, n, 1))."""
    return concatenate([atleast_3d(t) for t in _seq_of(tup, "dstack")], axis=2)


@op(family=_J, rules=("reshape", "concatenate"), method=False)
def column_stack(tup: Sequence[Any]) -> Tensor:
    """1-D inputs as columns of a 2-D result; 2-D and higher inputs joined along axis 1."""
    ts = [as_tensor(t) for t in _seq_of(tup, "column_stack")]
    ts = [reshape(t, (-1, 1)) if t.ndim < 2 else t for t in ts]
    return concatenate(ts, axis=1)


@op(family=_J, rules=("reshape", "concatenate"), method=False)
def append(arr: Any, values: Any, axis: Any = None) -> Tensor:
    """``values`` appended to ``arr`` (both flattened when ``axis`` is None), as numpy's append."""
    arr, values = as_tensor(arr), as_tensor(values)
    if axis is None:
        return concatenate([reshape(arr, (-1,)), reshape(values, (-1,))], axis=0)
    return concatenate([arr, values], axis=axis)


class SplitDimError(IndexError, RuntimeError):
    """array_split of a 0-d tensor: numpy's IndexError, PyTorch's RuntimeError."""


def _pieces(x: Tensor, bounds: list, a: int) -> list:
    lead = (slice(None),) * a
    return [x[lead + (slice(lo, hi),)] for lo, hi in bounds]  # views, each a getitem node


def _bounds_of_indices(indices: Any, n: int) -> list:
    cuts = [0] + [int(i) for i in indices] + [n]
    cuts = [min(max(c + n if c < 0 else c, 0), n) for c in cuts]  # numpy's slice clipping
    return [(lo, max(lo, hi)) for lo, hi in zip(cuts[:-1], cuts[1:])]


def _bounds_of_sections(k: int, n: int, name: str) -> list:
    if k <= 0:  # numpy's ValueError, PyTorch's RuntimeError and words
        raise ShapeError(
            f"{name}: the number of sections must be positive, got {k} (number of sections must be larger "
            f"than 0, got {k})"
        )
    each, extra = divmod(n, k)  # numpy: the first n % k sections get one more element
    sizes = [each + 1] * extra + [each] * (k - extra)
    ends = np.cumsum([0] + sizes)
    return list(zip(ends[:-1].tolist(), ends[1:].tolist()))


@op(family=_J, rules=("getitem",), torch=("tensor_split",))
def array_split(
    ary: Any,
    indices_or_sections: Any = None,
    axis: int | None = None,
    *,
    dim: Any = None,
    sections: Any = None,
    indices: Any = None,
) -> list:
    """Views of ``ary`` split along ``axis`` (default 0; PyTorch's ``dim``): into k near-equal sections,
    or at the given indices (PyTorch's ``tensor_split`` also names them ``sections=`` / ``indices=``)."""
    x = as_tensor(ary)
    given = [v for v in (indices_or_sections, sections, indices) if v is not None]
    if len(given) != 1:
        raise TypeError("array_split: give one of indices_or_sections, sections= or indices=")
    indices_or_sections = given[0]
    axis = axis_arg(axis, dim, "array_split")
    axis = 0 if axis is None else axis
    if x.ndim == 0:  # numpy's IndexError, PyTorch's RuntimeError and words
        raise SplitDimError(
            "array_split: tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims"
        )
    (a,) = normalize_axes(axis, x.ndim, "array_split", x.shape)
    n = x.shape[a]
    ios = indices_or_sections._data if isinstance(indices_or_sections, Tensor) else indices_or_sections
    if isinstance(indices_or_sections, Tensor):  # PyTorch's words: a 0-d or 1-d integer Tensor
        if ios.dtype.kind not in "iu":
            raise ShapeError(
                f"array_split: tensor_split expected tensor_indices_or_sections to have dtype of long, but "
                f"got {_torch_out._names(ios.dtype)[1]}"
            )
        if ios.ndim > 1:
            raise ShapeError(
                f"array_split: tensor_split expected tensor_indices_or_sections to be a zero-dimensional "
                f"or one-dimensional tensor, but got a tensor with {ios.ndim} dims"
            )
    if isinstance(ios, np.ndarray) and ios.ndim == 0 and ios.dtype.kind in "iu":
        ios = int(ios)  # a 0-d integer array or tensor is a number of sections (numpy's, PyTorch's)
    if isinstance(ios, (int, np.integer)):
        return _pieces(x, _bounds_of_sections(int(ios), n, "array_split"), a)
    return _pieces(x, _bounds_of_indices(ios, n), a)


@op(
    family=_J,
    rules=("getitem",),
    differs="torch.split(x, n) makes pieces of size n and takes a list of sizes; numpy's (this) makes "
    "n equal sections and takes split indices",
)
def split(ary: Any, indices_or_sections: Any, axis: int | None = None, *, dim: Any = None) -> list:
    """Views of ``ary`` split along ``axis`` (default 0; PyTorch's ``dim``) into k equal sections (k
    must divide it) or at indices."""
    x = as_tensor(ary)
    axis = axis_arg(axis, dim, "split")
    axis = 0 if axis is None else axis
    (a,) = normalize_axes(axis, x.ndim, "split", x.shape)
    if isinstance(indices_or_sections, (int, np.integer)):
        k = int(indices_or_sections)
        if k <= 0 or x.shape[a] % k:
            raise ValueError(f"split: axis {a} of shape {x.shape} does not split into {k} equal sections")
    return array_split(x, indices_or_sections, a)


@op(family=_J, rules=("getitem",), numpy=None)
def chunk(x: Any, chunks: int, dim: int = 0) -> tuple:
    """PyTorch's chunk: a tuple of pieces of ceil(n / chunks) along ``dim`` (the last may be smaller, and
    there may be fewer than ``chunks``)."""
    x = as_tensor(x)
    (a,) = normalize_axes(dim, x.ndim, "chunk", x.shape)
    if int(chunks) <= 0:
        raise ShapeError(
            f"chunk: chunks must be positive (chunk expects `chunks` to be greater than 0), got {chunks}"
        )
    n = x.shape[a]
    if n == 0:
        return tuple(_pieces(x, [(0, 0)] * int(chunks), a))
    size = -(-n // int(chunks))
    return tuple(_pieces(x, [(lo, min(lo + size, n)) for lo in range(0, n, size)], a))


@rule("concatenate")  # ctx = (axis, split points)
def _concatenate(F, g, out, xs, ctx, need):
    axis, bounds = ctx
    lead = (slice(None),) * axis
    return tuple(g[lead + (slice(lo, hi),)] for lo, hi in bounds)


@rule("stack")  # ctx = axis
def _stack(F, g, out, xs, ctx, need):
    lead = (slice(None),) * ctx
    return tuple(g[lead + (i,)] for i in range(len(xs)))
