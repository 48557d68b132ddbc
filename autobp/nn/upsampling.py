"""Resizing: ``interpolate`` (nearest, linear, bilinear, bicubic, trilinear, area; antialiased
bilinear/bicubic) as one interpolation matrix per spatial axis (each mode is separable), and
pixel_shuffle/pixel_unshuffle as reshapes."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..tensor import Tensor
from .module import Module
from .upsampling_cubic import antialias_matrix, cubic_matrix

_LINEAR = {"linear": 1, "bilinear": 2, "trilinear": 3}


def _matrix(n_in: int, n_out: int, mode: str, align_corners: bool | None, scale: float | None) -> np.ndarray:
    """A (n_out, n_in) matrix: output i = sum_j A[i, j] input j, PyTorch's source-index arithmetic.

    ``scale`` is 1 / scale_factor when the user gave one, else n_in / n_out (PyTorch's rule)."""
    i = np.arange(n_out, dtype=np.float64)
    A = np.zeros((n_out, n_in))
    rows = np.arange(n_out)
    if mode == "area":  # adaptive average pooling: the mean of [floor(i n / m), ceil((i + 1) n / m))
        for r in range(n_out):
            lo, hi = (r * n_in) // n_out, -((-(r + 1) * n_in) // n_out)
            A[r, lo:hi] = 1.0 / (hi - lo)
        return A
    if mode in ("nearest", "nearest-exact"):
        s = n_in / n_out if scale is None else scale
        # "nearest" takes the floor of i * s (PyTorch's legacy rule), "nearest-exact" of the centre's
        src = np.minimum(
            np.floor((i + (0.5 if mode == "nearest-exact" else 0.0)) * s).astype(np.int64), n_in - 1
        )
        A[rows, src] = 1.0
        return A
    if align_corners:
        src = i * ((n_in - 1) / (n_out - 1)) if n_out > 1 else np.zeros(n_out)
    else:
        s = n_in / n_out if scale is None else scale
        src = np.maximum((i + 0.5) * s - 0.5, 0.0)  # PyTorch clamps negative sources to 0
    i0 = np.minimum(np.floor(src).astype(np.int64), n_in - 1)
    i1 = np.minimum(i0 + 1, n_in - 1)
    lam = src - i0
    np.add.at(A, (rows, i0), 1.0 - lam)
    np.add.at(A, (rows, i1), lam)
    return A


def interpolate(
    input: Any,
    size: Any = None,
    scale_factor: Any = None,
    mode: str = "nearest",
    align_corners: bool | None = None,
    recompute_scale_factor: bool | None = None,
    antialias: bool = False,
) -> Tensor:
    """Resize (N, C, *S) to ``size`` or S * ``scale_factor`` (floored), as PyTorch's interpolate for
    modes 'nearest', 'nearest-exact', 'linear', 'bilinear', 'bicubic' (4-D input; Keys' cubic, A =
    -0.75, edge taps clamped) and 'trilinear' (``align_corners`` for these) and 'area' (adaptive
    average pooling to the output size, float inputs). ``antialias=True`` (bilinear and bicubic, 4-D)
    is PyTorch's antialiased filter: its support widened when downscaling, normalised at the edges.
    Integer inputs stay integer: uint8 images in the bilinear and bicubic modes are resampled as
    PyTorch's uint8 kernels do, in fixed point, width first (bit for bit); other integer inputs round the
    result (and clip to the dtype's range). Differentiable (a fixed matrix per axis), to any order.

    >>> interpolate(np.arange(4.0).reshape(1, 1, 2, 2), scale_factor=2).shape
    (1, 1, 4, 4)
    """
    x = input if isinstance(input, Tensor) else Tensor(input)
    nd = x.ndim - 2
    if nd < 1:
        raise ValueError(f"interpolate: input must be (N, C, *spatial), got shape {x.shape}")
    if mode not in ("nearest", "nearest-exact", "area", "bicubic") + tuple(_LINEAR):
        raise ValueError(
            "interpolate: mode must be 'nearest', 'nearest-exact', 'linear', 'bilinear', 'bicubic', "
            f"'trilinear' or 'area', got {mode!r}"
        )
    if antialias and (mode not in ("bilinear", "bicubic") or x.ndim != 4):
        raise ValueError(
            f"interpolate: antialias is for modes 'bilinear' and 'bicubic' on 4-D input, got {mode!r} "
            f"and shape {x.shape}"
        )
    if mode == "bicubic" and nd != 2:
        raise ValueError(f"interpolate: mode 'bicubic' needs 4-D input, got shape {x.shape}")
    if mode in _LINEAR and _LINEAR[mode] != nd:
        raise ValueError(f"interpolate: mode {mode!r} needs {_LINEAR[mode] + 2}-D input, got shape {x.shape}")
    if mode in ("nearest", "nearest-exact", "area") and align_corners is not None:
        raise ValueError("interpolate: align_corners only applies to the linear modes")
    if (size is None) == (scale_factor is None):
        raise ValueError("interpolate: give exactly one of size and scale_factor")
    S = x.shape[2:]
    if size is not None:
        out = tuple(size) if isinstance(size, (tuple, list)) else (size,) * nd
        scales: tuple = (None,) * nd
    else:
        f = tuple(scale_factor) if isinstance(scale_factor, (tuple, list)) else (scale_factor,) * nd
        out = tuple(int(math.floor(S[i] * f[i])) for i in range(nd))
        scales = (None,) * nd if recompute_scale_factor else tuple(1.0 / float(v) for v in f)
    if len(out) != nd or any(int(n) < 1 for n in out):
        raise ValueError(f"interpolate: output size {out} must give {nd} positive sizes")
    if mode == "area" and x.dtype.kind in "iub":
        raise TypeError(f"interpolate: mode 'area' needs a float input (as PyTorch's), got dtype {x.dtype}")
    rounded = (mode in _LINEAR or mode == "bicubic") and x.dtype.kind in "iub"  # compute in float64
    if rounded and x.dtype == np.uint8 and nd == 2:  # PyTorch's uint8 kernels: fixed point, per pass
        a = x.data
        for i in reversed(range(nd)):
            A = _axis_matrix(S[i], int(out[i]), mode, bool(align_corners), scales[i], antialias)
            a = _fixed_point_pass(a, A, 2 + i)
        return Tensor._const(a)
    y = x.astype(np.float64) if rounded else x
    # other integer dtypes (PyTorch has none): the last axis first, each pass rounded, as uint8's
    per_pass = rounded and (mode == "bicubic" or antialias)
    for i in reversed(range(nd)) if per_pass else range(nd):  # y <- y contracted with A_i over axis 2 + i
        A = _axis_matrix(S[i], int(out[i]), mode, bool(align_corners), scales[i], antialias).astype(y.dtype)
        y = (y.swapaxes(2 + i, -1) @ Tensor._const(A.T.copy())).swapaxes(2 + i, -1)
        if per_pass:
            y = Tensor._const(_round(y.data, x.dtype).astype(np.float64))
    return Tensor._const(_round(y.data, x.dtype)) if rounded else y


def _fixed_point_pass(a: np.ndarray, A: np.ndarray, axis: int) -> np.ndarray:
    """Resample uint8 ``a`` along ``axis`` with the (n_out, n_in) weights ``A`` as PyTorch's uint8
    kernels (Pillow's): weights scaled by 2**p and rounded half away from zero to integers, p the
    largest (up to 22) keeping 2 max(A) 2**p below 2**15; each sum plus 2**(p-1), shifted right by p
    (a floor), clipped to [0, 255]. The sums are exact integers in float64 (|sum| < 2**53)."""
    w_max, p = float(A.max()), 0
    while p < 22 and int(0.5 + w_max * (1 << (p + 1))) < (1 << 15):
        p += 1
    W = np.trunc(A * float(1 << p) + np.copysign(0.5, A))
    acc = (np.moveaxis(a, axis, -1).astype(np.float64) @ W.T).astype(np.int64) + (1 << (p - 1))
    return np.moveaxis(np.clip(acc >> p, 0, 255).astype(np.uint8), -1, axis)


def _round(a: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """Round to the nearest and clip to the integer dtype's range."""
    r = np.round(a)
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        r = np.clip(r, info.min, info.max)
    return r.astype(dtype)


def _axis_matrix(n_in: int, n_out: int, mode: str, align: bool, scale: float | None, aa: bool) -> np.ndarray:
    if aa:
        return antialias_matrix(n_in, n_out, mode, align, scale)
    if mode == "bicubic":
        return cubic_matrix(n_in, n_out, align, scale)
    return _matrix(n_in, n_out, mode, align, scale)


def pixel_shuffle(input: Any, upscale_factor: int) -> Tensor:
    """(*, C r^2, H, W) -> (*, C, H r, W r): out[c, h r + i, w r + j] = in[c r^2 + i r + j, h, w]."""
    x = input if isinstance(input, Tensor) else Tensor(input)
    r = int(upscale_factor)
    if x.ndim < 3 or x.shape[-3] % (r * r):
        raise ValueError(
            f"pixel_shuffle: channels of {x.shape} must be divisible by upscale_factor^2 = {r * r}"
        )
    *lead, C, H, W = x.shape
    n = len(lead)
    y = x.reshape(tuple(lead) + (C // (r * r), r, r, H, W))
    perm = tuple(range(n)) + (n, n + 3, n + 1, n + 4, n + 2)
    return y.transpose(perm).reshape(tuple(lead) + (C // (r * r), H * r, W * r))


def pixel_unshuffle(input: Any, downscale_factor: int) -> Tensor:
    """(*, C, H r, W r) -> (*, C r^2, H, W), the inverse of pixel_shuffle."""
    x = input if isinstance(input, Tensor) else Tensor(input)
    r = int(downscale_factor)
    if x.ndim < 3 or x.shape[-1] % r or x.shape[-2] % r:
        raise ValueError(f"pixel_unshuffle: height and width of {x.shape} must be divisible by {r}")
    *lead, C, H, W = x.shape
    n = len(lead)
    y = x.reshape(tuple(lead) + (C, H // r, r, W // r, r))
    perm = tuple(range(n)) + (n, n + 2, n + 4, n + 1, n + 3)
    return y.transpose(perm).reshape(tuple(lead) + (C * r * r, H // r, W // r))


class Upsample(Module):
    """``interpolate`` as a layer."""

    def __init__(
        self, size=None, scale_factor=None, mode="nearest", align_corners=None, recompute_scale_factor=None
    ):
        super().__init__()
        self.size, self.scale_factor, self.mode = size, scale_factor, mode
        self.align_corners, self.recompute_scale_factor = align_corners, recompute_scale_factor

    def forward(self, input: Any) -> Tensor:
        return interpolate(
            input, self.size, self.scale_factor, self.mode, self.align_corners, self.recompute_scale_factor
        )


class PixelShuffle(Module):
    """(N, C r^2, H, W) -> (N, C, H r, W r): channels rearranged into space."""

    def __init__(self, upscale_factor: int) -> None:
        super().__init__()
        self.upscale_factor = upscale_factor

    def forward(self, input: Any) -> Tensor:
        return pixel_shuffle(input, self.upscale_factor)


class PixelUnshuffle(Module):
    """(N, C, H r, W r) -> (N, C r^2, H, W): the inverse of PixelShuffle."""

    def __init__(self, downscale_factor: int) -> None:
        super().__init__()
        self.downscale_factor = downscale_factor

    def forward(self, input: Any) -> Tensor:
        return pixel_unshuffle(input, self.downscale_factor)


class UpsamplingNearest2d(Upsample):
    """Nearest-neighbour upsampling of (N, C, H, W) (PyTorch's older name for Upsample(mode='nearest'))."""

    def __init__(self, size: Any = None, scale_factor: Any = None) -> None:
        super().__init__(size, scale_factor, mode="nearest")


class UpsamplingBilinear2d(Upsample):
    """Bilinear upsampling of (N, C, H, W) with align_corners=True (as PyTorch's layer of this name)."""

    def __init__(self, size: Any = None, scale_factor: Any = None) -> None:
        super().__init__(size, scale_factor, mode="bilinear", align_corners=True)


def channel_shuffle(input: Any, groups: int) -> Tensor:
    """(N, C, *) with C = g * k: channel c = i * k + j moves to j * g + i (ShuffleNet's shuffle)."""
    x = input if isinstance(input, Tensor) else Tensor(input)
    if x.ndim < 3 or groups < 1 or x.shape[1] % groups:
        raise ValueError(
            f"channel_shuffle: input (N, C, *) with C divisible by groups={groups}, got shape {x.shape}"
        )
    N, C = x.shape[:2]
    rest = x.shape[2:]
    return x.reshape((N, groups, C // groups) + rest).swapaxes(1, 2).reshape(x.shape)


class ChannelShuffle(Module):
    """``channel_shuffle`` as a layer."""

    def __init__(self, groups: int) -> None:
        super().__init__()
        self.groups = groups

    def forward(self, input: Any) -> Tensor:
        return channel_shuffle(input, self.groups)

    def extra_repr(self) -> str:
        return f"groups={self.groups}"
