"""The source generator of ``autobp.compile``: a recorded ``Graph`` becomes one straight-line Python
function, one numpy call per line, every buffer allocated here once and reused by every call.

The backward is generated first, so the forward computes only the values something reads (the loss
value itself only when the step returns it). Gradients follow the engine exactly: nodes in
decreasing creation order, an input's contributions added up in the order the engine adds them
(the first kept as is, each later one ``np.add(acc, g, out=acc)``), broadcasting undone by the same
reductions, so every number equals eager's bit for bit.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._broadcast import _reduction, unbroadcast
from .._kernels import KERNELS
from .._numpy_ops import NumpyOps
from ..replay import FORWARD, PLAIN
from ..rules import RULES
from .builder import Builder
from .emitters import BACKWARD_EMIT, FORWARD_EMIT, reads
from .record import Graph, Slot


def generate(graph: Graph, views: dict, grads: dict, want_loss: bool) -> tuple[str, dict, list]:
    """The step's source and globals: ``_step(*args)`` runs forward and backward, writes each packed
    parameter's gradient into ``grads[slot]`` (a view of a flat buffer), hands other leaves theirs,
    and returns the loss (or None). Returns (source, namespace, [(slot, leaf)] given by ``_give``)."""
    b = Builder(graph, views)
    slots = graph.slots
    body_bwd = _backward(b, graph, grads)
    given = body_bwd.pop()
    if want_loss:
        b.val(graph.root)
    b.bwd_reads = set(b.used) | set(b.want_T)
    # the forward, last node first, so each one knows whether anything reads it
    blocks: list[list[str]] = []
    wanted: set = set()  # re-run op calls whose values something reads
    for s in reversed(slots):
        if s.kind != "op" or s.static:
            continue
        if s.group is not None:  # one line re-runs the call, at its first value
            if s.k in b.used:
                wanted.add(id(s.group))
            if s.k == s.group.slots[0] and id(s.group) in wanted:
                b.lines = []
                _rerun(b, s.group)
                blocks.append(b.lines)
            continue
        if s.k not in b.used:
            continue
        b.lines = []
        _forward(b, s)
        b.lines[0] += f"  # {s.op}"
        if s.k in b.want_T:
            buf = b.fwd_buf.get(s.k)
            if (
                buf is not None
                and b.lines
                and b.lines[0].startswith(f"v{s.k} = ")
                and f"out={buf}" in b.lines[0]
            ):
                b.ns[f"v{s.k}_T"] = b.ns[buf].T
            else:
                b.line(f"v{s.k}_T = v{s.k}.T")
        blocks.append(b.lines)
    head = ["def _step(*args):"]
    for s in slots:
        if s.kind != "op" and not s.static:
            what = {"param": "parameter", "input": "input", "arg": f"args[{s.index}]"}[s.kind]
            head.append(f"    # v{s.k}: {what} {s.tensor.shape} {s.tensor._data.dtype}")
    head += ["    if _mode.enabled is not GRAD_MODE: return MISS", "    #GUARDS"]
    for s in slots:
        if s.kind == "param" and s.k in views:
            if s.k in b.used or f"v{s.k}" in b.ns or s.k in grads:
                b.ns[f"P{s.k}"] = s.tensor
                b.ns[f"v{s.k}"] = views[s.k]
                head.append(f"    if P{s.k}._data is not v{s.k}: return MISS")
        elif s.kind in ("input", "arg", "param") and s.k in b.used:
            src = f"args[{s.index}]" if s.kind == "arg" else f"L{s.k}"
            if s.kind != "arg":
                b.ns[f"L{s.k}"] = s.tensor
            b.ns[f"SH{s.k}"], b.ns[f"DT{s.k}"] = s.tensor.shape, s.tensor._data.dtype
            head.append(f"    v{s.k} = {src}._data")
            head.append(f"    if v{s.k}.shape != SH{s.k} or v{s.k}.dtype != DT{s.k}: return MISS")
    body = [ln for block in reversed(blocks) for ln in block] + body_bwd
    tail = f"    return v{graph.root}.item()" if want_loss else "    return None"
    if want_loss and slots[graph.root].static:
        tail = f"    return S{graph.root}.item()"
    src = "\n".join(head + ["    " + ln for ln in body] + ["    #OPTIMIZER", tail]) + "\n"
    return src, b.ns, given


def _forward(b: Builder, s: Slot) -> None:
    emit = FORWARD_EMIT.get(s.op)
    if s.k not in b.used_ctx and emit is not None and emit(b, s):
        return
    xs = ", ".join(b.val(p) for p in s.parents)
    if s.op in PLAIN:
        b.ns[f"F{s.k}"] = PLAIN[s.op]
        b.line(f"v{s.k} = F{s.k}({xs})")
        if s.k in b.used_ctx:
            b.line(f"c{s.k} = X{s.k}")
    else:
        d = s.tensor._data  # the forwards read only the recorded result's shape and dtype: a stand-in
        like = np.broadcast_to(np.empty((), d.dtype), d.shape)
        b.ns[f"F{s.k}"], b.ns[f"X{s.k}"], b.ns[f"O{s.k}"] = FORWARD[s.op], s.ctx, like
        b.line(f"v{s.k}, c{s.k} = F{s.k}(({xs}{',' if len(s.parents) == 1 else ''}), X{s.k}, O{s.k})")
    if s.tensor._data.ndim == 0:  # a numpy scalar becomes a 0-d array, as Tensor._make makes it
        b.ns["_asarray"] = np.asarray
        b.line(f"v{s.k} = _asarray(v{s.k})")


def _rerun(b: Builder, grp: Any) -> None:
    """The op call again, on this call's values: every value and ctx it makes (a miss, before
    anything changed, when it makes other ops or shapes than recorded: data-dependent ones)."""
    fn = b.bind(grp.rerun, "RERUN")
    xs = "".join(f"{b.val(k)}, " for k in grp.inputs)
    r = b.fresh("r")
    outs = [f"v{k}, c{k}" if b.slots[k].op is not None else f"v{k}" for k in grp.slots]
    b.line(f"{r} = {fn}({xs})  # {grp.name}: {', '.join(b.slots[k].op or 'value' for k in grp.slots)}")
    b.line(f"if {r} is None: return MISS")
    b.line(f"{', '.join(outs)}, = {r}")


def _backward(b: Builder, graph: Graph, grads: dict) -> list:
    slots = graph.slots
    b.lines = []
    acc: dict[int, tuple[str, Any]] = {}  # slot -> (expression of its gradient so far, dtype)
    if graph.order:
        root = slots[graph.root]
        d = root.tensor._data
        seed = np.array(1, d.dtype) if d.ndim == 0 else np.ones(d.shape, d.dtype)
        acc[graph.root] = (b.const(seed, "SEED"), d.dtype)
    for k in graph.order:
        s = slots[k]
        g, _ = acc[k]
        n = len(s.parents)
        want = tuple((k, i) in graph.edges for i in range(n))
        dest = []
        for i, p in enumerate(s.parents):
            e = graph.edges.get((k, i))
            single = e is not None and graph.contributions[p] == [(k, i)]
            ok = single and p in grads and e[1] == slots[p].tensor.shape and e[2] == grads[p].dtype
            dest.append(grads[p] if ok else None)
        b.line(f"# v{k} = {s.op}({', '.join(f'v{p}' for p in s.parents)}): gradients of its inputs")
        # data and ctx from a re-run, or complex values (rules conjugate): the plain rule
        rerun = s.group is not None and not s.static or _complex(s, slots)
        pgs = None if rerun else _fold(b, s, g, want)
        if pgs is None and s.op in BACKWARD_EMIT and not rerun:
            names = tuple(None if d is None else b.grad_view(d, p) for d, p in zip(dest, s.parents))
            pgs = BACKWARD_EMIT[s.op](b, s, g, want, names)
        if pgs is None:
            pgs = _generic(b, s, g, want)
        for i, p in enumerate(s.parents):
            if want[i]:
                _accumulate(b, graph, acc, grads, k, i, p, pgs[i])
    given = []
    for s in slots:
        if s.kind in ("param", "arg") and s.requires_grad and s.k in acc:
            expr, dt = acc[s.k]
            if np.dtype(dt).kind == "c" and s.tensor._data.dtype.kind != "c":
                expr = f"{expr}.real"  # a real leaf of a complex result: the real part, as eager
            if s.k in grads:
                gv = b.grad_view(grads[s.k], s.k)
                b.ns[f"P{s.k}"] = s.tensor
                if not _is(b, expr, grads[s.k]):
                    b.line(f"np.copyto({gv}, {expr})")
                b.line(f"P{s.k}._grad = {gv}")
            else:
                b.ns[f"P{s.k}"] = s.tensor
                who = f"args[{s.index}]" if s.kind == "arg" else f"P{s.k}"
                b.line(f"_give({who}, {expr})")
                given.append(s.k)
    lines = b.lines
    lines.append(given)
    return lines


def _complex(s: Slot, slots: list) -> bool:
    return s.tensor._data.dtype.kind == "c" or any(slots[p].tensor._data.dtype.kind == "c" for p in s.parents)


def _is(b: Builder, name: str, arr: np.ndarray) -> bool:
    return b.ns.get(name) is arr


def _fold(b: Builder, s: Slot, g: str, want: tuple) -> list | None:
    """The gradients of node s computed now, as constants, when everything they read is constant."""
    gv = b.value_of(g)
    if gv is None:
        return None
    for i, w in enumerate(want):
        if not w:
            continue
        for r in reads(s.op, len(s.parents), i):
            if r == "ctx" and s.op in KERNELS and not s.static:
                return None
            if r == "out" and not s.static:
                return None
            if r.startswith("x") and not b.slots[s.parents[int(r[1:])]].static:
                return None
    xs = tuple(b.slots[p].tensor._data for p in s.parents)
    pgs = RULES[s.op](NumpyOps, gv, s.tensor._data, xs, s.ctx, s.need)
    return [b.const(np.asarray(pg), "K") if w else None for pg, w in zip(pgs, want)]


def _generic(b: Builder, s: Slot, g: str, want: tuple) -> list:
    """The op's plain rule, called as the engine calls it."""
    b.ns[f"R{s.k}"], b.ns[f"N{s.k}"] = RULES[s.op], s.need
    xs = ", ".join(b.val(p) for p in s.parents) + ("," if len(s.parents) == 1 else "")
    out = f"v{s.k}" if not s.static else b.val(s.k)
    if not s.static:
        b.used.add(s.k)
    r = b.fresh("r")
    b.line(f"{r} = R{s.k}(NumpyOps, {g}, {out}, ({xs}), {b.ctx(s)}, N{s.k})")
    b.ns["NumpyOps"] = NumpyOps
    return [f"{r}[{i}]" if w else None for i, w in enumerate(want)]


