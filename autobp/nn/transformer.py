"""The decoder side of PyTorch's transformer (TransformerDecoderLayer, TransformerDecoder) and the
full encoder-decoder ``Transformer``, with PyTorch's submodule names, arguments and masks."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

from .._broadcast import ShapeError
from .._default_dtype import DEFAULT_FLOAT, default_float
from .._device import check_device
from ..tensor import Tensor
from . import init
from .attention import MultiheadAttention, TransformerEncoder, TransformerEncoderLayer, _activation, _t
from .dropout import dropout
from .layers import Linear, ModuleList
from .module import Module
from .normalization import LayerNorm


class TransformerDecoderLayer(Module):
    """Self-attention over the target, attention to the encoder's ``memory``, and a feed-forward block,
    each with a residual connection and LayerNorm (after by default, before with ``norm_first``)."""

    def __init__(
        self,
        d_model: int,
        nhead: int,
        dim_feedforward: int = 2048,
        dropout: float = 0.1,
        activation: Any = "relu",
        layer_norm_eps: float = 1e-5,
        batch_first: bool = False,
        norm_first: bool = False,
        bias: bool = True,
        rng: init.RngLike = None,
        dtype: Any = DEFAULT_FLOAT,
        *,
        device: Any = None,
    ) -> None:
        dtype = default_float(dtype)  # None, PyTorch's default argument: the default dtype
        check_device(device, type(self).__name__)
        super().__init__()
        rng = init.as_generator(rng)
        kw = dict(batch_first=batch_first, rng=rng, dtype=dtype)
        self.self_attn = MultiheadAttention(d_model, nhead, dropout, bias, **kw)
        self.multihead_attn = MultiheadAttention(d_model, nhead, dropout, bias, **kw)
        self.linear1 = Linear(d_model, dim_feedforward, bias, rng, dtype)
        self.linear2 = Linear(dim_feedforward, d_model, bias, rng, dtype)
        self.norm1 = LayerNorm(d_model, layer_norm_eps, bias=bias, dtype=dtype)
        self.norm2 = LayerNorm(d_model, layer_norm_eps, bias=bias, dtype=dtype)
        self.norm3 = LayerNorm(d_model, layer_norm_eps, bias=bias, dtype=dtype)
        self.p, self.norm_first, self.batch_first, self.rng = dropout, norm_first, batch_first, rng
        self.activation = _activation(activation)

    def _drop(self, x: Tensor) -> Tensor:
        return dropout(x, self.p, self.training, rng=self.rng) if self.p > 0 else x

    def _sa(self, x: Tensor, mask: Any, pad: Any) -> Tensor:
        return self._drop(self.self_attn(x, x, x, pad, need_weights=False, attn_mask=mask)[0])

    def _mha(self, x: Tensor, mem: Tensor, mask: Any, pad: Any) -> Tensor:
        return self._drop(self.multihead_attn(x, mem, mem, pad, need_weights=False, attn_mask=mask)[0])

    def _ff(self, x: Tensor) -> Tensor:
        return self._drop(self.linear2(self._drop(self.activation(self.linear1(x)))))

    def forward(
        self,
        tgt: Any,
        memory: Any,
        tgt_mask: Any = None,
        memory_mask: Any = None,
        tgt_key_padding_mask: Any = None,
        memory_key_padding_mask: Any = None,
        tgt_is_causal: bool = False,
        memory_is_causal: bool = False,
    ) -> Tensor:
        x, mem = _t(tgt), _t(memory)
        if self.norm_first:
            x = x + self._sa(self.norm1(x), tgt_mask, tgt_key_padding_mask)
            x = x + self._mha(self.norm2(x), mem, memory_mask, memory_key_padding_mask)
            return x + self._ff(self.norm3(x))
        x = self.norm1(x + self._sa(x, tgt_mask, tgt_key_padding_mask))
        x = self.norm2(x + self._mha(x, mem, memory_mask, memory_key_padding_mask))
        return self.norm3(x + self._ff(x))


class TransformerDecoder(Module):
    """``num_layers`` copies of a decoder layer (``layers.0``, ...), then ``norm``."""

    def __init__(
        self, decoder_layer: TransformerDecoderLayer, num_layers: int, norm: Module | None = None
    ) -> None:
        super().__init__()
        self.layers = ModuleList(copy.deepcopy(decoder_layer) for _ in range(num_layers))
        for layer in self.layers:  # copies of one Generator would draw identical dropout masks
            rng = np.random.default_rng(decoder_layer.rng.integers(2**63))
            layer.rng = layer.self_attn.rng = layer.multihead_attn.rng = rng
        self.num_layers, self.norm = num_layers, norm

    def forward(
        self,
        tgt: Any,
        memory: Any,
        tgt_mask: Any = None,
        memory_mask: Any = None,
        tgt_key_padding_mask: Any = None,
        memory_key_padding_mask: Any = None,
        tgt_is_causal: bool | None = None,
        memory_is_causal: bool = False,
    ) -> Tensor:
        x, mem = _t(tgt), _t(memory)
        for layer in self.layers:
            x = layer(x, mem, tgt_mask, memory_mask, tgt_key_padding_mask, memory_key_padding_mask)
        return x if self.norm is None else self.norm(x)


class Transformer(Module):
    """The encoder-decoder of "Attention is all you need" as PyTorch builds it: ``encoder``
    (layers + final LayerNorm) over ``src``, ``decoder`` (layers + final LayerNorm) over ``tgt``
    attending to the encoder's output. Weights with more than one axis start Xavier-uniform."""

    def __init__(
        self,
        d_model: int = 512,
        nhead: int = 8,
        num_encoder_layers: int = 6,
        num_decoder_layers: int = 6,
        dim_feedforward: int = 2048,
        dropout: float = 0.1,
        activation: Any = "relu",
        custom_encoder: Module | None = None,
        custom_decoder: Module | None = None,
        layer_norm_eps: float = 1e-5,
        batch_first: bool = False,
        norm_first: bool = False,
        bias: bool = True,
        rng: init.RngLike = None,
        dtype: Any = DEFAULT_FLOAT,
        *,
        device: Any = None,
    ) -> None:
        dtype = default_float(dtype)  # None, PyTorch's default argument: the default dtype
        check_device(device, type(self).__name__)
        super().__init__()
        rng = init.as_generator(rng)
        args = (
            d_model,
            nhead,
            dim_feedforward,
            dropout,
            activation,
            layer_norm_eps,
            batch_first,
            norm_first,
            bias,
        )
        if custom_encoder is not None:
            self.encoder = custom_encoder
        else:
            layer = TransformerEncoderLayer(*args, rng=rng, dtype=dtype)
            norm = LayerNorm(d_model, layer_norm_eps, bias=bias, dtype=dtype)
            self.encoder = TransformerEncoder(layer, num_encoder_layers, norm)
        if custom_decoder is not None:
            self.decoder = custom_decoder
        else:
            layer = TransformerDecoderLayer(*args, rng=rng, dtype=dtype)
            norm = LayerNorm(d_model, layer_norm_eps, bias=bias, dtype=dtype)
            self.decoder = TransformerDecoder(layer, num_decoder_layers, norm)
        for p in self.parameters():
            if p.ndim > 1:
                init.xavier_uniform_(p, rng=rng)
        self.d_model, self.nhead, self.batch_first = d_model, nhead, batch_first

    def forward(
        self,
        src: Any,
        tgt: Any,
        src_mask: Any = None,
        tgt_mask: Any = None,
        memory_mask: Any = None,
        src_key_padding_mask: Any = None,
        tgt_key_padding_mask: Any = None,
        memory_key_padding_mask: Any = None,
        src_is_causal: bool | None = None,
        tgt_is_causal: bool | None = None,
        memory_is_causal: bool = False,
    ) -> Tensor:
        s, t = _t(src), _t(tgt)
        batch_axis = 0 if self.batch_first else 1
        if s.ndim == 3 and t.ndim == 3 and s.shape[batch_axis] != t.shape[batch_axis]:
            raise ShapeError(
                f"Transformer: the batch number of src {s.shape} and tgt {t.shape} "
                "must agree (different batch sizes)"
            )
        if s.shape[-1] != self.d_model or t.shape[-1] != self.d_model:
            raise ShapeError(
                f"Transformer: the feature number of src {s.shape} and tgt {t.shape} "
                f"must be equal to d_model={self.d_model}"
            )
        memory = self.encoder(s, src_mask, src_key_padding_mask)
        return self.decoder(t, memory, tgt_mask, memory_mask, tgt_key_padding_mask, memory_key_padding_mask)

    @staticmethod
    def generate_square_subsequent_mask(sz: int, dtype: Any = DEFAULT_FLOAT) -> Tensor:
        """(sz, sz) additive causal mask: 0 on and below the diagonal, -inf above."""
        dtype = default_float(dtype)  # None, PyTorch's default argument: the default dtype
        return Tensor._const(np.triu(np.full((sz, sz), -np.inf, dtype=dtype), k=1))
