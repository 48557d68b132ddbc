"""The ``torch.nn.functional`` functions PyTorch also exposes at its top level (``torch.conv2d``,
``torch.dropout(input, p, train)``, ``torch.layer_norm``, ``torch.batch_norm(input, weight, bias, ...)``,
``torch.kl_div(..., reduction=1)``, ...), with the top-level signatures: positional ``train`` flags,
integer reduction codes (0 none, 1 mean, 2 sum), weight-first ``embedding`` and the norms' argument
order. Each delegates to ``autobp.nn.functional``, so they differentiate by its ops; the recurrent
cells (``lstm_cell``, ``gru_cell``, ``rnn_tanh_cell``, ``rnn_relu_cell``) are written here from
matmuls and activations."""

from __future__ import annotations

from typing import Any

import numpy as np

from .nn import functional as _F
from .nn import upsampling as _up
from .nn.init import as_generator
from .ops._args import as_tensor
from .tensor import Tensor

_REDUCTIONS = {0: "none", 1: "mean", 2: "sum"}


def _reduction(reduction: Any, who: str) -> str:
    """PyTorch's top-level reduction code (0 none, 1 mean, 2 sum) as F's string; strings pass."""
    if isinstance(reduction, str) and reduction in ("none", "mean", "sum"):
        return reduction
    if isinstance(reduction, (int, np.integer)) and int(reduction) in _REDUCTIONS:
        return _REDUCTIONS[int(reduction)]
    raise ValueError(f"{who}: reduction must be 0 (none), 1 (mean) or 2 (sum), got {reduction!r}")


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    return loss if reduction == "none" else loss.sum() if reduction == "sum" else loss.mean()


# ---- convolutions ----------------------------------------------------------------------------------------


def conv1d(input: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0, dilation: Any = 1,
           groups: int = 1) -> Tensor:  # fmt: skip
    """1-D convolution (cross-correlation) of (N, C, L) input (``torch.conv1d``)."""
    return _F.conv1d(input, weight, bias, stride, padding, dilation, groups)


def conv2d(input: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0, dilation: Any = 1,
           groups: int = 1) -> Tensor:  # fmt: skip
    """2-D convolution (cross-correlation) of (N, C, H, W) input (``torch.conv2d``)."""
    return _F.conv2d(input, weight, bias, stride, padding, dilation, groups)


def conv3d(input: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0, dilation: Any = 1,
           groups: int = 1) -> Tensor:  # fmt: skip
    """3-D convolution (cross-correlation) of (N, C, D, H, W) input (``torch.conv3d``)."""
    return _F.conv3d(input, weight, bias, stride, padding, dilation, groups)


def conv_transpose1d(input: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0,
                     output_padding: Any = 0, groups: int = 1, dilation: Any = 1) -> Tensor:  # fmt: skip
    """1-D transposed convolution (``torch.conv_transpose1d``)."""
    return _F.conv_transpose1d(input, weight, bias, stride, padding, output_padding, groups, dilation)


def conv_transpose2d(input: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0,
                     output_padding: Any = 0, groups: int = 1, dilation: Any = 1) -> Tensor:  # fmt: skip
    """2-D transposed convolution (``torch.conv_transpose2d``)."""
    return _F.conv_transpose2d(input, weight, bias, stride, padding, output_padding, groups, dilation)


def conv_transpose3d(input: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0,
                     output_padding: Any = 0, groups: int = 1, dilation: Any = 1) -> Tensor:  # fmt: skip
    """3-D transposed convolution (``torch.conv_transpose3d``)."""
    return _F.conv_transpose3d(input, weight, bias, stride, padding, output_padding, groups, dilation)


def conv_tbc(input: Any, weight: Any, bias: Any, pad: int = 0) -> Tensor:
    """1-D convolution of time-batch-channel input (T, B, Cin) with a (K, Cin, Cout) weight, ``pad``
    zeros at both ends of time; (T', B, Cout) out (``torch.conv_tbc``)."""
    x, w = as_tensor(input), as_tensor(weight)
    if x.ndim != 3 or w.ndim != 3 or as_tensor(bias).ndim != 1:
        raise ValueError(
            f"conv_tbc: input (T, B, Cin), weight (K, Cin, Cout) and bias (Cout,) expected, got "
            f"{x.shape}, {w.shape} and {as_tensor(bias).shape}"
        )
    out = _F.conv1d(x.permute(1, 2, 0), w.permute(2, 1, 0), bias, padding=pad)
    return out.permute(2, 0, 1)


# ---- dropout (input, p, train) ---------------------------------------------------------------------------


def dropout(input: Any, p: float, train: bool) -> Tensor:
    """Zero each element with probability p and scale the rest by 1/(1-p) when ``train``
    (``torch.dropout``: p and train positional, the global generator)."""
    return _F.dropout(input, p, bool(train))


