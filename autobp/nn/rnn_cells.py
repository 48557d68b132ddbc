"""The recurrent cells (RNNCell, LSTMCell, GRUCell: one step, PyTorch's parameter names and gate order)
and the step functions they and the RNN/LSTM/GRU layers of rnn.py share (rnn.py re-exports them)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._broadcast import ShapeError
from .._default_dtype import DEFAULT_FLOAT, default_float
from .._device import check_device
from ..ops import linear
from ..tensor import Tensor
from . import init
from .module import Module, Parameter
from .rnn_functional import lstm_state


def _t(x: Any) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


# --- one step of each cell: x (N, in), h (N, H); weights (G*H, in), (G*H, H) -------------------
def rnn_step(x, h, w_ih, w_hh, b_ih, b_hh, relu: bool = False) -> Tensor:
    """h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh) (or relu)."""
    a = linear(x, w_ih, b_ih) + linear(h, w_hh, b_hh)
    return a.relu() if relu else a.tanh()


def lstm_step(x, h, c, w_ih, w_hh, b_ih, b_hh) -> tuple[Tensor, Tensor]:
    """Gates in PyTorch's order i, f, g, o: c' = f c + i g, h' = o tanh(c')."""
    return _lstm_gates(linear(x, w_ih, b_ih) + linear(h, w_hh, b_hh), c)


def _lstm_gates(gates: Tensor, c: Tensor) -> tuple[Tensor, Tensor]:
    H = c.shape[-1]
    hc = lstm_state(gates, c)  # one node for the whole state update
    return hc[..., :H], hc[..., H:]


def gru_step(x, h, w_ih, w_hh, b_ih, b_hh) -> Tensor:
    """Gates r, z, n: n = tanh(W_in x + b_in + r (W_hn h + b_hn)), h' = (1 - z) n + z h."""
    H = h.shape[-1]
    gi, gh = linear(x, w_ih, b_ih), linear(h, w_hh, b_hh)
    rz = (gi[..., : 2 * H] + gh[..., : 2 * H]).sigmoid()
    r, z = rz[..., :H], rz[..., H:]
    n = (gi[..., 2 * H :] + r * gh[..., 2 * H :]).tanh()
    return n + z * (h - n)


class RNNCellBase(Module):
    """The base of RNNCell, LSTMCell and GRUCell (PyTorch's ``nn.RNNCellBase``): parameters
    ``weight_ih``, ``weight_hh``, ``bias_ih``, ``bias_hh`` with ``_gates`` blocks of hidden_size rows."""

    _gates = 1

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        rng: init.RngLike = None,
        dtype: Any = DEFAULT_FLOAT,
        *,
        device: Any = None,
    ) -> None:
        dtype = default_float(dtype)  # None, PyTorch's default argument: the default dtype
        check_device(device, type(self).__name__)
        super().__init__()
        self.input_size, self.hidden_size, self.bias = input_size, hidden_size, bias
        rng = init.as_generator(rng)
        bound = 1 / math.sqrt(hidden_size) if hidden_size > 0 else 0.0  # PyTorch's: no division by 0
        G = self._gates
        shapes = {"weight_ih": (G * hidden_size, input_size), "weight_hh": (G * hidden_size, hidden_size)}
        if bias:
            shapes.update(bias_ih=(G * hidden_size,), bias_hh=(G * hidden_size,))
        for name, shape in shapes.items():
            self.register_parameter(name, Parameter(rng.uniform(-bound, bound, size=shape).astype(dtype)))
        if not bias:
            self.bias_ih = self.bias_hh = None

    def _prepare(self, input: Any, hx: Any) -> tuple[Tensor, Any, bool]:
        x = _t(input)
        if x.ndim not in (1, 2) or x.shape[-1] != self.input_size:
            raise ShapeError(
                f"{type(self).__name__}: input must be (N, {self.input_size}) or ({self.input_size},), "
                f"got {x.shape}"
            )
        unbatched = x.ndim == 1
        if unbatched:
            x = x.reshape((1, -1))
        return x, hx, unbatched

    def _want(self, x: Tensor) -> tuple:
        return (x.shape[0], self.hidden_size)

    def _zero(self, x: Tensor) -> Tensor:
        return Tensor._const(np.zeros((x.shape[0], self.hidden_size), dtype=x.dtype))

    def _w(self) -> tuple:
        return self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh


def _state(h: Any, unbatched: bool, who: str = "RNNCell", want: tuple | None = None) -> Tensor:
    """The hidden state as (N, H): 1-D for an unbatched input, 2-D for a batched one (PyTorch's rule;
    a reshape would otherwise let any shape of the right size through); ``want`` = (N, H) is checked
    (PyTorch does not broadcast a hidden state against the batch)."""
    h = _t(h)
    if h.ndim != (1 if unbatched else 2):
        kind, nd = ("an unbatched", 1) if unbatched else ("a batched", 2)
        raise ValueError(f"{who}: expected hidden of {nd} dimensions for {kind} input, got shape {h.shape}")
    h = h.reshape((1, -1)) if unbatched else h
    if want is not None and tuple(h.shape) != tuple(want):
        raise ShapeError(
            f"{who}: hidden state of shape {h.shape} does not fit input batch and hidden_size {want}"
        )
    return h


_Cell = RNNCellBase


class RNNCell(_Cell):
    """One step of RNN: h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh)."""

    def __init__(
        self, input_size: int, hidden_size: int, bias: bool = True, nonlinearity: str = "tanh", **kw: Any
    ):
        super().__init__(input_size, hidden_size, bias, **kw)
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity: {nonlinearity}. Select from 'tanh' or 'relu'.")
        self.nonlinearity = nonlinearity

    def forward(self, input: Any, hx: Any = None) -> Tensor:
        x, hx, unbatched = self._prepare(input, hx)
        h = self._zero(x) if hx is None else _state(hx, unbatched, type(self).__name__, self._want(x))
        out = rnn_step(x, h, *self._w(), relu=self.nonlinearity == "relu")
        return out.reshape((-1,)) if unbatched else out


class LSTMCell(_Cell):
    """One step of LSTM; returns (h', c')."""

    _gates = 4

    def forward(self, input: Any, hx: Any = None) -> tuple[Tensor, Tensor]:
        x, hx, unbatched = self._prepare(input, hx)
        h, c = (
            (self._zero(x), self._zero(x))
            if hx is None
            else (
                _state(hx[0], unbatched, "LSTMCell", self._want(x)),
                _state(hx[1], unbatched, "LSTMCell", self._want(x)),
            )
        )
        h2, c2 = lstm_step(x, h, c, *self._w())
        return (h2.reshape((-1,)), c2.reshape((-1,))) if unbatched else (h2, c2)


class GRUCell(_Cell):
    """One step of GRU."""

    _gates = 3

    def forward(self, input: Any, hx: Any = None) -> Tensor:
        x, hx, unbatched = self._prepare(input, hx)
        h = self._zero(x) if hx is None else _state(hx, unbatched, type(self).__name__, self._want(x))
        out = gru_step(x, h, *self._w())
        return out.reshape((-1,)) if unbatched else out
