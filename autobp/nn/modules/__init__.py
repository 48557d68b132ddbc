"""PyTorch's ``torch.nn.modules`` path, for code that reaches the global module hooks through it."""

from . import lazy, module, utils

__all__ = ["lazy", "module", "utils"]
