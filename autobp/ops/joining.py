"""Joining tensors: concatenate along an existing axis, stack along a new one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .._broadcast import normalize_axes
from ..rules import rule
from ..tensor import Tensor
from ._args import as_tensor
from ._decl import op

_J = "joining"


def _check_seq(seq: Sequence, op: str) -> list[Tensor]:
    if isinstance(seq, (Tensor, np.ndarray)) or not len(seq):
        raise ValueError(f"{op}: expected a non-empty sequence of tensors")
    return [as_tensor(t) for t in seq]


@op(family=_J, method=False, torch=("cat", "concat"))
def concatenate(seq: Sequence[Any], axis: int = 0, *, dim: Any = None) -> Tensor:
    """Join tensors along an existing axis."""
    ts = _check_seq(seq, "concatenate")
    axis = axis if dim is None else dim
    first = ts[0]._data
    if first.ndim == 0:
        raise ValueError("concatenate: zero-dimensional tensors cannot be concatenated")
    (a,) = normalize_axes(axis, first.ndim, "concatenate", first.shape)
    try:
        data = np.concatenate([t._data for t in ts], axis=a)
    except ValueError:  # say which tensor does not fit
        outside = first.shape[:a] + first.shape[a + 1 :]
        for i, t in enumerate(ts):
            if t.ndim != first.ndim or t.shape[:a] + t.shape[a + 1 :] != outside:
                raise ValueError(
                    f"concatenate: tensor {i} has shape {t.shape}, which does not match "
                    f"tensor 0's shape {first.shape} outside axis {a}"
                ) from None
        raise
    bounds = []
    lo = 0
    for t in ts:
        hi = lo + t._data.shape[a]
        bounds.append((lo, hi))
        lo = hi
    return Tensor._make(data, tuple(ts), "concatenate", (a, bounds))


@op(family=_J, method=False)
def stack(seq: Sequence[Any], axis: int = 0, *, dim: Any = None) -> Tensor:
    """Join same-shaped tensors along a new axis."""
    ts = _check_seq(seq, "stack")
    axis = axis if dim is None else dim
    for i, t in enumerate(ts):
        if t.shape != ts[0].shape:
            raise ValueError(f"stack: tensor {i} has shape {t.shape}, tensor 0 has {ts[0].shape}")
    (a,) = normalize_axes(axis, ts[0].ndim + 1, "stack", ts[0].shape)
    data = np.stack([t._data for t in ts], axis=a)
    return Tensor._make(data, tuple(ts), "stack", a)


@rule("concatenate")  # ctx = (axis, split points)
def _concatenate(F, g, out, xs, ctx, need):
    axis, bounds = ctx
    lead = (slice(None),) * axis
    return tuple(g[lead + (slice(lo, hi),)] for lo, hi in bounds)


@rule("stack")  # ctx = axis
def _stack(F, g, out, xs, ctx, need):
    lead = (slice(None),) * ctx
    return tuple(g[lead + (i,)] for i in range(len(xs)))
