"""``normal``: samples of N(mean, std^2) in PyTorch's spellings (tensors of means and stds, ``out=``)
and numpy's (``loc``, ``scale``, ``size``), from autobp's global generator or a given one."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._broadcast import ShapeError
from ._default_dtype import sampler_dtype
from ._device import check_device
from ._torch_out import write_out
from .ops._creation_args import _leaf
from .random import _result_dtype, _shape, generator_of
from .tensor import Tensor


def _broadcast_shape(m: tuple, s: tuple) -> tuple:
    """The shape means and stds broadcast to, or PyTorch's error naming the first dimension (from
    the last) where they differ and neither is 1."""
    try:
        return np.broadcast_shapes(m, s)
    except ValueError:
        n = max(len(m), len(s))
        a, b = (1,) * (n - len(m)) + tuple(m), (1,) * (n - len(s)) + tuple(s)
        k = next(i for i in reversed(range(n)) if a[i] != b[i] and 1 not in (a[i], b[i]))
        raise ShapeError(
            f"normal: The size of tensor a ({a[k]}) must match the size of tensor b ({b[k]}) at "
            f"non-singleton dimension {k} (mean of shape {tuple(m)}, std of shape {tuple(s)})"
        ) from None


def _dtype(mean: Any, std: Any, m: np.ndarray, s: np.ndarray, dtype: Any, out: Any) -> np.dtype:
    """PyTorch's: out='s dtype, else ``dtype``, else with two Tensors the (float) mean's dtype; else
    the promoted dtype, Python numbers weak (numpy's float64 for arrays and numbers)."""
    if out is not None:
        if not isinstance(out, Tensor):
            raise TypeError(f"normal: out= must be a Tensor, got {type(out).__name__}")
        if np.dtype(out.dtype).kind != "f":
            raise TypeError(f"normal: out= must be a floating-point Tensor, got dtype {out.dtype}")
        return np.dtype(out.dtype)
    if dtype is not None:
        return sampler_dtype(dtype, "normal")
    if isinstance(mean, Tensor) and isinstance(std, Tensor) and m.dtype.kind == "f":
        return m.dtype  # torch.normal(Tensor, Tensor): the mean's dtype, whatever the std's
    return sampler_dtype(_result_dtype((mean, std), (m, s)), "normal")


def normal(
    mean: Any = 0.0,
    std: Any = 1.0,
    size: Any = None,
    *,
    generator: Any = None,
    out: Any = None,
    dtype: Any = None,
    requires_grad: bool = False,
    loc: Any = None,
    scale: Any = None,
    device: Any = None,
) -> Tensor:
    """Samples of N(mean, std^2): PyTorch's ``normal(mean, std, size)`` (tensors of means and stds
    broadcast, PyTorch's error where they cannot; ``out=`` takes the samples in its dtype) and
    numpy's ``normal(loc, scale, size)``. A constant: no gradient reaches mean or std."""
    check_device(device, "normal")
    mean = mean if loc is None else loc
    std = std if scale is None else scale
    m, s = (a._data if isinstance(a, Tensor) else np.asarray(a, dtype=float) for a in (mean, std))
    if np.any(s < 0):
        raise ShapeError(  # ValueError and RuntimeError (PyTorch's class)
            f"normal: std must be non-negative (normal expects all elements of std >= 0.0), got {std!r}"
        )
    shape = _broadcast_shape(m.shape, s.shape) if size is None else _shape((size,), "normal")
    dt = _dtype(mean, std, m, s, dtype, out)
    data = generator_of(generator).normal(m, s, size=shape).astype(dt, copy=False)
    return write_out(_leaf(np.asarray(data), requires_grad, "normal"), out, "normal")
