"""PackedSequence and its packing functions (``torch.nn.utils.rnn``'s): a batch of sequences of
different lengths stored time step by time step, longest first, without padding. Packing and
unpacking are gathers (indexing), so gradients flow through them."""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np

from ..ops import concatenate
from ..tensor import Tensor
from .rnn_utils import pad_sequence, unpad_sequence

_Fields = namedtuple("PackedSequence_", ["data", "batch_sizes", "sorted_indices", "unsorted_indices"])


class PackedSequence(_Fields):
    """Sequences packed by time step: ``data`` (sum of lengths, *) holds step 0 of every sequence,
    then step 1 of those longer than 1, ...; ``batch_sizes[t]`` (int64) counts the sequences longer
    than t. The batch is ordered by decreasing length: ``sorted_indices[k]`` is the original index
    of the k-th (None when the input was already sorted), ``unsorted_indices`` its inverse.

    Build it with ``pack_padded_sequence`` or ``pack_sequence``, not by hand.
    """

    __slots__ = ()

    def __new__(
        cls, data: Any, batch_sizes: Any = None, sorted_indices: Any = None, unsorted_indices: Any = None
    ) -> PackedSequence:
        if batch_sizes is None:
            raise TypeError("PackedSequence: batch_sizes is required (use pack_padded_sequence to build one)")
        data = data if isinstance(data, Tensor) else Tensor(data)
        sizes = _ints(batch_sizes, "batch_sizes")
        if sizes.ndim != 1 or sizes.size == 0 or np.any(np.diff(sizes) > 0) or sizes[-1] < 1:
            raise ValueError(f"PackedSequence: batch_sizes must be 1-D, positive, non-increasing: {sizes}")
        if data.ndim == 0 or data.shape[0] != sizes.sum():
            raise ValueError(
                f"PackedSequence: data of shape {data.shape} must have sum(batch_sizes) = {sizes.sum()} rows"
            )
        if sorted_indices is not None:
            sorted_indices = _index_tensor(_ints(sorted_indices, "sorted_indices"))
            if unsorted_indices is None:
                unsorted_indices = _index_tensor(_inverse(sorted_indices._data))
        if unsorted_indices is not None:
            unsorted_indices = _index_tensor(_ints(unsorted_indices, "unsorted_indices"))
        return super().__new__(cls, data, _index_tensor(sizes), sorted_indices, unsorted_indices)

    @property
    def is_cuda(self) -> bool:
        """False: autobp's arrays live in host memory."""
        return False

    def to(self, *args: Any, **kwargs: Any) -> PackedSequence:
        """``data.to(*args, **kwargs)`` (a dtype, another tensor's dtype, the CPU): the same sequences
        with that data (differentiable), or ``self`` itself when nothing changes, as PyTorch's."""
        data = self.data.to(*args, **kwargs)
        return self if data is self.data else type(self)(data, *self[1:])

    def cpu(self) -> PackedSequence:
        """``self``: autobp's arrays live in host memory."""
        return self

    def is_pinned(self) -> bool:
        """False: there is no device memory to pin for."""
        return False


def _cast_method(name: str, dtype: Any) -> Any:
    def method(self: PackedSequence) -> PackedSequence:
        return self.to(dtype)

    method.__name__ = name
    method.__doc__ = f"The same sequences with ``data`` as {np.dtype(dtype).name} (PyTorch's ``{name}()``)."
    return method


for _name, _dtype in (
    ("double", np.float64),
    ("float", np.float32),
    ("half", np.float16),
    ("long", np.int64),
    ("int", np.int32),
    ("short", np.int16),
    ("char", np.int8),
    ("byte", np.uint8),
):
    setattr(PackedSequence, _name, _cast_method(_name, _dtype))


def _ints(v: Any, what: str) -> np.ndarray:
    a = np.asarray(v._data if isinstance(v, Tensor) else v)
    if a.dtype.kind not in "iu":
        if a.dtype.kind != "f" or not np.all(a == np.round(a)):
            raise TypeError(f"{what} must hold integers, got dtype {a.dtype} ({a.ravel()[:6]})")
    return a.astype(np.int64)


def _index_tensor(a: np.ndarray) -> Tensor:
    return Tensor._const(np.asarray(a, dtype=np.int64))


def _inverse(perm: np.ndarray) -> np.ndarray:
    inv = np.empty_like(perm)
    inv[perm] = np.arange(perm.size)
    return inv


def invert_permutation(permutation: Any) -> Tensor | None:
    """The inverse of a permutation of 0..n-1 (None stays None), as an int64 Tensor."""
    if permutation is None:
        return None
    return _index_tensor(_inverse(_ints(permutation, "permutation")))


