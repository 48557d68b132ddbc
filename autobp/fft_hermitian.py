"""numpy.fft's Hermitian transforms, hfft and ihfft, as numpy defines them: hfft(a) is irfft of
conj(a) and ihfft(x) conj of rfft(x), each with the norm's direction swapped, so their gradients are
irfft's and rfft's (exported from autobp.fft)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .ops._args import as_tensor
from .ops._decl import op
from .tensor import Tensor

# hfft is the forward transform of a Hermitian signal, computed as an inverse one: swap the norm
_SWAP = {None: "forward", "backward": "forward", "ortho": "ortho", "forward": "backward"}


def _swapped(norm: Any, name: str) -> str:
    if norm not in _SWAP:
        raise ValueError(f"{name}: norm must be 'backward', 'ortho', 'forward' or None, got {norm!r}")
    return _SWAP[norm]


def _conj(t: Tensor) -> Tensor:
    from .ops import conj

    return conj(t) if t.dtype.kind == "c" else t


@op(
    name="hfft",
    family="fft",
    namespace="autobp.fft",
    rules=("irfftn", "conj"),
    numpy=(np.fft.hfft,),
    method=False,
)
def hfft(a: Any, n: int | None = None, axis: int = -1, norm: str | None = None) -> Tensor:
    """The real FFT of a signal with Hermitian symmetry given by its half ``a`` (numpy's hfft).

    n output points (default 2 (m - 1) for m input points); irfft(conj(a), n) with the norm's
    direction swapped, so differentiable as irfft."""
    from .fft import irfft

    a = as_tensor(a)
    if a.ndim == 0:
        raise ValueError("hfft: the input must have at least one dimension, got a 0-d array")
    if n is None:
        n = (a.shape[axis] - 1) * 2
    return irfft(_conj(a), n, axis, _swapped(norm, "hfft"))


@op(
    name="ihfft",
    family="fft",
    namespace="autobp.fft",
    rules=("rfftn", "conj"),
    numpy=(np.fft.ihfft,),
    method=False,
)
def ihfft(a: Any, n: int | None = None, axis: int = -1, norm: str | None = None) -> Tensor:
    """The inverse of hfft: the half spectrum of a real signal, conj(rfft(a, n)) with the norm's
    direction swapped (numpy's ihfft); differentiable as rfft."""
    from .fft import rfft

    return _conj(rfft(a, n, axis, _swapped(norm, "ihfft")))
