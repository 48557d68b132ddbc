"""What the distribution modules share: arguments as Tensors, the standardised variable, and
masking outside a distribution's support (finite values go into the masked-off branch, so its
gradient stays 0 rather than nan)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..ops import where
from ..ops._args import as_tensor
from ..tensor import Tensor


def arg(x: Any) -> Tensor:
    """``x`` as a Tensor; lists and numbers become float64 constants (integers stay integers)."""
    return as_tensor(np.asarray(x) if isinstance(x, (list, tuple)) else x)


def tensors(*values: Any) -> list:
    """The arguments as Tensors; Python numbers take the float dtype of the first array or Tensor
    among them (float32 stays float32), as autobp's arithmetic does."""
    dt = None
    for v in values:
        d = v.dtype if isinstance(v, (Tensor, np.ndarray)) else None
        if d is not None and d.kind == "f":
            dt = d
            break
    out = []
    for v in values:
        if dt is not None and isinstance(v, (int, float)) and not isinstance(v, bool):
            out.append(Tensor._const(np.asarray(v, dtype=dt)))
        else:
            out.append(arg(v))
    return out


def data(x: Any) -> np.ndarray:
    """The numbers of a Tensor or an array-like, for support masks only."""
    return x._data if isinstance(x, Tensor) else np.asarray(x)


def outside(mask: np.ndarray, value: Any, inside: Any) -> Tensor:
    """``inside`` where ``mask`` is false, the constant ``value`` (e.g. -inf) where it is true."""
    if not np.any(mask):
        return inside
    return where(mask, value, inside)


def safe(mask: np.ndarray, x: Any, fill: float) -> Any:
    """``x`` with ``fill`` where ``mask``: a finite stand-in for points outside the support."""
    if not np.any(mask):
        return x
    return where(mask, fill, arg(x))


def support_error(name: str, what: str, values: Any) -> ValueError:
    return ValueError(f"{name}: {what}, got {np.asarray(values)!r}")
