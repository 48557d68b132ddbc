"""The two character-level language models of ``autobp charlm``: an LSTM, and a small causal
transformer (token + learned position embeddings, pre-norm encoder layers under a causal mask)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import nn
from ..tensor import Tensor


class LSTMLM(nn.Module):
    """Embedding -> LSTM (batch first) -> Linear: logits (B, T, vocab) for the next character of each
    position, and the LSTM's (h, c), which sampling carries from one character to the next.

    >>> LSTMLM(10, rng=0)(np.zeros((2, 5), dtype=int))[0].shape
    (2, 5, 10)
    """

    def __init__(self, vocab: int, embed: int = 32, hidden: int = 256, rng: Any = None) -> None:
        super().__init__()
        rng = np.random.default_rng(rng) if not isinstance(rng, np.random.Generator) else rng
        self.embed = nn.Embedding(vocab, embed, rng=rng, dtype=np.float32)
        self.lstm = nn.LSTM(embed, hidden, batch_first=True, rng=rng, dtype=np.float32)
        self.head = nn.Linear(hidden, vocab, rng=rng, dtype=np.float32)

    def forward(self, idx: Any, state: Any = None) -> tuple[Tensor, Any]:
        out, state = self.lstm(self.embed(idx), state)
        return self.head(out), state


def causal_mask(t: int) -> np.ndarray:
    """(t, t) booleans, True where query i may NOT attend to key j (j > i: the future), as
    ``nn.MultiheadAttention``'s boolean ``attn_mask`` reads it."""
    return np.triu(np.ones((t, t), dtype=bool), k=1)


class TransformerLM(nn.Module):
    """Token and learned position embeddings -> ``layers`` pre-norm TransformerEncoderLayers under a
    causal mask -> LayerNorm -> Linear: position i's logits depend on characters 0..i only. Sequences
    are at most ``context`` long.

    >>> TransformerLM(10, rng=0)(np.zeros((2, 5), dtype=int))[0].shape
    (2, 5, 10)
    """

    def __init__(
        self,
        vocab: int,
        d_model: int = 64,
        nhead: int = 4,
        layers: int = 2,
        context: int = 64,
        dropout: float = 0.0,
        rng: Any = None,
    ) -> None:
        super().__init__()
        rng = np.random.default_rng(rng) if not isinstance(rng, np.random.Generator) else rng
        f32 = np.float32
        self.context = context
        self.tokens = nn.Embedding(vocab, d_model, rng=rng, dtype=f32)
        self.positions = nn.Embedding(context, d_model, rng=rng, dtype=f32)
        for e in (self.tokens, self.positions):  # N(0, 1) rows would swamp the residual stream
            e.weight.data[...] *= 0.1
        self.blocks = nn.ModuleList(
            nn.TransformerEncoderLayer(
                d_model,
                nhead,
                4 * d_model,
                dropout,
                "gelu",
                batch_first=True,
                norm_first=True,
                rng=rng,
                dtype=f32,
            )
            for _ in range(layers)
        )
        self.norm = nn.LayerNorm(d_model, dtype=f32)
        self.head = nn.Linear(d_model, vocab, rng=rng, dtype=f32)

    def forward(self, idx: Any, state: Any = None) -> tuple[Tensor, Any]:
        t = np.shape(idx)[1]
        if t > self.context:
            raise ValueError(
                f"TransformerLM: sequence of {t} characters, longer than its context {self.context}"
            )
        x = self.tokens(idx) + self.positions(np.arange(t))
        mask = causal_mask(t)
        for block in self.blocks:
            x = block(x, src_mask=mask)
        return self.head(self.norm(x)), None
