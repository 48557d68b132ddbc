"""The optimiser's update in a compiled step: SGD (both momentum forms) and Adam/AdamW written inline
on flat buffers, the same elementwise operations in the same order as their ``step()``; any other
optimiser or setting runs its own ``step()`` after the compiled forward and backward."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._graph import next_seq
from .._inplace import Clock, bump_all
from .flat import Packing

# the hyper-parameters the generated update was written for, per optimiser (lr is read every call)
SGD_KEYS = ("momentum", "dampening", "weight_decay", "nesterov", "maximize", "decay", "momentum_form")
ADAM_KEYS = ("betas", "eps", "weight_decay", "amsgrad", "maximize", "decoupled_weight_decay")


def settings(opt: Any) -> tuple:
    """The optimiser's structural settings, compared on every call (a change recompiles)."""
    if opt is None:
        return ()
    keys = _keys(opt)
    return tuple(tuple(g.get(k) for k in keys) for g in opt.param_groups)


def _keys(opt: Any) -> tuple:
    from ..optim import SGD, Adam

    if type(opt) is SGD:
        return SGD_KEYS
    if isinstance(opt, Adam) and type(opt).__name__ in ("Adam", "AdamW"):
        return ADAM_KEYS
    return ()


def state_guards(packing: Packing, ns: dict) -> list[str]:
    """Guard lines: the optimiser state the update writes is still the flat buffers' (checked on each
    block's first parameter: another compiled step or load_state_dict replaces them all)."""
    lines = []
    for n, blk in enumerate(packing.blocks):
        for key, flat in blk.state.items():
            for j in (0,):
                name = f"ST{n}_{j}_{len(lines)}"
                ns["OPT"], ns[name], ns[name + "_flat"] = packing.opt, blk.params[j], flat
                held = f"OPT.state.get({name}, {{}}).get({key!r})"
                lines.append(f"    if getattr({held}, 'base', None) is not {name}_flat: return MISS")
    return lines


def emit(opt: Any, packing: Packing, covered: set, ns: dict) -> list[str]:
    """Lines updating every parameter of ``opt``; ``covered`` holds the ids of the parameters whose
    gradient the step writes into the flat buffers. Falls back to ``opt.step()`` when any part is
    not one of the inline forms."""
    if opt is None:
        return []
    lines = _inline(opt, packing, covered, ns)
    if lines is None:
        ns["OPT"] = opt
        return ["OPT.step()"]
    return lines


def _inline(opt: Any, packing: Packing, covered: set, ns: dict) -> list[str] | None:
    keys = _keys(opt)
    if not keys:
        return None
    params = [p for g in opt.param_groups for p in g["params"]]
    in_blocks = {id(p) for blk in packing.blocks for p in blk.params}
    if any(id(p) not in covered or id(p) not in in_blocks for p in params):
        return None  # a parameter without a gradient (eager skips it) or not packed
    lines: list[str] = []
    ns["np"], ns["math"], ns["_bump"], ns["PARAMS"] = np, math, bump_all, params
    if any(p._source is not None for p in params):
        lines.append("_bump(PARAMS)")  # the in-place writes below, for the version checks
    else:  # bump_all written out: one tick, each parameter's version and time of writing
        ns["_next_seq"], ns["_Clock"] = next_seq, Clock
        lines.append("_Clock.last_write = seq = _next_seq()")
        for i, p in enumerate(params):
            ns[f"PV{i}"] = p
            lines.append(f"PV{i}._version += 1; PV{i}._written_at = seq")
    for n, blk in enumerate(packing.blocks):
        group = opt.param_groups[blk.group]
        ns[f"group{n}"], ns[f"weights{n}"], ns[f"grads{n}"] = group, blk.weights, blk.grads
        ns[f"scratch{n}"] = np.empty_like(blk.weights)
        if keys is SGD_KEYS:
            body = _sgd(opt, group, packing, blk, n, ns)
        else:
            body = _adam(opt, group, packing, blk, n, ns)
        if body is None:
            return None
        lines += body
    return lines


