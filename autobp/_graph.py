"""Node protocol, thread-local grad mode, creation numbers, the iterative topological order, and the
nodes between roots and the inputs a gradient is asked for.

Every node (Value or Tensor) has ``_parents`` (tuple of nodes, or None once a
Tensor graph has been released), ``_op`` (rule name, None for a leaf) and
``_ctx`` (whatever its rule needs besides inputs and output).
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterable
from operator import attrgetter
from threading import get_ident
from typing import Any


class _Mode(threading.local):
    enabled = True  # the default in every thread


_mode = _Mode()

# The threads that have grad mode off now (their ids). While there are none, an op knows that grad
# mode is on without reading the thread-local flag (a sixth of a tiny op's bookkeeping). A thread
# that ends with it off stays listed, which costs only that read. Every change goes through set_mode;
# a set's add and discard are atomic, so no lock is needed.
off_threads: set = set()


def set_mode(enabled: bool) -> bool:
    """Set this thread's grad mode (keeping ``off_threads`` right); returns the previous mode."""
    prev = _mode.enabled
    if prev is not enabled:
        if enabled:
            off_threads.discard(get_ident())
            _mode.enabled = True
        else:  # listed first: this thread reads the flag from then on
            off_threads.add(get_ident())
            _mode.enabled = False
    return prev


# Every node takes the next number at creation, so a node's number is larger than its
# inputs': ordering by it is a topological order, without a separate graph walk.
next_seq = itertools.count(1).__next__
_seq_of = attrgetter("_seq")


class hooks:
    """Debugging hooks (anomaly mode): None, or callables the Tensor ops and the engine call.

    ``on_make(tensor, op, parents)`` after every Tensor op; ``on_rule(node, grads)`` after
    every derivative rule in a backward pass. ``general``: how many nodes now have grad_fn post-hooks
    or saved-tensor hooks, which only the engine's general loop runs (while 0, ``loss.backward()``
    takes the plain loop; see _graph_nodes.py).
    """

    on_make: Any = None
    on_rule: Any = None
    general = 0


class GraphReleasedError(RuntimeError):
    """Raised when a walk reaches a node whose graph backward() already freed."""


def is_grad_enabled() -> bool:
    """True when new operations record a graph (the default, per thread)."""
    return _mode.enabled


class set_grad_enabled:
    """Context manager (and plain call) that sets grad mode for this thread."""

    def __init__(self, mode: bool) -> None:
        self.mode = bool(mode)
        self.prev = set_mode(self.mode)

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: Any) -> None:
        set_mode(self.prev)

    def __copy__(self) -> Any:  # a decorator's fresh context: set the mode on entering, not now
        return no_grad() if not self.mode else enable_grad()

    def __call__(self, fn):
        """As a decorator (``@set_grad_enabled(False)``): the construction's mode change is undone,
        and ``fn`` runs in that mode at every call."""
        from ._grad_mode_decorate import decorate

        set_mode(self.prev)
        return decorate(self, fn)


class no_grad:
    """``with autobp.no_grad():`` records no graph; also a decorator, with or without parentheses
    (``@no_grad()``, ``@no_grad``), of functions and generator functions (see _grad_mode_decorate)."""

    _enable = False

    def __new__(cls, orig_func: Any = None) -> Any:
        if orig_func is None:
            return super().__new__(cls)
        return cls()(orig_func)  # @no_grad without parentheses, or no_grad(fn)

    def __init__(self, orig_func: Any = None) -> None:
        pass

    def __enter__(self) -> None:
        self.prev = set_mode(self._enable)

    def __exit__(self, *exc: Any) -> None:
        set_mode(self.prev)

    def __call__(self, fn):
        from ._grad_mode_decorate import decorate

        return decorate(self, fn)


class enable_grad(no_grad):
    """``with autobp.enable_grad():`` records a graph even inside ``no_grad``."""

    _enable = True


def _released(node: Any) -> GraphReleasedError:
    return GraphReleasedError(  # opens with PyTorch's words for the same mistake
        f"Trying to backward through the graph a second time: the graph behind this "
        f"{type(node).__name__} (op {node._op!r}) was freed by an earlier backward(), which frees "
        "what the ops saved for their gradients. Specify retain_graph=True the first time (backward("
        "retain_graph=True) or autobp.grad(..., retain_graph=True)) if you need to go through it again"
    )


def topological_order(roots: Iterable[Any], *, grad_only: bool = False) -> list:
    """All ancestors of ``roots``, parents before children, found without recursion.

    Depth-first with an explicit stack: a node is pushed once to expand it and
    once more as a marker, and is emitted when its marker comes back up, that
    is after all of its parents. With ``grad_only`` the walk skips nodes that
    do not require grad (the engine's view); without it every node is listed.
    """
    order: list = []
    visited: set = set()
    stack = [(r, False) for r in roots if not grad_only or r.requires_grad]
    push, pop, emit, mark = stack.append, stack.pop, order.append, visited.add
    while stack:
        node, expanded = pop()
        if expanded:
            emit(node)
            continue
        if node in visited:
            continue
        mark(node)
        push((node, True))
        parents = node._parents
        if parents is None:
            raise _released(node)
        for p in parents:
            if p not in visited and (not grad_only or p.requires_grad):
                push((p, False))
    return order


def between(roots: list, wanted: set) -> set:
    """The nodes on some path from ``roots`` down to a node of ``wanted`` (excluding nodes of
    ``wanted`` that have no other wanted node upstream): the only rules ``autobp.grad`` must run.

    A node is newer than its inputs, so nothing older than the oldest wanted node can lead to one:
    the walk stops there, and the rest of the history is never visited."""
    oldest = min(t._seq for t in wanted)
    seen: set = set()
    stack = [r for r in roots if r.requires_grad and r._seq >= oldest]
    found = []
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        found.append(node)
        parents = node._parents
        if parents is None:
            raise _released(node)
        stack.extend(p for p in parents if p.requires_grad and p._seq >= oldest and p not in seen)
    found.sort(key=_seq_of)
    leads: set = set()
    for node in found:  # parents first: a node leads to a wanted one if a parent is or leads to one
        if node._parents and any(p in wanted or p in leads for p in node._parents):
            leads.add(node)
    return leads
