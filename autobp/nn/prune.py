"""``torch.nn.utils.prune``: zero parts of a module's tensor through a mask, as PyTorch does it.

Pruning ``module.weight`` moves the parameter to ``weight_orig``, stores the mask as the buffer
``weight_mask`` (both in the state_dict) and makes ``weight`` a plain attribute equal to
``weight_mask * weight_orig``, recomputed by a forward pre-hook (the pruning method itself) before
every call, so gradients reach ``weight_orig`` only where the mask is 1. Pruning again composes the
masks (a ``PruningContainer``); ``remove`` makes the pruned tensor a plain parameter again.

The amounts: an int is a count, a float in [0, 1] a fraction (rounded as Python's ``round``). The
smallest-magnitude entries (or channels of smallest norm) go first; among ties the same ones as
PyTorch's ``topk`` (see _topk_ties.py). The random methods draw from autobp's global generator.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np

from ..tensor import Tensor
from . import init
from ._prune_base import BasePruningMethod, PruningContainer, _arr, _const, _pre_hooks
from ._topk_ties import topk_indices
from .module import Module

__all__ = [
    "BasePruningMethod",
    "PruningContainer",
    "Identity",
    "RandomUnstructured",
    "L1Unstructured",
    "RandomStructured",
    "LnStructured",
    "CustomFromMask",
    "identity",
    "random_unstructured",
    "l1_unstructured",
    "random_structured",
    "ln_structured",
    "global_unstructured",
    "custom_from_mask",
    "remove",
    "is_pruned",
]


def _check_amount_init(amount: Any) -> None:
    if not isinstance(amount, numbers.Real):
        raise TypeError(f"Invalid type for amount: {amount}. Must be int or float.")
    if (isinstance(amount, numbers.Integral) and amount < 0) or (
        not isinstance(amount, numbers.Integral) and (float(amount) > 1.0 or float(amount) < 0.0)
    ):
        raise ValueError(
            f"amount={amount} should either be a float in the range [0, 1] or a non-negative integer"
        )


def _count(amount: Any, size: int) -> int:
    """How many units to prune, checked against ``size``."""
    n = amount if isinstance(amount, numbers.Integral) else round(amount * size)
    if isinstance(amount, numbers.Integral) and amount > size:
        raise ValueError(f"amount={amount} should be smaller than the number of parameters to prune={size}")
    return int(n)


def _validate_pruning_amount(amount: Any, tensor_size: int) -> None:
    """PyTorch's private check that an int ``amount`` does not exceed ``tensor_size``."""
    _count(amount, tensor_size)


def _compute_nparams_toprune(amount: Any, tensor_size: int) -> int:
    """PyTorch's private name for the count of units ``amount`` prunes out of ``tensor_size``."""
    return _count(amount, tensor_size)


_validate_pruning_amount_init = _check_amount_init  # PyTorch's private name


def _check_structured(t: np.ndarray, dim: int) -> None:
    if t.ndim <= 1:
        raise ValueError(
            "Structured pruning can only be applied to multidimensional tensors. Found tensor of shape "
            f"{t.shape} with {t.ndim} dims"
        )
    if dim >= t.ndim:
        raise IndexError(f"Invalid index {dim} for tensor of size {t.shape}")


class Identity(BasePruningMethod):
    """Prunes nothing: the mask stays as it is (all ones the first time)."""

    PRUNING_TYPE = "unstructured"

    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        """``default_mask`` unchanged."""
        return default_mask

    @classmethod
    def apply(cls, module: Module, name: str):  # type: ignore[override]
        """Add the reparametrization with an all-ones mask."""
        return super().apply(module, name)


class RandomUnstructured(BasePruningMethod):
    """Prune ``amount`` entries chosen uniformly at random (autobp's global generator)."""

    PRUNING_TYPE = "unstructured"

    def __init__(self, amount: int | float) -> None:
        _check_amount_init(amount)
        self.amount = amount

    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        """``default_mask`` with ``amount`` random entries set to 0."""
        tv = _arr(t)
        k = _count(self.amount, tv.size)
        mask = np.array(_arr(default_mask))
        if k != 0:
            prob = init.as_generator(None).random(tv.size)
            mask.reshape(-1)[topk_indices(prob, k, largest=True)] = 0
        return _const(mask)

    @classmethod
    def apply(cls, module: Module, name: str, amount: int | float):  # type: ignore[override]
        """Prune ``module.<name>`` at random."""
        return super().apply(module, name, amount=amount)


