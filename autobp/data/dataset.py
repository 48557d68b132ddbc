"""Datasets, as ``torch.utils.data``'s: map-style ``Dataset`` (``__getitem__``/``__len__``) and
``IterableDataset`` (``__iter__``), ``TensorDataset``, the combinators ``ConcatDataset`` (also
``a + b``), ``ChainDataset``, ``StackDataset``, ``Subset``, and ``random_split``."""

from __future__ import annotations

import bisect
import math
import warnings
from abc import abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Generic, TypeVar

import numpy as np

from ..random import generator_of
from ..tensor import Tensor

_T_co = TypeVar("_T_co", covariant=True)


class DatasetArgumentError(ValueError, AssertionError):
    """A dataset built from inconsistent parts. PyTorch raises AssertionError here; this is both that
    and a ValueError, so ported ``except AssertionError`` code still catches it."""


def _as_data_tensor(x: Any) -> Tensor:
    """A Tensor as is; arrays keep their dtype (integer labels stay integers)."""
    if isinstance(x, Tensor):
        return x
    arr = np.asarray(x)
    return Tensor(arr, dtype=arr.dtype if arr.dtype.kind in "fiubc" else None)


class Dataset(Generic[_T_co]):
    """A map-style dataset: subclasses define ``__getitem__(i)`` and usually ``__len__`` (as PyTorch's,
    the base class has no ``__len__``). ``a + b`` is ``ConcatDataset([a, b])``. Generic, as PyTorch's:
    ``class Pairs(Dataset[tuple[Tensor, int]])``."""

    def __getitem__(self, index: Any) -> Any:
        raise NotImplementedError("Subclasses of Dataset should implement __getitem__.")

    def __add__(self, other: Dataset) -> ConcatDataset:
        return ConcatDataset([self, other])


class IterableDataset(Dataset[_T_co], Iterable[_T_co]):
    """A dataset that is a stream: subclasses define ``__iter__``; a DataLoader batches what it yields
    (no sampler, no shuffle). ``a + b`` is ``ChainDataset([a, b])``. DataLoader loads in this process,
    so ``get_worker_info()`` is None inside ``__iter__`` and no sharding between workers is needed."""

    @abstractmethod
    def __iter__(self) -> Iterator[Any]:
        raise NotImplementedError("Subclasses of IterableDataset should implement __iter__.")

    def __add__(self, other: Dataset) -> ChainDataset:  # type: ignore[override]
        return ChainDataset([self, other])


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
            raise DatasetArgumentError(
                f"TensorDataset: tensors must share their first dimension, got shapes {shapes}"
            )

    def __getitem__(self, index: Any) -> tuple[Tensor, ...]:
        return tuple(t[index] for t in self.tensors)

    def __len__(self) -> int:
        return self.tensors[0].shape[0]


class ConcatDataset(Dataset):
    """The samples of several map-style datasets one after another. ``cumulative_sizes[k]`` is the
    number of samples in the first k+1 datasets; negative indices count from the end."""

    def __init__(self, datasets: Iterable[Dataset]) -> None:
        self.datasets = list(datasets)
        if not self.datasets:
            raise DatasetArgumentError("datasets should not be an empty iterable")
        for d in self.datasets:
            if isinstance(d, IterableDataset):
                raise DatasetArgumentError("ConcatDataset does not support IterableDataset")
        self.cumulative_sizes = self.cumsum(self.datasets)

    @staticmethod
    def cumsum(sequence: Sequence[Any]) -> list[int]:
        """Running totals of the lengths of ``sequence``'s datasets."""
        out, total = [], 0
        for d in sequence:
            total += len(d)
            out.append(total)
        return out

    def __len__(self) -> int:
        return self.cumulative_sizes[-1]

    def __getitem__(self, idx: int) -> Any:
        n = len(self)
        if idx < 0:
            if -idx > n:
                raise ValueError("absolute value of index should not exceed dataset length")
            idx = n + idx
        if idx >= n:
            raise IndexError(f"ConcatDataset: index {idx} is out of range for {n} samples")
        k = bisect.bisect_right(self.cumulative_sizes, idx)
        return self.datasets[k][idx - (self.cumulative_sizes[k - 1] if k else 0)]


class ChainDataset(IterableDataset):
    """Several IterableDatasets one after another, as one stream; its length (when every part has
    one) is the sum of theirs."""

    def __init__(self, datasets: Iterable[Dataset]) -> None:
        self.datasets = datasets

    def __iter__(self) -> Iterator[Any]:
        for d in self.datasets:
            if not isinstance(d, IterableDataset):
                raise DatasetArgumentError("ChainDataset only supports IterableDataset")
            yield from d

    def __len__(self) -> int:
        total = 0
        for d in self.datasets:
            if not isinstance(d, IterableDataset):
                raise DatasetArgumentError("ChainDataset only supports IterableDataset")
            total += len(d)  # type: ignore[arg-type]
        return total


