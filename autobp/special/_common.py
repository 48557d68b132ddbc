"""What the special-function modules share: the namespace they are declared in, and the dtype rule
(scipy.special keeps float32; integers become float64, as in scipy)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor

NS = "autobp.special"
FAMILY = "special"


def float_result(data: Any, *inputs: Tensor) -> np.ndarray:
    """``data`` as an array of the inputs' float dtype (float64 for integer inputs)."""
    dt = np.result_type(*(t.dtype for t in inputs))
    if dt.kind == "c":  # scipy computes some of them on complex numbers, but their rules are real-only
        raise TypeError(f"autobp.special: real input expected, got dtype {dt} (complex is not supported)")
    dt = dt if dt.kind == "f" else np.dtype(np.float64)
    return np.asarray(data).astype(dt, copy=False)


def data_of(x: Any) -> np.ndarray:
    """The numbers of an ndarray or Tensor, for masks only (never for gradients)."""
    return x._data if isinstance(x, Tensor) else np.asarray(x)


def as_float(x: Any, like: Any) -> Any:
    """An ndarray ``x`` in ``like``'s dtype (a plain backward's scipy result may be float64)."""
    return x if isinstance(x, Tensor) else np.asarray(x).astype(data_of(like).dtype, copy=False)
