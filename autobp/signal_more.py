"""scipy.signal's 2-D convolutions and detrend, as jax.scipy.signal offers them: convolve2d and
correlate2d (boundary 'fill' with fillvalue 0, the case JAX supports) are convolve/correlate on 2-D
inputs, with correlate2d's own centring of mode 'same'; detrend subtracts the mean or a least-squares
line per segment, a constant linear map, so all three are differentiable through their parts."""

from __future__ import annotations

from typing import Any

import numpy as np

from .ops._args import as_tensor, pair
from .ops._decl import op
from .ops.axis_moves import moveaxis
from .tensor import Tensor

_NS = "autobp.signal"


def _two_d(a: Tensor, b: Tensor, boundary: str, fillvalue: Any, name: str) -> None:
    if a.ndim != 2 or b.ndim != 2:
        raise ValueError(f"{name}: inputs must both be 2-D arrays, got shapes {a.shape} and {b.shape}")
    if boundary != "fill" or np.any(np.asarray(fillvalue) != 0):
        raise NotImplementedError(
            f"{name}: only boundary='fill' with fillvalue=0 is supported (as JAX), got "
            f"boundary={boundary!r}, fillvalue={fillvalue!r}"
        )


@op(
    name="signal_convolve2d",
    family="signal",
    namespace=_NS,
    numpy=None,
    method=False,
    rules=("convolve_full", "getitem"),
)
def convolve2d(
    in1: Any, in2: Any, mode: str = "full", boundary: str = "fill", fillvalue: Any = 0, precision: Any = None
) -> Tensor:
    """2-D convolution (scipy.signal.convolve2d) with zero fill; ``precision`` (JAX's) is accepted and
    the sum is computed in the inputs' dtype. Differentiable in both inputs."""
    from .signal import convolve

    a, b = pair(in1, in2, "convolve2d")
    _two_d(a, b, boundary, fillvalue, "convolve2d")
    return convolve(a, b, mode)


@op(
    name="signal_correlate2d",
    family="signal",
    namespace=_NS,
    numpy=None,
    method=False,
    rules=("convolve_full", "getitem", "conj"),
)
def correlate2d(
    in1: Any, in2: Any, mode: str = "full", boundary: str = "fill", fillvalue: Any = 0, precision: Any = None
) -> Tensor:
    """2-D cross-correlation (scipy.signal.correlate2d) with zero fill: correlate's, except that mode
    'same' takes in1's shape starting at in2's size // 2 of the full result (scipy's centring)."""
    from .signal import correlate

    a, b = pair(in1, in2, "correlate2d")
    _two_d(a, b, boundary, fillvalue, "correlate2d")
    if mode == "valid" and all(m <= n for m, n in zip(a.shape, b.shape)) and a.shape != b.shape:
        full = correlate(b, a, "valid")  # scipy swaps the inputs; correlate2d then comes out reversed
        return full[::-1, ::-1]
    if mode != "same":
        return correlate(a, b, mode)
    full = correlate(a, b, "full")
    return full[tuple(slice(n // 2, n // 2 + m) for m, n in zip(a.shape, b.shape))]


def _linear_residual(n: int, bp: Any) -> np.ndarray:
    """The n x n matrix removing, on each segment between breakpoints, the least-squares line."""
    cuts = np.sort(np.unique(np.r_[0, np.asarray(bp, dtype=np.int64).reshape(-1), n]))
    if np.any(cuts > n) or np.any(cuts < 0):
        raise ValueError(f"detrend: breakpoints must lie in [0, {n}], got {bp!r}")
    m = np.eye(n)
    for lo, hi in zip(cuts[:-1], cuts[1:]):
        k = hi - lo
        if k == 0:
            continue
        design = np.stack([np.arange(1, k + 1) / k, np.ones(k)], axis=1)
        m[lo:hi, lo:hi] -= design @ np.linalg.pinv(design)
    return m


@op(
    name="signal_detrend",
    family="signal",
    namespace=_NS,
    numpy=None,
    method=False,
    rules=("sub", "mean", "matmul", "reshape", "moveaxis", "astype"),
)
def detrend(
    data: Any, axis: int = -1, type: str = "linear", bp: Any = 0, overwrite_data: bool = False
) -> Tensor:
    """scipy.signal.detrend: ``data`` minus its mean along ``axis`` (type 'constant') or minus the
    least-squares line of each segment between the breakpoints ``bp`` (type 'linear'). float32 stays
    float32, other inputs become float64, as scipy. Differentiable (a constant linear map)."""
    x = as_tensor(data)
    if type not in ("linear", "l", "constant", "c"):
        raise ValueError(f"detrend: type must be 'linear' or 'constant', got {type!r}")
    if x.dtype.char not in "dfDF":
        x = x.astype(np.float64)
    if x.ndim == 0:
        raise ValueError("detrend: data must have at least one dimension, got a 0-d array")
    if type in ("constant", "c"):
        return x - x.mean(axis=axis, keepdims=True)
    moved = moveaxis(x, axis, 0)
    m = _linear_residual(moved.shape[0], bp).astype(x.real.dtype if x.dtype.kind == "c" else x.dtype)
    flat = moved.reshape((moved.shape[0], -1))
    return moveaxis((Tensor._const(m) @ flat).reshape(moved.shape), 0, axis)
