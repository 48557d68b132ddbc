"""Datasets, samplers and data loaders, as ``torch.utils.data`` (also importable as
``autobp.utils.data``): ``Dataset``/``IterableDataset`` and their combinators, ``TensorDataset``,
``random_split``, the samplers, ``DataLoader`` (loading in this process), ``default_collate`` and
``default_convert``. Random orders come from numpy Generators (autobp's global one by default,
seeded by ``autobp.manual_seed``): reproducible, but not PyTorch's orders."""

from .collate import default_collate, default_convert
from .dataloader import DataLoader, get_worker_info
from .dataset import (
    ChainDataset,
    ConcatDataset,
    Dataset,
    DatasetArgumentError,
    IterableDataset,
    StackDataset,
    Subset,
    TensorDataset,
    random_split,
)
from .sampler import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)

SUBMODULES = ("collate", "dataloader", "dataset", "sampler")  # torch.utils.data's module names

__all__ = [
    "Dataset",
    "IterableDataset",
    "TensorDataset",
    "ConcatDataset",
    "ChainDataset",
    "StackDataset",
    "Subset",
    "random_split",
    "DataLoader",
    "default_collate",
    "default_convert",
    "get_worker_info",
    "Sampler",
    "SequentialSampler",
    "RandomSampler",
    "SubsetRandomSampler",
    "WeightedRandomSampler",
    "BatchSampler",
    "DatasetArgumentError",
]
