"""JAX-style function transforms: ``grad(fn)``, ``jacrev``/``jacfwd`` and ``vmap(fn)`` return
functions, so they compose; ``vmap(grad(loss))`` gives per-example gradients, and so does
``per_example_grad(losses)`` in one batched backward when the loss is written for the whole batch.

``vmap`` maps ``fn`` over an axis of its inputs one slice at a time and stacks the results: it works
for any function (each slice records its own graph, so the result stays differentiable), at the cost
of one call per slice; it does not batch the ops themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import wraps as _wraps
from typing import Any

import numpy as np

from ._func_extras import debug_unwrap, functionalize, replace_all_batch_norm_modules_  # noqa: F401
from ._func_jac import hessian, jacfwd, jacrev  # noqa: F401  autobp.func.jacrev, ...
from ._func_linear import jvp, linearize, vjp  # noqa: F401  autobp.func.vjp, ...
from ._func_modules import functional_call, stack_module_state  # noqa: F401  autobp.func.functional_call, ...
from ._func_trees import FuncOutputError, check_argnums, check_aux_pair, wraps_transformed
from ._transform_inputs import reaches_outer_graph
from .autograd import grad as _grad
from .fixed_point import fixed_point  # noqa: F401  autobp.func.fixed_point
from .ops import copy, stack
from .pytree import tree_flatten
from .random import get_rng_state, set_rng_state
from .tensor import Tensor

__all__ = [
    "grad",
    "value_and_grad",
    "grad_and_value",
    "vjp",
    "jvp",
    "linearize",
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
    and the result is the complex derivative f'(z).

    >>> grad(lambda x: (x ** 3).sum())(Tensor([2.0])).data
    array([12.])
    >>> grad(lambda p: (p["w"] * 2).sum())({"w": np.ones(2)})["w"]  # numpy in, numpy out
    array([2., 2.])
    """
    value_and_gradient = value_and_grad(fn, argnums, has_aux, holomorphic)

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
) -> Callable:
    """``fn``'s value and its gradient (``grad(fn, argnums, has_aux)``) from one evaluation, as JAX's
    ``value_and_grad``: with ``has_aux`` the value is the pair ``(value, aux)``. Value and gradient
    are numpy arrays when the differentiated arguments are (see ``grad``).

    >>> v, g = value_and_grad(lambda x: (x * x).sum())(Tensor([3.0]))
    >>> float(v), g.data
    (9.0, array([6.]))
    """

    @wraps_transformed(fn)
    def evaluate(*args: Any, **kwargs: Any) -> Any:
        args = list(args)
        nums = check_argnums(argnums, len(args), "grad")
        treedefs, leaves, plain, fresh = [], [], True, True
        for i in nums:
            flat, tdef = tree_flatten(args[i])
            plain = plain and not any(isinstance(a, Tensor) for a in flat)
            fresh = fresh and not any(isinstance(a, Tensor) and a.requires_grad for a in flat)
            flat = [_diff_leaf(a) for a in flat]
            args[i] = tdef.unflatten(flat)
            treedefs.append((tdef, len(leaves), len(leaves) + len(flat)))
            leaves.extend(flat)
        out = fn(*args, **kwargs)
        if has_aux:
            check_aux_pair(out, "grad_and_value(f)(*args)")
        value = out[0] if has_aux else out
        if not isinstance(value, Tensor) and np.ndim(value) == 0 and np.asarray(value).dtype.kind in "fiu":
            value = Tensor._const(np.asarray(value, dtype=np.float64))  # a constant: its gradient is 0
            out = (value, out[1]) if has_aux else value
        if not isinstance(value, Tensor) or value.size != 1 or value.dtype.kind not in "fc":
            got = f"shape {value.shape} {value.dtype}" if isinstance(value, Tensor) else repr(value)
            raise _GradOutputError(f"grad: fn must return a single-element float Tensor, got {got}")
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
        trees = tuple(tdef.unflatten(gs[a:b]) for tdef, a, b in treedefs)
        return out, trees[0] if isinstance(argnums, int) else trees

    return evaluate


class _GradOutputError(FuncOutputError, ValueError):
    """``grad``'s function returned something that is not a real scalar: a TypeError as JAX raises,
    a RuntimeError as torch.func does, and a ValueError as autobp raised before (code catching any of
    them keeps working)."""


def _check_holomorphic(leaves: list) -> None:
    for x in leaves:
        if x.dtype.kind != "c":
            raise TypeError(
                f"grad(holomorphic=True) needs complex arguments, got {x.dtype} of shape {x.shape} "
                "(a real argument has no complex derivative: pass it as complex, x + 0j)"
            )


def _diff_leaf(a: Any) -> Tensor:
    """A node to differentiate: a fresh float leaf, or for a Tensor already on a graph (nesting) a copy
    node on that graph, so each position is its own input even when one Tensor fills several."""
    if isinstance(a, Tensor) and a.requires_grad:
        return copy(a)
    arr = np.asarray(a._data if isinstance(a, Tensor) else a)
    if arr.dtype.kind not in "fc":  # integers and bools become float64; float32 stays float32
        arr = arr.astype(np.float64)
    return Tensor(np.array(arr), requires_grad=True, dtype=arr.dtype)


