"""odeint with scipy's signature, y(t) for dy/dt = func(y, t, *args), differentiable in y0, t and
args by the adjoint method (Chen et al. 2018): the backward pass integrates y, the adjoint
a = dL/dy and dL/dargs backwards in time, so no solver step is stored. scipy's LSODA by default
(scipy's values), or fixed-step RK4 with ``substeps``."""

from __future__ import annotations

from collections.abc import Callable
from numbers import Number
from typing import Any

import numpy as np

from ._graph import enable_grad, no_grad
from ._odeint_graph import recorded_adjoint
from .autograd import grad
from .ops._args import as_tensor, refuse_complex
from .ops._decl import op
from .pytree import tree_flatten
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


def _split_args(args: tuple) -> tuple[list, list, Any]:
    """``args`` as scipy passes them on (any pytree of arrays and numbers, e.g. a list of (W, b) layer
    pairs): its numeric leaves as Tensors, the other leaves kept as they are (None where a Tensor goes)."""
    leaves, tdef = tree_flatten(tuple(args))
    tensors, static = [], []
    for v in leaves:
        if isinstance(v, (Tensor, np.ndarray, np.generic, Number)) and not isinstance(v, bool):
            tensors.append(as_tensor(v))
            static.append(None)
        else:
            static.append(v)
    return tensors, static, tdef


def _rebuild(spec: tuple, tensors: Any) -> tuple:
    static, tdef = spec
    it = iter(tensors)
    return tdef.unflatten([next(it) if s is None else s for s in static])


def _call(func: Callable, y: np.ndarray, t: float, args: tuple, spec: tuple) -> np.ndarray:
    with no_grad():
        out = func(Tensor(y, dtype=y.dtype), t, *_rebuild(spec, (Tensor(a, dtype=a.dtype) for a in args)))
    return np.asarray(out._data if isinstance(out, Tensor) else out, dtype=y.dtype).reshape(y.shape)


_SCIPY_OPTIONS = (
    "rtol",
    "atol",
    "tcrit",
    "h0",
    "hmax",
    "hmin",
    "ixpr",
    "mxstep",
    "mxhnil",
    "mxordn",
    "mxords",
)
_SCIPY_OPTIONS += ("printmessg", "ml", "mu")


def _scipy_options(options: dict) -> dict:
    for k in ("full_output", "tfirst", "Dfun", "col_deriv"):
        if options.get(k):
            raise ValueError(f"odeint: scipy's {k}= is not supported (func is called as func(y, t, *args))")
    unknown = sorted(set(options) - set(_SCIPY_OPTIONS) - {"full_output", "tfirst", "Dfun", "col_deriv"})
    if unknown:
        raise TypeError(
            f"odeint: unexpected keyword argument(s) {unknown}; scipy's options are {_SCIPY_OPTIONS}"
        )
    return {k: v for k, v in options.items() if k in _SCIPY_OPTIONS}


