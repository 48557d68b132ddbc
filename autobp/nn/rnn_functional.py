"""The LSTM cell's state update as one declared op: from the gate pre-activations and the old cell
state to [h', c'] in one node (instead of about ten), with a rule written in ops for every order."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _kernels
from ..ops import sigmoid, tanh
from ..ops._args import as_tensor
from ..ops._decl import op
from ..rules import rule
from ..tensor import Tensor


@op(family="nn", namespace="autobp.nn.functional", numpy=None, method=False)
def lstm_cell_state(gates: Any, c: Any) -> Tensor:
    """[h', c'] (N, 2H) of an LSTM step from gate pre-activations (N, 4H), PyTorch's order i, f, g, o,
    and the cell state c (N, H): c' = sigmoid(f) c + sigmoid(i) tanh(g), h' = sigmoid(o) tanh(c')."""
    a, c = as_tensor(gates), as_tensor(c)
    H = c.shape[-1]
    if a.shape[:-1] != c.shape[:-1] or a.shape[-1] != 4 * H:
        raise ValueError(f"lstm_cell_state: gates {a.shape} must be (..., 4 * {H}) for cell state {c.shape}")
    s = _kernels.sigmoid_of(a._data)
    gg = np.tanh(a._data[..., 2 * H : 3 * H])
    c2 = s[..., H : 2 * H] * c._data + s[..., :H] * gg
    tc = np.tanh(c2)
    out = np.concatenate([s[..., 3 * H :] * tc, c2], axis=-1)
    return Tensor._make(out, (a, c), "lstm_cell_state", (s, gg, tc))


@rule("lstm_cell_state")  # ctx = (sigmoid(gates), tanh(g), tanh(c')), each rebuilt from xs under create_graph
def _lstm_cell_state(F, g, out, xs, ctx, need):
    a, c = xs
    H = c.shape[-1]
    s = F.saved(ctx[0], lambda: sigmoid(a))
    gg = F.saved(ctx[1], lambda: tanh(a[..., 2 * H : 3 * H]))
    i, f, o = s[..., :H], s[..., H : 2 * H], s[..., 3 * H :]
    tc = F.saved(ctx[2], lambda: tanh(f * c + i * gg))
    gh, gc = g[..., :H], g[..., H:]
    dc2 = gc + gh * o * (1.0 - tc * tc)  # c' reaches the loss directly and through h'
    parts = [
        dc2 * gg * i * (1.0 - i),
        dc2 * c * f * (1.0 - f),
        dc2 * i * (1.0 - gg * gg),
        gh * tc * o * (1.0 - o),
    ]
    ga = F.concatenate(parts, axis=-1) if need[0] else None
    return ga, (dc2 * f if need[1] else None)
