"""Tensor.view: PyTorch's view(*shape) (reshape) and view(dtype), the same bytes read as another dtype
(numpy's ndarray.view(dtype) and PyTorch's Tensor.view(dtype) agree: a different element size scales
the last axis). A dtype view is a constant, as PyTorch's (its derivative is not defined)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._broadcast import ShapeError
from ..tensor import Tensor, _view
from .shape import _reshape_method


def _as_dtype(arg: Any) -> np.dtype | None:
    """The dtype ``arg`` names, or None when it is a size (an int) or a shape."""
    if isinstance(arg, (int, np.integer, tuple, list)) or arg is None:
        return None
    try:
        return np.dtype(arg)
    except TypeError:
        return None


def view_dtype(x: Tensor, dtype: Any) -> Tensor:
    """``x``'s bytes read as ``dtype``: same shape for the same element size, else the last axis
    scaled by the ratio of sizes (it must be contiguous, and divisible when the new size is larger)."""
    dt = np.dtype(dtype)
    if dt.itemsize != x.dtype.itemsize:
        _check_sizes(x, dt)
    try:
        data = x._data.view(dt)
    except ValueError as e:
        raise ShapeError(f"view: cannot view tensor of shape {x.shape} ({x.dtype}) as {dt} ({e})") from None
    return _view(Tensor._const(data), x)


def view_method(self: Tensor, *shape: Any, size: Any = None, dtype: Any = None) -> Tensor:
    """PyTorch's Tensor.view: ``view(*shape)`` (or ``size=``) is reshape where it needs no copy (else a
    RuntimeError, as PyTorch's, so writes into it always reach ``self``); ``view(dtype)`` (or ``dtype=``)
    reads the same bytes as ``dtype`` (no gradient), as ndarray.view(dtype)."""
    if size is not None or dtype is not None:
        if shape or (size is not None and dtype is not None):
            raise TypeError("view: give one of the shape, size= or dtype=")
        shape = (size if dtype is None else dtype,)
    if len(shape) == 1:
        dt = _as_dtype(shape[0])
        if dt is not None:
            return view_dtype(self, dt)
    out = _reshape_method(self, *shape)
    if self.size and not np.may_share_memory(out._data, self._data):  # numpy had to copy
        raise ShapeError(
            f"view size is not compatible with input tensor's size and stride (at least one dimension spans "
            f"across two contiguous subspaces). Use .reshape(...) instead. (view of a tensor of shape "
            f"{self.shape} and strides {self.stride()} as {out.shape} needs a copy)"
        )
    return out


METHODS = {"view": view_method}  # ops/__init__ sets it after attach(), over reshape's PyTorch alias


def _check_sizes(x: Tensor, dt: np.dtype) -> None:
    """PyTorch's conditions (and words) for viewing ``x`` as a dtype of another element size: at least
    one axis, the last contiguous, and for a larger size the last axis's length, the offset in memory
    and the other axes' strides divisible by the ratio of sizes."""
    what = f"to view {x.dtype} as {dt} (different element sizes)"
    if x.ndim == 0:
        raise ShapeError(f"view: self.dim() cannot be 0 {what}")
    size = x.dtype.itemsize
    step = x._data.strides[-1] // size
    if step != 1 and x.shape[-1] != 1:
        raise ShapeError(f"view: self.stride(-1) must be 1 {what}, but got {step} (shape {x.shape})")
    if dt.itemsize > size:
        ratio = dt.itemsize // size
        if x.shape[-1] % ratio:
            raise ShapeError(
                f"view: self.size(-1) must be divisible by {ratio} {what}, but got {x.shape[-1]} "
                f"(shape {x.shape})"
            )
        offset = x.storage_offset()
        if offset % ratio:
            raise ShapeError(
                f"view: self.storage_offset() must be divisible by {ratio} {what}, but got {offset}"
            )
        for i, st in enumerate(x._data.strides[:-1]):
            if (st // size) % ratio and x.shape[i] != 1:
                raise ShapeError(
                    f"view: self.stride({i}) must be divisible by {ratio} {what}, but got {st // size}"
                )
