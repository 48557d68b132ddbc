"""numpy 2's array-API scans ``cumulative_sum`` and ``cumulative_prod``: cumsum and cumprod along one
axis (required for more than one dimension) that can start with the identity (``include_initial``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._broadcast import normalize_axes
from ..tensor import Tensor
from ._args import as_tensor
from ._decl import op
from .reduction_keywords import takes_out

_C = "cumulative"


def _scan(x: Any, axis: Any, dtype: Any, out: Any, include_initial: bool, name: str, identity: int) -> Tensor:
    from .joining import concatenate
    from .scans import cumprod, cumsum

    if out is not None:
        raise TypeError(f"{name}: out= is not supported (Tensors are not written in place by ops)")
    x = as_tensor(x)
    if x.ndim == 0:
        raise ValueError(f"{name}: the input must have at least one dimension, got a 0-d array")
    if axis is None:
        if x.ndim > 1:
            raise ValueError(
                f"{name}: axis is required for arrays of more than one dimension (shape {x.shape})"
            )
        axis = 0
    a = normalize_axes(axis, x.ndim, name, x.shape)[0]
    scan = cumsum if identity == 0 else cumprod
    res = scan(x, axis=a, dtype=dtype)
    if not include_initial:
        return res
    shape = res.shape[:a] + (1,) + res.shape[a + 1 :]
    return concatenate([Tensor._const(np.full(shape, identity, res.dtype)), res], axis=a)


@op(family=_C, rules=("cumsum", "concatenate"), method=False)
@takes_out
def cumulative_sum(
    x: Any, /, *, axis: Any = None, dtype: Any = None, out: Any = None, include_initial: bool = False
) -> Tensor:
    """Running sum along ``axis`` (numpy 2's cumulative_sum); ``include_initial`` starts with a 0."""
    return _scan(x, axis, dtype, out, include_initial, "cumulative_sum", 0)


@op(family=_C, rules=("cumprod", "concatenate"), method=False)
@takes_out
def cumulative_prod(
    x: Any, /, *, axis: Any = None, dtype: Any = None, out: Any = None, include_initial: bool = False
) -> Tensor:
    """Running product along ``axis`` (numpy 2's cumulative_prod); ``include_initial`` starts with a 1."""
    return _scan(x, axis, dtype, out, include_initial, "cumulative_prod", 1)
