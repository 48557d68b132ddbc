"""Samplers, as ``torch.utils.data``'s: iterables of dataset indices (``SequentialSampler``,
``RandomSampler``, ``SubsetRandomSampler``, ``WeightedRandomSampler``) and of lists of indices
(``BatchSampler``) that a DataLoader draws samples and batches by.

The random ones draw from ``generator`` (a ``numpy.random.Generator``, e.g. ``autobp.random.Generator``,
or an int seed) or, without one, from autobp's global generator at the start of each pass, so
``autobp.manual_seed(s)`` makes the orders reproducible. They are not PyTorch's orders: the generators
differ; the distributions are the same."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sized
from typing import Any, Generic, TypeVar

import numpy as np

from ..random import generator_of
from ..tensor import Tensor


def _fixed_generator(generator: Any, who: str) -> np.random.Generator | None:
    """None stays None (the global generator, looked up at each pass: ``manual_seed`` replaces it); an
    int seed becomes one Generator for the sampler's life, so successive passes differ."""
    return None if generator is None else generator_of(generator, f"{who}: generator")


def _positive(name: str, value: Any) -> str:
    return f"{name} should be a positive integer value, but got {name}={value}"


def _is_index(k: Any) -> bool:
    return isinstance(k, (int, np.integer)) and not isinstance(k, (bool, np.bool_))


_T_co = TypeVar("_T_co", covariant=True)


class Sampler(Generic[_T_co]):
    """Base class: an iterable of indices (or of lists of indices, for a batch sampler); subclasses
    define ``__iter__`` and, when they know it, ``__len__``. Generic, as PyTorch's: ``Sampler[int]``."""

    def __init__(self, data_source: Sized | None = None) -> None:
        pass  # PyTorch accepts and ignores it

    def __iter__(self) -> Iterator[Any]:
        raise NotImplementedError


class SequentialSampler(Sampler[int]):
    """Indices 0, 1, ..., len(data_source) - 1, in order."""

    def __init__(self, data_source: Sized) -> None:
        self.data_source = data_source

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)


