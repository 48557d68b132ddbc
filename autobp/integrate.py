"""odeint with scipy's signature, y(t) for dy/dt = func(y, t, *args), differentiable in y0, t and
args by the adjoint method (Chen et al. 2018): the backward pass integrates y, the adjoint
a = dL/dy and dL/dargs backwards in time, so no solver step is stored. Fixed-step RK4."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ._graph import enable_grad, no_grad
from .autograd import grad
from .ops._args import as_tensor, refuse_complex
from .ops._decl import op
from .rules import rule
from .tensor import Tensor


def _rk4(f: Callable, state: list, t0: float, t1: float, steps: int) -> list:
    """Integrate the list-of-arrays system ``f(state, t)`` from t0 to t1 in ``steps`` RK4 steps."""
    h = (t1 - t0) / steps
    t = t0
    for _ in range(steps):
        k1 = f(state, t)
        k2 = f([s + 0.5 * h * k for s, k in zip(state, k1)], t + 0.5 * h)
        k3 = f([s + 0.5 * h * k for s, k in zip(state, k2)], t + 0.5 * h)
        k4 = f([s + h * k for s, k in zip(state, k3)], t + h)
        state = [s + h / 6.0 * (a + 2.0 * b + 2.0 * c + d) for s, a, b, c, d in zip(state, k1, k2, k3, k4)]
        t += h
    return state


def _call(func: Callable, y: np.ndarray, t: float, args: tuple) -> np.ndarray:
    with no_grad():
        out = func(Tensor(y, dtype=y.dtype), t, *(Tensor(a, dtype=a.dtype) for a in args))
    return np.asarray(out._data if isinstance(out, Tensor) else out, dtype=y.dtype).reshape(y.shape)


@op(family="integrate", namespace="autobp.integrate", numpy=None, method=False, second_order=False)
def odeint(
    func: Callable, y0: Any, t: Any, args: tuple = (), *, substeps: int = 8, **scipy_options: Any
) -> Tensor:
    """y at each time of ``t`` (first row y0) for dy/dt = func(y, t, *args), scipy.integrate.odeint's
    signature; ``func`` is written with autobp ops. ``substeps`` RK4 steps per interval of ``t``;
    scipy's tolerance options are accepted and ignored. The gradient re-integrates the state
    backwards, which is accurate for non-stiff problems (a stiff, strongly contracting one amplifies
    errors when run backwards)."""
    y0 = as_tensor(y0)
    tt = as_tensor(t)
    if tt.ndim != 1 or tt.shape[0] < 1:
        raise ValueError(f"odeint: t must be a 1-d sequence of times, got shape {tt.shape}")
    for v in (y0, tt, *(a for a in args if isinstance(a, Tensor))):  # scipy's odeint is real-only too
        refuse_complex(v, "odeint", "the solver and its adjoint gradient are real-only (as scipy's)")
    if y0.dtype.kind != "f":
        y0 = Tensor._const(y0._data.astype(np.float64))
    targs = tuple(as_tensor(a) for a in args)
    arrays = tuple(a._data.astype(y0.dtype, copy=False) for a in targs)
    times = tt._data.astype(np.float64)
    ys = [y0._data]
    for i in range(1, len(times)):
        (y,) = _rk4(
            lambda s, tau: [_call(func, s[0], tau, arrays)], [ys[-1]], times[i - 1], times[i], substeps
        )
        ys.append(y)
    out = np.stack(ys).astype(y0.dtype, copy=False)
    return Tensor._make(out, (y0, tt, *targs), "odeint", (func, substeps))


@rule("odeint")  # ctx = (func, substeps); the adjoint method, backwards interval by interval
def _odeint(F, g, out, xs, ctx, need):
    if isinstance(g, Tensor):
        raise NotImplementedError("odeint: no second derivative (create_graph) through the adjoint method")
    func, substeps = ctx
    y_all, times = out, np.asarray(xs[1], dtype=np.float64)
    params = [np.asarray(a, dtype=y_all.dtype) for a in xs[2:]]

    def vjp(y: np.ndarray, tau: float, a: np.ndarray) -> tuple:
        """f(y, tau) and a^T df/dy, a^T df/dargs."""
        with enable_grad():
            yt = Tensor(y, requires_grad=True, dtype=y.dtype)
            pts = [Tensor(p, requires_grad=p.dtype.kind == "f", dtype=p.dtype) for p in params]
            f = func(yt, tau, *pts)
            wrt = [yt] + [p for p in pts if p.requires_grad]
            gs = (
                grad(f, wrt, grad_outputs=Tensor(a, dtype=a.dtype), allow_unused=True)
                if f.requires_grad
                else ()
            )
        gs = list(gs) + [None] * (len(wrt) - len(gs))
        it = iter(gs[1:])
        ga = [next(it) if p.requires_grad else None for p in pts]
        zero = [np.zeros_like(p) for p in params]
        return (
            np.asarray(f._data, dtype=y.dtype).reshape(y.shape),
            np.zeros_like(y) if gs[0] is None else np.asarray(gs[0]._data),
            [z if q is None else np.asarray(q._data) for z, q in zip(zero, ga)],
        )

    def augmented(state: list, tau: float) -> list:
        y, a = state[0], state[1]
        f, ay, ap = vjp(y, tau, a)
        return [f, -ay, *(-q for q in ap)]

    n = len(times)
    a = g[n - 1].copy()
    y = y_all[n - 1]
    gt = np.zeros(n, dtype=y_all.dtype)
    gparams = [np.zeros_like(p) for p in params]
    for i in range(n - 1, 0, -1):
        gt[i] = np.sum(_call(func, y_all[i], times[i], tuple(params)) * g[i])  # moving t_i moves y_i along f
        state = _rk4(augmented, [y, a, *gparams], times[i], times[i - 1], substeps)
        y, a, gparams = y_all[i - 1], state[1], state[2:]  # restart from the stored y (less drift)
        if i - 1 == 0:
            gt[0] = -np.sum(_call(func, y, times[0], tuple(params)) * a)  # moving t0 shifts the whole path
        a = a + g[i - 1]
    return (
        a if need[0] else None,
        gt if need[1] else None,
        *(gp if nd else None for gp, nd in zip(gparams, need[2:])),
    )


__all__ = ["odeint"]
