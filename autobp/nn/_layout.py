"""PyTorch's memory layout of convolution and pooling outputs: channels-last when an input (or the
weight) is laid out channels-last, plain C order otherwise (so ``is_contiguous()`` and ``stride()``
answer as PyTorch's do). Values never depend on it."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..memory_format import channels_last, channels_last_3d, contiguous_format, is_laid_out, relayout
from ..tensor import Tensor


def _channels_last_strides(shape: tuple, strides: tuple) -> bool:
    """PyTorch's test for channels-last-like strides (C innermost, then W, H(, D), N), read on the
    strides themselves (so an (O, 1, kH, kW) weight laid out channels-last counts as such)."""
    low = 0
    for d in (1, *range(len(shape) - 1, 1, -1), 0):
        if shape[d] == 0 or strides[d] < low:
            return False
        if d == 0 and low == strides[1]:  # ambiguous N111-like strides: PyTorch picks contiguous
            return False
        low = strides[d] * (shape[d] if shape[d] > 1 else 1)
    return True


def suggest_format(*arrays: Any) -> Any:
    """channels_last(_3d) if some array's strides are channels-last-like (PyTorch's rule), else contiguous."""
    for a in arrays:
        if isinstance(a, np.ndarray) and a.ndim in (4, 5):
            if _channels_last_strides(a.shape, tuple(st // a.itemsize for st in a.strides)):
                return channels_last if a.ndim == 4 else channels_last_3d
    return contiguous_format


def laid_out_like(out: np.ndarray, *sources: Any) -> np.ndarray:
    """``out`` (same values) in the layout PyTorch gives an output of ``sources``."""
    fmt = suggest_format(*sources)
    if fmt is contiguous_format:
        return out if out.flags.c_contiguous else np.ascontiguousarray(out)
    return out if is_laid_out(out, fmt) else relayout(out, fmt)


def tensor_laid_out_like(out: Tensor, *sources: Any) -> Tensor:
    """A recorded relayout of the Tensor ``out`` when its layout is not PyTorch's (see laid_out_like)."""
    fmt = suggest_format(*sources)
    if fmt is contiguous_format:
        return out if out._data.flags.c_contiguous else out.contiguous()
    return out if is_laid_out(out._data, fmt) else out.contiguous(memory_format=fmt)
