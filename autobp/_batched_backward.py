"""A reverse pass that carries B cotangents at once: every gradient has a leading batch axis, and
each node's rule runs once on the whole batch where it is known to be right so (vmap of the vjp).

``functional.jacobian`` and ``hessian`` seed it with the identity (one row per output element) and
get the whole Jacobian from one pass instead of one backward per row. Rules written with
broadcasting operators are already correct when ``g`` has an extra leading axis (``g * y``); the
others get a small batched adapter here (axes shifted by one, reshapes to ``(B,) + shape``), and a
rule that is in neither list runs once per batch slice for that node alone (always correct).
"""

from __future__ import annotations

from collections.abc import Callable
from heapq import heappop, heappush
from typing import Any

import numpy as np

from ._engine import _between
from ._graph import _released, set_mode
from ._inplace import Clock, check_versions
from .rules import RULES

# Rules whose result is right when g is (B,) + out.shape: they combine g only elementwise (with
# broadcasting) with arrays of the inputs' or the output's shape, so every batch row is the rule's
# own result for that row. Checked row by row against the loop for every op-table case
# (tests/test_jacobian_batched.py), so a rule listed here wrongly makes the suite fail.
POLYMORPHIC = frozenset(
    """abs add arccos arccosh arcsin arcsinh arctan arctan2 arctanh astype betaln broadcast_to ceil
    clip clip_tensor copysign cos cosh deg2rad digamma div div_rounded elu erf erfc erfinv exp exp2
    expm1 float_power floor fmax fmod gamma gammaln gelu hardshrink hardsigmoid hardswish hardtanh
    hypot i0 i0e i1 i1e inv leaky_relu lerp log log10 log1p log2 log_ndtr logaddexp logaddexp2 logit
    logsigmoid masked_fill maximum minimum mish mul nan_to_num ndtr ndtri neg polygamma pow
    pow_scalar prelu rad2deg reciprocal relu remainder round rsqrt sigmoid sign silu sin sinc sinh
    softplus softshrink softsign sqrt square sub tan tanh tanhshrink threshold triangle trunc where xlog1py
    xlogy""".split()
)

# Batched versions of rules that are not polymorphic as written: name -> adapter(F, g, out, xs, ctx,
# need) with g of shape (B,) + out.shape. Each calls RULES[name] (looked up at call time) where it can.
ADAPTERS: dict[str, Callable] = {}


def _adapter(*names: str) -> Callable[[Callable], Callable]:
    def register(fn: Callable) -> Callable:
        for name in names:
            ADAPTERS[name] = fn
        return fn

    return register


def _shift(axes: Any) -> Any:
    """Axes of an unbatched array as axes of the batched one (negative axes count from the end)."""
    if isinstance(axes, (tuple, list)):
        return type(axes)(_shift(a) for a in axes)
    return axes + 1 if axes >= 0 else axes


def _call(name: str, F: Any, g: Any, out: Any, xs: Any, ctx: Any, need: Any) -> tuple:
    return RULES[name](F, g, out, xs, ctx, need)


@_adapter("softmax", "log_softmax", "stack", "cumsum", "flip")  # ctx = the axis (or axes), >= 0
def _axis_ctx(F, g, out, xs, ctx, need, name):
    return _call(name, F, g, out, xs, _shift(ctx), need)


@_adapter("concatenate")  # ctx = (axis, split points)
def _concatenate(F, g, out, xs, ctx, need, name):
    return _call(name, F, g, out, xs, (_shift(ctx[0]), ctx[1]), need)


@_adapter("pad")  # ctx = the slices of the output holding the input
def _pad(F, g, out, xs, ctx, need, name):
    return (g[(slice(None),) + tuple(ctx)],)


@_adapter("reshape")
def _reshape(F, g, out, xs, ctx, need, name):
    return (g.reshape((g.shape[0],) + tuple(xs[0].shape)),)


@_adapter("transpose")  # ctx = the permutation; the batch axis stays in front
def _transpose(F, g, out, xs, ctx, need, name):
    inverse = [0] * len(ctx)
    for i, a in enumerate(ctx):
        inverse[a] = i + 1
    return (F.transpose(g, [0] + inverse),)


def _expand(g: Any, ctx: tuple) -> Any:
    """A reduction's batched g with the reduced axes put back as size 1 (ctx[1] = the kept shape)."""
    return g if ctx[1] is None else g.reshape((g.shape[0],) + tuple(ctx[1]))


def _unbatched_expand(a: Any, ctx: tuple) -> Any:
    return a if ctx[1] is None or a.ndim == 0 else a.reshape(ctx[1])


