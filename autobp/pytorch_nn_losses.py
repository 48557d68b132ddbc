"""PyTorch's top-level losses, pools, grid sampling, ``embedding_bag`` and recurrent cells
(``torch.kl_div``, ``torch.ctc_loss``, ``torch.max_pool2d``, ``torch.grid_sampler``, ``torch.lstm_cell``,
...) with the top-level signatures: integer reduction codes (0 none, 1 mean, 2 sum; left out it is
0, no reduction, as PyTorch's top-level functions behave although their schemas list 1), ``stride=[]``
for "the kernel size", integer mode codes, tuples where the top-level op returns several tensors. The losses
and pools delegate to ``autobp.nn.functional``; the cells are matmuls and activations, so everything
differentiates by autobp's ops."""

from __future__ import annotations

from typing import Any

import numpy as np

from .nn import functional as _F
from .ops import matmul, relu, sigmoid, tanh
from .ops._args import as_tensor
from .pytorch_nn_toplevel import _reduce, _reduction
from .tensor import Tensor

# ---- losses ----------------------------------------------------------------------------------------------


def kl_div(input: Any, target: Any, reduction: Any = 0, *, log_target: bool = False) -> Tensor:
    """Pointwise KL divergence target * (log target - input), input holding log-probabilities;
    reduction 1 is the mean over every element, 0 (the default) none (``torch.kl_div``)."""
    return _F.kl_div(input, target, reduction=_reduction(reduction, "kl_div"), log_target=log_target)


def poisson_nll_loss(
    input: Any, target: Any, log_input: bool, full: bool, eps: float, reduction: Any
) -> Tensor:
    """Poisson negative log-likelihood (``torch.poisson_nll_loss``: every argument positional)."""
    red = _reduction(reduction, "poisson_nll_loss")
    return _F.poisson_nll_loss(input, target, log_input, full, eps=eps, reduction=red)


def binary_cross_entropy_with_logits(input: Any, target: Any, weight: Any = None, pos_weight: Any = None,
                                     reduction: Any = 0) -> Tensor:  # fmt: skip
    """Binary cross-entropy of sigmoid(input), ``weight`` rescaling each element and ``pos_weight`` the
    positive term (``torch.binary_cross_entropy_with_logits``)."""
    red = _reduction(reduction, "binary_cross_entropy_with_logits")
    loss = _F.binary_cross_entropy_with_logits(input, target, pos_weight=pos_weight, reduction="none")
    if weight is not None:
        loss = loss * as_tensor(weight)
    return _reduce(loss, red)


def cosine_embedding_loss(
    input1: Any, input2: Any, target: Any, margin: float = 0.0, reduction: Any = 0
) -> Tensor:
    """1 - cos(x1, x2) for target 1, max(0, cos - margin) for -1 (``torch.cosine_embedding_loss``)."""
    red = _reduction(reduction, "cosine_embedding_loss")
    return _F.cosine_embedding_loss(input1, input2, target, margin, reduction=red)


def hinge_embedding_loss(input: Any, target: Any, margin: float = 1.0, reduction: Any = 0) -> Tensor:
    """x for target 1, max(0, margin - x) for -1 (``torch.hinge_embedding_loss``)."""
    red = _reduction(reduction, "hinge_embedding_loss")
    return _F.hinge_embedding_loss(input, target, margin, reduction=red)


def margin_ranking_loss(
    input1: Any, input2: Any, target: Any, margin: float = 0.0, reduction: Any = 0
) -> Tensor:
    """max(0, -y (x1 - x2) + margin) (``torch.margin_ranking_loss``)."""
    red = _reduction(reduction, "margin_ranking_loss")
    return _F.margin_ranking_loss(input1, input2, target, margin, reduction=red)


