"""``DataLoader``, as ``torch.utils.data``'s, loading in this process: samples fetched by a sampler's
indices (or from an IterableDataset's iterator), grouped by a batch sampler and merged by
``collate_fn``; ``get_worker_info``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, Generic, TypeVar

import numpy as np

from ..random import generator_of
from .collate import default_collate, default_convert
from .dataset import IterableDataset, TensorDataset, _fetch
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler


def get_worker_info() -> None:
    """None: every DataLoader loads in the main process (PyTorch returns None there too), so an
    IterableDataset that shards by worker sees the whole stream."""
    return None


class _InfiniteConstantSampler(Sampler[None]):
    """An IterableDataset's sampler: the dataset's own iterator decides what comes next."""

    def __iter__(self) -> Iterator[None]:
        while True:
            yield None


_FROZEN = ("batch_size", "batch_sampler", "sampler", "drop_last", "dataset", "persistent_workers")


_T_co = TypeVar("_T_co", covariant=True)


class DataLoader(Generic[_T_co]):
    """Batches of a dataset, as ``torch.utils.data.DataLoader``, made in this process.

    Map-style datasets are indexed by ``sampler`` (default: ``SequentialSampler``, or with
    ``shuffle=True`` a ``RandomSampler`` drawing from ``generator``); indices are grouped into
    ``batch_size`` lists by a ``BatchSampler`` (``drop_last`` drops a short last batch), or given
    directly as ``batch_sampler``; each list of samples goes through ``collate_fn`` (default:
    ``default_collate``). ``batch_size=None`` turns batching off: each sample goes through
    ``collate_fn`` (default: ``default_convert``) alone. An ``IterableDataset`` is batched in the order
    its iterator yields (no sampler, no shuffle). Option conflicts raise PyTorch's ValueErrors.

    ``generator`` is a ``numpy.random.Generator`` or an int seed; None draws each epoch's order from
    autobp's global generator, so ``autobp.manual_seed(s)`` makes the epochs reproducible (not PyTorch's
    orders: the generators differ). Each epoch reshuffles.

    ``num_workers > 0`` is accepted but loads in this process, exactly as ``num_workers=0`` does:
    ``worker_init_fn`` is never called (as PyTorch with ``num_workers=0``), ``get_worker_info()`` is
    None, and an IterableDataset's stream is read once (not once per worker). ``pin_memory``,
    ``timeout``, ``prefetch_factor``, ``persistent_workers``, ``multiprocessing_context``,
    ``pin_memory_device`` and ``in_order`` are checked as PyTorch checks them and otherwise have no
    effect. For a ``TensorDataset`` with the default collate, a batch is one indexing of each tensor.
    Generic, as PyTorch's (``DataLoader[tuple]`` in annotations).

    >>> loader = DataLoader(TensorDataset(x, y), batch_size=32, shuffle=True, generator=0)  # doctest: +SKIP
    >>> for xb, yb in loader: ...                                                          # doctest: +SKIP
    """

    def __init__(
        self,
        dataset: Any,
        batch_size: int | None = 1,
        shuffle: bool | None = None,
        sampler: Sampler | Iterable | None = None,
        batch_sampler: Sampler | Iterable | None = None,
        num_workers: int = 0,
        collate_fn: Callable[[Any], Any] | None = None,
        pin_memory: bool = False,
        drop_last: bool = False,
        timeout: float = 0,
        worker_init_fn: Callable[[int], None] | None = None,
        multiprocessing_context: Any = None,
        generator: Any = None,
        *,
        prefetch_factor: int | None = None,
        persistent_workers: bool = False,
        pin_memory_device: str = "",
        in_order: bool = True,
    ) -> None:
        if num_workers < 0:
            raise ValueError(
                "num_workers option should be non-negative; use num_workers=0 to disable multiprocessing."
            )
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError(
                "prefetch_factor option could only be specified in multiprocessing.let num_workers > 0 "
                "to enable multiprocessing, otherwise set prefetch_factor to None."
            )
        if prefetch_factor is not None and prefetch_factor < 0:
            raise ValueError("prefetch_factor option should be non-negative")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")
        if generator is not None:
            generator = generator_of(generator, "DataLoader: generator")  # an int seed: one Generator
        iterable = isinstance(dataset, IterableDataset)
        if iterable:
            for name, value in (("shuffle", shuffle), ("sampler", sampler), ("batch_sampler", batch_sampler)):
                if value not in (None, False):
                    raise ValueError(
                        f"DataLoader with IterableDataset: expected unspecified {name} option, "
                        f"but got {name}={value}"
                    )
        elif shuffle not in (None, False) and sampler is not None:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError(
                    "batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, "
                    "and drop_last"
                )
            batch_size, drop_last = None, False
        elif batch_size is None and drop_last:
            raise ValueError(
                "batch_size=None option disables auto-batching and is mutually exclusive with drop_last"
            )
        if sampler is None:
            if iterable:
                sampler = _InfiniteConstantSampler()
            elif shuffle:
                sampler = RandomSampler(dataset, generator=generator)
            else:
                sampler = SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.dataset = dataset
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.num_workers = num_workers
        self.prefetch_factor = prefetch_factor
        self.pin_memory = pin_memory
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        self.generator = generator
        self.persistent_workers = persistent_workers
        self.in_order = in_order
        if collate_fn is None:
            collate_fn = default_collate if batch_sampler is not None else default_convert
        self.collate_fn = collate_fn
        self._initialized = True

    def __setattr__(self, name: str, value: Any) -> None:
        if self.__dict__.get("_initialized") and name in _FROZEN:
            raise ValueError(f"{name} attribute should not be set after {type(self).__name__} is initialized")
        super().__setattr__(name, value)

    @property
    def _auto_collation(self) -> bool:
        return self.batch_sampler is not None

    @property
    def _index_sampler(self) -> Any:
        return self.batch_sampler if self._auto_collation else self.sampler

    def __len__(self) -> int:
        """Batches per epoch (samples, with ``batch_size=None``). An IterableDataset has a length only
        if it defines ``__len__``: else TypeError, as PyTorch."""
        if isinstance(self.dataset, IterableDataset):
            n = len(self.dataset)
            if self.batch_size is not None:
                return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
            return n
        return len(self._index_sampler)

    def __iter__(self) -> _LoaderIterator:
        return _LoaderIterator(self, self._batches())

    def _batches(self) -> Iterator[Any]:
        collate = self.collate_fn
        if isinstance(self.dataset, IterableDataset):
            stream = iter(self.dataset)
            if not self._auto_collation:
                yield from (collate(x) for x in stream)
                return
            while True:
                batch = [x for _, x in zip(range(self.batch_size), stream)]
                if not batch or (self.drop_last and len(batch) < self.batch_size):
                    return
                yield collate(batch)
        if not self._auto_collation:
            for i in self.sampler:
                yield collate(self.dataset[i])
            return
        fast = collate is default_collate and type(self.dataset).__getitem__ is TensorDataset.__getitem__
        for idx in self.batch_sampler:
            if fast:  # one fancy indexing of each tensor: what default_collate of the samples gives
                yield list(self.dataset[np.asarray(idx, dtype=np.int64)])
            else:
                yield collate(_fetch(self.dataset, list(idx)))


class _LoaderIterator:
    """One pass over a DataLoader: ``next`` gives the next batch; ``len`` is the loader's."""

    def __init__(self, loader: DataLoader, batches: Iterator[Any]) -> None:
        self._loader, self._batches = loader, batches

    def __iter__(self) -> _LoaderIterator:
        return self

    def __next__(self) -> Any:
        return next(self._batches)

    def __len__(self) -> int:
        return len(self._loader)


__all__ = ["DataLoader", "get_worker_info"]
