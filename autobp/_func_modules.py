"""Functional calls of modules (``torch.func``'s): ``functional_call`` runs a module with some of its
parameters and buffers replaced for one call, ``stack_module_state`` stacks the parameters of several
copies of a module, so ``vmap`` over ``functional_call`` evaluates an ensemble."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ._func_trees import FuncArgumentError
from .ops import stack
from .tensor import Tensor


def functional_call(
    module: Any,
    parameter_and_buffer_dicts: Any,
    args: Any = (),
    kwargs: dict | None = None,
    *,
    tie_weights: bool = True,
    strict: bool = False,
) -> Any:
    """Call ``module`` with some of its parameters and buffers replaced by the given tensors
    (``torch.func.functional_call``): ``{"0.weight": w}`` stands in for ``module[0].weight`` during the
    call only, so gradients flow to ``w``. A tied weight (one object under two names) is replaced under
    both unless ``tie_weights=False``; ``strict=True`` requires every parameter and buffer."""
    dicts = parameter_and_buffer_dicts
    dicts = list(dicts) if isinstance(dicts, (list, tuple)) else [dicts]
    given: dict = {}
    for d in dicts:
        for name, value in d.items():
            if name in given:
                raise ValueError(f"functional_call: {name!r} is given in more than one dict")
            given[name] = value
    slots: dict = {}  # full name -> (module, attribute), for every parameter and buffer
    holders: dict = {}  # id of a tensor -> every (module, attribute) holding it (tied weights)
    for prefix, m in module.named_modules():
        for registry in (m._parameters, m._buffers):
            for attr, obj in registry.items():
                slots[f"{prefix}.{attr}" if prefix else attr] = (m, attr)
                if obj is not None:
                    holders.setdefault(id(obj), []).append((m, attr))
    unknown = sorted(set(given) - set(slots))
    if unknown:
        raise KeyError(f"functional_call: the module has no parameter or buffer named {unknown}")
    if strict and set(slots) - set(given):
        raise ValueError(f"functional_call: strict=True and no value for {sorted(set(slots) - set(given))}")
    saved = []
    try:
        for name, value in given.items():
            m, attr = slots[name]
            old = _slot(m, attr)
            targets = holders.get(id(old), []) if tie_weights and old is not None else []
            for owner, a in targets or [(m, attr)]:
                saved.append((owner, a, _slot(owner, a)))
                _put_slot(owner, a, value if isinstance(value, Tensor) else Tensor(value))
        call_args = args if isinstance(args, tuple) else (args,)
        return module(*call_args, **(kwargs or {}))
    finally:
        for owner, a, old in reversed(saved):
            _put_slot(owner, a, old)


def _slot(m: Any, attr: str) -> Any:
    return m._parameters[attr] if attr in m._parameters else m._buffers[attr]


def _put_slot(m: Any, attr: str, value: Any) -> None:
    """Set a parameter or buffer slot without the type checks of assignment (a plain Tensor may stand
    in for a Parameter during the call), in the registry and in the instance dict that mirrors it."""
    registry = m._parameters if attr in m._parameters else m._buffers
    registry[attr] = value
    if attr in m.__dict__:
        m.__dict__[attr] = value


def stack_module_state(models: Sequence[Any]) -> tuple[dict, dict]:
    """(parameters, buffers) of ``models`` (modules of one structure) stacked along a new leading axis,
    as ``torch.func.stack_module_state``: the stacked parameters are new leaves that require grad, the
    buffers constants; ``vmap(lambda p, b, x: functional_call(model, (p, b), x))`` then runs the ensemble."""
    models = list(models)
    if not models:
        raise FuncArgumentError("stack_module_state: Expected at least one model, got 0.")
    if len({m.training for m in models}) != 1:
        raise FuncArgumentError(
            "stack_module_state: Expected all models to have the same training/eval mode, got "
            f"{['train' if m.training else 'eval' for m in models]}"
        )
    kinds = {type(m).__name__ for m in models}
    if len(kinds) != 1:
        raise FuncArgumentError(
            f"stack_module_state: Expected all models to be of the same class (one type), got {sorted(kinds)}"
        )
    params = [dict(m.named_parameters()) for m in models]
    buffers = [dict(m.named_buffers()) for m in models]
    for i, (ps, bs) in enumerate(zip(params, buffers)):
        if ps.keys() != params[0].keys() or bs.keys() != buffers[0].keys():
            raise FuncArgumentError(
                f"stack_module_state: model {i} has other parameters or buffers than model 0"
            )
    stacked = {}
    for n in params[0]:
        flags = {bool(ps[n].requires_grad) for ps in params}
        if len(flags) != 1:
            raise FuncArgumentError(
                f"stack_module_state: Expected {n} from each model to have the same .requires_grad"
            )
        leaf = stack([ps[n].detach() for ps in params])
        stacked[n] = leaf.requires_grad_() if flags.pop() else leaf  # new leaves, as the models' are
    return stacked, {n: stack([bs[n].detach() for bs in buffers]) for n in buffers[0]}
