"""What a plain (non-recording) backward computes with: the rules' ``F`` namespace of numpy
functions, and the scatter that an index's gradient (getitem, nll) goes through."""

from __future__ import annotations

from typing import Any

import numpy as np


class _NumpyNamespace:
    """The ``F`` namespace the rules see in a plain (non-recording) backward: the entries below,
    else numpy's function of that name, else scipy.special's (looked up once, then cached)."""

    scale = staticmethod(np.multiply)

    @staticmethod
    def broadcast_to(g: np.ndarray, shape: tuple) -> np.ndarray:
        out = np.empty(shape, dtype=g.dtype)  # a fresh writable array, cheaper than np.broadcast_to
        out[...] = g
        return out

    @staticmethod
    def scatter_add(g: np.ndarray, index: Any, shape: tuple) -> np.ndarray:
        return scatter_add(g, index, shape)

    @staticmethod
    def saved(value: np.ndarray, rebuild: Any) -> np.ndarray:
        """An array the forward saved for the rule; a recording backward rebuilds it from the graph."""
        return value

    def __getattr__(self, name: str) -> Any:
        fn = getattr(np, name, None)
        if fn is None:
            import scipy.special

            fn = getattr(scipy.special, name, None)
        if fn is None or name.startswith("_"):
            raise AttributeError(f"the rules' namespace F has no function {name!r} (numpy has none)")
        setattr(self, name, fn)
        return fn


class _NumpyNamespaceOwningG(_NumpyNamespace):
    """``F`` for a rule whose incoming gradient only the engine references: scale writes into it."""

    @staticmethod
    def scale(g: np.ndarray, f: Any) -> np.ndarray:
        # in place only where g * f has g's shape and dtype, so the result is the same array of numbers
        if type(f) is np.ndarray and f.shape == g.shape and (f.dtype == g.dtype or f.dtype.kind == "b"):
            return np.multiply(g, f, out=g)
        return g * f


NumpyOps = _NumpyNamespace()
NumpyOpsOwningG = _NumpyNamespaceOwningG()


def is_basic_index(index: tuple) -> bool:
    """True when ``index`` has no integer/boolean arrays, so no element repeats."""
    return all(i is None or i is Ellipsis or isinstance(i, (int, np.integer, slice)) for i in index)


class DistinctIndex(tuple):
    """An index that never selects an element twice, such as (arange(n), targets): scattering
    into it can assign instead of accumulate (numpy's ``add.at`` is several times slower)."""


def scatter_add(g: np.ndarray, index: tuple, shape: tuple) -> np.ndarray:
    """zeros(shape) with ``g`` added at ``index``; repeated indices accumulate."""
    out = np.zeros(shape, dtype=g.dtype)
    if type(index) is DistinctIndex or is_basic_index(index):
        out[index] = g
    else:
        np.add.at(out, index, g)
    return out
