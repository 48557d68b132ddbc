"""Custom gradients in HIPS autograd's and JAX's style: ``primitive(f)`` makes ``f`` a black box whose
gradient ``defvjp`` supplies (autograd), ``custom_vjp`` pairs a forward with a backward (JAX). Both
record one ``autobp.Function`` node, so the gradient makers run in the backward pass on the graph's
own nodes: written with autobp ops, they are differentiable again (``create_graph``, ``grad(grad)``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np

from ._custom_vjp import custom_vjp  # noqa: F401  JAX's custom_vjp (pytrees, nondiff_argnums)
from .function import Function, FunctionCtx
from .pytree import tree_flatten
from .tensor import Tensor
from .value import Value


class Primitive:
    """``fn`` as one differentiable op whose vector-Jacobian products come from ``defvjp``.

    Called with no Tensor that requires grad (anywhere in its arguments' pytrees), it is ``fn`` itself.
    Otherwise ``fn`` runs once without recording on the arrays (its body is not traced: it may use
    anything, numpy in place, scipy, C), and one node is recorded whose gradient for positional
    argument ``i`` is ``vjpmaker_i(ans, *args, **kwargs)(g)``.
    """

    def __init__(self, fn: Callable[..., Any]) -> None:
        self.fn = fn
        self.vjpmakers: dict[int, Callable[..., Any] | None] = {}
        functools.update_wrapper(self, fn)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        flat, owner, specs = [], [], []
        for i, a in enumerate(args):
            leaves, tdef = tree_flatten(a)
            specs.append((tdef, len(flat), len(flat) + len(leaves)))
            flat.extend(leaves)
            owner.extend([i] * len(leaves))
        if any(isinstance(x, Value) for x in flat):
            raise TypeError(f"{self.__name__}: primitives take Tensors and arrays, not scalar Values")
        if not any(isinstance(x, Tensor) and x.requires_grad for x in flat):
            return self.fn(*args, **kwargs)
        tensors = tuple(k for k, x in enumerate(flat) if isinstance(x, Tensor))
        plain = [None if isinstance(x, Tensor) else x for x in flat]  # no Tensor kept: no cycle via ctx
        call = _Call(self, specs, owner, tensors, plain, kwargs)
        return _PrimitiveFunction.apply(call, *flat)

    def __repr__(self) -> str:
        return f"<autobp.extend.primitive {self.__name__}>"


class _Call:
    """One traced call's static facts: the primitive, how its arguments flatten, its keywords."""

    def __init__(self, prim: Primitive, specs: list, owner: list, tensors: tuple, plain: list, kw: dict):
        self.prim, self.specs, self.owner, self.tensors, self.plain, self.kwargs = (
            prim,
            specs,
            owner,
            tensors,
            plain,
            kw,
        )
        self.multi = False

    def args(self, flat: list) -> list:
        return [tdef.unflatten(flat[a:b]) for tdef, a, b in self.specs]


def _as_output(r: Any) -> Any:
    """A forward result as the ndarray ``Function`` records (the body may return Tensors or floats)."""
    if isinstance(r, Tensor):
        return r.data
    return r if isinstance(r, np.ndarray) else np.asarray(r)


class _PrimitiveFunction(Function):
    @staticmethod
    def forward(ctx: FunctionCtx, call: _Call, *flat: Any) -> Any:
        ans = call.prim.fn(*call.args(list(flat)), **call.kwargs)
        call.multi = isinstance(ans, tuple)
        outs = tuple(_as_output(r) for r in ans) if call.multi else _as_output(ans)
        ctx.call = call
        ctx.save_for_backward(*(flat[k] for k in call.tensors), *(outs if call.multi else (outs,)))
        return outs

    @staticmethod
    def backward(ctx: FunctionCtx, *grads: Any) -> Any:
        call: _Call = ctx.call
        saved = ctx.saved_tensors
        nt = len(call.tensors)
        flat = list(call.plain)
        for k, t in zip(call.tensors, saved[:nt]):
            flat[k] = t
        outs = saved[nt:]
        grads = tuple(_zeros_like(o) if g is None else g for g, o in zip(grads, outs))
        ans, g = (tuple(outs), grads) if call.multi else (outs[0], grads[0])
        args = call.args(flat)
        needed = {call.owner[k] for k in call.tensors if ctx.needs_input_grad[1 + k]}
        result: list = [None] * (1 + len(flat))
        name = call.prim.__name__
        for i in sorted(needed):
            if i not in call.prim.vjpmakers:
                raise NotImplementedError(
                    f"VJP of {name} with respect to argument {i} is not defined: "
                    f"give one with autobp.extend.defvjp({name}, ...)"
                )
            maker = call.prim.vjpmakers[i]
            tdef, a, b = call.specs[i]
            if maker is None:  # declared as having no gradient: zero
                for k in range(a, b):
                    result[1 + k] = _zeros_like(flat[k]) if isinstance(flat[k], Tensor) else None
                continue
            gi = maker(ans, *args, **call.kwargs)(g)
            leaves, gdef = tree_flatten(gi)
            if len(leaves) != b - a:
                raise ValueError(
                    f"VJP of {name} for argument {i} returned {gdef} ({len(leaves)} arrays), but the "
                    f"argument is {tdef} ({b - a} arrays)"
                )
            for k, leaf in zip(range(a, b), leaves):
                result[1 + k] = leaf if isinstance(flat[k], Tensor) else None
        return tuple(result)


def _zeros_like(t: Tensor) -> Tensor:
    return Tensor._const(np.zeros(t.shape, t.dtype))


def primitive(fn: Callable[..., Any]) -> Primitive:
    """Make ``fn`` a primitive (HIPS autograd's ``autograd.extend.primitive``): autobp does not look
    inside it; ``defvjp`` says how gradients pass through it.

    >>> import autobp
    >>> @primitive
    ... def cube(x):
    ...     return x**3
    >>> defvjp(cube, lambda ans, x: lambda g: g * 3 * x**2)
    >>> autobp.func.grad(cube)(2.0)
    array(12.)
    """
    return fn if isinstance(fn, Primitive) else Primitive(fn)


def defvjp(prim: Primitive, *vjpmakers: Callable[..., Any] | None, argnums: Any = None) -> None:
    """Give ``prim`` its vector-Jacobian products, one maker per positional argument (``argnums``:
    which arguments the makers are for, default 0, 1, 2, ...).

    ``vjpmaker(ans, *args, **kwargs)`` gets the primitive's output and its arguments (Tensors in the
    backward pass, on the graph when it is recorded) and returns ``g -> gradient`` for that argument,
    of the argument's shape (and pytree structure). ``None`` as a maker: the gradient is zero.
    Differentiating with respect to an argument that has no maker raises ``NotImplementedError``.
    """
    if not isinstance(prim, Primitive):
        raise TypeError(f"defvjp: {prim!r} is not a primitive; decorate it with autobp.extend.primitive")
    nums = range(len(vjpmakers)) if argnums is None else list(argnums)
    if len(nums) != len(vjpmakers):
        raise ValueError(f"defvjp: {len(vjpmakers)} vjp makers for argnums {list(nums)}")
    for i, maker in zip(nums, vjpmakers):
        if maker is not None and not callable(maker):
            raise TypeError(
                f"defvjp: the vjp maker for argument {i} of {prim.__name__} is a {type(maker).__name__}, "
                "not a function (ans, *args, **kwargs) -> (g -> gradient) or None"
            )
        prim.vjpmakers[int(i)] = maker


def defvjp_argnum(prim: Primitive, vjpmaker: Callable[..., Any], nargs: int = 32) -> None:
    """One maker for every argument: ``vjpmaker(argnum, ans, args, kwargs)`` returns ``g -> gradient``
    (autograd's ``defvjp_argnum``)."""

    def for_arg(i: int) -> Callable[..., Any]:
        return lambda ans, *args, **kwargs: vjpmaker(i, ans, args, kwargs)

    defvjp(prim, *(for_arg(i) for i in range(nargs)))


__all__ = ["primitive", "defvjp", "defvjp_argnum", "Primitive", "custom_vjp"]
