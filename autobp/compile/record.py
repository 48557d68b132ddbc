"""Recording one step for ``autobp.compile``: the tape of Tensor ops a loss function makes, read
through the node interface only (op name, parents, ctx, output), and the graph the generator needs:
numbered slots, what kind each leaf is, which values are constant, and the backward's structure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._broadcast import unbroadcast
from .._graph import is_grad_enabled, next_seq
from .._numpy_ops import NumpyOps
from ..replay import FORWARD, PLAIN
from ..rules import RULES
from ..tensor import Tensor
from .calls import Call, Hole, Recorder
from .rerun import Rerun


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
    group: Any = None  # the Group (re-run op call) that computes this value, if any
    access: tuple = ()  # where the Group's call leaves it (see ``Rerun``)


@dataclass(eq=False)
class Group:
    """An op call the generated step makes again (``rerun``) to compute slots ``slots``: its inputs'
    slots, the nodes it makes (``members``), and whether all of it is constant (``static``)."""

    call: Any
    inputs: list
    slots: list
    static: bool
    members: list = field(default_factory=list)
    rerun: Any = None
    name: str = ""

    def finish(self, slots: list) -> None:
        """Build the re-run from the recording (then dropped: it holds the recorded Tensors)."""
        call = self.call
        wants = []
        for k in self.slots:
            d = slots[k].tensor._data
            wants.append((slots[k].access, d.shape, d.dtype, slots[k].op is not None))
        written = {i for i, _, _ in call.mutated}
        self.rerun = Rerun(
            call.fn,
            call.args,
            call.kwargs,
            call.grads,
            [slots[k].kind == "op" for k in self.inputs],
            [slots[k].static and i in written for i, k in enumerate(self.inputs)],
            [m[1] for m in call.members],
            wants,
        )
        self.call = None


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
    groups: list = field(default_factory=list)  # the op calls the step makes again (Group)


def record(fn: Callable[..., Any], args: tuple) -> tuple[Any, list, int]:
    """Run ``fn(*args)`` once, eagerly, keeping every Tensor op it makes and the public op calls
    that made them: (result, tape, first seq). The tape's entries (see ``calls.Recorder``) keep each
    node's ctx, since a backward pass frees the nodes' own."""
    start = next_seq()
    recorder = Recorder()
    root = recorder.run(fn, args)
    return root, recorder.tape, start


def _live(root: Tensor, tape: list) -> tuple[set, set]:
    """The creation numbers of the values ``root`` depends on, and the op calls that make them."""
    needed, calls = {root._seq}, set()
    for e in reversed(tape):
        if e[0] == "node":
            _, t, op, parents, ctx, call, seq, data, rg, pseqs = e
            if seq in needed or (call is not None and call in calls):
                needed.add(seq)
                needed.update(pseqs)
                if call is not None:
                    calls.add(call)
        elif e[0] == "read":
            continue
        elif e[0] == "close":
            call = e[1]
            outs = [seq for _, _, seq in call.outs] + [new for _, _, new in call.mutated]
            if any(s in needed for s in outs):
                calls.add(call)
        elif e[1] in calls:  # "open": the call reads its inputs
            needed.update(seq for seq, _, _ in e[1].before)
    return needed, calls


def _frozen(data: np.ndarray, rg: bool, seq: int) -> Tensor:
    """A Tensor holding a value as it was recorded (its Tensor object was later written in place)."""
    t = Tensor._const(data)
    t.requires_grad, t._seq = rg, seq
    return t


def _from_args(p: Tensor, call: Call) -> bool:
    """Whether a Tensor an op made inside is one of its non-Tensor arguments converted (a constant),
    not something computed from its inputs' values."""
    if p.ndim == 0:
        return True
    for a in list(call.args) + list(call.kwargs.values()):
        if isinstance(a, (np.ndarray, list, tuple)) and not _has_hole(a):
            arr = np.asarray(a)
            if arr.shape == p.shape and np.array_equal(arr, p._data, equal_nan=arr.dtype.kind in "fc"):
                return True
    return False


def _has_hole(a: Any) -> bool:
    if isinstance(a, Hole):
        return True
    return isinstance(a, (list, tuple)) and any(_has_hole(x) for x in a)


def _simple(call: Call) -> bool:
    """True when the call made one node of an op replay runs (its forward from its inputs and ctx
    alone): that node is generated on its own (fast emitted lines). Else the call is re-run."""
    if len(call.members) != 1:
        return False
    t, op, parents, ctx, data, seq, pseqs = call.members[0]
    if op not in PLAIN and op not in FORWARD:
        return False
    seqs = set(pseqs)
    if any(seq not in seqs for seq, _, _ in call.before):  # an input read otherwise (an index, a mask)
        return False
    ins = {seq for seq, _, _ in call.before}
    if any(ps not in ins and not _from_args(p, call) for p, ps in zip(parents, pseqs)):
        return False
    if any(j != 0 for _, j, _ in call.mutated):
        return False
    if not all(r is t or rs in ins for _, r, rs in call.outs):
        return False
    return _replays(op, parents, ctx, data)


