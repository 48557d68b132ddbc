"""Attention: scaled_dot_product_attention, MultiheadAttention and the Transformer encoder, with
PyTorch's arguments, mask conventions and parameter names, composed of autobp ops."""

from __future__ import annotations

import copy
import math
from typing import Any

import numpy as np

from .._autocast import autocasts
from .._broadcast import ShapeError
from .._default_dtype import DEFAULT_FLOAT, default_float
from .._device import check_device
from ..tensor import Tensor
from . import init
from .dropout import dropout
from .layers import Linear, ModuleList
from .mha_functional import MHAArgumentError, MHAMaskError, multi_head_attention_forward, safe_softmax
from .module import Module, Parameter
from .normalization import LayerNorm


def _t(x: Any) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


def _mask_array(mask: Any) -> np.ndarray:
    return np.asarray(mask._data if isinstance(mask, Tensor) else mask)


def _additive(mask: Any, dtype: Any, allowed_if_true: bool) -> Any:
    """A mask as something to add to the scores: boolean masks become 0 / -inf (``allowed_if_true``
    says which value of the boolean means "may attend"), float masks are used as they are."""
    if mask is None:
        return None
    if isinstance(mask, Tensor) and mask.dtype.kind == "f":
        return mask
    m = _mask_array(mask)
    if m.dtype == bool:
        blocked = ~m if allowed_if_true else m
        return Tensor._const(np.where(blocked, -np.inf, 0.0).astype(dtype))
    return Tensor._const(m.astype(dtype))


