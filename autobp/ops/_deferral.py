"""Python's operator protocol for Tensor's binary operators: an operand of a type autobp does not
take (not a Tensor, array, number, list or tuple, nor array-like) gets ``NotImplemented``, so Python
asks the other operand (its ``__radd__``, ``__eq__``, ...) before raising TypeError, as numpy and
PyTorch defer to such classes."""

from __future__ import annotations

import functools
import numbers
from typing import Any

import numpy as np

from ..tensor import Tensor

BINARY = frozenset(
    f"__{r}{name}__"
    for name in ("add sub mul truediv div pow mod floordiv divmod matmul lshift rshift and or xor".split())
    for r in ("", "r")
) | {"__lt__", "__le__", "__gt__", "__ge__", "__eq__", "__ne__"}

_TAKEN = (Tensor, np.ndarray, np.generic, numbers.Number, list, tuple)


def takes(other: Any) -> bool:
    """Whether a Tensor operator takes ``other`` (else it returns NotImplemented)."""
    return isinstance(other, _TAKEN) or hasattr(other, "__array__")


def defers(method: Any) -> Any:
    """``method`` (a binary operator) returning NotImplemented for an operand it cannot take. The
    arithmetic operators (+ - * / ** and their reflections) check inline, off their fast path."""
    if getattr(method, "checks_operand", False):
        return method

    @functools.wraps(method)
    def operator(self: Tensor, other: Any) -> Any:
        return method(self, other) if type(other) is Tensor or takes(other) else NotImplemented

    return operator
