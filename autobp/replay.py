"""Trace and replay: record one step's Tensor ops once, then rerun them as a flat list of
numpy calls and derivative rules, with no Tensor nodes, heap or dict per step.

Opt-in, for small static networks where per-op overhead dominates (the 1986 nets).
Valid when every call does the same ops on the same shapes: no data-dependent control
flow, no conditions computed from data (a ``where`` condition or an index is replayed as
recorded), and inputs that are Tensors created once outside the function whose values
you change in place (``x.data[...] = batch``) or by assignment (``x.data = batch``).
The gradients equal eager ones bit for bit (tests/test_replay.py); one exception: numpy's
``sum``/``prod`` with ``initial=`` or ``where=`` replay their composition, which may differ from
numpy's own value, which eager returns, in the last bits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ._broadcast import unbroadcast
from ._graph import hooks
from ._kernels import KERNELS, sigmoid_into
from ._numpy_ops import NumpyOps, scatter_add
from .rules import RULES
from .tensor import Tensor

# ops whose forward is one numpy call on the inputs (and whose ctx never changes)
PLAIN: dict[str, Callable] = {
    "add": np.add,
    "sub": np.subtract,
    "mul": np.multiply,
    "div": np.true_divide,
    "pow": np.power,
    "neg": np.negative,
    "exp": np.exp,
    "log": np.log,
    "tanh": np.tanh,
    "sqrt": np.sqrt,
    "abs": np.abs,
    "matmul": np.matmul,
}
# the others: forward(xs, ctx, recorded output) -> (out, ctx for the rule)
FORWARD: dict[str, Callable] = {
    "pow_scalar": lambda xs, ctx, like: (xs[0] ** ctx, ctx),
    "add_scalar": lambda xs, ctx, like: (xs[0] + ctx, ctx),  # ctx: the Python number c
    "sub_scalar": lambda xs, ctx, like: (xs[0] - ctx, ctx),
    "rsub_scalar": lambda xs, ctx, like: (ctx - xs[0], ctx),
    "mul_scalar": lambda xs, ctx, like: (xs[0] * ctx, ctx),
    "div_scalar": lambda xs, ctx, like: (xs[0] / ctx, ctx),
    "rdiv_scalar": lambda xs, ctx, like: (ctx / xs[0], ctx),
    "relu": lambda xs, ctx, like: (np.maximum(xs[0], 0), ctx),
    "sum": lambda xs, ctx, like: (xs[0].sum(axis=ctx[0], keepdims=ctx[1] is None), ctx),
    "reshape": lambda xs, ctx, like: (xs[0].reshape(like.shape), ctx),
    "transpose": lambda xs, ctx, like: (np.transpose(xs[0], ctx), ctx),
    "broadcast_to": lambda xs, ctx, like: (np.broadcast_to(xs[0], like.shape), ctx),
    "astype": lambda xs, ctx, like: (xs[0].astype(like.dtype), ctx),
    "getitem": lambda xs, ctx, like: (xs[0][ctx], ctx),
    "scatter_add": lambda xs, ctx, like: (scatter_add(xs[0], ctx[0], ctx[1]), ctx),
    "concatenate": lambda xs, ctx, like: (np.concatenate(xs, axis=ctx[0]), ctx),
    "stack": lambda xs, ctx, like: (np.stack(xs, axis=ctx), ctx),
    "where": lambda xs, ctx, like: (np.where(ctx, xs[0], xs[1]), ctx),
}
for _op, _kernel in KERNELS.items():
    FORWARD[_op] = lambda xs, ctx, like, k=_kernel: k(xs, ctx)
# how a forward step runs: a one- or two-input ufunc writing into its buffer, the sigmoid kernel
# writing into its buffer, a ufunc allocating its result (non-float outputs), or a FORWARD function
_UNARY_INTO, _BINARY_INTO, _SIGMOID_INTO, _PLAIN, _OTHER = range(5)


class ReplayError(RuntimeError):
    """The traced function cannot be replayed, or its inputs changed shape."""


class Trace:
    """``Trace(loss_fn)``: calling it runs forward and backward of ``loss_fn()`` and adds the
    gradients into ``.grad`` of the leaves, as ``loss_fn().backward()`` would; returns the loss.

    The first call records the ops (running ``loss_fn`` once); later calls replay them.
    """

    def __init__(self, fn: Callable[[], Tensor]) -> None:
        self.fn = fn
        self._program: _Program | None = None

    def __call__(self) -> Tensor:
        if self._program is None:
            self._program = _record(self.fn)
        return self._program.run()


def trace(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """``autobp.trace(loss_fn)``: wrap a zero-argument loss function for trace-and-replay (see the
    module docstring). Given an array instead of a function it is numpy's (and PyTorch's) matrix
    trace, ``autobp.ops.trace``: the sum along a diagonal."""
    if callable(fn) and not isinstance(fn, (Tensor, np.ndarray)):
        if args or kwargs:
            raise TypeError("trace(loss_fn) takes the function alone")
        return Trace(fn)
    from ._plain import plain
    from .ops.diagonals import trace as matrix_trace

    return plain(matrix_trace, "trace")(fn, *args, **kwargs)  # of arrays alone: numpy's scalar


def _record(fn: Callable[[], Tensor]) -> _Program:
    tape: list = []
    previous = hooks.on_make

    def record(t: Tensor, op: str, parents: tuple) -> None:
        tape.append((t, op, parents))
        if previous is not None:
            previous(t, op, parents)

    hooks.on_make = record
    try:
        root = fn()
    finally:
        hooks.on_make = previous
    if not isinstance(root, Tensor) or root.size != 1 or not root.requires_grad:
        raise ReplayError(
            "trace: the function must return a one-element Tensor that requires grad, got "
            f"{type(root).__name__}" + (f" of shape {root.shape}" if isinstance(root, Tensor) else "")
        )
    return _Program(tape, root)


class _Program:
    """The recorded step as numbered slots: leaves (read from their Tensors on every run) and ops.

    Ops whose forward is one ufunc (and the sigmoid kernel) write into a buffer of their own,
    allocated once and reused by every run; the rules' gradients are fresh arrays, as in eager mode.
    """

    def __init__(self, tape: list, root: Tensor) -> None:
        made = {id(t): k for k, (t, _, _) in enumerate(tape)}
        needed = {id(root)}
        for t, _, parents in reversed(tape):  # keep only the ops the loss depends on
            if id(t) in needed:
                needed.update(id(p) for p in parents)
        slot: dict[int, int] = {}
        self.leaves: list[tuple[int, Tensor]] = []  # (slot, tensor)
        self.forward: list[tuple] = []  # (slot, kind, fn, input slots, ctx, recorded output, buffer)
        self.backward: list[tuple] = []  # (slot, rule, input slots, need), in reverse order
        buffers = []
        for t, op, parents in tape:
            if id(t) not in needed:
                continue
            if op not in FORWARD and op not in PLAIN:
                raise ReplayError(f"trace: op {op!r} cannot be replayed; run this step eagerly")
            for p in parents:
                if id(p) not in slot and id(p) not in made:
                    slot[id(p)] = len(slot)
                    self.leaves.append((slot[id(p)], p))
            slot[id(t)] = k = len(slot)
            ps = tuple(slot[id(p)] for p in parents)
            buf = None
            if (op in PLAIN or op == "sigmoid") and t._data.dtype.kind == "f":
                buf = np.empty_like(t._data)
                buffers.append(buf)
                if op == "sigmoid":
                    kind, fn = _SIGMOID_INTO, sigmoid_into
                else:
                    kind, fn = (_UNARY_INTO if len(ps) == 1 else _BINARY_INTO), PLAIN[op]
            else:
                kind, fn = (_PLAIN, PLAIN[op]) if op in PLAIN else (_OTHER, FORWARD[op])
            self.forward.append((k, kind, fn, ps, t._ctx, t, buf))
            if t.requires_grad:
                self.backward.append((k, RULES[op], ps, tuple(p.requires_grad for p in parents)))
        self.backward.reverse()
        self.n = len(slot)
        self.root = slot[id(root)]
        self.shapes = [None] * self.n
        for k, p in self.leaves:
            self.shapes[k] = p.shape
        for k, *_, t, _ in self.forward:
            self.shapes[k] = t.shape
        self.seed = np.ones(self.shapes[self.root], root.dtype)
        # arrays this program reuses on every run: never handed out as a .grad without a copy
        self.owned = {id(b) for b in buffers} | {id(self.seed)}

    def run(self) -> Tensor:
        vals: list = [None] * self.n
        ctxs: list = [None] * self.n
        for k, leaf in self.leaves:
            if leaf._data.shape != self.shapes[k]:
                raise ReplayError(
                    f"replay: an input changed shape from {self.shapes[k]} to {leaf.shape}; trace again"
                )
            vals[k] = leaf._data
        for k, kind, fn, ps, ctx, like, buf in self.forward:
            ctxs[k] = ctx
            if kind == _BINARY_INTO:
                vals[k] = fn(vals[ps[0]], vals[ps[1]], out=buf)
            elif kind == _UNARY_INTO:
                vals[k] = fn(vals[ps[0]], out=buf)
            elif kind == _SIGMOID_INTO:
                vals[k] = fn(vals[ps[0]], buf)
            elif kind == _PLAIN:
                vals[k] = fn(*_gather(vals, ps))
            else:
                vals[k], ctxs[k] = fn(_gather(vals, ps), ctx, like)
        grads: list = [None] * self.n
        grads[self.root] = self.seed
        shapes = self.shapes
        for k, rule, ps, need in self.backward:
            g = grads[k]
            if g is None:
                continue
            pgs = rule(NumpyOps, g, vals[k], _gather(vals, ps), ctxs[k], need)
            for p, pg, n in zip(ps, pgs, need):
                if pg is None or not n:
                    continue
                if pg.shape != shapes[p]:
                    pg = unbroadcast(pg, shapes[p])
                prev = grads[p]
                grads[p] = pg if prev is None else prev + pg
        delivered: set = set(self.owned)  # ids _receive_grad copies instead of keeping
        for k, leaf in self.leaves:
            if leaf.requires_grad and grads[k] is not None:
                leaf._receive_grad(grads[k], delivered)
        return Tensor._const(np.array(vals[self.root]))  # a copy: the buffer is reused next run


def _gather(vals: list, slots: tuple) -> tuple:
    """The values in ``slots``; one- and two-input ops (nearly all) without building a list."""
    n = len(slots)
    if n == 1:
        return (vals[slots[0]],)
    if n == 2:
        return (vals[slots[0]], vals[slots[1]])
    return tuple([vals[k] for k in slots])
