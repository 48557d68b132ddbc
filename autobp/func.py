"""JAX-style function transforms: ``grad(fn)``, ``jacrev``/``jacfwd`` and ``vmap(fn)`` return
functions, so they compose; ``vmap(grad(loss))`` gives per-example gradients, and so does
``per_example_grad(losses)`` in one batched backward when the loss is written for the whole batch.

``vmap`` maps ``fn`` over an axis of its inputs one slice at a time and stacks the results: it works
for any function (each slice records its own graph, so the result stays differentiable), at the cost
of one call per slice; it does not batch the ops themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ._func_custom_jvp import custom_jvp  # noqa: F401  autobp.func.custom_jvp
from ._func_extras import debug_unwrap, functionalize, replace_all_batch_norm_modules_  # noqa: F401
from ._func_jac import hessian, jacfwd, jacrev  # noqa: F401  autobp.func.jacrev, ...
from ._func_linear import jvp, linearize, vjp  # noqa: F401  autobp.func.vjp, ...
from ._func_modules import functional_call, stack_module_state  # noqa: F401  autobp.func.functional_call, ...
from ._func_transpose import linear_transpose  # noqa: F401  autobp.func.linear_transpose
from ._func_trees import FuncOutputError, check_argnums, check_aux_pair, unwrap_aux, wraps_transformed
from ._func_vmap import vmap  # noqa: F401  autobp.func.vmap
from ._graph import next_seq
from ._transform_inputs import reaches_outer_graph
from .autograd import grad as _grad
from .fixed_point import fixed_point  # noqa: F401  autobp.func.fixed_point
from .ops import copy
from .pytree import tree_flatten
from .tensor import Tensor

__all__ = [
    "grad",
    "value_and_grad",
    "grad_and_value",
    "vjp",
    "jvp",
    "linearize",
    "linear_transpose",
    "custom_jvp",
    "jacrev",
    "jacfwd",
    "hessian",
    "vmap",
    "per_example_grad",
    "functional_call",
    "stack_module_state",
    "functionalize",
    "replace_all_batch_norm_modules_",
    "debug_unwrap",
]


def grad(
    fn: Callable[..., Tensor],
    argnums: int | Sequence[int] = 0,
    has_aux: bool = False,
    holomorphic: bool = False,
    allow_int: bool = False,
    reduce_axes: Sequence = (),
) -> Callable:
    """The gradient of a scalar ``fn`` with respect to argument(s) ``argnums``, as a function.

    Arguments that are not Tensors requiring grad are differentiated as fresh leaves; ones that are
    stay on their graph and the gradient is recorded (``create_graph``), so ``grad(grad(f))`` works.
    An argument may be a pytree (nested lists, tuples and dicts of arrays, ``autobp.pytree``): its
    gradient has the same structure, as in JAX. Tensors in, Tensors out; when the differentiated
    arguments hold only numpy arrays and numbers, the gradient is numpy arrays (as HIPS autograd), so
    it goes straight to ``scipy.optimize``; Tensors that do not require grad give constant Tensors
    (torch.func's), not this call's own graph. ``fn`` must return a real scalar (a TypeError otherwise,
    as JAX's); with ``holomorphic=True`` (JAX's) it may return a complex one of complex arguments
    and the result is the complex derivative f'(z). Integer and bool arguments are differentiated as
    float64; with ``allow_int=True`` (JAX's) they are passed to ``fn`` unchanged (an index stays an
    index) and their gradient is zeros of JAX's ``float0`` dtype (``autobp.func.float0``).
    ``reduce_axes`` (JAX's, for named axes) must be empty.

    >>> grad(lambda x: (x ** 3).sum())(Tensor([2.0])).data
    array([12.])
    >>> grad(lambda p: (p["w"] * 2).sum())({"w": np.ones(2)})["w"]  # numpy in, numpy out
    array([2., 2.])
    """
    value_and_gradient = value_and_grad(fn, argnums, has_aux, holomorphic, allow_int, reduce_axes)

    @wraps_transformed(fn)
    def gradient(*args: Any, **kwargs: Any) -> Any:
        value, gs = value_and_gradient(*args, **kwargs)
        return (gs, value[1]) if has_aux else gs

    return gradient


def value_and_grad(
    fn: Callable[..., Tensor],
    argnums: int | Sequence[int] = 0,
    has_aux: bool = False,
    holomorphic: bool = False,
    allow_int: bool = False,
    reduce_axes: Sequence = (),
) -> Callable:
    """``fn``'s value and its gradient (``grad(fn, argnums, has_aux)``) from one evaluation, as JAX's
    ``value_and_grad``: with ``has_aux`` the value is the pair ``(value, aux)``. Value and gradient
    are numpy arrays when the differentiated arguments are (see ``grad``, also for ``allow_int``).

    >>> v, g = value_and_grad(lambda x: (x * x).sum())(Tensor([3.0]))
    >>> float(v), g.data
    (9.0, array([6.]))
    """

    if reduce_axes:
        raise NotImplementedError(f"grad: reduce_axes (named axes) is not supported, got {reduce_axes!r}")

    @wraps_transformed(fn)
    def evaluate(*args: Any, **kwargs: Any) -> Any:
        args = list(args)
        start = next_seq()  # nodes made from here on are this call's own (see unwrap_aux)
        nums = check_argnums(argnums, len(args), "grad")
        treedefs, leaves, plain, fresh = [], [], True, True
        for i in nums:
            flat, tdef = tree_flatten(args[i])
            plain = plain and not any(isinstance(a, Tensor) for a in flat)
            fresh = fresh and not any(isinstance(a, Tensor) and a.requires_grad for a in flat)
            flat = [a if allow_int and _is_int(a) else _diff_leaf(a) for a in flat]
            args[i] = tdef.unflatten(flat)
            treedefs.append((tdef, len(leaves), len(leaves) + len(flat)))
            leaves.extend(flat)
        out = fn(*args, **kwargs)
        if has_aux:
            out = (check_aux_pair(out, "grad_and_value(f)(*args)")[0], unwrap_aux(out[1], start))
        value = out[0] if has_aux else out
        if not isinstance(value, Tensor) and np.ndim(value) == 0 and np.asarray(value).dtype.kind in "fiu":
            value = Tensor._const(np.asarray(value, dtype=np.float64))  # a constant: its gradient is 0
            out = (value, out[1]) if has_aux else value
        if not isinstance(value, Tensor) or value.size != 1 or value.dtype.kind not in "fc":
            got = f"shape {value.shape} {value.dtype}" if isinstance(value, Tensor) else repr(value)
            raise _GradOutputError(
                f"Gradient only defined for scalar-output functions. grad: fn must return a single-element "
                f"float Tensor, got {got}"
            )
        if value.dtype.kind == "c" and not holomorphic:
            raise _GradOutputError(
                "grad requires real-valued outputs (output dtype that is a sub-dtype of np.floating), but "
                f"got {value.dtype}. For holomorphic differentiation, pass holomorphic=True (grad can be "
                "implicitly created only for real scalar outputs)"
            )
        ints = {k: a for k, a in enumerate(leaves) if not isinstance(a, Tensor) or not a.requires_grad}
        leaves = [a for a in leaves if isinstance(a, Tensor) and a.requires_grad]
        if holomorphic:
            _check_holomorphic(leaves)
        if value.requires_grad and leaves:
            # holomorphic: seeded with 1, the rules give conj(f'(z)) (PyTorch's convention); f'(z) is its conj
            seed = Tensor(np.ones(value.shape, value.dtype)) if holomorphic else None
            gs = _grad(value, leaves, grad_outputs=seed, create_graph=True, allow_unused=True)
            if holomorphic:
                gs = [None if g is None else g.conj() for g in gs]
        else:
            gs = (None,) * len(leaves)
        gs = [Tensor._const(np.zeros(x.shape, x.dtype)) if g is None else g for x, g in zip(leaves, gs)]
        if fresh and not reaches_outer_graph([value, *gs], leaves):  # no graph outside this call
            if plain:  # numpy in, numpy out
                gs = [g._data for g in gs]
                out = (value._data, out[1]) if has_aux else value._data
            else:  # constant Tensors in, constant Tensors out (torch.func's), not this call's graph
                gs = [g.detach() for g in gs]
                out = (value.detach(), out[1]) if has_aux else value.detach()
        for k in sorted(ints):  # allow_int: integer arguments get float0 zeros, as JAX's
            gs.insert(k, np.zeros(np.shape(ints[k]), float0))
        trees = tuple(tdef.unflatten(gs[a:b]) for tdef, a, b in treedefs)
        return out, trees[0] if isinstance(argnums, int) else trees

    return evaluate


class _GradOutputError(FuncOutputError, ValueError):
    """``grad``'s function returned something that is not a real scalar: a TypeError as JAX raises,
    a RuntimeError as torch.func does, and a ValueError as autobp raised before (code catching any of
    them keeps working)."""


float0 = np.dtype([("float0", np.void, 0)])  # JAX's dtype of the gradient of an integer (no values)


def _is_int(a: Any) -> bool:
    return np.asarray(a._data if isinstance(a, Tensor) else a).dtype.kind in "iub"


def _check_holomorphic(leaves: list) -> None:
    for x in leaves:
        if x.dtype.kind != "c":
            raise TypeError(
                f"grad with holomorphic=True requires inputs with complex dtype, but got {x.dtype}: "
                f"grad(holomorphic=True) needs complex arguments, got {x.dtype} of shape {x.shape} "
                "(a real argument has no complex derivative: pass it as complex, x + 0j)"
            )


def _diff_leaf(a: Any) -> Tensor:
    """A node to differentiate: a fresh float leaf, or for a Tensor already on a graph (nesting) a copy
    node on that graph, so each position is its own input even when one Tensor fills several."""
    if isinstance(a, Tensor) and a.requires_grad:
        return copy(a)
    arr = np.asarray(a._data if isinstance(a, Tensor) else a)
    if arr.dtype.kind not in "biufc":
        raise TypeError(
            f"Argument {a!r} of type {type(a)} is not a valid JAX type: grad differentiates numbers, numeric "
            "arrays and Tensors"
        )
    if arr.dtype.kind not in "fc":  # integers and bools become float64; float32 stays float32
        arr = arr.astype(np.float64)
    return Tensor(np.array(arr), requires_grad=True, dtype=arr.dtype)


def grad_and_value(
    fn: Callable[..., Tensor], argnums: int | Sequence[int] = 0, has_aux: bool = False
) -> Callable:
    """``(gradient, value)`` from one evaluation, ``torch.func.grad_and_value``'s order (JAX's
    ``value_and_grad`` returns the pair the other way round); with ``has_aux`` the value is
    ``(value, aux)``.

    >>> g, v = grad_and_value(lambda x: (x * x).sum())(Tensor([3.0]))
    >>> g.data, float(v)
    (array([6.]), 9.0)
    """
    both = value_and_grad(fn, argnums, has_aux)

    @wraps_transformed(fn)
    def evaluate(*args: Any, **kwargs: Any) -> tuple:
        value, gs = both(*args, **kwargs)
        return gs, value

    return evaluate


def per_example_grad(losses: Callable[..., Tensor], argnums: int | Sequence[int] = 0) -> Callable:
    """Per-example gradients from ONE forward of the batch and ONE batched backward.

    ``losses(*args)`` must return the vector of the N examples' losses (shape ``(N,)``, written for
    the whole batch, e.g. ``((net(w, X) - Y) ** 2).sum(axis=1)``); the result is d loss_n / d arg
    stacked over n, shape ``(N,) + arg.shape`` (a tuple for several ``argnums``). The backward carries
    N cotangents (the identity) through the graph, so its arrays are N times as large as one
    backward's: one Python pass instead of N, for N times the arithmetic of the batched graph.

    >>> w = Tensor([1.0, 2.0])
    >>> per_example_grad(lambda w, X: (X @ w) ** 2, argnums=0)(w, Tensor([[1.0, 0.0], [0.0, 1.0]])).data
    array([[2., 0.],
           [0., 4.]])
    """

    def checked(*args: Any) -> Tensor:
        out = losses(*args)
        if not isinstance(out, Tensor) or out.ndim != 1:
            shape = out.shape if isinstance(out, Tensor) else type(out).__name__
            raise ValueError(
                f"per_example_grad: losses must return the vector of per-example losses (shape (N,)), "
                f"got {shape}"
            )
        return out

    return jacrev(checked, argnums)
