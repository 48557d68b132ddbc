"""Differentiable numpy.fft: the discrete Fourier transforms (fft, ifft, rfft, irfft and their 2-d and
n-d forms, numpy's ``n``/``s``, ``axis``/``axes`` (or PyTorch's ``dim``) and ``norm``),
fftshift/ifftshift and the sample frequencies. Four rules carry them all: each is the adjoint of its
transform (docs/concepts/complex.md)."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ._autocast import on_threads as _autocast_threads
from ._autocast import state as _autocast
from ._autocast import to_float32
from ._fft_plan import FFTArgumentError, FFTDTypeError, check_real, no_axis
from ._fft_plan import plan as _plan
from .ops._args import as_tensor
from .ops._decl import op
from .ops.complex_parts import real, real_part
from .ops.padding import pad, roll
from .rules import rule
from .tensor import Tensor

_NS = "autobp.fft"
_F = "fft"
# the adjoint of a transform normalised by 1/n ("backward" inverse, "forward" forward) is the opposite
# transform normalised the other way: the DFT matrix is symmetric, so A^H = conj(A)
_SWAP = {"backward": "forward", "forward": "backward", "ortho": "ortho"}


def _norm(norm: Any, name: str) -> str:
    norm = "backward" if norm is None else norm
    if norm not in _SWAP:
        raise FFTArgumentError(f"{name}: norm must be 'backward', 'ortho', 'forward' or None, got {norm!r}")
    return norm


def _repeated(x: Tensor, s: tuple, axes: tuple, norm: str, kind: str) -> Tensor:
    """A transform over repeated axes, as numpy does it: one 1-d transform per entry of axes (the
    last axis first for fftn/ifftn/rfftn, rfftn's real one first; irfftn's real one last)."""
    one = {"fftn": fft, "ifftn": ifft}
    if kind in one:
        for i in reversed(range(len(axes))):
            x = one[kind](x, s[i], axes[i], norm)
        return x
    if kind == "rfftn":
        x = rfft(x, s[-1], axes[-1], norm)
        for i in reversed(range(len(axes) - 1)):
            x = fft(x, s[i], axes[i], norm)
        return x
    for i in range(len(axes) - 1):
        x = ifft(x, s[i], axes[i], norm)
    return irfft(x, s[-1], axes[-1], norm)


def _resize(F: Any, h: Any, axes: tuple, sizes: tuple) -> Any:
    """h cut or zero-padded at the end of each axis to ``sizes`` (numpy's n= and s=); it is its own
    adjoint's shape change: the adjoint of cutting is padding back with zeros, and vice versa."""
    for a, n in zip(axes, sizes):
        m = h.shape[a]
        if m > n:
            h = h[(slice(None),) * a + (slice(0, n),)]
        elif m < n:
            h = F.pad(h, [(0, n - m) if i == a else (0, 0) for i in range(h.ndim)])
    return h


class _Graph:
    """The transforms under create_graph (the rules' own derivatives): autobp's ops."""

    @staticmethod
    def pad(h: Any, widths: list) -> Any:
        return pad(h, widths)


def _fns(g: Any) -> Any:
    """numpy.fft for a plain backward, this module for a recording one."""
    import autobp.fft as mod

    return mod if isinstance(g, Tensor) else np.fft


def _namespace(g: Any) -> Any:
    return _Graph if isinstance(g, Tensor) else np


def _transform(x: Any, s: Any, axes: Any, norm: Any, name: str, kind: str) -> Tensor:
    x = as_tensor(x)
    if _autocast_threads and _autocast.enabled:  # autobp.autocast: the transforms run in float32
        (x,) = to_float32(x)
    norm = _norm(norm, name)
    if kind == "rfftn":
        check_real(x, name, "rfft" if name == "rfft" else "rfftn", valued=name != "rfft")
    if x.ndim == 0:
        raise FFTArgumentError(f"{name}: a 0-d tensor has no axis to transform")
    if isinstance(axes, (tuple, list)) and len(axes) == 0:
        if kind not in ("fftn", "ifftn"):
            raise no_axis(name, kind)
        # PyTorch's fftn/ifftn/fft2/ifft2 over dim=(): the input unchanged, as complex (numpy returns
        # it as it is; its documented result, like every transform's here, is complex)
        return x.astype(np.result_type(x.dtype, np.complex64))
    s, axes = _plan(x, s, axes, name, half=kind == "irfftn")
    if len(set(axes)) != len(axes):
        return _repeated(x, s, axes, norm, kind)
    data = getattr(np.fft, kind)(x._data, s=s, axes=axes, norm=norm)
    return Tensor._make(data, (x,), kind, (s, axes, norm))


def _dim(axes: Any, dim: Any, default: Any, name: str) -> Any:
    """PyTorch's ``dim=`` for numpy's ``axis=``/``axes=`` (the same meaning); both given must agree."""
    if dim is None:
        return axes
    if axes != default and axes != dim:
        raise TypeError(f"{name}: got both axes={axes!r} and dim={dim!r}")
    return dim


def _one_axis(n: Any, axis: int) -> tuple:
    return (None if n is None else (n,)), (axis,)


# --- the transforms: numpy's names and signatures ---------------------------------------------
@op(name="fft", family=_F, namespace=_NS, rules=("fftn",), numpy=(np.fft.fft,), method=False)
def fft(a: Any, n: int | None = None, axis: int = -1, norm: str | None = None, *, dim: Any = None) -> Tensor:
    """The discrete Fourier transform along ``axis`` (cut or zero-padded to ``n``)."""
    return _transform(a, *_one_axis(n, _dim(axis, dim, -1, "fft")), norm, "fft", "fftn")


@op(name="ifft", family=_F, namespace=_NS, rules=("ifftn",), numpy=(np.fft.ifft,), method=False)
def ifft(a: Any, n: int | None = None, axis: int = -1, norm: str | None = None, *, dim: Any = None) -> Tensor:
    """The inverse discrete Fourier transform along ``axis``."""
    return _transform(a, *_one_axis(n, _dim(axis, dim, -1, "ifft")), norm, "ifft", "ifftn")


@op(name="rfft", family=_F, namespace=_NS, rules=("rfftn",), numpy=(np.fft.rfft,), method=False)
def rfft(a: Any, n: int | None = None, axis: int = -1, norm: str | None = None, *, dim: Any = None) -> Tensor:
    """The transform of a real input along ``axis``: the n // 2 + 1 non-negative frequencies."""
    return _transform(a, *_one_axis(n, _dim(axis, dim, -1, "rfft")), norm, "rfft", "rfftn")


@op(name="irfft", family=_F, namespace=_NS, rules=("irfftn",), numpy=(np.fft.irfft,), method=False)
def irfft(
    a: Any, n: int | None = None, axis: int = -1, norm: str | None = None, *, dim: Any = None
) -> Tensor:
    """The real signal of length ``n`` (default 2 (m - 1)) whose rfft is ``a``; the imaginary parts of
    the zero (and, n even, the Nyquist) frequency are ignored, so their gradient is 0."""
    return _transform(a, *_one_axis(n, _dim(axis, dim, -1, "irfft")), norm, "irfft", "irfftn")


@op(name="fft2", family=_F, namespace=_NS, rules=("fftn",), numpy=(np.fft.fft2,), method=False)
def fft2(a: Any, s: Any = None, axes: Any = (-2, -1), norm: str | None = None, *, dim: Any = None) -> Tensor:
    """The 2-d discrete Fourier transform over ``axes``."""
    return _transform(a, s, _dim(axes, dim, (-2, -1), "fft2"), norm, "fft2", "fftn")


@op(name="ifft2", family=_F, namespace=_NS, rules=("ifftn",), numpy=(np.fft.ifft2,), method=False)
def ifft2(a: Any, s: Any = None, axes: Any = (-2, -1), norm: str | None = None, *, dim: Any = None) -> Tensor:
    """The 2-d inverse discrete Fourier transform over ``axes``."""
    return _transform(a, s, _dim(axes, dim, (-2, -1), "ifft2"), norm, "ifft2", "ifftn")


@op(name="rfft2", family=_F, namespace=_NS, rules=("rfftn",), numpy=(np.fft.rfft2,), method=False)
def rfft2(a: Any, s: Any = None, axes: Any = (-2, -1), norm: str | None = None, *, dim: Any = None) -> Tensor:
    """The 2-d transform of a real input (half of the last axis' frequencies)."""
    return _transform(a, s, _dim(axes, dim, (-2, -1), "rfft2"), norm, "rfft2", "rfftn")


@op(name="irfft2", family=_F, namespace=_NS, rules=("irfftn",), numpy=(np.fft.irfft2,), method=False)
def irfft2(
    a: Any, s: Any = None, axes: Any = (-2, -1), norm: str | None = None, *, dim: Any = None
) -> Tensor:
    """The inverse of rfft2: a real 2-d signal."""
    return _transform(a, s, _dim(axes, dim, (-2, -1), "irfft2"), norm, "irfft2", "irfftn")


@op(name="fftn", family=_F, namespace=_NS, numpy=(np.fft.fftn,), method=False)
def fftn(a: Any, s: Any = None, axes: Any = None, norm: str | None = None, *, dim: Any = None) -> Tensor:
    """The n-d discrete Fourier transform over ``axes`` (all by default)."""
    return _transform(a, s, _dim(axes, dim, None, "fftn"), norm, "fftn", "fftn")


@op(name="ifftn", family=_F, namespace=_NS, numpy=(np.fft.ifftn,), method=False)
def ifftn(a: Any, s: Any = None, axes: Any = None, norm: str | None = None, *, dim: Any = None) -> Tensor:
    """The n-d inverse discrete Fourier transform."""
    return _transform(a, s, _dim(axes, dim, None, "ifftn"), norm, "ifftn", "ifftn")


@op(name="rfftn", family=_F, namespace=_NS, numpy=(np.fft.rfftn,), method=False)
def rfftn(a: Any, s: Any = None, axes: Any = None, norm: str | None = None, *, dim: Any = None) -> Tensor:
    """The n-d transform of a real input (half of the last axis' frequencies)."""
    return _transform(a, s, _dim(axes, dim, None, "rfftn"), norm, "rfftn", "rfftn")


@op(name="irfftn", family=_F, namespace=_NS, numpy=(np.fft.irfftn,), method=False)
def irfftn(a: Any, s: Any = None, axes: Any = None, norm: str | None = None, *, dim: Any = None) -> Tensor:
    """The inverse of rfftn: a real n-d signal."""
    return _transform(a, s, _dim(axes, dim, None, "irfftn"), norm, "irfftn", "irfftn")


# --- helpers: shifts (differentiable, rolls) and frequencies (constants) --------------------------
def _shift(x: Any, axes: Any, name: str, sign: int) -> Tensor:
    x = as_tensor(x)
    axes = tuple(range(x.ndim)) if axes is None else axes if isinstance(axes, (tuple, list)) else (axes,)
    shifts = tuple(sign * (x.shape[a] // 2) for a in axes)
    return roll(x, shifts, tuple(axes)) if axes else x


@op(name="fftshift", family=_F, namespace=_NS, rules=("roll",), numpy=(np.fft.fftshift,), method=False)
def fftshift(x: Any, axes: Any = None, *, dim: Any = None) -> Tensor:
    """The zero frequency moved to the middle (a roll by n // 2 along ``axes``, all by default)."""
    return _shift(x, _dim(axes, dim, None, "fftshift"), "fftshift", 1)


@op(name="ifftshift", family=_F, namespace=_NS, rules=("roll",), numpy=(np.fft.ifftshift,), method=False)
def ifftshift(x: Any, axes: Any = None, *, dim: Any = None) -> Tensor:
    """The inverse of fftshift (a roll by -(n // 2))."""
    return _shift(x, _dim(axes, dim, None, "ifftshift"), "ifftshift", -1)


def _freq(
    values: np.ndarray, dtype: Any, device: Any, requires_grad: bool, who: str, out: Any = None
) -> Tensor:
    """A frequency grid as a constant (or, with PyTorch's ``requires_grad``, a new leaf) of ``dtype``;
    PyTorch's ``out=``: written into that Tensor (resized, with PyTorch's warning, when its length
    differs), in its dtype, which must be floating or complex."""
    from ._device import check_device

    check_device(device, who)
    if out is not None:
        if not isinstance(out, Tensor) or np.dtype(out.dtype).kind not in "fc":
            got = out.dtype if isinstance(out, Tensor) else type(out).__name__
            raise FFTDTypeError(
                f"{who}: out= must be a floating or complex Tensor, got {got}; "
                f"{who} requires a floating point or complex dtype"
            )
        if out.shape != values.shape:
            warnings.warn(
                f"The number of elements in the out tensor of shape {list(out.shape)} is {out.size} which "
                f"does not match the computed number of elements {values.size}. The out tensor will be "
                f"resized to a tensor of shape {values.shape}.",
                UserWarning,
                stacklevel=3,
            )
            out.resize_(*values.shape)
        out.copy_(values.astype(out.dtype if dtype is None else dtype))
        return out
    t = Tensor._const(values if dtype is None else values.astype(dtype))
    if requires_grad:
        if t.dtype.kind not in "fc":
            raise TypeError(
                f"{who}: only floating point and complex grids can require gradients, got {t.dtype}"
            )
        t.requires_grad = True
    return t


@op(name="fftfreq", family=_F, namespace=_NS, numpy=(np.fft.fftfreq,), method=False, differentiable=False)
def fftfreq(
    n: int,
    d: float = 1.0,
    *,
    device: Any = None,
    dtype: Any = None,
    requires_grad: bool = False,
    out: Any = None,
) -> Tensor:
    """The sample frequencies of an n-point fft with spacing ``d`` (a constant; float64 unless
    ``dtype``, PyTorch's keyword; numpy 2's and PyTorch's ``device`` is the CPU; PyTorch's ``out=``)."""
    return _freq(np.fft.fftfreq(int(n), float(np.asarray(d))), dtype, device, requires_grad, "fftfreq", out)


@op(name="rfftfreq", family=_F, namespace=_NS, numpy=(np.fft.rfftfreq,), method=False, differentiable=False)
def rfftfreq(
    n: int,
    d: float = 1.0,
    *,
    device: Any = None,
    dtype: Any = None,
    requires_grad: bool = False,
    out: Any = None,
) -> Tensor:
    """The sample frequencies of an n-point rfft (the non-negative ones; a constant; ``dtype``,
    ``device`` and ``requires_grad`` as ``fftfreq``)."""
    return _freq(np.fft.rfftfreq(int(n), float(np.asarray(d))), dtype, device, requires_grad, "rfftfreq", out)


# --- rules: out = A(resize(x)); the gradient is resize^T(A^H g) ---------------------------------
@rule("fftn")  # A^H of fftn(norm) is ifftn(norm swapped)
def _fftn(F, g, out, xs, ctx, need):
    s, axes, norm = ctx
    h = _fns(g).ifftn(g, axes=axes, norm=_SWAP[norm])
    return (_resize(_namespace(g), h, axes, tuple(xs[0].shape[a] for a in axes)),)


@rule("ifftn")
def _ifftn(F, g, out, xs, ctx, need):
    s, axes, norm = ctx
    h = _fns(g).fftn(g, axes=axes, norm=_SWAP[norm])
    return (_resize(_namespace(g), h, axes, tuple(xs[0].shape[a] for a in axes)),)


@rule("rfftn")  # rfftn = the first m = n // 2 + 1 bins of fftn of a real x: zero-extend g, take A^H, Re
def _rfftn(F, g, out, xs, ctx, need):
    s, axes, norm = ctx
    ns = _namespace(g)
    full = _resize(ns, g, axes[-1:], s[-1:])
    h = _fns(g).ifftn(full, axes=axes, norm=_SWAP[norm])
    h = real(h) if isinstance(h, Tensor) else h.real
    return (_resize(ns, h, axes, tuple(xs[0].shape[a] for a in axes)),)


# irfftn reads a half spectrum X (m bins along the last axis) as a Hermitian one: every bin but the
# zero frequency (and, n even, the Nyquist one) stands for itself and its mirror image, so
# out = sum_k w_k Re(X_k e^{2 pi i jk / n}) / n with w_k = 2, or 1 at those bins (whose imaginary
# part is dropped). For a real loss, X.grad_k = w_k (rfftn of g with the norm swapped)_k.
@rule("irfftn")
def _irfftn(F, g, out, xs, ctx, need):
    g = real_part(F, g)  # the output is real: a complex g (a complex op downstream) counts by its real part
    s, axes, norm = ctx
    n = s[-1]
    h = _fns(g).rfftn(g, axes=axes, norm=_SWAP[norm])
    w = np.full(n // 2 + 1, 2.0)
    w[0] = 1.0
    if n % 2 == 0:
        w[-1] = 1.0
    w = w.reshape((-1,) + (1,) * (g.ndim - 1 - axes[-1])).astype(np.finfo(h.dtype).dtype)
    h = h * w
    x = xs[0]
    return (_resize(_namespace(g), h, axes, tuple(x.shape[a] for a in axes)),)


__all__ = [
    "fft",
    "ifft",
    "rfft",
    "irfft",
    "fft2",
    "ifft2",
    "rfft2",
    "irfft2",
    "fftn",
    "ifftn",
    "rfftn",
    "irfftn",
    "fftshift",
    "ifftshift",
    "fftfreq",
    "rfftfreq",
]

from .fft_hermitian import hfft, hfft2, hfftn, ihfft, ihfft2, ihfftn  # noqa: E402  Hermitian transforms

__all__ += ["hfft", "ihfft", "hfft2", "hfftn", "ihfft2", "ihfftn"]
from .fft_dct import dct, dctn, dst, dstn, idct, idctn, idst, idstn  # noqa: E402  scipy.fft's DCT/DST

__all__ += ["dct", "idct", "dctn", "idctn", "dst", "idst", "dstn", "idstn"]
