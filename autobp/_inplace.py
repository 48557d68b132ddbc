"""Version counters: in-place writes to a Tensor's data are counted, so backward can refuse
to use a saved input that changed after the op read it (instead of returning a wrong gradient).

``Tensor.data`` hands out its array as a ``TrackedArray`` view: item assignment, in-place
operators, ``fill`` and ufuncs writing into it (``out=``) bump the owning tensor's version.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._graph import _mode, next_seq
from ._torch_array import TorchArrayMethods
from .rules import SAVES_NOTHING

# functions of the array-function protocol that write into their first argument
_WRITERS = {np.copyto, np.put, np.place, np.putmask}


class Clock:
    """When the latest in-place write happened, on the node-creation clock (``next_seq``)."""

    last_write = 0


def bump(owner: Any) -> None:
    """Record one in-place write to ``owner``'s data (and to the tensor it was detached from)."""
    bump_all((owner,))


def bump_all(owners: Any) -> None:
    """Record in-place writes to several tensors made at one moment (an optimizer step): one tick."""
    seq = Clock.last_write = next_seq()
    for owner in owners:
        while owner is not None:
            owner._version += 1
            owner._written_at = seq
            owner = owner._source


class LeafInplaceError(RuntimeError, TypeError):
    """An in-place write (``x += 1``, ``x[i] = v``) into a leaf that requires grad, outside no_grad:
    PyTorch raises a RuntimeError there and HIPS autograd a TypeError, so code written for either
    catches this one."""


# True once any view was made under no_grad of a tensor that requires grad: from then on each op
# checks its inputs for one used after its memory was written (``check_nograd_inputs``)
NOGRAD_VIEWS = [False]


def mark_nograd_view(out: Any, base: Any, how: Any = None) -> None:
    """Remember that ``out`` is a view made with grad disabled of a tensor that requires grad (or of
    such a view): an in-place write into it with grad enabled is refused (``nograd_view_error``), and
    so is its use with grad enabled once its memory was written (``check_nograd_inputs``). ``how``:
    the view op's ``(op, ctx)``, by which it follows its base's recorded writes (data only)."""
    from .pytorch_names import INFERENCE_MODE

    out._nograd_view = base._nograd_view or ("inference mode" if INFERENCE_MODE[-1] else "no_grad mode")
    if how is not None and how[0] is not None:
        out._nograd_how = how
    NOGRAD_VIEWS[0] = True


def check_nograd_inputs(parents: tuple) -> None:
    """With grad enabled, refuse an op's input that is a view made under no_grad (or inference mode)
    of a tensor that requires grad, when it, its base or another view of its base was written in
    place since it was made: as PyTorch's, whose view cannot then say how its gradient flows."""
    if not _mode.enabled:
        return
    for p in parents:
        if p._nograd_view is not None and _written_since(p, p._seq) and _root(p).requires_grad:
            raise nograd_view_used_error(p)


def _root(t: Any) -> Any:
    while t._source is not None:
        t = t._source
    return t


def check_view_of_grad_leaf(t: Any, what: str) -> None:
    """With grad enabled, refuse an in-place write into a view made before its base (a leaf) was set
    to require grad (``b = a[:]; a.requires_grad = True; b.add_(1)``): it would change the leaf's
    values unrecorded, as PyTorch refuses. A detached tensor is not such a view (it may be written)."""
    if not _mode.enabled or t._source is None or t.requires_grad:
        return
    while t._source is not None:
        if t._view_op is not None and t._view_op[0] == "detach":
            return
        t = t._source
    if t.requires_grad and t._op is None:
        raise LeafInplaceError(
            f"{what}: a view of a leaf Variable that requires grad is being used in an in-place "
            f"operation (the view was made before the leaf of shape {t.shape} was set to require grad)"
        )


def nograd_view_used_error(t: Any) -> RuntimeError:
    """PyTorch's refusal to use, with grad enabled, a view made under no_grad whose base (or another
    view of it, or itself) was modified in place since."""
    return RuntimeError(
        f"A view was created in {t._nograd_view} and its base or another view of its base has been "
        f"modified inplace with grad mode enabled (a view of shape {t.shape}). Given that this use "
        "case is ambiguous and error-prone, it is forbidden. You can clarify your code by moving both "
        "the view and the inplace either both inside the no_grad block (if you don't want the inplace "
        "to be tracked) or both outside (if you want the inplace to be tracked)."
    )


def nograd_view_error(t: Any, what: str) -> RuntimeError:
    """PyTorch's refusal of an in-place write, with grad enabled, into a view made under no_grad (or
    inference_mode) of a tensor that requires grad: whether the write should be recorded is ambiguous."""
    how = t._nograd_view
    return RuntimeError(
        f"{what}: A view was created in {how} and is being modified inplace with grad mode enabled "
        f"(a view of shape {t.shape}). Given that this use case is ambiguous and error-prone, it is "
        "forbidden. You can clarify your code by moving both the view and the inplace either both "
        "inside the no_grad block (if you don't want the inplace to be tracked) or both outside (if "
        "you want the inplace to be tracked)."
    )


