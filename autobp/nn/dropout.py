"""Dropout (elementwise and channel-wise) from a seeded numpy Generator: in training each kept value
is scaled by 1 / (1 - p), as in PyTorch, so evaluation is the identity."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor
from . import init
from .module import Module


def _mask(x: Tensor, shape: tuple, p: float, rng: init.RngLike) -> np.ndarray:
    """keep / (1 - p) with keep ~ Bernoulli(1 - p) of ``shape`` (zeros when p == 1)."""
    if p == 1.0:
        return np.zeros(shape, dtype=x.dtype)
    keep = init.as_generator(rng).random(shape) >= p
    return keep.astype(x.dtype) * x.dtype.type(1.0 / (1.0 - p))


def _check_p(p: float, who: str) -> float:
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"{who}: probability p must be in [0, 1], got {p}")
    return float(p)


def dropout(
    input: Any, p: float = 0.5, training: bool = True, inplace: bool = False, rng: init.RngLike = None
) -> Tensor:
    """Zero each element with probability ``p`` and scale the rest by 1 / (1 - p) (training only);
    ``rng`` (a numpy Generator or seed) makes the mask reproducible."""
    x = input if isinstance(input, Tensor) else Tensor(input)
    p = _check_p(p, "dropout")
    if not training or p == 0.0:
        return x
    return x * _mask(x, x.shape, p, rng)


def _feature_dropout(input: Any, p: float, training: bool, rng: init.RngLike, nd: int, who: str) -> Tensor:
    x = input if isinstance(input, Tensor) else Tensor(input)
    p = _check_p(p, who)
    if x.ndim not in (nd + 1, nd + 2):
        raise ValueError(f"{who}: input must be {nd + 1}-D (unbatched) or {nd + 2}-D, got shape {x.shape}")
    if not training or p == 0.0:
        return x
    lead = x.ndim - nd  # (N, C) or (C,): one draw per channel, shared over the spatial axes
    return x * _mask(x, x.shape[:lead] + (1,) * nd, p, rng)


def dropout1d(
    input: Any, p: float = 0.5, training: bool = True, inplace: bool = False, rng: init.RngLike = None
):
    """Zero whole channels of (N, C, L) with probability ``p``."""
    return _feature_dropout(input, p, training, rng, 1, "dropout1d")


def dropout2d(
    input: Any, p: float = 0.5, training: bool = True, inplace: bool = False, rng: init.RngLike = None
):
    """Zero whole channels of (N, C, H, W) (or unbatched (C, H, W)) with probability ``p``."""
    return _feature_dropout(input, p, training, rng, 2, "dropout2d")


def dropout3d(
    input: Any, p: float = 0.5, training: bool = True, inplace: bool = False, rng: init.RngLike = None
):
    """Zero whole channels of (N, C, D, H, W) (or unbatched (C, D, H, W)) with probability ``p``."""
    return _feature_dropout(input, p, training, rng, 3, "dropout3d")


class _Dropout(Module):
    def __init__(self, p: float = 0.5, inplace: bool = False, rng: init.RngLike = None) -> None:
        super().__init__()
        self.p, self.inplace = _check_p(p, type(self).__name__), inplace
        self.rng = init.as_generator(rng)  # one stream per layer: successive calls draw new masks

    def extra_repr(self) -> str:
        return f"p={self.p}"


class Dropout(_Dropout):
    """``dropout`` as a layer: active in training mode, the identity after ``eval()``.

    >>> d = Dropout(0.5, rng=0).eval()
    >>> float(d(np.ones(3)).sum())
    3.0
    """

    def forward(self, input: Any) -> Tensor:
        return dropout(input, self.p, self.training, rng=self.rng)


class Dropout1d(_Dropout):
    """Channel-wise dropout of (N, C, L): whole channels are zeroed with probability p."""

    def forward(self, input: Any) -> Tensor:
        return dropout1d(input, self.p, self.training, rng=self.rng)


class Dropout2d(_Dropout):
    """Channel-wise dropout of (N, C, H, W)."""

    def forward(self, input: Any) -> Tensor:
        return dropout2d(input, self.p, self.training, rng=self.rng)


class Dropout3d(_Dropout):
    """Channel-wise dropout of (N, C, D, H, W)."""

    def forward(self, input: Any) -> Tensor:
        return dropout3d(input, self.p, self.training, rng=self.rng)
