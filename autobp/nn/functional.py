"""Losses and layer functions written with Tensor ops only, so the engine differentiates them.

Each loss takes ``reduction="mean" | "sum" | "none"`` (PyTorch's meaning) and checks shapes and values.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._autocast import autocasts
from .._broadcast import ShapeError
from ..ops import linear as ops_linear
from ..ops._decl import op
from ..ops.activations import (  # noqa: F401  nn.functional re-exports the activation ops
    celu,
    elu,
    gelu,
    glu,
    hardshrink,
    hardsigmoid,
    hardswish,
    hardtanh,
    leaky_relu,
    logsigmoid,
    mish,
    normalize,
    prelu,
    relu6,
    selu,
    silu,
    softmin,
    softplus,
    softshrink,
    softsign,
    tanhshrink,
    threshold,
)
from ..ops.activations import threshold as _threshold
from ..ops.inplace_methods import honours_inplace
from ..ops.nnops import log_softmax, softmax  # noqa: F401  PyTorch users call F.softmax(x, dim=1)
from ..tensor import Tensor
from ._bce import bce_pointwise
from ._loss_common import as_tensor as _as_tensor
from ._loss_common import float_target

_ACTIVATIONS = (
    "celu elu gelu glu hardshrink hardsigmoid hardswish hardtanh leaky_relu logsigmoid mish".split()
)
_ACTIVATIONS += (
    "normalize prelu relu6 selu silu softmin softplus softshrink softsign tanhshrink threshold".split()
)

_REDUCTIONS = ("mean", "sum", "none")


def _reduce(loss: Tensor, reduction: str, who: str) -> Tensor:
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    if reduction == "none":
        return loss
    raise ValueError(f"{who}: reduction must be one of {_REDUCTIONS}, got {reduction!r}")


def _pair(input: Any, target: Any, who: str) -> tuple[Tensor, Tensor]:
    """Input and target as Tensors of the same shape (broadcasting here usually hides a bug)."""
    x = _as_tensor(input)
    t = float_target(_as_tensor(target, x), x)
    if x.shape != t.shape:
        raise ValueError(f"{who}: input shape {x.shape} and target shape {t.shape} differ")
    return x, t


def linear(x: Any, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """x @ weight.T + bias (weight shaped (out, in))."""
    return ops_linear(_as_tensor(x, weight), weight, bias)


def sigmoid(x: Tensor) -> Tensor:
    """Elementwise logistic 1 / (1 + e^-x) (``autobp.sigmoid``)."""
    return _as_tensor(x).sigmoid()


def tanh(x: Tensor) -> Tensor:
    """Elementwise hyperbolic tangent (``autobp.tanh``)."""
    return _as_tensor(x).tanh()


@honours_inplace
def relu(input: Any, inplace: bool = False) -> Tensor:
    """Elementwise max(0, x) (``autobp.relu``); ``inplace=True`` writes it into ``input``."""
    return _as_tensor(input).relu()


def relu_(input: Tensor) -> Tensor:
    """max(0, x) written into ``input`` (PyTorch's ``F.relu_``)."""
    return relu(input, inplace=True)


def elu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """``elu`` written into ``input``."""
    return elu(input, alpha, inplace=True)


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """``celu`` written into ``input``."""
    return celu(input, alpha, inplace=True)


def selu_(input: Tensor) -> Tensor:
    """``selu`` written into ``input``."""
    return selu(input, inplace=True)


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    """``leaky_relu`` written into ``input``."""
    return leaky_relu(input, negative_slope, inplace=True)


def hardtanh_(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    """``hardtanh`` written into ``input``."""
    return hardtanh(input, min_val, max_val, inplace=True)


def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:  # noqa: F811  PyTorch's argument name
    """``threshold`` written into ``input``."""
    return _threshold(input, threshold, value, inplace=True)


def rrelu_(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False) -> Tensor:
    """``rrelu`` written into ``input``."""
    from .activation import rrelu

    return rrelu(input, lower, upper, training, inplace=True)


def sse_loss(input: Any, target: Any, tolerance: float | None = None, reduction: str = "sum") -> Tensor:
    """The 1986 paper's error E = 1/2 sum (y - d)^2 (halved squared error; ``reduction="sum"`` default).

    With ``tolerance=0.2`` (targets must be 0 or 1) it is the paper's margin: an output that should be
    1 costs nothing above 1 - 0.2 = 0.8 and 1/2 (0.8 - y)^2 below it; one that should be 0 costs nothing
    below 0.2 and 1/2 (y - 0.2)^2 above it [Hinton 1986, families, p. 11]. The gradient is continuous.

    >>> float(sse_loss(np.array([0.9, 0.5]), np.array([1.0, 0.0]), tolerance=0.2))
    0.045
    """
    y, d = _pair(input, target, "sse_loss")
    if tolerance is None:
        diff = y - d
    else:
        if not 0 <= tolerance < 0.5:
            raise ValueError(f"sse_loss: tolerance must be in [0, 0.5), got {tolerance}")
        on, off = d.data == 1, d.data == 0
        if not np.all(on | off):
            bad = d.data[~(on | off)].ravel()[:3]
            raise ValueError(f"sse_loss: tolerance needs targets of exactly 0 or 1, got values like {bad}")
        # sign s = +1 where the target is on, -1 where off: the shortfall s * (d' - y) counts only if > 0
        s = np.where(on, 1.0, -1.0).astype(y.dtype)
        edge = np.where(on, 1 - tolerance, tolerance).astype(y.dtype)
        diff = ((edge - y) * s).relu()
    return _reduce(0.5 * diff * diff, reduction, "sse_loss")


@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def mse_loss(
    input: Any,
    target: Any,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    weight: Any = None,
) -> Tensor:
    """(input - target)^2, averaged by default (PyTorch's ``mse_loss`` and signature; no 1/2 factor).

    ``weight`` (the input's shape) scales each squared error, and 'mean' is then the weighted mean
    sum(w e) / sum(w), as PyTorch's; ``size_average``/``reduce`` are the deprecated flags."""
    from ._loss_common import legacy_reduction

    reduction = legacy_reduction(size_average, reduce, reduction)
    from ._loss_common import broadcast_pair

    x, t = broadcast_pair(input, target, "mse_loss")
    diff = x - t
    if weight is None:
        return _reduce(diff * diff, reduction, "mse_loss")
    from .losses import _elementwise_weight

    w = _elementwise_weight(weight, x, "mse_loss")
    loss = diff * diff * w
    return loss.sum() / w.sum() if reduction == "mean" else _reduce(loss, reduction, "mse_loss")


@op(family="nn", namespace="autobp.nn.functional", numpy=None, method=False, rules=("binary_cross_entropy",))
@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def binary_cross_entropy(
    input: Any,
    target: Any,
    weight: Any = None,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
) -> Tensor:
    """-(t log p + (1 - t) log(1 - p)) for probabilities p in [0, 1]; each log is floored at -100
    (as PyTorch does) so p = 0 or 1 gives a finite loss. Prefer the ``_with_logits`` form for training.

    PyTorch's signature: ``weight`` (broadcast to the input) scales each element's loss, and the mean
    stays the plain mean over elements; ``size_average``/``reduce`` are the deprecated flags."""
    from ._loss_common import legacy_reduction

    reduction = legacy_reduction(size_average, reduce, reduction)
    p, t = _as_tensor(input), None
    t = float_target(_as_tensor(target, p), p)
    if p.shape != t.shape:  # PyTorch's ValueError and words
        raise ValueError(
            f"Using a target size ({t.shape}) that is different to the input size ({p.shape}) is deprecated. "
            "Please ensure they have the same size."
        )
    if np.any((p.data < 0) | (p.data > 1)) or np.any(np.isnan(p.data)):
        raise ShapeError(
            "binary_cross_entropy: all elements of input should be between 0 and 1: input must be "
            "probabilities in [0, 1]; use the _with_logits form"
        )
    loss = bce_pointwise(p, t)  # PyTorch's gradients, also at p = 0 and 1
    if weight is not None:
        loss = loss * _as_tensor(weight, p)
    return _reduce(loss, reduction, "binary_cross_entropy")


@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def binary_cross_entropy_with_logits(
    input: Any,
    target: Any,
    weight: Any = None,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    pos_weight: Any = None,
) -> Tensor:
    """Binary cross-entropy of sigmoid(x), stable for any x: t*softplus(-x) + (1-t)*softplus(x).

    PyTorch's signature: ``pos_weight`` multiplies the positive term, ``weight`` (broadcast) each
    element's loss, the mean stays the plain mean over elements; ``size_average``/``reduce`` are the
    deprecated flags.
    """
    from ._loss_common import legacy_reduction

    reduction = legacy_reduction(size_average, reduce, reduction)
    x, t = _pair(input, target, "binary_cross_entropy_with_logits")
    inf = float("inf")  # no linear cut-off: the gradient is sigmoid(x) - t exactly, for any x
    pos = softplus(-x, threshold=inf) * t
    if pos_weight is not None:
        pos = pos * _as_tensor(pos_weight, x)
    loss = pos + softplus(x, threshold=inf) * (1 - t)
    if weight is not None:
        loss = loss * _as_tensor(weight, x)
    return _reduce(loss, reduction, "binary_cross_entropy_with_logits")


__all__ = [
    "linear",
    "sigmoid",
    "tanh",
    "relu",
    "softplus",
    "sse_loss",
    "mse_loss",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "softmax",
    "log_softmax",
    *(n for n in _ACTIVATIONS if n != "softplus"),
]

# nll_loss, cross_entropy (fused fast path, weights, ignore_index, smoothing) and PyTorch's other losses
from .losses import *  # noqa: E402, F403
from .losses import __all__ as _losses_all  # noqa: E402

__all__ += [n for n in _losses_all if n not in __all__]

# --- layer functions of their own modules (declared ops and compositions), re-exported here ---------
from .attention import scaled_dot_product_attention  # noqa: E402
from .conv_functional import (  # noqa: E402
    conv1d,
    conv2d,
    conv3d,
    conv_transpose1d,
    conv_transpose2d,
    conv_transpose3d,
)
from .dropout import dropout, dropout1d, dropout2d, dropout3d  # noqa: E402
from .embedding import embedding  # noqa: E402
from .fold import fold, unfold  # noqa: E402
from .layers import bilinear  # noqa: E402
from .normalization_functional import batch_norm, group_norm, instance_norm, layer_norm, rms_norm  # noqa: E402
from .pooling import (  # noqa: E402
    adaptive_avg_pool1d,
    adaptive_avg_pool2d,
    adaptive_avg_pool3d,
    adaptive_max_pool1d,
    adaptive_max_pool2d,
    adaptive_max_pool3d,
    avg_pool1d,
    avg_pool2d,
    avg_pool3d,
    lp_pool1d,
    lp_pool2d,
    lp_pool3d,
    max_pool1d,
    max_pool2d,
    max_pool3d,
)
from .rnn_functional import lstm_cell_state, lstm_layer  # noqa: E402
from .upsampling import interpolate, pixel_shuffle, pixel_unshuffle  # noqa: E402

__all__ += [
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "fold",
    "unfold",
]
__all__ += ["dropout", "dropout1d", "dropout2d", "embedding", "bilinear"]
__all__ += ["batch_norm", "group_norm", "instance_norm", "layer_norm", "rms_norm"]
__all__ += ["max_pool1d", "max_pool2d", "avg_pool1d", "avg_pool2d", "lp_pool1d", "lp_pool2d"]
__all__ += ["adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_max_pool1d", "adaptive_max_pool2d"]
__all__ += ["scaled_dot_product_attention", "lstm_cell_state", "lstm_layer"]
__all__ += ["interpolate", "pixel_shuffle", "pixel_unshuffle"]

from .padding import cosine_similarity, one_hot, pad  # noqa: E402

__all__ += ["pad", "one_hot", "cosine_similarity"]
__all__ += [
    "dropout3d",
    "max_pool3d",
    "avg_pool3d",
    "adaptive_avg_pool3d",
    "adaptive_max_pool3d",
    "lp_pool3d",
]

from .activation import rrelu  # noqa: E402
from .dropout import alpha_dropout, feature_alpha_dropout  # noqa: E402
from .local_response_norm import local_response_norm  # noqa: E402
from .upsampling import channel_shuffle  # noqa: E402

__all__ += ["rrelu", "alpha_dropout", "feature_alpha_dropout", "local_response_norm", "channel_shuffle"]
from .label_and_distance_losses import multilabel_margin_loss, triplet_margin_with_distance_loss  # noqa: E402

__all__ += ["multilabel_margin_loss", "triplet_margin_with_distance_loss"]
from .pooling import max_unpool1d, max_unpool2d, max_unpool3d  # noqa: E402

__all__ += ["max_unpool1d", "max_unpool2d", "max_unpool3d"]
from .embedding_bag import embedding_bag  # noqa: E402

__all__ += ["embedding_bag"]
from .ctc import ctc_loss  # noqa: E402

__all__ += ["ctc_loss"]
from .functional_torch import *  # noqa: E402, F403  gumbel_softmax, *_with_indices, upsample*, pdist
from .functional_torch import __all__ as _functional_torch_all  # noqa: E402
from .grid_sampling import affine_grid, grid_sample  # noqa: E402

__all__ += _functional_torch_all + ["grid_sample", "affine_grid"]
from .fractional_pooling import (  # noqa: E402
    fractional_max_pool2d,
    fractional_max_pool2d_with_indices,
    fractional_max_pool3d,
    fractional_max_pool3d_with_indices,
)

__all__ += [
    "fractional_max_pool2d",
    "fractional_max_pool2d_with_indices",
    "fractional_max_pool3d",
    "fractional_max_pool3d_with_indices",
]

from .linear_cross_entropy import linear_cross_entropy  # noqa: E402
from .mha_functional import multi_head_attention_forward  # noqa: E402

__all__ += ["linear_cross_entropy", "multi_head_attention_forward"]

from ..pytorch_nn_toplevel import conv_tbc  # noqa: E402  (PyTorch's F.conv_tbc is torch.conv_tbc)
from . import grad  # noqa: E402, F401  (F.grad: PyTorch's functional names the torch.nn.grad module)

__all__ += ["conv_tbc"]
