"""Function transforms on Tensor functions: vjp, jvp, jacobian, hessian, hvp.

Each takes ``fn`` and its inputs and builds only on ``autobp.grad``: jvp is the double-vjp trick,
hessian and hvp differentiate a gradient computed with ``create_graph=True``. Inputs that do not
require grad are differentiated as fresh copies (the caller's ``.grad`` untouched); inputs that do
are kept and every pass is recorded, so the transforms nest (a jvp inside grad, grad of an hvp).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .autograd import grad
from .ops import stack
from .tensor import Tensor


def _nested(inputs: Any) -> bool:
    """True when an input already carries a graph (requires grad): the transform then runs inside an
    outer differentiation, so it keeps the inputs and records its own passes (create_graph), as JAX's
    transforms nest."""
    items = inputs if isinstance(inputs, (tuple, list)) else [inputs]
    return any(isinstance(x, Tensor) and x.requires_grad for x in items)


def _leaves(inputs: Any, who: str, keep: bool = False) -> tuple[list[Tensor], bool]:
    """Fresh float leaves (requires_grad) with the inputs' data; ``single`` when one input was given.

    With ``keep``, Tensors that already require grad are used as they are, so the
    result stays connected to the caller's graph (for nesting transforms).
    """
    single = not isinstance(inputs, (tuple, list))
    items = [inputs] if single else list(inputs)
    if not items:
        raise ValueError(f"{who}: no inputs given")
    leaves = []
    for i, x in enumerate(items):
        if keep and isinstance(x, Tensor) and x.requires_grad:
            leaves.append(x)
            continue
        arr = np.asarray(x.data if isinstance(x, Tensor) else x)
        if arr.dtype.kind in "iub":
            arr = arr.astype(np.float64)
        elif arr.dtype.kind != "f":
            raise TypeError(f"{who}: input {i} is not a real-valued array (dtype {arr.dtype})")
        leaves.append(Tensor(arr, requires_grad=True, dtype=arr.dtype))
    return leaves, single


def _outputs(out: Any, who: str) -> tuple[list[Tensor], bool]:
    single = not isinstance(out, (tuple, list))
    outs = [out] if single else list(out)
    for k, o in enumerate(outs):
        if not isinstance(o, Tensor):
            raise TypeError(f"{who}: fn returned a {type(o).__name__} as output {k}; expected Tensors")
    return outs, single


def _vectors(vs: Any, like: list[Tensor], who: str, what: str) -> list[np.ndarray]:
    """One array per tensor in ``like``, each checked to have that tensor's shape."""
    items = [vs] if len(like) == 1 and not isinstance(vs, (tuple, list)) else list(vs)
    if len(items) != len(like):
        raise ValueError(f"{who}: {len(items)} {what} for {len(like)} tensors")
    out = []
    for i, (v, t) in enumerate(zip(items, like)):
        arr = np.asarray(v.data if isinstance(v, Tensor) else v, dtype=t.dtype)
        if arr.shape != t.shape:
            raise ValueError(f"{who}: {what}[{i}] has shape {arr.shape}, but it must match shape {t.shape}")
        out.append(arr)
    return out


def _detached(out: Any) -> Any:
    if isinstance(out, (tuple, list)):
        return tuple(o.detach() for o in out)
    return out.detach()


def _grads(outs: list, xs: list, seeds: list, create_graph: bool = False) -> list[Tensor]:
    """sum_k seeds[k]^T d outs[k] / d xs, zeros where an input is unused; graph kept."""
    pairs = [(o, s) for o, s in zip(outs, seeds) if o.requires_grad]
    if not pairs:
        return [Tensor._const(np.zeros(x.shape, x.dtype)) for x in xs]
    gs = grad(
        [o for o, _ in pairs],
        xs,
        grad_outputs=[s for _, s in pairs],
        retain_graph=True,
        create_graph=create_graph,
        allow_unused=True,
    )
    return [Tensor._const(np.zeros(x.shape, x.dtype)) if g is None else g for x, g in zip(xs, gs)]


def vjp(fn: Callable[..., Any], *inputs: Any) -> tuple[Any, Callable[..., Any]]:
    """``fn``'s outputs (detached) and its pullback: ``pullback(*cotangents)`` = v^T J, one per input.

    >>> out, pullback = vjp(lambda x: x * x, Tensor([1.0, 2.0]))
    >>> pullback(np.ones(2))[0].data
    array([2., 4.])
    """
    nested = _nested(list(inputs))
    xs, _ = _leaves(list(inputs), "vjp", keep=nested)
    out = fn(*xs)
    outs, _ = _outputs(out, "vjp")

    def pullback(*cotangents: Any) -> tuple[Tensor, ...]:
        if not cotangents and all(o.size == 1 for o in outs):
            cotangents = tuple(np.ones(o.shape) for o in outs)
        if nested and all(isinstance(c, Tensor) for c in cotangents):
            seeds = list(cotangents)  # differentiable cotangents stay on the graph
        else:
            seeds = [Tensor._const(v) for v in _vectors(list(cotangents), outs, "vjp", "cotangents")]
        return tuple(_grads(outs, xs, seeds, create_graph=nested))

    return (out if nested else _detached(out)), pullback


