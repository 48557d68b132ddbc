"""JAX's ``custom_jvp`` for a reverse-mode library: the JVP rule, linear in the tangents, is transposed
by one reverse pass through it (with respect to the tangents), which gives the VJP; the primals stay on
the graph, so the derivative is differentiable again."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ._custom_vjp import numeric_leaf
from ._graph import enable_grad
from .autograd import grad as _grad
from .extend import custom_vjp
from .pytree import ravel_pytree, tree_flatten
from .tensor import Tensor


class custom_jvp:  # noqa: N801  JAX's spelling
    """A function with its own Jacobian-vector product, as JAX's ``custom_jvp``::

        @custom_jvp
        def f(x, y): ...

        @f.defjvp
        def f_jvp(primals, tangents):  # -> (f(*primals), tangent of the output)
            ...

    or ``f.defjvps(jvp_x, jvp_y)`` with ``jvp_i(g, ans, *primals)`` the tangent contributed by argument
    i (None for one that contributes nothing). ``nondiff_argnums`` are passed to the rule first, as JAX
    does. The rule must be linear in the tangents and written with autobp ops: gradients (``grad``,
    ``vjp``, ``jacrev``, ``backward``) come from transposing it, and ``jvp``/``jacfwd`` from that
    transpose again. Called without anything to differentiate, ``f`` is the plain function.

    >>> f = custom_jvp(lambda x: x * x)
    >>> _ = f.defjvp(lambda p, t: (p[0] * p[0], 10.0 * t[0]))  # deliberately not 2x
    >>> from autobp.func import grad
    >>> float(grad(f)(Tensor(3.0)))
    10.0
    """

    def __init__(self, fun: Callable[..., Any], nondiff_argnums: Sequence[int] = ()) -> None:
        self.fun = fun
        self.nondiff_argnums = tuple(nondiff_argnums)
        self.jvp: Callable[..., Any] | None = None
        functools.update_wrapper(self, fun)

    def defjvp(self, jvp: Callable[..., Any], symbolic_zeros: bool = False) -> Callable[..., Any]:
        """Set the rule ``jvp(primals, tangents) -> (primal_out, tangent_out)``; returns it (decorator)."""
        if symbolic_zeros:
            raise NotImplementedError("custom_jvp.defjvp: symbolic_zeros=True is not supported")
        self.jvp = jvp
        return jvp

    def defjvps(self, *jvps: Callable[..., Any] | None) -> None:
        """One rule per differentiable argument, ``jvp_i(g, ans, *primals)``; their tangents are summed."""

        def rule(primals: tuple, tangents: tuple) -> tuple:
            ans = self.fun(*primals)
            terms = [j(t, ans, *primals) for j, t in zip(jvps, tangents) if j is not None]
            if not terms:
                return ans, ans * 0
            return ans, functools.reduce(lambda a, b: a + b, terms)

        self.jvp = rule

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.jvp is None:
            raise AttributeError(f"No JVP defined for custom_jvp function {self.__name__} using defjvp.")
        if kwargs:  # keywords and defaults become positional, as JAX resolves them for the rule
            bound = inspect.signature(self.fun).bind(*args, **kwargs)
            bound.apply_defaults()
            args = bound.args
        nondiff = {i: args[i] for i in self.nondiff_argnums}
        diff_pos = [i for i in range(len(args)) if i not in nondiff]
        leaves, tree = tree_flatten([args[i] for i in diff_pos])
        live = [k for k, a in enumerate(leaves) if numeric_leaf(a)]  # callables and such are passed through

        def diff_args(xs: Any) -> list:
            full = list(leaves)
            for k, x in zip(live, xs):
                full[k] = x
            return tree.unflatten(full)

        def positional(xs: Any) -> list:
            out = [None] * len(args)
            for i, v in nondiff.items():
                out[i] = v
            for i, v in zip(diff_pos, diff_args(xs)):
                out[i] = v
            return out

        def rule(xs: tuple, ts: tuple) -> tuple:
            primals, tangents = tuple(diff_args(xs)), tuple(diff_args(ts))
            if nondiff:
                return self.jvp(*[nondiff[i] for i in self.nondiff_argnums], primals, tangents)
            return self.jvp(primals, tangents)

        spec: dict = {}

        def flat_fun(*xs: Any) -> Any:  # the output pytree as one vector (a single-output primitive)
            vec, spec["unravel"] = ravel_pytree(self.fun(*positional(xs)))
            return vec

        inner = custom_vjp(flat_fun)

        def fwd(*xs: Any) -> tuple:
            return flat_fun(*xs), xs

        def bwd(xs: tuple, g: Any) -> tuple:
            with enable_grad():
                ts = [Tensor(np.zeros(np.shape(_data(p)), _dtype(p)), requires_grad=True) for p in xs]
                _, tout = rule(xs, tuple(ts))
                outs = tree_flatten(tout)[0]
                gs = tree_flatten(spec["unravel"](g))[0]
                pairs = [(o, c) for o, c in zip(outs, gs) if isinstance(o, Tensor) and o.requires_grad]
                res = [None] * len(ts)
                if pairs:
                    res = _grad(
                        [o for o, _ in pairs],
                        ts,
                        grad_outputs=[c for _, c in pairs],
                        create_graph=True,
                        allow_unused=True,
                    )
            return tuple(
                Tensor._const(np.zeros(t.shape, t.dtype)) if r is None else r for t, r in zip(ts, res)
            )

        inner.defvjp(fwd, bwd)
        xs = [leaves[k] for k in live]
        if not any(isinstance(x, Tensor) and x.requires_grad for x in xs):  # nothing to differentiate
            return self.fun(*positional(xs))
        vec = inner(*xs)
        return spec["unravel"](vec)


def _data(p: Any) -> Any:
    return p._data if isinstance(p, Tensor) else p


def _dtype(p: Any) -> Any:
    kind = np.asarray(_data(p)).dtype
    return kind if kind.kind in "fc" else np.float64