class RandomSampler(Sampler[int]):
    """A random permutation of ``range(len(data_source))`` each pass; ``num_samples`` more than the
    length chains further permutations (the last one cut short). With ``replacement=True``,
    ``num_samples`` independent uniform draws. Same generator state, same order (not PyTorch's)."""

    def __init__(
        self,
        data_source: Sized,
        replacement: bool = False,
        num_samples: int | None = None,
        generator: Any = None,
    ) -> None:
        if not isinstance(replacement, bool):
            raise TypeError(f"replacement should be a boolean value, but got replacement={replacement}")
        if num_samples is not None and (not _is_index(num_samples) or num_samples <= 0):
            raise ValueError(
                f"num_samples should be a positive integer value, but got num_samples={num_samples}"
            )
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = _fixed_generator(generator, "RandomSampler")

    @property
    def num_samples(self) -> int:
        """How many indices a pass yields: ``num_samples`` if given, else the dataset's length."""
        return len(self.data_source) if self._num_samples is None else int(self._num_samples)

    def __iter__(self) -> Iterator[int]:
        n, m = len(self.data_source), self.num_samples
        rng = generator_of(self.generator)
        if self.replacement:
            yield from rng.integers(0, n, size=m).tolist()
            return
        for _ in range(m // n if n else 0):
            yield from rng.permutation(n).tolist()
        if n and m % n:
            yield from rng.permutation(n)[: m % n].tolist()

    def __len__(self) -> int:
        return self.num_samples


class SubsetRandomSampler(Sampler[int]):
    """The given ``indices`` in a random order each pass (no replacement), from ``generator`` or the
    global generator: reproducible, not PyTorch's order."""

    def __init__(self, indices: Iterable[int], generator: Any = None) -> None:
        self.indices = indices
        self.generator = _fixed_generator(generator, "SubsetRandomSampler")

    def __iter__(self) -> Iterator[Any]:
        for i in generator_of(self.generator).permutation(len(self.indices)).tolist():
            yield self.indices[i]

    def __len__(self) -> int:
        return len(self.indices)


class WeightedRandomSampler(Sampler[int]):
    """``num_samples`` indices drawn with probabilities proportional to ``weights`` (which need not
    sum to 1), with replacement by default; without it, each index at most once (PyTorch's
    ``multinomial``: successive draws among the indices not yet drawn; zero weights only once the others
    are used up). From ``generator`` or the global generator: reproducible, not PyTorch's draws."""

    def __init__(
        self, weights: Any, num_samples: int, replacement: bool = True, generator: Any = None
    ) -> None:
        if not _is_index(num_samples) or num_samples <= 0:
            raise ValueError(
                f"num_samples should be a positive integer value, but got num_samples={num_samples}"
            )
        if not isinstance(replacement, bool):
            raise ValueError(f"replacement should be a boolean value, but got replacement={replacement}")
        w = np.asarray(weights.data if isinstance(weights, Tensor) else weights, dtype=np.float64)
        if w.ndim != 1:
            raise ValueError(f"weights should be a 1d sequence but given weights have shape {tuple(w.shape)}")
        self.weights = Tensor(w)
        self.num_samples = int(num_samples)
        self.replacement = replacement
        self.generator = _fixed_generator(generator, "WeightedRandomSampler")

    def __iter__(self) -> Iterator[int]:
        w = self.weights.data
        if not np.all(w >= 0):  # NaN included, as PyTorch's check
            raise RuntimeError("invalid multinomial distribution (encountering probability entry < 0)")
        if np.any(np.isinf(w)):
            raise RuntimeError(
                "invalid multinomial distribution (encountering probability entry = infinity or NaN)"
            )
        if w.sum() <= 0:
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
        if not self.replacement and self.num_samples > w.size:
            raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement")
        rng = generator_of(self.generator)
        m, positive = self.num_samples, np.count_nonzero(w)
        if self.replacement or m <= positive:
            yield from rng.choice(w.size, size=m, replace=self.replacement, p=w / w.sum()).tolist()
            return
        # more draws than positive weights: every positive index (weighted order), then zero-weight ones,
        # as PyTorch's multinomial does rather than refusing
        yield from rng.choice(w.size, size=positive, replace=False, p=w / w.sum()).tolist()
        yield from rng.permutation(np.flatnonzero(w == 0))[: m - positive].tolist()

    def __len__(self) -> int:
        return self.num_samples


class BatchSampler(Sampler[list[int]]):
    """Lists of ``batch_size`` consecutive indices of ``sampler``; the last one shorter unless
    ``drop_last``. ``list(BatchSampler(range(5), 2, False))`` is ``[[0, 1], [2, 3], [4]]``."""

    def __init__(self, sampler: Iterable[int], batch_size: int, drop_last: bool) -> None:
        if not _is_index(batch_size) or batch_size <= 0:
            raise ValueError(
                f"batch_size should be a positive integer value, but got batch_size={batch_size}"
            )
        if not isinstance(drop_last, bool):
            raise ValueError(f"drop_last should be a boolean value, but got drop_last={drop_last}")
        self.sampler, self.batch_size, self.drop_last = sampler, int(batch_size), drop_last

    def __iter__(self) -> Iterator[list]:
        batch: list = []
        for idx in self.sampler:
            batch.append(idx)
            if len(batch) == self.batch_size:
                yield batch
                batch = []
        if batch and not self.drop_last:
            yield batch

    def __len__(self) -> int:
        n = len(self.sampler)  # type: ignore[arg-type]
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)


__all__ = [
    "Sampler",
    "SequentialSampler",
    "RandomSampler",
    "SubsetRandomSampler",
    "WeightedRandomSampler",
    "BatchSampler",
]
