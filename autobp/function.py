"""Custom differentiable ops: subclass ``Function``, write forward in numpy and backward in autobp ops.

Every custom op is one graph node with op name ``"function"``; its ``_ctx`` is the
``FunctionCtx`` and the one rule in ``rules.py`` hands the output gradient back to
``backward``. A forward that returns several arrays gets one hidden node holding
them all, flattened and joined; each output is a slice of it reshaped (ordinary
getitem/reshape nodes), so gradients of all outputs meet in one ``backward`` call.
"""

from __future__ import annotations

import warnings
from numbers import Real
from typing import Any

import numpy as np

from ._function_extras import (
    CustomGradShapeError,
    bind_arguments,
    fill_defaults,
    mark_nograd_aliases,
    numeric_array,
    off_graph,
    once_differentiable,  # noqa: F401  public here, as torch.autograd.function.once_differentiable
    output_array,
    own_output,
    passes_through,
    scalar_grad,
    take_dirty,
    take_once,
    user_backward,
    uses_setup_context,
    write_marks,
)
from ._graph import enable_grad, is_grad_enabled, no_grad
from .rules import rule
from .tensor import Tensor
from .value import Value


class FunctionCtx:
    """What ``forward`` leaves for ``backward``: saved arrays, ``needs_input_grad``, your attributes."""

    def __init__(self, fn: type, args: tuple) -> None:
        self.needs_input_grad = tuple(isinstance(a, (Tensor, Value)) and a.requires_grad for a in args)
        self._fn = fn
        self._saved: tuple = ()
        self._refs: tuple = ()  # per saved item: ("in", k), ("out", k) or ("const", Tensor or None)
        self._now: tuple | None = None  # (out, xs) while backward runs
        self._inputs: tuple = ()  # (position, shape, dtype) of each Tensor argument
        self._outputs: list = []  # (start, stop, shape, dtype) per output; None when not differentiable
        self._positions: list = []  # Value arguments' positions (scalar ops only)
        self._multi = False
        self._nargs = len(args)
        self._non_diff: set = set()  # ids of outputs marked non-differentiable
        self._dirty: set = set()  # ids of input arrays forward wrote in place (mark_dirty)
        self.materialize_grads = True

    def save_for_backward(self, *arrays: Any) -> None:
        """Keep inputs, outputs or other arrays for ``backward`` (read them back as ``saved_tensors``)."""
        self._saved = arrays

    def mark_non_differentiable(self, *arrays: Any) -> None:
        """Return these outputs as constants (no gradient flows through them); ``backward`` gets
        zeros for them (PyTorch's ``ctx.mark_non_differentiable``)."""
        self._non_diff.update(id(a) for a in arrays)

    def mark_dirty(self, *arrays: Any) -> None:
        """Tell autobp that forward wrote these input arrays in place (and returns them): the input
        Tensor then becomes that output, as in PyTorch (``ctx.mark_dirty``)."""
        self._dirty.update(id(a) for a in arrays)

    def set_materialize_grads(self, value: bool) -> None:
        """PyTorch's switch for handing ``backward`` None instead of zeros for outputs that got no
        gradient. Accepted; autobp always hands zeros (the same gradient, materialized)."""
        self.materialize_grads = bool(value)

    @property
    def saved_variables(self) -> tuple:
        """``saved_tensors`` under PyTorch's old name, with its DeprecationWarning."""
        message = "'saved_variables' is deprecated; use 'saved_tensors'"
        warnings.warn(message, DeprecationWarning, stacklevel=2)
        return self.saved_tensors

    @property
    def saved_tensors(self) -> tuple:
        """The saved arrays as Tensors. In ``backward``, saved inputs and outputs are the graph's
        own nodes, so a ``backward`` written with autobp ops is differentiable (``create_graph``)."""
        if self._inputs is None:  # scalar op: the saved floats as they are
            return self._saved
        if self._now is None:
            return tuple(None if s is None else Tensor._const(np.asarray(s)) for s in self._saved)
        out, xs = self._now
        saved = tuple(self._resolve(kind, what, out, xs) for kind, what in self._refs)
        if getattr(self._fn, "clear_saved_tensors_on_access", False):  # PyTorch's opt-in: given once
            take_once(self)
        return saved

    def _resolve(self, kind: str, what: Any, out: Any, xs: Any) -> Any:
        """A saved item from the node's own output and inputs (no reference to them is stored,
        so a graph that is never back-propagated holds no cycle through its ctx)."""
        if kind == "const":
            return what
        if kind == "in":
            x = xs[what]
        elif not self._multi:
            x = out
        else:  # output ``what`` is a slice of the hidden packed node
            start, stop, shape, dtype = self._outputs[what]
            x = out[start:stop].reshape(shape)
            x = x if x.dtype == dtype else x.astype(dtype)
        return x if isinstance(x, Tensor) else Tensor._const(np.asarray(x))

    def _vjp(self, g: Any, out: Any, xs: Any, need: Any) -> tuple:
        """The rule: run ``backward`` on the output gradient(s) and check what it returns."""
        name = self._fn.__name__
        if self._inputs is None:  # scalar (Value) op: plain floats in and out
            res = _as_tuple(user_backward(self._fn)(self, g), self._nargs, name)
            return tuple(scalar_grad(res[i], name, i) for i in self._positions)
        graph = isinstance(g, Tensor)
        grads = self._split(g) if self._multi else [g]
        if not graph:
            grads = [None if x is None else Tensor._const(np.asarray(x)) for x in grads]
        self._now = (out, xs)
        try:
            with enable_grad() if graph else no_grad():
                res = _as_tuple(user_backward(self._fn)(self, *grads), self._nargs, name)
        finally:
            self._now = None
        tensor_pos = {p for p, _, _ in self._inputs}
        for i, r in enumerate(res):
            if r is not None and i not in tensor_pos:
                raise TypeError(
                    f"{name}.backward returned a gradient for input {i}, which is not a Tensor "
                    f"(a {type(r).__name__} argument); return None for it"
                )
        out = []
        for k, (i, shape, dtype) in enumerate(self._inputs):
            r = res[i]
            if r is None or not need[k]:
                out.append(None)
                continue
            arr = np.asarray(r.data) if isinstance(r, Tensor) else numeric_array(r, name, i)
            if arr.shape != shape:
                raise CustomGradShapeError(
                    f"{name}.backward: the gradient for input {i} has shape {arr.shape}, but input {i} "
                    f"has shape {shape} (the expected shape); return a gradient of exactly the input's shape "
                    "(autobp never broadcasts or sums a custom gradient to fit)"
                )
            if graph:
                r = off_graph(r, arr, grads, name, i)
                r = r if isinstance(r, Tensor) else Tensor._const(arr)
                out.append(r if r.dtype == dtype else r.astype(dtype))
            else:
                out.append(arr if arr.dtype == dtype else arr.astype(dtype))
        return tuple(out)

    def _split(self, g: Any) -> list:
        """The flat gradient of the hidden node, cut back into one gradient per output."""
        grads = []
        for spec in self._outputs:
            if spec is None or spec[0] == "zeros":  # not an array; or marked non-differentiable
                grads.append(None if spec is None else _zeros_like_grad(g, spec[1], spec[2]))
                continue
            start, stop, shape, dtype = spec
            part = g[start:stop].reshape(shape)
            grads.append(part if part.dtype == dtype else part.astype(dtype))
        return grads


