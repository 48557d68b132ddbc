"""How a recorded in-place write rewires the graph (``t[idx] = v``, ``t.add_(x)``, ``r = t[0]; r += 1``).

Tensors are the graph's nodes, so a write that must be recorded makes the written Tensor object a new
node (``become``), whose input is a ``snapshot`` of its former node. Ops made since that read the
object while computing the written value are pointed at the snapshot (``_redirect``), views (also
those made before the base needed grad) and detached tensors follow their base's writes
(``_rebase_views``), and a write into a view made by basic indexing is recorded as a write into its
base (``write_through``). Versions are bumped so that graphs that read an overwritten value refuse to
backward (autobp/_inplace.py).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._graph import next_seq
from .._graph_nodes import move_node
from .._graph_nodes import side as node_side
from .._inplace import bump
from .._tensor_hooks import move_to_snapshot, take_saved
from .._views import index_view
from ..tensor import Tensor, add_view

_SNAPSHOT = ("_data", "requires_grad", "name", "_parents", "_op", "_ctx", "_version", "_written_at", "_same")


def snapshot(t: Tensor) -> Tensor:
    """A Tensor standing for ``t``'s value (and node) as it is now: the input of a recorded in-place
    write (setitem here, the in-place methods in inplace_methods.py), before ``become``."""
    old = Tensor.__new__(Tensor)
    for slot in _SNAPSHOT:
        setattr(old, slot, getattr(t, slot))
    old._grad, old._retains_grad, old._seq, old._source = None, False, t._seq, None
    return old


def become(t: Tensor, new: Tensor, old: Tensor) -> None:
    """A recorded in-place write: ``t`` becomes the node ``new``, made from ``old = snapshot(t)``. Nodes
    made since ``t``'s that ``new`` depends on and that read ``t`` (``y[0] = y[0] * 3``, ``y[:, 0] += 1``)
    read ``old`` from now on, as they did when made; ``t``'s version is bumped first, so other graphs
    that read the old value through this object refuse to backward."""
    _redirect(new, t, old)
    if t._retains_grad is not False:  # hooks registered so far get the gradient of the old value
        move_to_snapshot(t, old)
    if node_side:  # a grad_fn object taken so far keeps describing the old node (_graph_nodes.py)
        move_node(t, old)
    if new._retains_grad is not False:  # saved-tensor hooks packed new's inputs: t is that node now
        take_saved(t, new)
    bump(t)
    t._data, t._parents, t._op, t._ctx = new._data, new._parents, new._op, new._ctx
    t.requires_grad, t._seq, t._same = new.requires_grad, next_seq(), new._same  # after the bump
    _rebase_views(t)


def _rebase_views(t: Tensor) -> None:
    """After a recorded write into ``t``: each live view of ``t`` made by basic indexing is ``t[idx]``
    again, of ``t``'s new node and data, as a numpy or PyTorch view sees its base's writes (its own
    views in turn). Ops that read a view before the write keep its old value and refuse to backward,
    as do those that read ``t`` itself (the version checks)."""
    views, t._views = t._views, None
    for r in views or ():
        v = r()
        if v is None or v._source is not t:
            continue
        if _remade(v) is not None:
            _follow(v, t)
        elif v.__dict__.get("_nograd_how") is not None:
            _follow_data(v, t)


def _follow_data(view: Tensor, base: Tensor) -> None:
    """A view made under no_grad of a tensor that requires grad sees its base's recorded write (its
    data made again from the base's, as PyTorch's view shares memory), without joining the graph:
    used with grad enabled from now on it refuses (_inplace.check_nograd_inputs), as PyTorch's."""
    op, ctx = view._nograd_how
    remake = _REMAKE.get(op)
    if remake is None:
        return
    view._data = remake(base._data, view, ctx)
    add_view(base, view)
    _rebase_views(view)


