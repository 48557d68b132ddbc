"""Embedding: rows of a weight matrix picked by integer indices; the gradient reaches only the rows
used (a scatter-add), and never the ``padding_idx`` row."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..ops import where
from ..tensor import Tensor
from . import init
from .module import Module, Parameter


def embedding(input: Any, weight: Tensor, padding_idx: int | None = None) -> Tensor:
    """weight[input] for integer indices of any shape: shape input.shape + (embedding_dim,)."""
    idx = np.asarray(input._data if isinstance(input, Tensor) else input)
    if idx.dtype.kind not in "iu":
        raise TypeError(f"embedding: indices must be integers, got dtype {idx.dtype}")
    n = weight.shape[0]
    if idx.size and (idx.min() < -n or idx.max() >= n):
        raise IndexError(f"embedding: indices must be in [0, {n}), got min {idx.min()}, max {idx.max()}")
    out = weight[idx]
    if padding_idx is None:
        return out
    pad = padding_idx % n
    hit = idx % n == pad
    if not hit.any():
        return out
    # same values, but the rows picked at padding_idx come from a constant: no gradient reaches that row
    const = Tensor._const(weight._data[idx])
    return where(hit[..., None], const, out)


class Embedding(Module):
    """A lookup table (num_embeddings, embedding_dim) initialised from N(0, 1), the padding row zero.

    >>> Embedding(10, 3, rng=0)(np.array([[1, 2], [4, 9]])).shape
    (2, 2, 3)
    """

    def __init__(
        self,
        num_embeddings: int,
        embedding_dim: int,
        padding_idx: int | None = None,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        sparse: bool = False,
        _weight: Any = None,
        _freeze: bool = False,
        rng: init.RngLike = None,
        dtype: Any = np.float64,
    ) -> None:
        super().__init__()
        if max_norm is not None or scale_grad_by_freq or sparse:
            raise NotImplementedError("Embedding: max_norm, scale_grad_by_freq and sparse are not supported")
        if padding_idx is not None:
            if not -num_embeddings <= padding_idx < num_embeddings:
                raise ValueError(
                    f"Embedding: padding_idx {padding_idx} must be within num_embeddings={num_embeddings}"
                )
            padding_idx %= num_embeddings
        self.num_embeddings, self.embedding_dim, self.padding_idx = num_embeddings, embedding_dim, padding_idx
        if _weight is None:
            self.weight = Parameter(np.empty((num_embeddings, embedding_dim), dtype=dtype))
            init.normal_(self.weight, 0.0, 1.0, rng)
            if padding_idx is not None:
                self.weight.data[padding_idx] = 0
        else:
            w = np.array(_weight._data if isinstance(_weight, Tensor) else _weight)
            if w.shape != (num_embeddings, embedding_dim):
                raise ValueError(
                    f"Embedding: _weight shape {w.shape} must be {(num_embeddings, embedding_dim)}"
                )
            self.weight = Parameter(w, requires_grad=not _freeze, dtype=w.dtype)

    @classmethod
    def from_pretrained(
        cls, embeddings: Any, freeze: bool = True, padding_idx: int | None = None
    ) -> Embedding:
        """An Embedding whose weight is a copy of ``embeddings`` (2-D); frozen unless ``freeze=False``."""
        w = np.asarray(embeddings._data if isinstance(embeddings, Tensor) else embeddings)
        if w.ndim != 2:
            raise ValueError(f"Embedding.from_pretrained: embeddings must be 2-D, got shape {w.shape}")
        return cls(w.shape[0], w.shape[1], padding_idx, _weight=w, _freeze=freeze)

    def forward(self, input: Any) -> Tensor:
        return embedding(input, self.weight, self.padding_idx)

    def extra_repr(self) -> str:
        pad = "" if self.padding_idx is None else f", padding_idx={self.padding_idx}"
        return f"{self.num_embeddings}, {self.embedding_dim}{pad}"