class L1Unstructured(BasePruningMethod):
    """Prune the ``amount`` entries of smallest absolute value."""

    PRUNING_TYPE = "unstructured"

    def __init__(self, amount: int | float) -> None:
        _check_amount_init(amount)
        self.amount = amount

    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        """``default_mask`` with the ``amount`` smallest |t| set to 0."""
        tv = _arr(t)
        k = _count(self.amount, tv.size)
        mask = np.array(_arr(default_mask))
        if k != 0:
            mask.reshape(-1)[topk_indices(np.abs(tv).reshape(-1), k, largest=False)] = 0
        return _const(mask)

    @classmethod
    def apply(cls, module: Module, name: str, amount: int | float, importance_scores: Any = None):  # type: ignore[override]
        """Prune ``module.<name>`` by magnitude (of ``importance_scores`` if given)."""
        return super().apply(module, name, amount=amount, importance_scores=importance_scores)


def _channel_mask(t: np.ndarray, dim: int, keep: np.ndarray) -> np.ndarray:
    mask = np.zeros_like(t)
    slc = [slice(None)] * t.ndim
    slc[dim] = keep
    mask[tuple(slc)] = 1
    return mask


class RandomStructured(BasePruningMethod):
    """Prune ``amount`` whole channels along ``dim``, chosen at random."""

    PRUNING_TYPE = "structured"

    def __init__(self, amount: int | float, dim: int = -1) -> None:
        _check_amount_init(amount)
        self.amount, self.dim = amount, dim

    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        """All ones but the chosen channels, times ``default_mask``."""
        tv = _arr(t)
        _check_structured(tv, self.dim)
        size = tv.shape[self.dim]
        k = _count(self.amount, size)
        if k == 0:
            return default_mask
        prob = init.as_generator(None).random(size)
        threshold = np.partition(prob, k - 1)[k - 1]  # torch.kthvalue
        mask = _channel_mask(tv, self.dim, prob > threshold)
        return _const(mask * _arr(default_mask).astype(mask.dtype))

    @classmethod
    def apply(cls, module: Module, name: str, amount: int | float, dim: int = -1):  # type: ignore[override]
        """Prune random channels of ``module.<name>``."""
        return super().apply(module, name, amount=amount, dim=dim)


def _norm(t: np.ndarray, n: Any, dim: int) -> np.ndarray:
    """The L``n`` norm of each slice of ``t`` along ``dim``, as ``torch.norm(t, p=n, dim=others)``: a
    number, inf or -inf; 'fro' (over at most two axes) or 'nuc' (over exactly two)."""
    dim = dim % t.ndim
    axes = tuple(d for d in range(t.ndim) if d != dim)
    a = np.abs(t)
    if isinstance(n, str):
        if n == "fro" and len(axes) <= 2:
            return np.sqrt((a * a).sum(axis=axes))
        if n == "nuc" and len(axes) == 2:
            return np.linalg.norm(t, "nuc", axis=axes)
        raise RuntimeError(
            f"linalg.matrix_norm: dim must be a 2-tuple. Got {' '.join(map(str, axes))} (the norm {n!r} "
            f"of the slices of a {t.ndim}-D tensor)"
        )
    if n == 2:
        return np.sqrt((a * a).sum(axis=axes))
    if n == np.inf:
        return a.max(axis=axes)
    if n == -np.inf:
        return a.min(axis=axes)
    if n == 0:
        return (a != 0).sum(axis=axes).astype(t.dtype)
    if n == 1:
        return a.sum(axis=axes)
    return (a**n).sum(axis=axes) ** (1.0 / n)


class LnStructured(BasePruningMethod):
    """Prune the ``amount`` channels along ``dim`` of smallest L``n`` norm."""

    PRUNING_TYPE = "structured"

    def __init__(self, amount: int | float, n: Any, dim: int = -1) -> None:
        _check_amount_init(amount)
        self.amount, self.n, self.dim = amount, n, dim

    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        """Ones on the channels of largest norm, times ``default_mask``."""
        tv = _arr(t)
        _check_structured(tv, self.dim)
        size = tv.shape[self.dim]
        k = _count(self.amount, size)
        if k == 0:
            return default_mask
        keep = topk_indices(_norm(tv, self.n, self.dim), size - k, largest=True)
        mask = _channel_mask(tv, self.dim, keep)
        return _const(mask * _arr(default_mask).astype(mask.dtype))

    @classmethod
    def apply(
        cls, module: Module, name: str, amount: int | float, n: Any, dim: int, importance_scores: Any = None
    ):  # type: ignore[override]
        """Prune the weakest channels of ``module.<name>``."""
        return super().apply(module, name, amount=amount, n=n, dim=dim, importance_scores=importance_scores)


