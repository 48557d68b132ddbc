"""``vjp``, ``jvp`` and ``linearize`` as ``torch.func`` and JAX spell them: the function's output with its
pullback (``vjp``), its derivative along given tangents (``jvp``), or a function of the tangents
(``linearize``), each with ``has_aux``. Primals, tangents, cotangents and outputs are pytrees (nested
tuples, lists and dicts of Tensors); the results have their structure. They build on
``autobp.functional``'s transforms of flat tuples, so they nest."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import functional
from ._func_trees import (
    FuncArgumentError,
    FuncArgumentTypeError,
    flat_outputs,
    grad_mode_aware,
    same_structure,
    split_aux,
)
from ._transform_inputs import directions, leaves, nests
from .autograd import grad as _grad
from .ops import copy
from .pytree import TreeDef, tree_flatten
from .tensor import Tensor


def _flat_fn(main: Callable[..., Any], in_def: TreeDef, who: str) -> tuple[Callable[..., tuple], dict]:
    """``main`` as a function of the primals' leaves returning its output's Tensors as a tuple; the
    output's structure lands in the returned dict under "out" when it runs."""
    spec: dict = {}

    def flat(*xs: Any) -> tuple:
        outs, spec["out"] = flat_outputs(main(*in_def.unflatten(xs)), who)
        return tuple(outs)

    return flat, spec


def _flat_like(tree: Any, like: TreeDef, what: str, who: str, of: str) -> list:
    """The leaves of ``tree``, which must have the structure ``like`` (lists and tuples alike)."""
    flat, tdef = tree_flatten(tree)
    if not same_structure(tdef, like):
        raise FuncArgumentError(
            f"{who}: Expected pytree structure of {what} to be the same as pytree structure of {of}. "
            f"{what}: {tdef}, {of}: {like} (give one {what[:-1]} each, in that structure)"
        )
    return flat


def vjp(func: Callable[..., Any], *primals: Any, has_aux: bool = False) -> tuple:
    """``(output, vjp_fn)``, or ``(output, vjp_fn, aux)``: ``vjp_fn(cotangents)`` (a pytree shaped as the
    output) returns the tuple of v^T J, one entry per primal, each shaped as its primal (a pytree too).

    >>> out, vjp_fn = vjp(lambda x: x * x, Tensor([1.0, 2.0]))
    >>> vjp_fn(np.ones(2))[0].data
    array([2., 4.])
    """
    who = "vjp(f, *primals)"
    return grad_mode_aware(_vjp)(func, primals, has_aux, who)


def _vjp(func: Callable[..., Any], primals: tuple, has_aux: bool, who: str) -> tuple:
    main, aux = split_aux(func, has_aux, who)
    flat_primals, in_def = tree_flatten(primals)
    flat, spec = _flat_fn(main, in_def, who)
    ints = _int_positions(flat_primals)
    diff = [a for k, a in enumerate(flat_primals) if k not in ints]

    def of_diff(*xs: Any) -> tuple:  # integer primals (JAX's) stay as given: an index stays an index
        it = iter(xs)
        return flat(*[flat_primals[k] if k in ints else next(it) for k in range(len(flat_primals))])

    out, pullback = functional.vjp(of_diff, *diff)
    out_def = spec["out"]

    @grad_mode_aware
    def vjp_fn(cotangents: Any) -> tuple:
        cts = _flat_like(cotangents, out_def, "cotangents", who, "outputs to the function")
        gs = pullback(*cts)
        gs = list(gs) if isinstance(gs, (tuple, list)) else [gs]
        for k in sorted(ints):  # their cotangent: zeros of JAX's float0 dtype
            gs.insert(k, np.zeros(np.shape(flat_primals[k]), _FLOAT0))
        return in_def.unflatten(gs)

    res = out_def.unflatten(out)
    return (res, vjp_fn, aux[0]) if has_aux else (res, vjp_fn)


