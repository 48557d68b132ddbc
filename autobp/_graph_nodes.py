"""``Tensor.grad_fn`` as a node object (PyTorch's ``torch.autograd.graph.Node``): ``name()``,
``next_functions``, ``register_hook``, ``register_prehook``, ``metadata``.

autobp's Tensor is its own graph node (``_parents``, ``_op``), so a grad_fn object is a thin handle
on the tensor, made on first access (never by the ops) and cached weakly on the tensor: the same
object comes back while anyone holds it. What must outlive the handle lives with the tensor: its
hooks in the tensor's GradHooks (``pre``, ``npost``; _tensor_hooks.py), its metadata dict and class
in ``side`` (keyed by the tensor's id, dropped when the tensor dies; not in the tensor's ``__dict__``,
which pickle and deepcopy copy). A leaf that requires grad appears in ``next_functions`` as an
``AccumulateGrad`` node whose ``variable`` is the leaf; its hooks live on the leaf the same way.

Hooks, as PyTorch runs them: a tensor's own hooks (``Tensor.register_hook``) first, then
``retain_grad`` stores the gradient, then the grad_fn's pre-hooks (called with the tuple of output
gradients, may return a replacement tuple), then the rule, then the post-hooks (called with
``(grad_inputs, grad_outputs)``, may return replacement ``grad_inputs``). A leaf's AccumulateGrad
runs in ``backward`` (not in ``autobp.grad``): pre-hooks, accumulation into ``.grad``,
post-accumulate hooks, post-hooks with ``grad_inputs == ()``.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

import numpy as np

from ._broadcast import unbroadcast
from ._graph import set_mode
from ._tensor_hooks import RemovableHandle, _add

_CLASSES: dict = {}  # op name -> its Node subclass ("mul" -> MulBackward0)
# x * 2.0, x + 2.0, x - 2.0, x / 2.0 record one input (the number is in the node's ctx); PyTorch's node
# has the number as a second input that needs no gradient: next_functions and grad_inputs show it (None)
_NUMBER_SECOND = frozenset({"mul_scalar", "add_scalar", "sub_scalar", "div_scalar"})
_NAMES = {"rsub_scalar": "RsubBackward1"}  # c - x: PyTorch's overload number


def _class_for(t: Any) -> type:
    op = t._op
    if op == "function":  # a custom Function: PyTorch names the node after the class
        from .graph import function_name

        name = f"{function_name(op, t._ctx) or 'Function'}Backward"
    elif op in _NAMES:
        name = _NAMES[op]
    else:  # x * 2.0 records "mul_scalar" (the number is no input): PyTorch's node is MulBackward0
        base = op[: -len("_scalar")] if op.endswith("_scalar") else op
        name = "".join(part[:1].upper() + part[1:] for part in base.split("_")) + "Backward0"
    cls = _CLASSES.get(name)
    if cls is None:
        cls = _CLASSES[name] = type(name, (Node,), {"__slots__": (), "__module__": __name__})
    return cls


def node_of(t: Any) -> Node | None:
    """``t.grad_fn``: None for a leaf (and a tensor that does not require grad), else its Node."""
    if t._op is None:
        return None
    return _cached(t, Node)


def accumulator_of(t: Any) -> AccumulateGrad:
    """The AccumulateGrad node of leaf ``t`` (as ``next_functions`` lists it)."""
    return _cached(t, AccumulateGrad)


class _Side:
    """What a tensor's node keeps beyond the node object: a weak reference to that object, its
    metadata dict, its class (a custom Function's name is read from a ctx that backward frees)."""

    __slots__ = ("owner", "node", "meta", "cls")

    def __init__(self, t: Any) -> None:
        key = id(t)
        self.owner = weakref.ref(t, lambda _r: side.pop(key, None))
        self.node: Any = None
        self.meta: dict | None = None
        self.cls: type | None = None


side: dict = {}  # id(tensor) -> _Side, for tensors whose grad_fn (or AccumulateGrad) was taken


def _side_of(t: Any) -> _Side:
    entry = side.get(id(t))
    if entry is None or entry.owner() is not t:
        entry = side[id(t)] = _Side(t)
    return entry


def move_node(t: Any, old: Any) -> None:
    """A recorded in-place write made ``old`` the node ``t`` was: a grad_fn object taken before keeps
    describing it (as PyTorch's), with its metadata and class; ``t`` gets a new one when asked."""
    entry = side.get(id(t))
    if entry is None or entry.owner() is not t:
        return
    del side[id(t)]
    new = _side_of(old)
    new.node, new.meta, new.cls = entry.node, entry.meta, entry.cls
    node = entry.node() if entry.node is not None else None
    if node is not None:
        node._t = old


def _cached(t: Any, kind: type) -> Any:
    entry = _side_of(t)
    node = entry.node() if entry.node is not None else None
    if node is None or isinstance(node, AccumulateGrad) is not (kind is AccumulateGrad):
        if kind is AccumulateGrad:
            node = AccumulateGrad(t)
        else:
            if entry.cls is None:
                entry.cls = _class_for(t)
            node = entry.cls(t)
        entry.node = weakref.ref(node)
    return node


class Node:
    """A node of the backward graph: the function that computes the gradients of one recorded op's
    inputs from its output's gradient (PyTorch's ``grad_fn``). ``op`` is autobp's rule name."""

    __slots__ = ("_t", "__weakref__")

    def __init__(self, t: Any) -> None:
        self._t = t

    @property
    def op(self) -> str | None:
        """autobp's name of the op (its derivative rule: ``"mul"``, ``"matmul"``...)."""
        return self._t._op

    def name(self) -> str:
        """PyTorch-style name: the op in CamelCase + ``Backward0`` (``MulBackward0``); a custom
        Function's node is ``<ClassName>Backward``."""
        return type(self).__name__

    @property
    def requires_grad(self) -> bool:
        """True: a node exists only for a tensor that requires grad."""
        return True

    @property
    def next_functions(self) -> tuple:
        """One ``(node, 0)`` pair per input of the op: its grad_fn, an AccumulateGrad node for a leaf
        that requires grad, ``(None, 0)`` for an input that does not."""
        parents = self._t._parents
        if parents is None:
            raise RuntimeError(
                f"next_functions: the graph behind this {self.name()} node was freed by backward(); "
                "call backward(retain_graph=True) to inspect it afterwards"
            )
        out = []
        for p in parents:
            if not p.requires_grad:
                out.append((None, 0))
            elif p._op is None:
                out.append((accumulator_of(p), 0))
            else:
                out.append((node_of(p), 0))
        if self._t._op in _NUMBER_SECOND:
            out.append((None, 0))
        return tuple(out)

    @property
    def metadata(self) -> dict:
        """A dict for the user's own data, kept as long as the node (PyTorch's ``Node.metadata``)."""
        entry = _side_of(self._t)
        if entry.meta is None:
            entry.meta = {}
        return entry.meta

    def register_prehook(self, fn: Callable[[tuple], Any]) -> RemovableHandle:
        """Call ``fn(grad_outputs)`` (a tuple of Tensors) before this node runs; a tuple it returns
        replaces the gradients (None keeps them). Returns a handle whose ``remove()`` unregisters it."""
        _check_callable(fn, "register_prehook")
        return _add(self._t, "pre", fn)

    def register_hook(self, fn: Callable[[tuple, tuple], Any]) -> RemovableHandle:
        """Call ``fn(grad_inputs, grad_outputs)`` after this node has computed its inputs' gradients
        (None for an input that does not require grad); a tuple it returns replaces ``grad_inputs``.
        Returns a handle whose ``remove()`` unregisters it."""
        _check_callable(fn, "register_hook")
        return _add(self._t, "npost", fn)

    def __call__(self, *grad_outputs: Any) -> Any:
        """Run this node alone (PyTorch's ``grad_fn(grad_output)``): the gradients of the op's inputs
        for the given gradient of its output, one per ``next_functions`` entry (None where an input
        does not require grad), a single one unpaired; recorded when grad mode is on."""
        if len(grad_outputs) != 1:
            raise TypeError(f"expected 1 arguments, got {len(grad_outputs)} instead")
        from .rules import RULES

        t = self._t
        parents = t._parents
        if parents is None:
            raise RuntimeError(f"{self.name()}: its graph was freed by backward() (use retain_graph=True)")
        cls = type(t)
        g = grad_outputs[0]
        g = g if isinstance(g, cls) else cls._const(np.asarray(g, dtype=t._data.dtype))
        if g.shape != t.shape:
            raise RuntimeError(f"{self.name()}: the gradient has shape {g.shape}, the output {t.shape}")
        need = tuple(p.requires_grad for p in parents)
        grads = RULES[t._op](cls._graph_ops(), g, t, parents, t._ctx, need)
        # as PyTorch's node: before the engine sums a broadcast input's gradient down to its shape
        out = [None if pg is None or not p.requires_grad else pg for p, pg in zip(parents, grads)]
        if t._op in _NUMBER_SECOND:
            out.append(None)
        return out[0] if len(out) == 1 else tuple(out)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):  # autobp's former grad_fn was the op's name: keep comparing to it
            return self._t._op == other
        return type(other) is type(self) and other._t is self._t  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(id(self._t))

    def __repr__(self) -> str:
        return f"<{self.name()} object (op {self.op!r})>"


