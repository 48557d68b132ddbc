"""The engine's side of saved-tensor hooks (_saved_hooks.py): a node recorded inside
``saved_tensors_hooks`` keeps, in its GradHooks' ``saved``, the unpack hook and what the pack hook
made of each input its rule reads; when backward reaches the node, each is unpacked (once per pass)
and the rule reads the unpacked values instead of the inputs'."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._graph import set_mode
from ._saved_hooks import hook_stack, restore_hook_stack


def unpacked(node: Any, hooked: Any, xs: tuple, create_graph: bool) -> tuple:
    """``(xs, parents)`` for ``node``'s rule with the saved inputs unpacked. Under ``create_graph`` an
    unpacked input stands in the rule's graph for the input it replaces: its value, the input's
    gradient path (PyTorch gives the unpacked tensor the original's place in the graph)."""
    unpack, packed = hooked.saved
    cls = type(node)
    xs = list(xs)
    parents = list(node._parents)
    mode = set_mode(create_graph)  # PyTorch runs unpack hooks in the pass's grad mode
    stack = hook_stack()  # contexts an unpack hook enters or leaves end with it (PyTorch's engine)
    try:
        for i, obj in packed.items():
            val = unpack(obj)
            if not isinstance(val, (cls, np.ndarray)):
                raise TypeError(
                    f"saved_tensors_hooks: the unpack hook returned a {type(val).__name__}, expected a "
                    f"Tensor (input {i} of op {node._op!r})"
                )
            arr = val._data if isinstance(val, cls) else val
            p = parents[i]
            if arr.shape != p._data.shape:
                raise RuntimeError(
                    f"saved_tensors_hooks: the unpack hook returned shape {arr.shape} for input {i} of op "
                    f"{node._op!r}, which saved a tensor of shape {p._data.shape}"
                )
            if arr.dtype != p._data.dtype:
                arr = arr.astype(p._data.dtype)
            xs[i] = arr
            if create_graph:  # the value arr, the gradient path of p (an identity on p: add_scalar 0)
                parents[i] = cls._make(arr, (p,), "add_scalar", 0, True)
    finally:
        set_mode(mode)
        restore_hook_stack(stack)
    return tuple(xs), tuple(parents)
