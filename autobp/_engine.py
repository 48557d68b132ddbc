"""The one gradient traversal: nodes in reverse creation order, one rule per node.

Serves Value and Tensor alike. A node is created after its inputs, so taking
nodes from a max-heap on their creation number visits each one after every
reachable consumer, that is once its gradient is complete: the reverse
topological order comes out of the pass itself, with no recursion and no
separate graph walk. Gradients flow through a per-pass dict keyed by node and
are summed out of place; an input that would come off the heap next anyway (a
chain's next node) is carried straight to the next step instead. Only the nodes
the caller asks about (leaves, every Value, or the ``inputs`` of ``autobp.grad``)
receive gradients, leaves once the pass is over. A large gradient
that nothing but the pass refers to may be overwritten by the rule it feeds
(``F.scale``), as PyTorch steals a gradient whose use count is one; and in
``loss.backward()`` a leaf's running sum, once it is an array the pass made,
takes further contributions in place (the same additions, so the same bits).
"""

from __future__ import annotations

import sys
from heapq import heappop, heappush
from operator import attrgetter
from typing import Any

import numpy as np

from ._backward_callbacks import flush, queued
from ._broadcast import unbroadcast
from ._engine_value import _ALL, _scalar_rule_error, _value_pass
from ._graph import _released, hooks, set_mode
from ._graph import between as _between
from ._graph_nodes import run_post, run_pre, run_unexecuted
from ._inplace import Clock, check_versions
from ._saved_unpack import unpacked
from ._scalars import FLOATS
from ._seeds import _real_for
from ._tensor_hooks import GradHooks, retains_grad, run_leaf_hooks
from .rules import RULES, SAVES_NOTHING

_ONE = (True,)  # ``need`` of a one-input node
_TWO = (True, True)  # ``need`` of a two-input node whose inputs both want gradients
_data_of = attrgetter("_data")
_wants = attrgetter("requires_grad")


def _sole_reference_count() -> int:
    """What ``sys.getrefcount`` says of an object that one local variable alone refers to: 2 up
    to Python 3.13; later interpreters may borrow the argument's reference and say 1."""
    g = object()
    return sys.getrefcount(g)


# A rule may write into its incoming gradient when nothing but the engine's local variable refers
# to it (no other node's pending gradient, no .grad, no view, no result list): a reference count
# the interpreter keeps exactly, except on free-threaded builds, where this stays off. Only for
# arrays large enough that a fresh buffer costs more than the check (memory traffic, not Python).
_SOLE = _sole_reference_count() if getattr(sys, "_is_gil_enabled", lambda: True)() else -1
_REUSE_MIN = 4096


