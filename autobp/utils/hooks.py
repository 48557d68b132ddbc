"""``torch.utils.hooks.RemovableHandle``'s name for the handle ``Tensor.register_hook`` returns."""

from .._tensor_hooks import RemovableHandle

__all__ = ["RemovableHandle"]
