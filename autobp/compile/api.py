"""``autobp.compile``: record one training step, generate straight-line numpy source for it, compile
that once and call it; guards send a changed input (shape, dtype, grad mode) back to a new trace."""

from __future__ import annotations

import builtins
import functools
import linecache
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from .._graph import _mode
from ..tensor import Tensor
from . import optimizers
from .codegen import generate
from .flat import Packing
from .record import CompileError, Graph, build_graph, record, simulate

MISS = object()  # what a generated step returns when a guard fails (before it has changed anything)
_MAX_PROGRAMS = 8


def _give(t: Tensor, g: Any) -> None:
    """Set the .grad of a leaf outside the flat buffers: a copy, in the leaf's dtype."""
    g = np.asarray(g)
    if g.dtype.kind == "c" and t._data.dtype.kind != "c":  # the real part, as eager's leaves get
        g = g.real
    t._grad = np.array(g, dtype=t._data.dtype)


class CompiledStep:
    """A compiled training step; call it to run forward, backward and the optimiser's update.

    ``step()`` returns the loss as a Python float (or None with ``return_loss=False``), sets every
    parameter's ``.grad`` to this step's gradient (as ``opt.zero_grad(); loss.backward()`` would)
    and, given an optimiser, applies its update. ``step.source`` is the generated code.
    """

    def __init__(
        self,
        fn: Callable[..., Tensor],
        params: Any = None,
        optimizer: Any = None,
        strict: bool = False,
        return_loss: bool = True,
    ) -> None:
        self.fn = fn
        self.optimizer = optimizer
        self.strict = strict
        self.return_loss = return_loss
        self._params = None if params is None else list(params)
        self._packing: Packing | None = None
        self._programs: list[_Program] = []
        self._run: Callable | None = None
        self._warned: set[str] = set()
        self._leaves: list[Tensor] = []  # what the eager fallback zeroes when no params are given
        functools.update_wrapper(self, fn, updated=())

    @property
    def source(self) -> str:
        """The generated source of the current program ('' before the first call)."""
        return self._programs[0].source if self._programs else ""

    @property
    def graph(self) -> Graph | None:
        """The recorded graph behind the current program (None before the first call); the recorded
        intermediate values are freed once the code is generated."""
        return self._programs[0].graph if self._programs else None

    def __call__(self, *args: Any) -> Any:
        run = self._run
        if run is not None:
            r = run(*args)
            if r is not MISS:
                return r
        return self._slow(args)

    # --- the slow path: find the program for these inputs, or trace a new one -------------------
    def _slow(self, args: tuple) -> Any:
        if self._packing is not None:
            self._packing.repair()
        for prog in self._programs:
            if prog.fallback:
                return prog.fn(*args)
            r = prog.fn(*args)
            if r is not MISS:
                self._programs.remove(prog)
                self._programs.insert(0, prog)
                self._run = prog.fn
                return r
        if self.strict and self._programs:
            raise CompileError(
                f"compile: {self._programs[0].changed(args, self.optimizer)}; not re-tracing (strict=True)"
            )
        return self._trace(args)

    def _trace(self, args: tuple) -> Any:
        """Run the step eagerly once, recording it, and generate its program."""
        opt = self.optimizer
        if opt is not None:
            opt.zero_grad()
        root, tape, start = record(self.fn, args)
        if not isinstance(root, Tensor) or root.size != 1:
            raise CompileError(
                "compile: the function must return a one-element Tensor (the loss), got "
                + (f"a Tensor of shape {root.shape}" if isinstance(root, Tensor) else type(root).__name__)
            )
        graph = build_graph(root, tape, start, args)
        if not root.requires_grad and opt is not None:
            raise CompileError(
                "compile: the loss does not require grad (grad mode off, or no parameter in it)"
            )
        for s in graph.slots:
            if s.kind in ("param", "arg") and s.requires_grad:
                s.tensor._grad = None
        if graph.unsupported:
            self._fallback(graph)
        else:
            simulate(graph)
        if root.requires_grad:
            root.backward()
        loss = root.item()
        if opt is not None:
            opt.step()
        if not graph.unsupported:
            self._programs.insert(0, self._build(graph, args))
            del self._programs[_MAX_PROGRAMS:]
            self._run = self._programs[0].fn
        return loss if self.return_loss else None

    def _fallback(self, graph: Graph) -> None:
        ops = ", ".join(repr(op) for op in graph.unsupported)
        if self.strict:
            raise CompileError(f"compile: op(s) {ops} have no compiled form; run this step eagerly")
        key = ops
        if key not in self._warned:
            self._warned.add(key)
            warnings.warn(
                f"autobp.compile: op(s) {ops} have no compiled form; this step runs eagerly",
                RuntimeWarning,
                stacklevel=4,
            )
        self._leaves = [s.tensor for s in graph.slots if s.kind in ("param", "arg") and s.requires_grad]
        prog = _Program(graph, "", self._eager, (), True)
        self._programs.insert(0, prog)
        self._run = self._eager

    def _eager(self, *args: Any) -> Any:
        """The step run eagerly (the fallback): zero the grads, forward, backward, update."""
        opt = self.optimizer
        if opt is not None:
            opt.zero_grad()
        for p in self._params or self._leaves:
            p._grad = None
        loss = self.fn(*args)
        if loss.requires_grad:
            loss.backward()
        if opt is not None:
            opt.step()
        return loss.item() if self.return_loss else None

    def _build(self, graph: Graph, args: tuple) -> _Program:
        opt = self.optimizer
        if self._packing is None:
            params = self._params
            if params is None:
                params = [p for g in opt.param_groups for p in g["params"]] if opt is not None else None
            if params is None:
                params = [s.tensor for s in graph.slots if s.kind == "param"]
            groups: dict[int, list] = {}
            where = {id(p): gi for gi, g in enumerate(opt.param_groups) for p in g["params"]} if opt else {}
            for p in params:
                groups.setdefault(where.get(id(p), -1), []).append(p)
            self._packing = Packing(sorted(groups.items(), key=lambda kv: kv[0]))
        pk = self._packing
        views = {
            s.k: pk.view[id(s.tensor)] for s in graph.slots if s.kind == "param" and id(s.tensor) in pk.view
        }
        grads = {k: pk.grad_view[id(graph.slots[k].tensor)] for k in views if k in graph.grad_dtype}
        src, ns, given = generate(graph, views, grads, self.return_loss)
        covered = {id(graph.slots[k].tensor) for k in grads}
        opt_lines = optimizers.emit(opt, pk, covered, ns)
        guard = []
        if opt is not None and opt_lines and opt_lines[-1] != "OPT.step()":
            for n, g in enumerate(opt.param_groups):
                keys = optimizers._keys(opt)
                ns[f"HG{n}"], ns[f"H{n}"] = g, tuple(g.get(k) for k in keys)
                ns[f"HK{n}"] = keys
                guard.append(f"    if tuple(map(HG{n}.get, HK{n})) != H{n}: return MISS")
            guard += optimizers.state_guards(pk, ns)
        if opt is not None:
            handed = covered | {id(graph.slots[k].tensor) for k in given}  # .grad set by _give
            stale = [p for g in opt.param_groups for p in g["params"] if id(p) not in handed]
            if stale:
                ns["STALE"] = stale
                opt_lines = ["for p in STALE: p._grad = None"] + opt_lines
        src = src.replace("    #OPTIMIZER\n", "".join(f"    {ln}\n" for ln in opt_lines))
        src = src.replace("    #GUARDS\n", "".join(ln + "\n" for ln in guard))
        ns.update(MISS=MISS, _mode=_mode, GRAD_MODE=graph.grad_mode, _give=_give)
        name = getattr(self.fn, "__name__", "step")
        filename = f"<autobp.compile {name} #{id(self):x}.{len(self._programs)}>"
        linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
        exec(builtins.compile(src, filename, "exec"), ns)
        sig = tuple(
            (s.k, s.tensor.shape, s.tensor._data.dtype) for s in graph.slots if s.kind in ("input", "arg")
        )
        for s in graph.slots:  # the recorded intermediates are not needed any more: free them
            if s.kind == "op":
                s.tensor = None
        graph.edges = graph.reduced = graph.sums = {}
        return _Program(graph, src, ns["_step"], sig, False)


