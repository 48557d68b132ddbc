"""numpy's keywords of ``einsum`` besides ``optimize``: ``out=`` (a Tensor: written in place and
recorded; an ndarray: the values), ``dtype=`` (the operands are cast to it first, so the sums are done
in it, as numpy computes), ``casting=`` (default 'safe', the rule for both casts) and ``order=``
(checked; results are C-ordered). Other keywords are refused with numpy's TypeError."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor

_ORDERS = ("C", "F", "A", "K")
_CASTINGS = ("no", "equiv", "safe", "same_kind", "unsafe")


def einsum_keywords(kwargs: dict) -> tuple:
    """(out, dtype, casting) from einsum's keyword arguments, each checked as numpy checks it."""
    kwargs = dict(kwargs)
    out = kwargs.pop("out", None)
    dtype = kwargs.pop("dtype", None)
    order = kwargs.pop("order", "K")
    casting = kwargs.pop("casting", "safe")
    if kwargs:
        raise TypeError(
            f"einsum: unexpected keyword argument(s) {sorted(kwargs)} (numpy's: out, dtype, order, "
            "casting, optimize)"
        )
    if not (isinstance(order, str) and order.upper() in _ORDERS):
        raise ValueError(f"einsum: order must be one of 'C', 'F', 'A', 'K', got {order!r}")
    if casting not in _CASTINGS:
        raise ValueError(f"einsum: casting must be one of {_CASTINGS}, got {casting!r}")
    if out is not None and not isinstance(out, (Tensor, np.ndarray)):
        raise TypeError(f"einsum: out= must be a Tensor or a numpy array, got {type(out).__name__}")
    if dtype is not None:
        dtype = np.dtype(dtype)  # numpy's TypeError for a name that is no dtype
    return out, dtype, casting


def cast_operands(tensors: list, dtype: Any, casting: str) -> list:
    """The operands in ``dtype`` (numpy's einsum computes in it), each cast allowed by ``casting``."""
    if dtype is None:
        return tensors
    for x in tensors:
        if not np.can_cast(x.dtype, dtype, casting):
            raise TypeError(
                f"einsum: Cannot cast array data from dtype({str(x.dtype)!r}) to dtype({str(dtype)!r}) "
                f"according to the rule {casting!r}"
            )
    return [x if x.dtype == dtype else x.astype(dtype) for x in tensors]


def write_result(result: Tensor, out: Any, casting: str) -> Any:
    """``result`` written into ``out`` under ``casting`` (its shape must be the result's); ``out`` back."""
    from .._ufunc_keywords import _write

    if out is None:
        return result
    if tuple(out.shape) != tuple(result.shape):
        raise ValueError(
            f"einsum: out= has shape {tuple(out.shape)}, the result has shape {tuple(result.shape)}"
        )
    if not np.can_cast(result.dtype, out.dtype, casting):
        raise TypeError(
            f"einsum: Cannot cast the result from dtype({str(result.dtype)!r}) to the out= dtype "
            f"({str(out.dtype)!r}) according to the rule {casting!r}"
        )
    return _write(out, result, True, "unsafe", "einsum")