def jvp(fn: Callable[..., Any], inputs: Any, tangents: Any) -> tuple[Any, Any]:
    """``fn``'s outputs and J t, the derivative along ``tangents``, by the double-vjp trick.

    g(u) = u^T J is linear in a dummy cotangent u, so differentiating <g(u), t>
    with respect to u gives J t with two reverse passes and no forward mode.
    """
    nested = _nested(inputs) or _nested(tangents)
    xs, single_in = _leaves(inputs, "jvp", keep=nested)
    if nested and all(
        isinstance(t, Tensor) for t in (tangents if isinstance(tangents, (tuple, list)) else [tangents])
    ):
        ts = list(tangents) if isinstance(tangents, (tuple, list)) else [tangents]
    else:
        ts = [Tensor._const(t) for t in _vectors(tangents, xs, "jvp", "tangents")]
    out = fn(*xs)
    outs, single_out = _outputs(out, "jvp")
    us = [Tensor(np.zeros(o.shape, o.dtype), requires_grad=True, dtype=o.dtype) for o in outs]
    gs = _grads(outs, xs, us, create_graph=True)
    live = [(g, t) for g, t in zip(gs, ts) if g.requires_grad]
    if live:
        jt = grad(
            [g for g, _ in live],
            us,
            grad_outputs=[t for _, t in live],
            allow_unused=True,
            create_graph=nested,
            retain_graph=nested,
        )
    else:
        jt = [None] * len(us)
    res = [Tensor._const(np.zeros(o.shape, o.dtype)) if j is None else j for o, j in zip(outs, jt)]
    return (out if nested else _detached(out)), res[0] if single_out else tuple(res)


def _jacobian_rows(outs: list[Tensor], xs: list[Tensor], create_graph: bool) -> list[list[Tensor]]:
    """blocks[k][i] = d outs[k] / d xs[i], of shape outs[k].shape + xs[i].shape; one backward per row."""
    blocks = []
    for o in outs:
        rows: list[list] = [[] for _ in xs]
        for j in range(o.size):
            e = np.zeros(o.size, dtype=o.dtype)
            e[j] = 1
            gs = _grads([o], xs, [Tensor._const(e.reshape(o.shape))], create_graph)
            for r, g in zip(rows, gs):
                r.append(g)
        row_blocks = []
        for x, r in zip(xs, rows):
            if not r:
                row_blocks.append(Tensor._const(np.zeros(o.shape + x.shape, x.dtype)))
            elif create_graph:
                row_blocks.append(stack(r).reshape(o.shape + x.shape))
            else:
                rows_np = np.stack([np.asarray(g.data) for g in r])
                row_blocks.append(Tensor._const(rows_np.reshape(o.shape + x.shape)))
        blocks.append(row_blocks)
    return blocks


def _shape_result(blocks: list, single_out: bool, single_in: bool) -> Any:
    rows = [b[0] if single_in else tuple(b) for b in blocks]
    return rows[0] if single_out else tuple(rows)


def jacobian(fn: Callable[..., Any], inputs: Any, *, create_graph: bool = False) -> Any:
    """d fn / d inputs: a Tensor of shape ``out.shape + in.shape`` (tuples for several of either).

    With ``create_graph=True`` the result is differentiable with respect to the
    inputs that require grad (so transforms nest: the Jacobian of a Jacobian).

    >>> jacobian(lambda x: x * x, Tensor([1.0, 2.0])).data
    array([[2., 0.],
           [0., 4.]])
    """
    xs, single_in = _leaves(inputs, "jacobian", keep=create_graph)
    outs, single_out = _outputs(fn(*xs), "jacobian")
    return _shape_result(_jacobian_rows(outs, xs, create_graph), single_out, single_in)


def _scalar_output(fn: Callable[..., Any], xs: list[Tensor], who: str) -> Tensor:
    y = fn(*xs)
    if not isinstance(y, Tensor) or y.size != 1:
        shape = y.shape if isinstance(y, Tensor) else type(y).__name__
        raise ValueError(f"{who}: fn must return a single-element Tensor, got {shape}")
    return y


def hessian(fn: Callable[..., Any], inputs: Any) -> Any:
    """Second derivatives of a scalar ``fn``: blocks of shape ``in_i.shape + in_j.shape``."""
    nested = _nested(inputs)
    xs, single = _leaves(inputs, "hessian", keep=nested)
    y = _scalar_output(fn, xs, "hessian")
    gs = _grads([y], xs, [Tensor._const(np.ones(y.shape, y.dtype))], create_graph=True)
    return _shape_result(_jacobian_rows(gs, xs, create_graph=nested), single, single)


def hvp(fn: Callable[..., Any], inputs: Any, v: Any) -> tuple[Tensor, Any]:
    """``(fn(inputs), H v)`` for a scalar ``fn``, without forming the Hessian: d<grad, v>/d inputs."""
    nested = _nested(inputs)
    xs, single = _leaves(inputs, "hvp", keep=nested)
    vs = _vectors(v, xs, "hvp", "v")
    y = _scalar_output(fn, xs, "hvp")
    gs = _grads([y], xs, [Tensor._const(np.ones(y.shape, y.dtype))], create_graph=True)
    hv = _grads(gs, xs, [Tensor._const(a) for a in vs], create_graph=nested)
    return (y if nested else y.detach()), hv[0] if single else tuple(hv)
