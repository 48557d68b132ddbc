"""Thin PyTorch-style layers on the autobp Tensor: Module, Parameter, Linear, Sequential, losses, init."""

from . import functional, init, utils
from .layers import Identity, Linear, ModuleList, ReLU, Sequential, Sigmoid, Tanh
from .loss_modules import *  # noqa: F403 (L1Loss ... CrossEntropyLoss)
from .loss_modules import __all__ as _loss_modules_all
from .module import LoadResult, Module, Parameter

__all__ = [
    "Module",
    "Parameter",
    "LoadResult",
    "Linear",
    "Sequential",
    "ModuleList",
    "Sigmoid",
    "Tanh",
    "ReLU",
    "Identity",
    "functional",
    "init",
    "utils",
]
__all__ += _loss_modules_all