class Function:
    """Base class of a custom op: a numpy ``forward`` and an autobp ``backward``.

    >>> class Cube(Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return x**3
    ...     @staticmethod
    ...     def backward(ctx, grad):
    ...         (x,) = ctx.saved_tensors
    ...         return grad * 3 * x**2
    >>> Cube.apply(Tensor([2.0])).data
    array([8.])

    ``forward(ctx, *args)`` receives each Tensor argument as its ndarray (its ``.data`` view,
    which also answers PyTorch's methods, ``x.clamp(min=0)``, and counts in-place writes; other
    arguments as they are) and returns an ndarray or a Tensor (its values), or a tuple of them.
    ``backward(ctx, *grads)`` receives one gradient Tensor per output (None for
    integer outputs) and returns one gradient per argument (Tensor, ndarray or
    None; None for non-Tensor arguments). With ``Value`` arguments both work on
    Python floats instead (one output).
    """

    @staticmethod
    def forward(ctx: FunctionCtx, *args: Any) -> Any:
        raise NotImplementedError(  # PyTorch's words, then autobp's
            "You must implement the forward function for custom autograd.Function "
            "(subclasses of autobp.Function must define forward(ctx, *args))"
        )

    @staticmethod
    def backward(ctx: FunctionCtx, *grads: Any) -> Any:
        raise NotImplementedError(
            "You must implement either the backward or vjp method for your custom autograd.Function "
            "to use it with backward mode AD (subclasses of autobp.Function must define "
            "backward(ctx, *grads))"
        )

    # PyTorch's vmap support flags: autobp.func.vmap runs a custom Function like any other code, so
    # neither is consulted; they are here for code that reads them.
    generate_vmap_rule = False

    @staticmethod
    def vmap(info: Any, in_dims: Any, *args: Any) -> Any:
        """PyTorch's hook for a batching rule; not overridden, it raises as PyTorch's does."""
        raise NotImplementedError(
            "To use autograd.Function with vmap, you must either override the vmap staticmethod or set "
            "generate_vmap_rule=True."
        )

    @staticmethod
    def setup_context(ctx: FunctionCtx, inputs: tuple, output: Any) -> None:
        """Override (with a ``forward(*args)`` that takes no ctx) to fill ``ctx`` from the inputs and
        the output after forward ran: PyTorch 2's form of a custom Function."""
        raise NotImplementedError("setup_context is not overridden")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        warnings.warn(  # PyTorch's deprecation: the methods are static, call them on the class
            f"{type(self)} should not be instantiated. Methods on autograd functions are all static, so "
            "you should invoke them on the class itself (Cls.apply(...)).",
            DeprecationWarning,
            stacklevel=2,
        )

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(  # PyTorch's words: an instance is never called, the class's apply is
            "Legacy autograd function with non-static forward method is deprecated. Please use new-style "
            f"autograd function with static forward method: {type(self).__name__}.apply(...)"
        )

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        """Run the op on ``args`` (keywords bind to forward's parameters), recording one node so
        gradients flow through ``backward``."""
        if kwargs:
            args = bind_arguments(cls, args, kwargs)
        elif uses_setup_context(cls):
            args = fill_defaults(cls, args)
        if any(isinstance(a, Value) for a in args):
            if any(isinstance(a, Tensor) for a in args):
                raise TypeError(f"{cls.__name__}.apply: cannot mix Value and Tensor arguments")
            return _apply_scalar(cls, args)
        ctx = FunctionCtx(cls, args)
        # each Tensor as its ``.data`` view: an ndarray that also answers PyTorch's methods (ported
        # forwards call ``input.clamp(min=0)``, ``x.clone()``) and counts in-place writes
        raw = [a.data if isinstance(a, Tensor) else a for a in args]
        marks = write_marks(args)
        with no_grad():
            if uses_setup_context(cls):
                result = cls.forward(*raw)
                cls.setup_context(ctx, tuple(raw), result)
            else:
                result = cls.forward(ctx, *raw)
        multi = isinstance(result, tuple)
        results = result if multi else (result,)
        at = [k for k, r in enumerate(results) if not passes_through(r)]
        arrays = [output_array(results[k], cls.__name__, k) for k in at]
        ctx._inputs = tuple((i, a.shape, a.dtype) for i, a in enumerate(args) if isinstance(a, Tensor))
        parents = tuple(a for a in args if isinstance(a, Tensor))
        non_diff = [id(results[k]) in ctx._non_diff for k in at]
        outs = _outputs(ctx, parents, arrays, multi, non_diff) if arrays else []
        if len(at) != len(results):  # non-array results, as they are; backward gets None for them
            full, specs = list(results), [None] * len(results)
            for j, k in enumerate(at):
                full[k] = outs[j]
                if ctx._outputs:
                    specs[k] = ctx._outputs[j]
            outs, ctx._outputs = full, specs if ctx._outputs else []
        tensor_raw = [r for r, a in zip(raw, args) if isinstance(a, Tensor)]
        by_id = {id(r): ("in", k) for k, r in enumerate(tensor_raw)}
        for k, r in enumerate(results):  # numpy scalars too, as returned
            if (ctx._multi and _differentiable(ctx._outputs[k])) or (
                not multi and isinstance(outs[0], Tensor) and outs[0].requires_grad
            ):
                by_id[id(r)] = ("out", k)
        ctx._refs = tuple(_saved_ref(s, by_id) for s in ctx._saved)
        if multi:  # an array returned twice is one Tensor, returned twice (as PyTorch's)
            first: dict = {}
            for k, r in enumerate(results):
                if not passes_through(r):
                    outs[k] = first.setdefault(id(r), outs[k])
        if ctx._dirty:
            outs = take_dirty(ctx, args, raw, outs, results, marks)
        elif not is_grad_enabled():
            mark_nograd_aliases(outs, parents)
        return tuple(outs) if multi else outs[0]


