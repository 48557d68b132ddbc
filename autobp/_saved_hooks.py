"""Saved-tensor hooks (``torch.autograd.graph.saved_tensors_hooks``, ``save_on_cpu``,
``disable_saved_tensors_hooks``): transform what ops keep for backward.

Inside ``with saved_tensors_hooks(pack, unpack):`` every op recorded (in this thread) calls
``pack(x)`` (grad mode off) for each input tensor its derivative reads, and keeps what pack returns
instead of relying on ``x``'s values; when backward reaches the op it calls ``unpack`` on that
(grad mode on only under ``create_graph``) and the derivative uses the tensor unpack returns. The
innermost context wins. Which inputs an op saves follows PyTorch where autobp knows it (``x * y``
saves y only if x requires grad and x only if y does; ``x + y``, ``x * 2.0`` save none), else every
input; an op's output is never packed (autobp's rules read it from the node itself), see
docs/concepts/names.md. Ops recorded outside such a context pay nothing: the hook is installed
only while one is open.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from ._graph import hooks, set_mode
from ._tensor_hooks import hooks_of
from .rules import SAVES_NOTHING

__all__ = ["saved_tensors_hooks", "save_on_cpu", "disable_saved_tensors_hooks"]

_NONE_SAVED = frozenset({"mul_scalar", "div_scalar"})  # x * c, x / c: the gradient is g * c, g / c


class _State(threading.local):
    def __init__(self) -> None:
        self.stack: list = []  # (pack, unpack), innermost last
        self.disabled: str | None = None  # disable_saved_tensors_hooks' message


_state = _State()
_open = [0]  # contexts open in any thread: while nonzero, the on_make hook is installed
_lock = threading.Lock()


def _saved_inputs(op: str, parents: tuple) -> tuple:
    """The indices of the inputs ``op``'s derivative reads, as PyTorch saves them."""
    if op in SAVES_NOTHING or op in _NONE_SAVED or op.endswith(("add_scalar", "sub_scalar")):
        return ()
    if op == "mul" and len(parents) == 2:
        return tuple(i for i in (0, 1) if parents[1 - i].requires_grad)
    return tuple(range(len(parents)))


def _on_make(t: Any, op: str, parents: tuple) -> None:
    """Pack the saved inputs of a node recorded in this thread inside a saved_tensors_hooks block."""
    if not _state.stack or not t.requires_grad:
        return
    idx = _saved_inputs(op, parents)
    if not idx:
        return
    pack, unpack = _state.stack[-1]
    mode = set_mode(False)  # PyTorch runs pack hooks with grad mode off
    try:
        packed = {i: pack(parents[i]) for i in idx}
    finally:
        set_mode(mode)
    h = hooks_of(t)
    h.saved = (unpack, packed)
    h.recount()


def _chained(prev: Any) -> Any:
    if prev is None:
        return _on_make

    def both(t: Any, op: str, parents: tuple) -> None:
        _on_make(t, op, parents)
        prev(t, op, parents)

    return both


class saved_tensors_hooks:
    """Context manager: ops recorded inside pack the tensors they save for backward with
    ``pack_hook(tensor) -> anything`` and backward gets them back with ``unpack_hook(that) -> Tensor``
    (PyTorch's ``torch.autograd.graph.saved_tensors_hooks``).

    >>> import autobp
    >>> a = autobp.tensor([1.0, 2.0], requires_grad=True)
    >>> with saved_tensors_hooks(lambda x: x.detach() * 3, lambda x: x):
    ...     y = (a * a).sum()
    >>> y.backward(); a.grad  # each saved a became 3a: d/da = 3a + 3a
    array([ 6., 12.])
    """

    def __init__(self, pack_hook: Callable[[Any], Any], unpack_hook: Callable[[Any], Any]) -> None:
        self.pack_hook = pack_hook
        self.unpack_hook = unpack_hook

    def __enter__(self) -> saved_tensors_hooks:
        if _state.disabled is not None:
            raise RuntimeError(_state.disabled)
        _state.stack.append((self.pack_hook, self.unpack_hook))
        with _lock:
            if _open[0] == 0:  # the first open context (in any thread) installs the on_make hook
                _saved_prev.append(hooks.on_make)
                hooks.on_make = _chained(hooks.on_make)
            _open[0] += 1
        return self

    def __exit__(self, *exc: Any) -> None:
        _state.stack.pop()
        with _lock:
            _open[0] -= 1
            if _open[0] == 0:
                hooks.on_make = _saved_prev.pop()


_saved_prev: list = []  # the on_make hook that was there before the first open context


def hook_stack() -> list:
    """A copy of this thread's open ``saved_tensors_hooks`` (innermost last), for ``restore_hook_stack``."""
    return list(_state.stack)


def restore_hook_stack(saved: list) -> None:
    """Put back this thread's hook stack as ``hook_stack()`` returned it. An unpack hook runs inside
    backward, and PyTorch's engine restores the thread's hook state around it, so a context an unpack
    hook enters (or leaves) without its pair ends there instead of packing every later op."""
    if len(saved) == len(_state.stack) and all(a is b for a, b in zip(saved, _state.stack)):
        return
    with _lock:
        before = _open[0]
        _open[0] += len(saved) - len(_state.stack)
        _state.stack[:] = saved
        if before == 0 and _open[0] > 0:
            _saved_prev.append(hooks.on_make)
            hooks.on_make = _chained(hooks.on_make)
        elif before > 0 and _open[0] <= 0:
            _open[0] = 0
            hooks.on_make = _saved_prev.pop()


class save_on_cpu(saved_tensors_hooks):
    """Keep saved tensors on the CPU (``torch.autograd.graph.save_on_cpu``): autobp's tensors are
    always there, so the tensors go through pack/unpack unchanged; ``pin_memory`` is accepted."""

    def __init__(self, pin_memory: bool = False, device_type: str = "cuda") -> None:
        super().__init__(lambda t: ("cpu", t), lambda packed: packed[1])


class disable_saved_tensors_hooks:
    """Context manager in which entering ``saved_tensors_hooks`` raises RuntimeError(``error_message``)
    (``torch.autograd.graph.disable_saved_tensors_hooks``)."""

    def __init__(self, error_message: str) -> None:
        self.error_message = error_message

    def __enter__(self) -> None:
        self._prev = _state.disabled
        _state.disabled = self.error_message

    def __exit__(self, *exc: Any) -> None:
        _state.disabled = self._prev