@_adapter("sum")
def _sum(F, g, out, xs, ctx, need, name):
    return (F.broadcast_to(_expand(g, ctx), (g.shape[0],) + tuple(xs[0].shape)),)


@_adapter("mean")  # ctx[2] = the number of elements averaged
def _mean(F, g, out, xs, ctx, need, name):
    return (F.broadcast_to(_expand(g, ctx) / ctx[2], (g.shape[0],) + tuple(xs[0].shape)),)


@_adapter("max", "min", "median", "nanmax", "nanmin", "nanmean", "nansum")  # ctx[2]: each x's share
def _max(F, g, out, xs, ctx, need, name):
    return (_expand(g, ctx) * ctx[2],)


@_adapter("logsumexp")
def _logsumexp(F, g, out, xs, ctx, need, name):
    w = F.exp(xs[0] - _unbatched_expand(out, ctx))
    return (_expand(g, ctx) * (F.conj(w) if w.dtype.kind == "c" else w),)  # complex: conj(softmax)


@_adapter("vector_norm", "linalg_vector_norm")  # ctx = (axes, kept shape or None, ord)
def _norm(F, g, out, xs, ctx, need, name):
    """The rule sees out broadcast over the batch too (it puts the reduced axes back into g and out
    alike), with ctx's axes and kept shape for batched arrays; ord 0 (a count) row by row."""
    if ctx[2] == 0:
        return _per_row(name, F, g, out, xs, ctx, need)
    batch = g.shape[0]
    outs = F.broadcast_to(out, (batch,) + tuple(out.shape))
    kept = None if ctx[1] is None else (batch,) + tuple(ctx[1])
    return _call(name, F, g, outs, xs, (_shift(ctx[0]), kept, ctx[2]), need)


@_adapter("var", "std")  # ctx = (axes, kept shape or None, (ddof, N))
def _var(F, g, out, xs, ctx, need, name):
    from .ops.statistics import _var_grad  # d var / dx = 2 (x - mean) / (N - ddof), times g

    x, ge = xs[0], _expand(g, ctx)
    if name == "std":  # d std = d var / (2 std), 0 where std is 0
        s = _unbatched_expand(out, ctx)
        flat = s == 0
        ge = F.where(flat, 0.0, ge / F.where(flat, 1.0, 2.0 * s))
    if x.size == 0:
        return (F.broadcast_to(ge, (g.shape[0],) + tuple(x.shape)),)
    return (_var_grad(F, ge, x, ctx),)


@_adapter("matmul")
def _matmul(F, g, out, xs, ctx, need, name):
    a, b = xs
    if a.ndim == 1 and b.ndim == 1:  # a dot product: g is (B,), one scalar per row
        gcol = g.reshape((g.shape[0], 1))
        return (gcol * b if need[0] else None), (gcol * a if need[1] else None)
    return _call(name, F, g, out, xs, ctx, need)  # written with @ and swapaxes(-1, -2): broadcasts


@_adapter("linear")  # out = x @ W.T (+ b)
def _linear(F, g, out, xs, ctx, need, name):
    x, W = xs[0], xs[1]
    gx = g @ W if need[0] else None
    gW = None
    if need[1]:  # summed over every leading axis of x, row by row of the batch
        rows = g.reshape((g.shape[0], -1, W.shape[0]))
        gW = rows.swapaxes(-1, -2) @ x.reshape(-1, W.shape[1])
    if len(xs) == 2:
        return gx, gW
    return gx, gW, (g if need[2] else None)


def _consecutive_advanced(index: tuple) -> bool | None:
    """True when prepending a full slice to ``index`` keeps numpy's result layout (basic indexing, or
    advanced indices next to each other); None when an entry is of a kind not vetted here."""
    spots = []
    arrays = False
    for k, i in enumerate(index):
        if i is None or i is Ellipsis or isinstance(i, slice):
            continue
        if isinstance(i, np.ndarray):
            arrays = True
        elif not isinstance(i, (int, np.integer)) or isinstance(i, (bool, np.bool_)):
            return None
        spots.append(k)
    # ints join the arrays as advanced indices: separated ones send the result's axes to the front
    return not arrays or not spots or spots[-1] - spots[0] == len(spots) - 1


def _batched_index(index: tuple) -> tuple:
    """``index`` with the batch axis in front, of the same kind (a DistinctIndex stays one)."""
    return type(index)((slice(None),) + tuple(index)) if isinstance(index, tuple) else (slice(None), index)


