"""``vjp``, ``jvp`` and ``linearize`` as ``torch.func`` and JAX spell them: the function's output with its
pullback (``vjp``), its derivative along given tangents (``jvp``), or a function of the tangents
(``linearize``), each with ``has_aux``. They build on ``autobp.functional``'s transforms, so they nest."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import functional
from ._transform_inputs import directions, leaves, nests, outputs
from .autograd import grad as _grad
from .tensor import Tensor


def _split_aux(fn: Callable[..., Any], has_aux: bool, who: str) -> tuple[Callable[..., Any], list]:
    """``fn`` returning its output only, and a list that receives the aux of its latest call."""
    if not has_aux:
        return fn, []
    aux: list = []

    def main(*args: Any) -> Any:
        out = fn(*args)
        if not (isinstance(out, (tuple, list)) and len(out) == 2):
            raise TypeError(
                f"{who}(has_aux=True): fn must return a pair (output, aux), got {type(out).__name__}"
            )
        aux[:] = [out[1]]
        return out[0]

    return main, aux


def vjp(func: Callable[..., Any], *primals: Any, has_aux: bool = False) -> tuple:
    """``(output, vjp_fn)``, or ``(output, vjp_fn, aux)``: ``vjp_fn(cotangent)`` (the cotangent shaped as
    the output, a tuple for a tuple output) returns the tuple of v^T J, one entry per primal.

    >>> out, vjp_fn = vjp(lambda x: x * x, Tensor([1.0, 2.0]))
    >>> vjp_fn(np.ones(2))[0].data
    array([2., 4.])
    """
    main, aux = _split_aux(func, has_aux, "vjp")
    out, pullback = functional.vjp(main, *primals)
    multiple = isinstance(out, (tuple, list))

    def vjp_fn(cotangents: Any) -> tuple:
        if multiple:
            if not isinstance(cotangents, (tuple, list)) or len(cotangents) != len(out):
                raise ValueError(
                    f"vjp_fn: the output is a tuple of {len(out)} tensors: give one cotangent each"
                )
            return pullback(*cotangents)
        return pullback(cotangents)

    return (out, vjp_fn, aux[0]) if has_aux else (out, vjp_fn)


def jvp(
    func: Callable[..., Any], primals: Any, tangents: Any, *, strict: bool = False, has_aux: bool = False
) -> tuple:
    """``(output, J t)``, or ``(output, J t, aux)``: ``func``'s derivative at ``primals`` along ``tangents``
    (tuples with one tangent per primal, each of its primal's shape). ``strict`` is accepted for
    ``torch.func``'s signature; an output independent of the inputs gives a zero derivative.

    >>> jvp(lambda x: x * x, (Tensor([1.0, 2.0]),), (Tensor([1.0, 0.0]),))[1].data
    array([2., 0.])
    """
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise TypeError(
            f"jvp: primals and tangents must be tuples (one tangent per primal), got "
            f"{type(primals).__name__} and {type(tangents).__name__}"
        )
    if len(primals) != len(tangents):
        raise ValueError(f"jvp: {len(primals)} primals but {len(tangents)} tangents")
    main, aux = _split_aux(func, has_aux, "jvp")
    out, jt = functional.jvp(main, tuple(primals), tuple(tangents))
    return (out, jt, aux[0]) if has_aux else (out, jt)


def linearize(func: Callable[..., Any], *primals: Any) -> tuple[Any, Callable[..., Any]]:
    """``(output, jvp_fn)``: ``jvp_fn(*tangents)`` is J t at ``primals`` (``torch.func.linearize``,
    ``jax.linearize``). ``func`` runs once; each ``jvp_fn`` call is one reverse pass through the graph
    of its gradient, which is kept for it (the double-vjp trick of ``functional.jvp``).

    >>> out, jvp_fn = linearize(lambda x: x ** 3, Tensor([1.0, 2.0]))
    >>> jvp_fn(np.ones(2)).data
    array([ 3., 12.])
    """
    xs, _, kept = leaves(list(primals), "linearize")
    out = func(*xs)
    outs, single_out = outputs(out, "linearize")
    nested = nests(None, kept, outs, xs)
    us = [Tensor(np.zeros(o.shape, o.dtype), requires_grad=True, dtype=o.dtype) for o in outs]
    gs = functional._grads(outs, xs, us, create_graph=True)  # u^T J, linear in u: d<u^T J, t>/du = J t

    def jvp_fn(*tangents: Any) -> Any:
        ts, live = directions(list(tangents), xs, "linearize", "tangents")
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
        return res[0] if single_out else tuple(res)

    return (out if nested else functional._detached(out)), jvp_fn
