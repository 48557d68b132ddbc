"""Embedding: rows of a weight matrix picked by integer indices; the gradient reaches only the rows
used (a scatter-add), and never the ``padding_idx`` row; PyTorch's ``max_norm`` (rows renormalised in
place before the lookup) and ``scale_grad_by_freq`` (each row's gradient divided by its count)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._default_dtype import DEFAULT_FLOAT, default_float
from .._device import check_device
from ..ops import where
from ..tensor import Tensor
from . import init
from .module import Module, Parameter


def _renorm_rows(weight: Tensor, idx: np.ndarray, max_norm: float, norm_type: float) -> None:
    """PyTorch's embedding_renorm_: each row used whose ``norm_type``-norm exceeds ``max_norm`` is
    scaled in place by max_norm / (norm + 1e-7); a counted write outside any graph."""
    rows = np.unique(idx % weight.shape[0])
    if not rows.size:
        return
    w = weight._data[rows]
    norms = np.linalg.norm(w, ord=norm_type, axis=1) if norm_type != 0 else (w != 0).sum(axis=1)
    over = norms > max_norm
    if over.any():
        scale = (max_norm / (norms[over] + 1e-7)).astype(w.dtype)
        weight.data[rows[over]] = w[over] * scale[:, None]


def embedding(
    input: Any,
    weight: Tensor,
    padding_idx: int | None = None,
    max_norm: float | None = None,
    norm_type: float = 2.0,
    scale_grad_by_freq: bool = False,
    sparse: bool = False,
) -> Tensor:
    """weight[input] for integer indices of any shape: shape input.shape + (embedding_dim,).

    ``max_norm``: first renormalise (in place, as PyTorch) the rows used whose norm exceeds it.
    ``scale_grad_by_freq``: divide the gradient reaching each row by how often its index occurs in
    ``input``. ``sparse=True`` is accepted: autobp has no sparse tensors, so the gradient is the
    dense array PyTorch's sparse gradient densifies to."""
    idx = np.asarray(input._data if isinstance(input, Tensor) else input)
    if idx.dtype.kind not in "iu":
        raise TypeError(f"embedding: indices must be integers, got dtype {idx.dtype}")
    if getattr(weight, "ndim", 2) != 2:
        raise RuntimeError(f"embedding: 'weight' must be 2-D, got shape {tuple(weight.shape)}")
    n = weight.shape[0]
    if idx.size and (idx.min() < -n or idx.max() >= n):
        raise IndexError(f"embedding: indices must be in [0, {n}), got min {idx.min()}, max {idx.max()}")
    if max_norm is not None:
        _renorm_rows(weight, idx, max_norm, norm_type)
    out = weight[idx]
    if scale_grad_by_freq and out.requires_grad:
        rows, inverse, counts = np.unique(idx % n, return_inverse=True, return_counts=True)
        per_index = (1.0 / counts[inverse].reshape(idx.shape + (1,))).astype(out.dtype)
        out.register_hook(lambda g: g * per_index)  # each occurrence's share: sum_i g_i / count
    if padding_idx is None:
        return out
    pad = padding_idx % n
    hit = idx % n == pad
    if not hit.any():
        return out
    # same values, but the rows picked at padding_idx come from a constant: no gradient reaches that row
    const = Tensor._const(weight._data[idx])
    return where(hit[..., None], const, out)


class WeightShapeError(ValueError, AssertionError):
    """A given ``_weight`` of the wrong shape: PyTorch asserts (AssertionError); also a ValueError."""


def check_weight_shape(who: str, weight: Any, num_embeddings: int, embedding_dim: int) -> None:
    """PyTorch's check that ``_weight`` is (num_embeddings, embedding_dim), with its words."""
    shape = tuple(np.shape(weight._data if isinstance(weight, Tensor) else weight))
    if shape != (num_embeddings, embedding_dim):
        raise WeightShapeError(
            f"{who}: Shape of weight does not match num_embeddings and embedding_dim: _weight has shape "
            f"{shape}, expected {(num_embeddings, embedding_dim)}"
        )


def shared_weight(weight: Any, requires_grad: bool = True) -> Parameter:
    """A Parameter holding the given array itself, not a copy (PyTorch's Parameter(_weight) shares it),
    where its dtype allows; a Tensor's array likewise."""
    w = np.asarray(weight._data if isinstance(weight, Tensor) else weight)
    param = Parameter(w, requires_grad=requires_grad, dtype=w.dtype)
    if w.dtype == param.dtype:
        param._data = w  # the very array, not the copy the constructor makes
    return param


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
                    f"Embedding: Padding_idx must be within num_embeddings ({num_embeddings}): {padding_idx}"
                )
            padding_idx %= num_embeddings
        self.num_embeddings, self.embedding_dim, self.padding_idx = num_embeddings, embedding_dim, padding_idx
        self.max_norm, self.norm_type, self.scale_grad_by_freq = max_norm, norm_type, scale_grad_by_freq
        self.sparse = sparse
        if _weight is None:
            self.weight = Parameter(np.empty((num_embeddings, embedding_dim), dtype=dtype))
            init.normal_(self.weight, 0.0, 1.0, rng)
            if padding_idx is not None:
                self.weight.data[padding_idx] = 0
        else:
            check_weight_shape("Embedding", _weight, num_embeddings, embedding_dim)
            self.weight = shared_weight(_weight, requires_grad=not _freeze)  # max_norm renormalises it

    @classmethod
    def from_pretrained(
        cls,
        embeddings: Any,
        freeze: bool = True,
        padding_idx: int | None = None,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        sparse: bool = False,
    ) -> Embedding:
        """An Embedding whose weight is a copy of ``embeddings`` (2-D); frozen unless ``freeze=False``."""
        w = np.asarray(embeddings._data if isinstance(embeddings, Tensor) else embeddings)
        if w.ndim != 2:
            raise ValueError(f"Embedding.from_pretrained: embeddings must be 2-D, got shape {w.shape}")
        return cls(
            w.shape[0],
            w.shape[1],
            padding_idx,
            max_norm,
            norm_type,
            scale_grad_by_freq,
            sparse,
            _weight=w,
            _freeze=freeze,
        )

    def forward(self, input: Any) -> Tensor:
        return embedding(
            input,
            self.weight,
            self.padding_idx,
            self.max_norm,
            self.norm_type,
            self.scale_grad_by_freq,
            self.sparse,
        )

    def extra_repr(self) -> str:
        pad = "" if self.padding_idx is None else f", padding_idx={self.padding_idx}"
        norm = "" if self.max_norm is None else f", max_norm={self.max_norm}"
        freq = ", scale_grad_by_freq=True" if self.scale_grad_by_freq else ""
        return f"{self.num_embeddings}, {self.embedding_dim}{pad}{norm}{freq}"