class StackDataset(Dataset):
    """Samples of equal-length datasets side by side: ``StackDataset(a, b)[i]`` is ``(a[i], b[i])``,
    ``StackDataset(x=a, y=b)[i]`` is ``{"x": a[i], "y": b[i]}``."""

    def __init__(self, *args: Dataset, **kwargs: Dataset) -> None:
        if args and kwargs:
            raise ValueError(
                "Supported either ``tuple``- (via ``args``) or``dict``- (via ``kwargs``) like "
                "input/output, but both types are given."
            )
        parts = list(args) if args else list(kwargs.values())
        if not parts:
            raise ValueError("At least one dataset should be passed")
        self._length = len(parts[0])
        if any(len(d) != self._length for d in parts):
            raise ValueError("Size mismatch between datasets")
        self.datasets: tuple | dict = args if args else kwargs

    def __getitem__(self, index: Any) -> tuple | dict:
        if isinstance(self.datasets, dict):
            return {k: d[index] for k, d in self.datasets.items()}
        return tuple(d[index] for d in self.datasets)

    def __getitems__(self, indices: list) -> list:
        """A batch of samples at once (each part's ``__getitems__`` when it has one)."""
        items = self.datasets.items() if isinstance(self.datasets, dict) else enumerate(self.datasets)
        columns = {k: _fetch(d, indices) for k, d in items}
        if isinstance(self.datasets, dict):
            return [{k: col[i] for k, col in columns.items()} for i in range(len(indices))]
        return [tuple(col[i] for col in columns.values()) for i in range(len(indices))]

    def __len__(self) -> int:
        return self._length


def _fetch(dataset: Any, indices: list) -> list:
    """``[dataset[i] for i in indices]``, through ``dataset.__getitems__`` when it has one."""
    many = getattr(dataset, "__getitems__", None)
    if many:
        out = many(indices)
        if len(out) != len(indices):
            raise ValueError(f"__getitems__ returned {len(out)} samples for {len(indices)} indices")
        return list(out)
    return [dataset[i] for i in indices]


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``, in that order (a Subset of a Subset composes)."""

    def __init__(self, dataset: Any, indices: Sequence[int]) -> None:
        self.dataset, self.indices = dataset, list(indices)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, (list, np.ndarray)):
            return self.dataset[np.asarray(self.indices)[index]]
        return self.dataset[self.indices[index]]

    def __getitems__(self, indices: list) -> list:
        """A batch of samples at once (through the dataset's ``__getitems__`` when it has one)."""
        return _fetch(self.dataset, [self.indices[i] for i in indices])

    def __len__(self) -> int:
        return len(self.indices)


def _split_sizes(n: int, lengths: list) -> list[int]:
    """PyTorch's rule: fractions summing to 1 become floor(n f), the remainder handed out one by one
    to the first splits; counts must sum to n."""
    if lengths and math.isclose(sum(lengths), 1) and sum(lengths) <= 1:
        for i, f in enumerate(lengths):
            if not 0 <= f <= 1:
                raise ValueError(f"Fraction at index {i} is not between 0 and 1")
        sizes = [int(math.floor(n * f)) for f in lengths]
        for i in range(n - sum(sizes)):
            sizes[i % len(sizes)] += 1
        for i, k in enumerate(sizes):
            if k == 0:
                warnings.warn(
                    f"Length of split at index {i} is 0. This might result in an empty dataset.", stacklevel=3
                )
        lengths = sizes
    if any(isinstance(k, bool) or int(k) != k or k < 0 for k in lengths) or sum(lengths) != n:
        raise ValueError(
            "Sum of input lengths does not equal the length of the input dataset! "
            f"(lengths {lengths}: counts summing to {n} or fractions summing to 1)"
        )
    return [int(k) for k in lengths]


def random_split(dataset: Any, lengths: Sequence[float], generator: Any = None) -> list[Subset]:
    """Split ``dataset`` into non-overlapping random Subsets of the given lengths, or of the given
    fractions of its length (PyTorch's rounding: the remainder goes one by one to the first splits).

    ``generator`` is a numpy Generator or an int seed; None draws from autobp's global generator
    (``autobp.manual_seed``). The same seed gives the same split, though not PyTorch's split: the
    generators differ."""
    n = len(dataset)
    sizes = _split_sizes(n, list(lengths))
    order = generator_of(generator, "random_split: generator").permutation(n)
    bounds = np.cumsum([0] + sizes)
    return [Subset(dataset, order[a:b].tolist()) for a, b in zip(bounds[:-1], bounds[1:])]


__all__ = [
    "Dataset",
    "IterableDataset",
    "TensorDataset",
    "ConcatDataset",
    "ChainDataset",
    "StackDataset",
    "Subset",
    "random_split",
    "DatasetArgumentError",
]
