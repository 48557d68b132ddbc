"""Recurrent layers (RNN, LSTM, GRU; their cells are in rnn_cells.py) with PyTorch's parameter names,
gate order and return values. The weights are shared over time in one graph, so backprop through time
sums each step's gradient into them (Rumelhart, Hinton & Williams, 1986)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._broadcast import ShapeError
from .._default_dtype import DEFAULT_FLOAT, default_float
from .._device import check_device
from ..ops import concatenate, linear, stack
from ..tensor import Tensor
from . import init
from .dropout import dropout
from .module import Module, Parameter
from .packed import PackedSequence
from .rnn_cells import (  # noqa: F401  the cells and the step functions, importable from here as before
    GRUCell,
    LSTMCell,
    RNNCell,
    RNNCellBase,
    _t,
    gru_step,
    lstm_step,
    rnn_step,
)
from .rnn_functional import lstm_layer, lstm_state
from .rnn_packed import packed_forward

_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


class RNNBase(Module):
    """Stacked, optionally bidirectional recurrent layers; parameters ``weight_ih_l{k}{_reverse}``,
    ``weight_hh_l{k}``, ``bias_ih_l{k}``, ``bias_hh_l{k}``, all from U(+-1/sqrt(hidden_size))."""

    def __init__(
        self,
        mode: str,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        proj_size: int = 0,
        rng: init.RngLike = None,
        dtype: Any = DEFAULT_FLOAT,
        *,
        device: Any = None,
    ) -> None:
        dtype = default_float(dtype)  # None, PyTorch's default argument: the default dtype
        check_device(device, type(self).__name__)
        super().__init__()
        who = type(self).__name__
        if proj_size and mode != "LSTM":
            raise ValueError(f"{who}: proj_size argument is only supported for LSTM, not RNN or GRU")
        if not 0 <= proj_size < hidden_size:
            raise ValueError(f"{who}: proj_size must be in [0, hidden_size={hidden_size}), got {proj_size}")
        if num_layers < 1 or hidden_size < 1 or input_size < 1:
            raise ValueError(f"{who}: input_size, hidden_size and num_layers must be positive")
        if not 0 <= dropout <= 1:
            raise ValueError(f"{who}: dropout must be in [0, 1], got {dropout}")
        for flag, value in (("bias", bias), ("batch_first", batch_first)):
            if not isinstance(value, (bool, np.bool_)):  # PyTorch's check: 'False' would be truthy
                raise TypeError(f"{who}: {flag} should be of type bool, got {type(value).__name__}")
        self.mode, self.input_size, self.hidden_size, self.num_layers = (
            mode,
            input_size,
            hidden_size,
            num_layers,
        )
        self.bias, self.batch_first, self.dropout, self.bidirectional = (
            bias,
            batch_first,
            float(dropout),
            bidirectional,
        )
        rng = init.as_generator(rng)
        self.rng, self.proj_size = rng, proj_size
        G, D = _GATES[mode], 2 if bidirectional else 1
        H_out = proj_size or hidden_size  # with a projection, h_t = W_hr (o * tanh(c_t)) has proj_size
        bound = 1 / math.sqrt(hidden_size)
        for layer in range(num_layers):
            n_in = input_size if layer == 0 else H_out * D
            for sfx in ("", "_reverse")[:D]:
                shapes = {
                    f"weight_ih_l{layer}{sfx}": (G * hidden_size, n_in),
                    f"weight_hh_l{layer}{sfx}": (G * hidden_size, H_out),
                }
                if bias:
                    shapes[f"bias_ih_l{layer}{sfx}"] = (G * hidden_size,)
                    shapes[f"bias_hh_l{layer}{sfx}"] = (G * hidden_size,)
                if proj_size:
                    shapes[f"weight_hr_l{layer}{sfx}"] = (proj_size, hidden_size)
                for name, shape in shapes.items():
                    self.register_parameter(
                        name, Parameter(rng.uniform(-bound, bound, size=shape).astype(dtype))
                    )

    def _weight(self, name: str) -> Any:
        """A weight by name, as a Parameter or as what a reparametrisation (pruning, weight_norm)
        put in its place, so a reparametrised RNN runs on the derived weight as PyTorch's does."""
        w = self._parameters.get(name)
        return w if w is not None else getattr(self, name, None)

    def _weights(self, layer: int, sfx: str) -> tuple:
        return tuple(
            self._weight(f"{kind}_l{layer}{sfx}") for kind in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
        )

    @property
    def _flat_weights_names(self) -> list:
        """PyTorch's order of the weight names: per layer and direction ih, hh weights, biases, hr."""
        kinds = (
            ["weight_ih", "weight_hh"]
            + ["bias_ih", "bias_hh"] * bool(self.bias)
            + ["weight_hr"] * bool(self.proj_size)
        )
        dirs = ("", "_reverse")[: 2 if self.bidirectional else 1]
        return [f"{k}_l{layer}{sfx}" for layer in range(self.num_layers) for sfx in dirs for k in kinds]

    @property
    def _flat_weights(self) -> list:
        """The weights in ``_flat_weights_names`` order (Parameters, or reparametrised Tensors)."""
        return [self._weight(n) for n in self._flat_weights_names]

    def _merged(self, w: tuple) -> tuple:
        """RNN needs only x W_ih^T + h W_hh^T + b_ih + b_hh: one product of [x, h] with
        [W_ih, W_hh] per step; GRU keeps them apart (its n gate)."""
        if self.mode == "GRU":
            return w
        b = None if w[2] is None else w[2] + w[3]
        return concatenate([w[0], w[1]], axis=1), b

    def _step(self, x, state, w):
        if self.mode == "GRU":
            return gru_step(x, state, *w)
        a = linear(concatenate([x, state], axis=-1), w[0], w[1])
        return a.relu() if self.mode == "RNN_RELU" else a.tanh()

    def forward(self, input: Any, hx: Any = None) -> tuple:
        """input (L, N, in) ((N, L, in) with batch_first, or unbatched (L, in)); returns
        (output (L, N, D * H), h_n (layers * D, N, H)), or (output, (h_n, c_n)) for LSTM. A
        PackedSequence input gives a PackedSequence output (rnn_packed.py)."""
        if isinstance(input, PackedSequence):
            return packed_forward(self, input, hx)
        x = _t(input)
        who = type(self).__name__
        if x.ndim not in (2, 3):
            raise ValueError(f"{who}: Expected input to be 2D or 3D, got {x.ndim}D tensor of shape {x.shape}")
        if x.shape[-1] != self.input_size:  # PyTorch's RuntimeError and words
            raise ShapeError(
                f"{who}: input.size(-1) must be equal to input_size. "
                f"Expected {self.input_size}, got {x.shape[-1]} "
                f"(input must be (L, N, {self.input_size}) or (L, {self.input_size}), got {x.shape})"
            )
        unbatched = x.ndim == 2
        if unbatched:
            x = x.reshape((x.shape[0], 1, x.shape[1]))
        elif self.batch_first:
            x = x.swapaxes(0, 1)
        L, N = x.shape[0], x.shape[1]
        D, H, lstm = 2 if self.bidirectional else 1, self.hidden_size, self.mode == "LSTM"
        h0, c0 = self._initial(hx, N, x.dtype, unbatched, lstm)
        if self.proj_size or (lstm and x.dtype.kind == "c"):  # complex: composed steps (no fused rule)
            output, hn, cn = self._projected_layers(x, h0, c0)
        elif lstm:
            output, hn, cn = self._lstm_layers(x, h0, c0)
        else:
            output, hn, cn = self._step_layers(x, h0)
        if unbatched:
            H_out = self.proj_size or H
            output, hn = output.reshape((L, D * H_out)), hn.reshape((-1, H_out))
            cn = cn.reshape((-1, H)) if lstm else None
        elif self.batch_first:
            output = output.swapaxes(0, 1)
        return (output, (hn, cn)) if lstm else (output, hn)

    def _lstm_layers(self, x: Tensor, h0: list, c0: list) -> tuple:
        """Each LSTM layer and direction as one ``lstm_layer`` node over the whole sequence."""
        D, H = 2 if self.bidirectional else 1, self.hidden_size
        h_n, c_n = [], []
        for layer in range(self.num_layers):
            outs = []
            for d, sfx in enumerate(("", "_reverse")[:D]):
                w_ih, w_hh, b_ih, b_hh = self._weights(layer, sfx)
                k = layer * D + d
                xin = x if d == 0 else x[::-1]  # the reverse direction reads the sequence backwards
                y = lstm_layer(xin, w_ih, w_hh, h0[k], c0[k], b_ih, b_hh)  # (L, N, 2H): [h_t, c_t]
                h_n.append(y[-1, :, :H])
                c_n.append(y[-1, :, H:])
                outs.append(y[..., :H] if d == 0 else y[::-1, :, :H])
            x = outs[0] if D == 1 else concatenate(outs, axis=-1)
            if self.dropout > 0 and self.training and layer < self.num_layers - 1:
                x = dropout(x, self.dropout, True, rng=self.rng)
        return x, stack(h_n, axis=0), stack(c_n, axis=0)

    def _projected_layers(self, x: Tensor, h0: list, c0: list) -> tuple:
        """LSTM step by step (with proj_size, or complex); with proj_size h_t = o * tanh(c_t) W_hr^T."""
        L, D, H = x.shape[0], 2 if self.bidirectional else 1, self.hidden_size
        steps = [x[t] for t in range(L)]
        h_n, c_n = [], []
        for layer in range(self.num_layers):
            outs = []
            for d, sfx in enumerate(("", "_reverse")[:D]):
                w_ih, w_hh, b_ih, b_hh = self._weights(layer, sfx)
                w_hr = self._weight(f"weight_hr_l{layer}{sfx}") if self.proj_size else None
                h, c = h0[layer * D + d], c0[layer * D + d]
                seq = [None] * L
                for t in range(L) if d == 0 else range(L - 1, -1, -1):
                    hc = lstm_state(linear(steps[t], w_ih, b_ih) + linear(h, w_hh, b_hh), c)
                    h, c = (hc[..., :H] if w_hr is None else linear(hc[..., :H], w_hr)), hc[..., H:]
                    seq[t] = h
                outs.append(seq)
                h_n.append(h)
                c_n.append(c)
            steps = outs[0] if D == 1 else [concatenate([a, b], axis=-1) for a, b in zip(*outs)]
            if self.dropout > 0 and self.training and layer < self.num_layers - 1:
                steps = [dropout(s, self.dropout, True, rng=self.rng) for s in steps]
        return stack(steps, axis=0), stack(h_n, axis=0), stack(c_n, axis=0)

    def _step_layers(self, x: Tensor, h0: list) -> tuple:
        """RNN and GRU layers step by step (shared weights, one graph)."""
        L, D = x.shape[0], 2 if self.bidirectional else 1
        steps = [x[t] for t in range(L)]  # per-step inputs; later layers pass on their step outputs
        h_n = []
        for layer in range(self.num_layers):
            outs = []
            for d, sfx in enumerate(("", "_reverse")[:D]):
                w = self._merged(self._weights(layer, sfx))
                state = h0[layer * D + d]
                seq = [None] * L
                for t in range(L) if d == 0 else range(L - 1, -1, -1):
                    state = self._step(steps[t], state, w)
                    seq[t] = state
                outs.append(seq)
                h_n.append(state)
            steps = outs[0] if D == 1 else [concatenate([a, b], axis=-1) for a, b in zip(*outs)]
            if self.dropout > 0 and self.training and layer < self.num_layers - 1:
                steps = [dropout(s, self.dropout, True, rng=self.rng) for s in steps]
        return stack(steps, axis=0), stack(h_n, axis=0), None

    def _initial(self, hx: Any, N: int, dtype: Any, unbatched: bool, lstm: bool) -> tuple[list, list]:
        """Initial states as per-(layer, direction) lists of (N, H); zeros when hx is None."""
        D = 2 if self.bidirectional else 1
        shape = (self.num_layers * D, N, self.hidden_size)
        h_shape = (shape[0], N, self.proj_size or self.hidden_size)  # h_0 has proj_size, c_0 not
        if hx is None:
            zero = Tensor._const(np.zeros(shape[1:], dtype=dtype))
            zero_h = zero if h_shape == shape else Tensor._const(np.zeros(h_shape[1:], dtype=dtype))
            return [zero_h] * shape[0], [zero] * shape[0]
        parts = hx if lstm else (hx,)
        if lstm and (not isinstance(hx, (tuple, list)) or len(hx) != 2):
            raise ValueError(f"{type(self).__name__}: hx must be a pair (h_0, c_0)")
        out = []
        for i, p in enumerate(parts):
            shape = h_shape if i == 0 else (shape[0], N, self.hidden_size)
            p = _t(p)
            if unbatched:
                p = p.reshape((p.shape[0], 1) + p.shape[1:]) if p.ndim == 2 else p
            if p.shape != shape:
                want = shape if not unbatched else (shape[0], shape[2])
                raise ShapeError(
                    f"{type(self).__name__}: Expected hidden size {want}, got {list(p.shape)} "
                    f"(initial state of shape {p.shape}, expected {want})"
                )
            out.append([p[k] for k in range(shape[0])])
        return out[0], (out[1] if lstm else out[0])

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if self.batch_first:
            s += ", batch_first=True"
        if self.bidirectional:
            s += ", bidirectional=True"
        if self.proj_size:
            s += f", proj_size={self.proj_size}"
        return s


class RNN(RNNBase):
    """Elman RNN: h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh) (``nonlinearity='relu'``)."""

    def __init__(
        self, input_size: int, hidden_size: int, num_layers: int = 1, nonlinearity: str = "tanh", **kw: Any
    ):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'.")
        super().__init__("RNN_" + nonlinearity.upper(), input_size, hidden_size, num_layers, **kw)
        self.nonlinearity = nonlinearity


class LSTM(RNNBase):
    """Long short-term memory (Hochreiter & Schmidhuber, 1997); gates i, f, g, o as in PyTorch.

    >>> out, (h, c) = LSTM(3, 5, rng=0)(np.zeros((7, 2, 3)))
    >>> out.shape, h.shape, c.shape
    ((7, 2, 5), (1, 2, 5), (1, 2, 5))
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, **kw: Any):
        super().__init__("LSTM", input_size, hidden_size, num_layers, **kw)


class GRU(RNNBase):
    """Gated recurrent unit (Cho et al., 2014) with PyTorch's gates r, z, n."""

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, **kw: Any):
        super().__init__("GRU", input_size, hidden_size, num_layers, **kw)
