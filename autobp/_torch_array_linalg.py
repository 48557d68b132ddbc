"""PyTorch's matrix, comparison and selection methods (``mm``, ``matmul``, ``eq``, ``masked_fill``,
``index_select``, ``gather``, ``softmax``, ``triu``, ``chunk``, ``split``...) for the arrays autobp hands
out for a tensor's memory (a custom Function's forward inputs, ``.data``, ``.grad``), so forwards and
backwards ported from PyTorch (its documentation's ``LinearFunction``: ``input.mm(weight.t())``) run.
Mixed into MathMethods (autobp/_torch_array_math.py); each returns new arrays of the same class.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._torch_array_fills import _nd, _values


def _matrix(name: str, a: np.ndarray, b: Any, ndim: int) -> tuple:
    b = np.asarray(_values(b))
    if a.ndim != ndim or b.ndim != ndim:
        raise RuntimeError(f"{name}: expected {ndim}-D arrays, got shapes {a.shape} and {b.shape}")
    return a, b


class MatrixMethods:
    """PyTorch's matrix, comparison and selection methods for an ndarray subclass (module docstring)."""

    __slots__ = ()

    def mm(self, mat2: Any) -> Any:
        """The matrix product of two 2-D arrays."""
        return self._fresh(np.matmul(*_matrix("mm", _nd(self), mat2, 2)))

    def bmm(self, mat2: Any) -> Any:
        """The batched matrix product of two 3-D arrays."""
        return self._fresh(np.matmul(*_matrix("bmm", _nd(self), mat2, 3)))

    def matmul(self, other: Any) -> Any:
        """``a @ other`` (numpy's and PyTorch's matmul broadcasting)."""
        return self._fresh(np.matmul(_nd(self), np.asarray(_values(other))))

    def mv(self, vec: Any) -> Any:
        """A 2-D array times a 1-D vector."""
        a, v = _nd(self), np.asarray(_values(vec))
        if a.ndim != 2 or v.ndim != 1:
            raise RuntimeError(f"mv: expected a 2-D and a 1-D array, got shapes {a.shape} and {v.shape}")
        return self._fresh(a @ v)

    def outer(self, vec2: Any) -> Any:
        """The outer product of two 1-D arrays."""
        return self._fresh(np.outer(_nd(self), np.asarray(_values(vec2))))

    def masked_fill(self, mask: Any, value: Any) -> Any:
        """A copy with ``value`` where ``mask`` (broadcast to the array's shape) is true."""
        a = _nd(self)
        return self._fresh(np.where(np.asarray(_values(mask), bool), _values(value), a).astype(a.dtype))

    def index_select(self, dim: int, index: Any) -> Any:
        """The entries at ``index`` (1-D integers) along ``dim``."""
        return self._fresh(np.take(_nd(self), np.asarray(_values(index)), axis=dim))

    def gather(self, dim: int, index: Any) -> Any:
        """``out[i][j] = a[index[i][j]][j]`` for dim 0 (and so on): numpy's take_along_axis."""
        return self._fresh(np.take_along_axis(_nd(self), np.asarray(_values(index)), axis=dim))

    def softmax(self, dim: int) -> Any:
        """``exp(a) / sum(exp(a))`` along ``dim``, computed without overflow."""
        a = _nd(self)
        e = np.exp(a - a.max(axis=dim, keepdims=True))
        return self._fresh(e / e.sum(axis=dim, keepdims=True))

    def log_softmax(self, dim: int) -> Any:
        """``a - logsumexp(a)`` along ``dim``, computed without overflow."""
        a = _nd(self)
        m = a.max(axis=dim, keepdims=True)
        return self._fresh(a - m - np.log(np.exp(a - m).sum(axis=dim, keepdims=True)))

    def triu(self, diagonal: int = 0) -> Any:
        """The upper triangle (from ``diagonal`` up) of the last two axes; zeros elsewhere."""
        return self._fresh(np.triu(_nd(self), diagonal))

    def tril(self, diagonal: int = 0) -> Any:
        """The lower triangle (up to ``diagonal``) of the last two axes; zeros elsewhere."""
        return self._fresh(np.tril(_nd(self), diagonal))

    def split(self, split_size_or_sections: Any, dim: int = 0) -> tuple:
        """PyTorch's split: views of ``split_size`` entries along ``dim`` (the last one shorter), or of
        the listed sizes, which must add up to the axis length."""
        a = _nd(self)
        n = a.shape[dim]
        if isinstance(split_size_or_sections, (int, np.integer)):
            size = int(split_size_or_sections)
            sizes = [min(size, n - s) for s in range(0, n, size)] if n else [0]
        else:
            sizes = [int(s) for s in split_size_or_sections]
            if sum(sizes) != n:
                raise RuntimeError(f"split: sizes {sizes} do not add up to {n}, the length of dim {dim}")
        cuts = np.cumsum(sizes)[:-1]
        return tuple(p.view(type(self)) for p in np.split(a, cuts, axis=dim))

    def chunk(self, chunks: int, dim: int = 0) -> tuple:
        """PyTorch's chunk: ``split`` into pieces of ``ceil(length / chunks)`` entries (maybe fewer)."""
        n = _nd(self).shape[dim]
        return self.split(max(1, math.ceil(n / chunks)), dim)


# PyTorch's elementwise comparisons (bool arrays): name -> (numpy function, the operator it is)
_COMPARISONS = {
    "eq": (np.equal, "=="),
    "ne": (np.not_equal, "!="),
    "gt": (np.greater, ">"),
    "ge": (np.greater_equal, ">="),
    "lt": (np.less, "<"),
    "le": (np.less_equal, "<="),
}


def _comparison(name: str, fn: Any, symbol: str) -> Any:
    def method(self: Any, other: Any) -> Any:
        return self._fresh(fn(_nd(self), _values(other)))

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"``a {symbol} other``, elementwise (bool)."
    return method


for _name, (_fn, _symbol) in _COMPARISONS.items():
    setattr(MatrixMethods, _name, _comparison(_name, _fn, _symbol))
