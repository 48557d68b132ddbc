"""MathMethods: PyTorch's out-of-place Tensor methods that compute (``abs``, ``pow``, ``add(alpha=)``,
``clamp``, ``norm``, ``equal``, ``allclose``...) for the arrays autobp hands out for a tensor's memory,
mixed into TorchArrayMethods (autobp/_torch_array.py). Results are plain ndarrays, as numpy's.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._torch_array_fills import _nd, _values


class MathMethods:
    """PyTorch's computing methods for an ndarray subclass (see the module docstring)."""

    __slots__ = ()

    # --- PyTorch's out-of-place methods: plain ndarrays, as numpy's results ---------------------
    def abs(self) -> np.ndarray:
        """``|a|``."""
        return np.absolute(self)

    def neg(self) -> np.ndarray:
        """``-a``."""
        return np.negative(self)

    def sign(self) -> np.ndarray:
        """-1, 0 or 1 by each element's sign."""
        return np.sign(self)

    def pow(self, exponent: Any) -> np.ndarray:
        """``a ** exponent``."""
        return np.power(self, _values(exponent))

    def add(self, other: Any, *, alpha: Any = 1) -> Any:
        """``a + alpha * other``."""
        return self + (other if alpha == 1 else other * alpha)

    def sub(self, other: Any, *, alpha: Any = 1) -> Any:
        """``a - alpha * other``."""
        return self - (other if alpha == 1 else other * alpha)

    def mul(self, other: Any) -> Any:
        """``a * other``."""
        return self * other

    def div(self, other: Any) -> Any:
        """``a / other``."""
        return self / other

    def clamp(self, min: Any = None, max: Any = None) -> np.ndarray:  # noqa: A002
        """Values limited to [min, max]."""
        if min is None and max is None:
            raise RuntimeError("clamp: at least one of 'min' or 'max' must not be None")
        return np.clip(_nd(self), _values(min), _values(max))

    def norm(self, p: Any = "fro", dim: Any = None, keepdim: bool = False, dtype: Any = None) -> Any:
        """PyTorch's ``Tensor.norm``: the p-norm of all elements (``dim`` None) or along ``dim``, as
        one vector ('fro' is 2; numbers and inf as vector norms); 'nuc' of a matrix."""
        a = _nd(self) if dtype is None else _nd(self).astype(dtype)
        if p == "nuc":
            return np.linalg.norm(a, "nuc", axis=(-2, -1) if dim is None else dim, keepdims=keepdim)
        if p == "fro" or p is None:
            p = 2
        if isinstance(p, str):
            raise ValueError(f"norm: p must be a number, 'fro' or 'nuc', got {p!r}")
        axis = tuple(dim) if isinstance(dim, (list, tuple)) else dim
        return np.linalg.vector_norm(a, ord=p, axis=axis, keepdims=keepdim)

    def equal(self, other: Any) -> bool:
        """True when ``other`` has this shape and these values (PyTorch's ``equal``)."""
        other = np.asarray(_values(other))
        return self.shape == other.shape and bool(np.array_equal(_nd(self), other))

    def allclose(self, other: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> bool:
        """numpy's and PyTorch's ``allclose``."""
        return bool(np.allclose(_nd(self), _values(other), rtol=rtol, atol=atol, equal_nan=equal_nan))
