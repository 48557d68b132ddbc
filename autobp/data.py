"""Minimal datasets and batching, PyTorch-style: ``TensorDataset`` and ``DataLoader`` with a numpy
``Generator`` for shuffling (same seed, same order; a new order each epoch); no worker processes."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from .ops import stack
from .tensor import Tensor


def _as_data_tensor(x: Any) -> Tensor:
    """A Tensor as is; arrays keep their dtype (integer labels stay integers)."""
    if isinstance(x, Tensor):
        return x
    arr = np.asarray(x)
    return Tensor(arr, dtype=arr.dtype if arr.dtype.kind in "fiub" else None)


class Dataset:
    """Anything with ``__getitem__(i)`` and ``__len__`` serves; this base class only documents that."""

    def __getitem__(self, index: int) -> Any:
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError


class TensorDataset(Dataset):
    """Sample i is ``tuple(t[i] for t in tensors)``; every tensor has the same first dimension.

    >>> ds = TensorDataset(np.zeros((5, 3)), np.arange(5))
    >>> len(ds), ds[2][1].item()
    (5, 2)
    """

    def __init__(self, *tensors: Any) -> None:
        if not tensors:
            raise ValueError("TensorDataset: needs at least one tensor")
        self.tensors = tuple(_as_data_tensor(t) for t in tensors)
        sizes = [t.shape[0] if t.ndim else None for t in self.tensors]
        if None in sizes or len(set(sizes)) != 1:
            shapes = [t.shape for t in self.tensors]
            raise ValueError(f"TensorDataset: tensors must share their first dimension, got shapes {shapes}")

    def __getitem__(self, index: Any) -> tuple[Tensor, ...]:
        return tuple(t[index] for t in self.tensors)

    def __len__(self) -> int:
        return self.tensors[0].shape[0]


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``, in that order."""

    def __init__(self, dataset: Any, indices: Sequence[int]) -> None:
        self.dataset, self.indices = dataset, list(indices)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, (list, np.ndarray)):
            return self.dataset[np.asarray(self.indices)[index]]
        return self.dataset[self.indices[index]]

    def __len__(self) -> int:
        return len(self.indices)


def random_split(
    dataset: Any, lengths: Sequence[float], generator: np.random.Generator | int | None = None
) -> list[Subset]:
    """Split ``dataset`` into non-overlapping random Subsets of the given lengths, or of the given
    fractions of its length (PyTorch's rounding: the remainder goes one by one to the first splits).
    ``generator`` is a numpy Generator or int seed: the same seed gives the same split."""
    n = len(dataset)
    lengths = list(lengths)
    if lengths and all(0 <= f <= 1 for f in lengths) and abs(sum(lengths) - 1) < 1e-9 and sum(lengths) != n:
        sizes = [int(np.floor(n * f)) for f in lengths]
        for i in range(n - sum(sizes)):
            sizes[i % len(sizes)] += 1
        lengths = sizes
    if any(int(k) != k or k < 0 for k in lengths) or sum(lengths) != n:
        raise ValueError(
            f"random_split: lengths {lengths} must be counts summing to {n} or fractions summing to 1"
        )
    rng = generator if isinstance(generator, np.random.Generator) else np.random.default_rng(generator)
    order = rng.permutation(n)
    bounds = np.cumsum([0] + [int(k) for k in lengths])
    return [Subset(dataset, order[a:b].tolist()) for a, b in zip(bounds[:-1], bounds[1:])]


def default_collate(samples: Sequence[Any]) -> Any:
    """Stack a list of samples into a batch: Tensors, arrays and numbers into one Tensor with a new
    first axis (integers stay integers); tuples (into lists, as PyTorch), lists and dicts field by
    field."""
    first = samples[0]
    if isinstance(first, (tuple, list)):
        if any(len(s) != len(first) for s in samples):
            raise ValueError("default_collate: samples have different numbers of fields")
        fields = [default_collate([s[i] for s in samples]) for i in range(len(first))]
        return fields if isinstance(first, tuple) else type(first)(fields)  # tuples give lists, as PyTorch
    if isinstance(first, dict):
        return {k: default_collate([s[k] for s in samples]) for k in first}
    if isinstance(first, Tensor):
        return stack(list(samples), axis=0)  # recorded: tensors that require grad keep their graph
    arr = np.stack([np.asarray(s) for s in samples])
    return Tensor(arr, dtype=arr.dtype if arr.dtype.kind in "fiub" else None)


class DataLoader:
    """Batches of ``batch_size`` samples of ``dataset``, stacked into Tensors.

    ``shuffle=True`` draws a fresh permutation from ``generator`` (a ``numpy.random.Generator`` or an
    int seed; None: fresh entropy, drawn once) at the start of every epoch, so the same seed gives
    the same sequence of epochs. ``drop_last`` drops a final short batch. ``collate_fn`` turns a
    list of samples into a batch. For a ``TensorDataset`` with the default collate, a batch is one
    fancy-indexing of each tensor.

    >>> loader = DataLoader(TensorDataset(x, y), batch_size=32, shuffle=True,
    ...                     generator=np.random.default_rng(0))         # doctest: +SKIP
    >>> for xb, yb in loader: ...                                        # doctest: +SKIP
    """

    def __init__(
        self,
        dataset: Any,
        batch_size: int | None = 1,
        shuffle: bool = False,
        drop_last: bool = False,
        generator: np.random.Generator | int | None = None,
        collate_fn: Callable[[list], Any] | None = None,
        num_workers: int = 0,
    ) -> None:
        if num_workers != 0:
            raise ValueError(
                f"DataLoader: batches are made in this process only; got num_workers={num_workers}"
            )
        if batch_size is not None and (
            not isinstance(batch_size, (int, np.integer)) or isinstance(batch_size, bool) or batch_size < 1
        ):
            raise ValueError(f"DataLoader: batch_size must be a positive int or None, got {batch_size!r}")
        if generator is not None and not isinstance(generator, (np.random.Generator, int, np.integer)):
            raise TypeError(
                f"DataLoader: generator must be a numpy.random.Generator or an int seed, "
                f"got {type(generator).__name__}"
            )
        self.dataset = dataset
        self.batch_size = batch_size
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)
        self.collate_fn = collate_fn
        if isinstance(generator, np.random.Generator):
            self.generator = generator
        elif shuffle:
            self.generator = np.random.default_rng(generator)
        else:
            self.generator = None

    def _order(self) -> np.ndarray:
        n = len(self.dataset)
        return self.generator.permutation(n) if self.shuffle else np.arange(n)

    def __len__(self) -> int:
        """Batches per epoch."""
        n = len(self.dataset)
        if self.batch_size is None:
            return n
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)

    def __iter__(self) -> Iterator[Any]:
        order = self._order()
        if self.batch_size is None:  # PyTorch's batch_size=None: samples one by one, not collated
            for i in order:
                yield self.dataset[int(i)]
            return
        b = self.batch_size
        stop = len(order) - len(order) % b if self.drop_last else len(order)
        fast = self.collate_fn is None and isinstance(self.dataset, TensorDataset)  # one take per tensor
        collate = self.collate_fn or default_collate
        for start in range(0, stop, b):
            idx = order[start : start + b]
            if fast:
                yield list(self.dataset[idx])
            else:
                yield collate([self.dataset[int(i)] for i in idx])


__all__ = ["Dataset", "TensorDataset", "Subset", "random_split", "DataLoader", "default_collate"]
