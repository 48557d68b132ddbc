"""Folding an evaluation-mode BatchNorm into the Linear or convolution before it (``torch.nn.utils``'
fuse_conv_bn_eval, fuse_linear_bn_eval and their weight forms): one layer computing the same outputs."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

from .module import Module, Parameter


def _arr(t: Any) -> np.ndarray | None:
    return None if t is None else np.asarray(t.data if hasattr(t, "data") else t)


def _wants_grad(t: Any) -> bool:
    """PyTorch's rule: a fused Parameter requires grad as the layer's own weight (bias) did; a missing
    bias (None) gives one that does not."""
    return bool(getattr(t, "requires_grad", False))


def fuse_conv_bn_weights(
    conv_w: Any,
    conv_b: Any,
    bn_rm: Any,
    bn_rv: Any,
    bn_eps: float,
    bn_w: Any,
    bn_b: Any,
    transpose: bool = False,
) -> tuple[Parameter, Parameter]:
    """(weight, bias) of the convolution followed by the BatchNorm with these statistics: with
    s = bn_w / sqrt(bn_rv + eps) per output channel, w' = w * s and b' = (b - bn_rm) * s + bn_b."""
    w, rm, rv = _arr(conv_w), _arr(bn_rm), _arr(bn_rv)
    b = np.zeros_like(rm) if conv_b is None else _arr(conv_b)
    gamma = np.ones_like(rm) if bn_w is None else _arr(bn_w)
    beta = np.zeros_like(rm) if bn_b is None else _arr(bn_b)
    scale = gamma / np.sqrt(rv + bn_eps)
    shape = [1, -1] + [1] * (w.ndim - 2) if transpose else [-1] + [1] * (w.ndim - 1)
    fused_w = (w * scale.reshape(shape)).astype(w.dtype)
    fused_b = ((b - rm) * scale + beta).astype(w.dtype)
    return (
        Parameter(fused_w, requires_grad=_wants_grad(conv_w)),
        Parameter(fused_b, requires_grad=_wants_grad(conv_b)),
    )


def fuse_conv_bn_eval(conv: Module, bn: Module, transpose: bool = False) -> Module:
    """A copy of ``conv`` (evaluation mode) whose output equals ``bn(conv(x))`` with bn in eval mode."""
    if conv.training or bn.training:
        raise ValueError("fuse_conv_bn_eval: fusion is only for evaluation mode (call .eval() on both)")
    fused = copy.deepcopy(conv)
    fused.weight, fused.bias = fuse_conv_bn_weights(
        fused.weight, fused.bias, bn.running_mean, bn.running_var, bn.eps, bn.weight, bn.bias, transpose
    )
    return fused


def fuse_linear_bn_weights(
    linear_w: Any, linear_b: Any, bn_rm: Any, bn_rv: Any, bn_eps: float, bn_w: Any, bn_b: Any
) -> tuple[Parameter, Parameter]:
    """(weight, bias) of the Linear followed by the BatchNorm: rows scaled by bn_w / sqrt(bn_rv + eps)."""
    w, rm, rv = _arr(linear_w), _arr(bn_rm), _arr(bn_rv)
    b = np.zeros_like(rm) if linear_b is None else _arr(linear_b)
    gamma = np.ones_like(rm) if bn_w is None else _arr(bn_w)
    beta = np.zeros_like(rm) if bn_b is None else _arr(bn_b)
    scale = gamma / np.sqrt(rv + bn_eps)
    fused_w = (w * scale[:, None]).astype(w.dtype)
    fused_b = ((b - rm) * scale + beta).astype(w.dtype)
    return (
        Parameter(fused_w, requires_grad=_wants_grad(linear_w)),
        Parameter(fused_b, requires_grad=_wants_grad(linear_b)),
    )


def fuse_linear_bn_eval(linear: Module, bn: Module) -> Module:
    """A copy of ``linear`` (evaluation mode) whose output equals ``bn(linear(x))``."""
    if linear.training or bn.training:
        raise ValueError("fuse_linear_bn_eval: fusion is only for evaluation mode (call .eval() on both)")
    if linear.out_features != bn.num_features and bn.num_features != 1:
        raise ValueError(
            f"fuse_linear_bn_eval: out_features {linear.out_features} != num_features {bn.num_features}"
        )
    fused = copy.deepcopy(linear)
    fused.weight, fused.bias = fuse_linear_bn_weights(
        fused.weight, fused.bias, bn.running_mean, bn.running_var, bn.eps, bn.weight, bn.bias
    )
    return fused