@op(
    family="integrate",
    namespace="autobp.integrate",
    numpy=None,
    method=False,
    rules=("odeint",),
)
def odeint(
    func: Callable, y0: Any, t: Any, args: tuple = (), *, substeps: int | None = None, **scipy_options: Any
) -> Tensor:
    """y at each time of ``t`` (first row y0) for dy/dt = func(y, t, *args), scipy.integrate.odeint's
    signature; ``func`` is written with autobp ops and ``args`` may hold pytrees of arrays (a list of
    layers' (W, b)), passed to ``func`` as given. By default scipy's own solver (LSODA) integrates,
    with scipy's options (``rtol``, ``atol``, ``mxstep``, ...), so the values are scipy's; the gradient
    integrates the adjoint system [y, a = dL/dy, dL/dt, dL/dargs] backwards between the output times
    with the same solver and options. ``substeps=n`` uses n fixed RK4 steps per interval instead
    (forward and adjoint). Either way the adjoint re-integrates the state backwards, which is accurate
    for non-stiff problems (a stiff, strongly contracting one amplifies errors when run backwards).
    Under ``create_graph`` the adjoint is solved by odeint itself, so the gradient differentiates
    again, to any order (as HIPS autograd's odeint)."""
    y0 = as_tensor(y0)
    tt = as_tensor(t)
    if tt.ndim != 1 or tt.shape[0] < 1:
        raise ValueError(f"odeint: t must be a 1-d sequence of times, got shape {tt.shape}")
    for v in (y0, tt, *(a for a in args if isinstance(a, Tensor))):  # scipy's odeint is real-only too
        refuse_complex(v, "odeint", "the solver and its adjoint gradient are real-only (as scipy's)")
    if y0.dtype.kind != "f":
        y0 = Tensor._const(y0._data.astype(np.float64))
    opts = _scipy_options(scipy_options)
    targs, static, tdef = _split_args(args)
    spec = (static, tdef)
    arrays = tuple(a._data.astype(y0.dtype, copy=False) for a in targs)
    times = tt._data.astype(np.float64)
    if substeps is None:
        shape = y0.shape
        y64 = y0._data.astype(np.float64)
        a64 = tuple(a.astype(np.float64, copy=False) for a in arrays)
        rhs = lambda y, tau: _call(func, y.reshape(shape), tau, a64, spec).ravel()  # noqa: E731
        import scipy.integrate  # here, not at import: it takes half a second to import

        out = scipy.integrate.odeint(rhs, y64.ravel(), times, **opts).reshape((len(times), *shape))
        out = out.astype(y0.dtype, copy=False)
    else:
        ys = [y0._data]
        for i in range(1, len(times)):
            (y,) = _rk4(
                lambda s, tau: [_call(func, s[0], tau, arrays, spec)],
                [ys[-1]],
                times[i - 1],
                times[i],
                substeps,
            )
            ys.append(y)
        out = np.stack(ys).astype(y0.dtype, copy=False)
    return Tensor._make(out, (y0, tt, *targs), "odeint", (func, substeps, spec, opts))


def _vjp_at(func: Callable, spec: tuple, y: np.ndarray, tau: float, a: np.ndarray, params: list, wrt_t: bool):
    """f(y, tau) and a^T df/dy, a^T df/dtau (when ``wrt_t``; else 0), a^T df/dargs (zeros where unused)."""
    with enable_grad():
        yt = Tensor(y, requires_grad=True, dtype=y.dtype)
        tt = Tensor(np.asarray(tau, dtype=y.dtype), requires_grad=True) if wrt_t else tau
        pts = [Tensor(p, requires_grad=p.dtype.kind == "f", dtype=p.dtype) for p in params]
        f = func(yt, tt, *_rebuild(spec, pts))
        wrt = [yt] + ([tt] if wrt_t else []) + [p for p in pts if p.requires_grad]
        gs = (
            grad(f, wrt, grad_outputs=Tensor(a.reshape(f.shape), dtype=a.dtype), allow_unused=True)
            if isinstance(f, Tensor) and f.requires_grad
            else (None,) * len(wrt)
        )
    gs = list(gs)
    gy = np.zeros_like(y) if gs[0] is None else np.asarray(gs[0]._data)
    gt = 0.0
    if wrt_t:
        gt = 0.0 if gs[1] is None else float(gs[1]._data)
        gs = gs[1:]
    it = iter(gs[1:])
    ga = [next(it) if p.requires_grad else None for p in pts]
    fv = np.asarray(f._data if isinstance(f, Tensor) else f, dtype=y.dtype).reshape(y.shape)
    return fv, gy, gt, [np.zeros_like(p) if q is None else np.asarray(q._data) for p, q in zip(params, ga)]


