"""``default_collate`` (a list of samples into one batch) and ``default_convert`` (one sample's arrays
into Tensors), with ``torch.utils.data``'s rules for nested dicts, tuples, namedtuples, lists,
numbers, strings, numpy arrays and Tensors."""

from __future__ import annotations

import copy
from collections.abc import Mapping, MutableMapping, MutableSequence, Sequence
from typing import Any

import numpy as np

from ..ops import stack
from ..tensor import Tensor, tensor


def _collate_error(found: Any) -> TypeError:
    return TypeError(
        f"default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found {found}"
    )


def _is_namedtuple(x: Any) -> bool:
    return isinstance(x, tuple) and hasattr(x, "_fields")


def _text_dtype(dtype: np.dtype) -> bool:
    """numpy dtypes PyTorch cannot hold: strings, bytes, objects."""
    return dtype.kind in "SaUO"


def _array_tensor(arr: np.ndarray) -> Tensor:
    return Tensor(arr, dtype=arr.dtype)


def _rebuild(sample: Any, fields: list) -> Any:
    """A sequence like ``sample`` holding ``fields``: tuples give lists (as PyTorch); a mutable
    sequence is copied and filled; another type is rebuilt from a list, or is a list if it cannot be."""
    if isinstance(sample, tuple):
        return fields
    try:
        if isinstance(sample, MutableSequence):
            clone = copy.copy(sample)
            for i, f in enumerate(fields):
                clone[i] = f
            return clone
        return type(sample)(fields)
    except TypeError:
        return fields


def _remap(sample: Mapping, values: dict) -> Any:
    """A mapping like ``sample`` holding ``values`` (a plain dict if its type cannot be rebuilt)."""
    try:
        if isinstance(sample, MutableMapping):
            clone = copy.copy(sample)
            clone.update(values)
            return clone
        return type(sample)(values)
    except TypeError:
        return dict(values)


def _stack_tensors(batch: Sequence[Tensor]) -> Tensor:
    first = tuple(batch[0].shape)
    for i, t in enumerate(batch):
        if tuple(t.shape) != first:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {list(first)} at entry 0 "
                f"and {list(t.shape)} at entry {i}"
            )
    return stack(list(batch), axis=0)  # recorded: tensors that require grad keep their graph


def default_collate(batch: Sequence[Any]) -> Any:
    """Merge a list of samples into a batch, as ``torch.utils.data.default_collate``: Tensors and numpy
    arrays are stacked on a new first axis (keeping their dtype); Python ints (and bools) become an
    int64 (bool) Tensor (ints mixed with floats: float64, where PyTorch gives its default float32),
    floats a float64 one, numpy scalars one of their dtype; strings and bytes
    stay a list; dicts, namedtuples and sequences are collated field by field (tuples into lists).
    Samples of different shapes raise PyTorch's "stack expects each tensor to be equal size"."""
    elem = batch[0]
    if isinstance(elem, Tensor):
        return _stack_tensors(batch)
    if isinstance(elem, np.ndarray):
        if _text_dtype(elem.dtype):
            raise _collate_error(elem.dtype)
        return _stack_tensors([_array_tensor(np.asarray(b)) for b in batch])
    if isinstance(elem, (np.bool_, np.number)):
        return _array_tensor(np.asarray(batch))
    if isinstance(elem, (str, bytes)):
        return batch
    if isinstance(elem, float):
        return Tensor(np.asarray(batch, dtype=np.float64))
    if isinstance(elem, int):  # PyTorch's torch.tensor(batch): int64, bool, or a float for mixed numbers
        return tensor(list(batch))  # (autobp's default float: float64, where PyTorch's is float32)
    if isinstance(elem, Mapping):
        return _remap(elem, {k: default_collate([d[k] for d in batch]) for k in elem})
    if _is_namedtuple(elem):
        return type(elem)(*(default_collate(field) for field in zip(*batch)))
    if isinstance(elem, Sequence):
        size = len(elem)
        if any(len(b) != size for b in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        return _rebuild(elem, [default_collate(field) for field in zip(*batch)])
    raise _collate_error(type(elem))


def default_convert(data: Any) -> Any:
    """One sample's numpy arrays and scalars as Tensors (their dtype kept), through dicts, namedtuples
    and sequences (tuples become lists, as PyTorch); Tensors, Python numbers, strings and arrays of
    strings are returned as they are. What a DataLoader with ``batch_size=None`` applies to each sample."""
    if isinstance(data, Tensor):
        return data
    if isinstance(data, np.ndarray):
        return data if _text_dtype(data.dtype) else _array_tensor(data)
    if isinstance(data, (np.bool_, np.number)):
        return _array_tensor(np.asarray(data))
    if isinstance(data, (str, bytes)):
        return data
    if isinstance(data, Mapping):
        return _remap(data, {k: default_convert(v) for k, v in data.items()})
    if _is_namedtuple(data):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, Sequence):
        return _rebuild(data, [default_convert(d) for d in data])
    return data


__all__ = ["default_collate", "default_convert"]
