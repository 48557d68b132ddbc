"""The Hermitian transforms: numpy.fft's hfft and ihfft, as numpy defines them (hfft(a) is irfft of
conj(a) and ihfft(x) conj of rfft(x), each with the norm's direction swapped, so their gradients are
irfft's and rfft's), and torch.fft's 2-d and n-d forms hfft2, hfftn, ihfft2, ihfftn with torch's
s=, dim=, norm= (built the same way on irfftn / rfftn); all exported from autobp.fft."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._fft_plan import FFTArgumentError, FFTDimError, FFTShapeError, check_real, no_axis
from .ops._args import as_tensor
from .ops._decl import op
from .tensor import Tensor

# hfft is the forward transform of a Hermitian signal, computed as an inverse one: swap the norm
_SWAP = {None: "forward", "backward": "forward", "ortho": "ortho", "forward": "backward"}


def _swapped(norm: Any, name: str) -> str:
    if norm not in _SWAP:
        raise FFTArgumentError(f"{name}: norm must be 'backward', 'ortho', 'forward' or None, got {norm!r}")
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
def hfft(a: Any, n: int | None = None, axis: int = -1, norm: str | None = None, *, dim: Any = None) -> Tensor:
    """The real FFT of a signal with Hermitian symmetry given by its half ``a`` (numpy's hfft).

    n output points (default 2 (m - 1) for m input points); irfft(conj(a), n) with the norm's
    direction swapped, so differentiable as irfft."""
    from .fft import _dim, irfft

    axis = _dim(axis, dim, -1, "hfft")
    a = as_tensor(a)
    if a.ndim == 0:
        raise FFTArgumentError("hfft: the input must have at least one dimension, got a 0-d array")
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
def ihfft(
    a: Any, n: int | None = None, axis: int = -1, norm: str | None = None, *, dim: Any = None
) -> Tensor:
    """The inverse of hfft: the half spectrum of a real signal, conj(rfft(a, n)) with the norm's
    direction swapped (numpy's ihfft); differentiable as rfft."""
    from .fft import _dim, rfft

    a = as_tensor(a)
    check_real(a, "ihfft", "ihfft", valued=False)
    return _conj(rfft(a, n, _dim(axis, dim, -1, "ihfft"), _swapped(norm, "ihfft")))


# --- torch.fft's 2-d and n-d Hermitian transforms (numpy has none): torch's s=, dim=, norm= -------
def _torch_plan(x: Tensor, s: Any, dim: Any, axes: Any, name: str, half: bool) -> tuple:
    """torch's (s, dim) read as numpy's (s, axes): dim defaults to the last len(s) dims (all without
    s); an s entry of -1 keeps that dim's length (for hfftn's last dim, 2 (m - 1)); ``axes`` is
    accepted as autobp.fft's spelling of ``dim``."""
    if axes is not None:
        if dim is not None:
            raise TypeError(f"{name}: give dim or axes, not both")
        dim = axes
    if x.ndim == 0:
        raise FFTArgumentError(f"{name}: a 0-d tensor has no dim to transform")
    nd = x.ndim
    if s is not None:
        s = tuple(int(n) for n in (s if isinstance(s, (tuple, list)) else (s,)))
        if dim is None:
            if len(s) > nd:
                raise FFTShapeError(
                    f"{name}: s {s} has more entries than the input's {nd} dims (shape {x.shape}); "
                    f"Got shape with {len(s)} values but input tensor only has {nd} dimensions."
                )
            dim = tuple(range(nd - len(s), nd))
    if dim is None:
        dim = tuple(range(nd))
    dim = tuple(int(d) for d in (dim if isinstance(dim, (tuple, list)) else (dim,)))
    if not dim:
        raise no_axis(name, name)
    bad = [d for d in dim if not -nd <= d < nd]
    if bad:
        raise FFTDimError(
            f"{name}: dim {dim} is out of range for a tensor of shape {x.shape}; Dimension out of range "
            f"(expected to be in range of [{-nd}, {nd - 1}], but got {bad[0]})"
        )
    if len({d % nd for d in dim}) != len(dim):  # torch refuses them (numpy's fftn takes them)
        raise FFTArgumentError(f"{name}: dims must be unique, got dim {dim}")
    if s is not None:
        if len(s) != len(dim):
            raise FFTArgumentError(
                f"{name}: dim and shape must have the same length, got s {s} and dim {dim}"
            )
        last = len(s) - 1
        s = tuple(
            (2 * (x.shape[d] - 1) if half and i == last else x.shape[d]) if n == -1 else n
            for i, (n, d) in enumerate(zip(s, dim))
        )
    return s, dim


def _hfftn(x: Any, s: Any, dim: Any, norm: Any, axes: Any, name: str) -> Tensor:
    from .fft import _transform

    x = as_tensor(x)
    s, dim = _torch_plan(x, s, dim, axes, name, half=True)
    return _transform(_conj(x), s, dim, _swapped(norm, name), name, "irfftn")


def _ihfftn(x: Any, s: Any, dim: Any, norm: Any, axes: Any, name: str) -> Tensor:
    from .fft import _transform

    x = as_tensor(x)
    s, dim = _torch_plan(x, s, dim, axes, name, half=False)
    return _conj(_transform(x, s, dim, _swapped(norm, name), name, "rfftn"))


_ND = {"family": "fft", "namespace": "autobp.fft", "numpy": None, "method": False}


@op(name="hfft2", rules=("irfftn", "conj"), **_ND)
def hfft2(
    input: Any, s: Any = None, dim: Any = (-2, -1), norm: str | None = None, *, axes: Any = None
) -> Tensor:
    """The 2-d FFT of a Hermitian signal given by its half (torch.fft.hfft2): a real result.

    The last dim of ``input`` holds half the spectrum (default output length 2 (m - 1)); irfft2 of
    conj(input) with the norm's direction swapped, so differentiable as irfft2."""
    return _hfftn(input, s, None if axes is not None else dim, norm, axes, "hfft2")


@op(name="hfftn", rules=("irfftn", "conj"), **_ND)
def hfftn(input: Any, s: Any = None, dim: Any = None, norm: str | None = None, *, axes: Any = None) -> Tensor:
    """The n-d FFT of a Hermitian signal given by its half along the last of ``dim`` (torch.fft.hfftn).

    dim defaults to the last len(s) dims (all without s); an s entry -1 keeps the default length.
    irfftn of conj(input) with the norm's direction swapped, so differentiable as irfftn."""
    return _hfftn(input, s, dim, norm, axes, "hfftn")


@op(name="ihfft2", rules=("rfftn", "conj"), **_ND)
def ihfft2(
    input: Any, s: Any = None, dim: Any = (-2, -1), norm: str | None = None, *, axes: Any = None
) -> Tensor:
    """The inverse of hfft2 (torch.fft.ihfft2): the half spectrum of a real 2-d signal.

    conj(rfft2(input)) with the norm's direction swapped; the input must be real."""
    return _ihfftn(input, s, None if axes is not None else dim, norm, axes, "ihfft2")


@op(name="ihfftn", rules=("rfftn", "conj"), **_ND)
def ihfftn(
    input: Any, s: Any = None, dim: Any = None, norm: str | None = None, *, axes: Any = None
) -> Tensor:
    """The inverse of hfftn (torch.fft.ihfftn): the half spectrum of a real signal along ``dim``.

    conj(rfftn(input)) with the norm's direction swapped; the input must be real."""
    return _ihfftn(input, s, dim, norm, axes, "ihfftn")
