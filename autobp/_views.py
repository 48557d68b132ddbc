"""Views: a view op's result linked to the tensor whose memory it shares (``_source``) and listed
(weakly) among that tensor's views, so that version checks and recorded writes reach both
(ops/recorded_writes.py), as PyTorch's views share their base's version counter and see its writes."""

from __future__ import annotations

from typing import Any
from weakref import ref

import numpy as np

from ._graph import _mode
from ._inplace import mark_nograd_view


def _view(out: Any, base: Any, op: str | None = None, ctx: Any = None) -> Any:
    """Link a view op's result to the tensor whose memory it shares, so that in-place writes
    through either are seen by the version checks of both (as PyTorch's views share a counter);
    and list it on its base, so that it follows the base's recorded writes
    (ops/recorded_writes.py: ``_rebase_views``), as a PyTorch view sees them. ``op`` and ``ctx``: the
    view op's node, kept for a view made without a graph (see ``link_view``)."""
    data = out._data
    if np.may_share_memory(data, base._data) or (data.size == 0 and _same_block(data, base._data)):
        link_view(out, base, op, ctx)
    return out


def _same_block(a: Any, b: Any) -> bool:
    """Do ``a`` and ``b`` (an empty one among them, which numpy says shares no memory) come from
    one array (PyTorch's empty views are views)?"""
    while getattr(a, "base", None) is not None:  # (as_strided's arrays have a non-array base)
        a = a.base
    while getattr(b, "base", None) is not None:
        b = b.base
    return a is b


def link_view(out: Any, base: Any, op: str | None = None, ctx: Any = None) -> None:
    """``out`` shares ``base``'s memory: its source, listed among base's views, and marked when made
    with grad off from a tensor that requires grad (a write through it is then refused, as PyTorch's).
    Made with grad on but without a graph (``base`` needs no grad), it keeps ``(op, ctx)``, so that a
    recorded write of a value requiring grad into ``base`` (or through it) remakes it as a node of
    ``base``'s new one, with the new value and a gradient path, as a PyTorch view."""
    out._source = base
    add_view(base, out)
    if base._nograd_view is not None or (base.requires_grad and not _mode.enabled):
        mark_nograd_view(out, base, (op, ctx))
    elif op is not None and out._op is None and _mode.enabled:
        out._view_op = (op, ctx)


def add_view(base: Any, view: Any) -> None:
    """List ``view`` (weakly) among ``base``'s views."""
    views = base._views
    if views is None:
        base._views = [ref(view)]
    else:
        views.append(ref(view))
        if not len(views) % 64:  # drop the dead ones now and then (a long-lived x read as x[i])
            views[:] = [r for r in views if r() is not None]


def index_view(data: Any, index: tuple) -> Any:
    """``data[index]``; where that is one element, a 0-d view of it rather than numpy's scalar (a copy),
    so that it sees writes into ``data`` and writes through it reach ``data``, as a PyTorch view's do."""
    out = data[index]
    if type(out) is not np.ndarray and type(data) is np.ndarray:
        out = data[index + (Ellipsis,)]
    return out


def tensor_getstate(self: Any) -> tuple:
    """Tensor's pickled state without its list of views (weak references, which cannot be pickled;
    the views themselves are not part of the pickle), so a tensor that was viewed can be saved."""
    slots = {}
    for cls in type(self).__mro__:
        for name in getattr(cls, "__slots__", ()):
            if name not in ("__dict__", "__weakref__") and name not in slots and hasattr(self, name):
                slots[name] = getattr(self, name)
    state = {k: v for k, v in getattr(self, "__dict__", {}).items() if k != "_views"}
    return (state or None, slots)