class AccumulateGrad(Node):
    """The node that adds a leaf's gradient into its ``.grad`` (``variable`` is the leaf)."""

    __slots__ = ()

    @property
    def variable(self) -> Any:
        """The leaf tensor whose ``.grad`` this node fills."""
        return self._t

    @property
    def op(self) -> None:
        """None: a leaf runs no rule."""
        return None

    def name(self) -> str:
        """PyTorch's name for it: ``torch::autograd::AccumulateGrad``."""
        return "torch::autograd::AccumulateGrad"

    @property
    def next_functions(self) -> tuple:
        """Empty: nothing lies upstream of a leaf."""
        return ()

    def __eq__(self, other: object) -> bool:
        return type(other) is AccumulateGrad and other._t is self._t  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        return f"<AccumulateGrad object (a leaf of shape {self._t.shape})>"

    def __hash__(self) -> int:
        return hash(("acc", id(self._t)))


def _check_callable(fn: Any, who: str) -> None:
    if not callable(fn):
        raise TypeError(f"{who}: the hook must be callable, got {type(fn).__name__}")


# --- running the hooks (called by the engine and Tensor._receive_grads) -----------------------------
def _name(fn: Any) -> str:
    return getattr(fn, "__name__", type(fn).__name__)


def _as_tuple(fn: Any, out: Any, n: int) -> tuple:
    if not isinstance(out, tuple):
        raise TypeError(f"expected tuple, but hook returned '{type(out).__name__}'")
    if len(out) != n:
        raise RuntimeError(
            f"hook '{_name(fn)}' has returned an incorrect number of values "
            f"(got {len(out)}, but expected {n})"
        )
    return out


