"""Weight normalisation (Salimans & Kingma 2016) as ``torch.nn.utils.weight_norm``: a weight becomes
the parameters ``<name>_g`` (magnitude) and ``<name>_v`` (direction), recombined before each forward."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor
from .module import Module, Parameter


def _norm_except(v: Tensor, dim: int | None) -> Tensor:
    """The 2-norm of v over every axis but ``dim`` (kept, size 1), or over all of v (dim None)."""
    if dim is None or dim == -1:
        return (v * v).sum() ** 0.5
    d = dim % v.ndim
    return (v * v).sum(axis=tuple(i for i in range(v.ndim) if i != d), keepdims=True) ** 0.5


def weight_norm(module: Module, name: str = "weight", dim: int | None = 0) -> Module:
    """Replace ``module.<name>`` by g * v / |v| (norm over all axes but ``dim``) with Parameters
    ``<name>_g`` and ``<name>_v``; the weight is recomputed by a forward pre-hook. Returns ``module``.

    >>> layer = weight_norm(Linear(3, 2)); [n for n, _ in layer.named_parameters()]   # doctest: +SKIP
    ['bias', 'weight_g', 'weight_v']
    """
    hooks = module.__dict__.setdefault("_weight_norm", {})
    if name in hooks:
        raise RuntimeError(f"weight_norm: {name!r} of {type(module).__name__} already has weight norm")
    w = module._parameters.get(name)
    if w is None:
        raise ValueError(f"weight_norm: {type(module).__name__} has no parameter {name!r}")
    del module._parameters[name]
    module.__dict__.pop(name, None)
    module.register_parameter(name + "_g", Parameter(np.array(_norm_except(w.detach(), dim).data)))
    module.register_parameter(name + "_v", Parameter(w._data.copy()))

    def recompute(m: Module, args: Any) -> None:
        v, g = m._parameters[name + "_v"], m._parameters[name + "_g"]
        object.__setattr__(m, name, v * (g / _norm_except(v, dim)))

    recompute(module, ())
    hooks[name] = module.register_forward_pre_hook(recompute)
    return module


def remove_weight_norm(module: Module, name: str = "weight") -> Module:
    """Undo ``weight_norm``: ``<name>`` is a Parameter again, holding the current g * v / |v|."""
    hooks = module.__dict__.get("_weight_norm", {})
    if name not in hooks:
        raise ValueError(f"remove_weight_norm: weight_norm of {name!r} not found in {type(module).__name__}")
    hooks.pop(name).remove()
    w = module.__dict__.pop(name)
    for suffix in ("_g", "_v"):
        del module._parameters[name + suffix]
        module.__dict__.pop(name + suffix, None)
    module.register_parameter(name, Parameter(np.array(w.data)))
    return module