@rule("odeint")  # ctx = (func, substeps, args' spec, scipy options); the adjoint method, interval by interval
def _odeint(F, g, out, xs, ctx, need):
    if isinstance(g, Tensor):  # create_graph: the adjoint solved by odeint itself, differentiable again
        return recorded_adjoint(g, out, xs, ctx, need, odeint)
    func, substeps, spec, opts = ctx
    y_all, times = out, np.asarray(xs[1], dtype=np.float64)
    if substeps is None:
        return _adjoint_scipy(func, spec, opts, np.asarray(g, np.float64), y_all, times, xs, need)
    params = [np.asarray(a, dtype=y_all.dtype) for a in xs[2:]]

    def augmented(state: list, tau: float) -> list:
        y, a = state[0], state[1]
        f, ay, _, ap = _vjp_at(func, spec, y, tau, a, params, False)
        return [f, -ay, *(-q for q in ap)]

    n = len(times)
    a = g[n - 1].copy()
    y = y_all[n - 1]
    gt = np.zeros(n, dtype=y_all.dtype)
    gparams = [np.zeros_like(p) for p in params]
    for i in range(n - 1, 0, -1):
        gt[i] = np.sum(_call(func, y_all[i], times[i], tuple(params), spec) * g[i])  # t_i moves y_i along f
        state = _rk4(augmented, [y, a, *gparams], times[i], times[i - 1], substeps)
        y, a, gparams = y_all[i - 1], state[1], state[2:]  # restart from the stored y (less drift)
        if i - 1 == 0:
            gt[0] = -np.sum(_call(func, y, times[0], tuple(params), spec) * a)  # t0 shifts the whole path
        a = a + g[i - 1]
    return (
        a if need[0] else None,
        gt if need[1] else None,
        *(gp if nd else None for gp, nd in zip(gparams, need[2:])),
    )


def _adjoint_scipy(func, spec, opts, g, y_all, times, xs, need) -> tuple:
    """The adjoint system integrated backwards by scipy's solver, one flat state
    [y, a = dL/dy, dL/dt0, dL/dargs] per interval, restarted from the stored y at each output time."""
    import scipy.integrate

    shape = y_all.shape[1:]
    params = [np.asarray(p, dtype=np.float64) for p in xs[2:]]
    sizes = [p.size for p in params]
    n_y = int(np.prod(shape, dtype=np.int64))

    def augmented(state: np.ndarray, tau: float) -> np.ndarray:
        y, a = state[:n_y].reshape(shape), state[n_y : 2 * n_y].reshape(shape)
        f, ay, at, ap = _vjp_at(func, spec, y, tau, a, params, True)
        return np.concatenate([f.ravel(), -ay.ravel(), [-at], *(-q.ravel() for q in ap)])

    n = len(times)
    a = g[n - 1].ravel()
    a_t0 = 0.0
    a_p = np.zeros(sum(sizes))
    gt = np.zeros(n)
    for i in range(n - 1, 0, -1):
        y_i = np.asarray(y_all[i], np.float64)
        f_i = _call(func, y_i, times[i], tuple(params), spec)
        gt[i] = float(np.dot(f_i.ravel(), g[i].ravel()))  # moving t_i moves y_i along f
        a_t0 -= gt[i]
        state0 = np.concatenate([y_i.ravel(), a, [a_t0], a_p])
        end = scipy.integrate.odeint(augmented, state0, times[[i, i - 1]], **opts)[1]
        a, a_t0, a_p = end[n_y : 2 * n_y] + g[i - 1].ravel(), end[2 * n_y], end[2 * n_y + 1 :]
    gt[0] = a_t0
    splits = np.split(a_p, np.cumsum(sizes)[:-1]) if sizes else []
    dtype = y_all.dtype
    return (
        a.reshape(shape).astype(dtype) if need[0] else None,
        gt.astype(xs[1].dtype if xs[1].dtype.kind == "f" else np.float64) if need[1] else None,
        *(s.reshape(p.shape) if nd else None for s, p, nd in zip(splits, params, need[2:])),
    )


from .ops.trapezoid import cumulative_trapezoid, trapezoid  # noqa: E402  scipy.integrate's names

__all__ = ["odeint", "trapezoid", "cumulative_trapezoid"]
