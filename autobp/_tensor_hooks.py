"""``Tensor.register_hook``: functions called with a tensor's gradient during backward, which may
replace it (PyTorch's tensor hooks). A tensor's hooks live in its ``_retains_grad`` slot, which the
backward loop already tests at every node, so a pass over tensors without hooks costs nothing more.

``_retains_grad`` is False, True (``retain_grad()`` alone) or a ``GradHooks`` (hooks, and whether
the tensor also retains its gradient). A non-leaf's hooks run when its gradient is complete, before
the gradient flows on to its inputs and before ``retain_grad`` stores it; a leaf's run on the pass's
gradient before it is added into ``.grad``. ``autobp.grad`` returns the hooked gradients. As in
PyTorch, a hook receives the gradient as a Tensor (with no graph, and run under no_grad, unless the
pass has ``create_graph=True``) and may return a Tensor or an array.

A leaf's post-accumulate hooks (``register_post_accumulate_grad_hook``) live in the same object and
are called with the tensor itself once the pass's gradient has been added into its ``.grad`` (by
``backward``, with or without ``inputs=``; not by ``autobp.grad``, which fills no ``.grad``).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

import numpy as np

from ._graph import hooks as _hooks
from ._graph import set_mode


class GradHooks:
    """The hooks of one tensor, in registration order, and whether it also retains its gradient."""

    __slots__ = ("fns", "retains", "next_key", "post", "pre", "npost", "saved", "counted", "__weakref__")

    def __init__(self, retains: bool) -> None:
        self.fns: dict = {}  # key -> hook; a dict keeps the order and removes by key
        self.retains = retains
        self.next_key = 0
        self.post: dict = {}  # key -> post-accumulate hook (leaves only)
        self.pre: dict = {}  # key -> grad_fn pre-hook (``grad_fn.register_prehook``, _graph_nodes.py)
        self.npost: dict = {}  # key -> grad_fn post-hook (``grad_fn.register_hook``)
        self.saved: Any = None  # saved-tensor hooks' packed inputs (_saved_hooks.py)
        self.counted = False  # counted in ``hooks.general`` (see recount)

    def recount(self) -> None:
        """Keep ``hooks.general`` (the number of nodes whose backward needs the general loop: grad_fn
        post-hooks, saved-tensor hooks) right after a change of ``npost`` or ``saved``."""
        want = bool(self.npost) or self.saved is not None
        if want is not self.counted:
            self.counted = want
            _hooks.general += 1 if want else -1

    def __del__(self) -> None:
        if self.counted:
            try:
                _hooks.general -= 1
            except (AttributeError, TypeError):  # interpreter shutdown: module globals already gone
                pass

    def empty(self) -> bool:
        """No hook of any kind is left (the tensor's flag can go back to a plain bool)."""
        return not (self.fns or self.post or self.pre or self.npost) and self.saved is None

    def run(self, t: Any, g: Any) -> Any:
        """``g`` after every hook: each gets the gradient the previous one returned (None keeps it),
        as a Tensor; an ndarray ``g`` (a pass without create_graph) comes back an ndarray."""
        if not self.fns:
            return g
        cls = type(t)
        if isinstance(g, cls):  # create_graph: the gradients are Tensors, and hooks may record
            for fn in list(self.fns.values()):  # a hook may remove itself (or others) while running
                new = fn(g)
                if new is not None:
                    g = _checked(t, fn, g, new)
            return g
        mode = set_mode(False)  # as in PyTorch, what a hook computes records no graph
        try:
            for fn in list(self.fns.values()):
                new = fn(cls._const(g))
                if new is not None and not (isinstance(new, cls) and new._data is g):
                    g = _checked(t, fn, g, new)
        finally:
            set_mode(mode)
        return g

    def run_post(self, t: Any) -> None:
        """Call the post-accumulate hooks with ``t`` (its ``.grad`` now holds this pass's sum)."""
        mode = set_mode(type(t._grad) is type(t))  # grad mode on only in a create_graph pass
        try:
            for fn in list(self.post.values()):
                out = fn(t)
                if out is not None:
                    name = getattr(fn, "__name__", type(fn).__name__)
                    raise RuntimeError(
                        f"Tensor post accumulate grad hooks should return None (hook {name!r} "
                        f"returned a {type(out).__name__})"
                    )
        finally:
            set_mode(mode)


class RemovableHandle:
    """What ``register_hook`` returns: ``remove()`` unregisters the hook (again: does nothing)."""

    __slots__ = ("_tensor", "_hooks", "_key")

    def __init__(self, t: Any, hooks: GradHooks, key: int) -> None:
        self._tensor = weakref.ref(t)  # the handle does not keep the tensor (nor its graph) alive
        self._hooks = weakref.ref(hooks)  # where the hook is, even after an in-place write moved it
        self._key = key

    def remove(self) -> None:
        """Unregister the hook; when none is left the tensor's flag goes back to a plain bool."""
        hooks = self._hooks()
        if hooks is None:
            return
        for table in (hooks.fns, hooks.post, hooks.pre, hooks.npost):
            table.pop(self._key, None)
        hooks.recount()
        t = self._tensor()
        if t is not None and t._retains_grad is hooks and hooks.empty():
            t._retains_grad = hooks.retains

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.remove()


def register_hook(t: Any, fn: Callable[[Any], Any]) -> RemovableHandle:
    """Call ``fn(grad)`` whenever backward computes ``t``'s gradient (an ndarray, or a Tensor under
    ``create_graph=True``); a non-None return replaces the gradient: the one that flows on to the
    inputs of a non-leaf, or the one added into a leaf's ``.grad``. Hooks run in registration order.

    >>> x = Tensor([1.0, 2.0], requires_grad=True)
    >>> h = x.register_hook(lambda g: 2 * g)
    >>> (x * x).sum().backward(); x.grad
    array([4., 8.])
    >>> h.remove()
    """
    if not t.requires_grad:
        raise RuntimeError(
            "register_hook: cannot register a hook on a tensor that doesn't require gradient "
            f"(a tensor of shape {t.shape} and dtype {t.dtype}); create it with requires_grad=True, or "
            "register the hook on a result that depends on one"
        )
    if not callable(fn):
        raise TypeError(f"register_hook: the hook must be callable, got {type(fn).__name__}")
    return _add(t, "fns", fn)


def register_post_accumulate_grad_hook(t: Any, fn: Callable[[Any], None]) -> RemovableHandle:
    """Call ``fn(t)`` after each ``backward`` has added leaf ``t``'s gradient into ``t.grad`` (PyTorch's
    hook for stepping an optimizer per parameter inside backward); ``fn`` must return None. Not called
    by ``autobp.grad``, which leaves ``.grad`` alone. Hooks run in registration order, after ``t``'s
    ``register_hook`` hooks; under no_grad unless the pass has ``create_graph=True``.

    >>> w = Tensor([1.0, 2.0], requires_grad=True)
    >>> seen = []
    >>> h = w.register_post_accumulate_grad_hook(lambda p: seen.append(p.grad.tolist()))
    >>> (w * w).sum().backward(); seen
    [[2.0, 4.0]]
    """
    if not t.requires_grad:
        raise RuntimeError(
            "register_post_accumulate_grad_hook: cannot register a hook on a tensor that doesn't require "
            f"gradient (a tensor of shape {t.shape} and dtype {t.dtype})"
        )
    if t._op is not None:
        raise RuntimeError(
            "post accumulate grad hooks cannot be registered on non-leaf tensors (this tensor is the "
            f"result of {t._op!r}, shape {t.shape}); register it on the leaf whose .grad it should follow"
        )
    if not callable(fn):
        raise TypeError(
            f"register_post_accumulate_grad_hook: the hook must be callable, got {type(fn).__name__}"
        )
    return _add(t, "post", fn)


def hooks_of(t: Any) -> GradHooks:
    """``t``'s GradHooks, made (and put in its ``_retains_grad`` slot) on first use."""
    hooks = t._retains_grad
    if not isinstance(hooks, GradHooks):
        hooks = t._retains_grad = GradHooks(bool(hooks))
    return hooks


def _add(t: Any, table: str, fn: Callable) -> RemovableHandle:
    """Put ``fn`` in ``t``'s hooks (``table``: "fns", "post", "pre" or "npost"), making its GradHooks on
    first use."""
    hooks = hooks_of(t)
    key = hooks.next_key
    hooks.next_key += 1
    getattr(hooks, table)[key] = fn
    hooks.recount()
    return RemovableHandle(t, hooks, key)


def move_to_snapshot(t: Any, old: Any) -> None:
    """A recorded in-place write into non-leaf ``t``, whose former node is now ``old``: the hooks
    registered so far stay with that former value (they get its gradient, as PyTorch's do), while
    ``retain_grad`` follows ``t``, which keeps the gradient of its latest version; so do the inputs
    the former node's op packed (saved-tensor hooks)."""
    hooks = t._retains_grad
    if not isinstance(hooks, GradHooks) or t._op is None:
        return
    if hooks.fns or hooks.pre or hooks.npost:
        t._retains_grad = hooks.retains
        hooks.retains = False
        old._retains_grad = hooks
    elif hooks.saved is not None:
        h = hooks_of(old)
        h.saved, hooks.saved = hooks.saved, None
        hooks.recount()
        h.recount()
        if hooks.empty():
            t._retains_grad = hooks.retains


def take_saved(t: Any, new: Any) -> None:
    """A recorded in-place write makes ``t`` the node ``new``: ``new``'s saved-tensor hooks' packed
    inputs (_saved_hooks.py) become ``t``'s."""
    src = new._retains_grad
    if isinstance(src, GradHooks) and src.saved is not None:
        h = hooks_of(t)
        h.saved, src.saved = src.saved, None
        src.recount()
        h.recount()


def retain_grad(t: Any) -> None:
    """Mark non-leaf ``t`` to keep its gradient in ``.grad`` (a leaf's is kept anyway: no-op there)."""
    if not t.requires_grad:
        raise RuntimeError(
            f"retain_grad: the tensor (shape {t.shape}) does not require grad; nothing would be kept"
        )
    if t._op is None:
        return
    hooks = t._retains_grad
    if isinstance(hooks, GradHooks):
        hooks.retains = True
    else:
        t._retains_grad = True


def retains_grad(t: Any) -> bool:
    """True after ``retain_grad()`` on a non-leaf (hooks alone do not count)."""
    hooks = t._retains_grad
    return hooks.retains if isinstance(hooks, GradHooks) else bool(hooks)


def _checked(t: Any, fn: Any, g: Any, new: Any) -> Any:
    """A hook's return, as the kind of gradient it replaces (ndarray, or Tensor under create_graph),
    refused, in PyTorch's words, if its shape or its dtype differs."""
    cls = type(t)
    if isinstance(g, cls):
        new = new if isinstance(new, cls) else cls._const(np.asarray(new))
    else:
        new = np.asarray(new._data if isinstance(new, cls) else new)
    name = getattr(fn, "__name__", type(fn).__name__)
    if new.shape != g.shape:
        raise RuntimeError(
            f"hook {name!r} has changed the size of value (the gradient of a tensor of shape "
            f"{t.shape} had shape {g.shape}, the hook returned shape {new.shape})"
        )
    if new.dtype != g.dtype and new.dtype != t.dtype:
        raise RuntimeError(
            f"hook {name!r} has changed the type of value (was {g.dtype}, got {new.dtype}, "
            f"for a tensor of dtype {t.dtype})"
        )
    return new


def run_leaf_hooks(t: Any, g: Any, delivered: set) -> Any:
    """Leaf ``t``'s gradient of this pass after its hooks, in ``t``'s dtype (the dtype PyTorch's
    hooks see). A replacement the hook made is the user's object: ``delivered`` then makes
    ``_receive_grads`` copy it rather than keep it (and later add into it) as ``.grad``."""
    dtype = t._data.dtype
    if g.dtype != dtype:
        F = type(t)._graph_ops() if isinstance(g, type(t)) else np
        if g.dtype.kind == "c" and dtype.kind != "c":  # a real leaf of a complex result: the real part
            g = F.real(g)
        if g.dtype != dtype:
            g = g.astype(dtype)
    new = t._retains_grad.run(t, g)
    if new is not g:
        delivered.add(id(new))
    return new
