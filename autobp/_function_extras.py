"""PyTorch's custom-Function extras for ``autobp.Function``: ``once_differentiable``, keyword arguments
to ``apply``, the ``forward`` + ``setup_context`` form, forward results that are not arrays (returned as
they are, their gradient None), dirty inputs (``mark_dirty``), outputs as tensors of their own."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from numbers import Real
from typing import Any

import numpy as np

from ._graph import is_grad_enabled, no_grad
from .tensor import Tensor


class CustomGradShapeError(ValueError, RuntimeError):
    """A custom backward's gradient of the wrong shape: PyTorch's RuntimeError, autobp's ValueError."""


def once_differentiable(backward: Callable) -> Callable:
    """Decorate a custom ``backward`` that is not itself differentiable (PyTorch's decorator): it runs
    under no_grad on gradients cut from the graph, so it may use any numpy code; in a
    ``create_graph`` pass its results are marked so that differentiating through them raises,
    instead of silently giving zero."""

    @functools.wraps(backward)
    def wrapper(ctx: Any, *grads: Any) -> Any:
        with no_grad():
            plain = [g.detach() if isinstance(g, Tensor) else g for g in grads]
            outs = backward(ctx, *plain)
        if not is_grad_enabled():
            return outs
        needing = [g for g in grads if isinstance(g, Tensor) and g.requires_grad]
        if not needing:
            return outs
        single = not isinstance(outs, tuple)
        marked = tuple(
            error_on_backward(o, _TWICE, *needing) if isinstance(o, Tensor) else o
            for o in ((outs,) if single else outs)
        )
        return marked[0] if single else marked

    return wrapper


def _new_function_base() -> type:
    from .function import Function

    class DelayedError(Function):
        """The value of a backward's result that cannot be differentiated again; differentiating it
        raises ``message``."""

        @staticmethod
        def forward(ctx: Any, x: Any, message: str, *needing: Any) -> Any:
            ctx.message = message
            return np.array(x, copy=True)

        @staticmethod
        def backward(ctx: Any, *grads: Any) -> Any:
            raise RuntimeError(ctx.message)

    return DelayedError


class _Lazy:
    cls: Any = None

    def apply(self, *args: Any) -> Any:
        if self.cls is None:
            self.cls = _new_function_base()
        return self.cls.apply(*args)


_DelayedError = _Lazy()


def error_on_backward(t: Any, message: str, *needing: Any) -> Any:
    """``t``'s value on the graph (after ``needing``, tensors it is to hang from), whose
    differentiation raises ``message`` (PyTorch's Error node): a value right to first order whose own
    derivative is not given."""
    return _DelayedError.apply(t, message, *needing)


_TWICE = "trying to differentiate twice a function that was marked with @once_differentiable"


def off_graph(r: Any, arr: np.ndarray, grads: list, name: str, i: int) -> Any:
    """A create_graph backward's gradient ``r`` (values ``arr``) for input i, marked so that differentiating
    it raises when it left the graph: every incoming gradient requires grad, so a right, nonzero
    gradient (linear in them) would too; one computed outside autobp's ops (``.numpy()``, ``.detach()``)
    would otherwise count as a zero second derivative (a silent zero in jvp, jacfwd, hessian)."""
    if (isinstance(r, Tensor) and r.requires_grad) or not arr.any():
        return r
    needing = [g for g in grads if isinstance(g, Tensor)]
    if not needing or not all(g.requires_grad for g in needing):
        return r
    return error_on_backward(
        r if isinstance(r, Tensor) else Tensor._const(arr),
        f"{name}.backward returned a gradient for input {i} that is not on the graph (computed outside "
        "autobp's operations, e.g. through .numpy() or .detach()), so it cannot be differentiated again "
        "(a second derivative, jvp, jacfwd or hessian through it): write backward with autobp's "
        "operations, or mark it @once_differentiable",
        *needing,
    )


def uses_setup_context(cls: type) -> bool:
    """True for the PyTorch 2 form: ``forward(*args)`` without ctx, and ``setup_context(ctx, inputs,
    output)`` filling the ctx."""
    from .function import Function

    return getattr(cls, "setup_context", None) is not Function.setup_context