def triplet_margin_loss(anchor: Any, positive: Any, negative: Any, margin: float = 1.0, p: float = 2.0,
                        eps: float = 1e-6, swap: bool = False, reduction: Any = 0) -> Tensor:  # fmt: skip
    """max(0, d(a, p) - d(a, n) + margin) with p-norm distances (``torch.triplet_margin_loss``)."""
    red = _reduction(reduction, "triplet_margin_loss")
    return _F.triplet_margin_loss(anchor, positive, negative, margin, p, eps, swap, reduction=red)


def ctc_loss(log_probs: Any, targets: Any, input_lengths: Any, target_lengths: Any, blank: int = 0,
             reduction: Any = 0, zero_infinity: bool = False) -> Tensor:  # fmt: skip
    """Connectionist temporal classification loss (``torch.ctc_loss``; reduction 1 divides each loss by
    its target length, then averages; 0, the default, gives one loss per sequence)."""
    red = _reduction(reduction, "ctc_loss")
    return _F.ctc_loss(log_probs, targets, input_lengths, target_lengths, blank, red, zero_infinity)


# ---- pooling ---------------------------------------------------------------------------------------------


def _stride(stride: Any) -> Any:
    """PyTorch's top-level default ``stride=[]``: the kernel size (F's None)."""
    return None if stride is None or (isinstance(stride, (list, tuple)) and len(stride) == 0) else stride


def max_pool1d(input: Any, kernel_size: Any, stride: Any = (), padding: Any = 0, dilation: Any = 1,
               ceil_mode: bool = False) -> Tensor:  # fmt: skip
    """1-D max pooling (``torch.max_pool1d``)."""
    return _F.max_pool1d(input, kernel_size, _stride(stride), padding, dilation, ceil_mode)


def max_pool2d(input: Any, kernel_size: Any, stride: Any = (), padding: Any = 0, dilation: Any = 1,
               ceil_mode: bool = False) -> Tensor:  # fmt: skip
    """2-D max pooling (``torch.max_pool2d``)."""
    return _F.max_pool2d(input, kernel_size, _stride(stride), padding, dilation, ceil_mode)


def max_pool3d(input: Any, kernel_size: Any, stride: Any = (), padding: Any = 0, dilation: Any = 1,
               ceil_mode: bool = False) -> Tensor:  # fmt: skip
    """3-D max pooling (``torch.max_pool3d``)."""
    return _F.max_pool3d(input, kernel_size, _stride(stride), padding, dilation, ceil_mode)


def max_pool1d_with_indices(input: Any, kernel_size: Any, stride: Any = (), padding: Any = 0,
                            dilation: Any = 1, ceil_mode: bool = False) -> tuple:  # fmt: skip
    """1-D max pooling and the flat positions of the maxima (``torch.max_pool1d_with_indices``)."""
    s = _stride(stride)
    return tuple(_F.max_pool1d(input, kernel_size, s, padding, dilation, ceil_mode, return_indices=True))


def avg_pool1d(input: Any, kernel_size: Any, stride: Any = (), padding: Any = 0, ceil_mode: bool = False,
               count_include_pad: bool = True) -> Tensor:  # fmt: skip
    """1-D average pooling (``torch.avg_pool1d``)."""
    return _F.avg_pool1d(input, kernel_size, _stride(stride), padding, ceil_mode, count_include_pad)


def adaptive_avg_pool1d(input: Any, output_size: Any) -> Tensor:
    """1-D average pooling to ``output_size`` (``torch.adaptive_avg_pool1d``)."""
    return _F.adaptive_avg_pool1d(input, output_size)


def adaptive_max_pool1d(input: Any, output_size: Any) -> tuple:
    """1-D max pooling to ``output_size``: (values, indices), as ``torch.adaptive_max_pool1d`` returns."""
    return tuple(_F.adaptive_max_pool1d(input, output_size, return_indices=True))


# ---- grids -----------------------------------------------------------------------------------------------


def affine_grid_generator(theta: Any, size: Any, align_corners: bool) -> Tensor:
    """The sampling grid of affine maps ``theta`` (``torch.affine_grid_generator``)."""
    return _F.affine_grid(theta, list(size), align_corners=bool(align_corners))


