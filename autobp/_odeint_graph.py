"""odeint's gradient under ``create_graph``, recorded so that it is differentiable again (as HIPS
autograd's is): the same adjoint system as ``integrate._adjoint_scipy``, [y, a = dL/dy, dL/dt0,
dL/dargs] integrated backwards between the output times, but solved by ``odeint`` itself, with its
dynamics written in autobp ops (func's vector-Jacobian products taken with ``create_graph``). The
result is a graph of odeint calls, so its own gradient is again this adjoint, to any order; func must
be differentiable to one order more than the derivative asked for."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ._graph import enable_grad
from .autograd import grad
from .ops import concatenate, stack, zeros_like
from .tensor import Tensor


def _node(x: Any, dtype: Any) -> Tensor:
    """``x`` as an input to differentiate at: a new node of it if it is on a graph (so the gradient
    taken at it is the partial derivative, not through other inputs that ``x`` depends on, and the
    graph upstream of ``x`` is not visited), else a fresh leaf."""
    if isinstance(x, Tensor) and x.requires_grad:
        return x.clone()
    data = x._data if isinstance(x, Tensor) else np.asarray(x, dtype=dtype)
    return Tensor(data, requires_grad=True, dtype=data.dtype)


def _augmented(func: Callable, rebuild: Callable, shape: tuple, floats: list) -> Callable:
    """The adjoint dynamics d/dtau [y, a, a_t, a_p] = [f, -aᵀ∂f/∂y, -aᵀ∂f/∂t, -aᵀ∂f/∂args] in autobp ops;
    ``floats`` marks the arguments differentiated (the float ones: odeint hands func every argument
    in y's dtype, so the marks come from the arguments as the user gave them)."""
    n_y = int(np.prod(shape, dtype=np.int64))

    def dynamics(state: Tensor, tau: Any, *params: Tensor) -> Tensor:
        with enable_grad():
            y = _node(state[:n_y].reshape(shape), state.dtype)
            t = _node(tau, state.dtype)
            ps = [_node(p, p.dtype) if d else p for p, d in zip(params, floats)]
            f = func(y, t, *rebuild(ps))
            f = f if isinstance(f, Tensor) else Tensor(np.asarray(f, dtype=state.dtype))
            wrt = [y, t, *(p for p, d in zip(ps, floats) if d)]
            a = state[n_y : 2 * n_y].reshape(f.shape)
            gs = [None] * len(wrt)
            if f.requires_grad:
                gs = grad(f, wrt, grad_outputs=a, create_graph=True, allow_unused=True)
            gs = [zeros_like(w) if g is None else g for g, w in zip(gs, wrt)]
            return concatenate([f.reshape(-1), *(-g.reshape(-1) for g in gs)])

    return dynamics


def recorded_adjoint(g: Tensor, out: Tensor, xs: tuple, ctx: tuple, need: tuple, odeint: Callable) -> tuple:
    """odeint's vector-Jacobian products (y0, t, each argument) as recorded Tensors."""
    from .integrate import _rebuild

    func, substeps, spec, opts = ctx
    y0, tt, *params = xs
    shape, n, n_y = y0.shape, tt.shape[0], y0.size
    rebuild = lambda ps: _rebuild(spec, ps)  # noqa: E731
    floats = [p.dtype.kind == "f" for p in params]
    dynamics = _augmented(func, rebuild, shape, floats)
    dt = out.dtype
    a = g[n - 1].reshape(-1)
    a_t = Tensor._const(np.zeros(1, dt))
    a_p = Tensor._const(np.zeros(sum(p.size for p, d in zip(params, floats) if d), dt))
    gts: list = [None] * n
    for i in range(n - 1, 0, -1):
        with enable_grad():
            f_i = func(out[i], tt[i], *rebuild(params))
        gts[i] = (f_i * g[i]).sum()  # moving t_i moves y_i along f
        a_t = a_t - gts[i].reshape(1)
        state0 = concatenate([out[i].reshape(-1), a, a_t, a_p])
        interval = stack([tt[i], tt[i - 1]])
        end = odeint(dynamics, state0, interval, args=tuple(params), substeps=substeps, **opts)[1]
        a = end[n_y : 2 * n_y] + g[i - 1].reshape(-1)
        a_t, a_p = end[2 * n_y : 2 * n_y + 1], end[2 * n_y + 1 :]
    gts[0] = a_t.reshape(())
    grads, k = [], 0
    for p, d, wanted in zip(params, floats, need[2:]):
        if not d:
            grads.append(None)
            continue
        grads.append(a_p[k : k + p.size].reshape(p.shape) if wanted else None)
        k += p.size
    return (
        a.reshape(shape) if need[0] else None,
        stack(gts).astype(tt.dtype if tt.dtype.kind == "f" else np.float64) if need[1] else None,
        *grads,
    )
