"""The engine's loop for ``Value.backward()`` (micrograd's scalars) and its error for a failing
Python-float rule; run_backward (_engine.py) picks it."""

from __future__ import annotations

from heapq import heappop, heappush
from typing import Any

from .rules import RULES

_ALL = (True,) * 64  # ``need`` for scalar nodes, which always want every gradient


def _value_pass(heap: list, grads: dict, at_leaves: dict, F: Any) -> None:
    """``run_backward``'s loop for ``Value.backward()``: the general loop's order and sums, so the same
    numbers, for nodes that all want every gradient and keep their graph. A Value node is one float
    and one rule call, so the general loop's per-node tests and calls (a list of inputs per node,
    ``_receive_grad``) were a fifth of micrograd's step; here a node costs its rule and a few dict
    operations. (Most of the rest is the garbage collector's, walking the graph the forward built.)"""
    pop, get, leaf_get, push, rules = grads.pop, grads.get, at_leaves.get, heappush, RULES
    carry = carry_g = None  # an input found by the last node, with its gradient (see run_backward)
    while True:
        if carry is not None:
            node, g = carry, carry_g
            carry = None
            if heap and heap[0][0] < -node._seq:  # a newer node is pending: the carried one waits
                grads[node] = g
                push(heap, (-node._seq, node))
                node = heappop(heap)[1]
                g = pop(node)
        elif heap:
            node = heappop(heap)[1]
            g = pop(node)
        else:
            return
        node.grad += g  # every Value receives its gradient (micrograd's semantics)
        parents = node._parents
        rule, data, ctx = rules[node._op], node.data, node._ctx
        try:
            if len(parents) == 2:
                a, b = parents
                pgs = rule(F, g, data, (a.data, b.data), ctx, _ALL)
                edges = ((a, pgs[0]), (b, pgs[1]))
            elif len(parents) == 1:
                p = parents[0]
                edges = ((p, rule(F, g, data, (p.data,), ctx, _ALL)[0]),)
            else:
                edges = zip(parents, rule(F, g, data, [p.data for p in parents], ctx, _ALL))
        except (ZeroDivisionError, OverflowError, ValueError) as err:
            raise _scalar_rule_error(node, err) from None
        for p, pg in edges:
            if pg is None:
                continue
            if p._op is None:
                prev = leaf_get(p)
                at_leaves[p] = pg if prev is None else prev + pg
                continue
            prev = get(p)
            if prev is not None:
                grads[p] = prev + pg
            elif p is carry:  # the same input twice (x * x)
                carry_g = carry_g + pg
            elif carry is None:  # a chain's next node skips the heap and the dict
                carry, carry_g = p, pg
            else:
                grads[p] = pg
                push(heap, (-p._seq, p))


def _scalar_rule_error(node: Any, err: Exception) -> Exception:
    """Python float arithmetic failed inside a Value rule: say which op, at which inputs."""
    inputs = ", ".join(f"{p.data!r}" for p in node._parents)
    return type(err)(
        f"backward of Value op {node._op!r} at input(s) {inputs}: the derivative is not finite ({err})"
    )
