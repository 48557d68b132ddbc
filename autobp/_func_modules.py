"""Functional calls of modules (``torch.func``'s): ``functional_call`` runs a module with some of its
parameters and buffers replaced for one call, ``stack_module_state`` stacks the parameters of several
copies of a module, so ``vmap`` over ``functional_call`` evaluates an ensemble."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ._func_reparam import reparametrized
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
    call only, so gradients flow to ``w``. As PyTorch's: a tied weight (one object under two names) is
    replaced under both unless ``tie_weights=False`` (two different values for it raise); a name the
    module lacks becomes an attribute for the call; ``strict=True`` requires exactly the module's
    parameters and buffers; a value is a Tensor or None; what the module holds under a given name when
    the call ends (a buffer reassigned in ``forward``) is written back into the dict passed."""
    if isinstance(parameter_and_buffer_dicts, dict):
        given = parameter_and_buffer_dicts
    elif isinstance(parameter_and_buffer_dicts, (list, tuple)):
        given = {}
        for d in parameter_and_buffer_dicts:
            repeated = sorted(set(given) & set(d))
            if repeated:
                raise ValueError(
                    f"{repeated} appeared in multiple dictionaries; behavior of functional call is ambiguous"
                )
            given.update(d)
    else:
        raise ValueError(
            "Expected parameter_and_buffer_dicts to be a dict, or a list/tuple of dicts, "
            f"but got {type(parameter_and_buffer_dicts)}"
        )
    arrays = {k for k, v in given.items() if isinstance(v, (np.ndarray, np.generic))}
    if arrays:  # numpy values stand in as constant Tensors (a copy of the dict: nothing to write back)
        given = {k: Tensor(v) if k in arrays else v for k, v in given.items()}
    call_args = args if isinstance(args, tuple) else (args,)
    with reparametrized(module, given, tie_weights=tie_weights, strict=strict):
        return module(*call_args, **(kwargs or {}))


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
