"""numpy names that are another op under numpy's own signature: fabs (abs of real numbers), rollaxis
(an older spelling of moveaxis), convolve (numpy's 1-d convolution, scipy.signal's in a numpy
signature); real_if_close lives with the complex parts (complex_parts.py)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._broadcast import AxisError, normalize_axes
from ..tensor import Tensor
from ._args import as_tensor
from ._decl import op
from .shape import transpose

_N = "numpy_aliases"


@op(family=_N, rules=("abs",), method=False)
def fabs(x: Any) -> Tensor:
    """|x| of real numbers, elementwise, always a float (numpy's fabs; complex input is a TypeError).

    The gradient is sign(x) g, 0 at 0, as abs's (PyTorch has no fabs; torch.abs is the same).
    """
    x = as_tensor(x)
    if x.dtype.kind == "c":
        raise TypeError(f"fabs: not defined for complex tensors (dtype {x.dtype}, shape {x.shape}); use abs")
    return Tensor._make(np.fabs(x._data), (x,), "abs")


@op(family=_N, rules=("transpose",), method=False)
def rollaxis(a: Any, axis: int, start: int = 0) -> Tensor:
    """Axis ``axis`` moved to just before position ``start`` (numpy's rollaxis; a view).

    ``start`` counts positions in the input (0 <= start <= ndim): rolling axis 2 of a (2, 3, 4) tensor
    to start=0 gives (4, 2, 3); moveaxis says the same with the destination's index.
    """
    a = as_tensor(a)
    n = a.ndim
    (ax,) = normalize_axes(axis, n, "rollaxis", a.shape)
    if not isinstance(start, (int, np.integer)) or isinstance(start, bool):
        raise TypeError(f"rollaxis: start must be an integer, got {start!r}")
    pos = start + n if start < 0 else start
    if not 0 <= pos <= n:
        raise AxisError(
            f"rollaxis: start={start} is out of bounds for a tensor of {n} dimensions (shape {a.shape})"
        )
    if ax < pos:
        pos -= 1  # the axis leaves its place before it is inserted
    order = [i for i in range(n) if i != ax]
    order.insert(pos, ax)
    return transpose(a, order)


def _mode_name(mode: Any) -> str:
    """numpy's convolve/correlate mode: 'valid', 'same', 'full' or its number 0, 1, 2."""
    if isinstance(mode, str):
        if mode in ("full", "same", "valid"):
            return mode
    elif isinstance(mode, (int, np.integer)) and not isinstance(mode, bool):
        if 0 <= mode <= 2:
            return ("valid", "same", "full")[int(mode)]
    else:
        raise TypeError(f"convolve/correlate mode not understood: {mode!r}")
    raise ValueError(f"convolve: mode must be 'full', 'same' or 'valid' (or 2, 1, 0), got {mode!r}")


@op(family=_N, rules=("convolve_full", "getitem"), method=False)
def convolve(a: Any, v: Any, mode: str = "full") -> Tensor:
    """Discrete linear convolution of two 1-d sequences (numpy's convolve); differentiable in both.

    'full' has length M + N - 1, 'same' max(M, N) (centred), 'valid' max(M, N) - min(M, N) + 1;
    the longer sequence plays scipy's ``in1``, so it is autobp.signal.convolve(longer, shorter, mode).
    """
    from ..signal import convolve as signal_convolve  # autobp.signal imports the ops package

    a, v = as_tensor(a), as_tensor(v)
    a = a.reshape((1,)) if a.ndim == 0 else a  # numpy treats numbers as 1-element sequences
    v = v.reshape((1,)) if v.ndim == 0 else v
    if a.ndim != 1 or v.ndim != 1:
        raise ValueError(f"convolve: a and v must be 1-d sequences, got shapes {a.shape} and {v.shape}")
    if a.shape[0] == 0 or v.shape[0] == 0:
        which = "a" if a.shape[0] == 0 else "v"
        raise ValueError(f"convolve: {which} cannot be empty (shapes {a.shape} and {v.shape})")
    mode = _mode_name(mode)
    if v.shape[0] > a.shape[0]:
        a, v = v, a
    return signal_convolve(a, v, mode)