def alpha_dropout(input: Any, p: float, train: bool) -> Tensor:
    """SELU-preserving dropout when ``train`` (``torch.alpha_dropout``)."""
    return _F.alpha_dropout(input, p, bool(train))


def feature_dropout(input: Any, p: float, train: bool) -> Tensor:
    """Zero whole channels (dims 2+ of an (N, C, ...) input) with probability p, scaling the rest by
    1/(1-p), when ``train`` (``torch.feature_dropout``)."""
    x = as_tensor(input)
    if not 0 <= p <= 1:
        raise ValueError(f"feature_dropout: p must be in [0, 1], got {p}")
    if not train or p == 0:
        return x
    if x.ndim < 2:
        raise ValueError(f"feature_dropout: input of at least 2 dims (N, C, ...) expected, got {x.shape}")
    if p == 1:
        return x * 0.0
    keep = as_generator(None).random(x.shape[:2] + (1,) * (x.ndim - 2)) >= p
    return x * (keep.astype(x.dtype) / (1 - p))


def feature_alpha_dropout(input: Any, p: float, train: bool) -> Tensor:
    """Alpha dropout of whole channels when ``train`` (``torch.feature_alpha_dropout``)."""
    return _F.feature_alpha_dropout(input, p, bool(train))


def _inplace_result(input: Any, out: Tensor) -> Tensor:
    if not isinstance(input, Tensor):
        raise TypeError(f"an in-place function needs a Tensor, got {type(input).__name__}")
    return input if out is input else input.copy_(out)


def dropout_(input: Tensor, p: float, train: bool) -> Tensor:
    """``dropout`` written into ``input`` (``torch.dropout_``)."""
    return _inplace_result(input, dropout(input, p, train))


def alpha_dropout_(input: Tensor, p: float, train: bool) -> Tensor:
    """``alpha_dropout`` written into ``input`` (``torch.alpha_dropout_``)."""
    return _inplace_result(input, alpha_dropout(input, p, train))


def feature_dropout_(input: Tensor, p: float, train: bool) -> Tensor:
    """``feature_dropout`` written into ``input`` (``torch.feature_dropout_``)."""
    return _inplace_result(input, feature_dropout(input, p, train))


def feature_alpha_dropout_(input: Tensor, p: float, train: bool) -> Tensor:
    """``feature_alpha_dropout`` written into ``input`` (``torch.feature_alpha_dropout_``)."""
    return _inplace_result(input, feature_alpha_dropout(input, p, train))


# ---- embeddings and normalisation ------------------------------------------------------------------------


def embedding(weight: Any, indices: Any, padding_idx: int = -1, scale_grad_by_freq: bool = False,
              sparse: bool = False) -> Tensor:  # fmt: skip
    """Rows of ``weight`` at ``indices`` (``torch.embedding``: weight first; padding_idx -1 is none)."""
    pad = None if padding_idx is None or padding_idx < 0 else int(padding_idx)
    return _F.embedding(indices, weight, pad, scale_grad_by_freq=scale_grad_by_freq, sparse=sparse)


def layer_norm(input: Any, normalized_shape: Any, weight: Any = None, bias: Any = None, eps: float = 1e-5,
               cudnn_enable: bool = True) -> Tensor:  # fmt: skip
    """Normalise over the trailing ``normalized_shape`` dims (``torch.layer_norm``)."""
    return _F.layer_norm(input, normalized_shape, weight, bias, eps)


def group_norm(input: Any, num_groups: int, weight: Any = None, bias: Any = None, eps: float = 1e-5,
               cudnn_enabled: bool = True) -> Tensor:  # fmt: skip
    """Normalise each group of channels (``torch.group_norm``)."""
    return _F.group_norm(input, num_groups, weight, bias, eps)


def batch_norm(input: Any, weight: Any = None, bias: Any = None, running_mean: Any = None,
               running_var: Any = None, training: bool = False, momentum: float = 0.1, eps: float = 1e-5,
               cudnn_enabled: bool = True) -> Tensor:  # fmt: skip
    """Batch normalisation with ``torch.batch_norm``'s order (weight, bias before the running stats);
    training mode updates the running stats in place."""
    return _F.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)


def instance_norm(input: Any, weight: Any = None, bias: Any = None, running_mean: Any = None,
                  running_var: Any = None, use_input_stats: bool = True, momentum: float = 0.1,
                  eps: float = 1e-5, cudnn_enabled: bool = True) -> Tensor:  # fmt: skip
    """Instance normalisation with ``torch.instance_norm``'s argument order."""
    return _F.instance_norm(input, running_mean, running_var, weight, bias, use_input_stats, momentum, eps)


