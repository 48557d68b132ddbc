"""MathMethods: PyTorch's out-of-place Tensor methods that compute (``abs``, ``pow``, ``add(alpha=)``,
``clamp``, ``norm``, ``equal``, ``allclose``...) for the arrays autobp hands out for a tensor's memory,
mixed into TorchArrayMethods (autobp/_torch_array.py). Results are new arrays of the same class that
own nothing (writes into them reach no tensor), so PyTorch's methods chain on them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._torch_array_fills import _nd, _values


class MathMethods:
    """PyTorch's computing methods for an ndarray subclass (see the module docstring)."""

    __slots__ = ()

    # --- PyTorch's out-of-place methods: new arrays of this class that own nothing, so PyTorch's
    # methods chain on them (``p.grad.data.abs().pow(2).sum()``); numpy's operators give plain ndarrays
    def _fresh(self, values: Any) -> Any:
        return np.asarray(values).view(type(self))

    def pow(self, exponent: Any) -> Any:
        """``a ** exponent``."""
        return self._fresh(np.power(_nd(self), _values(exponent)))

    def add(self, other: Any, *, alpha: Any = 1) -> Any:
        """``a + alpha * other``."""
        other = _values(other)
        return self._fresh(_nd(self) + (other if alpha == 1 else other * alpha))

    def sub(self, other: Any, *, alpha: Any = 1) -> Any:
        """``a - alpha * other``."""
        other = _values(other)
        return self._fresh(_nd(self) - (other if alpha == 1 else other * alpha))

    def mul(self, other: Any) -> Any:
        """``a * other``."""
        return self._fresh(_nd(self) * _values(other))

    def div(self, other: Any) -> Any:
        """``a / other``."""
        return self._fresh(_nd(self) / _values(other))

    def clamp(self, min: Any = None, max: Any = None) -> Any:  # noqa: A002
        """Values limited to [min, max]."""
        if min is None and max is None:
            raise RuntimeError("clamp: at least one of 'min' or 'max' must not be None")
        return self._fresh(np.clip(_nd(self), _values(min), _values(max)))

    # --- numpy's reductions, also with PyTorch's ``dim=``/``keepdim=`` (``x.sum(0, keepdim=True)``), whose
    # results keep these methods (``x.prod(dim=-1).prod(dim=-1)``)
    def _reduce(self, name: str, args: tuple, kwargs: dict) -> Any:
        if "dim" not in kwargs and "keepdim" not in kwargs:  # numpy's call: numpy's result
            return getattr(np.ndarray, name)(self, *args, **kwargs)
        from .ops._args import axis_arg  # (ops import the arrays' module: imported when used)

        axis, args = (args[0], args[1:]) if args else (kwargs.pop("axis", None), args)
        kwargs["axis"] = axis_arg(axis, kwargs.pop("dim", None), name)
        if "keepdim" in kwargs:
            if "keepdims" in kwargs:
                raise TypeError(f"{name}: give keepdims= or keepdim=, not both")
            kwargs["keepdims"] = bool(kwargs.pop("keepdim"))
        return self._fresh(getattr(np.ndarray, name)(_nd(self), *args, **kwargs))  # PyTorch's: chains

    def sum(self, *args: Any, **kwargs: Any) -> Any:
        """numpy's ``sum``; PyTorch's ``dim=``/``keepdim=`` are taken as ``axis=``/``keepdims=``."""
        return self._reduce("sum", args, kwargs)

    def prod(self, *args: Any, **kwargs: Any) -> Any:
        """numpy's ``prod``; PyTorch's ``dim=``/``keepdim=`` are taken as ``axis=``/``keepdims=``."""
        return self._reduce("prod", args, kwargs)

    def mean(self, *args: Any, **kwargs: Any) -> Any:
        """numpy's ``mean``; PyTorch's ``dim=``/``keepdim=`` are taken as ``axis=``/``keepdims=``."""
        return self._reduce("mean", args, kwargs)

    def norm(self, p: Any = "fro", dim: Any = None, keepdim: bool = False, dtype: Any = None) -> Any:
        """PyTorch's ``Tensor.norm``: the p-norm of all elements (``dim`` None) or along ``dim``, as
        one vector ('fro' is 2; numbers and inf as vector norms); 'nuc' of a matrix. An array of this
        class, as PyTorch's is a Tensor: ``p.data.norm(dim=1).le(1)`` chains."""
        a = _nd(self) if dtype is None else _nd(self).astype(dtype)
        if p == "nuc":
            axes = (-2, -1) if dim is None else dim
            return self._fresh(np.linalg.norm(a, "nuc", axis=axes, keepdims=keepdim))
        if p == "fro" or p is None:
            p = 2
        if isinstance(p, str):
            raise ValueError(f"norm: p must be a number, 'fro' or 'nuc', got {p!r}")
        axis = tuple(dim) if isinstance(dim, (list, tuple)) else dim
        return self._fresh(np.linalg.vector_norm(a, ord=p, axis=axis, keepdims=keepdim))

    def equal(self, other: Any) -> bool:
        """True when ``other`` has this shape and these values (PyTorch's ``equal``)."""
        other = np.asarray(_values(other))
        return self.shape == other.shape and bool(np.array_equal(_nd(self), other))

    def allclose(self, other: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> bool:
        """numpy's and PyTorch's ``allclose``."""
        return bool(np.allclose(_nd(self), _values(other), rtol=rtol, atol=atol, equal_nan=equal_nan))


def _stable_sigmoid(a: np.ndarray) -> np.ndarray:
    return np.exp(-np.logaddexp(0, -a))  # 1 / (1 + e^-a) without overflow warnings


# PyTorch's elementwise Tensor methods that numpy arrays lack (a Function's forward ported from PyTorch
# calls ``x.exp()``, ``x.tanh()``...): name -> (numpy function, what it computes)
_UNARY = {
    "abs": (np.absolute, "|a|"),
    "neg": (np.negative, "-a"),
    "sign": (np.sign, "-1, 0 or 1 by the sign"),
    "exp": (np.exp, "e ** a"),
    "exp2": (np.exp2, "2 ** a"),
    "expm1": (np.expm1, "e ** a - 1"),
    "log": (np.log, "the natural logarithm"),
    "log2": (np.log2, "the base-2 logarithm"),
    "log10": (np.log10, "the base-10 logarithm"),
    "log1p": (np.log1p, "log(1 + a)"),
    "sqrt": (np.sqrt, "the square root"),
    "rsqrt": (lambda a: 1 / np.sqrt(a), "1 / sqrt(a)"),
    "square": (np.square, "a * a"),
    "reciprocal": (lambda a: 1 / a, "1 / a"),
    "sin": (np.sin, "the sine"),
    "cos": (np.cos, "the cosine"),
    "tan": (np.tan, "the tangent"),
    "asin": (np.arcsin, "the inverse sine"),
    "acos": (np.arccos, "the inverse cosine"),
    "atan": (np.arctan, "the inverse tangent"),
    "sinh": (np.sinh, "the hyperbolic sine"),
    "cosh": (np.cosh, "the hyperbolic cosine"),
    "tanh": (np.tanh, "the hyperbolic tangent"),
    "sigmoid": (_stable_sigmoid, "the logistic sigmoid 1 / (1 + e ** -a)"),
    "relu": (lambda a: np.maximum(a, 0), "max(a, 0)"),
    "floor": (np.floor, "rounded down"),
    "ceil": (np.ceil, "rounded up"),
    "trunc": (np.trunc, "rounded toward zero"),
}


def _unary_method(name: str, fn: Any, what: str) -> Any:
    def method(self: Any) -> Any:
        return self._fresh(fn(_nd(self)))

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"PyTorch's ``Tensor.{name}()``: {what}, elementwise (a new array)."
    return method


for _name, (_fn, _what) in _UNARY.items():
    setattr(MathMethods, _name, _unary_method(_name, _fn, _what))
