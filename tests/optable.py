"""The op test table: one ``OpCase`` per op (or group of ops), checked by the generic tests in
``tests/test_optable.py`` against finite differences, PyTorch, numpy, second order, float32 and
non-contiguous inputs. Adding an op adds one ``case(...)`` line in ``tests/opcases/<family>.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autobp.testing import broadcastable_pair

try:  # the oracle; cases name it in lambdas, called only when it is installed
    import torch
except ImportError:
    torch = None


@dataclass(frozen=True)
class OpCase:
    """How to test ``ops``: ``fn(*tensors)`` on arrays drawn from ``inputs`` (a strategy giving a
    tuple of float64 arrays, every one differentiable), with optional oracles.

    ``torch_fn(*torch_tensors)`` and ``numpy_fn(*arrays)`` compute the same thing (forward, and for
    torch every input's gradient). ``grad=False`` for ops with no gradient (only the forward is
    checked); ``second_order=False`` where the rule's own derivative is not defined or tested;
    ``float32=False`` where float32 is not kept on purpose; ``ints``: also run ``numpy_fn`` and ``fn``
    on integer inputs (the arrays rounded) and demand numpy's dtype and values. ``complex``: the
    strategy gives complex arrays (see ``complexify``), the leaves are complex128 (complex64 for the
    float32 test), and torch runs on complex tensors with a real loss Re(sum(out * w)).
    """

    id: str
    ops: tuple
    fn: Callable
    inputs: Any
    torch_fn: Callable | None = None
    numpy_fn: Callable | None = None
    grad: bool = True
    second_order: bool = True
    float32: bool = True
    noncontiguous: bool = True
    ints: bool = False
    complex: bool = False
    atol: float = 1e-5
    rtol: float = 1e-3
    extra: dict = field(default_factory=dict)


CASES: list[OpCase] = []


def case(ops: Any, fn: Callable, inputs: Any, **options: Any) -> OpCase:
    """Add a case to the table; ``ops`` is a declared op name or a tuple of them."""
    ops = (ops,) if isinstance(ops, str) else tuple(ops)
    c = OpCase(options.pop("id", None) or "+".join(ops), ops, fn, inputs, **options)
    CASES.append(c)
    return c


# --- input strategies: each gives a tuple of float64 arrays ------------------------------------
def shapes(min_dims: int = 0, max_dims: int = 3, min_side: int = 0, max_side: int = 4) -> Any:
    """Small shapes, 0-d and empty ones included by default."""
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)


def floats(lo: float = -3.0, hi: float = 3.0) -> Any:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


def array(shape: Any = None, lo: float = -3.0, hi: float = 3.0, **shape_options: Any) -> Any:
    """One float64 array of ``shape`` (a tuple, a strategy, or None for ``shapes(**shape_options)``)."""
    if shape is None:
        shape = shapes(**shape_options)
    return hnp.arrays(np.float64, shape, elements=floats(lo, hi))


def unary(lo: float = -3.0, hi: float = 3.0, away: tuple = (), margin: float = 1e-2, **shape_options: Any):
    """A 1-tuple of an array with values in [lo, hi], none within ``margin`` of the points ``away``
    (kinks and poles, where finite differences mean nothing)."""
    return array(None, lo, hi, **shape_options).filter(lambda a: _away(a, away, margin)).map(lambda a: (a,))


def binary(
    lo: float = -3.0, hi: float = 3.0, lo2: float | None = None, hi2: float | None = None, away: Any = None
):
    """Two arrays whose shapes broadcast together; ``away(a, b)`` may reject a pair (a kink)."""
    lo2 = lo if lo2 is None else lo2
    hi2 = hi if hi2 is None else hi2
    pairs = broadcastable_pair().flatmap(lambda s: st.tuples(array(s[0], lo, hi), array(s[1], lo2, hi2)))
    return pairs if away is None else pairs.filter(lambda ab: away(*ab))


def arrays_of(*shapes_: tuple, lo: float = -3.0, hi: float = 3.0) -> Any:
    """Arrays of fixed shapes, as a tuple."""
    return st.tuples(*(array(s, lo, hi) for s in shapes_))


def complexify(strategy: Any, lo: float = -2.0, hi: float = 2.0, keep: Any = None) -> Any:
    """A strategy of tuples of complex arrays: each real array of ``strategy`` (its real parts) gets
    imaginary parts in [lo, hi] of the same shape; ``keep(*arrays)`` may reject a tuple (branch cuts)."""

    def imaginary(xs: tuple) -> Any:
        ims = st.tuples(*(hnp.arrays(np.float64, np.shape(x), elements=floats(lo, hi)) for x in xs))
        return ims.map(lambda ys: tuple(np.asarray(x) + 1j * y for x, y in zip(xs, ys)))

    out = strategy.flatmap(imaginary)
    return out if keep is None else out.filter(lambda zs: keep(*zs))


def _away(a: np.ndarray, points: tuple, margin: float) -> bool:
    return all(bool(np.all(np.abs(a - p) > margin)) for p in points)