@autocasts("lower")  # PyTorch's CPU autocast runs it in the autocast dtype
def scaled_dot_product_attention(
    query: Any,
    key: Any,
    value: Any,
    attn_mask: Any = None,
    dropout_p: float = 0.0,
    is_causal: bool = False,
    scale: float | None = None,
    enable_gqa: bool = False,
    rng: init.RngLike = None,
) -> Tensor:
    """softmax(q k^T * scale + mask) v over the last two axes (..., L, E), (..., S, E), (..., S, Ev).

    A boolean ``attn_mask`` marks the positions that MAY be attended (True), as in PyTorch's function;
    a float mask is added to the scores. ``is_causal`` allows position i to see positions <= i.
    ``dropout_p`` drops attention weights (seeded by ``rng``); scale defaults to 1 / sqrt(E).
    ``enable_gqa`` (grouped-query attention, PyTorch's): query heads (axis -3) Hq share key/value
    heads Hkv, each key/value head serving Hq / Hkv consecutive query heads.
    """
    q, k, v = _t(query), _t(key), _t(value)
    if enable_gqa and q.ndim >= 3 and k.ndim >= 3 and q.shape[-3] != k.shape[-3]:
        hq, hkv = q.shape[-3], k.shape[-3]
        if hkv == 0 or hq % hkv or v.shape[-3] != hkv:
            raise ValueError(
                f"scaled_dot_product_attention: enable_gqa needs query heads {hq} (axis -3 of {q.shape}) "
                f"to be a multiple of key/value heads (key {k.shape}, value {v.shape})"
            )
        k, v = k.repeat(hq // hkv, axis=-3), v.repeat(hq // hkv, axis=-3)  # numpy's repeat: interleaved
    if q.shape[-1] != k.shape[-1] or k.shape[-2] != v.shape[-2]:
        raise ValueError(
            f"scaled_dot_product_attention: query {q.shape}, key {k.shape} and value {v.shape} do not fit "
            "(need query/key feature sizes equal and key/value lengths equal)"
        )
    if is_causal and attn_mask is not None:
        raise MHAMaskError(
            "scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True"
        )
    L, S = q.shape[-2], k.shape[-2]
    s = 1.0 / math.sqrt(q.shape[-1]) if scale is None else float(scale)
    scores = (q @ k.swapaxes(-1, -2)) * s
    if is_causal:
        attn_mask = np.tril(np.ones((L, S), dtype=bool))
    mask = _additive(attn_mask, scores.dtype, allowed_if_true=True)
    if mask is not None:
        scores = scores + mask
    weights = safe_softmax(scores)  # a row that may attend nothing gives zeros, as PyTorch's
    if dropout_p > 0.0:
        weights = dropout(weights, dropout_p, True, rng=rng)
    return weights @ v


class MultiheadAttention(Module):
    """Multi-head attention (Vaswani et al., 2017) with PyTorch's parameters: ``in_proj_weight``
    (3E, E) and ``in_proj_bias`` (3E,), or ``q_proj_weight``/``k_proj_weight``/``v_proj_weight`` when
    kdim or vdim differ from E, ``bias_k``/``bias_v`` (1, 1, E) with ``add_bias_kv``, and ``out_proj``
    (a Linear(E, E)). Returns (output, weights); the computation is
    ``nn.functional.multi_head_attention_forward``'s."""

    def __init__(
        self,
        embed_dim: int,
        num_heads: int,
        dropout: float = 0.0,
        bias: bool = True,
        add_bias_kv: bool = False,
        add_zero_attn: bool = False,
        kdim: int | None = None,
        vdim: int | None = None,
        batch_first: bool = False,
        rng: init.RngLike = None,
        dtype: Any = DEFAULT_FLOAT,
        *,
        device: Any = None,
    ) -> None:
        dtype = default_float(dtype)  # None, PyTorch's default argument: the default dtype
        check_device(device, type(self).__name__)
        super().__init__()
        if embed_dim % num_heads:
            raise ValueError(
                f"MultiheadAttention: embed_dim={embed_dim} must be divisible by num_heads={num_heads}"
            )
        self.embed_dim, self.num_heads, self.dropout, self.batch_first = (
            embed_dim,
            num_heads,
            dropout,
            batch_first,
        )
        self.kdim, self.vdim = kdim or embed_dim, vdim or embed_dim
        self.head_dim = embed_dim // num_heads
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.add_zero_attn = add_zero_attn
        rng = init.as_generator(rng)
        self.rng = rng
        E = embed_dim
        if self._qkv_same_embed_dim:
            self.in_proj_weight = Parameter(np.empty((3 * E, E), dtype=dtype))
            init.xavier_uniform_(self.in_proj_weight, rng=rng)
            self.q_proj_weight = self.k_proj_weight = self.v_proj_weight = None
        else:
            self.q_proj_weight = Parameter(np.empty((E, E), dtype=dtype))
            self.k_proj_weight = Parameter(np.empty((E, self.kdim), dtype=dtype))
            self.v_proj_weight = Parameter(np.empty((E, self.vdim), dtype=dtype))
            for w in (self.q_proj_weight, self.k_proj_weight, self.v_proj_weight):
                init.xavier_uniform_(w, rng=rng)
            self.in_proj_weight = None
        self.in_proj_bias = Parameter(np.zeros(3 * E, dtype=dtype)) if bias else None
        self.out_proj = Linear(E, E, bias=bias, rng=rng, dtype=dtype)
        if bias:
            self.out_proj.bias.data[...] = 0  # PyTorch zeroes both biases
        if add_bias_kv:
            self.bias_k = Parameter(np.empty((1, 1, E), dtype=dtype))
            self.bias_v = Parameter(np.empty((1, 1, E), dtype=dtype))
            init.xavier_normal_(self.bias_k, rng=rng)
            init.xavier_normal_(self.bias_v, rng=rng)
        else:
            self.bias_k = self.bias_v = None

    def forward(
        self,
        query: Any,
        key: Any,
        value: Any,
        key_padding_mask: Any = None,
        need_weights: bool = True,
        attn_mask: Any = None,
        average_attn_weights: bool = True,
        is_causal: bool = False,
    ) -> tuple[Tensor, Tensor | None]:
        """``key_padding_mask`` (N, S) and ``attn_mask`` (L, S) or (N * heads, L, S): True marks a
        position that may NOT be attended (PyTorch's convention here); float masks are added."""
        q, k, v = _t(query), _t(key), _t(value)
        swap = self.batch_first and q.ndim == 3
        if swap:  # (N, L, E) -> (L, N, E), the functional form's layout
            q, k, v = (t.swapaxes(0, 1) for t in (q, k, v))
        if q.shape[-1] != self.embed_dim:
            raise MHAArgumentError(
                f"MultiheadAttention: was expecting embedding dimension of {self.embed_dim}, but got "
                f"{q.shape[-1]} (query shape {q.shape})"
            )
        separate = not self._qkv_same_embed_dim
        out, w = multi_head_attention_forward(
            q, k, v, self.embed_dim, self.num_heads, self.in_proj_weight, self.in_proj_bias,
            self.bias_k, self.bias_v, self.add_zero_attn, self.dropout, self.out_proj.weight,
            self.out_proj.bias, training=self.training, key_padding_mask=key_padding_mask,
            need_weights=need_weights, attn_mask=attn_mask, use_separate_proj_weight=separate,
            q_proj_weight=self.q_proj_weight, k_proj_weight=self.k_proj_weight,
            v_proj_weight=self.v_proj_weight, average_attn_weights=average_attn_weights,
            is_causal=is_causal, rng=self.rng,
        )  # fmt: skip
        return (out.swapaxes(0, 1) if swap else out), w


def _activation(activation: Any) -> Any:
    if callable(activation):
        return activation
    if activation == "relu":
        return lambda x: x.relu()
    if activation == "gelu":
        from . import functional as F

        return F.gelu
    raise ShapeError(f"activation should be relu/gelu, not {activation}")  # PyTorch's RuntimeError


class TransformerEncoderLayer(Module):
    """Self-attention and a feed-forward block, each with a residual connection and LayerNorm
    (after by default, before with ``norm_first``); PyTorch's submodule names and defaults."""

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
        self.self_attn = MultiheadAttention(
            d_model, nhead, dropout, bias, batch_first=batch_first, rng=rng, dtype=dtype
        )
        self.linear1 = Linear(d_model, dim_feedforward, bias, rng, dtype)
        self.linear2 = Linear(dim_feedforward, d_model, bias, rng, dtype)
        self.norm1 = LayerNorm(d_model, layer_norm_eps, bias=bias, dtype=dtype)
        self.norm2 = LayerNorm(d_model, layer_norm_eps, bias=bias, dtype=dtype)
        self.p, self.norm_first, self.batch_first, self.rng = dropout, norm_first, batch_first, rng
        self.activation = _activation(activation)

    def _drop(self, x: Tensor) -> Tensor:
        return dropout(x, self.p, self.training, rng=self.rng) if self.p > 0 else x

    def _sa(self, x: Tensor, mask: Any, pad: Any) -> Tensor:
        return self._drop(self.self_attn(x, x, x, pad, need_weights=False, attn_mask=mask)[0])

    def _ff(self, x: Tensor) -> Tensor:
        return self._drop(self.linear2(self._drop(self.activation(self.linear1(x)))))

    def forward(
        self, src: Any, src_mask: Any = None, src_key_padding_mask: Any = None, is_causal: bool = False
    ) -> Tensor:
        x = _t(src)
        if self.norm_first:
            x = x + self._sa(self.norm1(x), src_mask, src_key_padding_mask)
            return x + self._ff(self.norm2(x))
        x = self.norm1(x + self._sa(x, src_mask, src_key_padding_mask))
        return self.norm2(x + self._ff(x))


class TransformerEncoder(Module):
    """``num_layers`` copies of an encoder layer (``layers.0``, ``layers.1``, ...), then ``norm``.
    PyTorch's ``enable_nested_tensor`` and ``mask_check`` choose its fast path, not the numbers: they
    are accepted and kept, with no effect."""

    def __init__(
        self,
        encoder_layer: TransformerEncoderLayer,
        num_layers: int,
        norm: Module | None = None,
        enable_nested_tensor: bool = True,
        mask_check: bool = True,
    ) -> None:
        super().__init__()
        self.enable_nested_tensor, self.mask_check = enable_nested_tensor, mask_check
        self.layers = ModuleList(copy.deepcopy(encoder_layer) for _ in range(num_layers))
        for layer in self.layers:  # copies of one Generator would draw identical dropout masks
            rng = np.random.default_rng(encoder_layer.rng.integers(2**63))
            layer.rng = layer.self_attn.rng = rng
        self.num_layers = num_layers
        self.norm = norm

    def forward(
        self, src: Any, mask: Any = None, src_key_padding_mask: Any = None, is_causal: bool = False
    ) -> Tensor:
        x = _t(src)
        for layer in self.layers:
            x = layer(x, mask, src_key_padding_mask)
        return x if self.norm is None else self.norm(x)