_INTERP = {0: "bilinear", 1: "nearest", 2: "bicubic"}
_PADDING = {0: "zeros", 1: "border", 2: "reflection"}


def grid_sampler(
    input: Any, grid: Any, interpolation_mode: int, padding_mode: int, align_corners: bool
) -> Tensor:
    """``grid_sample`` with integer codes: interpolation 0 bilinear, 1 nearest, 2 bicubic; padding 0
    zeros, 1 border, 2 reflection (``torch.grid_sampler``)."""
    if interpolation_mode not in _INTERP or padding_mode not in _PADDING:
        raise ValueError(
            f"grid_sampler: interpolation_mode in 0..2 and padding_mode in 0..2 expected, got "
            f"{interpolation_mode!r} and {padding_mode!r}"
        )
    return _F.grid_sample(
        input, grid, _INTERP[interpolation_mode], _PADDING[padding_mode], align_corners=bool(align_corners)
    )


# ---- embedding_bag ---------------------------------------------------------------------------------------


def embedding_bag(weight: Any, indices: Any, offsets: Any, scale_grad_by_freq: bool = False, mode: int = 0,
                  sparse: bool = False, per_sample_weights: Any = None, include_last_offset: bool = False,
                  padding_idx: int | None = None) -> tuple:  # fmt: skip
    """Sums (mode 0), means (1) or maxima (2) of bags of embedding rows: (output, offset2bag, bag_size,
    max_indices) as ``torch.embedding_bag`` (weight first) returns; the last three are integer
    bookkeeping (max_indices holds the weight rows of the maxima in mode 2)."""
    names = {0: "sum", 1: "mean", 2: "max"}
    if mode not in names:
        raise ValueError(f"embedding_bag: mode must be 0 (sum), 1 (mean) or 2 (max), got {mode!r}")
    pad = None if padding_idx is None or padding_idx < 0 else int(padding_idx)
    out = _F.embedding_bag(
        indices, weight, offsets, scale_grad_by_freq=scale_grad_by_freq, mode=names[mode], sparse=sparse,
        per_sample_weights=per_sample_weights, include_last_offset=include_last_offset, padding_idx=pad,
    )  # fmt: skip
    idx = np.asarray(as_tensor(indices)._data).reshape(-1).astype(np.int64)
    off = np.asarray(as_tensor(offsets)._data).reshape(-1).astype(np.int64)
    nbags = out.shape[0]
    bags = np.zeros(nbags, np.int64)
    bag_of = np.searchsorted(off, np.arange(idx.size), side="right") - 1
    if mode == 0:  # offset2bag always filled (PyTorch leaves it empty in sum mode when no gradient needs it)
        return out, Tensor._const(bag_of), Tensor._const(bags), Tensor._const(bags.copy())
    valid = np.ones(idx.size, bool) if pad is None else idx != pad
    np.add.at(bags, bag_of[valid & (bag_of < nbags)], 1)
    if mode == 1:
        return out, Tensor._const(bag_of), Tensor._const(bags), Tensor._const(bags.copy())
    w = np.asarray(as_tensor(weight)._data)
    rows = np.zeros((nbags, w.shape[1]), np.int64)
    for b in range(nbags):
        members = idx[(bag_of == b) & valid]
        if members.size:
            rows[b] = members[np.argmax(w[members], axis=0)]
    return out, Tensor._const(bag_of), Tensor._const(bags), Tensor._const(rows)


# ---- recurrent cells -------------------------------------------------------------------------------------


def _affine(x: Tensor, w: Any, b: Any) -> Tensor:
    out = matmul(x, as_tensor(w).mT)
    return out if b is None else out + as_tensor(b)


