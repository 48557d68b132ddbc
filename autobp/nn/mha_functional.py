"""torch.nn.functional.multi_head_attention_forward with PyTorch's full signature: the one implementation
of multi-head attention, which nn.MultiheadAttention calls with its parameters. Composed of autobp's
differentiable ops (linear, matmul, softmax, dropout, concatenate), so gradients reach every tensor
argument, float masks included, to any order."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..ops import concatenate, linear, softmax, where
from ..tensor import Tensor
from . import init
from .dropout import dropout


class MHAArgumentError(ValueError, AssertionError):
    """A bad argument of multi-head attention where PyTorch asserts (AssertionError); also a ValueError."""


class MHAMaskError(ValueError, RuntimeError):
    """A bad attn_mask (shape, or is_causal without it): PyTorch's RuntimeError; also a ValueError."""


def safe_softmax(scores: Tensor) -> Tensor:
    """softmax over the last axis, but a row whose scores are all -inf (nothing may be attended) gives
    zeros with a zero gradient, not NaN: PyTorch's scaled_dot_product_attention (its _safe_softmax)."""
    dead = np.all(np.isneginf(scores._data), axis=-1, keepdims=True)
    if not dead.any():
        return softmax(scores, axis=-1)
    zero = Tensor._const(np.zeros((), dtype=scores.dtype))
    return where(dead, zero, softmax(where(dead, zero, scores), axis=-1))


def _t(x: Any) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


def _canonical_mask(mask: Any, name: str, dtype: Any) -> Tensor | None:
    """A mask as something to add to the scores (PyTorch's _canonical_mask): a boolean mask's True
    becomes -inf (not attended) and False 0; a floating mask is added as it is (and differentiable)."""
    if mask is None:
        return None
    if isinstance(mask, Tensor) and mask.dtype.kind == "f":
        return mask
    m = np.asarray(mask._data if isinstance(mask, Tensor) else mask)
    if m.dtype == bool:
        return Tensor._const(np.where(m, -np.inf, 0.0).astype(dtype))
    if m.dtype.kind == "f":
        return Tensor._const(m.astype(dtype, copy=False))
    raise MHAArgumentError(
        f"multi_head_attention_forward: only bool and floating types of {name} are supported, got {m.dtype}"
    )


def _shape_check(q: Tensor, k: Tensor, v: Tensor, kpm: Any, mask: Any, heads: int) -> bool:
    """Whether the call is batched (3-D query), checking the other arguments' ranks as PyTorch does."""
    if q.ndim not in (2, 3):
        raise MHAArgumentError(
            f"query should be unbatched 2D or batched 3D tensor but received {q.ndim}-D query tensor"
        )
    batched = q.ndim == 3
    which = "batched (3-D)" if batched else "unbatched (2-D)"
    if k.ndim != q.ndim or v.ndim != q.ndim:
        raise MHAArgumentError(
            f"For {which} `query`, expected `key` and `value` to be {q.ndim}-D but found {k.ndim}-D and "
            f"{v.ndim}-D tensors respectively"
        )
    if kpm is not None and np.ndim(kpm) != q.ndim - 1:
        raise MHAArgumentError(
            f"For {which} `query`, expected `key_padding_mask` to be `None` or {q.ndim - 1}-D but found "
            f"{np.ndim(kpm)}-D tensor instead"
        )
    if mask is not None:
        if np.ndim(mask) not in (2, 3):
            raise MHAArgumentError(
                f"For {which} `query`, expected `attn_mask` to be `None`, 2-D or 3-D but found "
                f"{np.ndim(mask)}-D tensor instead"
            )
        want = (heads, q.shape[0], k.shape[0])
        if not batched and np.ndim(mask) == 3 and tuple(np.shape(mask)) != want:
            raise MHAArgumentError(f"Expected `attn_mask` shape to be {want} but got {tuple(np.shape(mask))}")
    return batched


def _project(q, k, v, in_w, in_b, separate, qw, kw, vw):
    E = q.shape[-1]
    bq, bk, bv = (None, None, None) if in_b is None else (in_b[:E], in_b[E : 2 * E], in_b[2 * E :])
    if separate:
        if qw is None or kw is None or vw is None:
            missing = next(n for n, w in (("q", qw), ("k", kw), ("v", vw)) if w is None)
            raise MHAArgumentError(f"use_separate_proj_weight is True but {missing}_proj_weight is None")
        ws = (_t(qw), _t(kw), _t(vw))
    else:
        if in_w is None:
            raise MHAArgumentError("use_separate_proj_weight is False but in_proj_weight is None")
        W = _t(in_w)
        ws = (W[:E], W[E : 2 * E], W[2 * E :])
    return linear(q, ws[0], bq), linear(k, ws[1], bk), linear(v, ws[2], bv)


