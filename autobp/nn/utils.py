"""Gradient clipping and flat parameter vectors (``torch.nn.utils``' names and semantics).

The clipping functions change each parameter's ``.grad`` in place, outside any graph.
"""

from __future__ import annotations

import math
import sys
import types
import warnings
from collections.abc import Iterable
from typing import Any

import numpy as np

from ..ops import concatenate
from ..tensor import Tensor


def _tensors(parameters: Any, who: str) -> list[Tensor]:
    ps = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    for i, p in enumerate(ps):
        if not isinstance(p, Tensor):
            raise TypeError(f"{who}: parameters[{i}] is a {type(p).__name__}, not a Tensor")
    return ps


def _grads(parameters: Any, who: str) -> list[tuple[Tensor, np.ndarray]]:
    """(parameter, its grad as an ndarray) for each parameter that has a grad: the array itself when
    it is one (the engine's, or the view user code reads as ``.grad``), so clipping writes into it."""
    return [
        (p, g if isinstance(g, np.ndarray) else np.asarray(g))
        for p in _tensors(parameters, who)
        if (g := p._grad) is not None
    ]


def _norm(arrays: list[np.ndarray], norm_type: float) -> np.ndarray:
    """The p-norm of the p-norms of the arrays (= the p-norm of all their elements), 0-d."""
    norms = [np.linalg.vector_norm(a.ravel(), ord=norm_type) for a in arrays]
    return np.asarray(np.linalg.vector_norm(np.array(norms), ord=norm_type))


def get_total_norm(
    tensors: Any, norm_type: float = 2.0, error_if_nonfinite: bool = False, foreach: Any = None
) -> Tensor:
    """The ``norm_type``-norm of all the given arrays together (inf: the largest magnitude)."""
    arrays = [t._data if isinstance(t, Tensor) else np.asarray(t) for t in _listed(tensors)]
    if not arrays:
        return Tensor(0.0)
    total = _norm(arrays, float(norm_type))
    if error_if_nonfinite and not np.isfinite(total):
        raise RuntimeError(  # PyTorch's words (its tests match them)
            f"The total norm of order {float(norm_type)} for gradients from `parameters` is non-finite "
            f"({float(total)}), so it cannot be clipped. To disable this error and scale the gradients by "
            "the non-finite norm anyway, set `error_if_nonfinite=False`"
        )
    return Tensor(total, dtype=total.dtype)


def _listed(tensors: Any) -> list:
    return [tensors] if isinstance(tensors, (Tensor, np.ndarray)) else list(tensors)


def clip_grads_with_norm_(parameters: Any, max_norm: float, total_norm: Any, foreach: Any = None) -> None:
    """Scale every grad by min(1, max_norm / (total_norm + 1e-6)) in place."""
    total = float(total_norm.item() if isinstance(total_norm, Tensor) else total_norm)
    # PyTorch's clamp(max=1) keeps a nan, which then spreads to every grad
    coef = math.nan if math.isnan(total) else min(float(max_norm) / (total + 1e-6), 1.0)
    for p, g in _grads(parameters, "clip_grads_with_norm_"):
        _scale(p, g, coef)


def _scale(p: Tensor, g: np.ndarray, coef: float) -> None:
    c = np.asarray(coef, dtype=g.dtype)
    with np.errstate(invalid="ignore"):  # an inf grad times the coefficient 0 is nan, silently as in PyTorch
        if g is p._grad and g.flags.writeable:
            g *= c
        else:
            p._grad = g * c


