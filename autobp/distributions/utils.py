"""PyTorch's ``torch.distributions.utils``: the helpers distributions are written with, gathered
under torch's module name (broadcasting parameters, probability/logit conversion, lazily computed
properties, packing a triangle of a matrix into a vector and back)."""

from __future__ import annotations

from typing import Any

from ..nn.functional import softmax
from ..ops import sigmoid
from ..tensor import Tensor
from .discrete import clamp_probs, probs_to_logits
from .distribution import broadcast_all, lazy_property
from .transforms_matrix import tril_matrix_to_vec, vec_to_tril_matrix

euler_constant = 0.57721566490153286060  # Euler-Mascheroni constant


def logits_to_probs(logits: Any, is_binary: bool = False) -> Tensor:
    """sigmoid(logits) (binary) or the softmax over the last axis (categorical)."""
    logits = logits if isinstance(logits, Tensor) else Tensor._const(logits)
    return sigmoid(logits) if is_binary else softmax(logits, dim=-1)


__all__ = [
    "broadcast_all", "clamp_probs", "euler_constant", "lazy_property", "logits_to_probs",
    "probs_to_logits", "tril_matrix_to_vec", "vec_to_tril_matrix",
]  # fmt: skip
