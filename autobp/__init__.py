"""autobp: reverse-mode automatic differentiation on numpy, after Rumelhart, Hinton & Williams."""

__version__ = "0.1.0"

from . import functional, graph, nn, optim, replay
from ._graph import GraphReleasedError, enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .anomaly import AnomalyError, detect_anomaly
from .autograd import grad
from .checkpoint import checkpoint
from .function import Function, FunctionCtx
from .gradcheck import GradcheckError, NonDifferentiableWarning, gradcheck, gradgradcheck
from .ops import (
    concatenate,
    exp,
    log,
    log_softmax,
    logsumexp,
    matmul,
    maximum,
    mean,
    minimum,
    relu,
    sigmoid,
    softmax,
    sqrt,
    stack,
    sum,
    tanh,
    where,
)
from .replay import trace
from .serialize import CheckpointError, load, save
from .tensor import Tensor, tensor
from .value import Value
from .viz import draw

__all__ = [
    "Value",
    "Function",
    "FunctionCtx",
    "functional",
    "gradcheck",
    "gradgradcheck",
    "GradcheckError",
    "NonDifferentiableWarning",
    "draw",
    "graph",
    "Tensor",
    "tensor",
    "grad",
    "no_grad",
    "enable_grad",
    "is_grad_enabled",
    "set_grad_enabled",
    "GraphReleasedError",
    "detect_anomaly",
    "AnomalyError",
    "concatenate",
    "stack",
    "where",
    "maximum",
    "minimum",
    "exp",
    "log",
    "tanh",
    "sigmoid",
    "relu",
    "sqrt",
    "sum",
    "mean",
    "logsumexp",
    "softmax",
    "log_softmax",
    "matmul",
    "nn",
    "optim",
    "save",
    "load",
    "CheckpointError",
    "replay",
    "trace",
    "checkpoint",
]
