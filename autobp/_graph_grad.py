"""``.grad`` after ``backward(create_graph=True)``: a Tensor carrying that pass's graph, so it can be
differentiated again, as in PyTorch (a plain backward's ``.grad`` is an ndarray, added in place)."""

from __future__ import annotations

from typing import Any

import numpy as np


def receive_graph_grad(t: Any, g: Any) -> None:
    """Deliver the recorded gradient ``g`` (a Tensor) of leaf ``t``: ``t.grad`` becomes ``g`` as ``t``'s
    dtype (the real part for a real leaf of a complex result), or ``t.grad + g`` out of place when a
    gradient is there already, so the earlier one's graph is kept and nothing is written in place."""
    cls = type(t)
    dtype = t._data.dtype
    if g.dtype != dtype:
        if g.dtype.kind == "c" and dtype.kind != "c":
            g = cls._graph_ops().real(g)
        if g.dtype != dtype:
            g = g.astype(dtype)
    cur = t._grad
    if cur is None:
        t._grad = g
    else:
        t._grad = (cur if isinstance(cur, cls) else cls._const(np.asarray(cur))) + g