def _differentiable(spec: Any) -> bool:
    return spec is not None and spec[0] != "zeros"


def _zeros_like_grad(g: Any, shape: tuple, dtype: Any) -> Any:
    """The gradient backward gets for an output marked non-differentiable: zeros of its shape."""
    z = np.zeros(shape, dtype)
    return Tensor._const(z) if isinstance(g, Tensor) else z


def _outputs(ctx: FunctionCtx, parents: tuple, arrays: list, multi: bool, non_diff: list) -> list:
    """One Tensor per forward result; several float results share a hidden packed node (outputs
    marked non-differentiable are constants, whose gradient backward gets as zeros)."""
    if not multi:
        if non_diff[0]:
            return [Tensor._const(arrays[0])]
        node = Tensor._make(arrays[0], parents, "function", ctx)
        if arrays[0].dtype.kind != "f" and node.requires_grad:
            node = Tensor._const(arrays[0])
        if not node.requires_grad:
            node._ctx = None
        return [node]
    floats = [a for a, nd in zip(arrays, non_diff) if a.dtype.kind == "f" and not nd]
    if not floats:
        return [Tensor._const(a) for a in arrays]
    packed = np.concatenate([a.reshape(-1) for a in floats]).astype(np.result_type(*floats), copy=False)
    hidden = Tensor._make(packed, parents, "function", ctx)
    if not hidden.requires_grad:
        return [Tensor._const(a) for a in arrays]
    ctx._multi = True
    outs, start = [], 0
    for nr, (a, nd) in enumerate(zip(arrays, non_diff)):
        if a.dtype.kind != "f" or nd:
            ctx._outputs.append(("zeros", a.shape, a.dtype) if nd and a.dtype.kind == "f" else None)
            outs.append(Tensor._const(a))
            continue
        stop = start + a.size
        ctx._outputs.append((start, stop, a.shape, a.dtype))
        t = hidden[start:stop].reshape(a.shape)
        outs.append(own_output(t if t.dtype == a.dtype else t.astype(a.dtype), nr))
        start = stop
    return outs