def vmap(
    fn: Callable[..., Any],
    in_axes: Any = 0,
    out_axes: Any = 0,
    *,
    in_dims: Any = None,
    out_dims: Any = None,
    randomness: str = "different",
    chunk_size: int | None = None,
) -> Callable:
    """``fn`` mapped over axis ``in_axes`` of its arguments (an int for all, or one entry per
    argument, None for an argument passed whole; an argument may be a pytree of arrays, each leaf
    mapped along the axis); results stacked along ``out_axes`` (one entry per output for a tuple, None
    for an output that is the same for every slice). ``in_dims``/``out_dims`` are torch.func's names
    for them; keyword arguments are passed to every call unmapped, as torch.func does.

    One call of ``fn`` per slice (any function works, and the result stays differentiable), so
    ``chunk_size`` changes nothing. ``randomness``: "different" (each slice draws its own numbers from
    the global generator), "same" (every slice draws the same), or "error" (a slice that draws raises).
    For per-example gradients of a loss that can be written for the whole batch, ``per_example_grad``
    does one batched backward instead.

    >>> vmap(lambda x: (x * x).sum())(Tensor(np.ones((3, 2)))).data
    array([2., 2., 2.])
    """
    in_axes = in_axes if in_dims is None else in_dims
    out_axes = out_axes if out_dims is None else out_dims
    if randomness not in ("different", "same", "error"):
        raise ValueError(f"vmap: randomness must be 'different', 'same' or 'error', got {randomness!r}")
    if chunk_size is not None and (not isinstance(chunk_size, int) or chunk_size < 1):
        raise ValueError(f"vmap: chunk_size must be a positive int or None, got {chunk_size!r}")

    @_wraps(fn)
    def mapped(*args: Any, **kwargs: Any) -> Any:
        axes = [in_axes] * len(args) if not isinstance(in_axes, (tuple, list)) else list(in_axes)
        if len(axes) != len(args):
            raise ValueError(f"vmap: in_axes has {len(axes)} entries for {len(args)} arguments")
        trees = [_mapped_leaves(a, ax, i) for i, (a, ax) in enumerate(zip(args, axes))]
        sizes = {
            np.shape(x)[ax]
            for leaves, _, leaf_axes in trees
            for x, ax in zip(leaves, leaf_axes)
            if ax is not None
        }
        if len(sizes) != 1:
            raise ValueError(
                f"vmap: the mapped axes have different sizes {sorted(sizes)} (or none is mapped)"
            )
        (n,) = sizes
        state = get_rng_state()
        results = []
        for k in range(n):
            if randomness == "same":
                set_rng_state(state)
            sliced = [
                tdef.unflatten([x if ax is None else _take(x, ax, k) for x, ax in zip(leaves, leaf_axes)])
                for leaves, tdef, leaf_axes in trees
            ]
            results.append(fn(*sliced, **kwargs))
            if randomness == "error" and not _same_state(state, get_rng_state()):
                raise RuntimeError(
                    "vmap(randomness='error'): fn drew random numbers; pass 'different' or 'same'"
                )
        return _stack_like(results, out_axes)

    return mapped


def _mapped_leaves(arg: Any, axis: Any, i: int) -> tuple[list, Any, list]:
    """The leaves of argument ``i``, its tree, and each leaf's mapped axis (None: passed whole), checked."""
    leaves, tdef = tree_flatten(arg)
    if axis is None or isinstance(axis, int):
        leaf_axes = [axis] * len(leaves)
    else:  # a pytree of axes matching the argument's (JAX's in_axes)
        leaf_axes, _ = tree_flatten(axis)
        if len(leaf_axes) != len(leaves):
            raise ValueError(
                f"vmap: in_axes for argument {i} has {len(leaf_axes)} entries for {len(leaves)} arrays"
            )
    for x, ax in zip(leaves, leaf_axes):
        if ax is not None and not -np.ndim(x) <= ax < np.ndim(x):
            raise ValueError(f"vmap: axis {ax} of argument {i} is out of range for its shape {np.shape(x)}")
    return leaves, tdef, leaf_axes


def _same_state(a: Any, b: Any) -> bool:
    """Whether two generator states (dicts of ints and arrays, as numpy gives them) are equal."""
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same_state(a[k], b[k]) for k in a)
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return bool(np.array_equal(a, b))
    return bool(a == b)


def _take(a: Any, axis: int, k: int) -> Any:
    index = (slice(None),) * (axis % np.ndim(a)) + (k,)
    return a[index] if isinstance(a, Tensor) else np.asarray(a)[index]


def _stack_like(results: list, axis: Any) -> Any:
    first = results[0]
    if isinstance(first, (tuple, list)):
        axes = list(axis) if isinstance(axis, (tuple, list)) else [axis] * len(first)
        if len(axes) != len(first):
            raise ValueError(f"vmap: out_axes has {len(axes)} entries for {len(first)} outputs")
        return type(first)(_stack_like([r[i] for r in results], ax) for i, ax in enumerate(axes))
    if isinstance(first, dict):
        return {key: _stack_like([r[key] for r in results], axis) for key in first}
    if axis is None:  # an output that does not depend on the mapped axis
        return first
    return stack([r if isinstance(r, Tensor) else Tensor(np.asarray(r)) for r in results], axis=axis)


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
