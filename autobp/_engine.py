"""The one gradient traversal: reverse topological order, one rule per node.

Serves Value and Tensor alike. Gradients flow through a per-pass dict keyed by
node and are summed out of place; only the nodes the caller asks about (leaves,
or every Value, or the ``inputs`` of ``autobp.grad``) receive them.
"""

from __future__ import annotations

import contextlib
from typing import Any

from ._broadcast import unbroadcast
from ._graph import enable_grad, hooks, topological_order
from ._inplace import Clock
from .rules import RULES

_NOTHING = contextlib.nullcontext()
_ALL = (True,) * 64  # ``need`` for scalar nodes, which always want every gradient


def run_backward(
    roots: list,
    seeds: list,
    *,
    inputs: list | None = None,
    retain_graph: bool = False,
    create_graph: bool = False,
    hook: Any = None,
) -> list | None:
    """Back-propagate ``seeds`` from ``roots``.

    With ``inputs`` None, deliver gradients via ``node._receive_grad`` to leaves
    (and nodes that retain grad); otherwise return one gradient per input
    (None where it is unreachable) and leave ``.grad`` alone.
    """
    if hook is None:
        hook = hooks.on_rule
    cls = type(roots[0])
    scalar = cls._keeps_graph
    F = cls._graph_ops() if create_graph else cls._raw_ops
    order = topological_order(roots, grad_only=True)
    grads: dict = {}
    for r, s in zip(roots, seeds):
        grads[r] = grads[r] + s if r in grads else s
    wanted = None if inputs is None else set(inputs)
    results: dict = {}
    delivered: set = set()  # ids of arrays already handed to a .grad (copy if seen again)
    pop, get = grads.pop, grads.get
    # rules run on numpy in a plain pass (no graph to suppress); under create_graph they must record
    with enable_grad() if create_graph else _NOTHING:
        for node in reversed(order):
            g = pop(node, None)
            if g is None:
                continue
            op = node._op
            if wanted is None:
                if op is None or node._retains_grad:
                    node._receive_grad(g, delivered)
            elif node in wanted:
                results[node] = g
            if op is None:
                continue
            parents = node._parents
            if scalar:
                pgs = RULES[op](F, g, node.data, [p.data for p in parents], node._ctx, _ALL)
            elif create_graph:
                if node._stamp != Clock.writes:
                    _check_versions(node)
                need = [p.requires_grad for p in parents]
                pgs = RULES[op](F, g, node, parents, node._ctx, need)
            else:
                if node._stamp != Clock.writes:  # something was written in place since: check
                    _check_versions(node)
                need = [p.requires_grad for p in parents]
                pgs = RULES[op](F, g, node._data, [p._data for p in parents], node._ctx, need)
            if hook is not None:
                hook(node, pgs)
            for p, pg in zip(parents, pgs):
                if pg is None or not p.requires_grad:
                    continue
                if not scalar and pg.shape != p.shape:
                    pg = unbroadcast(pg, p.shape)
                prev = get(p)
                grads[p] = pg if prev is None else prev + pg
    if not retain_graph and not scalar:
        for node in order:  # free the graph: interior nodes drop their inputs and saved data
            if node._op is not None:
                node._parents = None
                node._ctx = None
    if inputs is None:
        return None
    return [results.get(x) for x in inputs]


def _check_versions(node: Any) -> None:
    """Refuse to differentiate ``node`` if an input it read was written in place afterwards."""
    for i, p in enumerate(node._parents):
        if p._written_at > node._stamp:
            who = f"tensor {p.name!r}" if p.name else "a tensor"
            raise RuntimeError(
                f"{who} of shape {p.shape} and dtype {p.dtype} (input {i} of op {node._op!r}) was "
                f"modified in place after {node._op!r} used it (now at version {p._version}); its "
                "gradient would be wrong. Write into a copy, or modify it only after backward()"
            )
