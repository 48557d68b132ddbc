"""What the creation functions read from their arguments, with numpy's and PyTorch's spellings: the
shape (numpy's tuple, PyTorch's separate sizes or ``size=``), numpy's positional dtype, PyTorch's
``end=`` for a grid's stop and its ``layout=``/``pin_memory=``; and the constant leaf they make."""

from __future__ import annotations

import operator
from typing import Any

import numpy as np

from .._broadcast import ShapeError
from ..tensor import Tensor, _check_float
from ._args import spelled_once


def _leaf(data: np.ndarray, requires_grad: bool, name: str) -> Tensor:
    t = Tensor._const(data)
    if requires_grad:
        _check_float(data, f"{name}(requires_grad=True)")
        t.requires_grad = True
    return t


def _is_dtype(x: Any) -> bool:
    """Whether ``x`` names a dtype (a type, np.dtype or string), not a size."""
    return isinstance(x, (type, np.dtype, str))


def _dtype_pos(sizes: tuple, dtype: Any, default: Any = None) -> tuple:
    """numpy's ``zeros(shape, dtype)``: a dtype given as the one extra positional argument is the dtype,
    not a PyTorch size; returns (sizes, dtype)."""
    if len(sizes) == 1 and _is_dtype(sizes[0]):
        if dtype is not default:
            raise TypeError(f"got the dtype twice: {sizes[0]!r} positionally and dtype={dtype!r}")
        return (), sizes[0]
    return sizes, dtype


def _dim(n: Any, who: str) -> int:
    """One size, an integer (numpy's TypeError for 1.5: a float is not silently truncated)."""
    try:
        return operator.index(n)
    except TypeError:
        raise TypeError(f"{who}: {type(n).__name__} {n!r} cannot be interpreted as an integer size") from None


def _size(shape: Any, more: tuple, size: Any = None, who: str = "") -> tuple:
    """numpy's ``shape`` argument, PyTorch's sizes as separate arguments (zeros(2, 3)) or PyTorch's
    ``size=`` keyword (one of them)."""
    if size is not None:
        if shape is not None or more:
            raise TypeError(f"{who}: give the shape once: positionally, as shape= or as size=")
        shape = size
    if shape is None:
        raise TypeError(f"{who}: missing the shape (positionally, as shape= or as PyTorch's size=)")
    if more and _is_dtype(more[-1]):  # numpy's zeros(shape, dtype): the dtype given positionally
        raise TypeError(f"{who}: the dtype {more[-1]!r} given positionally: pass it as dtype=")
    if more:
        dims = (_dim(shape, who),) + tuple(_dim(n, who) for n in more)
    elif isinstance(shape, (tuple, list)):
        dims = tuple(_dim(n, who) for n in shape)
    else:  # an int, or an integer array (numpy accepts np.array((4, 5)) as a shape)
        dims = tuple(_dim(n, who) for n in np.ravel(shape.data if isinstance(shape, Tensor) else shape))
    negative = [n for n in dims if isinstance(n, (int, np.integer)) and n < 0]
    if negative:  # numpy's ValueError, also PyTorch's RuntimeError, with its words
        raise ShapeError(
            f"{who}: Trying to create tensor with negative dimension {negative[0]}: {[int(n) for n in dims]}"
        )
    return dims


def torch_end(stop: Any, end: Any, who: str) -> Any:
    """numpy's ``stop`` or PyTorch's ``end`` (one of them) of a grid."""
    return spelled_once(
        stop,
        end,
        f"{who}: missing stop (PyTorch's end)",
        f"{who}: got both stop and end (PyTorch's name for stop)",
    )


def torch_only(who: str, layout: Any = None, pin_memory: bool = False) -> None:
    """PyTorch's ``layout=`` (strided, the only one autobp has) and ``pin_memory=`` (False: autobp has
    no accelerator to pin memory for), accepted where the factories take them."""
    if layout is not None and not str(layout).endswith("strided"):
        raise ValueError(
            f"{who}: autobp tensors are dense (layout strided); layout {layout!r} is not available"
        )
    if pin_memory:
        raise RuntimeError(f"{who}: pin_memory=True needs an accelerator; autobp computes on the CPU")
