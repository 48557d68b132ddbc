"""Spatial transformers' sampling: grid_sample (bilinear/trilinear or nearest, zeros/border/reflection
padding, align_corners) and affine_grid, as PyTorch's, for 4-D and 5-D inputs. Written with autobp's
differentiable ops (a gather of the corners times weights made from the grid), so gradients reach
both the input and the grid."""

from __future__ import annotations

import itertools
import warnings
from typing import Any

import numpy as np

from .._autocast import autocasts
from .._broadcast import ShapeError
from ..ops import where
from ..tensor import Tensor

_MODES = ("bilinear", "nearest")
_PADDINGS = ("zeros", "border", "reflection")


def _tensor(x: Any, like: Tensor | None = None) -> Tensor:
    if isinstance(x, Tensor):
        return x
    dt = like.dtype if like is not None and like.dtype.kind == "f" else None
    return Tensor(np.asarray(x), dtype=dt)


def _unnormalize(c: Tensor, size: int, align_corners: bool) -> Tensor:
    """[-1, 1] -> pixel coordinates: -1 and 1 are the corner pixels' centres (align_corners) or the
    image's outer edges (otherwise)."""
    if align_corners:
        return (c + 1.0) * ((size - 1) / 2.0)
    return ((c + 1.0) * size - 1.0) / 2.0


def _reflect(c: Tensor, twice_low: int, twice_high: int) -> Tensor:
    """Fold c into [low, high] by reflections at its ends (PyTorch's reflect_coordinates: the slope
    is -1 below low and alternates with each fold, +1 exactly at low)."""
    if twice_low == twice_high:
        return c * 0.0
    low, span = twice_low / 2.0, (twice_high - twice_low) / 2.0
    below = c.data < low
    d = (c - low) * np.where(below, -1.0, 1.0).astype(c.dtype)  # |c - low|, torch's slope at low
    flips = np.floor(d.data / span)
    extra = d - (flips * span).astype(c.dtype)  # fmod(d, span): d minus whole spans (slope 1)
    return where(flips % 2 == 0, extra + low, (span + low) - extra)


def _clip(x: Tensor, hi: float) -> Tensor:
    """x clipped to [0, hi] with PyTorch's slope: 1 strictly inside, 0 on and beyond either bound."""
    inside = (x.data > 0) & (x.data < hi)
    return where(inside, x, np.clip(x.data, 0.0, hi).astype(x.dtype))


def _source(c: Tensor, size: int, padding_mode: str, align_corners: bool) -> Tensor:
    """Pixel coordinates to read, after the padding rule."""
    x = _unnormalize(c, size, align_corners)
    if padding_mode == "border":
        x = _clip(x, float(size - 1))
    elif padding_mode == "reflection":
        x = _reflect(x, 0, 2 * (size - 1)) if align_corners else _reflect(x, -1, 2 * size - 1)
        x = _clip(x, float(size - 1))
    return x


