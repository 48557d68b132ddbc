"""gradcheck's optional checks beside the Jacobian comparison, PyTorch's keywords: ``check_undefined_grad``
(a backward given only zero output gradients gives zero input gradients), ``check_grad_dtypes`` (each
gradient has its input's dtype) and ``check_batched_grad`` (the batched reverse pass, the vmap of the
vjp that ``functional.jacobian`` and ``hessian`` run, agrees with one backward per cotangent).
``check_forward_ad`` (forward mode, ``func.jvp``, agrees with the reverse mode). ``nondet_tol`` is the
tolerance of the repeated-backward check (_gradcheck_sanity.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from . import functional
from ._batched_backward import batched_backward
from ._mismatches import _close
from .autograd import grad
from .tensor import Tensor

# PyTorch's words for the batched check's failure
BATCHED_FAILED = "gradcheck or gradgradcheck failed while testing batched gradient computation"


class Options(NamedTuple):
    """The optional checks of one gradcheck/gradgradcheck call (PyTorch's keywords and defaults)."""

    nondet_tol: float = 0.0
    check_undefined_grad: bool = True
    check_grad_dtypes: bool = False
    check_batched_grad: bool = False
    check_forward_ad: bool = False


def options(
    nondet_tol: float, undefined_grad: bool, grad_dtypes: bool, batched_grad: bool, forward_ad: bool = False
) -> Options:
    """The keywords checked and gathered (a negative tolerance is refused)."""
    if not nondet_tol >= 0:
        raise ValueError(f"gradcheck: nondet_tol must be >= 0, got {nondet_tol}")
    flags = (bool(undefined_grad), bool(grad_dtypes), bool(batched_grad), bool(forward_ad))
    return Options(float(nondet_tol), *flags)


def _fresh(p: Any) -> tuple[list, list]:
    """Fresh leaves for the differentiated inputs (their own dtypes) and fn's float outputs that need
    grad, computed from them: a graph of its own whatever graph the inputs are on."""
    xs = [Tensor(np.asarray(p.args[i].data), requires_grad=True, dtype=p.args[i].dtype) for i in p.diff]
    outs = list(p.wrapped()(*xs))
    return xs, outs


def plain_vjp(fn: Callable[..., tuple], args: list) -> tuple[list, Callable[..., list]]:
    """fn's outputs and a pullback by plain backwards (no create_graph) from fresh leaves: the rules
    as ``backward()`` runs them, whether or not ``args`` are on a graph (``functional.vjp`` nests)."""
    xs = [Tensor(np.asarray(a.data), requires_grad=True, dtype=a.dtype) for a in args]
    outs = list(fn(*xs))

    def pullback(*us: np.ndarray) -> list:
        seeds = [Tensor._const(np.asarray(u, dtype=o.dtype)) for o, u in zip(outs, us)]
        return [np.asarray(g._data) for g in functional._grads(outs, xs, seeds)]

    return outs, pullback


def fast_suspects(p: Any, atol: float, rtol: float, rng: np.random.Generator) -> list[int]:
    """Inputs k where some u^T J v (one vjp per output) disagrees with its directional difference."""
    outs, pullback = plain_vjp(p.wrapped(), [p.args[i] for i in p.diff])
    f0 = p.outputs(p.x0)
    us = [rng.standard_normal(o.shape) for o in outs]
    vs = [rng.standard_normal(b.shape) for b in p.base]
    moved = []  # u . f(x + s eps v) for s = +1, -1, per input
    for k, v in enumerate(vs):
        row = []
        for sign in (1.0, -1.0):
            xs = list(p.x0)
            xs[k] = (p.base[k] + sign * p.eps * v).astype(p.x0[k].dtype)
            row.append(p.outputs(xs))
        moved.append(row)
    suspects = set()
    for o, u in enumerate(us):
        if f0[o] is None:
            continue
        gs = pullback(*[u if m == o else np.zeros(t.shape) for m, t in enumerate(outs)])
        for k, v in enumerate(vs):
            a = float(np.sum(gs[k] * v))
            n = float(np.sum(u * (moved[k][0][o] - moved[k][1][o]))) / (2 * p.eps)
            if not _close(a, n, atol, rtol):
                suspects.add(k)
    return sorted(suspects)


def _live(outs: list) -> list[int]:
    return [k for k, o in enumerate(outs) if o.requires_grad and o.dtype.kind in "fc"]


_UNDEFINED_RAISED = "Expected backward function to handle undefined output grads"
_UNDEFINED_NONZERO = (
    "Expected all input grads to be undefined or zero when all output grads are undefined or zero"
)


def _zero_seed_problem(p: Any, xs: list, outs: list, seeded: list[int], what: str) -> tuple[bool, str] | None:
    """Backward from ``outs[k]`` for k in ``seeded``, each with a zero gradient: None when every input
    gradient is absent or zero, else (whether backward raised, what went wrong; ``what`` names the case)."""
    zeros = [Tensor._const(np.zeros(outs[k].shape, outs[k].dtype)) for k in seeded]
    try:
        gs = grad([outs[k] for k in seeded], xs, grad_outputs=zeros, retain_graph=True, allow_unused=True)
    except Exception as e:
        return True, f"with {what}, backward raised {type(e).__name__}: {e}"
    for k, g in enumerate(gs):
        if g is not None and not np.all(g.data == 0):
            big = np.nanmax(np.abs(g.data)) if not np.isnan(g.data).all() else np.nan
            return False, f"{p.in_names[k]} got a gradient with largest |value| {big:.3g} from {what}"
    return None


def zero_grad_problems(p: Any, undefined: bool) -> list[str]:
    """PyTorch's check that backward multiplies by the output gradients (always run): zero output
    gradients must give zero (or no) input gradients. With ``undefined`` (PyTorch's
    ``check_undefined_grad``), also with each output left out of the backward in turn, its gradient
    undefined (autobp hands a Function zeros for it, as PyTorch's materialized undefined gradients)."""
    xs, outs = _fresh(p)
    live = _live(outs)
    if not live:
        return []
    problems = []
    bad = _zero_seed_problem(p, xs, outs, live, "all output gradients zero")
    if bad is not None:
        problems.append(
            f"{_UNDEFINED_RAISED}: {bad[1]}"
            if bad[0]
            else f"backward not multiplied by grad_output: {bad[1]}"
        )
    for k in live if undefined and len(live) > 1 else ():
        bad = _zero_seed_problem(p, xs, outs, [m for m in live if m != k], f"output {k}'s gradient undefined")
        if bad is not None:
            problems.append(f"{_UNDEFINED_RAISED if bad[0] else _UNDEFINED_NONZERO}: {bad[1]}")
    return problems


def grad_dtype_problems(p: Any, rng: np.random.Generator) -> list[str]:
    """PyTorch's ``check_grad_dtypes``: every input's gradient has the input's dtype."""
    outs, pullback = plain_vjp(p.wrapped(), [p.args[i] for i in p.diff])
    us = [rng.standard_normal(o.shape) for o in outs]
    gs = pullback(*us)
    return [
        f"Gradient has dtype mismatch: the gradient of {p.in_names[k]} is {g.dtype}, the input {p.dtypes[k]}"
        for k, g in enumerate(gs)
        if g.dtype != np.asarray(p.args[p.diff[k]].data).dtype
    ]


def batched_grad_problems(p: Any, rng: np.random.Generator, batch: int = 2) -> list[str]:
    """PyTorch's ``check_batched_grad``: for each output, ``batch`` random cotangents pulled back at
    once by the batched reverse pass (vmap of the vjp) equal those pulled back one at a time
    (PyTorch's ``allclose`` tolerances)."""
    xs, outs = _fresh(p)
    problems = []
    for k in _live(outs):
        o = outs[k]
        seeds = rng.standard_normal((batch,) + tuple(o.shape)).astype(o.dtype)
        rows = [functional._grads([o], xs, [Tensor._const(s)]) for s in seeds]
        try:
            got = batched_backward([o], [seeds], xs)
        except Exception as e:
            why = f"{type(e).__name__}: {e}"
            problems.append(f"While computing batched gradients (output {k}), got {why}; {BATCHED_FAILED}")
            continue
        for i in range(len(xs)):
            want = np.stack([np.asarray(r[i]._data) for r in rows])
            res = np.zeros(want.shape, want.dtype) if got[i] is None else np.asarray(got[i])
            if res.shape != want.shape:
                how = f"shape {res.shape} where one backward per cotangent gives {want.shape}"
            elif not np.allclose(res, want, rtol=1e-5, atol=1e-8, equal_nan=True):
                how = f"it differs from one backward per cotangent by up to {np.max(np.abs(res - want)):.3g}"
            else:
                continue
            problems.append(f"For output {k} and {p.in_names[i]}: {BATCHED_FAILED} (the batched pass: {how})")
    return problems


def forward_ad_problems(p: Any, rng: np.random.Generator, tries: int = 2) -> list[str]:
    """PyTorch's ``check_forward_ad``: the forward mode (``func.jvp``) agrees with the reverse mode that
    the Jacobian check verified: u . (J v) from a jvp equals (u J) . v from a backward, for random u, v."""
    from ._func_linear import jvp

    fn = p.wrapped()
    xs = [Tensor(np.asarray(p.args[i].data), dtype=p.args[i].dtype) for i in p.diff]
    outs, pullback = plain_vjp(fn, xs)
    low = any(np.dtype(x.dtype).itemsize < 8 for x in xs if x.dtype.kind == "f")
    tol = 1e-3 if low else 1e-7
    for _ in range(tries):
        vs = tuple(Tensor(rng.standard_normal(x.shape).astype(x.dtype)) for x in xs)
        us = [rng.standard_normal(o.shape).astype(o.dtype) for o in outs]
        jv = jvp(lambda *a: fn(*a), tuple(xs), vs)[1]
        forward = sum(np.vdot(u, np.asarray(t.data)) for u, t in zip(us, jv))
        backward = sum(np.vdot(g, np.asarray(v.data)) for g, v in zip(pullback(*us), vs))
        if not abs(forward - backward) <= tol * (1 + abs(forward) + abs(backward)):
            return [
                f"Jacobian computed with forward mode mismatch: for random u, v, u . (J v) by func.jvp is "
                f"{forward:.10g} but (u J) . v by backward is {backward:.10g}"
            ]
    return []


def option_problems(p: Any, opts: Options, rng: np.random.Generator) -> list[str]:
    """The problems the requested optional checks find (none for Value functions: scalar graphs)."""
    if p.scalar:
        return []
    problems = []
    problems += zero_grad_problems(p, opts.check_undefined_grad)
    if opts.check_grad_dtypes:
        problems += grad_dtype_problems(p, rng)
    if opts.check_batched_grad:
        problems += batched_grad_problems(p, rng)
    if opts.check_forward_ad:
        problems += forward_ad_problems(p, rng)
    return problems