# ctx = an index into the input: getitem's own, or where sort/topk/cummax... took each value from
@_adapter("getitem", "sort", "topk", "kthvalue", "cummax", "cummin")
def _scatter_back(F, g, out, xs, ctx, need, name):
    if not isinstance(ctx, tuple) or not _consecutive_advanced(ctx):
        return _per_row(name, F, g, out, xs, ctx, need)
    return (F.scatter_add(g, _batched_index(ctx), (g.shape[0],) + tuple(xs[0].shape)),)


@_adapter("scatter_add")  # ctx = (index, shape): zeros(shape) with g added at index
def _gather_back(F, g, out, xs, ctx, need, name):
    if not isinstance(ctx[0], tuple) or not _consecutive_advanced(ctx[0]):
        return _per_row(name, F, g, out, xs, ctx, need)
    return (g[_batched_index(ctx[0])],)


@_adapter("roll")  # ctx = (shift, axis); axis None rolls the flattened tensor: row by row
def _roll(F, g, out, xs, ctx, need, name):
    if ctx[1] is None:
        return _per_row(name, F, g, out, xs, ctx, need)
    return _call(name, F, g, out, xs, (ctx[0], _shift(ctx[1])), need)


@_adapter("einsum")  # ctx = (input terms, output term): the batch is one more index, kept everywhere
def _einsum(F, g, out, xs, ctx, need, name):
    terms, res = ctx
    used = set(res).union(*terms)
    z = next((c for c in "ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrqponmlkjihgfedcba" if c not in used), None)
    if z is None:  # all 52 letters taken: no name left for the batch index
        return _per_row(name, F, g, out, xs, ctx, need)
    batch = g.shape[0]
    grads = []
    for i, t in enumerate(terms):
        if not need[i]:
            grads.append(None)
            continue
        others = [terms[j] for j in range(len(terms)) if j != i]
        reach = set(res).union(*others)
        sizes = dict(zip(t, xs[i].shape))
        own = list(dict.fromkeys(t))
        kept = [c for c in own if c in reach]
        spec = ",".join([z + res] + others) + "->" + z + "".join(kept)
        gi = F.einsum(spec, g, *(xs[j] for j in range(len(terms)) if j != i))
        if len(kept) < len(own):  # indices summed inside operand i alone: d/dx is 1 along them
            gi = gi.reshape((batch,) + tuple(sizes[c] if c in kept else 1 for c in own))
            gi = F.broadcast_to(gi, (batch,) + tuple(sizes[c] for c in own))
        if len(own) < len(t):  # a repeated index reads a diagonal: the gradient lives on it
            grid = {c: (1,) * k + (-1,) + (1,) * (len(own) - k - 1) for k, c in enumerate(own)}
            where = {c: np.arange(sizes[c]).reshape(grid[c]) for c in own}
            index = (slice(None),) + tuple(where[c] for c in t)
            gi = F.scatter_add(gi, index, (batch,) + tuple(xs[i].shape))
        grads.append(gi)
    return tuple(grads)


def batched_rule_names() -> tuple[frozenset, frozenset]:
    """(rules run once per pass on the whole batch, rules run once per batch row), of the registered."""
    vectorised = frozenset(n for n in RULES if n in POLYMORPHIC or n in ADAPTERS)
    return vectorised, frozenset(RULES) - vectorised


def unbroadcast_batched(g: Any, shape: tuple) -> Any:
    """Sum a batched gradient over the axes broadcasting added or stretched, keeping the batch axis 0:
    ``g`` of shape (B,) + s with s broadcast from ``shape`` becomes (B,) + shape."""
    shape = tuple(shape)
    if g.shape[1:] == shape:
        return g
    lead = g.ndim - 1 - len(shape)
    if lead < 0:  # fewer axes than the input (x[i] = y, y with extra leading 1s): give g those axes
        g = g.reshape((g.shape[0],) + (1,) * -lead + tuple(g.shape[1:]))
    elif lead:
        g = g.sum(axis=tuple(range(1, 1 + lead)))
    stretched = tuple(1 + i for i, n in enumerate(shape) if n == 1 and g.shape[1 + i] != 1)
    if stretched:
        g = g.sum(axis=stretched, keepdims=True)
    return g.reshape((g.shape[0],) + shape) if g.shape[1:] != shape else g