def check_versions(node: Any) -> None:
    """Refuse to differentiate ``node`` if an input it read, or its own output (which rules
    such as exp and tanh reuse), was written in place afterwards. An op whose rule reads no value
    (``SAVES_NOTHING``: sum, add, reshape...) passes a write into a leaf input, as in PyTorch (an
    optimiser step between two backward passes). A non-leaf input written in place is refused even
    then: the write made that Tensor object the new op's node, so a gradient sent to it would flow
    through the new op (``a = y.sum(); y *= 2`` would give ``a`` twice its gradient)."""
    reads_nothing = node._op in SAVES_NOTHING
    if not reads_nothing and _written_since(node, node._seq):
        who = f"tensor {node.name!r}" if node.name else "the output"
        raise RuntimeError(
            "one of the variables needed for gradient computation has been modified by an inplace "
            f"operation: {who} of op {node._op!r} (shape {node.shape}, dtype {node.dtype}) was modified "
            f"in place after it was computed (now at version {node._version}); its backward reads "
            "it, so the gradient would be wrong. Write into a copy instead"
        )
    for i, p in enumerate(node._parents):
        if p.__dict__.get("_detached_at", 0) > node._seq:  # detach_() after this op read it
            raise RuntimeError(
                "Trying to use a saved tensor that has been detached in-place, i.e. with .detach_(): "
                f"input {i} (shape {p.shape}) of op {node._op!r} was detached after the op used it, so its "
                "gradient cannot flow on (autobp's Tensor is its graph node); use detach() instead of "
                "detach_()"
            )
        if _written_since(p, node._seq) and not (reads_nothing and p._op is None):
            who = f"tensor {p.name!r}" if p.name else "a tensor"
            raise RuntimeError(
                "one of the variables needed for gradient computation has been modified by an inplace "
                f"operation: {who} of shape {p.shape} and dtype {p.dtype} (input {i} of op {node._op!r}) "
                f"was modified in place after {node._op!r} used it (now at version {p._version}); its "
                "gradient would be wrong. Write into a copy, or modify it only after backward()"
            )


def _written_since(t: Any, seq: int) -> bool:
    """Was ``t``, or a tensor whose memory it shares (detach/view source), written after ``seq``?"""
    while t is not None:
        if t._written_at > seq:
            return True
        t = t._source
    return False


def same_memory(a: np.ndarray, b: np.ndarray) -> bool:
    """Are ``a`` and ``b`` the same elements of the same memory (address, shape, strides, dtype)?"""
    return (
        a.shape == b.shape
        and a.strides == b.strides
        and a.dtype == b.dtype
        and a.__array_interface__["data"][0] == b.__array_interface__["data"][0]
    )


_ndview = np.ndarray.view  # numpy's own view, past TorchArrayMethods.view (PyTorch's)
_ndarray = np.ndarray


def _plain(x: Any) -> Any:
    return _ndview(x, _ndarray) if isinstance(x, TrackedArray) else x


class TrackedArray(TorchArrayMethods, np.ndarray):
    """A view of a Tensor's array that reports in-place writes to the Tensor; it also answers
    PyTorch's Tensor methods (``p.data.copy_(x)``, ``p.data.normal_(0, 0.02)``, ``p.data.clone()``),
    whose in-place forms count as one write each (autobp/_torch_array.py)."""

    _owner: Any = None

    def __array_finalize__(self, obj: Any) -> None:
        # views of a tracked array (slices, .T, reshape) write to the same memory: keep tracking
        self._owner = getattr(obj, "_owner", None) if self.base is not None else None

    def __repr__(self) -> str:
        return repr(_plain(self))

    def __str__(self) -> str:
        return str(_plain(self))

    def __setitem__(self, key: Any, value: Any) -> None:
        if self._owner is not None:
            bump(self._owner)
        _ndarray.__setitem__(_ndview(self, _ndarray), key, _plain(value))

    def fill(self, value: Any) -> None:
        if self._owner is not None:
            bump(self._owner)
        _ndview(self, _ndarray).fill(value)

    def numpy(self, force: bool = False) -> np.ndarray:
        """Itself, as ``Tensor.numpy()`` (the same view as ``.data``: writes to it are counted)."""
        return self

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        out = kwargs.get("out")
        if out is not None:
            for o in out:
                if isinstance(o, TrackedArray) and o._owner is not None:
                    bump(o._owner)
            kwargs["out"] = tuple(_plain(o) for o in out)
        result = getattr(ufunc, method)(*(_plain(x) for x in inputs), **kwargs)
        if out is not None and len(out) == 1 and isinstance(result, np.ndarray):
            return out[0]  # ``a += b`` must give back the tracked view itself
        return result

    def __array_function__(self, func: Any, types: Any, args: tuple, kwargs: dict) -> Any:
        if func in _WRITERS and args and isinstance(args[0], TrackedArray) and args[0]._owner is not None:
            bump(args[0]._owner)
        return super().__array_function__(func, types, args, kwargs)