def _replays(op: str, parents: tuple, ctx: Any, d: np.ndarray) -> bool:
    """Whether replay's forward of ``op`` gives the recorded result bit for bit (an op may record
    a node under another op's name while computing its value its own way)."""
    xs = tuple(p._data for p in parents)
    try:
        with np.errstate(all="ignore"):
            out = PLAIN[op](*xs) if op in PLAIN else FORWARD[op](xs, ctx, d)[0]
    except Exception:
        return False
    out = np.asarray(out)
    return (
        out.dtype == d.dtype
        and out.shape == d.shape
        and np.array_equal(out, d, equal_nan=d.dtype.kind in "fc")
    )


def build_graph(root: Tensor, tape: list, start: int, args: tuple) -> Graph:
    """Number the values ``root`` depends on and classify them (see ``Slot``); each op call that is
    re-run in the generated step becomes a ``Group`` of the slots it computes."""
    needed, live = _live(root, tape)
    arg_pos = {id(a): i for i, a in enumerate(args) if isinstance(a, Tensor)}
    slot_of: dict[int, int] = {}  # creation number -> slot
    slots: list[Slot] = []
    groups: list[Group] = []
    unsupported: list[str] = []
    group_of: dict = {}  # call -> its Group, for the calls that are re-run

    def leaf(p: Tensor, seq: int) -> int:
        k = slot_of.get(seq)
        if k is None:
            if id(p) in arg_pos:
                s = Slot(len(slots), "arg", p, index=arg_pos[id(p)])
            elif p.requires_grad:
                s = Slot(len(slots), "param", p)
            elif seq < start:
                s = Slot(len(slots), "input", p)
            else:
                s = Slot(len(slots), "const", p, static=True)
            s.requires_grad = p.requires_grad
            k = slot_of[seq] = len(slots)
            slots.append(s)
        return k

    def derived(t: Tensor, grp: Group, access: tuple) -> int:
        """A value a re-run call makes that is not a node (a mask, an index, a constant)."""
        s = Slot(len(slots), "op", t, None, static=grp.static, group=grp, access=access)
        slots.append(s)
        grp.slots.append(s.k)
        return s.k

    for e in tape:
        if e[0] == "open":
            call = e[1]
            if call not in live or _simple(call):
                continue
            seqs = [seq for seq, _, _ in call.before]
            ins = [slot_of[seq] if seq in slot_of else leaf(t, seq) for t, seq in zip(call.inputs, seqs)]
            static = all(slots[k].static for k in ins)
            grp = Group(call, ins, [], static, name=getattr(call.fn, "__name__", "op"))
            groups.append(grp)
            group_of[call] = grp
        elif e[0] == "node":
            _, t, op, parents, ctx, call, seq, data, rg, pseqs = e
            grp = group_of.get(call)
            if seq not in needed and grp is None:
                continue
            if grp is None and op not in PLAIN and op not in FORWARD and op not in unsupported:
                unsupported.append(op)
            ps = []
            j = len(grp.members) if grp is not None else -1
            for i, (p, pseq) in enumerate(zip(parents, pseqs)):
                k = slot_of.get(pseq)
                if k is None and grp is not None and pseq >= grp.call.start:
                    k = slot_of[pseq] = derived(p, grp, ("parent", j, i))
                if grp is not None and k is not None and k not in grp.inputs and k not in grp.slots:
                    if not slots[k].static and slots[k].kind == "op":  # read without being passed
                        why = f"{grp.name} (reads a computed Tensor it was not passed)"
                        if why not in unsupported:
                            unsupported.append(why)
                ps.append(leaf(p, pseq) if k is None else k)
            rec = t if t._seq == seq else _frozen(data, rg, seq)
            s = Slot(len(slots), "op", rec, op, tuple(ps), ctx)
            s.static = all(slots[p].static for p in ps) if grp is None else grp.static
            s.requires_grad = rg
            s.need = (True,) if len(ps) == 1 else tuple(p.requires_grad for p in parents)
            slot_of[seq] = len(slots)
            slots.append(s)
            if grp is not None:
                s.group, s.access = grp, ("node", j)
                grp.members.append(s.k)
                grp.slots.append(s.k)
        elif e[0] == "read":  # a value the step's own code looked at
            t, how, seq = e[1], e[2], e[3]
            k = slot_of.get(seq)
            computed = not slots[k].static if k is not None else seq < start or t.requires_grad
            why = f"Tensor.{how} (data-dependent control flow)"
            if computed and why not in unsupported:
                unsupported.append(why)
        elif e[1] in live:  # "close"
            call = e[1]
            grp = group_of.get(call)
            for i, j, new in call.mutated:  # an in-place op: the input now holds a new value
                if j is not None:
                    slot_of[new] = slot_of[call.members[j][5]]
                elif grp is not None:
                    t = call.inputs[i]
                    slot_of[new] = derived(_frozen(t._data.copy(), t.requires_grad, new), grp, ("input", i))
            if grp is not None:
                for path, t, seq in call.outs:
                    if seq not in slot_of and seq >= call.start:
                        slot_of[seq] = derived(t, grp, ("result", path))
    if root._seq not in slot_of:  # a leaf returned as is
        leaf(root, root._seq)
    for grp in groups:
        grp.finish(slots)
    hooked = "register_hook/retain_grad (the generated step runs no hook)"
    if any(getattr(s.tensor, "_retains_grad", False) for s in slots) and hooked not in unsupported:
        unsupported.append(hooked)
    return Graph(slots, slot_of[root._seq], is_grad_enabled(), unsupported, groups=groups)


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