def clip_grad_norm_(
    parameters: Any,
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
    foreach: Any = None,
) -> Tensor:
    """Rescale the gradients so their total ``norm_type``-norm is at most ``max_norm``:
    each grad times min(1, max_norm / (total + 1e-6)). Returns the total norm before clipping.

    >>> total = clip_grad_norm_(model.parameters(), max_norm=1.0)   # doctest: +SKIP
    """
    generator = isinstance(parameters, types.GeneratorType)
    ps = _tensors(parameters, "clip_grad_norm_")
    if generator and not ps:  # an exhausted model.parameters() is a common slip: PyTorch warns
        warnings.warn("`parameters` is an empty generator, no gradient clipping will occur.", stacklevel=2)
    grads = [g for _, g in _grads(ps, "clip_grad_norm_")]
    if not grads:
        return Tensor(0.0)
    total = get_total_norm(grads, norm_type, error_if_nonfinite)
    clip_grads_with_norm_(ps, max_norm, total)
    return total


def clip_grad_value_(parameters: Any, clip_value: float, foreach: Any = None) -> None:
    """Clamp every gradient element into [-clip_value, clip_value] in place."""
    c = float(clip_value)
    for p, g in _grads(parameters, "clip_grad_value_"):
        if g is p._grad and g.flags.writeable:
            np.clip(g, -c, c, out=g)
        else:
            p._grad = np.clip(g, -c, c)


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """All parameters flattened and joined into one vector (differentiable: a graph node)."""
    ps = _tensors(parameters, "parameters_to_vector")
    if not ps:
        raise ValueError("parameters_to_vector: got no parameters")
    return concatenate([p.reshape(-1) for p in ps])


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Copy consecutive slices of ``vec`` into the parameters' data, in order (not differentiable)."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"vector_to_parameters: expected vec to be a Tensor, got {type(vec).__name__}")
    ps = _tensors(parameters, "vector_to_parameters")
    need = sum(p.size for p in ps)
    if vec.ndim != 1 or vec.size != need:
        raise ValueError(
            f"vector_to_parameters: vec of shape {vec.shape} must be 1-D with {need} elements "
            f"(the parameters' total)"
        )
    start = 0
    for p in ps:
        p.data = vec._data[start : start + p.size].reshape(p.shape).copy()  # a recorded in-place write
        start += p.size


__all__ = [
    "clip_grad_norm_",
    "clip_grad_value_",
    "get_total_norm",
    "clip_grads_with_norm_",
    "parameters_to_vector",
    "vector_to_parameters",
]


def clip_grad_norm(
    parameters: Any,
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
    foreach: Any = None,
):
    """PyTorch's deprecated name of ``clip_grad_norm_``."""
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, foreach)


from .weight_norm import remove_spectral_norm, remove_weight_norm, spectral_norm, weight_norm  # noqa: E402

__all__ += ["clip_grad_norm", "weight_norm", "remove_weight_norm", "spectral_norm", "remove_spectral_norm"]
from . import rnn_utils as rnn  # noqa: E402  nn.utils.rnn, importable by that name as torch's
from .rnn_utils import pad_sequence, unpad_sequence  # noqa: E402

sys.modules.setdefault(__name__ + ".rnn", rnn)

__all__ += ["pad_sequence", "unpad_sequence", "rnn"]
from .fusion import fuse_conv_bn_eval, fuse_conv_bn_weights, fuse_linear_bn_eval, fuse_linear_bn_weights  # noqa: E402

__all__ += ["fuse_conv_bn_eval", "fuse_conv_bn_weights", "fuse_linear_bn_eval", "fuse_linear_bn_weights"]
from . import parametrizations, parametrize  # noqa: E402  torch.nn.utils.parametrize, .parametrizations

__all__ += ["parametrize", "parametrizations"]
from . import clip_grad, convert_parameters, fusion, prune, stateless  # noqa: E402, F401  torch's modules
from .skip_init import skip_init  # noqa: E402

# importable by their dotted names (``import torch.nn.utils.prune as prune``), as torch's
for _name in (
    "parametrize",
    "parametrizations",
    "prune",
    "stateless",
    "convert_parameters",
    "clip_grad",
    "fusion",
):
    sys.modules.setdefault(f"{__name__}.{_name}", sys.modules[f"{__package__}.{_name}"])
del _name
__all__ += ["prune", "stateless", "skip_init"]  # clip_grad, convert_parameters, fusion: import names only