# How each view op's result is made again from its base's new data (the op and its ctx stay the view's):
# basic indexing, reshape, transpose, broadcast_to, flip, real and imag, the ops that return views.
_REMAKE = {
    "getitem": lambda d, v, ctx: index_view(d, ctx),
    "reshape": lambda d, v, ctx: d.reshape(v._data.shape),
    "transpose": lambda d, v, ctx: np.transpose(d, ctx),
    "broadcast_to": lambda d, v, ctx: np.broadcast_to(d, v._data.shape),
    "flip": lambda d, v, ctx: np.flip(d, ctx),
    "real": lambda d, v, ctx: d.real,
    "imag": lambda d, v, ctx: d.imag,
    "detach": lambda d, v, ctx: d,  # the same data, off the graph (see _follow)
    "diagonal": lambda d, v, ctx: _writeable_diagonal(d, ctx),
    "as_strided": lambda d, v, ctx: _as_strided_remake(d, ctx),
    "view_as_complex": lambda d, v, ctx: _complex_views().complex_view(d),
}
# The view ops that only rearrange their base's elements (each element of the view is one of the
# base's): a recorded write through such a view is a write into the base at those positions.
_REARRANGING = frozenset({"getitem", "reshape", "transpose", "flip", "diagonal"})


def _complex_views() -> Any:
    from .. import _complex_views  # (it imports the ops)

    return _complex_views


def _as_strided_remake(d: Any, ctx: tuple) -> Any:
    from .._as_strided_view import remake  # (it imports the ops)

    return remake(d, ctx)


def _writeable_diagonal(d: Any, ctx: tuple) -> Any:
    """numpy's diagonal of ``d`` (a view of its memory), writeable where ``d`` is (numpy marks it
    read-only only to warn that it is a view; PyTorch's diagonal is a view one writes through)."""
    out = np.diagonal(d, *ctx)
    if d.flags.writeable:
        out.flags.writeable = True
    return out


def view_op(view: Tensor) -> tuple[str, Any] | None:
    """``(op, ctx)`` of the view op that made ``view`` from its base (``_source``): its node's, or for
    a view made without a graph (its base needed no grad) the pair ``link_view`` kept (``("detach",
    None)`` for a detached tensor); None when it is not a view op's result on its base (a view of a
    view's copy, diagonal's gather, a view made under no_grad)."""
    if view._source is None:
        return None
    how = view.__dict__.get("_view_how")
    if how is not None:  # diagonal: its node is a getitem of a transpose of the base (creation.py)
        if view._nograd_view is not None:
            return None
        if view._op is None:
            return None if view.requires_grad else how[:2]
        parents = view._parents
        return how[:2] if parents is not None and len(parents) == 1 and parents[0] is how[2] else None
    if view._op is None:
        return None if view.requires_grad else view._view_op
    parents = view._parents
    if parents is None or len(parents) != 1 or parents[0] is not view._source:
        return None
    return view._op, view._ctx


def _remade(view: Tensor) -> Any:
    """How ``view`` is made again from its base (``_REMAKE``), or None (see ``view_op``)."""
    spec = view_op(view)
    return None if spec is None else _REMAKE.get(spec[0])


def _follow(view: Tensor, base: Tensor, spec: tuple | None = None) -> None:
    """``view`` is made again by its op from ``base``'s current node (``base[index]``, ``base.T``...),
    its version bumped with it, as a PyTorch view sees a write into its base. A view made without a
    graph becomes that op's node here: it now has the written value and a gradient path to it.
    ``spec``: the view's ``(op, ctx)`` when the caller took it before the write."""
    op, ctx = spec or view_op(view)
    if op == "detach":  # the base's new data, still off the graph, as PyTorch's detach() shares storage
        view._version += 1
        view._written_at, view._data = base._written_at, base._data
        add_view(base, view)
        _rebase_views(view)
        return
    if op == "diagonal":
        from .diagonals import diagonal_node  # (diagonals imports this module's users)

        fresh = diagonal_node(base, *ctx)
        view._view_how = (op, ctx, fresh._parents[0] if fresh._parents else None)
    else:
        fresh = Tensor._make(_REMAKE[op](base._data, view, ctx), (base,), op, ctx)
    if view._op is None:
        view.__dict__.pop("_view_op", None)  # a node from now on: its op and ctx say how it is made
    view._version += 1  # the same write, seen through the view: graphs that read the view refuse
    view._written_at = base._written_at
    view._data, view._parents, view._op, view._ctx = fresh._data, fresh._parents, fresh._op, fresh._ctx
    view.requires_grad, view._seq, view._same = fresh.requires_grad, fresh._seq, fresh._same
    add_view(base, view)
    _rebase_views(view)


