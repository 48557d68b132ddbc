"""RNN, LSTM and GRU over a PackedSequence, as PyTorch's: each sequence is run for its own length
only, so the final states are taken at each sequence's own last step and the reverse direction
starts at each sequence's own last element.

The packed batch is sorted by decreasing length, so the sequences alive at step t are the first
``batch_sizes[t]`` rows: each step updates those rows of the state and keeps the rest."""

from __future__ import annotations

from typing import Any

from ..ops import concatenate, linear, stack
from ..tensor import Tensor
from .dropout import dropout
from .packed import PackedSequence
from .rnn_functional import lstm_state


def packed_forward(m: Any, seq: PackedSequence, hx: Any) -> tuple:
    """``m.forward`` for a PackedSequence input: (PackedSequence output, h_n) or (output, (h_n,
    c_n)) for LSTM, h_0 / c_0 and h_n / c_n in the caller's batch order (not the sorted one)."""
    who = type(m).__name__
    x, sizes = seq.data, seq.batch_sizes._data
    if x.ndim != 2 or x.shape[1] != m.input_size:
        raise ValueError(
            f"{who}: a PackedSequence's data must be (sum of lengths, {m.input_size}), got {x.shape}"
        )
    B, D, lstm = int(sizes[0]), 2 if m.bidirectional else 1, m.mode == "LSTM"
    h0, c0 = m._initial(hx, B, x.dtype, False, lstm)
    if hx is not None and seq.sorted_indices is not None:  # the states follow their sequences
        perm = seq.sorted_indices._data
        h0, c0 = [h[perm] for h in h0], [c[perm] for c in c0]
    starts = [0]
    for s in sizes[:-1]:
        starts.append(starts[-1] + int(s))
    steps = [x[a : a + int(s)] for a, s in zip(starts, sizes)]  # step t: (batch_sizes[t], in)
    h_n, c_n = [], []
    for layer in range(m.num_layers):
        outs = []
        for d, sfx in enumerate(("", "_reverse")[:D]):
            k = layer * D + d
            out, h, c = _direction(m, layer, sfx, steps, sizes, h0[k], c0[k] if lstm else None, d == 1)
            outs.append(out)
            h_n.append(h)
            c_n.append(c)
        steps = outs[0] if D == 1 else [concatenate([a, b], axis=-1) for a, b in zip(*outs)]
        if m.dropout > 0 and m.training and layer < m.num_layers - 1:
            steps = [dropout(s, m.dropout, True, rng=m.rng) for s in steps]
    output = PackedSequence(concatenate(steps, axis=0), *seq[1:])
    hn = _in_caller_order(stack(h_n, axis=0), seq)
    if not lstm:
        return output, hn
    return output, (hn, _in_caller_order(stack(c_n, axis=0), seq))


def _in_caller_order(states: Tensor, seq: PackedSequence) -> Tensor:
    return states if seq.unsorted_indices is None else states[:, seq.unsorted_indices._data]


def _direction(m: Any, layer: int, sfx: str, steps: list, sizes: Any, h: Tensor, c: Any, reverse: bool):
    """One layer and direction over the packed steps: (per-step outputs, final h, final c)."""
    lstm = m.mode == "LSTM"
    if lstm:
        w_ih, w_hh, b_ih, b_hh = m._weights(layer, sfx)
        w_hr = m._weight(f"weight_hr_l{layer}{sfx}")
        H = m.hidden_size
    else:
        w = m._merged(m._weights(layer, sfx))
    out = [None] * len(steps)
    for t in range(len(steps) - 1, -1, -1) if reverse else range(len(steps)):
        n = int(sizes[t])
        whole = n == h.shape[0]  # every sequence is alive: the new state is all of it
        hp = h if whole else h[:n]
        if lstm:
            hc = lstm_state(linear(steps[t], w_ih, b_ih) + linear(hp, w_hh, b_hh), c if whole else c[:n])
            h_new, c_new = hc[..., :H], hc[..., H:]
            if w_hr is not None:  # proj_size: h_t = W_hr (o * tanh(c_t))
                h_new = linear(h_new, w_hr)
            c = c_new if whole else concatenate([c_new, c[n:]], axis=0)
        else:
            h_new = m._step(steps[t], hp, w)
        out[t] = h_new
        h = h_new if whole else concatenate([h_new, h[n:]], axis=0)
    return out, h, c
