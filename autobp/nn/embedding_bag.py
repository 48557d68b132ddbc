"""EmbeddingBag: the sum, mean or max of the embeddings in each bag (rows of a 2-D input, or runs of a
1-D input cut at ``offsets``), with PyTorch's arguments; bags are padded to one length and masked."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._device import check_device
from ..ops import where
from ..tensor import Tensor
from . import init
from .embedding import _renorm_rows
from .module import Module, Parameter


def _bags(
    idx: np.ndarray, offsets: Any, include_last_offset: bool, who: str
) -> tuple[np.ndarray, np.ndarray]:
    """(B, L) positions into the flat input and a mask of the real entries."""
    if idx.ndim == 2:
        if offsets is not None:
            raise ValueError(f"{who}: offsets must be None for a 2-D input (each row is a bag)")
        B, L = idx.shape
        return np.arange(B * L).reshape(B, L), np.ones((B, L), dtype=bool)
    if idx.ndim != 1 or offsets is None:
        raise ValueError(f"{who}: input must be 2-D (B, L), or 1-D with offsets, got shape {idx.shape}")
    off = np.asarray(offsets._data if isinstance(offsets, Tensor) else offsets).astype(np.int64).reshape(-1)
    if off.size == 0 or off[0] != 0 or (np.diff(off) < 0).any() or off[-1] > idx.size:
        raise ValueError(
            f"{who}: offsets must start at 0 and not decrease past {idx.size}, got {off.tolist()}"
        )
    ends = off[1:] if include_last_offset else np.append(off[1:], idx.size)
    starts = off[:-1] if include_last_offset else off
    lengths = ends - starts
    L = int(lengths.max(initial=0))
    pos = starts[:, None] + np.arange(L)
    mask = np.arange(L) < lengths[:, None]
    return np.where(mask, pos, 0), mask


def embedding_bag(
    input: Any,
    weight: Tensor,
    offsets: Any = None,
    max_norm: float | None = None,
    norm_type: float = 2.0,
    scale_grad_by_freq: bool = False,
    mode: str = "mean",
    sparse: bool = False,
    per_sample_weights: Any = None,
    include_last_offset: bool = False,
    padding_idx: int | None = None,
) -> Tensor:
    """Reduce each bag's embeddings by ``mode`` ('sum', 'mean', 'max'); ``padding_idx`` entries are
    left out (a bag of nothing gives zeros); ``per_sample_weights`` scale each entry ('sum' only)."""
    who = "embedding_bag"
    idx = np.asarray(input._data if isinstance(input, Tensor) else input)
    if idx.dtype.kind not in "iu":
        raise TypeError(f"{who}: indices must be integers, got dtype {idx.dtype}")
    if mode not in ("sum", "mean", "max"):
        raise ValueError(f"{who}: mode must be 'sum', 'mean' or 'max', got {mode!r}")
    if sparse or scale_grad_by_freq:
        raise NotImplementedError(f"{who}: sparse gradients and scale_grad_by_freq are not supported")
    n = weight.shape[0]
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        raise IndexError(f"{who}: indices must be in [0, {n}), got min {idx.min()}, max {idx.max()}")
    pos, mask = _bags(idx, offsets, include_last_offset, who)
    if pos.shape[1] == 0:  # every bag empty: zeros (no entry to differentiate)
        return Tensor._const(np.zeros((pos.shape[0], weight.shape[1]), dtype=weight.dtype))
    flat = idx.reshape(-1)
    rows = flat[pos] if flat.size else np.zeros(pos.shape, dtype=np.int64)
    if padding_idx is not None:
        mask = mask & (rows != padding_idx % n)
    if max_norm is not None:
        _renorm_rows(weight, flat, max_norm, norm_type)
    emb = weight[rows]  # (B, L, D)
    m = mask[..., None]
    if per_sample_weights is not None:
        if mode != "sum":
            raise ValueError(f"{who}: per_sample_weights are only supported with mode='sum', got {mode!r}")
        psw = per_sample_weights if isinstance(per_sample_weights, Tensor) else Tensor(per_sample_weights)
        if psw.shape != idx.shape:
            raise ValueError(f"{who}: per_sample_weights {psw.shape} must have the input's shape {idx.shape}")
        emb = emb * psw.reshape(-1)[pos][..., None]
    if mode == "max":
        # an empty bag gives 0; among equal maxima the gradient goes to the first, as max's rule
        best = where(m, emb, -np.inf).max(axis=1)
        return where(mask.any(axis=1)[:, None], best, 0.0)
    total = where(m, emb, 0.0).sum(axis=1)
    if mode == "sum":
        return total
    count = np.maximum(mask.sum(axis=1), 1).astype(weight.dtype)[:, None]
    return total / count


class EmbeddingBag(Module):
    """A lookup table whose rows are summed, averaged or maxed per bag (``embedding_bag``); N(0, 1) init."""

    def __init__(
        self,
        num_embeddings: int,
        embedding_dim: int,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        mode: str = "mean",
        sparse: bool = False,
        _weight: Any = None,
        include_last_offset: bool = False,
        padding_idx: int | None = None,
        rng: init.RngLike = None,
        dtype: Any = np.float64,
        *,
        device: Any = None,
    ) -> None:
        check_device(device, type(self).__name__)
        super().__init__()
        if padding_idx is not None:
            if not -num_embeddings <= padding_idx < num_embeddings:
                raise ValueError(f"EmbeddingBag: padding_idx {padding_idx} must be within num_embeddings")
            padding_idx %= num_embeddings
        self.num_embeddings, self.embedding_dim, self.padding_idx = num_embeddings, embedding_dim, padding_idx
        self.max_norm, self.norm_type, self.scale_grad_by_freq = max_norm, norm_type, scale_grad_by_freq
        self.mode, self.sparse, self.include_last_offset = mode, sparse, include_last_offset
        if _weight is None:
            self.weight = Parameter(np.empty((num_embeddings, embedding_dim), dtype=dtype))
            init.normal_(self.weight, 0.0, 1.0, rng)
            if padding_idx is not None:
                self.weight.data[padding_idx] = 0
        else:
            w = np.array(_weight._data if isinstance(_weight, Tensor) else _weight)
            self.weight = Parameter(w, dtype=w.dtype)

    def forward(self, input: Any, offsets: Any = None, per_sample_weights: Any = None) -> Tensor:
        return embedding_bag(
            input,
            self.weight,
            offsets,
            self.max_norm,
            self.norm_type,
            self.scale_grad_by_freq,
            self.mode,
            self.sparse,
            per_sample_weights,
            self.include_last_offset,
            self.padding_idx,
        )

    def extra_repr(self) -> str:
        return f"{self.num_embeddings}, {self.embedding_dim}, mode={self.mode!r}"
