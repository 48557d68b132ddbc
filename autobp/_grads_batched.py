"""``autobp.grad(..., is_grads_batched=True)``: the leading axis of every ``grad_outputs`` entry is a
batch of cotangents, and each input's gradient gets the same leading axis (PyTorch's keyword; it
vmaps the backward, here one backward per batch element over a retained graph)."""

from __future__ import annotations

from typing import Any

from .ops import stack
from .tensor import Tensor


def grads_batched(grad_fn: Any, outs: list, ins: list, gos: list, **kw: Any) -> tuple:
    """Stack ``grad_fn(outs, ins, [go[b] for go in gos], ...)`` over the batch axis ``b``."""
    sizes = set()
    for i, (o, go) in enumerate(zip(outs, gos)):
        if go is None:
            raise RuntimeError(
                "grad: is_grads_batched=True needs grad_outputs (one batch of cotangents per output)"
            )
        g = go if isinstance(go, Tensor) else Tensor(go)
        if g.ndim == 0 or tuple(g.shape[1:]) != tuple(o.shape):
            raise RuntimeError(
                "If `is_grads_batched=True`, we interpret the first dimension of each grad_output as the "
                "batch dimension. The sizes of the remaining dimensions are expected to match the shape "
                f"of corresponding output, but a mismatch was detected: grad_output[{i}] has a shape of "
                f"{tuple(g.shape)} and output[{i}] has a shape of {tuple(o.shape)}."
            )
        sizes.add(g.shape[0])
    if len(sizes) != 1:
        raise RuntimeError(f"grad: is_grads_batched=True with different batch sizes {sorted(sizes)}")
    (n,) = sizes
    retain = kw.pop("retain_graph")
    per = []
    for b in range(n):
        seeds = [(go if isinstance(go, Tensor) else Tensor(go))[b] for go in gos]
        per.append(grad_fn(outs, ins, seeds, retain_graph=True if b < n - 1 else retain, **kw))
    out = []
    for k in range(len(ins)):
        col = [p[k] for p in per]
        out.append(None if all(c is None for c in col) else stack(col))
    return tuple(out)
