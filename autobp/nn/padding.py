"""PyTorch's ``F.pad`` (pairs from the last axis backwards, negative pads crop) and its padding layers
(ZeroPad, ConstantPad, ReflectionPad, ReplicationPad, CircularPad in 1-3 d), plus the small functional
helpers ``one_hot`` and ``cosine_similarity`` and the distance layers; all composed of autobp ops."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import linalg
from .._autocast import on_threads as _autocast_threads
from .._autocast import state as _autocast
from .._autocast import to_float32
from ..ops import clip, one_hot  # noqa: F401  F.one_hot is autobp.one_hot
from ..ops import pad as np_pad
from ..tensor import Tensor
from .conv import pad_mode
from .margin_losses import pairwise_distance
from .module import Module


def _t(x: Any) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


def pad(input: Any, pad: Any, mode: str = "constant", value: float | None = None) -> Tensor:
    """Pad the trailing ``len(pad) // 2`` axes: ``pad = (left_last, right_last, left_2nd_last, ...)``.

    'constant' fills with ``value`` (0) and crops where a pad is negative; 'reflect' (without
    repeating the edge), 'replicate' and 'circular' copy the input's values, so the gradient sums back.

    >>> pad(np.ones((1, 2)), (1, 0), value=5.0).data
    array([[5., 1., 1.]])
    """
    x = _t(input)
    pad = tuple(int(p) for p in pad)
    if len(pad) % 2 or len(pad) // 2 > x.ndim:
        raise ValueError(f"pad: needs an even number of sizes, at most 2 per axis of {x.shape}; got {pad}")
    k = len(pad) // 2
    lo = [pad[2 * (k - 1 - i)] for i in range(k)]  # per trailing axis, first to last
    hi = [pad[2 * (k - 1 - i) + 1] for i in range(k)]
    if mode == "constant":
        widths = [(0, 0)] * (x.ndim - k) + [(max(a, 0), max(b, 0)) for a, b in zip(lo, hi)]
        if any(a or b for a, b in widths):
            fill = 0 if value is None else value
            x = np_pad(x, widths, mode="constant", constant_values=fill)
        return _crop(x, k, lo, hi) if any(a < 0 or b < 0 for a, b in zip(lo, hi)) else x
    if mode not in ("reflect", "replicate", "circular"):
        raise PadModeError(f"pad: mode must be constant, reflect, replicate or circular, not {mode!r}")
    if value:
        raise ValueError(f"pad: value={value} is only meaningful with mode='constant'")
    if _autocast_threads and _autocast.enabled and (mode == "replicate" or (mode == "reflect" and k < 3)):
        (x,) = to_float32(x)  # PyTorch's CPU autocast: reflection_pad1d/2d, replication_pad1d/2d/3d
    # negative pads crop: PyTorch's circular mode wraps what is left after the crop, its reflect and
    # replicate modes read the whole input (pad, then crop)
    cropping = any(a < 0 or b < 0 for a, b in zip(lo, hi))
    if cropping and mode == "circular":
        x, cropping = _crop(x, k, lo, hi), False
    x = pad_mode(x, tuple(max(a, 0) for a in lo), tuple(max(b, 0) for b in hi), mode)
    return _crop(x, k, lo, hi) if cropping else x


def _crop(x: Tensor, k: int, lo: list, hi: list) -> Tensor:
    """``x`` without the negative parts of the pads of its last ``k`` axes."""
    crop = [slice(None)] * (x.ndim - k)
    crop += [slice(-min(a, 0), n + min(b, 0)) for a, b, n in zip(lo, hi, x.shape[x.ndim - k :])]
    return x[tuple(crop)]


class PadModeError(ValueError, NotImplementedError):
    """An unknown padding mode: PyTorch's NotImplementedError, and a ValueError (a bad argument)."""


def _clamped_norm(x: Tensor, dim: int, eps: float) -> Tensor:
    """max(|x|, eps) along ``dim`` (kept); below eps the value is eps but the gradient is the
    unclamped norm's, as PyTorch's cosine_similarity clamps the norm in place outside autograd."""
    n = linalg.norm(x, axis=dim, keepdims=True)
    return n + (clip(n, eps, None) - n).detach()