class CustomFromMask(BasePruningMethod):
    """Prune where a given ``mask`` is 0."""

    PRUNING_TYPE = "global"

    def __init__(self, mask: Any) -> None:
        self.mask = mask

    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        """``default_mask * mask``."""
        d, m = _arr(default_mask), _arr(self.mask)
        if d.shape != m.shape:
            raise AssertionError(f"default_mask shape {d.shape} must match self.mask shape {m.shape}")
        return _const(d * m.astype(d.dtype))

    @classmethod
    def apply(cls, module: Module, name: str, mask: Any):  # type: ignore[override]
        """Prune ``module.<name>`` where ``mask`` is 0."""
        return super().apply(module, name, mask=mask)


def identity(module: Module, name: str) -> Module:
    """Reparametrize ``module.<name>`` with an all-ones mask (prunes nothing). Returns ``module``."""
    Identity.apply(module, name)
    return module


def random_unstructured(module: Module, name: str, amount: int | float) -> Module:
    """Prune ``amount`` random entries of ``module.<name>``. Returns ``module``."""
    RandomUnstructured.apply(module, name, amount)
    return module


def l1_unstructured(module: Module, name: str, amount: int | float, importance_scores: Any = None) -> Module:
    """Prune the ``amount`` entries of ``module.<name>`` of smallest magnitude. Returns ``module``."""
    L1Unstructured.apply(module, name, amount=amount, importance_scores=importance_scores)
    return module


def random_structured(module: Module, name: str, amount: int | float, dim: int) -> Module:
    """Prune ``amount`` random channels of ``module.<name>`` along ``dim``. Returns ``module``."""
    RandomStructured.apply(module, name, amount, dim)
    return module


def ln_structured(
    module: Module, name: str, amount: int | float, n: Any, dim: int, importance_scores: Any = None
) -> Module:
    """Prune the ``amount`` channels of ``module.<name>`` along ``dim`` of smallest L``n`` norm."""
    LnStructured.apply(module, name, amount, n, dim, importance_scores=importance_scores)
    return module


def global_unstructured(
    parameters: Iterable, pruning_method: type, importance_scores: dict | None = None, **kwargs: Any
) -> None:
    """Prune the (module, name) tensors together: ``pruning_method(**kwargs)`` (an unstructured one)
    ranks all their entries as one vector, so layers lose different fractions."""
    if not isinstance(parameters, Iterable):
        raise TypeError("global_unstructured(): parameters is not an Iterable")
    parameters = list(parameters)
    importance_scores = importance_scores if importance_scores is not None else {}
    if not isinstance(importance_scores, dict):
        raise TypeError("global_unstructured(): importance_scores must be of type dict")
    scores = np.concatenate(
        [_arr(importance_scores.get((m, name), getattr(m, name))).reshape(-1) for m, name in parameters]
    )
    default_mask = np.concatenate(
        [
            (
                _arr(getattr(m, name + "_mask"))
                if hasattr(m, name + "_mask")
                else np.ones(getattr(m, name).shape)
            )
            .astype(scores.dtype)
            .reshape(-1)
            for m, name in parameters
        ]
    )
    container = PruningContainer()
    container._tensor_name = "temp"
    method = pruning_method(**kwargs)
    method._tensor_name = "temp"
    if method.PRUNING_TYPE != "unstructured":
        raise TypeError(
            'Only "unstructured" PRUNING_TYPE supported for the `pruning_method`. '
            f"Found method {pruning_method} of type {method.PRUNING_TYPE}"
        )
    container.add_pruning_method(method)
    final = _arr(container.compute_mask(_const(scores), _const(default_mask)))
    start = 0
    for m, name in parameters:
        size = int(np.prod(getattr(m, name).shape))
        custom_from_mask(m, name, mask=final[start : start + size].reshape(getattr(m, name).shape))
        start += size


def custom_from_mask(module: Module, name: str, mask: Any) -> Module:
    """Prune ``module.<name>`` where ``mask`` is 0. Returns ``module``."""
    CustomFromMask.apply(module, name, mask)
    return module


def remove(module: Module, name: str) -> Module:
    """Make the pruning of ``module.<name>`` permanent: a plain parameter with the pruned values,
    no ``_orig``, ``_mask`` or hook. Returns ``module``."""
    hooks = _pre_hooks(module)
    for k, (hook, _) in list(hooks.items()):
        if isinstance(hook, BasePruningMethod) and hook._tensor_name == name:
            hook.remove(module)
            del hooks[k]
            return module
    raise ValueError(f"Parameter '{name}' of module {module} has to be pruned before pruning can be removed")


def is_pruned(module: Module) -> bool:
    """Whether ``module`` or any submodule has a pruning hook."""
    return any(
        isinstance(hook, BasePruningMethod)
        for _, sub in module.named_modules()
        for hook, _ in _pre_hooks(sub).values()
    )