def _pad_last(m: Tensor | None) -> Tensor | None:
    """A column of zeros after the last axis (the extra key position bias_k or add_zero_attn makes)."""
    if m is None:
        return None
    return concatenate([m, Tensor._const(np.zeros(m.shape[:-1] + (1,), m.dtype))], axis=-1)


def multi_head_attention_forward(
    query: Any,
    key: Any,
    value: Any,
    embed_dim_to_check: int,
    num_heads: int,
    in_proj_weight: Any,
    in_proj_bias: Any,
    bias_k: Any,
    bias_v: Any,
    add_zero_attn: bool,
    dropout_p: float,
    out_proj_weight: Any,
    out_proj_bias: Any,
    training: bool = True,
    key_padding_mask: Any = None,
    need_weights: bool = True,
    attn_mask: Any = None,
    use_separate_proj_weight: bool = False,
    q_proj_weight: Any = None,
    k_proj_weight: Any = None,
    v_proj_weight: Any = None,
    static_k: Any = None,
    static_v: Any = None,
    average_attn_weights: bool = True,
    is_causal: bool = False,
    *,
    rng: init.RngLike = None,
) -> tuple[Tensor, Tensor | None]:
    """Multi-head attention on sequence-first inputs, as torch.nn.functional.multi_head_attention_forward:
    query (L, N, E) (or unbatched (L, E)), key/value (S, N, Ek/Ev); returns (output (L, N, E), weights
    (N, L, S) averaged over heads, (N, H, L, S) with ``average_attn_weights=False``, or None).

    ``key_padding_mask`` (N, S) and ``attn_mask`` (L, S) or (N * H, L, S): True marks a position that may
    NOT be attended; float masks are added to the scores. ``bias_k``/``bias_v`` (1, 1, E) append one key
    and value position, ``add_zero_attn`` one of zeros; ``static_k``/``static_v`` (N * H, S, E / H)
    replace the projected keys/values. ``is_causal`` is a hint that ``attn_mask`` (required) is the
    causal mask: with no ``key_padding_mask`` and ``need_weights=False`` the causal mask is used in its
    place, as PyTorch does. The weights returned are the dropped-out ones, as PyTorch's. Dropout
    (``training`` and ``dropout_p``) draws from ``rng`` (autobp's keyword; default as ``dropout``'s).
    """
    q_in, k_in, v_in = _t(query), _t(key), _t(value)
    batched = _shape_check(q_in, k_in, v_in, key_padding_mask, attn_mask, num_heads)
    if not batched:  # (L, E) -> (L, 1, E); masks get their batch axis
        q_in, k_in, v_in = (t.reshape((t.shape[0], 1, t.shape[1])) for t in (q_in, k_in, v_in))
        if key_padding_mask is not None:
            key_padding_mask = _t(key_padding_mask).reshape((1, -1))
    L, N, E = q_in.shape
    who = "multi_head_attention_forward"
    if E != embed_dim_to_check:
        raise MHAArgumentError(f"was expecting embedding dimension of {embed_dim_to_check}, but got {E}")
    if num_heads <= 0 or E % num_heads:
        raise MHAArgumentError(f"embed_dim {E} not divisible by num_heads {num_heads}")
    if use_separate_proj_weight and k_in.shape[:2] != v_in.shape[:2]:
        raise MHAArgumentError(
            f"key's sequence and batch dims {k_in.shape[:2]} do not match value's {v_in.shape[:2]}"
        )
    if not use_separate_proj_weight and k_in.shape != v_in.shape:
        raise MHAArgumentError(f"key shape {k_in.shape} does not match value shape {v_in.shape}")
    dt = q_in.dtype
    kpm = _canonical_mask(key_padding_mask, "key_padding_mask", dt)
    mask = _canonical_mask(attn_mask, "attn_mask", dt)
    if is_causal and mask is None:
        raise MHAMaskError(
            f"{who}: Need attn_mask if specifying the is_causal hint. You may use the Transformer module "
            "method `generate_square_subsequent_mask` to create this mask."
        )
    if is_causal and kpm is None and not need_weights:
        mask = _canonical_mask(~np.tril(np.ones(tuple(mask.shape[-2:]), bool)), "attn_mask", dt)
    H, hd = num_heads, E // num_heads
    q, k, v = _project(
        q_in, k_in, v_in, in_proj_weight, in_proj_bias, use_separate_proj_weight,
        q_proj_weight, k_proj_weight, v_proj_weight,
    )  # fmt: skip
    if mask is not None:
        S0 = k.shape[0]
        want = (L, S0) if mask.ndim == 2 else (N * H, L, S0)
        if tuple(mask.shape) != want:
            raise MHAMaskError(
                f"The shape of the {mask.ndim}D attn_mask is {tuple(mask.shape)}, but should be {want}."
            )
        mask = mask.reshape((1, L, S0)) if mask.ndim == 2 else mask
    if (bias_k is None) != (bias_v is None):
        raise MHAArgumentError(f"{who}: give both bias_k and bias_v, or neither")
    if bias_k is not None:
        if static_k is not None:
            raise MHAArgumentError("bias cannot be added to static key.")
        if static_v is not None:
            raise MHAArgumentError("bias cannot be added to static value.")
        k = concatenate([k, _t(bias_k).reshape((1, 1, E)).repeat(N, axis=1)], axis=0)
        v = concatenate([v, _t(bias_v).reshape((1, 1, E)).repeat(N, axis=1)], axis=0)
        mask, kpm = _pad_last(mask), _pad_last(kpm)
    q = q.reshape((L, N * H, hd)).swapaxes(0, 1)  # (N * H, L, hd), PyTorch's layout
    k = _heads(k, static_k, N * H, hd, "static_k")
    v = _heads(v, static_v, N * H, hd, "static_v")
    if add_zero_attn:
        zeros = Tensor._const(np.zeros((N * H, 1, hd), dtype=k.dtype))
        k, v = concatenate([k, zeros], axis=1), concatenate([v, zeros], axis=1)
        mask, kpm = _pad_last(mask), _pad_last(kpm)
    S = k.shape[1]
    if kpm is not None:
        for axis, want in enumerate((N, S)):
            if kpm.shape[axis] != want:
                raise MHAArgumentError(
                    f"Expected key_padded_mask.shape[{axis}] to be {want}, but got {kpm.shape[axis]}"
                )
        pad = kpm.reshape((N, 1, 1, S)).repeat(H, axis=1).reshape((N * H, 1, S))
        mask = pad if mask is None else mask + pad
    scores = (q * (1.0 / math.sqrt(hd))) @ k.swapaxes(-1, -2)  # (N * H, L, S)
    if mask is not None:
        scores = scores + mask
    # PyTorch: without weights its path is scaled_dot_product_attention's, whose fully masked rows are 0
    weights = softmax(scores, axis=-1) if need_weights else safe_softmax(scores)
    if training and dropout_p > 0.0:
        weights = dropout(weights, dropout_p, True, rng=rng)
    out = (weights @ v).swapaxes(0, 1).reshape((L * N, E))
    out = linear(out, _t(out_proj_weight), None if out_proj_bias is None else _t(out_proj_bias))
    out = out.reshape((L, N, E))
    if not batched:
        out = out.reshape((L, E))
    if not need_weights:
        return out, None
    w = weights.reshape((N, H, L, S))
    w = w.mean(axis=1) if average_attn_weights else w
    return out, (w.reshape(w.shape[1:]) if not batched else w)


def _heads(x: Tensor, static: Any, nh: int, hd: int, name: str) -> Tensor:
    """(S, N, E) keys or values as (N * H, S, hd), or the given static ones (checked)."""
    if static is None:
        return x.reshape((x.shape[0], nh, hd)).swapaxes(0, 1)
    s = _t(static)
    if s.ndim != 3:
        raise MHAArgumentError(
            f"multi_head_attention_forward: {name} should be ({nh}, S, {hd}), got {s.shape}"
        )
    if s.shape[0] != nh:
        raise MHAArgumentError(f"expecting {name}.size(0) of {nh}, but got {s.shape[0]}")
    if s.shape[2] != hd:
        raise MHAArgumentError(f"expecting {name}.size(2) of {hd}, but got {s.shape[2]}")
    return s
