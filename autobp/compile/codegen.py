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
from .._kernels import KERNELS, _quiet
from .._numpy_ops import NumpyOps
from ..replay import FORWARD, PLAIN
from ..rules import RULES
from .emitters import BACKWARD_EMIT, FORWARD_EMIT, reads
from .record import Graph, Slot


class Builder:
    """Collects the generated lines and the objects they name (the function's globals)."""

    def __init__(self, graph: Graph, views: dict[int, np.ndarray]) -> None:
        self.graph = graph
        self.slots = graph.slots
        self.views = views  # param slot -> its array (a view into a flat buffer, stable across calls)
        self.ns: dict[str, Any] = {"np": np, "_quiet": _quiet.context.run, "_add_reduce": np.add.reduce}
        self.values: dict[str, Any] = {}  # name -> value, for the names that are constants
        self.lines: list[str] = []
        self.used: set[int] = set()  # slots whose forward value some line reads
        self.used_ctx: set[int] = set()
        self.want_T: set[int] = set()  # forward buffers whose transpose the backward reads
        self.fwd_buf: dict[int, str] = {}  # slot -> the buffer its forward writes into
        self.readers: dict[int, int] = {}  # slot -> how many times forward ops read it
        for s in graph.slots:
            for p in s.parents:
                self.readers[p] = self.readers.get(p, 0) + 1
        self.bwd_reads: set[int] = set()  # slots the backward (or the result) reads
        self.n = 0

    # --- names ---------------------------------------------------------------------------------
    def fresh(self, hint: str) -> str:
        self.n += 1
        return f"{hint}{self.n}"

    def bind(self, obj: Any, hint: str) -> str:
        name = self.fresh(hint)
        self.ns[name] = obj
        return name

    def const(self, value: Any, hint: str = "C") -> str:
        """A name for a constant computed at compile time."""
        name = self.bind(value, hint)
        self.values[name] = value
        return name

    def value_of(self, name: str) -> Any:
        """The constant's value, or None if ``name`` is computed on each call."""
        return self.values.get(name)

    def grad_view(self, arr: np.ndarray, k: int) -> str:
        """``grad{k}``: where parameter slot k's gradient is written (a view of a flat buffer)."""
        self.ns[f"grad{k}"] = arr
        return f"grad{k}"

    def buffer(self, shape: tuple, dtype: Any, hint: str = "B") -> str:
        return self.bind(np.empty(shape, dtype), hint)

    def buffer_like(self, s: Slot, elementwise: bool = False) -> str:
        """The buffer slot s's forward writes its value into, in the memory layout of eager's result
        (a later reduction or product then runs in the same order as eager's). An ``elementwise``
        forward may take over the buffer of an input that nothing else reads (in place, as a
        hand-written step does: a + b and the activation written into the product's buffer)."""
        name = self.fwd_buf.get(s.k)
        if elementwise:
            d = s.tensor._data
            for p in s.parents:
                src = self.slots[p]
                if (
                    self.readers.get(p) == 1
                    and p not in self.bwd_reads
                    and p not in self.fwd_buf
                    and src.kind == "op"
                    and not src.static
                    and p != self.graph.root
                    and src.tensor._data.dtype == d.dtype
                    and src.tensor._data.shape == d.shape
                    and src.tensor._data.strides == d.strides
                ):
                    name = name or self.bind(np.empty_like(d), "B")
                    self.fwd_buf[p] = name  # p's forward will write there, and s over it
                    break
        if name is None:
            name = self.bind(np.empty_like(s.tensor._data), "B")
        self.fwd_buf[s.k] = name
        return name

    def scratch_like(self, s: Slot, dtype: Any = None) -> str:
        """A scratch buffer of slot s's shape and layout (its rule's intermediates)."""
        return self.bind(np.empty_like(s.tensor._data, dtype=dtype), "T")

    def line(self, text: str) -> None:
        self.lines.append(text)

    # --- values --------------------------------------------------------------------------------
    def val(self, k: int) -> str:
        """The expression of slot k's forward value (marks it as read)."""
        s = self.slots[k]
        if s.static:
            name = f"S{k}"
            if name not in self.ns:
                self.ns[name] = self.values[name] = s.tensor._data
            return name
        if s.kind == "param" and k in self.views:
            self.ns[f"v{k}"] = self.views[k]
            return f"v{k}"
        self.used.add(k)
        return f"v{k}"

    def transposed(self, k: int) -> str:
        """x.T of slot k: taken once here when the array never changes (a parameter's view)."""
        s = self.slots[k]
        if s.static or (s.kind == "param" and k in self.views):
            name = f"{self.val(k)}_T"
            self.ns[name] = self.ns[self.val(k)].T
            return name
        if s.kind == "op" and s.op in FORWARD_EMIT and s.tensor._data.dtype.kind == "f":
            self.want_T.add(k)  # a buffer: its transpose is taken once, after the forward is emitted
            return f"{self.val(k)}_T"
        return f"{self.val(k)}.T"

    def product(self, x: str, y: str, xs: np.ndarray, ys: np.ndarray, slots: tuple = ()) -> str:
        """ "np.dot" where it equals np.matmul bit for bit for operands of these shapes, dtypes and
        layouts (it dispatches faster), else "np.matmul". Operands from view ops (which might share
        memory, where BLAS takes other paths) keep matmul."""
        if xs.ndim != 2 or ys.ndim != 2 or xs.dtype != ys.dtype or xs.dtype.kind != "f":
            return "np.matmul"
        if len(set(slots)) != len(slots) or any(
            self.slots[k].kind == "op" and self.slots[k].op not in FORWARD_EMIT for k in slots
        ):
            return "np.matmul"
        rng = np.random.default_rng(0)
        for a, b in ((xs, ys), (_like(rng, xs), _like(rng, ys))):
            if not np.array_equal(np.matmul(a, b), np.dot(a, b)):
                return "np.matmul"
        return "np.dot"

    def view(self, g: str, index: str) -> str:
        """``g[index]``: taken once here when g names a buffer (its view then follows its values)."""
        arr = self.ns.get(g)
        if isinstance(arr, np.ndarray):
            v = eval(f"arr{index}", {"arr": arr})  # noqa: S307  an index this module wrote
            return self.const(v, "W") if g in self.values else self.bind(v, "W")
        return f"{g}{index}"

    def sample(self, shape: tuple, dtype: Any) -> np.ndarray:
        """Random values of a gradient's shape and dtype (for ``product``'s check)."""
        return np.random.default_rng(1).standard_normal(shape).astype(dtype)

    def ctx(self, s: Slot) -> str:
        if s.op in KERNELS and not s.static:  # the forward kernel computes what the rule needs
            self.used_ctx.add(s.k)
            self.used.add(s.k)
            return f"c{s.k}"
        name = f"X{s.k}"
        self.ns[name] = s.ctx
        return name

    def call(self, fn: str, args: list, s: Slot, i: int, dest: str | None) -> str:
        """``fn(*args, out=...)`` for input i's gradient of node s, into ``dest`` or a new buffer."""
        template = self.graph.edges[(s.k, i)][3]
        out = dest or self.bind(template, "G")
        if fn == "np.dot" and not self.ns[out].flags.c_contiguous:  # np.dot writes C order only
            fn = "np.matmul"
        self.line(f"{fn}({', '.join(self.scalar(a) if fn != 'np.dot' else a for a in args)}, out={out})")
        return out

    def scalar(self, name: str) -> str:
        """A constant array whose elements are all the same bits, as one numpy scalar of its dtype:
        an elementwise op computes the same numbers from it, without reading a whole array."""
        v = self.values.get(name)
        if not isinstance(v, np.ndarray) or v.size < 2 or v.dtype.kind != "f":
            return name
        bits = v.view(f"u{v.itemsize}")
        if not (bits == bits.flat[0]).all():
            return name
        return self.const(np.array(v.flat[0]), "Q")  # 0-d: no conversion per call


