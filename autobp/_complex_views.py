"""``view_as_real`` / ``view_as_complex`` as PyTorch's views: the result's array is a view of the
input's memory (a write through either is seen by the other), with PyTorch's checks. view_as_complex
is its own op, so its view follows a recorded write into its input (ops/recorded_writes.py), its
gradient the real pairs of the incoming one (PyTorch's rule); view_as_real is recorded as the stack
of real and imaginary parts."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._views import _view
from .ops import stack
from .ops._args import as_tensor
from .rules import rule
from .tensor import Tensor


class ComplexViewError(ValueError, RuntimeError):
    """An input ``view_as_complex`` cannot view: PyTorch raises a RuntimeError, numpy-style code
    expects a ValueError; this is both."""


def _shares(op: str, data: np.ndarray, source: Tensor) -> Tensor:
    """The result of ``op``: ``data``, a view of ``source``'s memory, recorded and linked as a view."""
    return _view(Tensor._make(data, (source,), op), source, op)


def real_view(d: np.ndarray) -> np.ndarray:
    """A complex array's memory as real pairs along a new last axis of 2."""
    half = d.itemsize // 2
    return np.lib.stride_tricks.as_strided(
        d.real, d.shape + (2,), d.strides + (half,), writeable=d.flags.writeable
    )


def complex_view(d: np.ndarray) -> np.ndarray:
    """A real array's last axis of 2 (contiguous) as one complex number."""
    return d.view(np.complex64 if d.itemsize == 4 else np.complex128)[..., 0]


@rule("view_as_complex")
def _view_as_complex_rule(F, g, out, xs, ctx, need):
    return (F.stack([F.real(g), F.imag(g)], axis=-1),)


def view_as_real(input: Any) -> Tensor:
    z = as_tensor(input)
    if z.dtype.kind != "c":
        raise TypeError(f"view_as_real: expects a complex tensor, got {z.dtype}")
    out = stack([z.real, z.imag], axis=-1)  # recorded as that composition, its memory z's
    out._data = real_view(z._data)
    return _view(out, z)


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
    return _shares("view_as_complex", complex_view(d), x)
