"""JAX-style function transforms: ``grad(fn)`` and ``vmap(fn)`` return functions, so they compose;
``vmap(grad(loss))`` gives per-example gradients.

``vmap`` maps ``fn`` over an axis of its inputs one slice at a time and stacks the results: it works
for any function (each slice records its own graph, so the result stays differentiable), at the cost
of one call per slice; it does not batch the ops themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ._graph import topological_order
from .autograd import grad as _grad
from .ops import copy, stack
from .pytree import tree_flatten
from .tensor import Tensor


def grad(fn: Callable[..., Tensor], argnums: int | Sequence[int] = 0, has_aux: bool = False) -> Callable:
    """The gradient of a scalar ``fn`` with respect to argument(s) ``argnums``, as a function.

    Arguments that are not Tensors requiring grad are differentiated as fresh leaves; ones that are
    stay on their graph and the gradient is recorded (``create_graph``), so ``grad(grad(f))`` works.
    An argument may be a pytree (nested lists, tuples and dicts of arrays, ``autobp.pytree``): its
    gradient has the same structure, as in JAX. Tensors in, Tensors out; when the differentiated
    arguments hold only numpy arrays and numbers, the gradient is numpy arrays (as HIPS autograd), so
    it goes straight to ``scipy.optimize``.

    >>> grad(lambda x: (x ** 3).sum())(Tensor([2.0])).data
    array([12.])
    >>> grad(lambda p: (p["w"] * 2).sum())({"w": np.ones(2)})["w"].data
    array([2., 2.])
    """
    value_and_gradient = value_and_grad(fn, argnums, has_aux)

    def gradient(*args: Any, **kwargs: Any) -> Any:
        value, gs = value_and_gradient(*args, **kwargs)
        return (gs, value[1]) if has_aux else gs

    return gradient


def value_and_grad(
    fn: Callable[..., Tensor], argnums: int | Sequence[int] = 0, has_aux: bool = False
) -> Callable:
    """``fn``'s value and its gradient (``grad(fn, argnums, has_aux)``) from one evaluation, as JAX's
    ``value_and_grad``: with ``has_aux`` the value is the pair ``(value, aux)``. Value and gradient
    are numpy arrays when the differentiated arguments are (see ``grad``).

    >>> v, g = value_and_grad(lambda x: (x * x).sum())(Tensor([3.0]))
    >>> float(v), g.data
    (9.0, array([6.]))
    """
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)

    def evaluate(*args: Any, **kwargs: Any) -> Any:
        args = list(args)
        for i in nums:
            if not -len(args) <= i < len(args):
                raise ValueError(f"grad: argnums {i} is out of range for {len(args)} positional arguments")
        treedefs, leaves, plain = [], [], True
        for i in nums:
            flat, tdef = tree_flatten(args[i])
            plain = plain and not any(isinstance(a, Tensor) for a in flat)
            flat = [_diff_leaf(a) for a in flat]
            args[i] = tdef.unflatten(flat)
            treedefs.append((tdef, len(leaves), len(leaves) + len(flat)))
            leaves.extend(flat)
        out = fn(*args, **kwargs)
        value = out[0] if has_aux else out
        if not isinstance(value, Tensor) and np.ndim(value) == 0 and np.asarray(value).dtype.kind in "fiu":
            value = Tensor._const(np.asarray(value, dtype=np.float64))  # a constant: its gradient is 0
            out = (value, out[1]) if has_aux else value
        if not isinstance(value, Tensor) or value.size != 1:
            raise ValueError(
                f"grad: fn must return a single-element Tensor, got {getattr(value, 'shape', value)}"
            )
        if value.requires_grad and leaves:
            gs = _grad(value, leaves, create_graph=True, allow_unused=True)
        else:
            gs = (None,) * len(leaves)
        gs = [Tensor._const(np.zeros(x.shape, x.dtype)) if g is None else g for x, g in zip(leaves, gs)]
        if plain and not _outer_graph([value, *gs], leaves):  # numpy in, numpy out
            gs = [g._data for g in gs]
            out = (value._data, out[1]) if has_aux else value._data
        trees = tuple(tdef.unflatten(gs[a:b]) for tdef, a, b in treedefs)
        return out, trees[0] if isinstance(argnums, int) else trees

    return evaluate


def _outer_graph(roots: list, own: list) -> bool:
    """True when a leaf requiring grad other than ``own`` is an ancestor of ``roots``: the call runs
    inside an outer differentiation (``fn`` closes over its Tensors), so results must stay Tensors."""
    own_ids = {id(x) for x in own}
    live = [r for r in roots if isinstance(r, Tensor) and r.requires_grad]
    return any(n.is_leaf and id(n) not in own_ids for n in topological_order(live, grad_only=True))


def _diff_leaf(a: Any) -> Tensor:
    """A node to differentiate: a fresh float leaf, or for a Tensor already on a graph (nesting) a copy
    node on that graph, so each position is its own input even when one Tensor fills several."""
    if isinstance(a, Tensor) and a.requires_grad:
        return copy(a)
    arr = np.asarray(a._data if isinstance(a, Tensor) else a)
    arr = arr.astype(np.complex128 if arr.dtype.kind == "c" else np.float64)
    return Tensor(np.array(arr), requires_grad=True, dtype=arr.dtype)


def vmap(fn: Callable[..., Any], in_axes: Any = 0, out_axes: int = 0) -> Callable:
    """``fn`` mapped over axis ``in_axes`` of its arguments (an int for all, or one entry per
    argument, None for an argument passed whole); results stacked along ``out_axes``.

    >>> vmap(lambda x: (x * x).sum())(Tensor(np.ones((3, 2)))).data
    array([2., 2., 2.])
    """

    def mapped(*args: Any) -> Any:
        axes = [in_axes] * len(args) if not isinstance(in_axes, (tuple, list)) else list(in_axes)
        if len(axes) != len(args):
            raise ValueError(f"vmap: in_axes has {len(axes)} entries for {len(args)} arguments")
        sizes = {np.shape(a)[ax] for a, ax in zip(args, axes) if ax is not None}
        if len(sizes) != 1:
            raise ValueError(
                f"vmap: the mapped axes have different sizes {sorted(sizes)} (or none is mapped)"
            )
        (n,) = sizes
        results = []
        for k in range(n):
            sliced = [a if ax is None else _take(a, ax, k) for a, ax in zip(args, axes)]
            results.append(fn(*sliced))
        return _stack_like(results, out_axes)

    return mapped


def _take(a: Any, axis: int, k: int) -> Any:
    index = (slice(None),) * (axis % np.ndim(a)) + (k,)
    return a[index] if isinstance(a, Tensor) else np.asarray(a)[index]


def _stack_like(results: list, axis: int) -> Any:
    first = results[0]
    if isinstance(first, (tuple, list)):
        return type(first)(_stack_like([r[i] for r in results], axis) for i in range(len(first)))
    return stack([r if isinstance(r, Tensor) else Tensor(np.asarray(r)) for r in results], axis=axis)
