"""``torch.nn.utils.parametrizations``: weight_norm and spectral_norm as parametrizations
(``nn.utils.parametrize``), the form PyTorch now recommends over the forward-pre-hook versions in
``weight_norm.py``: the stored tensors are ``parametrizations.weight.original0/1`` or ``.original``."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._graph import no_grad
from ..tensor import Tensor
from . import init
from .module import Module
from .parametrize import register_parametrization
from .weight_norm import _matrix, _norm_except, _unit


class _WeightNorm(Module):
    """weight = g * v / |v|, the norm over every axis but ``dim`` (all of them for dim None)."""

    def __init__(self, dim: int | None = 0) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, weight_g: Tensor, weight_v: Tensor) -> Tensor:
        return weight_v * (weight_g / _norm_except(weight_v, self.dim))

    def right_inverse(self, weight: Tensor) -> tuple:
        return _norm_except(weight.detach(), self.dim), weight


def weight_norm(module: Module, name: str = "weight", dim: int | None = 0) -> Module:
    """Parametrize ``module.<name>`` as g * v / |v| (Salimans & Kingma 2016); g is ``original0``, v is
    ``original1`` of ``module.parametrizations.<name>``. A state dict of the older ``weight_norm``
    (``<name>_g``, ``<name>_v``) loads into it, as PyTorch's. Returns ``module``."""
    register_parametrization(module, name, _WeightNorm(dim), unsafe=True)

    def _weight_norm_compat_hook(state_dict: Any, prefix: str, *rest: Any) -> None:
        g_key, v_key = f"{prefix}{name}_g", f"{prefix}{name}_v"
        if g_key in state_dict and v_key in state_dict:
            state_dict[f"{prefix}parametrizations.{name}.original0"] = state_dict.pop(g_key)
            state_dict[f"{prefix}parametrizations.{name}.original1"] = state_dict.pop(v_key)

    module._register_load_state_dict_pre_hook(_weight_norm_compat_hook)
    return module


class _SpectralNorm(Module):
    """weight / sigma, sigma the largest singular value of the weight as a matrix (``dim`` first),
    estimated by power iteration on the buffers ``_u``, ``_v`` (15 steps at creation, then
    ``n_power_iterations`` per training forward, none in eval); the gradient flows through
    sigma = u^T W v with u, v held fixed. A 1-D weight is divided by its norm."""

    def __init__(self, weight: Tensor, n_power_iterations: int = 1, dim: int = 0, eps: float = 1e-12) -> None:
        super().__init__()
        if n_power_iterations <= 0:
            raise ValueError(f"spectral_norm: n_power_iterations must be positive, got {n_power_iterations}")
        self.dim = dim % weight.ndim if weight.ndim else 0
        self.eps, self.n_power_iterations, self.ndim = eps, n_power_iterations, weight.ndim
        if weight.ndim > 1:
            mat = _matrix(weight._data, self.dim)
            rng = init.as_generator(None)
            self.register_buffer("_u", _unit(rng.standard_normal(mat.shape[0]).astype(weight.dtype), eps))
            self.register_buffer("_v", _unit(rng.standard_normal(mat.shape[1]).astype(weight.dtype), eps))
            self._power_method(mat, 15)

    def _power_method(self, mat: np.ndarray, steps: int) -> None:
        u, v = self._buffers["_u"], self._buffers["_v"]
        for _ in range(steps):  # in place, outside the graph (PyTorch's order: u from v, then v from u)
            u._data[...] = _unit(mat @ v._data, self.eps)
            v._data[...] = _unit(mat.conj().T @ u._data, self.eps)

    def forward(self, weight: Tensor) -> Tensor:
        if self.ndim == 1:  # F.normalize: w / max(|w|, eps)
            return weight / ((weight * weight.conj()).real.sum() ** 0.5).clip(self.eps, None)
        if self.training:
            with no_grad():
                self._power_method(_matrix(weight._data, self.dim), self.n_power_iterations)
        u = Tensor._const(self._buffers["_u"]._data.copy())
        v = Tensor._const(self._buffers["_v"]._data.copy())
        sigma = (u.conj() * (_matrix(weight, self.dim) @ v)).sum()
        return weight / sigma

    def right_inverse(self, value: Any) -> Any:
        return value


def spectral_norm(
    module: Module,
    name: str = "weight",
    n_power_iterations: int = 1,
    eps: float = 1e-12,
    dim: int | None = None,
) -> Module:
    """Parametrize ``module.<name>`` as W / sigma(W) (Miyato et al. 2018); ``dim`` defaults to 1 for
    transposed convolutions, else 0, as in PyTorch. Returns ``module``."""
    weight = getattr(module, name, None)
    if not isinstance(weight, Tensor):
        raise ValueError(f"spectral_norm: {type(module).__name__} has no parameter or buffer {name!r}")
    if dim is None:
        dim = 1 if type(module).__name__.startswith("ConvTranspose") else 0
    return register_parametrization(module, name, _SpectralNorm(weight, n_power_iterations, dim, eps))


from .orthogonal import orthogonal  # noqa: E402, F401  (torch.nn.utils.parametrizations.orthogonal)
