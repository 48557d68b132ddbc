"""Local response normalisation (Krizhevsky et al. 2012): each channel divided by a power of the
mean square of its neighbouring channels, with PyTorch's window and arguments."""

from __future__ import annotations

from typing import Any

from ..ops import pad as np_pad
from ..tensor import Tensor
from .module import Module


def local_response_norm(
    input: Any, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0
) -> Tensor:
    """x / (k + alpha * mean of x^2 over ``size`` channels around c) ** beta on (N, C, *); the window
    reaches size // 2 channels before and (size - 1) // 2 after, zero beyond the ends (as PyTorch)."""
    x = input if isinstance(input, Tensor) else Tensor(input)
    if x.ndim < 3:
        raise ValueError(f"local_response_norm: expected (N, C, *) with at least 3 dimensions, got {x.shape}")
    if size < 1:
        raise ValueError(f"local_response_norm: size must be positive, got {size}")
    C = x.shape[1]
    widths = [(0, 0)] * x.ndim
    widths[1] = (size // 2, (size - 1) // 2)
    sq = np_pad(x * x, widths)
    window = sq[:, 0:C]
    for j in range(1, size):
        window = window + sq[:, j : j + C]
    return x / (window * (alpha / size) + k) ** beta


class LocalResponseNorm(Module):
    """``local_response_norm`` as a layer."""

    def __init__(self, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0) -> None:
        super().__init__()
        self.size, self.alpha, self.beta, self.k = size, alpha, beta, k

    def forward(self, input: Any) -> Tensor:
        return local_response_norm(input, self.size, self.alpha, self.beta, self.k)

    def extra_repr(self) -> str:
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"