def _like(rng: np.random.Generator, a: np.ndarray) -> np.ndarray:
    """Random values with a's shape, dtype and memory layout (C order, or a transposed one)."""
    r = rng.standard_normal(a.shape).astype(a.dtype)
    return np.ascontiguousarray(r.T).T if not a.flags.c_contiguous and a.flags.f_contiguous else r


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
    for s in reversed(slots):
        if s.kind != "op" or s.static or s.k not in b.used:
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
        pgs = _fold(b, s, g, want)
        if pgs is None and s.op in BACKWARD_EMIT:
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
            expr, _ = acc[s.k]
            if s.k in grads:
                gv = b.grad_view(grads[s.k], s.k)
                b.ns[f"P{s.k}"] = s.tensor
                if not _is(b, expr, grads[s.k]):
                    b.line(f"np.copyto({gv}, {expr})")
                b.line(f"P{s.k}.grad = {gv}")
            else:
                b.ns[f"P{s.k}"] = s.tensor
                who = f"args[{s.index}]" if s.kind == "arg" else f"P{s.k}"
                b.line(f"_give({who}, {expr})")
                given.append(s.k)
    lines = b.lines
    lines.append(given)
    return lines


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
                b.line(f"_add_reduce({pg}, {lead!r}, out={out})")
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
