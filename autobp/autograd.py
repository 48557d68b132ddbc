"""``autobp.grad``: gradients of outputs with respect to chosen inputs, as a function."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ._engine import run_backward
from ._seeds import seed_of
from .tensor import Tensor


def _as_list(x: Any, what: str) -> list[Tensor]:
    items = [x] if isinstance(x, Tensor) else list(x)
    for i, t in enumerate(items):
        if not isinstance(t, Tensor):
            raise TypeError(f"grad: {what}[{i}] is a {type(t).__name__}, not a Tensor")
    return items


def grad(
    outputs: Tensor | Sequence[Tensor],
    inputs: Tensor | Sequence[Tensor],
    grad_outputs: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool = False,
) -> tuple[Tensor | None, ...]:
    """Return d(outputs)/d(inputs) as a tuple of Tensors, leaving every ``.grad`` untouched.

    With ``create_graph=True`` the results are part of a graph themselves, so
    they can be differentiated again (second derivatives, Hessian-vector products).
    """
    outs = _as_list(outputs, "outputs")
    ins = _as_list(inputs, "inputs")
    if grad_outputs is None or isinstance(grad_outputs, (Tensor, np.ndarray)):
        gos = [grad_outputs] * len(outs) if grad_outputs is None else [grad_outputs]
    else:
        gos = list(grad_outputs)
    if len(gos) != len(outs):
        raise ValueError(f"grad: {len(gos)} grad_outputs for {len(outs)} outputs")
    for i, t in enumerate(ins):
        if not t.requires_grad:
            raise RuntimeError(f"grad: inputs[{i}] (shape {t.shape}) does not require grad")
    for i, t in enumerate(outs):
        if not t.requires_grad:
            raise RuntimeError(
                f"grad: outputs[{i}] (shape {t.shape}) does not require grad: "
                "it does not depend on any input that does"
            )
    seeds = []
    for i, (o, go) in enumerate(zip(outs, gos)):
        s = seed_of(o, go, f"grad (outputs[{i}])")
        if create_graph:
            s = go if isinstance(go, Tensor) else Tensor._const(s)
        seeds.append(s)
    if retain_graph is None:
        retain_graph = create_graph
    results = run_backward(outs, seeds, inputs=ins, retain_graph=retain_graph, create_graph=create_graph)
    out = []
    for i, (x, g) in enumerate(zip(ins, results)):
        if g is None:
            if not allow_unused:
                raise RuntimeError(
                    f"grad: inputs[{i}] (shape {x.shape}) was not used to compute the outputs; "
                    "pass allow_unused=True to get None for it"
                )
            out.append(None)
            continue
        if not isinstance(g, Tensor):
            g = Tensor._const(np.asarray(g, dtype=x.dtype))
        elif g.dtype != x.dtype:
            g = g.astype(x.dtype)
        out.append(g)
    return tuple(out)
