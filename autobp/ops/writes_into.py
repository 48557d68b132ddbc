"""Writes of a computed value into an existing Tensor: numpy's ``copyto(dst, src, where=)`` and a
ufunc's ``out=`` (``np.add(x, y, out=z, where=mask)``), recorded as ``dst[...] = value`` (or
``dst[mask] = value[mask]``) when a gradient is involved, so it flows to the value's inputs and to
the part of dst's old value left in place; a plain write otherwise, as numpy's."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._graph import _mode
from .._inplace import bump
from ..tensor import Tensor
from ._decl import op
from .scatter import _setitem
from .shape import astype, broadcast_to

_W = "scatter"


class WriteCastError(TypeError, RuntimeError):
    """A value whose dtype cannot be written into the given Tensor under the casting rule (numpy
    raises a TypeError, PyTorch a RuntimeError for an ``out=`` that cannot take the result)."""


def _mask(where: Any) -> Any:
    """``where`` as numpy sees it: True (write everywhere) or a boolean array."""
    if where is True:
        return True
    w = where._data if isinstance(where, Tensor) else np.asarray(where)
    if w.dtype != bool:
        raise TypeError(f"where= must be boolean, got dtype {w.dtype} (shape {w.shape})")
    return w


def _describe(x: Any) -> str:
    a = x._data if isinstance(x, Tensor) else np.asarray(x)
    return f"shape {a.shape}, {a.dtype}"


def write_into(dst: Tensor, value: Any, where: Any, casting: str, name: str) -> Tensor:
    """Write ``value`` (a Tensor or array-like) into ``dst`` where ``where`` holds, numpy's casting
    and broadcasting checked first (nothing is written if they fail). Recorded when grad mode is on
    and dst or value requires grad (a leaf that requires grad refuses, as every in-place write does),
    a plain write into dst's array otherwise. Returns ``dst``."""
    mask = _mask(where)
    raw = value._data if isinstance(value, Tensor) else value
    recording = _mode.enabled and (dst.requires_grad or (isinstance(value, Tensor) and value.requires_grad))
    target = np.empty_like(dst._data) if recording else dst._data  # checks first, on a scratch array
    try:
        np.copyto(target, raw, casting=casting, where=mask)
    except (TypeError, ValueError) as e:
        raise (WriteCastError if isinstance(e, TypeError) else ValueError)(
            f"{name}: cannot write a value of {_describe(value)} into a Tensor of shape {dst.shape}, "
            f"{dst.dtype} (casting={casting!r}, where of shape {np.shape(mask)}): {e}"
        ) from None
    if not recording:
        bump(dst)  # the values are in; graphs that read dst before refuse to backward
        return dst
    if not isinstance(value, Tensor):  # a Python number or array: a constant (checked as numpy's above)
        value = Tensor._const(np.asarray(raw))
    if value.dtype != dst.dtype:
        value = astype(value, dst.dtype)
    value = broadcast_to(value, dst.shape)
    if mask is True:
        _setitem(dst, Ellipsis, value)
    else:
        mask = np.broadcast_to(mask, dst.shape)
        _setitem(dst, mask, value[mask])
    return dst


@op(family=_W, rules=("index_put", "astype", "broadcast_to", "getitem"), method=False)
def copyto(dst: Any, src: Any, casting: str = "same_kind", where: Any = True) -> None:
    """numpy's copyto: ``src`` (broadcast, cast by ``casting``) written into the Tensor ``dst`` in place
    where ``where`` holds; returns None, as numpy's does.

    With grad mode on and src or dst requiring grad, the write is recorded as ``dst[...] = src`` (or
    ``dst[mask] = src[mask]``): src gets the gradient of the written elements, dst's old value that of
    the rest. A leaf that requires grad refuses outside no_grad (PyTorch's rule for in-place writes).
    A numpy array ``dst`` (reached through np.copyto with a Tensor src) takes the plain values only
    when nothing requires grad: an ndarray cannot hold a graph.
    """
    if not isinstance(dst, Tensor):
        if not isinstance(dst, np.ndarray):
            raise TypeError(f"copyto: dst must be a Tensor or a numpy array, got {type(dst).__name__}")
        if _mode.enabled and isinstance(src, Tensor) and src.requires_grad:
            raise TypeError(
                f"copyto into a numpy array of shape {dst.shape}: src (shape {src.shape}, {src.dtype}) "
                "requires grad, and a numpy array cannot hold its graph; copy into a Tensor, or pass "
                "src.detach()"
            )
        w = where._data if isinstance(where, Tensor) else where
        np.copyto(dst, src._data if isinstance(src, Tensor) else src, casting=casting, where=w)
        return None
    write_into(dst, src, where, casting, "copyto")
    return None