def _saved_ref(s: Any, by_id: dict) -> tuple:
    if s is None or isinstance(s, Tensor):
        return ("const", s)
    ref = by_id.get(id(s))
    return ref if ref is not None else ("const", Tensor._const(np.asarray(s)))


def _apply_scalar(cls: type, args: tuple) -> Value:
    """``Function.apply`` on Values: forward and backward see floats; one output."""
    ctx = FunctionCtx(cls, args)
    ctx._inputs = None
    ctx._positions = [i for i, a in enumerate(args) if isinstance(a, Value)]
    raw = [a.data if isinstance(a, Value) else a for a in args]
    result = cls.forward(ctx, *raw)
    if isinstance(result, tuple) or not isinstance(result, Real) or isinstance(result, bool):
        raise TypeError(
            f"{cls.__name__}.forward on Values must return one real number, got {type(result).__name__}"
        )
    parents = tuple(args[i] for i in ctx._positions)
    return Value(float(result), parents, "function", "", ctx)


def _as_tuple(res: Any, nargs: int, name: str) -> tuple:
    if not isinstance(res, (tuple, list)):
        res = (res,)
    if len(res) > nargs and all(r is None for r in res[nargs:]):  # extra Nones are dropped (PyTorch)
        res = tuple(res)[:nargs]
    if len(res) != nargs:
        raise TypeError(
            f"{name}.backward returned {len(res)} gradient(s), but forward took {nargs} input(s); "
            "return one gradient per input (None for inputs that need none)"
        )
    return tuple(res)


@rule("function")  # ctx = the FunctionCtx of an autobp.Function, which runs the user's backward
def _function_rule(F, g, out, xs, ctx, need):
    return ctx._vjp(g, out, xs, need)


class InplaceFunction(Function):
    """PyTorch's ``torch.autograd.function.InplaceFunction``: a Function whose instance carries an
    ``inplace`` flag, for subclasses whose forward may write into its input (with ``mark_dirty``)."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace
