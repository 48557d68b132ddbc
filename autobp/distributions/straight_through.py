"""PyTorch's ``OneHotCategoricalStraightThrough``: one-hot draws whose gradient is that of the
probabilities (the straight-through estimator)."""

from __future__ import annotations

from typing import Any

from ..tensor import Tensor
from .discrete import OneHotCategorical


class OneHotCategoricalStraightThrough(OneHotCategorical):
    """A OneHotCategorical whose ``rsample`` is a one-hot draw plus ``probs - probs.detach()``: the
    value of a draw, the gradient of the probabilities."""

    has_rsample = True

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        """A one-hot draw that passes gradients to ``probs`` unchanged."""
        draw = self.sample(sample_shape)
        probs = self.probs
        return draw + (probs - probs.detach())