@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def grid_sample(
    input: Any,
    grid: Any,
    mode: str = "bilinear",
    padding_mode: str = "zeros",
    align_corners: bool | None = None,
) -> Tensor:
    """Sample ``input`` (N, C, H, W) at the points ``grid`` (N, Ho, Wo, 2) given as (x, y) in [-1, 1],
    giving (N, C, Ho, Wo); 5-D input (N, C, D, H, W) takes grid (N, Do, Ho, Wo, 3) as (x, y, z)
    ('bilinear' is then trilinear), as torch.nn.functional.grid_sample. ``padding_mode`` says what
    points outside the image read: 'zeros', the nearest 'border' pixel, or the 'reflection' inside.
    ``align_corners`` (False by default): whether -1 and 1 are the corner pixels' centres. Gradients
    to input and grid ('nearest' gives the grid none, as PyTorch); 'bicubic' is not supported.
    """
    x = _tensor(input)
    g = _tensor(grid, x)
    if mode not in _MODES:
        raise ValueError(
            f"grid_sample: mode must be one of {_MODES} ('bicubic' is not supported), but got: {mode!r}"
        )
    if padding_mode not in _PADDINGS:
        raise ValueError(f"grid_sample: padding_mode must be one of {_PADDINGS}, but got: {padding_mode!r}")
    nd = x.ndim - 2
    if nd in (2, 3) and g.ndim == x.ndim and g.shape[0] != x.shape[0]:
        raise ShapeError(
            f"grid_sample: expected grid and input to have same batch size, got {x.shape} and grid {g.shape}"
        )
    if nd not in (2, 3) or g.ndim != x.ndim or g.shape[-1] != nd:
        raise ShapeError(
            "grid_sample: expected input (N, C, H, W) with grid (N, Ho, Wo, 2), or input (N, C, D, H, W) "
            f"with grid (N, Do, Ho, Wo, 3), got input {x.shape} and grid {g.shape}"
        )
    if x.dtype.kind != "f" or g.dtype.kind != "f":
        raise TypeError(f"grid_sample: floating input and grid expected, got {x.dtype} and {g.dtype}")
    align = bool(align_corners)
    sizes = x.shape[2:]  # (H, W) or (D, H, W); grid's last axis lists them backwards: x is W
    n, out_sp = x.shape[0], g.shape[1:-1]
    coords = [_source(g[..., nd - 1 - a], sizes[a], padding_mode, align) for a in range(nd)]
    xl = x.reshape((n, x.shape[1], -1)).swapaxes(1, 2)  # (N, prod(sizes), C): one row per pixel
    batch = np.arange(n).reshape((n,) + (1,) * len(out_sp))
    strides = [int(np.prod(sizes[a + 1 :])) for a in range(nd)]

    def read(idx: list) -> Tensor:
        """Input values at integer pixels ``idx`` (one array per axis), 0 outside the image."""
        inside = np.ones(idx[0].shape, dtype=bool)
        flat = np.zeros(idx[0].shape, dtype=np.int64)
        for a in range(nd):
            inside &= (idx[a] >= 0) & (idx[a] < sizes[a])
            flat += np.clip(idx[a], 0, sizes[a] - 1) * strides[a]
        v = xl[batch, flat]  # (N, *out, C)
        return v if inside.all() else v * inside[..., None].astype(x.dtype)

    if mode == "nearest":  # round half to even, as PyTorch's nearbyint
        out = read([np.round(c.data).astype(np.int64) for c in coords])
    else:
        lo = [np.floor(c.data) for c in coords]
        frac = [c - f.astype(x.dtype) for c, f in zip(coords, lo)]  # weight of the upper corner
        out = None
        for corner in itertools.product((0, 1), repeat=nd):
            w = None
            for a, bit in enumerate(corner):
                wa = frac[a] if bit else 1.0 - frac[a]
                w = wa if w is None else w * wa
            term = read([lo[a].astype(np.int64) + bit for a, bit in enumerate(corner)]) * w[..., None]
            out = term if out is None else out + term
    return out.moveaxis(-1, 1)  # (N, C, *out)


def _base(steps: int, align_corners: bool) -> np.ndarray:
    """PyTorch's normalised pixel centres along one axis: -1..1, shrunk by (n-1)/n unless
    align_corners, and 0 for a single pixel."""
    if steps <= 1:
        return np.zeros(max(steps, 0))
    v = np.linspace(-1.0, 1.0, steps)
    return v if align_corners else v * ((steps - 1) / steps)


def affine_grid(theta: Any, size: Any, align_corners: bool | None = None) -> Tensor:
    """The sampling grid (N, H, W, 2) of the affine maps ``theta`` (N, 2, 3) over an image of ``size``
    (N, C, H, W) — or (N, D, H, W, 3) from (N, 3, 4) and (N, C, D, H, W) — for grid_sample, as
    torch.nn.functional.affine_grid (align_corners=False by default). Differentiable in theta."""
    t = _tensor(theta)
    size = tuple(int(s) for s in size)
    nd = len(size) - 2
    if nd not in (2, 3) or t.shape != (size[0], nd, nd + 1):
        raise ValueError(
            f"affine_grid: expected theta (N, {max(nd, 2)}, {max(nd, 2) + 1}) for size (N, C, H, W) or "
            f"(N, 3, 4) for (N, C, D, H, W), got theta {t.shape} and size {size}"
        )
    if min(size) <= 0:
        raise ValueError(f"affine_grid: size must be positive, got {size}")
    if t.dtype.kind != "f":
        raise TypeError(f"affine_grid: theta must be floating point, got {t.dtype}")
    sp = size[2:]  # (H, W) or (D, H, W); a base point is (x, y[, z], 1)
    if align_corners and min(sp) == 1:  # PyTorch's warning for a unit-size axis (its point: the centre)
        warnings.warn(
            "affine_grid: a spatial size of 1 with align_corners=True is not an intended use (its one "
            "point is the centre, as since PyTorch 1.3.0). See the documentation of affine_grid for details.",
            UserWarning,
            stacklevel=2,
        )
    axes = [_base(s, bool(align_corners)) for s in sp]
    mesh = np.meshgrid(*axes, indexing="ij")  # mesh[a] varies along spatial axis a
    base = np.stack([mesh[nd - 1 - k] for k in range(nd)] + [np.ones(sp)], axis=-1).astype(t.dtype)
    flat = Tensor._const(base.reshape(-1, nd + 1))  # (P, nd + 1)
    out = flat @ t.swapaxes(1, 2)  # (N, P, nd)
    return out.reshape((size[0],) + sp + (nd,))


__all__ = ["grid_sample", "affine_grid"]