@functools.lru_cache(maxsize=256)
def _forward_params(cls: type) -> list:
    """forward's parameters after ctx (the PyTorch 2 form has none): computed once per class."""
    params = list(inspect.signature(cls.forward).parameters.values())
    return params if uses_setup_context(cls) else params[1:]


def fill_defaults(cls: type, args: tuple) -> tuple:
    """``args`` with forward's defaults for the positional parameters not given: setup_context's
    ``inputs`` are all of forward's arguments, as PyTorch binds them."""
    params = _forward_params(cls)
    if len(params) <= len(args) or all(p.default is p.empty for p in params[len(args) :]):
        return args
    return bind_arguments(cls, args, {})


def bind_arguments(cls: type, args: tuple, kwargs: dict) -> tuple:
    """``apply``'s positional and keyword arguments as forward's positional ones (defaults filled),
    with Python's TypeErrors for an unknown keyword or a parameter given twice."""
    params = _forward_params(cls)
    names = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    fname = f"{cls.__name__}.forward()"
    for k in kwargs:
        if k in names[: len(args)]:
            raise TypeError(f"{fname} got multiple values for argument '{k}'")
        if k not in names:
            raise TypeError(f"{fname} got an unexpected keyword argument '{k}'")
    out = list(args)
    for p in params[len(args) : len(names)]:
        if p.name in kwargs:
            out.append(kwargs[p.name])
        elif p.default is not p.empty:
            out.append(p.default)
        else:
            raise TypeError(f"{fname} missing required argument '{p.name}'")
    return tuple(out)


def passes_through(r: Any) -> bool:
    """A forward result returned as it is, with gradient None (PyTorch's non-tensor outputs): None and
    Python scalars or strings. Arrays and numpy scalars become Tensors; anything else is refused."""
    if isinstance(r, np.generic):  # np.float64 is a float: a numpy scalar result is an array result
        return False
    return r is None or isinstance(r, (bool, int, float, complex, str))


def take_once(ctx: Any) -> None:
    """``saved_tensors`` of a Function with ``clear_saved_tensors_on_access = True`` (PyTorch's flag),
    just handed out: the ctx lets go of them, so backward may free them; a second access raises."""
    if ctx.__dict__.get("_taken"):
        raise RuntimeError(
            "saved_tensors can only be accessed once when clear_saved_tensors_on_access=True is set on "
            "the autograd.Function. Either access saved_tensors only once, or set "
            "clear_saved_tensors_on_access=False."
        )
    ctx._taken, ctx._refs, ctx._saved = True, (), ()


def plain_array(s: Any) -> Any:
    """A saved item as it is, or, for a Tensor's ``.data`` view (which refers to its Tensor), the same
    memory as a plain ndarray."""
    return np.asarray(s) if isinstance(s, np.ndarray) and getattr(s, "_owner", None) is not None else s


def write_marks(args: tuple) -> dict:
    """The in-place write marks (``_written_at``, ``_version``) of each Tensor argument and the tensors
    it shares memory with, before forward runs: a write forward makes into an input it then marks dirty
    is recorded once, as the Function's write, not also as an unrecorded one."""
    marks = {}
    for a in args:
        while isinstance(a, Tensor):
            marks[id(a)] = (a, a._written_at, a._version)
            a = a._source
    return marks


