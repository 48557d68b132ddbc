"""autobp: reverse-mode automatic differentiation on numpy, after Rumelhart, Hinton & Williams."""

from ._graph import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .value import Value

__all__ = ["Value", "no_grad", "enable_grad", "is_grad_enabled", "set_grad_enabled"]
