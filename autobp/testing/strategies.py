"""Strategies for shapes, arrays, Tensors, broadcastable pairs, reduction axes and safe domains.

Safe domains keep finite differences meaningful: positive values for log and sqrt,
values away from kinks for relu/abs/clip, distinct values (no ties) for max/min.
"""

from __future__ import annotations

from typing import Any

import numpy as np

try:
    from hypothesis import strategies as st
    from hypothesis.extra import numpy as hnp
except ImportError as e:  # pragma: no cover - exercised in a subprocess without hypothesis
    raise ImportError(
        'autobp.testing strategies need hypothesis; install it with: pip install "autobp[testing]"'
    ) from e

from ..tensor import Tensor


def shapes(min_dims: int = 0, max_dims: int = 3, min_side: int = 1, max_side: int = 4) -> Any:
    """Array shapes, 0-d included by default; small sides keep finite differences cheap."""
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)


def _elements(dtype: Any, lo: float, hi: float) -> Any:
    width = 32 if np.dtype(dtype) == np.float32 else 64
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False, width=width)


def arrays(
    shape: Any = None, dtype: Any = np.float64, lo: float = -3.0, hi: float = 3.0, elements: Any = None
) -> Any:
    """numpy arrays of ``shape`` (a tuple or a strategy) with values in [lo, hi]."""
    shape = shapes() if shape is None else shape
    return hnp.arrays(dtype, shape, elements=elements if elements is not None else _elements(dtype, lo, hi))


def tensors(
    shape: Any = None,
    dtype: Any = np.float64,
    lo: float = -3.0,
    hi: float = 3.0,
    elements: Any = None,
    requires_grad: bool = True,
) -> Any:
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


def positive_tensors(shape: Any = None, dtype: Any = np.float64, lo: float = 0.1, hi: float = 3.0) -> Any:
    """Tensors with values in [lo, hi], lo > 0: the domain of log, sqrt and fractional powers."""
    if lo <= 0:
        raise ValueError(f"positive_tensors: lo must be > 0, got {lo}")
    return tensors(shape, dtype, lo, hi)


def kink_free_tensors(
    shape: Any = None,
    kinks: tuple = (0.0,),
    margin: float = 1e-2,
    dtype: Any = np.float64,
    lo: float = -3.0,
    hi: float = 3.0,
) -> Any:
    """Tensors with no element within ``margin`` of a kink, so one-sided derivatives agree."""

    def push(a: np.ndarray) -> np.ndarray:
        a = a.copy()
        for k in kinks:
            near = np.abs(a - k) <= margin
            a[near] = np.where(a[near] >= k, k + 2 * margin, k - 2 * margin)
        return a

    return (
        arrays(shape, dtype, lo, hi)
        .map(push)
        .filter(lambda a: kink_free(a, kinks, margin))
        .map(lambda a: Tensor(a, requires_grad=True, dtype=a.dtype))
    )


@st.composite
def tie_free_tensors(draw: Any, shape: Any = None, gap: float = 1e-2, dtype: Any = np.float64) -> Any:
    """Tensors whose elements differ pairwise by at least ``gap`` (no ties for max, min, sort)."""
    if not isinstance(shape, tuple):
        shape = draw(shapes() if shape is None else shape)
    n = int(np.prod(shape))
    steps = draw(st.lists(st.integers(-300, 300), min_size=n, max_size=n, unique=True))
    data = (np.array(steps, dtype=np.float64) * gap).reshape(shape).astype(dtype)
    return Tensor(data, requires_grad=True, dtype=data.dtype)


@st.composite
def broadcastable_tensors(
    draw: Any,
    max_dims: int = 3,
    max_side: int = 4,
    dtype: Any = np.float64,
    lo: float = -3.0,
    hi: float = 3.0,
) -> Any:
    """Two Tensors (requiring grad) whose shapes broadcast together, e.g. (3, 1) and (4,)."""
    sa, sb = draw(broadcastable_pair(max_dims, max_side))
    return draw(tensors(sa, dtype, lo, hi)), draw(tensors(sb, dtype, lo, hi))
