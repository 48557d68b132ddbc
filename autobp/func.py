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

from .autograd import grad as _grad
from .ops import stack
from .tensor import Tensor


def grad(fn: Callable[..., Tensor], argnums: int | Sequence[int] = 0, has_aux: bool = False) -> Callable:
    """The gradient of a scalar ``fn`` with respect to argument(s) ``argnums``, as a function.

    Arguments that are not Tensors requiring grad are differentiated as fresh leaves; ones that are
    stay on their graph and the gradient is recorded (``create_graph``), so ``grad(grad(f))`` works.

    >>> grad(lambda x: (x ** 3).sum())(Tensor([2.0])).data
    array([12.])
    """
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)

    def gradient(*args: Any) -> Any:
        args = list(args)
        for i in nums:
            a = args[i]
            if not (isinstance(a, Tensor) and a.requires_grad):
                arr = np.asarray(a._data if isinstance(a, Tensor) else a, dtype=np.float64)
                args[i] = Tensor(arr, requires_grad=True, dtype=arr.dtype)
        out = fn(*args)
        value, aux = (out[0], out[1]) if has_aux else (out, None)
        if not isinstance(value, Tensor) or value.size != 1:
            raise ValueError(
                f"grad: fn must return a single-element Tensor, got {getattr(value, 'shape', value)}"
            )
        gs = _grad(value, [args[i] for i in nums], create_graph=True, allow_unused=True)
        gs = tuple(
            Tensor._const(np.zeros(args[i].shape, args[i].dtype)) if g is None else g
            for i, g in zip(nums, gs)
        )
        res = gs[0] if isinstance(argnums, int) else gs
        return (res, aux) if has_aux else res

    return gradient


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