_FLOAT0 = np.dtype([("float0", np.void, 0)])


def _int_positions(flat: list) -> set:
    """Positions of plain integer/bool primals (not Tensors), kept undifferentiated as JAX's vjp does;
    none when every primal is one (then they are differentiated as float64, as before)."""
    ints = {k for k, a in enumerate(flat) if not isinstance(a, Tensor) and np.asarray(a).dtype.kind in "iub"}
    return ints if len(ints) < len(flat) else set()


def _flat_primals_tangents(primals: Any, tangents: Any, who: str) -> tuple[list, list, TreeDef]:
    if not isinstance(primals, (tuple, list)):
        raise FuncArgumentTypeError(
            f"{who}: Expected primals to be a tuple. E.g. it should be valid to call f(*primals) "
            f"(primals and tangents must be tuples); got {type(primals).__name__}"
        )
    flat_p, in_def = tree_flatten(tuple(primals))
    tangents = tuple(tangents) if isinstance(tangents, (tuple, list)) else tangents
    flat_t, t_def = tree_flatten(tangents)
    if not same_structure(in_def, t_def):
        raise FuncArgumentError(
            f"{who}: Expected primals and tangents to have the same python structure, got primals with "
            f"structure {in_def} and tangents with structure {t_def}"
        )
    if not flat_p:
        raise FuncArgumentError(f"{who}: Expected primals to contain at least one Tensor.")
    return flat_p, flat_t, in_def


def jvp(
    func: Callable[..., Any], primals: Any, tangents: Any, *, strict: bool = False, has_aux: bool = False
) -> tuple:
    """``(output, J t)``, or ``(output, J t, aux)``: ``func``'s derivative at ``primals`` along ``tangents``
    (a tuple of the arguments, pytrees allowed, and tangents of the same structure and shapes); the
    output and J t are pytrees of the output's structure. An output independent of the inputs has a
    zero derivative, or with ``strict=True`` raises (torch.func's).

    >>> jvp(lambda x: x * x, (Tensor([1.0, 2.0]),), (Tensor([1.0, 0.0]),))[1].data
    array([2., 0.])
    """
    return grad_mode_aware(_jvp)(func, primals, tangents, strict, has_aux)


def _jvp(func: Callable[..., Any], primals: Any, tangents: Any, strict: bool, has_aux: bool) -> tuple:
    who = "jvp(f, primals, tangents)"
    flat_p, flat_t, in_def = _flat_primals_tangents(primals, tangents, who)
    main, aux = split_aux(func, has_aux, who)
    ints = {
        k for k, a in enumerate(flat_p) if not isinstance(a, Tensor) and np.asarray(a).dtype.kind in "iub"
    }
    if ints and all(np.asarray(flat_t[k]).dtype == _FLOAT0 for k in ints):  # JAX's: integers carry float0
        if len(ints) == len(flat_p):  # nothing to differentiate: f's output, float0 zero tangents
            out_leaves, out_def = tree_flatten(main(*in_def.unflatten(flat_p)))
            zeros = [np.zeros(np.shape(o._data if isinstance(o, Tensor) else o), _FLOAT0) for o in out_leaves]
            res = (out_def.unflatten(out_leaves), out_def.unflatten(zeros))
            return (*res, aux[0]) if has_aux else res
        flat_all, spec = _flat_fn(main, in_def, who)
        keep = [k for k in range(len(flat_p)) if k not in ints]
        all_p = list(flat_p)

        def flat(*xs: Any) -> tuple:
            it = iter(xs)
            return flat_all(*[all_p[k] if k in ints else next(it) for k in range(len(all_p))])

        flat_p, flat_t = [flat_p[k] for k in keep], [flat_t[k] for k in keep]
    else:
        flat, spec = _flat_fn(main, in_def, who)
    out, jt = functional.jvp(_writable_primals(flat, flat_p, who), tuple(flat_p), tuple(flat_t))
    if strict and any(not o.requires_grad for o in out):
        raise FuncArgumentError(
            f"{who.replace(')', ', strict=True)', 1)}: The output of f is independent of the inputs. "
            "This is not allowed with strict=True."
        )
    out_def = spec["out"]
    res = (out_def.unflatten(out), out_def.unflatten(jt))
    return (*res, aux[0]) if has_aux else res


