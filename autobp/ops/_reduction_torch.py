"""PyTorch's meanings next to numpy's in the reductions: the empty-axis error class (numpy's ValueError
and PyTorch's IndexError) and ``max(input, other)`` / ``min(input, other)`` with a Tensor ``other``."""

from __future__ import annotations

from typing import Any

from .._broadcast import ShapeError
from ..tensor import Tensor


class EmptyReductionError(ValueError, IndexError):
    """A max/min/argmax/argmin over an empty axis: no value to return (numpy raises ValueError, PyTorch
    IndexError; this is both)."""


def _elementwise(x: Any, other: Tensor, keepdims: Any, dim: Any, keepdim: Any, name: str) -> Tensor:
    """PyTorch's ``max(input, other)`` / ``min(input, other)``: a Tensor where the axis goes is the
    other operand (numpy takes no Tensor as an axis): ``maximum`` / ``minimum``."""
    if keepdims is not False or dim is not None or keepdim is not None:
        raise ShapeError(f"{name}(input, other): a Tensor second argument takes no dim/keepdim")
    from .elementwise import maximum, minimum  # at call time: the op families load in their order

    return (maximum if name == "max" else minimum)(x, other)
