"""The LSTM cell's state update as one declared op: from the gate pre-activations and the old cell
state to [h', c'] in one node (instead of about ten), with a rule written in ops for every order."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _kernels
from ..ops import sigmoid, tanh
from ..ops._args import NOT_YET, as_tensor, refuse_complex
from ..ops._decl import op
from ..rules import rule
from ..tensor import Tensor


@op(family="nn", namespace="autobp.nn.functional", numpy=None, method=False)
def lstm_cell_state(gates: Any, c: Any) -> Tensor:
    """One LSTM state update as one node: [h', c'] (N, 2H) from gates (N, 4H) and cell state (N, H).

    Gates in PyTorch's order i, f, g, o: c' = sigmoid(f) c + sigmoid(i) tanh(g), h' = sigmoid(o) tanh(c')."""
    a, c = as_tensor(gates), as_tensor(c)
    for v in (a, c):  # its fused rule does not conjugate the saved sigmoids and tanhs
        refuse_complex(v, "lstm_cell_state", NOT_YET)
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


def lstm_state(gates: Any, c: Any) -> Tensor:
    """[h', c'] of one LSTM step: the fused ``lstm_cell_state`` for real input; for complex input
    (PyTorch computes complex LSTMs) composed of the complex-capable sigmoid and tanh instead."""
    a, c = as_tensor(gates), as_tensor(c)
    if a.dtype.kind != "c" and c.dtype.kind != "c":
        return lstm_cell_state(a, c)
    from ..ops import concatenate

    H = c.shape[-1]
    i, f = sigmoid(a[..., :H]), sigmoid(a[..., H : 2 * H])
    g, o = tanh(a[..., 2 * H : 3 * H]), sigmoid(a[..., 3 * H :])
    c2 = f * c + i * g
    return concatenate([o * tanh(c2), c2], axis=-1)


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
    for v in xs + [as_tensor(b) for b in (b_ih, b_hh) if b is not None]:
        refuse_complex(v, "lstm_layer", NOT_YET)
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
    # The gates are computed in the order i, f, o, g with the sigmoid gates' rows halved (exact: a
    # power of two), so one tanh per step serves all four: sigmoid(a) = 1/2 + tanh(a/2)/2.
    perm, half = _gate_layout(H, X.dtype)
    Wp = Wih[perm] * half[:, None]
    WhhT = np.ascontiguousarray((Whh[perm] * half[:, None]).T)  # (H, 4H): a plain product per step
    S = (X.reshape(L * N, n_in) @ np.ascontiguousarray(Wp.T)).reshape(L, N, 4 * H)
    if b_ih is not None:
        S += (xs[5]._data + xs[6]._data)[perm] * half
    Y = np.empty((L, N, 2 * H), dtype=S.dtype)
    TC = np.empty((L, N, H), dtype=S.dtype)
    hw, tmp = np.empty((N, 4 * H), dtype=S.dtype), np.empty((N, H), dtype=S.dtype)
    for t in range(L):  # in place: this loop is the layer's Python-level cost
        a = S[t]  # pre-activations, then (in place) the gate values i, f, o, g
        np.matmul(h, WhhT, out=hw)
        a += hw
        np.tanh(a, out=a)
        sg = a[:, : 3 * H]
        sg *= 0.5
        sg += 0.5
        c_new = Y[t, :, H:]
        np.multiply(a[:, H : 2 * H], c, out=c_new)
        np.multiply(a[:, :H], a[:, 3 * H :], out=tmp)
        c_new += tmp
        np.tanh(c_new, out=TC[t])
        h = np.multiply(a[:, 2 * H : 3 * H], TC[t], out=Y[t, :, :H])
        c = c_new
    return Tensor._make(Y, tuple(xs), "lstm_layer", (S, TC))


def _gate_layout(H: int, dtype: Any) -> tuple[np.ndarray, np.ndarray]:
    """Rows of PyTorch's (i, f, g, o) gate blocks in the order (i, f, o, g), and the factor 1/2 of
    the sigmoid gates' rows (1 for g)."""
    r = np.arange(H)
    perm = np.concatenate([r, H + r, 3 * H + r, 2 * H + r])
    half = np.concatenate([np.full(3 * H, 0.5, dtype), np.ones(H, dtype)])
    return perm, half


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
    S, TC = ctx  # gate values (L, N, 4H) in the order i, f, o, g; tanh(c_t) (L, N, H)
    L, N, n_in = X.shape
    H = Whh.shape[1]
    Hs, Cs = out[..., :H], out[..., H:]
    i, f, o, gg = S[..., :H], S[..., H : 2 * H], S[..., 2 * H : 3 * H], S[..., 3 * H :]
    Cprev = np.concatenate([c0[None], Cs[:-1]], axis=0) if L > 1 else c0[None]
    # What does not depend on the gradient flowing back in time, for all steps at once. With dc' the
    # gradient reaching c_t: da_i = dc' g i(1-i), da_f = dc' c_{t-1} f(1-f), da_g = dc' i (1-g^2),
    # and with dh' reaching h_t: da_o = dh' tanh(c_t) o(1-o), dc' = g_c + dc_next + dh' o (1-tanh^2 c_t).
    K = np.empty((L, N, 3, H), dtype=g.dtype)  # PyTorch's order for the dc' gates: i, f, g
    for k, (u, v) in enumerate(((i, gg), (f, Cprev))):  # v u (1 - u), without temporaries
        np.subtract(1, u, out=K[:, :, k])
        K[:, :, k] *= u
        K[:, :, k] *= v
    np.multiply(gg, gg, out=K[:, :, 2])
    np.subtract(1, K[:, :, 2], out=K[:, :, 2])
    K[:, :, 2] *= i
    Ko = np.subtract(1, o)
    Ko *= o
    Ko *= TC
    Op = np.multiply(TC, TC)
    np.subtract(1, Op, out=Op)
    Op *= o
    gH, gC = g[..., :H], g[..., H:]
    DA = np.empty((L, N, 4 * H), dtype=g.dtype)  # gradient of the pre-activations, PyTorch's order
    DA4 = DA.reshape(L, N, 4, H)
    gh, dc2, dc = np.empty((N, H), g.dtype), np.empty((N, H), g.dtype), np.zeros((N, H), g.dtype)
    dh = np.zeros((N, H), dtype=g.dtype)
    for t in range(L - 1, -1, -1):
        np.add(gH[t], dh, out=gh)
        np.multiply(gh, Op[t], out=dc2)
        dc2 += gC[t]
        dc2 += dc  # c_t reaches the loss directly, through h_t and through step t + 1
        np.multiply(K[t], dc2[:, None, :], out=DA4[t, :, :3])
        np.multiply(gh, Ko[t], out=DA4[t, :, 3])
        np.multiply(dc2, f[t], out=dc)
        np.matmul(DA[t], Whh, out=dh)
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
