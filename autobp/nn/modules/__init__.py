"""PyTorch's ``torch.nn.modules`` path, for code that reaches the global module hooks through it."""

from . import module

__all__ = ["module"]
