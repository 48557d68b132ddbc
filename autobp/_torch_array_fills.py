"""FillMethods: PyTorch's Tensor methods that fill an array anew, shared by ``Tensor.data`` and
``Tensor.grad`` arrays through TorchArrayMethods (autobp/_torch_array.py): the random fills
``normal_``, ``uniform_`` and ``bernoulli_`` (in place, from autobp's global generator as PyTorch's
from its own, one write each), and the constructors ``new``, ``new_zeros``, ``new_ones``,
``new_full``, ``new_empty``, ``new_tensor`` (new arrays of the same class that own nothing).
"""

from __future__ import annotations

from typing import Any

import numpy as np


def _nd(a: np.ndarray) -> np.ndarray:
    """The same memory as a plain ndarray (no override on the way)."""
    return np.ndarray.view(a, np.ndarray)


def _values(x: Any) -> Any:
    """An operand's numbers: a Tensor's array (its values, without a graph)."""
    if isinstance(x, np.ndarray):
        return x
    data = getattr(x, "_data", None)
    return x if data is None else data


def _shape(size: tuple) -> tuple:
    """A shape given as numbers or as one tuple or list (``new_zeros(2, 3)``, ``new_zeros((2, 3))``)."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    return tuple(int(n) for n in size)


def _draw(a: np.ndarray, who: str, generator: Any, draw: Any) -> np.ndarray:
    """``draw(rng, shape)`` for a floating ``a``; for a complex one, its real and imaginary parts drawn
    independently. Integer and bool arrays are refused (PyTorch's NotImplementedError)."""
    from .random import generator_of

    if a.dtype.kind not in "fc":
        raise NotImplementedError(f"{who}: needs a floating or complex array, got dtype {a.dtype}")
    rng = generator_of(generator)
    if a.dtype.kind == "f":
        return draw(rng, a.shape)
    parts = draw(rng, a.shape + (2,))
    return parts[..., 0] + 1j * parts[..., 1]


class FillMethods:
    """Random fills and ``new_*`` constructors for an ndarray subclass (see the module docstring)."""

    __slots__ = ()

    def normal_(self, mean: Any = 0.0, std: Any = 1.0, *, generator: Any = None) -> Any:
        """Samples of N(mean, std^2) written in, from autobp's global generator (``autobp.manual_seed``)
        unless ``generator`` (a numpy Generator or an int seed) is given, as PyTorch's from its own. A
        complex array, as PyTorch's: real and imaginary parts each N(mean, std^2 / 2)."""
        if std < 0:
            raise RuntimeError(f"normal_ expects std >= 0.0, but found std {std}")
        scale = std / np.sqrt(2) if self.dtype.kind == "c" else std
        self[...] = _draw(self, "normal_", generator, lambda rng, shape: rng.normal(mean, scale, shape))
        return self

    def uniform_(self, low: Any = 0.0, high: Any = 1.0, *, generator: Any = None) -> Any:
        """Samples of U[low, high) written in (PyTorch's ``uniform_(from, to)``; of a complex array,
        each part), from autobp's global generator unless ``generator`` is given."""
        if low > high:
            raise RuntimeError(
                f"uniform_ expects to return a [from, to) range, but found from={low} > to={high}"
            )
        self[...] = _draw(self, "uniform_", generator, lambda rng, shape: rng.uniform(low, high, shape))
        return self

    def bernoulli_(self, p: Any = 0.5, *, generator: Any = None) -> Any:
        """1 with probability ``p`` (a number, or one per element), else 0, from autobp's global
        generator unless ``generator`` is given (a dropout mask's draw)."""
        from .random import generator_of

        self[...] = generator_of(generator).random(self.shape) < _values(p)
        return self

    # --- new arrays of this dtype (PyTorch's ``new_*``): same class, owning nothing ---------------
    def new_empty(self, *size: Any, dtype: Any = None, device: Any = None) -> Any:
        """An uninitialised array of ``size`` (numbers or one tuple) in this dtype unless ``dtype``."""
        return np.empty(_shape(size), dtype or self.dtype).view(type(self))

    def new_zeros(self, *size: Any, dtype: Any = None, device: Any = None) -> Any:
        """Zeros of ``size`` (numbers or one tuple) in this dtype unless ``dtype``."""
        return np.zeros(_shape(size), dtype or self.dtype).view(type(self))

    def new_ones(self, *size: Any, dtype: Any = None, device: Any = None) -> Any:
        """Ones of ``size`` (numbers or one tuple) in this dtype unless ``dtype``."""
        return np.ones(_shape(size), dtype or self.dtype).view(type(self))

    def new_full(self, size: Any, fill_value: Any, *, dtype: Any = None, device: Any = None) -> Any:
        """``fill_value`` everywhere in an array of ``size``, in this dtype unless ``dtype``."""
        return np.full(_shape((size,)), _values(fill_value), dtype or self.dtype).view(type(self))

    def new_tensor(self, data: Any, *, dtype: Any = None, device: Any = None) -> Any:
        """A copy of ``data`` in this dtype unless ``dtype``."""
        return np.array(_values(data), dtype or self.dtype).view(type(self))

    def new(self, *args: Any, dtype: Any = None, device: Any = None) -> Any:
        """PyTorch's legacy ``new``: uninitialised of the given sizes (numbers, or one tuple such as
        ``size()``), or a copy of the given data (a list or array), in this dtype unless ``dtype``."""
        if len(args) == 1 and not isinstance(args[0], (int, np.integer, tuple)):
            return self.new_tensor(args[0], dtype=dtype)
        return self.new_empty(*args, dtype=dtype)
