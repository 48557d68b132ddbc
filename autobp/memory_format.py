"""PyTorch's memory formats (``contiguous_format``, ``channels_last``, ``channels_last_3d``,
``preserve_format``): the order in which an array's elements sit in memory. autobp's arrays are numpy
arrays, whose strides can express them, so ``clone``/``contiguous``/``empty``/``Module.to`` with a
``memory_format`` lay the data out that way and ``is_contiguous(memory_format=...)`` reads the strides;
values, shapes and gradients never depend on the layout."""

from __future__ import annotations

from typing import Any

import numpy as np


class memory_format:  # noqa: N801  PyTorch's class name
    """One of PyTorch's memory formats (compare with ``is``; build none of your own)."""

    def __init__(self, name: str, ndim: int | None = None) -> None:
        self.name, self.ndim = name, ndim

    def __repr__(self) -> str:
        return f"autobp.{self.name}"

    def __reduce__(self) -> str:
        return self.name


contiguous_format = memory_format("contiguous_format")
channels_last = memory_format("channels_last", 4)
channels_last_3d = memory_format("channels_last_3d", 5)
preserve_format = memory_format("preserve_format")


def as_format(fmt: Any, who: str = "memory_format") -> Any:
    """``fmt`` as autobp's memory format: None, one of ours, or PyTorch's of the same name."""
    if fmt is None or isinstance(fmt, memory_format):
        return fmt
    ours = globals().get(str(fmt).rsplit(".", 1)[-1])
    if isinstance(ours, memory_format):
        return ours
    raise TypeError(f"{who}: memory_format must be a memory format such as autobp.channels_last, got {fmt!r}")


def _check(fmt: Any, ndim: int, who: str) -> None:
    if fmt is not None and fmt.ndim is not None and ndim != fmt.ndim:
        raise RuntimeError(
            f"{who}: required rank {fmt.ndim} tensor to use {fmt.name} format, got rank {ndim}"
        )


def _channels_last_order(ndim: int) -> tuple:
    """The axes from outermost to innermost in memory: N, then the spatial axes, then C."""
    return (0, *range(2, ndim), 1)


def relayout(data: np.ndarray, fmt: Any, who: str = "memory_format") -> np.ndarray:
    """A copy of ``data`` laid out as ``fmt`` (None or preserve_format: the layout of ``data``)."""
    fmt = as_format(fmt, who)
    _check(fmt, data.ndim, who)
    if fmt is None or fmt is preserve_format:
        return data.copy(order="K")
    if fmt is contiguous_format:
        return np.array(data, order="C", copy=True)
    order = _channels_last_order(data.ndim)
    return np.ascontiguousarray(data.transpose(order)).transpose(np.argsort(order))


def is_laid_out(data: np.ndarray, fmt: Any = None) -> bool:
    """Whether ``data``'s strides are those of ``fmt`` (PyTorch's ``is_contiguous(memory_format)``;
    axes of length 1 may have any stride)."""
    fmt = as_format(fmt, "is_contiguous")
    if fmt is None or fmt.ndim is None:
        return bool(data.flags.c_contiguous)
    if data.ndim != fmt.ndim:
        return False
    expected = data.itemsize
    for axis in reversed(_channels_last_order(data.ndim)):
        if data.shape[axis] != 1 and data.strides[axis] != expected:
            return False
        expected *= data.shape[axis]
    return True


def _dense(data: np.ndarray) -> bool:
    """Whether ``data`` covers its memory without gaps or overlaps (PyTorch's non-overlapping and dense)."""
    expected = data.itemsize
    for stride, n in sorted((s, n) for s, n in zip(data.strides, data.shape) if n != 1):
        if stride != expected:
            return False
        expected *= n
    return True


def grad_layout(g: np.ndarray, data: np.ndarray) -> np.ndarray:
    """A leaf's first gradient laid out as the leaf (PyTorch's AccumulateGrad layout contract: the grad
    of a dense channels-last or transposed leaf has the leaf's strides; otherwise ``g`` as it is)."""
    if g.shape != data.shape or not _dense(data):
        return g
    out = np.empty_like(data, dtype=g.dtype, subok=False)  # order "K": a dense array's strides kept
    out[...] = g
    return out


def module_to(module: Any, fmt: Any) -> None:
    """``Module.to(memory_format=fmt)``: the 4-D (channels_last) or 5-D (channels_last_3d) parameters
    and buffers are laid out as ``fmt`` in place of their arrays (the Tensors stay the same objects)."""
    fmt = as_format(fmt, "Module.to")
    for t in list(module.parameters()) + list(module.buffers()):
        if fmt is not None and fmt is not preserve_format and (fmt.ndim is None or t._data.ndim == fmt.ndim):
            t._data = relayout(t._data, fmt)


__all__ = ["memory_format", "contiguous_format", "channels_last", "channels_last_3d", "preserve_format"]


def laid_out_as(out: Any, source: Any) -> Any:
    """The fresh Tensor ``out`` laid out in memory as ``source`` when that is dense (PyTorch's
    ``preserve_format``, the default of the random ``*_like`` constructors); values unchanged."""
    data = getattr(source, "_data", source)
    if isinstance(data, np.ndarray):
        out._data = grad_layout(out._data, data)
    return out
