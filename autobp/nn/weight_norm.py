"""Weight reparametrisations as ``torch.nn.utils``' (recomputed by a forward pre-hook): weight_norm
(Salimans & Kingma 2016: ``<name>_g`` magnitude, ``<name>_v`` direction) and spectral_norm."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor
from . import init
from .module import Module, Parameter


def _norm_except(v: Tensor, dim: int | None) -> Tensor:
    """The 2-norm of v over every axis but ``dim`` (kept, size 1), or over all of v (dim None)."""
    if dim is None or dim == -1:
        return (v * v).sum() ** 0.5
    d = dim % v.ndim
    return (v * v).sum(axis=tuple(i for i in range(v.ndim) if i != d), keepdims=True) ** 0.5


def _refuse_uninitialized(module: Module, who: str, kind: str) -> None:
    from .small_names import _Uninitialized

    if any(isinstance(p, _Uninitialized) for p in module.parameters()):
        raise ValueError(
            f"The module passed to `{who}` can't have uninitialized parameters. Make sure to run the "
            f"dummy forward before applying {kind} normalization"
        )


def weight_norm(module: Module, name: str = "weight", dim: int | None = 0) -> Module:
    """Replace ``module.<name>`` by g * v / |v| (norm over all axes but ``dim``) with Parameters
    ``<name>_g`` and ``<name>_v``; the weight is recomputed by a forward pre-hook. Returns ``module``.

    >>> layer = weight_norm(Linear(3, 2)); [n for n, _ in layer.named_parameters()]   # doctest: +SKIP
    ['bias', 'weight_g', 'weight_v']
    """
    _refuse_uninitialized(module, "WeightNorm", "weight")
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


def _matrix(w: Any, dim: int) -> Any:
    """The weight as (size of ``dim``, everything else), ``dim`` moved to the front."""
    if dim != 0:
        w = w.swapaxes(0, dim) if w.ndim > 1 else w
    return w.reshape(w.shape[0], -1)


def _unit(x: np.ndarray, eps: float) -> np.ndarray:
    return x / max(float(np.linalg.norm(x)), eps)


def spectral_norm(
    module: Module,
    name: str = "weight",
    n_power_iterations: int = 1,
    eps: float = 1e-12,
    dim: int | None = None,
) -> Module:
    """Divide ``module.<name>`` by its largest singular value sigma (Miyato et al. 2018), estimated by
    power iteration on the buffers ``<name>_u``, ``<name>_v`` (``n_power_iterations`` per training
    forward, none in eval); the trained Parameter is ``<name>_orig``. ``dim`` defaults to 0, 1 for
    transposed convolutions, as in PyTorch. The gradient flows through sigma = u^T W v (u, v fixed)."""
    _refuse_uninitialized(module, "SpectralNorm", "spectral")
    hooks = module.__dict__.setdefault("_spectral_norm", {})
    w = module._parameters.get(name)
    if w is None:
        raise ValueError(f"spectral_norm: {type(module).__name__} has no parameter {name!r}")
    if name in hooks:
        raise RuntimeError(f"spectral_norm: {name!r} of {type(module).__name__} already has spectral norm")
    if n_power_iterations < 0:
        raise ValueError(f"spectral_norm: n_power_iterations must be >= 0, got {n_power_iterations}")
    if dim is None:
        dim = 1 if type(module).__name__.startswith("ConvTranspose") else 0
    mat = _matrix(w._data, dim)
    rng = init.as_generator(None)  # the global generator: manual_seed makes it repeat
    u = _unit(rng.standard_normal(mat.shape[0]).astype(w.dtype), eps)
    v = _unit(rng.standard_normal(mat.shape[1]).astype(w.dtype), eps)
    del module._parameters[name]
    module.__dict__.pop(name, None)
    module.register_parameter(name + "_orig", Parameter(w._data.copy()))
    object.__setattr__(module, name, Tensor(w._data.copy()))
    module.register_buffer(name + "_u", u)
    module.register_buffer(name + "_v", v)

    def recompute(m: Module, args: Any) -> None:
        orig = m._parameters[name + "_orig"]
        u, v = m._buffers[name + "_u"], m._buffers[name + "_v"]
        W = _matrix(orig._data, dim)
        if m.training:
            for _ in range(n_power_iterations):  # in place, outside the graph
                v._data[...] = _unit(W.T @ u._data, eps)
                u._data[...] = _unit(W @ v._data, eps)
        uc, vc = Tensor._const(u._data.copy()), Tensor._const(v._data.copy())
        sigma = (uc * (_matrix(orig, dim) @ vc)).sum()
        object.__setattr__(m, name, orig / sigma)

    hooks[name] = module.register_forward_pre_hook(recompute)
    return module


def remove_spectral_norm(module: Module, name: str = "weight") -> Module:
    """Undo ``spectral_norm``: ``<name>`` is a Parameter again, holding the current W / sigma."""
    hooks = module.__dict__.get("_spectral_norm", {})
    if name not in hooks:
        raise ValueError(
            f"remove_spectral_norm: spectral_norm of {name!r} not found in {type(module).__name__}"
        )
    hooks.pop(name).remove()
    w = module.__dict__.pop(name)
    del module._parameters[name + "_orig"]
    module.__dict__.pop(name + "_orig", None)
    for suffix in ("_u", "_v"):
        del module._buffers[name + suffix]
        module.__dict__.pop(name + suffix, None)
    module.register_parameter(name, Parameter(np.array(w.data)))
    return module