def run_backward(
    roots: list,
    seeds: list,
    *,
    inputs: list | None = None,
    retain_graph: bool = False,
    create_graph: bool = False,
    hook: Any = None,
    accumulate: bool = False,
) -> list | None:
    """Back-propagate ``seeds`` from ``roots``.

    With ``inputs`` None, deliver gradients via ``node._receive_grad`` to leaves
    (and nodes that retain grad); otherwise return one gradient per input
    (None where it is unreachable) and leave ``.grad`` alone; with ``accumulate`` (``backward`` with
    ``inputs``) also add them into the inputs' ``.grad``, running their grad_fn hooks as PyTorch's do.
    """
    if hook is None:
        hook = hooks.on_rule
    cls = type(roots[0])
    scalar = cls._keeps_graph
    general = hooks.general  # grad_fn post-hooks or saved-tensor hooks exist: the general loop runs them
    if inputs is None and hook is None and not (create_graph or scalar or general) and len(roots) == 1:
        return _plain_backward(roots[0], seeds[0], not retain_graph, cls)
    F = cls._graph_ops() if create_graph else cls._raw_ops
    owning = getattr(cls, "_owning_ops", F)  # the F of a rule that may write into its g
    ndarray, reuse_min, sole = np.ndarray, _REUSE_MIN, _SOLE
    grads: dict = {}  # pending gradients of op nodes, complete when the node comes off the heap
    at_leaves: dict = {}  # gradients of leaves: they pass nothing on, so they wait for the end
    heap: list = []  # (-creation number, node): the newest node comes out first
    wanted = None if inputs is None else set(inputs)
    relevant = None if inputs is None or scalar else _between(roots, wanted)
    pruning = relevant is not None
    for r, s in zip(roots, seeds):
        if not r.requires_grad:
            continue
        if pruning and r not in relevant and r not in wanted:
            continue
        pending = at_leaves if r._op is None else grads
        if r in pending:
            pending[r] = pending[r] + s
        else:
            pending[r] = s
            if pending is grads:
                heappush(heap, (-r._seq, r))
    results: dict = {}
    delivered: set = set()  # ids of arrays already handed to a .grad (copy if seen again)
    release = not retain_graph and not scalar
    if wanted is None and scalar and hook is None:
        _value_pass(heap, grads, at_leaves, F)
        cls._receive_grads(at_leaves.items())
        return None
    if wanted is None and not scalar and not create_graph and hook is None and not general:
        _plain_pass(heap, grads, at_leaves, delivered, release, F, owning)
        cls._receive_grads(at_leaves.items(), delivered)
        if queued:  # queue_callback's callbacks of this pass
            flush(sys._getframe())
        return None
    pop, get, leaf_get = grads.pop, grads.get, at_leaves.get
    if create_graph:  # the rules must record their own graph, even inside no_grad
        mode = set_mode(True)
    carry = carry_g = None  # an input found by the last node, with its gradient, held outside heap and dict
    try:
        while True:
            if carry is not None:
                if heap and heap[0][0] < -carry._seq:  # a newer node is pending: the carried one waits
                    grads[carry] = carry_g
                    heappush(heap, (-carry._seq, carry))
                    node = heappop(heap)[1]
                    g = pop(node)
                else:  # nothing newer is pending, so its gradient is complete: visit it now
                    node, g = carry, carry_g
                carry = carry_g = None
            elif heap:
                node = heappop(heap)[1]
                g = pop(node)
            else:
                break
            hooked = node._retains_grad
            if hooked and (wanted is None or not scalar):  # hooks, retain_grad
                g = node._receive_grad(g, delivered, False)  # (autobp.grad runs them too, as PyTorch's)
            if wanted is not None and node in wanted:
                results[node] = g
            nodal = hooked.__class__ is GradHooks and (hooked.pre or hooked.npost or hooked.saved)
            if pruning and node not in relevant:  # no requested input lies upstream
                if nodal and accumulate:
                    run_unexecuted(node, hooked, g)
                continue
            if nodal and hooked.pre:
                g = run_pre(node, hooked, g, delivered)
            parents = node._parents
            if parents is None:
                raise _released(node)
            op = node._op
            n = len(parents)
            if scalar:
                try:
                    pgs = RULES[op](F, g, node.data, [p.data for p in parents], node._ctx, _ALL)
                except (ZeroDivisionError, OverflowError, ValueError) as err:
                    raise _scalar_rule_error(node, err) from None
            else:
                if Clock.last_write > node._seq:  # something was written in place since: check
                    check_versions(node)
                if n == 1:  # the node is in the graph only because its input wants a gradient
                    need = _ONE
                    xs = (parents[0]._data,)
                elif n == 2:
                    a, b = parents
                    need = (a.requires_grad, b.requires_grad)
                    xs = (a._data, b._data)
                else:
                    need = tuple(map(_wants, parents))
                    xs = tuple(map(_data_of, parents))
                if nodal and hooked.saved is not None:  # saved-tensor hooks: the unpacked values
                    xs, rule_parents = unpacked(node, hooked, xs, create_graph)
                else:
                    rule_parents = parents
                if create_graph:
                    pgs = RULES[op](F, g, node, rule_parents, node._ctx, need)
                elif (
                    g.size >= reuse_min
                    and type(g) is ndarray
                    and sys.getrefcount(g) == sole
                    and g.base is None
                    and g.flags.writeable
                ):
                    pgs = RULES[op](owning, g, node._data, xs, node._ctx, need)
                else:
                    pgs = RULES[op](F, g, node._data, xs, node._ctx, need)
            if hook is not None:
                hook(node, pgs)
            if nodal and hooked.npost:
                pgs = run_post(node, hooked, g, pgs, parents)
            if release and op not in SAVES_NOTHING:  # free its inputs and saved data now (see rules.py)
                node._parents = node._ctx = None
                if nodal and hooked.saved is not None:
                    hooked.saved = None
                    hooked.recount()
            if n == 1:  # pairs without zip(), which costs more than the pairs for one or two inputs
                edges = ((parents[0], pgs[0]),)
            elif n == 2:
                edges = ((parents[0], pgs[0]), (parents[1], pgs[1]))
            else:
                edges = zip(parents, pgs)
            for p, pg in edges:
                if pg is None or not p.requires_grad:
                    continue
                if pruning and p not in relevant and p not in wanted:
                    continue
                if not scalar and pg.shape != p._data.shape:
                    pg = unbroadcast(pg, p._data.shape)
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
                    heappush(heap, (-p._seq, p))
            pgs = edges = pg = prev = None  # hold no gradient into the next node's ownership test
    finally:
        if create_graph:
            set_mode(mode)
    if inputs is None:
        cls._receive_grads(at_leaves.items(), delivered)
        if queued:
            flush(sys._getframe())
        return None
    for x, g in at_leaves.items():
        if x in wanted:  # a leaf's hooks see its gradient before autobp.grad returns it
            results[x] = run_leaf_hooks(x, g, delivered) if x._retains_grad.__class__ is GradHooks else g
    if scalar:
        out = [results.get(x) for x in inputs]
    else:
        out = [_real_for(x, results.get(x)) for x in inputs]
    if accumulate:  # backward(inputs=): into .grad (a non-leaf that retains grad got its .grad in the pass)
        pairs = [(t, g) for t, g in zip(inputs, out) if g is not None and not (t._op and retains_grad(t))]
        cls._receive_grads(pairs, set(), False)
    if queued:
        flush(sys._getframe())
    return out


