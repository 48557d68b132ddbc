"""PyTorch's top-level multi-layer recurrent functions ``torch.lstm``, ``torch.gru``, ``torch.rnn_tanh``,
``torch.rnn_relu`` (the padded-input form: input, hx, flat params, has_biases, num_layers, dropout,
train, bidirectional, batch_first), run step by step with the cells of ``pytorch_nn_losses``, so they
differentiate by autobp's ops; and ``embedding_renorm_``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .nn import functional as _F
from .ops import concatenate, stack
from .ops._args import as_tensor
from .pytorch_nn_losses import gru_cell, lstm_cell, rnn_relu_cell, rnn_tanh_cell
from .tensor import Tensor


def _run(cell: Callable[..., Any], is_lstm: bool, input: Any, hx: Any, params: Any, has_biases: bool,
         num_layers: int, dropout: float, train: bool, bidirectional: bool, batch_first: bool,
         who: str) -> tuple:  # fmt: skip
    x = as_tensor(input)
    if x.ndim != 3:
        raise ValueError(
            f"{who}: a (T, B, input) input ((B, T, input) with batch_first) expected, got {x.shape}"
        )
    if batch_first:
        x = x.swapaxes(0, 1)
    dirs = 2 if bidirectional else 1
    per = 4 if has_biases else 2
    params = list(params)
    if len(params) != num_layers * dirs * per:
        raise ValueError(
            f"{who}: {num_layers * dirs * per} params expected for {num_layers} layers, "
            f"{'bi' if bidirectional else 'uni'}directional, has_biases={has_biases}; got {len(params)}"
        )
    h0 = as_tensor(hx[0] if is_lstm else hx)
    c0 = as_tensor(hx[1]) if is_lstm else None
    if h0.ndim != 3 or h0.shape[0] != num_layers * dirs:
        raise ValueError(f"{who}: hx of shape ({num_layers * dirs}, B, hidden) expected, got {h0.shape}")
    h_out, c_out = [], []
    for layer in range(num_layers):
        outs = []
        for d in range(dirs):
            k = layer * dirs + d
            w = params[k * per : (k + 1) * per]
            biases = (w[2], w[3]) if has_biases else (None, None)
            h = h0[k]
            c = c0[k] if is_lstm else None
            steps = range(x.shape[0] - 1, -1, -1) if d == 1 else range(x.shape[0])
            ys = {}
            for t in steps:
                if is_lstm:
                    h, c = cell(x[t], (h, c), w[0], w[1], *biases)
                else:
                    h = cell(x[t], h, w[0], w[1], *biases)
                ys[t] = h
            outs.append(stack([ys[t] for t in range(x.shape[0])]))
            h_out.append(h)
            c_out.append(c)
        x = outs[0] if dirs == 1 else concatenate(outs, axis=-1)
        if dropout and train and layer < num_layers - 1:
            x = _F.dropout(x, dropout, True)
    out = x.swapaxes(0, 1) if batch_first else x
    return (out, stack(h_out), stack(c_out)) if is_lstm else (out, stack(h_out))


def lstm(input: Any, hx: Any, params: Any, has_biases: bool, num_layers: int, dropout: float, train: bool,
         bidirectional: bool, batch_first: bool) -> tuple:  # fmt: skip
    """A multi-layer LSTM over a padded sequence: (output, h_n, c_n) (``torch.lstm``; ``hx`` is (h0, c0),
    ``params`` per layer and direction w_ih, w_hh[, b_ih, b_hh])."""
    return _run(lstm_cell, True, input, hx, params, has_biases, num_layers, dropout, train, bidirectional,
                batch_first, "lstm")  # fmt: skip


def gru(input: Any, hx: Any, params: Any, has_biases: bool, num_layers: int, dropout: float, train: bool,
        bidirectional: bool, batch_first: bool) -> tuple:  # fmt: skip
    """A multi-layer GRU over a padded sequence: (output, h_n) (``torch.gru``)."""
    return _run(gru_cell, False, input, hx, params, has_biases, num_layers, dropout, train, bidirectional,
                batch_first, "gru")  # fmt: skip


def rnn_tanh(input: Any, hx: Any, params: Any, has_biases: bool, num_layers: int, dropout: float, train: bool,
             bidirectional: bool, batch_first: bool) -> tuple:  # fmt: skip
    """A multi-layer Elman RNN with tanh: (output, h_n) (``torch.rnn_tanh``)."""
    flags = (has_biases, num_layers, dropout, train, bidirectional, batch_first)
    return _run(rnn_tanh_cell, False, input, hx, params, *flags, "rnn_tanh")  # fmt: skip


def rnn_relu(input: Any, hx: Any, params: Any, has_biases: bool, num_layers: int, dropout: float, train: bool,
             bidirectional: bool, batch_first: bool) -> tuple:  # fmt: skip
    """A multi-layer Elman RNN with ReLU: (output, h_n) (``torch.rnn_relu``)."""
    flags = (has_biases, num_layers, dropout, train, bidirectional, batch_first)
    return _run(rnn_relu_cell, False, input, hx, params, *flags, "rnn_relu")  # fmt: skip


def embedding_renorm_(input: Tensor, indices: Any, max_norm: float, norm_type: float) -> Tensor:
    """Scale each row of ``input`` named in ``indices`` whose ``norm_type``-norm exceeds ``max_norm`` down
    to max_norm / (norm + 1e-7), in place and unrecorded (``torch.embedding_renorm_``)."""
    if not isinstance(input, Tensor):
        raise TypeError(f"embedding_renorm_: a Tensor expected, got {type(input).__name__}")
    rows = np.unique(np.asarray(indices.data if isinstance(indices, Tensor) else indices).reshape(-1))
    data = input._data
    norms = np.linalg.norm(data[rows].reshape(len(rows), -1), ord=norm_type, axis=1)
    scale = np.where(norms > max_norm, max_norm / (norms + 1e-7), 1.0)
    data[rows] = data[rows] * scale.reshape((-1,) + (1,) * (data.ndim - 1)).astype(data.dtype)
    return input


__all__ = ["lstm", "gru", "rnn_tanh", "rnn_relu", "embedding_renorm_"]
