"""``torch.nn.utils.rnn`` (``autobp.nn.utils.rnn`` is this module): pad_sequence stacks sequences of
different lengths into one padded Tensor, unpad_sequence cuts them back out (gradients flow through);
PackedSequence and its packing functions come from packed.py."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..ops import pad as np_pad
from ..ops import stack
from ..tensor import Tensor


def pad_sequence(
    sequences: Any, batch_first: bool = False, padding_value: float = 0.0, padding_side: str = "right"
) -> Tensor:
    """(L_i, *) Tensors -> (L_max, B, *) (or (B, L_max, *) with ``batch_first``), filled with
    ``padding_value`` after each sequence ('right') or before it ('left')."""
    if not isinstance(sequences, (Iterable, Tensor)):  # PyTorch's error (an int is no list of sequences)
        raise RuntimeError(
            f"pad_sequence: Expected iterable for input sequences, but got arg of type: {type(sequences)}"
        )
    seqs = [s if isinstance(s, Tensor) else Tensor(s) for s in sequences]
    if not seqs:
        raise RuntimeError("pad_sequence: received an empty list of sequences")
    if padding_side not in ("right", "left"):
        raise ValueError(f"pad_sequence: padding_side must be 'right' or 'left', got {padding_side!r}")
    trail = seqs[0].shape[1:]
    for i, s in enumerate(seqs):
        if s.ndim == 0 or s.shape[1:] != trail:
            raise ValueError(f"pad_sequence: sequence {i} has shape {s.shape}, expected (L, *{trail})")
    longest = max(s.shape[0] for s in seqs)
    padded = []
    for s in seqs:
        gap = longest - s.shape[0]
        widths = [(0, gap) if padding_side == "right" else (gap, 0)] + [(0, 0)] * len(trail)
        padded.append(np_pad(s, widths, constant_values=padding_value) if gap else s)
    return stack(padded, axis=0 if batch_first else 1)


def unpad_sequence(padded_sequences: Tensor, lengths: Any, batch_first: bool = False) -> list[Tensor]:
    """The inverse of ``pad_sequence`` (right padding): a list of (lengths[i], *) Tensors."""
    x = padded_sequences if batch_first else padded_sequences.swapaxes(0, 1)
    n = [int(v) for v in (lengths.data if isinstance(lengths, Tensor) else lengths)]
    if len(n) != x.shape[0]:
        raise ValueError(f"unpad_sequence: {len(n)} lengths for a batch of {x.shape[0]} sequences")
    return [x[i, :k] for i, k in enumerate(n)]


from .packed import (  # noqa: E402  (packed.py builds on the two functions above)
    PackedSequence,
    invert_permutation,
    pack_padded_sequence,
    pack_sequence,
    pad_packed_sequence,
    unpack_sequence,
)

__all__ = [
    "PackedSequence",
    "invert_permutation",
    "pack_padded_sequence",
    "pack_sequence",
    "pad_packed_sequence",
    "pad_sequence",
    "unpack_sequence",
    "unpad_sequence",
]
