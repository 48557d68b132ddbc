"""Python's operator protocol for Tensor's binary operators: when the other operand is of a class of its
own (not a builtin, array, number or Tensor) that defines the reflected operator (``__radd__`` for
``+``, ``__gt__`` for ``<``, ``__eq__`` for ``==``), the Tensor operator returns ``NotImplemented`` so
Python asks that class, as numpy and PyTorch defer to such classes. Any other unsupported operand (None,
a string, a dict) still gets autobp's TypeError naming its type."""

from __future__ import annotations

import functools
import numbers
from typing import Any

import numpy as np

from ..tensor import Tensor

_PAIRS = [(f"__{n}__", f"__r{n}__") for n in "add sub mul truediv div pow mod floordiv divmod matmul".split()]
_PAIRS += [(f"__{n}__", f"__r{n}__") for n in "lshift rshift and or xor".split()]
REFLECTED = {a: b for a, b in _PAIRS} | {b: a for a, b in _PAIRS}
REFLECTED |= {"__lt__": "__gt__", "__gt__": "__lt__", "__le__": "__ge__", "__ge__": "__le__"}
REFLECTED |= {"__eq__": "__eq__", "__ne__": "__ne__"}
BINARY = frozenset(REFLECTED)

_TAKEN = (Tensor, np.ndarray, np.generic, numbers.Number, list, tuple)


def defers_to(other: Any, name: str) -> bool:
    """Whether Tensor's operator ``name`` should leave ``self <op> other`` to ``other``'s class."""
    cls = type(other)
    if cls.__module__ == "builtins" or isinstance(other, _TAKEN) or hasattr(other, "__array__"):
        return False
    reflected = REFLECTED[name]
    method = getattr(cls, reflected, None)
    return method is not None and method is not getattr(object, reflected, None)


def defers(name: str, method: Any) -> Any:
    """``method`` (the binary operator ``name``) returning NotImplemented where ``defers_to`` says so.
    The arithmetic operators (+ - * / ** and reflections) check inline, off their fast path."""
    if getattr(method, "checks_operand", False):
        return method

    @functools.wraps(method)
    def operator(self: Tensor, other: Any) -> Any:
        if type(other) is not Tensor and defers_to(other, name):
            return NotImplemented
        return method(self, other)

    return operator


def foreign_equality(a: Any, b: Any, fn: Any, symbol: str) -> Any:
    """``a == b`` / ``a != b`` (``fn``: numpy's equal / not_equal) of a Tensor and something that is no
    number or array (None, a string, a plain object): all False / all True of the Tensor's shape, as
    numpy's (PyTorch gives False), not an error; a Tensor of strings is compared by numpy. None for
    other operands (the usual comparison applies)."""
    t, x = (a, b) if isinstance(a, Tensor) else (b, a)
    if not isinstance(t, Tensor) or isinstance(x, _KNOWN) or hasattr(x, "__array__"):
        return None
    if t._data.dtype.kind in "biufc":
        return Tensor._const(np.full(t.shape, symbol == "!="))
    return Tensor._const(np.asarray(fn(*(v._data if v is t else v for v in (a, b)))))


_KNOWN = (Tensor, np.ndarray, np.generic, numbers.Number, list, tuple)
