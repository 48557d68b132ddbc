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
    """One LSTM state update as one node: [h', c'] (N, 2H) from gates (N, 4H) and cell state (N, H).

    Gates in PyTorch's order i, f, g, o: c' = sigmoid(f) c + sigmoid(i) tanh(g), h' = sigmoid(o) tanh(c')."""
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


# --- a whole LSTM layer over a sequence as one node ---------------------------------------------
def _lstm_composite(x, w_ih, w_hh, h0, c0, b_ih=None, b_hh=None) -> Tensor:
    """The same layer step by step in recorded ops (the rule differentiates it under create_graph)."""
    from ..ops import linear, stack

    H = h0.shape[-1]
    h, c, ys = h0, c0, []
    for t in range(x.shape[0]):
        hc = lstm_cell_state(linear(x[t], w_ih, b_ih) + linear(h, w_hh, b_hh), c)
        h, c = hc[..., :H], hc[..., H:]
        ys.append(hc)
    return stack(ys, axis=0)


@op(family="nn", namespace="autobp.nn.functional", numpy=None, method=False)
def lstm_layer(x: Any, w_ih: Any, w_hh: Any, h0: Any, c0: Any, b_ih: Any = None, b_hh: Any = None) -> Tensor:
    """One LSTM layer over a sequence as one node: [h_t, c_t] (L, N, 2H) for x (L, N, in) from (h0, c0).

    The input products of all steps are one matrix product, and so are the weight gradients."""
    xs = [as_tensor(v) for v in (x, w_ih, w_hh, h0, c0)]
    if (b_ih is None) != (b_hh is None):
        raise ValueError("lstm_layer: give both biases or neither")
    if b_ih is not None:
        xs += [as_tensor(b_ih), as_tensor(b_hh)]
    X, Wih, Whh, h, c = (v._data for v in xs[:5])
    L, N, n_in = X.shape
    H = Whh.shape[1]
    if Wih.shape != (4 * H, n_in) or Whh.shape != (4 * H, H) or h.shape != (N, H) or c.shape != (N, H):
        raise ValueError(
            f"lstm_layer: x {X.shape}, w_ih {Wih.shape}, w_hh {Whh.shape}, h0 {h.shape}, "
            f"c0 {c.shape} do not fit"
        )
    XW = (X.reshape(L * N, n_in) @ Wih.T).reshape(L, N, 4 * H)
    if b_ih is not None:
        XW += xs[5]._data + xs[6]._data
    S = np.empty((L, N, 4 * H), dtype=XW.dtype)  # sigmoid of every gate; the g slot holds tanh(g)
    Y = np.empty((L, N, 2 * H), dtype=XW.dtype)
    TC = np.empty((L, N, H), dtype=XW.dtype)
    WhhT, tmp = Whh.T, np.empty((N, H), dtype=XW.dtype)
    for t in range(L):  # in place where possible: this loop is the layer's Python-level cost
        a = XW[t]
        a += h @ WhhT
        s = S[t]
        _kernels.sigmoid_into(a, s)
        np.tanh(a[:, 2 * H : 3 * H], out=s[:, 2 * H : 3 * H])
        c_new = Y[t, :, H:]
        np.multiply(s[:, H : 2 * H], c, out=c_new)
        np.multiply(s[:, :H], s[:, 2 * H : 3 * H], out=tmp)
        c_new += tmp
        np.tanh(c_new, out=TC[t])
        h = np.multiply(s[:, 3 * H :], TC[t], out=Y[t, :, :H])
        c = c_new
    return Tensor._make(Y, tuple(xs), "lstm_layer", (S, TC))


@rule("lstm_layer")  # ctx = (gate activations, tanh(c_t)); backprop through time in numpy
def _lstm_layer(F, g, out, xs, ctx, need):
    if not isinstance(g, np.ndarray):  # create_graph: differentiate the recorded composite instead
        from ..autograd import grad

        wanted = [i for i, n in enumerate(need) if n]
        gs = grad(_lstm_composite(*xs), [xs[i] for i in wanted], g, create_graph=True, allow_unused=True)
        res = [None] * len(xs)
        for i, gi in zip(wanted, gs):
            res[i] = gi
        return tuple(res)
    X, Wih, Whh, h0, c0 = xs[:5]
    S, TC = ctx
    L, N, n_in = X.shape
    H = Whh.shape[1]
    Hs, Cs = out[..., :H], out[..., H:]
    DA = np.empty((L, N, 4 * H), dtype=g.dtype)
    dh = np.zeros((N, H), dtype=g.dtype)
    dc = np.zeros((N, H), dtype=g.dtype)
    for t in range(L - 1, -1, -1):
        s, tc, da = S[t], TC[t], DA[t]
        i, f, gg, o = s[:, :H], s[:, H : 2 * H], s[:, 2 * H : 3 * H], s[:, 3 * H :]
        gh = g[t, :, :H] + dh
        dc2 = 1 - tc * tc
        dc2 *= gh
        dc2 *= o
        dc2 += g[t, :, H:]
        dc2 += dc  # c' reaches the loss directly, through h' and through the next step
        cp = Cs[t - 1] if t else c0
        np.multiply(dc2 * gg, i * (1 - i), out=da[:, :H])
        np.multiply(dc2 * cp, f * (1 - f), out=da[:, H : 2 * H])
        np.multiply(dc2 * i, 1 - gg * gg, out=da[:, 2 * H : 3 * H])
        np.multiply(gh * tc, o * (1 - o), out=da[:, 3 * H :])
        dc = np.multiply(dc2, f, out=dc2)
        dh = da @ Whh
    D = DA.reshape(L * N, 4 * H)
    gx = (D @ Wih).reshape(L, N, n_in) if need[0] else None
    gwih = D.T @ X.reshape(L * N, n_in) if need[1] else None
    gwhh = None
    if need[2]:
        Hprev = np.concatenate([h0[None], Hs[:-1]], axis=0) if L > 1 else h0[None]
        gwhh = D.T @ Hprev.reshape(L * N, H)
    res = [gx, gwih, gwhh, dh if need[3] else None, dc if need[4] else None]
    if len(xs) == 7:
        gb = D.sum(axis=0)
        res += [gb if need[5] else None, gb if need[6] else None]
    return tuple(res)