def _plain_backward(root: Any, seed: Any, release: bool, cls: Any) -> None:
    """``run_backward`` for ``loss.backward()`` (one Tensor root, no ``inputs``, no ``create_graph``,
    no hook), without the general set-up: the root and its seed go straight into ``_plain_pass``."""
    if not root.requires_grad:
        return None
    grads: dict = {}
    at_leaves: dict = {}
    delivered: set = set()
    if root._op is None:
        at_leaves[root] = seed
    else:
        grads[root] = seed
        seed = None  # the pass's reference is then the only one (see the ownership test)
        _plain_pass([(-root._seq, root)], grads, at_leaves, delivered, release, cls._raw_ops, cls._owning_ops)
    cls._receive_grads(at_leaves.items(), delivered)
    if queued:  # queue_callback's callbacks of this pass (_backward_callbacks.py)
        flush(sys._getframe())
    return None


def _plain_pass(
    heap: list, grads: dict, at_leaves: dict, delivered: set, release: bool, F: Any, owning: Any
) -> None:
    """``run_backward``'s loop for the usual call, ``loss.backward()`` on Tensors (no ``inputs``, no
    ``create_graph``, no hook): the same order of visits and the same sums as the general loop below,
    so the same numbers, without its per-node tests of the features this call does not use (on
    tiny nets those tests are a sixth of the pass). Fills ``at_leaves``; delivers retained grads."""
    ndarray, reuse_min, sole, rules, clock = np.ndarray, _REUSE_MIN, _SOLE, RULES, Clock
    pop, get, leaf_get, push, keeps = grads.pop, grads.get, at_leaves.get, heappush, SAVES_NOTHING
    owned: dict = {}  # leaf -> its sum so far, when that is an array this pass made: added to in place
    owned_get = owned.get
    carry = carry_g = None  # an input found by the last node, with its gradient (see run_backward)
    while True:
        if carry is not None:
            node, g = carry, carry_g
            carry = carry_g = None
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
        if node._retains_grad:  # hooks or retain_grad: the gradient that flows on may change
            g = node._receive_grad(g, delivered)
        parents = node._parents
        if parents is None:
            raise _released(node)
        if clock.last_write > node._seq:  # something was written in place since: check
            check_versions(node)
        n = len(parents)
        op = node._op
        same = node._same  # inputs of the output's shape: the gradients have it (reading .shape costs)
        if n == 2:  # two inputs of one shape are "same" only when both want gradients (ops/arithmetic.py)
            a, b = parents
            # The two commonest rules written out (on a chain of tiny ops the rule's call is a tenth
            # of a node's cost): add's, which computes nothing, and mul's for real floats, both
            # inputs wanting gradients. Twins of _add_rule and _mul_rule (ops/arithmetic.py).
            if op == "add":
                ga = gb = g
            elif same and op == "mul" and node._data.dtype in FLOATS:
                ga, gb = g * b._data, g * a._data
            else:
                need = _TWO if same else (a.requires_grad, b.requires_grad)
                ga, gb = rules[op](F, g, node._data, (a._data, b._data), node._ctx, need)
            rest = ()
        elif n == 1:  # the node is in the graph only because its input wants a gradient
            a = parents[0]
            if (  # only one-input rules (exp, tanh, sigmoid, relu) write into g: the test is for them
                g.size >= reuse_min
                and type(g) is ndarray
                and sys.getrefcount(g) == sole
                and g.base is None
                and g.flags.writeable
            ):
                (ga,) = rules[op](owning, g, node._data, (a._data,), node._ctx, _ONE)
            else:
                (ga,) = rules[op](F, g, node._data, (a._data,), node._ctx, _ONE)
            gb = rest = None
        else:
            need, xs = tuple(map(_wants, parents)), tuple(map(_data_of, parents))
            rest = list(zip(parents, rules[op](F, g, node._data, xs, node._ctx, need)))
            rest.reverse()  # popped from the end: the inputs in order
            a, ga = rest.pop() if rest else (None, None)
            gb = xs = None
        if release and op not in keeps:  # free its inputs and saved data now (rules.py)
            node._parents = node._ctx = None
        while True:  # each input with its gradient: a, then b, then the rest (no tuples of pairs: they cost)
            if ga is not None and a.requires_grad:
                if not same and ga.shape != a._data.shape:
                    ga = unbroadcast(ga, a._data.shape)
                if a._op is None:
                    buf = owned_get(a)
                    if buf is not None and ga.dtype is buf.dtype:  # buf + ga would have buf's dtype
                        buf += ga  # the same sum, bit for bit, without a new array
                    else:
                        prev = leaf_get(a)
                        if prev is None:  # the rule's array: others may hold it
                            at_leaves[a] = ga
                        else:
                            at_leaves[a] = prev = prev + ga
                            if type(prev) is ndarray:
                                owned[a] = prev
                else:
                    prev = get(a) if grads else None  # (a chain's pass leaves the dict empty)
                    if prev is not None:
                        grads[a] = prev + ga
                    elif a is carry:  # the same input twice (x * x)
                        carry_g = carry_g + ga
                    elif carry is None:  # a chain's next node skips the heap and the dict
                        carry, carry_g = a, ga
                    else:
                        grads[a] = ga
                        push(heap, (-a._seq, a))
            if gb is not None:
                a, ga, gb = b, gb, None
            elif rest:
                a, ga = rest.pop()
            else:
                break
        ga = gb = prev = None  # hold no gradient into the next ownership test
