"""What a node's ``grad_fn.next_functions`` shows after backward freed the graph, as PyTorch's does.

autobp's Tensor is its own graph node: backward frees a node's inputs (``_parents``) so their arrays
can go, but PyTorch keeps the structure of a freed graph (only the saved tensors go), and
``y.grad_fn.next_functions`` still walks it. So the pass that frees a node leaves it a Shell: the
op's name and one entry per input (None for an input that needs no gradient, the leaf itself for a
leaf, whose AccumulateGrad node holds it as PyTorch's does, or the input's own Shell, filled when the
pass reaches that input). Shells hold no arrays. ``ShellNode`` is the grad_fn object that shows one.
"""

from __future__ import annotations

from typing import Any

from ._graph_nodes import _NUMBER_SECOND, Node, _class_for, accumulator_of


# A Shell is a list ``[op, entries, node_class]``: a list rather than an object, since backward makes
# one per freed node (its cost is on every pass). ``entries`` is None until the pass reaches the node
# (then it shows no inputs); ``node_class`` is found when asked, except a custom Function's (named
# from its ctx, which the pass frees): read when the Shell is made.
def _shell(t: Any) -> list:
    op = t._op
    return [op, None, _class_for(t) if op == "function" else None]


def _entries(parents: tuple, shells: dict) -> list:
    entries = []
    for p in parents:
        if not p.requires_grad:
            entries.append(None)
        elif p._op is None:
            entries.append(p)  # a leaf: its AccumulateGrad node holds it, as PyTorch's
        else:
            e = shells.get(p)
            if e is None:
                e = shells[p] = _shell(p)
            entries.append(e)
    return entries


def keep(node: Any, parents: tuple, shells: dict) -> None:
    """The pass frees ``node``'s inputs: leave it (and the Shell its children hold) their structure."""
    s = shells.pop(node, None)
    if s is None:
        s = _shell(node)
    s[1] = _entries(parents, shells)
    node._shell = s


def fill(node: Any, parents: tuple, shells: dict) -> None:
    """``node`` keeps its inputs (its rule reads none), but a freed child holds its Shell: fill it."""
    s = shells.pop(node, None)
    if s is not None:
        s[1] = _entries(parents, shells)


class _Named:
    """What ``_class_for`` reads to name a Shell's node."""

    __slots__ = ("_op", "_ctx")

    def __init__(self, op: str) -> None:
        self._op, self._ctx = op, None


def shell_class(shell: list) -> type:
    """The Node class of a Shell's node (``MulBackward0``)."""
    if shell[2] is None:
        shell[2] = _class_for(_Named(shell[0]))
    return shell[2]


def next_functions_of(shell: list) -> tuple:
    """``next_functions`` from a Shell's entries (the same pairs as a live node's)."""
    out = []
    for e in shell[1] or ():
        if e is None:
            out.append((None, 0))
        elif isinstance(e, list):
            out.append((ShellNode(e), 0))
        else:
            out.append((accumulator_of(e), 0))
    if shell[0] in _NUMBER_SECOND and shell[1]:
        out.append((None, 0))
    return tuple(out)


class ShellNode(Node):
    """The grad_fn object of a node that backward freed: its name and ``next_functions`` (its rule,
    inputs and saved values are gone; hooks and metadata cannot be added to it)."""

    __slots__ = ()

    @property
    def op(self) -> str:
        """autobp's name of the freed node's op."""
        return self._t[0]

    def name(self) -> str:
        """PyTorch-style name of the freed node (``MulBackward0``)."""
        return shell_class(self._t).__name__

    @property
    def next_functions(self) -> tuple:
        """The freed node's inputs' grad_fn objects, as ``Node.next_functions`` gave them."""
        return next_functions_of(self._t)

    @property
    def metadata(self) -> dict:
        """An empty dict: a freed node keeps no metadata."""
        return {}

    def register_prehook(self, fn: Any) -> Any:
        """Refused: the node was freed by backward()."""
        raise RuntimeError(f"register_prehook: the {self.name()} node was freed by backward()")

    register_hook = register_prehook

    def __repr__(self) -> str:
        return f"<{self.name()} object (freed by backward())>"
