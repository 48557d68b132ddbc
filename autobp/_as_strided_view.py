"""PyTorch's ``as_strided`` / ``Tensor.as_strided_``: a view of the memory block a tensor lies in (its
storage), at element positions ``storage_offset + sum(i_k * stride[k])``, sharing that memory as
PyTorch's does; its gradient reaches the input's elements at those positions."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._broadcast import ShapeError
from ._view_links import Storage
from ._view_links import _owning_array as owning_array
from ._views import link_view
from .ops._args import as_tensor
from .rules import rule
from .tensor import Tensor


def _element_strides(a: np.ndarray, who: str) -> tuple:
    item = a.itemsize
    if any(s % item for s in a.strides):
        raise ShapeError(f"{who}: the strides {a.strides} (bytes) are not whole {a.dtype} elements")
    return tuple(s // item for s in a.strides)


def _storage_of(a: np.ndarray, who: str) -> tuple:
    """(flat array of ``a``'s dtype over its whole memory block, ``a``'s offset in it in elements)."""
    owner = owning_array(a)
    if not (owner.flags.c_contiguous or owner.flags.f_contiguous):
        raise ShapeError(f"{who}: the memory of this tensor is not one contiguous block")
    start = a.__array_interface__["data"][0] - owner.__array_interface__["data"][0]
    if start % a.itemsize:
        raise ShapeError(f"{who}: the tensor does not start at a whole {a.dtype} element of its memory")
    return Storage(owner, a.itemsize, a.dtype).flat(), start // a.itemsize


def _check(size: Any, stride: Any, offset: int, n: int, who: str) -> tuple:
    size, stride = tuple(int(s) for s in size), tuple(int(s) for s in stride)
    if len(size) != len(stride):
        raise ShapeError(f"{who}: size {size} and stride {stride} must have the same length (mismatch)")
    if any(s < 0 for s in size) or any(s < 0 for s in stride) or offset < 0:
        raise ShapeError(
            f"{who}: negative sizes, strides or offset are not allowed (size {size}, stride {stride}, "
            f"storage offset {offset})"
        )
    if all(size):
        need = offset + sum((n_k - 1) * s for n_k, s in zip(size, stride)) + 1
        if need > n:
            raise ShapeError(
                f"{who}: size {list(size)}, stride {list(stride)} and storage offset {offset} need a "
                f"storage of {need} elements, beyond the {n} elements of the input's storage (out of bounds)"
            )
    return size, stride


def strided_array(a: np.ndarray, size: Any, stride: Any, storage_offset: int | None, who: str) -> tuple:
    """(the strided view of ``a``'s memory block, its positions, ``a``'s own positions in the block)."""
    flat, start = _storage_of(a, who)
    offset = start if storage_offset is None else int(storage_offset)
    size, stride = _check(size, stride, offset, flat.size, who)
    view = np.lib.stride_tricks.as_strided(
        flat[offset:] if offset < flat.size else flat[flat.size :],
        size,
        tuple(s * a.itemsize for s in stride),
        writeable=a.flags.writeable,
    )
    return view, _positions(offset, size, stride), _positions(start, a.shape, _element_strides(a, who))


def _positions(offset: int, size: tuple, stride: tuple) -> np.ndarray:
    pos = np.full(size, offset, dtype=np.int64)
    for k, (n, st) in enumerate(zip(size, stride)):
        pos = pos + (np.arange(n, dtype=np.int64) * st).reshape((n,) + (1,) * (len(size) - k - 1))
    return pos


def as_strided(input: Any, size: Any, stride: Any, storage_offset: int | None = None) -> Tensor:
    """The elements of ``input``'s memory block at ``storage_offset + sum(i_k * stride[k])`` (in
    elements; ``storage_offset`` defaults to the input's own), in shape ``size``, as a view sharing that
    memory (``torch.as_strided``): writes through either are seen by the other.

    The gradient of an output element goes to the input element at its position (several outputs at
    one position add up; one of an input's overlapping elements, e.g. an expanded one, gets it); an
    output element outside the input's elements is a constant. Where every output element is one of
    the input's, the view follows a recorded write into the input (its new values, and a gradient
    path to them), as PyTorch's; a recorded write through the view itself is refused."""
    x = as_tensor(input)
    data, pos, own = strided_array(x._data, size, stride, storage_offset, "as_strided")
    own = own.reshape(-1)
    order = np.argsort(own, kind="stable")
    known, first = np.unique(own[order], return_index=True)
    at = np.searchsorted(known, pos).clip(0, max(known.size - 1, 0))
    found = known[at] == pos if known.size else np.zeros(pos.shape, bool)
    if x.ndim and found.all():  # each output element is one of x's: an "as_strided" node, its index
        where = np.unravel_index(order[first][at], x.shape)  # x's element under each output element
        out = Tensor._make(data, (x,), "as_strided", where)
        link_view(out, x, "as_strided", where)  # in x's memory block, if not in x's own part of it
        return out
    if found.any():
        out = x.reshape(-1)[np.where(found, order[first][at], 0)]
        if not found.all():
            out = out * found.astype(out.dtype)
        out._data = data
    else:
        out = Tensor._const(data)
    link_view(out, x)
    return out


def remake(d: np.ndarray, where: tuple) -> np.ndarray:
    """The view at ``d[where]`` (``where``: one index array per axis of ``d``) made again from ``d``, a
    base's new array after a recorded write: a strided view of ``d``'s memory where those elements are
    evenly spaced in it, else (``d`` laid out otherwise than the old base) a copy of them."""
    shape = where[0].shape
    if not all(shape) or not d.size:
        return d[where]
    off = sum(w.astype(np.int64) * st for w, st in zip(where, d.strides))
    first = (0,) * len(shape)
    steps = [
        int(off[first[:k] + (1,) + first[k + 1 :]] - off[first]) if n > 1 else 0 for k, n in enumerate(shape)
    ]
    if not np.array_equal(off, _positions(int(off[first]), shape, tuple(steps))):
        return d[where]
    start = tuple(int(w[first]) for w in where) + (Ellipsis,)
    return np.lib.stride_tricks.as_strided(d[start], shape, tuple(steps), writeable=d.flags.writeable)


@rule("as_strided")  # ctx = the index of x's elements under the output's (numpy's advanced index)
def _as_strided_rule(F, g, out, xs, ctx, need):
    return (F.scatter_add(g, ctx, xs[0].shape),)


def as_strided_(self: Tensor, size: Any, stride: Any, storage_offset: int | None = None) -> Tensor:
    """In place: ``self`` becomes ``as_strided(self, size, stride, storage_offset)`` (PyTorch's
    ``Tensor.as_strided_``), a re-view of its memory without a graph, the new node on one."""
    from .pytorch_inplace_more import _reshaped

    return _reshaped(
        self,
        "as_strided_",
        lambda a: strided_array(a, size, stride, storage_offset, "as_strided_")[0],
        lambda x: as_strided(x, size, stride, storage_offset),
    )
