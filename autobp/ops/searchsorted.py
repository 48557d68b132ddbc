"""searchsorted: where values would go in sorted rows to keep them sorted (numpy's, with PyTorch's
``right=`` and ``out_int32=`` and its N-D form). An index, so no gradient."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor
from ._decl import op


@op(family="sorting", differentiable=False)
def searchsorted(
    a: Any, v: Any, side: str = "left", sorter: Any = None, *, right: Any = None, out_int32: bool = False
) -> Tensor:
    """Where ``v``'s values would go in the sorted 1-D ``a`` to keep it sorted (numpy's; PyTorch's
    ``right=True`` is ``side="right"``, and an N-D ``a`` searches each last-axis row, as torch's)."""
    if right is not None:
        side = "right" if right else "left"
    if side not in ("left", "right"):
        raise ValueError(f"searchsorted: side must be 'left' or 'right', got {side!r}")
    arr = np.asarray(a._data if isinstance(a, Tensor) else a)
    vals = np.asarray(v._data if isinstance(v, Tensor) else v)
    order = None if sorter is None else np.asarray(sorter._data if isinstance(sorter, Tensor) else sorter)
    dtype = np.int32 if out_int32 else np.intp
    if arr.ndim <= 1:
        return Tensor._const(np.asarray(np.searchsorted(arr, vals, side, order), dtype=dtype))
    if vals.shape[:-1] != arr.shape[:-1]:
        raise ValueError(
            f"searchsorted: a of shape {arr.shape} and v of shape {vals.shape} differ before the last axis"
        )
    rows = [np.searchsorted(r, x, side, None if order is None else o) for r, x, o in _rows(arr, vals, order)]
    return Tensor._const(np.asarray(rows, dtype=dtype).reshape(vals.shape))


def _rows(arr: np.ndarray, vals: np.ndarray, order: Any) -> Any:
    a2, v2 = arr.reshape(-1, arr.shape[-1]), vals.reshape(-1, vals.shape[-1])
    o2 = order.reshape(a2.shape) if order is not None else [None] * len(a2)
    return zip(a2, v2, o2)
