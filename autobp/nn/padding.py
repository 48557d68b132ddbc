"""PyTorch's ``F.pad`` (flat, last-axis-first pads; negative pads crop) and ``F.one_hot``.

``F.pad`` is written with autobp ops, so the engine differentiates it: constant mode crops with a
slice and pads with ``autobp.pad``; reflect, replicate and circular gather, each output position
reading the input position its index maps to (so a gradient is scattered back and accumulated).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..ops.padding import pad as np_pad
from ..tensor import Tensor

_MODES = ("constant", "reflect", "replicate", "circular")


def _pairs(pad: Any, ndim: int, who: str) -> list[tuple[int, int]]:
    """(before, after) per axis of a ``ndim``-d tensor from PyTorch's flat pad (last axis first)."""
    pad = tuple(int(p) for p in pad)
    if len(pad) % 2:
        raise ValueError(f"{who}: pad {pad} has odd length {len(pad)}; give (before, after) per axis")
    if len(pad) // 2 > ndim:
        raise ValueError(f"{who}: pad {pad} pads {len(pad) // 2} axes of a {ndim}-d tensor")
    pairs = [(0, 0)] * ndim
    for i in range(len(pad) // 2):
        pairs[ndim - 1 - i] = (pad[2 * i], pad[2 * i + 1])
    return pairs


def _source(n: int, before: int, after: int, mode: str, axis: int, shape: tuple) -> np.ndarray:
    """The input position each output position reads along one axis of length ``n``."""
    if mode == "reflect" and (before >= n or after >= n):
        raise ValueError(
            f"pad: reflect pads ({before}, {after}) must be smaller than axis {axis} of shape {shape}"
        )
    if mode == "circular":
        if before < 0 or after < 0:
            raise NotImplementedError(
                f"pad: negative pads ({before}, {after}) in circular mode are not supported"
            )
        if before > n or after > n:
            raise ValueError(
                f"pad: circular pads ({before}, {after}) exceed axis {axis} of shape {shape} (wraps once)"
            )
    if n == 0 and (before > 0 or after > 0):
        raise ValueError(f"pad: cannot pad the empty axis {axis} of shape {shape} in {mode} mode")
    i = np.arange(max(n + before + after, 0)) - before  # position in the input, unpadded
    if mode == "replicate":
        return np.clip(i, 0, n - 1)
    if mode == "circular":
        return i % n
    i = np.abs(i)  # reflect about position 0, then about position n - 1 (pads < n: one bounce each)
    return np.where(i > n - 1, 2 * (n - 1) - i, i)


def pad(input: Any, pad: Any, mode: str = "constant", value: float | None = None) -> Tensor:
    """PyTorch's ``F.pad``: ``pad`` lists (before, after) for the last axis, then the one before it, ...;
    negative pads crop. Modes constant (fill ``value``, default 0), reflect, replicate and circular.

    >>> F.pad(autobp.Tensor([[1.0, 2.0]]), (1, 0), value=9.0).tolist()
    [[9.0, 1.0, 2.0]]
    """
    x = input if isinstance(input, Tensor) else Tensor(input)
    if mode not in _MODES:
        raise NotImplementedError(f"pad: unknown padding mode {mode!r}; use one of {_MODES}")
    pairs = _pairs(pad, x.ndim, "pad")
    if mode == "constant":
        # crop the negative pads, then fill the positive ones
        for axis, (b, a) in enumerate(pairs):
            if x.shape[axis] + min(b, 0) + min(a, 0) < 0:
                raise ValueError(f"pad: pads ({b}, {a}) crop more than axis {axis} of shape {x.shape}")
        crop = tuple(slice(-min(b, 0), x.shape[k] + min(a, 0)) for k, (b, a) in enumerate(pairs))
        if any(b < 0 or a < 0 for b, a in pairs):
            x = x[crop]
        widths = [(max(b, 0), max(a, 0)) for b, a in pairs]
        if not any(b or a for b, a in widths):
            return x if x is not input else x[(slice(None),) * x.ndim]
        return np_pad(x, widths, mode="constant", constant_values=0 if value is None else value)
    if value is not None and value != 0:
        raise ValueError(f"pad: value={value} is only used in constant mode, not {mode!r}")
    picks = [_source(n, b, a, mode, k, x.shape) for k, (n, (b, a)) in enumerate(zip(x.shape, pairs))]
    return x[np.ix_(*picks)]


def one_hot(tensor: Any, num_classes: int = -1) -> Tensor:
    """PyTorch's ``F.one_hot``: class indices (integers >= 0) as int64 rows of ``num_classes`` (-1:
    the largest index + 1) with a 1 at the index. Not differentiable (integer result).

    >>> F.one_hot(autobp.Tensor([0, 2], dtype=int)).tolist()
    [[1, 0, 0], [0, 0, 1]]
    """
    idx = np.asarray(tensor._data if isinstance(tensor, Tensor) else tensor)
    if idx.dtype.kind not in "iu":
        raise TypeError(f"one_hot: class indices must be integers, got dtype {idx.dtype}")
    if idx.size and idx.min() < 0:
        raise ValueError(f"one_hot: class indices must be >= 0, got {int(idx.min())}")
    top = int(idx.max()) + 1 if idx.size else 0
    if num_classes == -1:
        if not idx.size:
            raise ValueError("one_hot: cannot infer num_classes from an empty tensor; give num_classes")
        num_classes = top
    elif top > num_classes:
        raise ValueError(f"one_hot: class index {top - 1} is out of range for num_classes={num_classes}")
    out = (idx[..., None] == np.arange(num_classes)).astype(np.int64)
    return Tensor._const(out)
