"""Differentiating through a fixed-point iteration by the implicit function theorem, not by unrolling:
``fixed_point(f, a, x0, distance, tol)`` iterates x <- f(a)(x), and its gradient solves the adjoint
fixed point w = (d f(a)(x*)/dx)^T w + g by the same iteration, then pulls w back to ``a``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ._graph import enable_grad, is_grad_enabled
from .autograd import grad as _grad
from .extend import defvjp, primitive
from .ops import copy
from .pytree import tree_flatten
from .tensor import Tensor


def _pullback(fn: Callable[[Any], Any], x: Any) -> Callable[[Any], Any]:
    """``w -> w^T d fn(x) / dx`` for a pytree ``x``; recorded (differentiable in ``x``, ``w`` and what
    ``fn`` closes over) when ``x`` or ``w`` is on a graph or gradients are being recorded."""
    leaves, tdef = tree_flatten(x)
    record = is_grad_enabled() or any(isinstance(v, Tensor) and v.requires_grad for v in leaves)
    xs = [copy(v) if isinstance(v, Tensor) and v.requires_grad else _leaf(v) for v in leaves]
    with enable_grad():
        out = fn(tdef.unflatten(xs))

    def pull(w: Any) -> Any:
        if not isinstance(out, Tensor) or not out.requires_grad:
            return tdef.unflatten([Tensor._const(np.zeros(v.shape, v.dtype)) for v in xs])
        seed = w if isinstance(w, Tensor) else Tensor._const(np.asarray(w, dtype=out.dtype))
        keep = record or seed.requires_grad  # linear in w: recorded when w itself is on a graph
        with enable_grad():
            gs = _grad(out, xs, grad_outputs=seed, retain_graph=True, create_graph=keep, allow_unused=True)
        gs = [Tensor._const(np.zeros(v.shape, v.dtype)) if g is None else g for v, g in zip(xs, gs)]
        return tdef.unflatten(gs)

    return pull


def _leaf(v: Any) -> Tensor:
    arr = np.asarray(v.data if isinstance(v, Tensor) else v)
    return Tensor(arr.astype(np.float64) if arr.dtype.kind in "iub" else arr, requires_grad=True)


@primitive
def fixed_point(
    f: Callable[[Any], Callable[[Any], Any]],
    a: Any,
    x0: Any,
    distance: Callable[[Any, Any], Any],
    tol: float,
    max_iter: int = 100_000,
) -> Any:
    """The fixed point x* = f(a)(x*) reached by iterating x <- f(a)(x) from ``x0`` until
    ``distance(x, x_previous) <= tol`` (HIPS autograd's ``misc.fixed_points.fixed_point``).

    Differentiable with respect to ``a`` (an array or a pytree of them) by implicit differentiation:
    for an output gradient g, the adjoint w = J_x^T w + g (J_x = d f(a)(x)/dx at x*) is found by the
    same iteration from zeros with the same ``distance`` and ``tol``, and the gradient is
    w^T d f(a)(x*)/da. No iterate is stored; the result does not depend on ``x0`` (its gradient is
    zero). The iteration must converge (f(a) a contraction near x*); after ``max_iter`` steps it
    raises ``RuntimeError``. Second derivatives work (the adjoint solve is itself a fixed point).

    >>> import autobp
    >>> newton = lambda a: lambda x: 0.5 * (x + a / x)
    >>> sqrt = lambda a: fixed_point(newton, a, 1.0, lambda x, y: abs(x - y), 1e-12)
    >>> round(float(autobp.func.grad(sqrt)(4.0)), 6)
    0.25
    """
    step = f(a)
    x, prev = step(x0), x0
    n = 1
    while distance(x, prev) > tol:
        if n >= max_iter:
            raise RuntimeError(
                f"fixed_point: no convergence to tol={tol} in {max_iter} iterations "
                f"(last distance {float(distance(x, prev))})"
            )
        x, prev = step(x), x
        n += 1
    return x


def _fixed_point_vjp(
    ans: Any, f: Callable, a: Any, x0: Any, distance: Callable, tol: float, max_iter: int = 100_000
):
    def adjoint_step(params: tuple) -> Callable[[Any], Any]:
        a_, x_star, x_bar = params
        pull_x = _pullback(f(a_), x_star)
        return lambda w: pull_x(w) + x_bar

    pull_a = _pullback(lambda a_: f(a_)(ans), a)
    zeros = np.zeros(np.shape(ans))

    def vjp(g: Any) -> Any:
        w = fixed_point(adjoint_step, (a, ans, g), zeros, distance, tol, max_iter)
        return pull_a(w)

    return vjp


defvjp(fixed_point, None, _fixed_point_vjp, None, None, None, None)

__all__ = ["fixed_point"]
