"""What every loss shares: PyTorch's reduction argument (and its legacy flags), inputs as Tensors of
one shape, and a softplus that stays finite for any input."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .._broadcast import ShapeError
from ..ops import broadcast_to, stack
from ..tensor import Tensor

REDUCTIONS = ("mean", "sum", "none")


def as_tensor(x: Any, like: Tensor | None = None) -> Tensor:
    """A Tensor as itself; anything else as a constant, in ``like``'s float dtype if it has one."""
    if isinstance(x, Tensor):
        return x
    dtype = like.dtype if like is not None and like.dtype.kind == "f" else None
    return Tensor(x, dtype=dtype)


def float_target(t: Tensor, x: Tensor) -> Tensor:
    """An integer or bool target Tensor in the float input's dtype, as PyTorch's promotion gives
    (a float32 input with int64 targets stays float32; numpy's rules would make it float64)."""
    if t.dtype.kind in "biu" and x.dtype.kind == "f":
        return Tensor._const(t._data.astype(x.dtype))
    return t


def legacy_reduction(size_average: Any, reduce: Any, reduction: str) -> str:
    """PyTorch's mapping of the deprecated ``size_average``/``reduce`` flags onto ``reduction``."""
    if size_average is None and reduce is None:
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    return ("mean" if size_average else "sum") if reduce else "none"


def check_reduction(reduction: str, who: str, extra: tuple = ()) -> None:
    if reduction not in REDUCTIONS + extra:
        raise ValueError(f"{who}: reduction must be one of {REDUCTIONS + extra}, got {reduction!r}")


def apply_reduction(loss: Tensor, reduction: str, who: str) -> Tensor:
    """The mean, the sum, or the elementwise losses themselves."""
    check_reduction(reduction, who)
    if reduction == "mean":
        return loss.mean()
    return loss.sum() if reduction == "sum" else loss


def same_shape(input: Any, target: Any, who: str) -> tuple[Tensor, Tensor]:
    """Input and target as Tensors of one shape (PyTorch would broadcast with a warning: that
    usually hides a bug, so it is an error here)."""
    x = as_tensor(input)
    t = float_target(as_tensor(target, x), x)
    if x.shape != t.shape:
        raise ValueError(f"{who}: input shape {x.shape} and target shape {t.shape} differ")
    return x, t


def broadcast_pair(input: Any, target: Any, who: str, warn: bool = True) -> tuple[Tensor, Tensor]:
    """Input and target as Tensors of their broadcast shape, as PyTorch's pointwise losses take them:
    mse/l1/smooth_l1/huber warn (in PyTorch's words) when the sizes differ, kl_div and
    poisson_nll_loss broadcast silently; shapes that do not broadcast are refused."""
    x = as_tensor(input)
    t = float_target(as_tensor(target, x), x)
    if x.shape == t.shape:
        return x, t
    try:
        shape = np.broadcast_shapes(x.shape, t.shape)
    except ValueError:
        raise ShapeError(
            f"{who}: input of shape {x.shape} and target of shape {t.shape} do not broadcast"
        ) from None
    if warn:
        warnings.warn(
            f"Using a target size ({tuple(t.shape)}) that is different to the input size ({tuple(x.shape)}). "
            "This will likely lead to incorrect results due to broadcasting. "
            "Please ensure they have the same size.",
            UserWarning,
            stacklevel=3,
        )
    return (x if x.shape == shape else broadcast_to(x, shape)), (
        t if t.shape == shape else broadcast_to(t, shape)
    )


def softplus(x: Tensor) -> Tensor:
    """log(1 + e^x) = logsumexp(0, x): finite for any x, gradient sigmoid(x)."""
    zero = Tensor._const(np.zeros(x.shape, dtype=x.dtype))
    return stack([zero, x], axis=0).logsumexp(axis=0)


def register_weight(module: Any, name: str, value: Any) -> None:
    """Keep a loss's class weight (``weight``, ``pos_weight``) as a buffer, as PyTorch does, so it is
    in ``state_dict()`` and ``buffers()``. A Tensor stays the very object given (so a weight that
    requires grad still receives it, as PyTorch's buffer does); an array or list becomes a float
    buffer that ``weight_arg`` hands over as a plain array, so it still takes the input's dtype."""
    if value is not None and not isinstance(value, Tensor):
        arr = np.asarray(value)
        value = arr.astype(np.float64) if arr.dtype.kind in "biu" else arr  # a state dict's floats fit
    module.register_buffer(name, value)
    constants = module.__dict__.setdefault("_constant_weights", set())
    constants.discard(name)
    if isinstance(value, Tensor):
        module._buffers[name] = value
        module.__dict__[name] = value
    elif value is not None:
        constants.add(name)


def weight_arg(module: Any, name: str) -> Any:
    """The weight to pass to the loss function: the Tensor given, or for an array or list the buffer's
    current array (a constant in the input's float dtype, as before it was a buffer)."""
    value = module._buffers.get(name)
    if value is not None and name in module.__dict__.get("_constant_weights", ()):
        return value._data
    return value
