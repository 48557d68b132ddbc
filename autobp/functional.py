"""Function transforms on Tensor functions: vjp, jvp, jacobian, hessian, hvp, vhp.

Each takes ``fn`` and its inputs and builds on ``autobp.grad``: jvp is the double-vjp trick,
hessian and hvp differentiate a gradient computed with ``create_graph=True``; jacobian and hessian
take all rows from one batched backward (``_batched_backward``) unless ``vectorize=False``. Inputs that do not
require grad are differentiated as fresh copies (the caller's ``.grad`` untouched). They nest as JAX's
do: when an input requires grad, or ``fn`` reaches another graph (a Tensor it closes over requires
grad), or a tangent/cotangent requires grad, every pass is recorded and the result is differentiable
with respect to all of them (``_transform_inputs.nests``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ._batched_backward import batched_backward
from ._transform_inputs import directions, leaves, nests, outputs
from .autograd import grad
from .ops import stack
from .tensor import Tensor


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
    """``fn``'s outputs and its pullback: ``pullback(*cotangents)`` = v^T J, one per input.

    The outputs are detached unless the call nests (an input requires grad, or ``fn`` reaches another
    graph); the pullback's results are differentiable with respect to those and to cotangents that
    require grad.

    >>> out, pullback = vjp(lambda x: x * x, Tensor([1.0, 2.0]))
    >>> pullback(np.ones(2))[0].data
    array([2., 4.])
    """
    xs, _, kept = leaves(list(inputs), "vjp")
    out = fn(*xs)
    outs, _ = outputs(out, "vjp")
    nested = nests(None, kept, outs, xs)

    def pullback(*cotangents: Any) -> tuple[Tensor, ...]:
        if not cotangents and all(o.size == 1 for o in outs):
            cotangents = tuple(np.ones(o.shape) for o in outs)
        seeds, live = directions(list(cotangents), outs, "vjp", "cotangents")
        return tuple(_grads(outs, xs, seeds, create_graph=nested or live))

    return (out if nested else _detached(out)), pullback


def jvp(fn: Callable[..., Any], inputs: Any, tangents: Any) -> tuple[Any, Any]:
    """``fn``'s outputs and J t, the derivative along ``tangents``, by the double-vjp trick.

    g(u) = u^T J is linear in a dummy cotangent u, so differentiating <g(u), t>
    with respect to u gives J t with two reverse passes and no forward mode. Nested (an input or a
    tangent requires grad, or ``fn`` reaches another graph), both are differentiable again.
    """
    xs, single_in, kept = leaves(inputs, "jvp")
    ts, live = directions(tangents, xs, "jvp", "tangents")
    out = fn(*xs)
    outs, single_out = outputs(out, "jvp")
    nested = live or nests(None, kept, outs, xs)
    us = [Tensor(np.ones(o.shape, o.dtype), requires_grad=True, dtype=o.dtype) for o in outs]
    gs = _grads(outs, xs, us, create_graph=True)
    pairs = [(g, t) for g, t in zip(gs, ts) if g.requires_grad]
    if pairs:
        jt = grad(
            [g for g, _ in pairs],
            us,
            grad_outputs=[t for _, t in pairs],
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


def _identity_seeds(outs: list[Tensor], create_graph: bool) -> tuple[list[Tensor], list[int]]:
    """One stacked cotangent per output, (B,) + out.shape with B = the outputs' total size: row
    offsets[k] + j is the j-th unit vector of output k (zero on the other outputs)."""
    total = sum(o.size for o in outs)
    seeds, offsets, start = [], [], 0
    for o in outs:
        seed = np.zeros((total, o.size), dtype=o.dtype)
        seed[start : start + o.size] = np.eye(o.size, dtype=o.dtype)
        seed = seed.reshape((total,) + o.shape)
        seeds.append(Tensor._const(seed) if create_graph else seed)
        offsets.append(start)
        start += o.size
    return seeds, offsets


def _jacobian_batched(outs: list[Tensor], xs: list[Tensor], create_graph: bool) -> list[list[Tensor]]:
    """blocks[k][i] = d outs[k] / d xs[i] from ONE batched backward seeded with the identity."""
    live = [o for o in outs if o.requires_grad]
    seeds, offsets = _identity_seeds(live, create_graph)
    gs = batched_backward(live, seeds, xs, create_graph=create_graph) if live else [None] * len(xs)
    at = dict(zip(map(id, live), offsets))
    blocks = []
    for o in outs:
        row = []
        for x, g in zip(xs, gs):
            if g is None or id(o) not in at:
                row.append(Tensor._const(np.zeros(o.shape + x.shape, x.dtype)))
                continue
            part = g[at[id(o)] : at[id(o)] + o.size].reshape(o.shape + x.shape)
            row.append(part if create_graph else Tensor._const(np.asarray(part)))
        blocks.append(row)
    return blocks


def _jacobian_columns(outs: list[Tensor], xs: list[Tensor], create_graph: bool) -> list[list[Tensor]]:
    """The same blocks column by column: J t for every unit tangent t of the inputs at once, by the
    double-vjp trick (u^T J is linear in a dummy cotangent u; one batched backward of it with respect
    to u, seeded with the identity over the inputs' elements, gives every column J e_j)."""
    us = [Tensor(np.ones(o.shape, o.dtype), requires_grad=True, dtype=o.dtype) for o in outs]
    pulled = _grads(outs, xs, us, create_graph=True)  # u^T d outs / d xs, recorded as a function of u
    live = [(p, x) for p, x in zip(pulled, xs) if p.requires_grad]
    seeds, offsets = _identity_seeds([x for _, x in live], create_graph)
    roots = [p for p, _ in live]
    cols = batched_backward(roots, seeds, us, create_graph=create_graph) if roots else [None] * len(us)
    at = dict(zip((id(x) for _, x in live), offsets))
    blocks = []
    for o, c in zip(outs, cols):
        row = []
        for x in xs:
            if c is None or id(x) not in at:
                row.append(Tensor._const(np.zeros(o.shape + x.shape, x.dtype)))
                continue
            part = c[at[id(x)] : at[id(x)] + x.size].reshape(x.shape + o.shape)
            moved = list(range(x.ndim, x.ndim + o.ndim)) + list(range(x.ndim))  # to out.shape + x.shape
            part = part.transpose(moved) if create_graph else Tensor._const(np.asarray(part).transpose(moved))
            row.append(part)
        blocks.append(row)
    return blocks


_STRATEGIES = ("reverse-mode", "forward-mode")


def _blocks(outs: list, xs: list, create_graph: bool, vectorize: bool, strategy: str, who: str) -> list:
    if strategy not in _STRATEGIES:
        raise ValueError(f"{who}: strategy must be one of {_STRATEGIES}, got {strategy!r}")
    if strategy == "forward-mode":
        if not vectorize:
            raise ValueError(f'{who}: strategy="forward-mode" needs vectorize=True (as in PyTorch)')
        return _jacobian_columns(outs, xs, create_graph)
    return (_jacobian_batched if vectorize else _jacobian_rows)(outs, xs, create_graph)


def jacobian(
    fn: Callable[..., Any],
    inputs: Any,
    *,
    create_graph: bool | None = None,
    vectorize: bool = True,
    strategy: str = "reverse-mode",
) -> Any:
    """d fn / d inputs: a Tensor of shape ``out.shape + in.shape`` (tuples for several of either).

    ``vectorize=True`` (the default) computes every row in ONE batched backward (the cotangents are
    the identity, carried with a leading batch axis through the graph); ``vectorize=False`` runs one
    backward per output element. ``strategy="forward-mode"`` builds it column by column instead
    (cheaper for few inputs and many outputs), by the double-vjp trick, also in one batched pass.
    The result is differentiable (every pass recorded) with ``create_graph=True``, and by default
    (None) when an outer graph needs it: an input requires grad, or ``fn`` reaches a Tensor that does
    (so transforms nest: grad of a Jacobian, the Jacobian of a Jacobian). ``create_graph=False``
    returns constants in any case (``torch.autograd.functional``'s meaning).

    >>> jacobian(lambda x: x * x, Tensor([1.0, 2.0])).data
    array([[2., 0.],
           [0., 4.]])
    """
    xs, single_in, kept = leaves(inputs, "jacobian", keep=create_graph is not False)
    outs, single_out = outputs(fn(*xs), "jacobian")
    nested = nests(create_graph, kept, outs, xs)
    blocks = _blocks(outs, xs, nested, vectorize, strategy, "jacobian")
    return _shape_result(blocks, single_out, single_in)


def _scalar_output(fn: Callable[..., Any], xs: list[Tensor], who: str) -> Tensor:
    y = fn(*xs)
    if not isinstance(y, Tensor) or y.size != 1:
        shape = y.shape if isinstance(y, Tensor) else type(y).__name__
        raise ValueError(f"{who}: fn must return a single-element Tensor, got {shape}")
    return y


def hessian(
    fn: Callable[..., Any],
    inputs: Any,
    *,
    create_graph: bool | None = None,
    vectorize: bool = True,
    outer_jacobian_strategy: str = "reverse-mode",
) -> Any:
    """Second derivatives of a scalar ``fn``: blocks of shape ``in_i.shape + in_j.shape``.

    The Jacobian of the gradient (recorded with create_graph), from one batched backward through the
    gradient's graph (``vectorize=True``, the default) or one backward per row. The outer Jacobian is
    reverse-over-reverse, or ``outer_jacobian_strategy="forward-mode"``: forward-over-reverse, the
    columns H e_j as Jacobian-vector products of the gradient (double-vjp, batched). ``create_graph``
    as in ``jacobian``: by default the result is differentiable when an outer graph needs it.
    """
    xs, single, kept = leaves(inputs, "hessian", keep=create_graph is not False)
    y = _scalar_output(fn, xs, "hessian")
    nested = nests(create_graph, kept, [y], xs)
    gs = _grads([y], xs, [Tensor._const(np.ones(y.shape, y.dtype))], create_graph=True)
    blocks = _blocks(gs, xs, nested, vectorize, outer_jacobian_strategy, "hessian")
    return _shape_result(blocks, single, single)


def hvp(fn: Callable[..., Any], inputs: Any, v: Any) -> tuple[Tensor, Any]:
    """``(fn(inputs), H v)`` for a scalar ``fn``, without forming the Hessian: d<grad, v>/d inputs.
    Nested (an input or ``v`` requires grad, or ``fn`` reaches another graph), both are differentiable."""
    return _hessian_product(fn, inputs, v, "hvp")


def vhp(fn: Callable[..., Any], inputs: Any, v: Any) -> tuple[Tensor, Any]:
    """``(fn(inputs), vᵀ H)`` for a scalar ``fn`` (``torch.autograd.functional.vhp``): d<grad, v>/d inputs,
    which is what reverse mode computes directly; equal to ``hvp`` wherever the Hessian is symmetric
    (``fn`` twice continuously differentiable)."""
    return _hessian_product(fn, inputs, v, "vhp")


def _hessian_product(fn: Callable[..., Any], inputs: Any, v: Any, who: str) -> tuple[Tensor, Any]:
    xs, single, kept = leaves(inputs, who)
    vs, live = directions(v, xs, who, "v")
    y = _scalar_output(fn, xs, who)
    nested = live or nests(None, kept, [y], xs)
    gs = _grads([y], xs, [Tensor._const(np.ones(y.shape, y.dtype))], create_graph=True)
    hv = _grads(gs, xs, vs, create_graph=nested)
    return (y if nested else y.detach()), hv[0] if single else tuple(hv)