def take_dirty(ctx: Any, args: tuple, raw: list, outs: list, results: tuple, marks: dict) -> list:
    """After ``ctx.mark_dirty(x)`` in forward: input Tensor ``x`` was written in place and is also
    returned, so (as in PyTorch) the input Tensor object itself becomes that output, its former value
    the op's input (older graphs that read it refuse to backward: its version is bumped). A view ``x``
    (``base[1:]``, ``base.narrow(...)``) writes through: its base takes the new value there, as when
    an in-place method writes into a view."""
    from ._inplace import LeafInplaceError, bump
    from .ops import recorded_writes as rw

    dirty = ctx._dirty
    owner = {id(r): a for a, r in zip(args, raw) if isinstance(a, Tensor) and id(r) in dirty}
    outs = list(outs)
    for k, r in enumerate(results):
        t = owner.get(id(r))
        if t is None:
            continue
        if outs[k] is t:  # returned twice
            continue
        o = outs[k]
        if isinstance(o, Tensor) and o.requires_grad:
            if t.requires_grad and t._op is None:
                raise LeafInplaceError(
                    f"{ctx._fn.__name__}: a leaf Variable that requires grad has been used in an in-place "
                    f"operation (mark_dirty on a leaf Tensor of shape {t.shape})"
                )
            s = t
            while s is not None and id(s) in marks:  # forward's raw write: recorded below instead
                _, s._written_at, s._version = marks[id(s)]
                s = s._source
            old = rw.snapshot(t)
            if t._source is not None and rw.writes_through(t):  # a view: the write goes to its base
                rw.write_through(t, o, old, f"{ctx._fn.__name__} (mark_dirty)")
            else:
                rw.become(t, o, old)
        else:
            bump(t)
        for j in range(k, len(results)):
            if results[j] is r:
                outs[j] = t
    # saved arrays that are the dirty inputs' ``.data`` views point back at those tensors, now this
    # node: kept as plain arrays, so the node and its ctx form no reference cycle
    ctx._saved = tuple(plain_array(s) for s in ctx._saved)
    return outs


def mark_nograd_aliases(outs: list, parents: tuple) -> None:
    """Outputs of a Function applied under no_grad that share memory with an input requiring grad
    (forward returned ``x[:]``, ``x.view(...)``, ``x``) are views made in no_grad mode, as PyTorch's:
    an in-place write into one with grad enabled is refused (it changed the input unrecorded)."""
    from ._inplace import mark_nograd_view

    for o in outs:
        if isinstance(o, Tensor) and not o.requires_grad and o._nograd_view is None:
            for p in parents:
                if p.requires_grad and np.may_share_memory(o._data, p._data):
                    mark_nograd_view(o, p)
                    break


def user_backward(cls: Any) -> Callable[..., Any]:
    """The backward a custom Function defines: ``backward``, or PyTorch's other name for it, ``vjp``
    (defining both is refused with PyTorch's words)."""
    from .function import Function

    vjp = getattr(cls, "vjp", None)
    if vjp is None:
        return cls.backward
    if cls.backward is not Function.backward:
        raise RuntimeError(
            f"{cls.__name__}: Implementing both 'backward' and 'vjp' for a custom Function is not "
            "allowed. You should only implement one of them."
        )
    return vjp


def own_output(t: Tensor, nr: int) -> Tensor:
    """An output of a several-output Function as a tensor of its own, not a view of the hidden packed
    node: PyTorch's outputs are separate tensors, so an in-place write into one is recorded on it alone
    and the hooks registered on it before the write keep the gradient of its old value (through the
    packed node they were moved to the new one's). ``nr`` is its index among the outputs (``output_nr``)."""
    if np.shares_memory(t._data, t._parents[0]._data):
        t._data = t._data.copy()
    t._source = None
    t._output_nr = nr
    return t


def numeric_array(r: Any, name: str, i: int) -> np.ndarray:
    arr = np.asarray(r)
    if arr.dtype.kind not in "fiub":
        raise TypeError(
            f"{name}.backward: the gradient for input {i} is a {type(r).__name__} "
            f"(dtype {arr.dtype}); return a Tensor, an ndarray or None"
        )
    return arr


def scalar_grad(r: Any, name: str, i: int) -> float | None:
    if r is None:
        return None
    if isinstance(r, Real) and not isinstance(r, bool):
        return float(r)
    if isinstance(r, np.ndarray) and r.size == 1:
        return float(r)
    raise TypeError(f"{name}.backward on Values must return numbers, got {type(r).__name__} for input {i}")


def output_array(r: Any, name: str, k: int) -> np.ndarray:
    if isinstance(r, np.generic):
        r = np.asarray(r)
    if isinstance(r, Tensor):  # computed with autobp's functions under forward's no_grad: its values
        r = r._data
    if not isinstance(r, np.ndarray):
        raise TypeError(
            f"{name}.forward must return an ndarray, a Tensor or a tuple of them, but output {k} is a "
            f"{type(r).__name__}"
        )
    if r.dtype.kind not in "fiub":
        raise TypeError(f"{name}.forward: output {k} has unsupported dtype {r.dtype} (real floats only)")
    return r