def _back(fn: Any, new: Any, like: Any, cls: type) -> Any:
    """A hook's gradient as the pass's kind (ndarray, or Tensor under create_graph), of ``like``'s shape."""
    if isinstance(like, cls):
        new = new if isinstance(new, cls) else cls._const(np.asarray(new))
    else:
        new = np.asarray(new._data if isinstance(new, cls) else new)
    if like is not None and new.shape != like.shape:
        raise RuntimeError(
            f"hook '{_name(fn)}' has changed the size of value (was {like.shape}, got {new.shape})"
        )
    return new


def _call_all(t: Any, fns: dict, args: Callable, n: int, current: tuple) -> tuple:
    """Call each hook of ``fns`` with ``args(current)``; a non-None return (checked) becomes ``current``."""
    cls = type(t)
    graph = any(isinstance(x, cls) for x in current)
    mode = set_mode(graph)  # as in PyTorch: no graph is recorded unless the pass has create_graph
    try:
        for fn in list(fns.values()):
            wrapped = tuple(x if x is None or isinstance(x, cls) else cls._const(x) for x in current)
            out = fn(*args(wrapped))
            if out is not None:
                out = _as_tuple(fn, out, n)
                current = tuple(None if o is None else _back(fn, o, c, cls) for o, c in zip(out, current))
    finally:
        set_mode(mode)
    return current


def run_pre(t: Any, hooks: Any, g: Any, delivered: set) -> Any:
    """``g`` after ``t``'s grad_fn (or AccumulateGrad) pre-hooks."""
    (new,) = _call_all(t, hooks.pre, lambda gs: (gs,), 1, (g,))
    if new is None:
        new = np.zeros_like(t._data) if not isinstance(g, type(t)) else g * 0
    if new is not g:
        delivered.add(id(new))
    return new


def run_post(t: Any, hooks: Any, g: Any, pgs: Any, parents: tuple) -> list:
    """The gradients of ``t``'s inputs after its grad_fn post-hooks (``grad_inputs``: None for an
    input that does not require grad, each of its input's shape)."""
    cls = type(t)
    gi = []
    for p, pg in zip(parents, pgs):
        if pg is None or not p.requires_grad:
            gi.append(None)
            continue
        if pg.shape != p._data.shape:
            pg = unbroadcast(pg, p._data.shape)
        gi.append(pg)
    n = len(gi)
    if t._op in _NUMBER_SECOND:
        gi.append(None)
    go = (g if isinstance(g, cls) or g is None else cls._const(g),)
    gis = _call_all(t, hooks.npost, lambda cur: (cur, go), len(gi), tuple(gi))
    return list(gis[:n])


def run_accumulate(t: Any, hooks: Any, g: Any, delivered: set, receive: Callable) -> None:
    """A hooked leaf's AccumulateGrad in ``backward``: pre-hooks, ``receive`` (``Tensor._receive_grads``,
    which adds into .grad), post-accumulate hooks, post-hooks (``grad_inputs`` is empty)."""
    if hooks.pre:
        g = run_pre(t, hooks, g, delivered)
    fresh = t._grad is None
    receive(((t, g),), delivered, False, False)
    if hooks.post:
        hooks.run_post(t)
    if hooks.npost:
        cls = type(t)
        if fresh and t._grad is not None:  # .grad took this gradient (PyTorch's AccumulateGrad steals it):
            g = t._grad  # the hooks see it as it is now, after any post-accumulate hook's in-place change
        go = (g if isinstance(g, cls) else cls._const(g),)
        mode = set_mode(isinstance(g, cls))
        try:
            for fn in list(hooks.npost.values()):
                out = fn((), go)
                if out is not None:
                    _as_tuple(fn, out, 0)
        finally:
            set_mode(mode)


def run_unexecuted(t: Any, hooks: Any, g: Any) -> None:
    """``backward(inputs=[t])`` with non-leaf ``t``: PyTorch still calls its grad_fn's pre-hooks and
    post-hooks (with every ``grad_inputs`` None), though the node computes nothing."""
    if hooks.pre:
        g = run_pre(t, hooks, g, set())
    if hooks.npost and t._parents:
        run_post(t, hooks, g, [None] * len(t._parents), t._parents)