def pack_padded_sequence(
    input: Any, lengths: Any, batch_first: bool = False, enforce_sorted: bool = True
) -> PackedSequence:
    """Pack a padded batch (T, B, *) ((B, T, *) with ``batch_first``) whose b-th sequence has
    ``lengths[b]`` steps. With ``enforce_sorted`` the lengths must not increase; otherwise the
    batch is sorted by decreasing length (ties keep their order) and the order is recorded."""
    x = input if isinstance(input, Tensor) else Tensor(input)
    if x.ndim < 2:
        raise ValueError(f"pack_padded_sequence: input must be (T, B, *) or (B, T, *), got shape {x.shape}")
    if batch_first:
        x = x.swapaxes(0, 1)
    T, B = x.shape[0], x.shape[1]
    if x.size == 0:
        raise RuntimeError(
            f"pack_padded_sequence: Cannot pack empty tensors (input of shape {tuple(x.shape)})"
        )
    n = _ints(lengths, "pack_padded_sequence: lengths")
    if n.ndim != 1 or n.size != B:
        raise RuntimeError(
            f"pack_padded_sequence: expected one length per sequence, {B} in all (the batch size of "
            f"input {tuple(input.shape)}), got lengths of shape {n.shape}"
        )
    if np.any(n <= 0):
        raise RuntimeError(f"pack_padded_sequence: every length must be positive, got {n}")
    if n.max() > T:
        raise RuntimeError(f"pack_padded_sequence: a length of {n.max()} exceeds the {T} steps of the input")
    if enforce_sorted:
        if np.any(np.diff(n) > 0):
            raise RuntimeError(
                f"pack_padded_sequence: lengths {n} must be sorted in decreasing order when enforce_sorted "
                "is True. You can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence "
                "to have them sorted"
            )
        order, sorted_indices = np.arange(B), None
    else:
        order = np.argsort(-n, kind="stable")  # PyTorch's order: ties keep their original order
        sorted_indices = order
    sizes = _batch_sizes(n[order])
    t_idx = np.repeat(np.arange(sizes.size), sizes)  # step of each packed row
    b_idx = np.concatenate([order[:s] for s in sizes])  # its sequence's column in the padded input
    return PackedSequence(x[t_idx, b_idx], sizes, sorted_indices)


def _batch_sizes(sorted_lengths: np.ndarray) -> np.ndarray:
    """How many of the (decreasingly sorted) sequences are longer than t, for each step t."""
    steps = np.arange(int(sorted_lengths[0]))
    return (sorted_lengths[None, :] > steps[:, None]).sum(axis=1).astype(np.int64)


def pad_packed_sequence(
    sequence: PackedSequence, batch_first: bool = False, padding_value: float = 0.0, total_length: Any = None
) -> tuple[Tensor, Tensor]:
    """The inverse of ``pack_padded_sequence``: (padded (T, B, *) or (B, T, *), lengths (B,) int64),
    in the original batch order; T is the longest length, or ``total_length`` (which must not be
    shorter)."""
    if not isinstance(sequence, PackedSequence):
        raise TypeError(f"pad_packed_sequence: expected a PackedSequence, got {type(sequence).__name__}")
    data, sizes = sequence.data, sequence.batch_sizes._data
    steps, B = sizes.size, int(sizes[0])
    T = steps if total_length is None else int(total_length)
    if T < steps:
        raise ValueError(
            "Expected total_length to be at least the length of the longest sequence in input, but got "
            f"total_length={total_length} and max sequence length being {steps}"
        )
    # index of each (t, b) in data, or of an extra row of padding after the data
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    cols = np.arange(B)
    idx = np.full((T, B), data.shape[0], dtype=np.int64)
    live = cols[None, :] < sizes[:, None]
    idx[:steps][live] = (offsets[:, None] + cols[None, :])[live]
    lengths = live.sum(axis=0)
    if sequence.unsorted_indices is not None:
        unsorted = sequence.unsorted_indices._data
        idx, lengths = idx[:, unsorted], lengths[unsorted]
    pad = Tensor._const(np.full((1,) + data.shape[1:], padding_value, dtype=data.dtype))
    padded = concatenate([data, pad], axis=0)[idx]
    return (padded.swapaxes(0, 1) if batch_first else padded), _index_tensor(lengths)


def pack_sequence(sequences: Any, enforce_sorted: bool = True) -> PackedSequence:
    """Pack a list of (L_i, *) Tensors (decreasing lengths unless ``enforce_sorted=False``)."""
    seqs = [s if isinstance(s, Tensor) else Tensor(s) for s in sequences]
    lengths = [s.shape[0] if s.ndim else 0 for s in seqs]
    return pack_padded_sequence(pad_sequence(seqs), lengths, enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences: PackedSequence) -> list[Tensor]:
    """The list of (L_i, *) Tensors a PackedSequence holds, in the original order."""
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