def _redirect(new: Tensor, t: Tensor, old: Tensor) -> None:
    """Point every input and view-source reference to ``t`` among ``new``'s ancestors made after
    ``t``'s node at ``old`` instead: without it, the write would make ``t`` an input of itself. A view
    of ``t`` that ``new`` read (``x[0, 1] = x.diagonal().sum()``) is replaced there by a snapshot of
    it, read from ``old``: the view itself stays a view of ``t`` and follows the write, as PyTorch's.
    The walk stops at nodes older than ``t``'s, which cannot have read it, so it visits only the nodes
    made since (one loop step's worth in ``buf[i] = f(buf[i - 1])``)."""
    since, seen, stack = t._seq, set(), [new]
    stand_ins = {id(t): old}
    while stack:
        n = stack.pop()
        parents = n._parents
        if parents is None or id(n) in seen:
            continue
        seen.add(id(n))
        if any(id(p) in stand_ins or p._source is t for p in parents):
            n._parents = parents = tuple(_stand_in(p, t, stand_ins) for p in parents)
        if n._source is t:
            n._source = old
        stack.extend(p for p in parents if p._seq > since)


def _stand_in(p: Tensor, t: Tensor, stand_ins: dict) -> Tensor:
    """What a node that read ``p`` reads after a write into ``t``: ``old`` for ``t``, a snapshot for a
    view of ``t`` (its own inputs redirected in turn when the walk reaches it), else ``p``."""
    s = stand_ins.get(id(p))
    if s is None:
        if p._source is not t or p._op is None:
            return p
        s = stand_ins[id(p)] = snapshot(p)
    return s


def is_index_view(t: Tensor) -> bool:
    """Is ``t`` a view made by basic indexing of the tensor it shares memory with (``t = base[0]``)?"""
    spec = view_op(t)
    return spec is not None and spec[0] == "getitem"


def writes_through(t: Tensor) -> bool:
    """Is ``t`` a view whose recorded writes go into its base: one made by an op that only rearranges
    the base's elements (basic indexing, reshape/view, transpose/permute/.T, flip, diagonal)?"""
    spec = view_op(t)
    return spec is not None and spec[0] in _REARRANGING


def write_through(view: Tensor, new: Tensor, old: Tensor, what: str) -> None:
    """A recorded write of ``new`` (made from ``old = snapshot(view)``) into a view of ``base``: for
    ``view = base[idx]`` recorded as ``base[idx] = new`` (through the base's own base, if it is a view
    too); for a view that rearranges the base's elements (reshape/view, transpose, flip, diagonal) as
    ``base[where] = new`` at the positions it shows; after which ``view`` is made again from the new
    base, as a PyTorch view sees writes made through it, and the base's gradient flows to ``new``.
    Other views (expand, real/imag, detach, views of copies) refuse."""
    base = view._source
    spec = view_op(view)
    if spec is None or spec[0] not in _REARRANGING:
        made_by = (spec or (view._op or "detach",))[0]
        _leaf_check(view, base, made_by, what)
        raise RuntimeError(
            f"{what} on a view of another tensor (shape {view.shape}, made by {made_by}) "
            "cannot be recorded (the base would not see the write); write into the base, or into a copy"
        )
    if spec[0] != "getitem":
        _leaf_check(view, base, spec[0], what)
    _redirect(new, view, old)  # the value's ops that read the view read its old node (as in become)
    from .scatter import _setitem  # (scatter imports this module)

    if spec[0] == "getitem":
        _setitem(base, spec[1], new)  # base becomes index_put(its old node, idx, new), version bumped
        if not view._parents or view._parents[0] is not base or view._seq < base._seq:
            _follow(view, base)  # not among base's views (made otherwise than by t[idx]): follow it here
        return
    # a rearranging view (x.T, x.view(...), x.diagonal()): the base's elements it shows are found by
    # making the same view of the base's element numbers; the base becomes index_put(old, them, new)
    grid = np.arange(base._data.size).reshape(base._data.shape)
    where = np.unravel_index(np.asarray(_REMAKE[spec[0]](grid, view, spec[1])), base._data.shape)
    _setitem(base, where, new)
    if view._seq < base._seq:  # not remade by the base's write (its node was among the value's inputs)
        _follow(view, base, spec)


def _leaf_check(view: Tensor, base: Tensor, made_by: str, what: str) -> None:
    root = base
    while root._source is not None:
        root = root._source
    if root._op is None and root.requires_grad:  # PyTorch's words for this case
        from .._inplace import LeafInplaceError

        raise LeafInplaceError(
            f"{what}: a view of a leaf Variable that requires grad is being used in an in-place "
            f"operation (a view of shape {view.shape}, made by {made_by}, of a leaf of "
            f"shape {root.shape}); write into a copy, or under no_grad()"
        )