def cosine_similarity(x1: Any, x2: Any, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """sum(x1 / max(|x1|, eps) * x2 / max(|x2|, eps)) along ``dim`` (inputs broadcast), as PyTorch's."""
    a = _t(x1)
    b = x2 if isinstance(x2, Tensor) else Tensor(np.asarray(x2, dtype=a.dtype))
    shape = np.broadcast_shapes(a.shape, b.shape)
    a, b = a.broadcast_to(shape), b.broadcast_to(shape)
    return ((a / _clamped_norm(a, dim, eps)) * (b / _clamped_norm(b, dim, eps))).sum(axis=dim)


class _Pad(Module):
    _nd = 1
    _mode = "constant"

    def __init__(self, padding: Any, value: float = 0.0) -> None:
        super().__init__()
        p = (int(padding),) * (2 * self._nd) if np.ndim(padding) == 0 else tuple(int(v) for v in padding)
        if len(p) != 2 * self._nd:
            raise ValueError(
                f"{type(self).__name__}: padding must be an int or {2 * self._nd} ints, got {padding}"
            )
        self.padding, self.value = p, value

    def forward(self, input: Any) -> Tensor:
        x = _t(input)
        if x.ndim not in (self._nd + 1, self._nd + 2):
            raise ValueError(
                f"{type(self).__name__}: expected a {self._nd + 1}-d or {self._nd + 2}-d input, got {x.shape}"
            )
        return pad(x, self.padding, self._mode, self.value if self._mode == "constant" else None)

    def extra_repr(self) -> str:
        return f"{self.padding}" + (f", value={self.value}" if self._mode == "constant" else "")


def _pad_class(name: str, nd: int, mode: str, doc: str) -> type:
    return type(name, (_Pad,), {"_nd": nd, "_mode": mode, "__doc__": doc, "__module__": __name__})


ConstantPad1d = _pad_class("ConstantPad1d", 1, "constant", "Pad the last axis with ``value`` (left, right).")
ConstantPad2d = _pad_class("ConstantPad2d", 2, "constant", "Pad the last 2 axes with ``value``.")
ConstantPad3d = _pad_class("ConstantPad3d", 3, "constant", "Pad the last 3 axes with ``value``.")
ReflectionPad1d = _pad_class("ReflectionPad1d", 1, "reflect", "Pad the last axis by reflection.")
ReflectionPad2d = _pad_class("ReflectionPad2d", 2, "reflect", "Pad the last 2 axes by reflection.")
ReflectionPad3d = _pad_class("ReflectionPad3d", 3, "reflect", "Pad the last 3 axes by reflection.")
ReplicationPad1d = _pad_class("ReplicationPad1d", 1, "replicate", "Pad the last axis with its edge values.")
ReplicationPad2d = _pad_class(
    "ReplicationPad2d", 2, "replicate", "Pad the last 2 axes with their edge values."
)
ReplicationPad3d = _pad_class(
    "ReplicationPad3d", 3, "replicate", "Pad the last 3 axes with their edge values."
)
CircularPad1d = _pad_class("CircularPad1d", 1, "circular", "Pad the last axis by wrapping around.")
CircularPad2d = _pad_class("CircularPad2d", 2, "circular", "Pad the last 2 axes by wrapping around.")
CircularPad3d = _pad_class("CircularPad3d", 3, "circular", "Pad the last 3 axes by wrapping around.")


class _ZeroPad(_Pad):
    def __init__(self, padding: Any) -> None:
        super().__init__(padding, 0.0)


ZeroPad1d = type(
    "ZeroPad1d", (_ZeroPad,), {"_nd": 1, "__doc__": "Pad the last axis with zeros.", "__module__": __name__}
)
ZeroPad2d = type(
    "ZeroPad2d", (_ZeroPad,), {"_nd": 2, "__doc__": "Pad the last 2 axes with zeros.", "__module__": __name__}
)
ZeroPad3d = type(
    "ZeroPad3d", (_ZeroPad,), {"_nd": 3, "__doc__": "Pad the last 3 axes with zeros.", "__module__": __name__}
)


class CosineSimilarity(Module):
    """``cosine_similarity(x1, x2, dim, eps)`` as a layer."""

    def __init__(self, dim: int = 1, eps: float = 1e-8) -> None:
        super().__init__()
        self.dim, self.eps = dim, eps

    def forward(self, x1: Any, x2: Any) -> Tensor:
        return cosine_similarity(x1, x2, self.dim, self.eps)


class PairwiseDistance(Module):
    """``pairwise_distance(x1, x2, p, eps, keepdim)`` as a layer: |x1 - x2 + eps|_p on the last axis."""

    def __init__(self, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> None:
        super().__init__()
        self.norm, self.eps, self.keepdim = p, eps, keepdim

    def forward(self, x1: Any, x2: Any) -> Tensor:
        return pairwise_distance(x1, x2, self.norm, self.eps, self.keepdim)