def _per_row(name: str, F: Any, g: Any, out: Any, xs: Any, ctx: Any, need: Any) -> tuple:
    """The fallback: the unbatched rule once per batch row, each result summed back to its input's
    shape, then stacked along a new axis 0 (recorded under create_graph)."""
    rule = RULES[name]
    rows = [rule(F, g[b], out, xs, ctx, need) for b in range(g.shape[0])]
    grads = []
    for i, x in enumerate(xs):
        parts = [r[i] for r in rows]
        if all(p is None for p in parts):
            grads.append(None)
            continue
        shape = tuple(x.shape)
        fixed = []
        for p in parts:
            if p is None:  # a rule may skip an input for one row only if that row's gradient is 0
                p = (
                    np.zeros(shape, g.dtype)
                    if isinstance(g, np.ndarray)
                    else type(g)._const(np.zeros(shape, g.dtype))
                )
            elif tuple(p.shape) != shape:
                p = _unbroadcast_row(p, shape)
            fixed.append(p)
        grads.append(F.stack(fixed))
    return tuple(grads)


def _unbroadcast_row(p: Any, shape: tuple) -> Any:
    from ._broadcast import unbroadcast

    return unbroadcast(p, shape)


def batched_rule(name: str) -> Callable:
    """The batched form of op ``name``'s rule: the rule itself, its adapter, or the per-row loop."""
    if name in POLYMORPHIC:
        return lambda F, g, out, xs, ctx, need: _call(name, F, g, out, xs, ctx, need)
    adapter = ADAPTERS.get(name)
    if adapter is not None:
        return lambda F, g, out, xs, ctx, need: adapter(F, g, out, xs, ctx, need, name)
    return lambda F, g, out, xs, ctx, need: _per_row(name, F, g, out, xs, ctx, need)


def batched_backward(
    roots: list, seeds: list, inputs: list, *, create_graph: bool = False, vectorize: bool = True
) -> list:
    """One reverse pass from ``roots`` with ``seeds[k]`` of shape (B,) + roots[k].shape: for each of
    ``inputs`` the B vector-Jacobian products stacked, shape (B,) + input.shape (None if unreachable).

    The graph is kept (as with ``retain_graph=True``). Under ``create_graph`` the seeds and results
    are Tensors and every rule records its own graph, so the result can be differentiated again.
    ``vectorize=False`` runs every rule once per row (the reference the batched rules are tested by).
    """
    cls = type(roots[0])
    if getattr(cls, "_keeps_graph", False):
        raise TypeError("batched_backward: Value graphs are scalar; use Tensors")
    F = cls._graph_ops() if create_graph else cls._raw_ops
    batch = seeds[0].shape[0] if seeds else 0
    if batch == 0:  # no cotangent at all: every product is an empty stack
        empty = [np.zeros((0,) + tuple(x.shape), x.dtype) for x in inputs]
        return [cls._const(e) for e in empty] if create_graph else empty
    wanted = set(inputs)
    relevant = _between(roots, wanted)
    grads: dict = {}
    heap: list = []
    results: dict = {}
    for r, s in zip(roots, seeds):
        if not r.requires_grad or (r not in relevant and r not in wanted):
            continue
        if r._op is None:
            results[r] = results[r] + s if r in results else s
        elif r in grads:
            grads[r] = grads[r] + s
        else:
            grads[r] = s
            heappush(heap, (-r._seq, r))
    if create_graph:  # the rules must record their own graph, even inside no_grad
        mode = set_mode(True)
    try:
        while heap:
            node = heappop(heap)[1]
            g = grads.pop(node)
            if node in wanted:
                results[node] = g
            if node not in relevant:
                continue
            parents = node._parents
            if parents is None:
                raise _released(node)
            if Clock.last_write > node._seq:
                check_versions(node)
            need = tuple(p.requires_grad for p in parents)
            if create_graph:
                out, xs = node, parents
            else:
                out, xs = node._data, tuple(p._data for p in parents)
            run = batched_rule(node._op) if vectorize else _per_row_rule(node._op)
            pgs = run(F, g, out, xs, node._ctx, need)
            for p, pg in zip(parents, pgs):
                if pg is None or not p.requires_grad or (p not in relevant and p not in wanted):
                    continue
                pg = unbroadcast_batched(pg, p.shape)
                if p._op is None:
                    results[p] = results[p] + pg if p in results else pg
                elif p in grads:
                    grads[p] = grads[p] + pg
                else:
                    grads[p] = pg
                    heappush(heap, (-p._seq, p))
    finally:
        if create_graph:
            set_mode(mode)
    from ._seeds import _real_for  # a real input's gradient is real, as in the row-by-row backward

    return [_real_for(x, results.get(x)) for x in inputs]


def _per_row_rule(name: str) -> Callable:
    return lambda F, g, out, xs, ctx, need: _per_row(name, F, g, out, xs, ctx, need)