class _Program:
    """One generated step and what it was generated for."""

    def __init__(self, graph: Graph, source: str, fn: Callable, sig: tuple, fallback: bool) -> None:
        self.graph, self.source, self.fn, self.sig, self.fallback = graph, source, fn, sig, fallback

    def changed(self, args: tuple, opt: Any) -> str:
        """What differs between now and when this program was traced, in words."""
        for grp in self.graph.groups:
            if grp.rerun.miss:
                miss, grp.rerun.miss = grp.rerun.miss, ""
                return miss + " (a data-dependent shape)"
        if _mode.enabled is not self.graph.grad_mode:
            return f"grad mode changed from {self.graph.grad_mode} to {_mode.enabled}"
        for k, shape, dtype in self.sig:
            s = self.graph.slots[k]
            t = args[s.index] if s.kind == "arg" else s.tensor
            if isinstance(t, Tensor) and (t.shape != shape or t._data.dtype != dtype):
                what = f"argument {s.index}" if s.kind == "arg" else f"input {s.tensor.name or k}"
                return f"{what} changed from shape {shape} {dtype} to shape {t.shape} {t._data.dtype}"
        if opt is not None:
            return "the optimizer's settings changed"
        return "an input changed"


def compile(
    fn: Callable[..., Tensor] | None = None,
    *,
    params: Any = None,
    optimizer: Any = None,
    strict: bool = False,
    return_loss: bool = True,
) -> Any:
    """Compile a training step: ``step = autobp.compile(loss_fn, optimizer=opt)``, then ``step()``.

    The first call runs ``loss_fn`` eagerly while recording its ops, then generates one straight-line
    Python function for forward, backward and the optimiser's update (SGD, Adam and AdamW inline on
    flat buffers; other optimisers through their ``step()``). Later calls run that function: the
    loss, gradients and weights equal the eager step's bit for bit. Also a decorator,
    ``@autobp.compile`` or ``@autobp.compile(optimizer=opt)``.

    Contract: every call does the same ops; inputs are Tensors created once outside ``loss_fn``
    whose values you change in place or by assignment (``x.data = batch``), or Tensors passed as
    arguments. Ops without an emitted form are called again on each call's values (the public op
    call that made them was recorded), so values ops compute from data (masks, sort orders,
    indices) are recomputed, never baked in. A changed shape, dtype or grad mode (or an op's result
    of another shape: boolean masks) re-traces, or raises ``CompileError`` with ``strict=True``. A
    custom Function, or Python reading a computed value in ``loss_fn`` (``.item()``, ``bool()``:
    data-dependent control flow), runs the step eagerly with a one-time warning (or raises under
    ``strict=True``). Parameters' arrays become views into flat buffers. ``return_loss=False``
    returns None and skips computing what only the loss needs.

    >>> step = autobp.compile(lambda: ((x @ w) ** 2).sum(), optimizer=opt)   # doctest: +SKIP
    >>> step(); print(step.source)                                            # doctest: +SKIP
    """
    if fn is None:
        return functools.partial(
            compile, params=params, optimizer=optimizer, strict=strict, return_loss=return_loss
        )
    return CompiledStep(fn, params, optimizer, strict, return_loss)
