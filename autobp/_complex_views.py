"""``view_as_real`` / ``view_as_complex`` as PyTorch's views: the result's array is a view of the
input's memory (a write through either is seen by the other, outside a graph), with PyTorch's
checks; the graph records them as before (real/imag and stack, complex of two slices), so their
gradients are unchanged."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._views import _view
from .ops import stack
from .ops._args import as_tensor
from .tensor import Tensor


class ComplexViewError(ValueError, RuntimeError):
    """An input ``view_as_complex`` cannot view: PyTorch raises a RuntimeError, numpy-style code
    expects a ValueError; this is both."""


def _shares(out: Tensor, data: np.ndarray, source: Tensor) -> Tensor:
    """``out`` (the recorded result) showing ``data``, a view of ``source``'s memory with the same
    numbers, linked to ``source`` as a view."""
    out._data = data
    return _view(out, source)


def view_as_real(input: Any) -> Tensor:
    z = as_tensor(input)
    if z.dtype.kind != "c":
        raise TypeError(f"view_as_real: expects a complex tensor, got {z.dtype}")
    out = stack([z.real, z.imag], axis=-1)
    d = z._data
    half = d.itemsize // 2
    data = np.lib.stride_tricks.as_strided(
        d.real, d.shape + (2,), d.strides + (half,), writeable=d.flags.writeable
    )
    return _shares(out, data, z)


def view_as_complex(input: Any) -> Tensor:
    x = as_tensor(input)
    if x.ndim == 0:
        raise ComplexViewError("view_as_complex: Input tensor must have one or more dimensions")
    if x.shape[-1] != 2:
        raise ComplexViewError(
            f"view_as_complex: Tensor must have a last dimension of size 2 (got shape {x.shape})"
        )
    if x.dtype.kind != "f" or x.dtype.itemsize not in (4, 8):
        raise TypeError(f"view_as_complex: expects a float32 or float64 tensor, got {x.dtype}")
    d = x._data
    size = d.itemsize
    if d.strides[-1] != size:
        raise ComplexViewError(
            f"view_as_complex: Tensor must have a last dimension with stride 1 (got strides {d.strides})"
        )
    if any(s % (2 * size) for s, n in zip(d.strides[:-1], d.shape[:-1]) if n > 1):
        raise ComplexViewError(
            "view_as_complex: Tensor must have a stride divisible by 2 for all but last dimension "
            f"(got strides {tuple(s // size for s in d.strides)})"
        )
    out = x[..., 0] + x[..., 1] * 1j  # (torch.complex's composition)
    data = d.view(np.complex64 if size == 4 else np.complex128)[..., 0]  # the last axis is contiguous
    return _shares(out, data, x)
