"""Dropout (elementwise and channel-wise) from a seeded numpy Generator: in training each kept value
is scaled by 1 / (1 - p), as in PyTorch, so evaluation is the identity."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..ops.inplace_methods import honours_inplace
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


@honours_inplace
def dropout(
    input: Any, p: float = 0.5, training: bool = True, inplace: bool = False, rng: init.RngLike = None
) -> Tensor:
    """Zero each element with probability ``p`` and scale the rest by 1 / (1 - p) (training only);
    ``rng`` (a numpy Generator or seed) makes the mask reproducible."""
    x = input if isinstance(input, Tensor) else Tensor(input)
    p = _check_p(p, "dropout")
    if not training or p == 0.0:
        return x
    # the mask laid out in the input's axis order (numpy's order "K", PyTorch's preserve_format), so
    # x * mask keeps a channels_last, transposed or permuted input's layout, as PyTorch's output does
    mask = _mask(x, x.shape, p, rng)
    if not x._data.flags.c_contiguous:
        laid = np.empty_like(x._data, dtype=x.dtype, subok=False)
        laid[...] = mask
        mask = laid
    return x * mask


def _feature_dropout(input: Any, p: float, training: bool, rng: init.RngLike, nd: int, who: str) -> Tensor:
    """One draw per channel, shared over the spatial axes, with PyTorch's treatment of other ranks:
    dropout1d refuses them; dropout2d warns and draws per (axis 0, axis 1) entry (a 3-D input is read
    as batched (N, C, L)); dropout3d warns and draws per axis-0 entry unless the input is 5-D."""
    x = input if isinstance(input, Tensor) else Tensor(input)
    p = _check_p(p, who)
    if x.ndim not in (nd + 1, nd + 2):
        if nd == 1:
            raise RuntimeError(
                f"{who}: Expected 2D or 3D input, but received a {x.ndim}D input (shape {x.shape})"
            )
        warnings.warn(
            f"{who}: Received a {x.ndim}-D input to {who}, which is deprecated and will result in an error "
            f"in a future release. To retain the behavior and silence this warning, please use dropout "
            f"instead. Note that {who} exists to provide channel-wise dropout on inputs with {nd} spatial "
            f"dimensions, a channel dimension, and an optional batch dimension "
            f"(i.e. {nd + 1}D or {nd + 2}D inputs).",
            stacklevel=4,
        )
    if nd == 2 and x.ndim == 3:
        warnings.warn(
            f"{who}: Received a 3D input to {who} and assuming that channel-wise 1D dropout behavior is "
            "desired - input is interpreted as shape (N, C, L), where C is the channel dim. This behavior "
            "will change in a future release to interpret the input as one without a batch dimension, "
            "i.e. shape (C, H, W). To maintain the 1D channel-wise dropout behavior, please switch to "
            "using dropout1d instead.",
            stacklevel=4,
        )
    if not training or p == 0.0:
        return x
    lead = 2 if nd == 2 or x.ndim == nd + 2 else 1
    lead = min(lead, x.ndim)
    return x * _mask(x, x.shape[:lead] + (1,) * (x.ndim - lead), p, rng)


@honours_inplace
def dropout1d(
    input: Any, p: float = 0.5, training: bool = True, inplace: bool = False, rng: init.RngLike = None
):
    """Zero whole channels of (N, C, L) with probability ``p``."""
    return _feature_dropout(input, p, training, rng, 1, "dropout1d")


@honours_inplace
def dropout2d(
    input: Any, p: float = 0.5, training: bool = True, inplace: bool = False, rng: init.RngLike = None
):
    """Zero whole channels of (N, C, H, W) (or unbatched (C, H, W)) with probability ``p``."""
    return _feature_dropout(input, p, training, rng, 2, "dropout2d")


@honours_inplace
def dropout3d(
    input: Any, p: float = 0.5, training: bool = True, inplace: bool = False, rng: init.RngLike = None
):
    """Zero whole channels of (N, C, D, H, W) (or unbatched (C, D, H, W)) with probability ``p``."""
    return _feature_dropout(input, p, training, rng, 3, "dropout3d")


_SELU_ALPHA = 1.7580993408473766  # SELU's scale * alpha: the value SELU tends to for large negatives


def _alpha_dropout(x: Tensor, p: float, training: bool, rng: init.RngLike, shape: tuple) -> Tensor:
    """Dropped values become -alpha' and the result is rescaled by a (and shifted) so that a zero-mean,
    unit-variance input keeps its mean and variance (Klambauer et al. 2017), as PyTorch computes it."""
    if not training or p == 0.0:
        return x
    if p == 1.0:
        return x * x.dtype.type(0)
    keep = (init.as_generator(rng).random(shape) >= p).astype(x.dtype)
    a = 1.0 / np.sqrt((_SELU_ALPHA**2 * p + 1) * (1 - p))
    shift = (keep - 1) * (_SELU_ALPHA * a) + _SELU_ALPHA * a * p
    return x * Tensor._const((keep * a).astype(x.dtype)) + Tensor._const(shift.astype(x.dtype))


@honours_inplace
def alpha_dropout(
    input: Any, p: float = 0.5, training: bool = False, inplace: bool = False, rng: init.RngLike = None
) -> Tensor:
    """Dropout for SELU networks: each element dropped with probability ``p`` (training only)."""
    x = input if isinstance(input, Tensor) else Tensor(input)
    return _alpha_dropout(x, _check_p(p, "alpha_dropout"), training, rng, x.shape)


@honours_inplace
def feature_alpha_dropout(
    input: Any, p: float = 0.5, training: bool = False, inplace: bool = False, rng: init.RngLike = None
) -> Tensor:
    """Alpha dropout of whole channels of (N, C, *) (one draw per channel)."""
    x = input if isinstance(input, Tensor) else Tensor(input)
    p = _check_p(p, "feature_alpha_dropout")
    if x.ndim < 2 and training and p > 0:  # in eval or with p = 0 any shape passes through (PyTorch's)
        raise ValueError(f"feature_alpha_dropout: input must be (N, C, *) in training, got shape {x.shape}")
    shape = x.shape[:2] + (1,) * (x.ndim - 2)
    return _alpha_dropout(x, p, training, rng, shape)


class _Dropout(Module):
    def __init__(self, p: float = 0.5, inplace: bool = False, rng: init.RngLike = None) -> None:
        super().__init__()
        self.p, self.inplace = _check_p(p, type(self).__name__), inplace
        # None: draw from autobp's global generator as it is at each call (as PyTorch's dropout does),
        # so manual_seed and vmap(randomness=...) govern the masks; a seed or Generator: its own stream
        self.rng = None if rng is None else init.as_generator(rng)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"

    def _writes(self) -> bool:
        """Whether this call writes into its input: PyTorch's in-place dropout leaves the input
        untouched (no write, no version bump, no leaf error) in evaluation or when p is 0."""
        return bool(self.inplace) and self.training and self.p > 0.0


class Dropout(_Dropout):
    """``dropout`` as a layer: active in training mode, the identity after ``eval()``.

    >>> d = Dropout(0.5, rng=0).eval()
    >>> float(d(np.ones(3)).sum())
    3.0
    """

    def forward(self, input: Any) -> Tensor:
        return dropout(input, self.p, self.training, self._writes(), rng=self.rng)


class Dropout1d(_Dropout):
    """Channel-wise dropout of (N, C, L): whole channels are zeroed with probability p."""

    def forward(self, input: Any) -> Tensor:
        return dropout1d(input, self.p, self.training, self._writes(), rng=self.rng)


class Dropout2d(_Dropout):
    """Channel-wise dropout of (N, C, H, W)."""

    def forward(self, input: Any) -> Tensor:
        return dropout2d(input, self.p, self.training, self._writes(), rng=self.rng)


class Dropout3d(_Dropout):
    """Channel-wise dropout of (N, C, D, H, W)."""

    def forward(self, input: Any) -> Tensor:
        return dropout3d(input, self.p, self.training, self._writes(), rng=self.rng)


class AlphaDropout(_Dropout):
    """``alpha_dropout`` as a layer (keeps SELU activations' mean and variance). As PyTorch's layer,
    it returns a new tensor even with ``inplace=True`` (the flag only shows in the repr)."""

    def forward(self, input: Any) -> Tensor:
        return alpha_dropout(input, self.p, self.training, rng=self.rng)


class FeatureAlphaDropout(_Dropout):
    """``feature_alpha_dropout`` as a layer: whole channels dropped. As PyTorch's layer, it returns
    a new tensor even with ``inplace=True``."""

    def forward(self, input: Any) -> Tensor:
        return feature_alpha_dropout(input, self.p, self.training, rng=self.rng)