def _writable_primals(flat: Callable[..., tuple], originals: list, who: str) -> Callable[..., tuple]:
    """``flat`` called with copies of its inputs, so ``func`` may write into a primal in place, as torch's
    jvp allows (its primals are dual tensors); the write lands in the caller's primal too, as in torch,
    when that primal is an array or a Tensor off the graph (one that requires grad is refused)."""

    def run(*xs: Tensor) -> tuple:
        nodes = [copy(x) for x in xs]
        versions = [n._version for n in nodes]
        out = flat(*nodes)
        for i, (orig, node, v) in enumerate(zip(originals, nodes, versions)):
            if node._version == v:
                continue
            if isinstance(orig, Tensor) and orig.requires_grad:
                raise FuncArgumentError(
                    f"{who}: f wrote in place into primal {i}, which requires grad; write into a copy"
                )
            target = orig._data if isinstance(orig, Tensor) else orig
            if isinstance(target, np.ndarray) and target.flags.writeable:
                target[...] = node._data
        return out

    return run


def linearize(func: Callable[..., Any], *primals: Any) -> tuple[Any, Callable[..., Any]]:
    """``(output, jvp_fn)``: ``jvp_fn(*tangents)`` is J t at ``primals`` (``torch.func.linearize``,
    ``jax.linearize``; tangents shaped as the primals, pytrees allowed, J t shaped as the output).
    ``func`` runs once; each ``jvp_fn`` call is one reverse pass through the graph of its gradient,
    which is kept for it (the double-vjp trick of ``functional.jvp``).

    >>> out, jvp_fn = linearize(lambda x: x ** 3, Tensor([1.0, 2.0]))
    >>> jvp_fn(np.ones(2)).data
    array([ 3., 12.])
    """
    return grad_mode_aware(_linearize)(func, primals)


def _linearize(func: Callable[..., Any], primals: tuple) -> tuple[Any, Callable[..., Any]]:
    who = "linearize(f, *primals)"
    flat_p, in_def = tree_flatten(primals)
    xs, _, kept = leaves(flat_p, "linearize")
    flat, spec = _flat_fn(func, in_def, who)
    outs = list(flat(*xs))
    out_def = spec["out"]
    nested = nests(None, kept, outs, xs)
    us = [Tensor(np.ones(o.shape, o.dtype), requires_grad=True, dtype=o.dtype) for o in outs]
    gs = functional._grads(outs, xs, us, create_graph=True)  # u^T J, linear in u: d<u^T J, t>/du = J t

    @grad_mode_aware
    def jvp_fn(*tangents: Any) -> Any:
        flat_t = _flat_like(tangents, in_def, "tangents", "linearize jvp_fn(*tangents)", "primals")
        who_t = (
            "linearize: linearized function called on tangent values inconsistent with the original "
            "primal values"
        )
        ts, live = directions(flat_t, xs, who_t, "tangents")
        pairs = [(g, t) for g, t in zip(gs, ts) if g.requires_grad]
        jt = [None] * len(us)
        if pairs:
            jt = _grad(
                [g for g, _ in pairs],
                us,
                grad_outputs=[t for _, t in pairs],
                allow_unused=True,
                retain_graph=True,
                create_graph=nested or live,
            )
        res = [Tensor._const(np.zeros(o.shape, o.dtype)) if j is None else j for o, j in zip(outs, jt)]
        return out_def.unflatten(res)

    out = outs if nested else [o.detach() for o in outs]
    return out_def.unflatten(out), jvp_fn
