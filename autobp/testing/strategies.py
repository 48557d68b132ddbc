"""Strategies for shapes, arrays, Tensors, broadcastable pairs and reduction axes."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ..tensor import Tensor


def shapes(min_dims: int = 0, max_dims: int = 3, min_side: int = 1, max_side: int = 4) -> Any:
    """Array shapes, 0-d included by default; small sides keep finite differences cheap."""
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)


def _elements(dtype: Any, lo: float, hi: float) -> Any:
    width = 32 if np.dtype(dtype) == np.float32 else 64
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False, width=width)


def arrays(shape: Any = None, dtype: Any = np.float64, lo: float = -3.0, hi: float = 3.0,
           elements: Any = None) -> Any:
    """numpy arrays of ``shape`` (a tuple or a strategy) with values in [lo, hi]."""
    shape = shapes() if shape is None else shape
    return hnp.arrays(dtype, shape, elements=elements or _elements(dtype, lo, hi))


def tensors(shape: Any = None, dtype: Any = np.float64, lo: float = -3.0, hi: float = 3.0,
            elements: Any = None, requires_grad: bool = True) -> Any:
    """autobp Tensors; ``lo``/``hi`` pick a domain (e.g. lo=0.1 for log and sqrt)."""
    return arrays(shape, dtype, lo, hi, elements).map(
        lambda a: Tensor(a, requires_grad=requires_grad, dtype=a.dtype)
    )


def broadcastable_pair(max_dims: int = 3, max_side: int = 4) -> Any:
    """Two shapes that broadcast together, like (3, 1) & (1, 4), (4,) & (3, 4), () & (2,)."""
    return hnp.mutually_broadcastable_shapes(
        num_shapes=2, min_dims=0, max_dims=max_dims, max_side=max_side
    ).map(lambda s: s.input_shapes)


@st.composite
def axes(draw: Any, ndim: int, allow_none: bool = True) -> Any:
    """A reduction ``axis`` argument for ``ndim`` dims: None, an int or a tuple, negatives too."""
    options = ["tuple"] + (["none"] if allow_none else []) + (["int"] if ndim else [])
    kind = draw(st.sampled_from(options))
    if kind == "none":
        return None
    if kind == "int":
        return draw(st.integers(-ndim, ndim - 1))
    picked = draw(st.lists(st.integers(0, ndim - 1), unique=True, max_size=ndim)) if ndim else []
    return tuple(a - ndim if draw(st.booleans()) else a for a in picked)


def single_axis(ndim: int) -> Any:
    """One axis (negative allowed) of a tensor with ``ndim`` >= 1 dims."""
    return st.integers(-ndim, ndim - 1)


def kink_free(a: np.ndarray, kinks: tuple = (0.0,), margin: float = 1e-3) -> bool:
    """True when no element of ``a`` is within ``margin`` of a kink (relu, abs, clip ends)."""
    return all(bool(np.all(np.abs(a - k) > margin)) for k in kinks)
