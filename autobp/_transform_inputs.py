"""How the function transforms take their inputs, and when they nest: an input already on a graph is
differentiated through a copy node on that graph, and a transform whose function reaches an outer
graph records its own passes (create_graph), so an outer transform can differentiate its result.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .ops import copy
from .tensor import Tensor

_COMPLEX_OK = ("vjp", "jvp", "linearize")  # complex inputs as torch.func.vjp/jvp: PyTorch's convention


def leaves(inputs: Any, who: str, keep: bool = True) -> tuple[list[Tensor], bool, bool]:
    """(nodes to differentiate, ``single`` when one input was given, ``kept``: some input was on a graph).

    An input that is a Tensor requiring grad becomes, with ``keep``, a copy node on its own graph: the
    transform's result then stays a function of the caller's tensor (nesting), and each position is its
    own input even when one Tensor fills several. Every other input becomes a fresh float leaf with its
    data (the caller's tensors and their ``.grad`` untouched). Complex inputs are taken by vjp, jvp and
    linearize (PyTorch's convention: the pullback is the adjoint of the real-linear derivative), refused
    by the Jacobian and Hessian transforms (as torch.autograd.functional's).
    """
    single = not isinstance(inputs, (tuple, list))
    items = [inputs] if single else list(inputs)
    if not items:
        raise ValueError(f"{who}: no inputs given")
    nodes, kept = [], False
    for i, x in enumerate(items):
        if keep and isinstance(x, Tensor) and x.requires_grad:
            nodes.append(copy(x))
            kept = True
            continue
        arr = np.asarray(x._data if isinstance(x, Tensor) else x)
        if arr.dtype.kind in "iub":
            arr = arr.astype(np.float64)
        elif arr.dtype.kind != "f" and not (arr.dtype.kind == "c" and who in _COMPLEX_OK):
            raise TypeError(f"{who}: input {i} is not a real-valued array (dtype {arr.dtype})")
        nodes.append(Tensor(arr, requires_grad=True, dtype=arr.dtype))
    return nodes, single, kept


def outputs(out: Any, who: str) -> tuple[list[Tensor], bool]:
    """``fn``'s result as a list of Tensors, and whether it was a single Tensor."""
    single = not isinstance(out, (tuple, list))
    outs = [out] if single else list(out)
    for k, o in enumerate(outs):
        if not isinstance(o, Tensor):
            raise TypeError(f"{who}: fn returned a {type(o).__name__} as output {k}; expected Tensors")
    return outs, single


def directions(vs: Any, like: list[Tensor], who: str, what: str) -> tuple[list[Tensor], bool]:
    """One Tensor per tensor in ``like`` (cotangents, tangents, the v of an hvp), each checked to have
    that tensor's shape; and whether one of them requires grad. A Tensor that requires grad is kept as
    it is (the transform's result is then differentiable with respect to it); the rest are constants."""
    items = [vs] if len(like) == 1 and not isinstance(vs, (tuple, list)) else list(vs)
    if len(items) != len(like):
        raise ValueError(f"{who}: {len(items)} {what} for {len(like)} tensors")
    out, live = [], False
    for i, (v, t) in enumerate(zip(items, like)):
        shape = tuple(np.shape(v._data if isinstance(v, Tensor) else v))
        if shape != t.shape:
            raise ValueError(f"{who}: {what}[{i}] has shape {shape}, but it must match shape {t.shape}")
        if isinstance(v, Tensor) and v.requires_grad:
            out.append(v)
            live = True
        else:
            out.append(Tensor._const(np.asarray(v._data if isinstance(v, Tensor) else v, dtype=t.dtype)))
    return out, live


def reaches_outer_graph(roots: list, own: list) -> bool:
    """True when the graph recorded under ``roots`` reaches a node requiring grad that is not one of
    ``own`` or downstream of one: a leaf of an outer graph (``fn`` closes over a Tensor that requires
    grad, or created one), or a node whose graph was freed. Stops at the first such node."""
    own_set = set(own)
    stack = [r for r in roots if isinstance(r, Tensor) and r.requires_grad]
    seen: set = set()
    while stack:
        node = stack.pop()
        if node in seen or node in own_set:
            continue
        seen.add(node)
        parents = node._parents
        if node._op is None or parents is None:
            return True
        stack.extend(p for p in parents if p.requires_grad)
    return False


def nests(create_graph: bool | None, kept: bool, roots: list, own: list) -> bool:
    """Whether a transform records its passes: as asked (``create_graph`` True or False), or by
    default (None) when an outer graph needs it, as JAX's and torch.func's transforms nest: an input
    was on a graph (``kept``), or ``fn``'s result reaches another graph (``reaches_outer_graph``)."""
    if create_graph is not None:
        return bool(create_graph)
    return kept or reaches_outer_graph(roots, own)
