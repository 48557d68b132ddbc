"""EmbeddingBag: the sum, mean or max of the embeddings in each bag (rows of a 2-D input, or runs of a
1-D input cut at ``offsets``), with PyTorch's arguments; bags are padded to one length and masked."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._default_dtype import DEFAULT_FLOAT, default_float
from .._device import check_device
from ..ops import where
from ..tensor import Tensor
from . import init
from ._nn_errors import NNArgumentError
from .embedding import _renorm_rows, check_weight_shape, shared_weight
from .module import Module, Parameter


def _bags(
    idx: np.ndarray, offsets: Any, include_last_offset: bool, who: str
) -> tuple[np.ndarray, np.ndarray]:
    """(B, L) positions into the flat input and a mask of the real entries."""
    if idx.ndim == 2:
        if offsets is not None:
            raise ValueError(
                f"{who}: if input is 2D, then offsets has to be None, as input is treated is a mini-batch "
                "of fixed length sequences (each row is a bag). However, found offsets of type "
                f"{type(offsets)}"
            )
        B, L = idx.shape
        return np.arange(B * L).reshape(B, L), np.ones((B, L), dtype=bool)
    if idx.ndim != 1:
        raise ValueError(f"{who}: input has to be 1D or 2D Tensor, but got Tensor of dimension {idx.ndim}")
    if offsets is None:
        raise ValueError(f"{who}: offsets has to be a 1D Tensor but got None")
    off = np.asarray(offsets._data if isinstance(offsets, Tensor) else offsets)
    if off.ndim != 1:
        raise ValueError(f"{who}: offsets has to be a 1D Tensor, got shape {off.shape}")
    off = off.astype(np.int64)
    if off.size == 0 or off[0] != 0 or (np.diff(off) < 0).any() or off[-1] > idx.size:
        # PyTorch raises RuntimeError here (offsets[0] has to be 0 / offsets[-1] past the input)
        raise NNArgumentError(
            f"{who}: offsets must start at 0 and not decrease past {idx.size}, got {off.tolist()}"
        )
    # the last bag runs to the end of the input, even with include_last_offset (PyTorch's reading)
    ends = np.append(off[1:-1], idx.size) if include_last_offset else np.append(off[1:], idx.size)
    starts = off[:-1] if include_last_offset else off
    lengths = ends - starts
    L = int(lengths.max(initial=0))
    pos = starts[:, None] + np.arange(L)
    mask = np.arange(L) < lengths[:, None]
    return np.where(mask, pos, 0), mask


def _check_per_sample_weights(psw: Any, weight: Tensor, idx: np.ndarray, mode: str, who: str) -> Tensor:
    """PyTorch's checks, in its order and with its error types."""
    psw = psw if isinstance(psw, Tensor) else Tensor(psw)
    if psw.shape != idx.shape:
        raise ValueError(
            f"{who}: If per_sample_weights ({psw.shape}) is not None, then it must have the same shape as "
            f"the input ({idx.shape})"
        )
    if mode != "sum":
        raise NotImplementedError(
            f"{who}: per_sample_weights was not None. per_sample_weights is only supported for mode='sum' "
            f"(got mode={mode!r})"
        )
    if psw.dtype != weight.dtype:
        raise RuntimeError(
            f"{who}: Expected tensor for argument 'weight' to have the same type as tensor for argument "
            f"'per_sample_weights'; but type {weight.dtype} does not equal {psw.dtype}"
        )
    return psw


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
    left out (a bag of nothing gives zeros); ``per_sample_weights`` scale each entry ('sum' only).
    ``sparse=True`` is accepted; the gradient is dense (autobp has no sparse tensors)."""
    who = "embedding_bag"
    idx = np.asarray(input._data if isinstance(input, Tensor) else input)
    if idx.dtype.kind not in "iu":
        raise TypeError(f"{who}: indices must be integers, got dtype {idx.dtype}")
    if getattr(weight, "ndim", 2) != 2:
        raise ValueError(f"{who}: weight has to be a 2D Tensor, but got Tensor of dimension {weight.ndim}")
    if mode not in ("sum", "mean", "max"):
        raise ValueError(f"{who}: mode must be 'sum', 'mean' or 'max', got {mode!r}")
    if scale_grad_by_freq:
        raise NotImplementedError(f"{who}: scale_grad_by_freq is not supported")
    n = weight.shape[0]
    if padding_idx is not None and not -n <= padding_idx < n:
        raise RuntimeError(
            f"{who}: padding_idx must be within the number of embeddings, {-n} through {n - 1}, "
            f"but got {padding_idx}"
        )
    pos, mask = _bags(idx, offsets, include_last_offset, who)
    bad = np.flatnonzero((idx < 0) | (idx >= n)) if idx.size else ()
    if len(bad):
        i = int(bad[0])
        raise RuntimeError(
            f"{who}: Expected idx >= 0 && idx < num_embeddings, but index {i} of input takes value "
            f"{idx.reshape(-1)[i]} which is not in the valid range [0, {n})"
        )
    flat = idx.reshape(-1)
    rows = flat[pos] if flat.size else np.zeros(pos.shape, dtype=np.int64)
    if padding_idx is not None:
        mask = mask & (rows != padding_idx % n)
    if max_norm is not None:
        _renorm_rows(weight, flat, max_norm, norm_type)
    emb = weight[rows]  # (B, L, D)
    m = mask[..., None]
    if per_sample_weights is not None:
        psw = _check_per_sample_weights(per_sample_weights, weight, idx, mode, who)
        emb = emb * psw.reshape(-1)[pos][..., None]
    if mode == "max" and pos.shape[1] == 0:  # every bag empty: zeros, on the graph (zero gradients)
        return emb.sum(axis=1)
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
        dtype: Any = DEFAULT_FLOAT,
        *,
        device: Any = None,
    ) -> None:
        dtype = default_float(dtype)  # None, PyTorch's default argument: the default dtype
        check_device(device, type(self).__name__)
        super().__init__()
        if padding_idx is not None:
            if not -num_embeddings <= padding_idx < num_embeddings:  # PyTorch's assert
                raise AssertionError(
                    f"EmbeddingBag: padding_idx must be within num_embeddings, got {padding_idx}"
                )
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
            check_weight_shape("EmbeddingBag", _weight, num_embeddings, embedding_dim)
            self.weight = shared_weight(_weight)

    @classmethod
    def from_pretrained(
        cls,
        embeddings: Any,
        freeze: bool = True,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        mode: str = "mean",
        sparse: bool = False,
        include_last_offset: bool = False,
        padding_idx: int | None = None,
    ) -> EmbeddingBag:
        """An EmbeddingBag whose weight is a copy of ``embeddings`` (2-D); frozen unless ``freeze=False``."""
        w = np.asarray(embeddings._data if isinstance(embeddings, Tensor) else embeddings)
        if w.ndim != 2:
            raise ValueError(f"EmbeddingBag.from_pretrained: embeddings must be 2-D, got shape {w.shape}")
        bag = cls(
            w.shape[0],
            w.shape[1],
            max_norm,
            norm_type,
            scale_grad_by_freq,
            mode,
            sparse,
            w,
            include_last_offset,
            padding_idx,
        )
        bag.weight.requires_grad = not freeze
        return bag

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
