"""fold and unfold (``autobp.nn.functional``), PyTorch's im2col and its adjoint col2im, as declared ops:
each one's derivative is the other, so the rules record their own graph under create_graph."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..ops._args import as_tensor
from ..ops._decl import op
from ..rules import rule
from ..tensor import Tensor
from . import _conv_kernels as K
from .conv_functional import _NS, _tuple


def _fold_geom(kernel_size, dilation, padding, stride, who):
    return (
        _tuple(kernel_size, 2, "kernel_size", who),
        _tuple(dilation, 2, "dilation", who),
        _tuple(padding, 2, "padding", who, lo=0),
        _tuple(stride, 2, "stride", who),
    )


def _unfold_np(x: np.ndarray, k, d, p, s) -> np.ndarray:
    N, C = x.shape[:2]
    win = K.windows(K.pad_zeros(x, p, p), k, s, d)  # (N, C, Lh, Lw, kh, kw)
    L = win.shape[2] * win.shape[3]  # explicit: a -1 cannot be inferred for an empty batch
    return win.transpose(0, 1, 4, 5, 2, 3).reshape(N, C * k[0] * k[1], L)


def _fold_np(cols: np.ndarray, size, k, d, p, s) -> np.ndarray:
    N = cols.shape[0]
    C = cols.shape[1] // (k[0] * k[1])
    L = tuple(K.out_size(size[i], k[i], s[i], p[i], p[i], d[i]) for i in range(2))
    c = cols.reshape((N, C) + k + L).transpose(2, 3, 0, 1, 4, 5)
    P = tuple(size[i] + 2 * p[i] for i in range(2))
    xp = K.fold_taps(c, P, s, d)
    return xp[:, :, p[0] : p[0] + size[0], p[1] : p[1] + size[1]]


@op(family="nn", namespace=_NS, numpy=None, method=False)
def unfold(input: Any, kernel_size: Any, dilation: Any = 1, padding: Any = 0, stride: Any = 1) -> Tensor:
    """Sliding blocks of (N, C, H, W) as columns (N, C * kH * kW, L) (im2col), as PyTorch's unfold."""
    x = as_tensor(input)
    unbatched = x.ndim == 3
    if x.ndim not in (3, 4):
        raise ValueError(f"unfold: input must be (C, H, W) or (N, C, H, W), got shape {x.shape}")
    if unbatched:
        x = x.reshape((1,) + x.shape)
    geo = _fold_geom(kernel_size, dilation, padding, stride, "unfold")
    k, d, p, s = geo
    for i in range(2):
        if x.shape[2 + i] + 2 * p[i] < d[i] * (k[i] - 1) + 1:
            raise ValueError(
                f"unfold: input {x.shape} padded by {p} is smaller than the kernel {k} (dilation {d})"
            )
    out = Tensor._make(_unfold_np(x._data, *geo), (x,), "unfold", (geo, x.shape[2:]))
    return out.reshape(out.shape[1:]) if unbatched else out


@op(family="nn", namespace=_NS, numpy=None, method=False)
def fold(
    input: Any, output_size: Any, kernel_size: Any, dilation: Any = 1, padding: Any = 0, stride: Any = 1
) -> Tensor:
    """Sum columns (N, C * kH * kW, L) back into (N, C, H, W) (col2im), as PyTorch's fold."""
    c = as_tensor(input)
    unbatched = c.ndim == 2
    if c.ndim not in (2, 3):
        raise ValueError(f"fold: input must be (C*kH*kW, L) or (N, C*kH*kW, L), got shape {c.shape}")
    if unbatched:
        c = c.reshape((1,) + c.shape)
    geo = _fold_geom(kernel_size, dilation, padding, stride, "fold")
    size = _tuple(output_size, 2, "output_size", "fold")
    k, d, p, s = geo
    L = [K.out_size(size[i], k[i], s[i], p[i], p[i], d[i]) for i in range(2)]
    if c.shape[1] % (k[0] * k[1]) or c.shape[2] != math.prod(L) or min(L) < 1:
        raise ValueError(
            f"fold: input {c.shape} needs a multiple of {k[0] * k[1]} rows and {L[0]} * {L[1]} = "
            f"{math.prod(L)} columns for output_size {size}, kernel {k}, dilation {d}, "
            f"padding {p}, stride {s}"
        )
    out = Tensor._make(_fold_np(c._data, size, *geo), (c,), "fold", (geo, size))
    return out.reshape(out.shape[1:]) if unbatched else out


@rule("unfold")  # ctx = ((k, d, p, s), input spatial size): the adjoint is fold
def _unfold_rule(F, g, out, xs, ctx, need):
    geo, size = ctx
    if isinstance(g, np.ndarray):
        return (_fold_np(g, size, *geo),)
    k, d, p, s = geo
    return (fold(g, size, k, d, p, s),)


@rule("fold")  # ctx = ((k, d, p, s), output size): the adjoint is unfold
def _fold_rule(F, g, out, xs, ctx, need):
    geo, size = ctx
    if isinstance(g, np.ndarray):
        return (_unfold_np(g, *geo),)
    k, d, p, s = geo
    return (unfold(g, k, d, p, s),)