def _accumulate(b: Builder, graph: Graph, acc: dict, grads: dict, k: int, i: int, p: int, pg: str) -> None:
    """Add input i's gradient of node k into slot p's, as the engine does."""
    _, shape, dtype, _ = graph.edges[(k, i)]
    target = graph.slots[p].tensor.shape
    contribs = graph.contributions[p]
    single = len(contribs) == 1
    if shape != target:
        v = b.value_of(pg)
        if v is not None:
            pg = b.const(unbroadcast(v, target), "K")
        else:
            lead, stretched = _reduction(shape, target)
            if stretched is None and lead is not None and dtype.kind == "f":
                dst = grads.get(p) if single and p in grads and grads[p].dtype == dtype else None
                out = b.grad_view(dst, p) if dst is not None else b.bind(graph.reduced[(k, i)], "U")
                b.line(f"_sum_leading({pg}, {lead!r}, out={out})")
                pg = out
            else:
                b.ns["_unbroadcast"] = unbroadcast
                name = b.fresh("u")
                b.line(f"{name} = _unbroadcast({pg}, {target!r})")
                pg = name
    if p not in acc:
        acc[p] = (pg, dtype)
        return
    prev, pdt = acc[p]
    v0, v1 = b.value_of(prev), b.value_of(pg)
    if v0 is not None and v1 is not None:
        acc[p] = (b.const(v0 + v1, "K"), (v0 + v1).dtype)
        return
    rdt = np.result_type(pdt, dtype)
    if pdt == dtype and rdt == dtype:
        last = contribs[-1] == (k, i)
        buf = grads.get(p) if last and p in grads and grads[p].dtype == dtype else None
        out = b.grad_view(buf, p) if buf is not None else _acc_buffer(b, p, graph.sums[contribs[-1]])
        b.line(f"np.add({prev}, {pg}, out={out})")
        acc[p] = (out, dtype)
    else:
        name = b.fresh("a")
        b.line(f"{name} = {prev} + {pg}")
        acc[p] = (name, rdt)


def _acc_buffer(b: Builder, p: int, template: np.ndarray) -> str:
    """Slot p's accumulator: one buffer for all its sums, each written in place (elementwise: any
    layout gives the same numbers), in the layout of eager's last sum, which p's rule reads."""
    name = f"ACC{p}"
    if name not in b.ns:
        b.ns[name] = template
    return name
