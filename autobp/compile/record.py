"""Recording one step for ``autobp.compile``: the tape of Tensor ops a loss function makes, read
through the node interface only (op name, parents, ctx, output), and the graph the generator needs:
numbered slots, what kind each leaf is, which values are constant, and the backward's structure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._broadcast import unbroadcast
from .._graph import hooks, is_grad_enabled, next_seq
from .._numpy_ops import NumpyOps
from ..replay import FORWARD, PLAIN
from ..rules import RULES
from ..tensor import Tensor


class CompileError(RuntimeError):
    """``autobp.compile`` cannot compile this step (raised under ``strict=True``), or a guard failed."""


@dataclass
class Slot:
    """One value of the step. ``kind``: "param" (a leaf that requires grad), "input" (a leaf made
    before the step, read on every call), "arg" (the step's positional argument ``index``), "const"
    (a leaf made during the step: baked in), or "op"."""

    k: int
    kind: str
    tensor: Tensor
    op: str | None = None
    parents: tuple = ()
    ctx: Any = None
    index: int = -1  # position among the step's arguments (kind "arg")
    static: bool = False  # the value depends on constants only: computed once, at compile time
    requires_grad: bool = False
    need: tuple = ()  # the rule's need flags, as the engine passes them


@dataclass
class Graph:
    """The recorded step: slots in creation order (parents first), the root, and the backward's
    structure found by running the rules once on the recorded values (``simulate``)."""

    slots: list[Slot]
    root: int
    grad_mode: bool
    unsupported: list[str] = field(default_factory=list)
    order: list[int] = field(default_factory=list)  # backward: op slots in decreasing creation order
    # (k, i) -> (parent slot, raw gradient shape, dtype, an empty array of the eager gradient's memory
    # layout): buffers copy eager's layouts, since a reduction's (or BLAS's) order follows the layout
    edges: dict = field(default_factory=dict)
    reduced: dict = field(default_factory=dict)  # (k, i) -> layout of the unbroadcast gradient
    sums: dict = field(default_factory=dict)  # (k, i) -> layout of the running sum it makes
    contributions: dict = field(default_factory=dict)  # parent slot -> [(k, i)] in the order they add up
    grad_dtype: dict = field(default_factory=dict)  # slot -> dtype of its accumulated gradient


def record(fn: Callable[..., Any], args: tuple) -> tuple[Any, list, int]:
    """Run ``fn(*args)`` once, eagerly, keeping every Tensor op it makes: (result, tape, first seq).

    The tape holds (output, op, parents, ctx) in creation order; ``ctx`` is kept here because a
    backward pass frees the nodes' own."""
    tape: list = []
    previous = hooks.on_make
    start = next_seq()

    def keep(t: Tensor, op: str, parents: tuple) -> None:
        tape.append((t, op, parents, t._ctx))
        if previous is not None:
            previous(t, op, parents)

    hooks.on_make = keep
    try:
        root = fn(*args)
    finally:
        hooks.on_make = previous
    return root, tape, start


def build_graph(root: Tensor, tape: list, start: int, args: tuple) -> Graph:
    """Number the values ``root`` depends on and classify them (see ``Slot``)."""
    made = {id(t) for t, *_ in tape}
    needed = {id(root)}
    for t, _, parents, _ in reversed(tape):  # only the ops the result depends on
        if id(t) in needed:
            needed.update(id(p) for p in parents)
    arg_pos = {id(a): i for i, a in enumerate(args) if isinstance(a, Tensor)}
    slot_of: dict[int, int] = {}
    slots: list[Slot] = []
    unsupported: list[str] = []

    def leaf(p: Tensor) -> int:
        k = slot_of.get(id(p))
        if k is None:
            if id(p) in arg_pos:
                s = Slot(len(slots), "arg", p, index=arg_pos[id(p)])
            elif p.requires_grad:
                s = Slot(len(slots), "param", p)
            elif p._seq < start:
                s = Slot(len(slots), "input", p)
            else:
                s = Slot(len(slots), "const", p, static=True)
            s.requires_grad = p.requires_grad
            k = slot_of[id(p)] = len(slots)
            slots.append(s)
        return k

    for t, op, parents, ctx in tape:
        if id(t) not in needed:
            continue
        if op not in PLAIN and op not in FORWARD and op not in unsupported:
            unsupported.append(op)
        ps = tuple(slot_of[id(p)] if id(p) in made and id(p) in slot_of else leaf(p) for p in parents)
        s = Slot(len(slots), "op", t, op, ps, ctx)
        s.static = all(slots[p].static for p in ps)
        s.requires_grad = t.requires_grad
        s.need = (True,) if len(ps) == 1 else tuple(p.requires_grad for p in parents)
        slot_of[id(t)] = len(slots)
        slots.append(s)
    if id(root) not in slot_of:  # a leaf returned as is
        leaf(root)
    return Graph(slots, slot_of[id(root)], is_grad_enabled(), unsupported)


def simulate(graph: Graph) -> None:
    """Run the backward once on the recorded values, as the engine would, to learn its structure:
    which node sends a gradient to which input (rules may return None), in which order the
    contributions add up, and each gradient's shape and dtype (for the buffers)."""
    slots = graph.slots
    root = slots[graph.root]
    if not root.requires_grad:
        return
    d = root.tensor._data
    grads: dict[int, np.ndarray] = {graph.root: np.ones(d.shape, d.dtype)}
    for s in reversed(slots):  # creation order reversed: every consumer before its inputs
        if s.kind != "op" or not s.requires_grad or s.k not in grads:
            continue
        graph.order.append(s.k)
        xs = tuple(slots[p].tensor._data for p in s.parents)
        pgs = RULES[s.op](NumpyOps, grads[s.k], s.tensor._data, xs, s.ctx, s.need)
        for i, (p, pg) in enumerate(zip(s.parents, pgs)):
            if pg is None or not slots[p].requires_grad:
                continue
            pg = np.asarray(pg)
            graph.edges[(s.k, i)] = (p, pg.shape, pg.dtype, np.empty_like(pg))
            graph.contributions.setdefault(p, []).append((s.k, i))
            if pg.shape != slots[p].tensor.shape:
                pg = unbroadcast(pg, slots[p].tensor.shape)
                graph.reduced[(s.k, i)] = np.empty_like(pg)
            if p in grads:
                grads[p] = grads[p] + pg
                graph.sums[(s.k, i)] = np.empty_like(grads[p])
            else:
                grads[p] = pg
    graph.grad_dtype = {k: g.dtype for k, g in grads.items()}
