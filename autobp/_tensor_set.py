"""``Tensor.set_``: make a tensor use another's memory (PyTorch's ``Tensor.set_``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ._graph import _mode
from ._inplace import LeafInplaceError, bump
from ._view_links import Storage
from .tensor import Tensor


def set_(
    self: Tensor,
    source: Any = None,
    storage_offset: int = 0,
    size: Sequence[int] | None = None,
    stride: Sequence[int] | None = None,
) -> Tensor:
    """Make ``self`` share ``source``'s memory, shape and strides (PyTorch's ``Tensor.set_``): later
    writes through either show in both; with ``size`` (and ``stride``, contiguous by default,
    ``storage_offset``), ``self`` views that part of ``source``'s flattened memory (``source`` may be a
    ``t.storage()``: the whole memory block ``t`` lies in); with no ``source``,
    ``self`` becomes empty. Views taken of ``self`` before keep the old memory. Counts as an in-place
    write; refused, as in PyTorch, on a leaf that requires grad outside ``no_grad()``, and (autobp: not
    differentiable) when ``source`` requires grad or ``self`` is part of a graph, outside ``no_grad()``.

    >>> p = Tensor([1.0, 2.0, 3.0])
    >>> s = Tensor([7.0, 8.0])
    >>> p.set_(s).tolist(), p.shape
    ([7.0, 8.0], (2,))
    """
    if _mode.enabled and self.requires_grad:
        if self._op is None:
            raise LeafInplaceError(
                f"set_: a leaf Variable that requires grad is being used in an in-place operation (a leaf "
                f"Tensor of shape {self.shape}); call it under no_grad() (as to resize a parameter)"
            )
        raise RuntimeError(
            f"set_: this tensor is the result of op {self._op!r} in a graph; autobp does not differentiate "
            "set_ (PyTorch's node for it raises at backward): call it under no_grad() or on a detached tensor"
        )
    src = source if isinstance(source, Tensor) else None
    if source is None:
        arr = np.empty((0,), dtype=self._data.dtype)
    else:
        if isinstance(source, Storage):  # ``t.storage()``: its whole memory block, flat
            arr = source.flat()
        else:
            arr = source._data if src is not None else np.asarray(source)
        if arr.dtype != self._data.dtype:
            raise RuntimeError(
                f"set_: Could not set tensor of type {arr.dtype} to a tensor of type {self._data.dtype}"
            )
        if src is not None and src.requires_grad and _mode.enabled:
            raise RuntimeError(
                f"set_: the source (shape {src.shape}) requires grad; autobp does not differentiate set_ "
                "(PyTorch's node for it raises at backward): pass source.detach(), or call it under no_grad()"
            )
        if size is not None:
            arr = _strided(arr, int(storage_offset), tuple(size), stride)
        elif storage_offset:
            raise TypeError("set_: storage_offset needs a size (set_(source, storage_offset, size, stride))")
    self._source = None  # the old memory is not written: do not count the write against its owner
    bump(self)
    self._data = arr
    owner = src  # a view of self's old memory (``p.set_(p[1:])``) no longer shares memory with self:
    while owner is not None:  # cut its link, or the chain of owners would loop
        if owner._source is self:
            owner._source = None
        owner = owner._source
    self._source = src  # writes through self now change source's memory
    self._views = None  # views made before keep the old memory (as PyTorch's)
    return self


def _strided(arr: np.ndarray, offset: int, size: tuple, stride: Any) -> np.ndarray:
    """The view of ``arr``'s flattened (contiguous) memory at ``offset`` with ``size`` and ``stride``."""
    if not arr.flags.c_contiguous:
        raise ValueError(
            f"set_: a size needs a contiguous source (got strides {arr.strides}); pass source.contiguous()"
        )
    if stride is None or len(stride) == 0:
        stride = [1] * len(size)
        for i in range(len(size) - 2, -1, -1):
            stride[i] = stride[i + 1] * max(size[i + 1], 1)
    stride = tuple(int(s) for s in stride)
    if len(stride) != len(size) or any(s < 0 for s in stride) or any(n < 0 for n in size) or offset < 0:
        raise RuntimeError(
            f"set_: invalid size {list(size)}, stride {list(stride)} or storage offset {offset} "
            "(one stride per size, none negative)"
        )
    flat = arr.reshape(-1)
    need = 0 if 0 in size else offset + sum((n - 1) * s for n, s in zip(size, stride)) + 1
    if need > flat.size:
        raise RuntimeError(
            f"set_: sizes {list(size)}, strides {list(stride)}, and storage offset {offset} requiring a "
            f"storage size of {need} are out of bounds for storage of size {flat.size}"
        )
    base = flat[offset:] if flat.size else flat
    item = arr.dtype.itemsize
    return np.lib.stride_tricks.as_strided(base, shape=size, strides=tuple(s * item for s in stride))


def attach() -> None:
    """Put ``set_`` on Tensor."""
    Tensor.set_ = set_  # type: ignore[attr-defined]