def _cell_inputs(input: Any, hx: Any, w_ih: Any, w_hh: Any, gates: int, who: str) -> tuple:
    x, h = as_tensor(input), as_tensor(hx)
    wi, wh = as_tensor(w_ih), as_tensor(w_hh)
    hidden = h.shape[-1]
    if wi.ndim != 2 or wh.shape != (gates * hidden, hidden) or wi.shape != (gates * hidden, x.shape[-1]):
        raise ValueError(
            f"{who}: w_ih ({gates} * hidden, input) and w_hh ({gates} * hidden, hidden) expected for input "
            f"{x.shape} and hidden {h.shape}, got {wi.shape} and {wh.shape}"
        )
    return x, h


def lstm_cell(input: Any, hx: Any, w_ih: Any, w_hh: Any, b_ih: Any = None, b_hh: Any = None) -> tuple:
    """One LSTM step: ``hx`` is (h, c); gates i, f, g, o stacked in the weights' rows as PyTorch lays
    them out; returns (h', c') (``torch.lstm_cell``)."""
    if len(hx) != 2:
        raise ValueError(f"lstm_cell: hx must be (h, c), got {len(hx)} tensors")
    x, h = _cell_inputs(input, hx[0], w_ih, w_hh, 4, "lstm_cell")
    gates = _affine(x, w_ih, b_ih) + _affine(h, w_hh, b_hh)
    i, f, g, o = gates.chunk(4, -1)
    c = sigmoid(f) * as_tensor(hx[1]) + sigmoid(i) * tanh(g)
    return sigmoid(o) * tanh(c), c


def gru_cell(input: Any, hx: Any, w_ih: Any, w_hh: Any, b_ih: Any = None, b_hh: Any = None) -> Tensor:
    """One GRU step, gates r, z, n in PyTorch's layout: n = tanh(W_in x + b_in + r (W_hn h + b_hn)),
    h' = (1 - z) n + z h (``torch.gru_cell``)."""
    x, h = _cell_inputs(input, hx, w_ih, w_hh, 3, "gru_cell")
    xr, xz, xn = _affine(x, w_ih, b_ih).chunk(3, -1)
    hr, hz, hn = _affine(h, w_hh, b_hh).chunk(3, -1)
    r, z = sigmoid(xr + hr), sigmoid(xz + hz)
    n = tanh(xn + r * hn)
    return (1 - z) * n + z * h


def rnn_tanh_cell(input: Any, hx: Any, w_ih: Any, w_hh: Any, b_ih: Any = None, b_hh: Any = None) -> Tensor:
    """tanh(W_ih x + b_ih + W_hh h + b_hh) (``torch.rnn_tanh_cell``)."""
    x, h = _cell_inputs(input, hx, w_ih, w_hh, 1, "rnn_tanh_cell")
    return tanh(_affine(x, w_ih, b_ih) + _affine(h, w_hh, b_hh))


def rnn_relu_cell(input: Any, hx: Any, w_ih: Any, w_hh: Any, b_ih: Any = None, b_hh: Any = None) -> Tensor:
    """relu(W_ih x + b_ih + W_hh h + b_hh) (``torch.rnn_relu_cell``)."""
    x, h = _cell_inputs(input, hx, w_ih, w_hh, 1, "rnn_relu_cell")
    return relu(_affine(x, w_ih, b_ih) + _affine(h, w_hh, b_hh))


__all__ = [
    "kl_div",
    "poisson_nll_loss",
    "binary_cross_entropy_with_logits",
    "cosine_embedding_loss",
    "hinge_embedding_loss",
    "margin_ranking_loss",
    "triplet_margin_loss",
    "ctc_loss",
    "max_pool1d",
    "max_pool2d",
    "max_pool3d",
    "max_pool1d_with_indices",
    "avg_pool1d",
    "adaptive_avg_pool1d",
    "adaptive_max_pool1d",
    "affine_grid_generator",
    "grid_sampler",
    "embedding_bag",
    "lstm_cell",
    "gru_cell",
    "rnn_tanh_cell",
    "rnn_relu_cell",
]
