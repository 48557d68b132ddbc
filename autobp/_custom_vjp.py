"""JAX's ``custom_vjp`` (exported as ``autobp.extend.custom_vjp``): a function with its own forward
(output and residuals) and backward (residuals and output cotangent to argument cotangents). Arguments
and outputs may be pytrees, keywords are bound positionally, ``nondiff_argnums`` are passed through."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .pytree import ravel_pytree, tree_flatten
from .tensor import Tensor


class _NoRuleError(AttributeError, NotImplementedError):
    """Called before ``defvjp``: JAX's AttributeError, and the NotImplementedError autobp raised before."""


def numeric_leaf(a: Any) -> bool:
    """Whether a pytree leaf is a number or array the rule differentiates (callables and such are not)."""
    if isinstance(a, Tensor):
        return True
    return (
        isinstance(a, (bool, int, float, complex, np.generic, np.ndarray))
        and np.asarray(a).dtype.kind in "biufc"
    )


class custom_vjp:  # noqa: N801  JAX's spelling
    """JAX's ``custom_vjp``: ``f.defvjp(fwd, bwd)`` with ``fwd(*args) -> (out, residuals)`` and
    ``bwd(residuals, g) -> tuple`` of one gradient per positional argument (None for a zero one; a
    pytree argument gets a gradient of its structure). With ``nondiff_argnums`` those arguments are
    not differentiated and are passed to ``bwd`` first, ``bwd(*nondiff, residuals, g)``, which returns
    gradients for the other arguments only. Keyword arguments and defaults are bound positionally.

    ``fwd`` runs with gradient recording on, so residuals computed from the arguments with autobp ops
    stay on the graph and ``bwd`` written with autobp ops is differentiable again. ``fwd`` calling the
    function itself gets the plain function.
    """

    def __init__(self, fn: Callable[..., Any], nondiff_argnums: Sequence[int] = ()) -> None:
        self.fn = fn
        self.nondiff_argnums = tuple(nondiff_argnums)
        self.fwd: Callable[..., Any] | None = None
        self.bwd: Callable[..., Any] | None = None
        self._in_fwd = False
        functools.update_wrapper(self, fn)

    def defvjp(self, fwd: Callable[..., Any], bwd: Callable[..., Any]) -> None:
        """Set the forward (output and residuals) and backward (residuals, g -> gradients)."""
        if not callable(fwd) or not callable(bwd):
            raise TypeError("custom_vjp.defvjp: fwd and bwd must both be functions")
        self.fwd, self.bwd = fwd, bwd

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.fwd is None or self.bwd is None:
            raise _NoRuleError(
                f"No VJP defined for custom_vjp function {self.__name__} using defvjp. "
                f"(custom_vjp {self.__name__}: call .defvjp(fwd, bwd) first)"
            )
        if kwargs:
            bound = inspect.signature(self.fn).bind(*args, **kwargs)
            bound.apply_defaults()
            args = bound.args
        diff_pos = [i for i in range(len(args)) if i not in self.nondiff_argnums]
        arg_trees = [tree_flatten(args[i]) for i in diff_pos]
        leaves = [leaf for flat, _ in arg_trees for leaf in flat]
        live = [k for k, a in enumerate(leaves) if numeric_leaf(a)]
        traced = any(isinstance(leaves[k], Tensor) and leaves[k].requires_grad for k in live)
        if not traced or self._in_fwd:  # fwd calling the function itself gets the plain function
            return self.fn(*args)
        self._in_fwd = True
        try:
            pair = self.fwd(*args)
        finally:
            self._in_fwd = False
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2):
            raise TypeError(
                f"Custom VJP fwd rule {self.fwd.__name__} for function {self.__name__} must produce a pair "
                f"(list or tuple of length two) (output, residuals), got {type(pair).__name__}"
            )
        out, res = pair
        vec, unravel = ravel_pytree(out)
        nondiff = [args[i] for i in self.nondiff_argnums]
        last: list = [None, None]  # (g, flat gradients): one bwd call serves every argument

        def grads_for(g: Any) -> list:
            if last[0] is not g:
                gs = self.bwd(*nondiff, res, unravel(g))
                if not isinstance(gs, (tuple, list)) or len(gs) != len(diff_pos):
                    raise TypeError(
                        f"Custom VJP bwd rule {self.__name__} must produce a tuple of length equal to the "
                        f"number of differentiable arguments: custom_vjp {self.__name__}: bwd must return a "
                        f"tuple of {len(diff_pos)} gradients (one per argument), got {type(gs).__name__}"
                    )
                flat: list = []
                for (arg_leaves, tdef), gi in zip(arg_trees, gs):
                    if gi is None:
                        flat.extend([None] * len(arg_leaves))
                        continue
                    g_leaves, g_def = tree_flatten(gi)
                    if len(g_leaves) != len(arg_leaves):
                        raise TypeError(
                            f"Custom VJP bwd rule {self.__name__}: a gradient has structure {g_def} for an "
                            f"argument of structure {tdef}"
                        )
                    flat.extend(g_leaves)
                last[:] = [g, flat]
            return last[1]

        def maker(k: int) -> Callable[..., Any]:
            def make(ans: Any, *a: Any) -> Callable[..., Any]:
                def pull(g: Any) -> Any:
                    gk = grads_for(g)[k]
                    if gk is None:
                        x = leaves[k]
                        return np.zeros(np.shape(x._data if isinstance(x, Tensor) else x))
                    return gk

                return pull

            return make

        from .extend import Primitive, defvjp  # the primitive machinery (extend imports this module)

        prim = Primitive(lambda *a: vec.detach() if isinstance(vec, Tensor) else vec)
        prim.__name__ = self.__name__
        defvjp(prim, *(maker(k) for k in live))
        return unravel(prim(*[leaves[k] for k in live]))
