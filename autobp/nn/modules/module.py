"""PyTorch's ``torch.nn.modules.module``: Module and the global backward hooks of every module."""

from ..module import Module, register_module_full_backward_hook, register_module_full_backward_pre_hook

__all__ = ["Module", "register_module_full_backward_hook", "register_module_full_backward_pre_hook"]