def rms_norm(input: Any, normalized_shape: Any, weight: Any = None, eps: float | None = None) -> Tensor:
    """x / sqrt(mean(x**2) + eps) over the trailing dims, times ``weight`` (``torch.rms_norm``)."""
    return _F.rms_norm(input, normalized_shape, weight, eps)


def bilinear(input1: Any, input2: Any, weight: Any, bias: Any = None) -> Tensor:
    """x1^T A x2 + b for each output feature (``torch.bilinear``)."""
    return _F.bilinear(input1, input2, weight, bias)


def cosine_similarity(x1: Any, x2: Any, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """Cosine of the angle between x1 and x2 along ``dim`` (``torch.cosine_similarity``)."""
    return _F.cosine_similarity(x1, x2, dim, eps)


def pairwise_distance(x1: Any, x2: Any, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> Tensor:
    """p-norm of x1 - x2 + eps along the last dim (``torch.pairwise_distance``)."""
    return _F.pairwise_distance(x1, x2, p, eps, keepdim)


def pixel_shuffle(input: Any, upscale_factor: int) -> Tensor:
    """(*, C r^2, H, W) to (*, C, H r, W r) (``torch.pixel_shuffle``)."""
    return _F.pixel_shuffle(input, upscale_factor)


def pixel_unshuffle(input: Any, downscale_factor: int) -> Tensor:
    """(*, C, H r, W r) to (*, C r^2, H, W), pixel_shuffle's inverse (``torch.pixel_unshuffle``)."""
    return _up.pixel_unshuffle(input, downscale_factor)


def channel_shuffle(input: Any, groups: int) -> Tensor:
    """Interleave the channels of ``groups`` groups (``torch.channel_shuffle``)."""
    return _F.channel_shuffle(input, groups)


def native_channel_shuffle(input: Any, groups: int) -> Tensor:
    """``channel_shuffle`` (``torch.native_channel_shuffle``)."""
    return _F.channel_shuffle(input, groups)


# ---- activations -----------------------------------------------------------------------------------------


def prelu(input: Any, weight: Any) -> Tensor:
    """max(0, x) + weight * min(0, x), weight per channel (dim 1) or one (``torch.prelu``)."""
    return _F.prelu(input, weight)


def selu(input: Any) -> Tensor:
    """Scaled ELU with the self-normalising constants (``torch.selu``)."""
    return _F.selu(input)


def celu(input: Any, alpha: float = 1.0) -> Tensor:
    """max(0, x) + min(0, alpha (exp(x / alpha) - 1)) (``torch.celu``)."""
    return _F.celu(input, alpha)


def rrelu(input: Any, lower: float = 0.125, upper: float = 1 / 3, training: bool = False,
          generator: Any = None) -> Tensor:  # fmt: skip
    """Randomised leaky ReLU: a slope drawn in [lower, upper] per element when training, their mean
    otherwise (``torch.rrelu``)."""
    return _F.rrelu(input, lower, upper, training, rng=generator)


def threshold(input: Any, threshold: float, value: float) -> Tensor:
    """x where x > threshold, else ``value`` (``torch.threshold``)."""
    return _F.threshold(input, threshold, value)


def hardshrink(input: Any, lambd: float = 0.5) -> Tensor:
    """x where |x| > lambd, else 0 (``torch.hardshrink``)."""
    return _F.hardshrink(input, lambd)


def selu_(input: Tensor) -> Tensor:
    """``selu`` in place (``torch.selu_``)."""
    return _F.selu_(input)


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """``celu`` in place (``torch.celu_``)."""
    return _F.celu_(input, alpha)


def rrelu_(input: Tensor, lower: float = 0.125, upper: float = 1 / 3, training: bool = False,
           generator: Any = None) -> Tensor:  # fmt: skip
    """``rrelu`` in place (``torch.rrelu_``)."""
    return _inplace_result(input, rrelu(input, lower, upper, training, generator))


def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:
    """``threshold`` in place (``torch.threshold_``)."""
    return _F.threshold_(input, threshold, value)


__all__ = [
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "conv_tbc",
    "dropout",
    "alpha_dropout",
    "feature_dropout",
    "feature_alpha_dropout",
    "dropout_",
    "alpha_dropout_",
    "feature_dropout_",
    "feature_alpha_dropout_",
    "embedding",
    "layer_norm",
    "group_norm",
    "batch_norm",
    "instance_norm",
    "rms_norm",
    "bilinear",
    "cosine_similarity",
    "pairwise_distance",
    "pixel_shuffle",
    "pixel_unshuffle",
    "channel_shuffle",
    "native_channel_shuffle",
    "prelu",
    "selu",
    "celu",
    "rrelu",
    "threshold",
    "hardshrink",
    "selu_",
    "celu_",
    "rrelu_",
    "threshold_",
]
