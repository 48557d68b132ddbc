"""torch.func's remaining names: ``replace_all_batch_norm_modules_`` (BatchNorm without running
statistics, for vmap and per-example gradients), ``functionalize`` and ``debug_unwrap``. autobp has no
functorch wrapper tensors and its graph already records every in-place op as a new node, so the last
two keep a program's meaning with little to do (see each one's docstring)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from .pytree import tree_flatten, tree_unflatten
from .tensor import Tensor

_REMOVE = ("mutations", "mutations_and_views")


def replace_all_batch_norm_modules_(root: Any) -> Any:
    """Turn off running statistics in every BatchNorm of ``root``'s module tree, in place, and return
    ``root`` (torch.func.replace_all_batch_norm_modules_).

    Each BatchNorm1d/2d/3d (lazy ones included) that tracks running statistics gets
    ``running_mean``, ``running_var`` and ``num_batches_tracked`` set to None and
    ``track_running_stats=False``: it then normalises with the batch's own statistics in training and
    evaluation alike, and writes no buffer, which is what ``vmap`` over examples needs."""
    from .nn.normalization import _BatchNorm

    modules = getattr(root, "modules", None)
    if modules is None:
        raise TypeError(
            f"replace_all_batch_norm_modules_: expected an autobp.nn.Module, got {type(root).__name__}"
        )
    for m in modules():
        if isinstance(m, _BatchNorm) and m.track_running_stats:
            m.running_mean = None
            m.running_var = None
            m.num_batches_tracked = None
            m.track_running_stats = False
    return root


def functionalize(func: Callable, *, remove: str = "mutations") -> Callable:
    """``func`` with the same results and the same effect on its inputs (torch.func.functionalize).

    torch.func.functionalize rewrites a program's in-place ops (and, with
    ``remove="mutations_and_views"``, its views) as out-of-place ones, for backends that cannot
    represent mutation, while keeping its meaning: outputs are equal and mutations of the inputs are
    still applied to them. autobp has no such backend and its graph already records each in-place op
    as a new node, so the returned function runs ``func`` itself: equal outputs, inputs mutated as
    ``func`` mutates them (a leaf that requires grad still refuses an in-place op, as in torch). As in
    torch, an output that is an input ``func`` mutated is returned as a fresh tensor of its values
    rather than the input object. ``remove`` must be one of torch's two values."""
    if remove not in _REMOVE:
        raise ValueError(
            f"functionalize: remove must be 'mutations' or 'mutations_and_views', got {remove!r}"
        )
    if not callable(func):
        raise TypeError(f"functionalize: expected a callable, got {type(func).__name__}")

    @functools.wraps(func)
    def functionalized(*args: Any, **kwargs: Any) -> Any:
        inputs = [x for x in tree_flatten((args, kwargs))[0] if isinstance(x, Tensor)]
        versions = {id(x): (x, x._version) for x in inputs}
        out = func(*args, **kwargs)
        mutated = {k for k, (x, v) in versions.items() if x._version != v}
        if not mutated:
            return out
        leaves, spec = tree_flatten(out)
        leaves = [x.clone() if isinstance(x, Tensor) and id(x) in mutated else x for x in leaves]
        return tree_unflatten(spec, leaves)

    return functionalized


def debug_unwrap(tensor: Any, *, recurse: bool = True) -> Any:
    """``tensor`` itself (torch.func.debug_unwrap): autobp's transforms wrap no tensors, so there is
    nothing to unwrap; kept so code written for torch.func runs unchanged."""
    return tensor
