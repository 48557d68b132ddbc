"""interpolate's bicubic mode and the antialiased bilinear/bicubic modes as (n_out, n_in) matrices, one
per spatial axis (each is separable), with PyTorch's source-index arithmetic and kernels:

- bicubic: Keys' cubic convolution with A = -0.75 on the 4 taps around the source index (not clamped
  at 0, unlike linear's), the taps beyond an edge reading the edge (clamped indices);
- antialias=True: PyTorch's (Pillow's) separable filter, its support widened by the downscaling
  factor, truncated at the edges and normalised to sum 1; the triangle filter for bilinear, the
  cubic with A = -0.5 for bicubic."""

from __future__ import annotations

import numpy as np


def _scale(n_in: int, n_out: int, align_corners: bool, scale: float | None) -> float:
    """PyTorch's area_pixel_compute_scale: the source step per output index."""
    if align_corners:
        return (n_in - 1) / (n_out - 1) if n_out > 1 else 0.0
    return scale if scale is not None and scale > 0 else n_in / n_out


def _keys(t: np.ndarray, a: float) -> tuple:
    """The four cubic-convolution weights for taps at -1, 0, 1, 2 from the fractional offset t."""

    def near(x):  # |x| <= 1
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def far(x):  # 1 < |x| < 2
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a

    return far(t + 1), near(t), near(1 - t), far(2 - t)


def cubic_matrix(n_in: int, n_out: int, align_corners: bool, scale: float | None) -> np.ndarray:
    """Bicubic resampling along one axis, as PyTorch's upsample_bicubic2d."""
    s = _scale(n_in, n_out, align_corners, scale)
    i = np.arange(n_out, dtype=np.float64)
    src = i * s if align_corners else (i + 0.5) * s - 0.5
    base = np.floor(src)
    weights = _keys(src - base, -0.75)
    A = np.zeros((n_out, n_in))
    rows = np.arange(n_out)
    for k, w in enumerate(weights):
        idx = np.clip(base.astype(np.int64) - 1 + k, 0, n_in - 1)
        np.add.at(A, (rows, idx), w)
    return A


def _filter(x: np.ndarray, mode: str) -> np.ndarray:
    x = np.abs(x)
    if mode == "bilinear":
        return np.maximum(1.0 - x, 0.0)
    a = -0.5
    return np.where(
        x < 1.0, ((a + 2) * x - (a + 3)) * x * x + 1, np.where(x < 2.0, (((x - 5) * x + 8) * x - 4) * a, 0.0)
    )


def antialias_matrix(
    n_in: int, n_out: int, mode: str, align_corners: bool, scale: float | None
) -> np.ndarray:
    """Antialiased bilinear or bicubic resampling along one axis, as PyTorch's _upsample_*_aa."""
    s = _scale(n_in, n_out, align_corners, scale)
    support = (1.0 if mode == "bilinear" else 2.0) * max(s, 1.0)
    inv = 1.0 / s if s >= 1.0 else 1.0
    A = np.zeros((n_out, n_in))
    for r in range(n_out):
        centre = s * (r + 0.5)  # in source pixel units (align_corners changes only the scale s)
        lo = max(int(centre - support + 0.5), 0)
        hi = min(int(centre + support + 0.5), n_in)
        j = np.arange(lo, hi, dtype=np.float64)
        w = _filter((j - centre + 0.5) * inv, mode)
        total = w.sum()
        A[r, lo:hi] = w / total if total != 0 else w
    return A
