"""The code builder of ``autobp.compile``: the generated lines, the names they use (buffers allocated
once, constants computed at compile time), and the choices that keep them equal to eager bit for bit
(buffers in eager's memory layouts, np.dot only where it equals np.matmul)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._broadcast import sum_leading
from .._kernels import KERNELS, _quiet
from .emitters import FORWARD_EMIT
from .record import Graph, Slot


class Builder:
    """Collects the generated lines and the objects they name (the function's globals)."""

    def __init__(self, graph: Graph, views: dict[int, np.ndarray]) -> None:
        self.graph = graph
        self.slots = graph.slots
        self.views = views  # param slot -> its array (a view into a flat buffer, stable across calls)
        self.ns: dict[str, Any] = {"np": np, "_quiet": _quiet.context.run, "_sum_leading": sum_leading}
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
        for grp in graph.groups:  # a re-run op call reads its inputs (no buffer is taken over)
            for p in grp.inputs:
                self.readers[p] = self.readers.get(p, 0) + 2
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
        if s.kind == "op" and s.group is None and s.op in FORWARD_EMIT and s.tensor._data.dtype.kind == "f":
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
            self.slots[k].kind == "op"
            and (self.slots[k].op not in FORWARD_EMIT or self.slots[k].group is not None)
            for k in slots
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
        if (s.op in KERNELS or s.group is not None) and not s.static:  # computed by the forward
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