def _sgd(opt: Any, group: dict, packing: Packing, blk: Any, n: int, ns: dict) -> list[str] | None:
    if group["nesterov"] or group["dampening"] or group["weight_decay"] or group["maximize"]:
        return None
    if group["decay"]:
        return None
    w, g, s = f"weights{n}", f"grads{n}", f"scratch{n}"
    lines = [f"lr = group{n}['lr']"]
    mu = group["momentum"]
    if not mu:  # w -= g * lr
        return lines + [f"np.multiply({g}, lr, out={s})", f"np.subtract({w}, {s}, out={w})"]
    lines.append(f"mu = group{n}['momentum']")
    if group["momentum_form"] == "paper":  # delta = mu delta - lr g; w += delta
        if not packing.pack_state(opt, "delta"):
            return None
        ns[f"delta{n}"] = blk.state["delta"]
        v = f"delta{n}"
        return lines + [
            f"np.multiply({g}, lr, out={s})",
            f"np.multiply({v}, mu, out={v})",
            f"np.subtract({v}, {s}, out={v})",
            f"np.add({w}, {v}, out={w})",
        ]
    if not packing.pack_state(opt, "momentum_buffer"):  # v = mu v + g; w -= lr v
        return None
    ns[f"momentum{n}"] = blk.state["momentum_buffer"]
    v = f"momentum{n}"
    return lines + [
        f"np.multiply({v}, mu, out={v})",
        f"np.add({v}, {g}, out={v})",
        f"np.multiply({v}, lr, out={s})",
        f"np.subtract({w}, {s}, out={w})",
    ]


def _adam(opt: Any, group: dict, packing: Packing, blk: Any, n: int, ns: dict) -> list[str] | None:
    """PyTorch's Adam as autobp's ``Adam._update`` writes it, on the flat block."""
    if group["amsgrad"] or group["maximize"]:
        return None
    wd, decoupled = group["weight_decay"], group["decoupled_weight_decay"]
    if wd and not decoupled:
        return None
    states = [opt.state.get(p, {}) for p in blk.params]
    steps = {st.get("step") for st in states}
    if len(steps) != 1 or None in steps:
        return None
    if not (packing.pack_state(opt, "exp_avg") and packing.pack_state(opt, "exp_avg_sq")):
        return None
    ns[f"params{n}"], ns["OPT"] = blk.params, opt
    ns[f"exp_avg{n}"], ns[f"exp_avg_sq{n}"] = blk.state["exp_avg"], blk.state["exp_avg_sq"]
    ns[f"denom{n}"] = np.empty_like(blk.weights)
    w, g, m, v = f"weights{n}", f"grads{n}", f"exp_avg{n}", f"exp_avg_sq{n}"
    s, t = f"scratch{n}", f"denom{n}"
    lines = [
        f"lr = group{n}['lr']",
        f"b1, b2 = group{n}['betas']",
        f"for p in params{n}: OPT.state[p]['step'] += 1",
        f"t = OPT.state[params{n}[0]]['step']",
    ]
    if wd:
        lines.append(f"np.multiply({w}, 1 - lr * group{n}['weight_decay'], out={w})")
    return lines + [
        f"np.subtract({g}, {m}, out={s})",  # m += (g - m) * (1 - b1)
        f"np.multiply({s}, 1 - b1, out={s})",
        f"np.add({m}, {s}, out={m})",
        f"np.multiply({v}, b2, out={v})",  # v = b2 v + (g g) (1 - b2)
        f"np.multiply({g}, {g}, out={s})",
        f"np.multiply({s}, 1 - b2, out={s})",
        f"np.add({v}, {s}, out={v})",
        f"np.sqrt({v}, out={t})",  # denom = sqrt(v) / sqrt(1 - b2^t) + eps
        f"np.true_divide({t}, math.sqrt(1 - b2**t), out={t})",
        f"np.add({t}, group{n}['eps'], out={t})",
        f"np.true_divide({m}, {t}, out={t})",  # w -= lr / (1 - b1^t) * (m / denom)
        f"np.multiply(lr / (1 - b1**t), {t}, out={t})",
        f"np.subtract({w}, {t}, out={w})",
    ]
