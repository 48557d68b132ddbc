"""PyTorch's view introspection on Tensor: ``_is_view()``, ``_base``, and ``storage()`` /
``untyped_storage()`` (the memory a tensor and its views share, as its start address and size).

A view here is a tensor made by a view op (basic indexing, reshape/view, transpose, diagonal,
expand, real/imag...) sharing its input's memory (``_source``, set by ``_views.link_view``); a
detached tensor shares memory too but, as in PyTorch, is not a view (``_is_view()`` is False)."""

from __future__ import annotations

from typing import Any

import numpy as np


def _is_detached(t: Any) -> bool:
    spec = t.__dict__.get("_view_op")
    return spec is not None and spec[0] == "detach"


def is_view(self: Any) -> bool:
    """True when this tensor is a view of another one (PyTorch's ``Tensor._is_view()``): it was made
    by a view op and shares that tensor's memory; False for a detached tensor or a copy."""
    return self._source is not None and not _is_detached(self)


def view_base(self: Any) -> Any:
    """The tensor this view ultimately looks into (PyTorch's ``Tensor._base``: the first tensor up the
    chain of views that is not itself a view), or None when this tensor is not a view."""
    if not is_view(self):
        return None
    base = self._source
    while base._source is not None and not _is_detached(base):
        base = base._source
    return base


class Storage:
    """The memory block a tensor's array lies in (the numpy array that owns it), shared by the tensor's
    views: PyTorch's ``Tensor.untyped_storage()`` / ``storage()`` for reading where it starts
    (``data_ptr()``) and how big it is (``nbytes()``; ``size()`` and ``len()`` count elements of the
    tensor's dtype). Read-only: autobp writes through tensors, not storages."""

    def __init__(self, owner: Any, itemsize: int, dtype: Any) -> None:
        self._owner = owner
        self._itemsize = itemsize
        self.dtype = dtype
        self.device = "cpu"

    def data_ptr(self) -> int:
        """The address of the memory block's first byte (equal for a tensor and all its views)."""
        return int(self._owner.__array_interface__["data"][0])

    def flat(self) -> np.ndarray:
        """The memory block as a 1-D array of the storage's dtype (a view: writes reach the block)."""
        owner = self._owner
        raw = owner.reshape(-1, order="C" if owner.flags.c_contiguous else "F").view(np.uint8)
        return raw[: raw.size - raw.size % self._itemsize].view(self.dtype)

    def nbytes(self) -> int:
        """The memory block's size in bytes."""
        return int(self._owner.nbytes)

    def size(self) -> int:
        """The memory block's size in elements of the tensor's dtype."""
        return self.nbytes() // self._itemsize

    def __len__(self) -> int:
        return self.size()

    def __repr__(self) -> str:
        return f"<autobp Storage of {self.nbytes()} bytes at {self.data_ptr():#x}>"


def _owning_array(a: Any) -> Any:
    """The array whose memory ``a`` lies in, through numpy's views and the stand-in object
    ``np.lib.stride_tricks.as_strided`` puts between a strided view and its array."""
    while True:
        base = a.base
        if isinstance(base, np.ndarray):
            a = base
        elif isinstance(getattr(base, "base", None), np.ndarray):
            a = base.base
        else:
            return a


def storage(self: Any) -> Storage:
    """The memory block this tensor's array lies in, shared with its views (PyTorch's
    ``Tensor.storage()``): ``data_ptr()`` is the same for a tensor and its views, and differs for a
    copy; ``len()`` counts elements of this tensor's dtype."""
    return Storage(_owning_array(self._data), self._data.itemsize, self._data.dtype)


def untyped_storage(self: Any) -> Storage:
    """The memory block this tensor's array lies in (PyTorch's ``Tensor.untyped_storage()``): as
    ``storage()``, in bytes (``len()`` and ``size()`` count bytes)."""
    return Storage(_owning_array(self._data), 1, np.dtype(np.uint8))


def attach(cls: Any) -> None:
    """Put ``_is_view``, ``_base`` (and numpy's spelling ``base``), ``storage`` and ``untyped_storage``
    on ``cls`` (Tensor) where it has no such name yet."""
    if not hasattr(cls, "_is_view"):
        cls._is_view = is_view
    if not hasattr(cls, "_base"):
        cls._base = property(view_base, doc=view_base.__doc__)
    if not hasattr(cls, "base"):  # numpy's ndarray.base: the tensor whose memory a view uses, else None
        cls.base = property(view_base, doc="numpy's ``base``: " + view_base.__doc__)
    for fn in (storage, untyped_storage):
        if not hasattr(cls, fn.__name__):
            setattr(cls, fn.__name__, fn)
