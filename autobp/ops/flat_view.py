"""numpy's ``a.flat`` for a Tensor: indexing the flattened tensor with numpy's flat-iterator rules
(numpy itself decides which positions an index selects and raises its errors and warnings: no
newaxis, one index only, a list of booleans refused, a 0-d index not assignable), then the reads and
writes go through the Tensor's recorded indexing and ``put``; an assignment repeats the values over
the selected positions, as numpy's does."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor


def _numpy_index(index: Any) -> Any:
    """The index as numpy's flatiter takes it (a Tensor's values, another flat view's iterator)."""
    if isinstance(index, Tensor):
        return index._data
    if isinstance(index, FlatView):
        return index._t._data.flat
    if isinstance(index, tuple):
        return tuple(_numpy_index(i) for i in index)
    return index


class FlatView:
    """numpy's ``a.flat`` for a Tensor: ``t.flat[i]`` reads the flattened tensor (recorded, as
    ``t.reshape(-1)[positions]``), ``t.flat[i] = v`` writes in place (as ``t.put``), with numpy's
    flat-iterator indexing rules."""

    def __init__(self, t: Tensor) -> None:
        self._t = t

    def __getitem__(self, index: Any) -> Tensor:
        picked = np.arange(self._t.size).flat[_numpy_index(index)]  # numpy's rules, errors, warnings
        flat = self._t.reshape((-1,))
        if isinstance(picked, np.ndarray):
            return flat[picked]
        return flat[int(picked)]

    def __setitem__(self, index: Any, value: Any) -> None:
        index = _numpy_index(index)
        probe = np.zeros(self._t.size, np.int8)
        probe.flat[index] = 0  # numpy's checks of an assignment (0-d index refused, bounds, ...)
        positions = np.atleast_1d(np.arange(self._t.size).flat[index]).ravel()
        if positions.size == 0:
            return
        v = value if isinstance(value, Tensor) else Tensor._const(np.asarray(value, self._t.dtype))
        v = v.reshape((-1,))
        if v.size == 0:
            raise ValueError(f"flat assignment of an empty value to {positions.size} positions")
        if v.size != positions.size:  # numpy repeats the values over the positions
            v = v[np.arange(positions.size) % v.size]
        self._t.put(positions, v)

    def __len__(self) -> int:
        return self._t.size

    def __iter__(self) -> Any:
        flat = self._t.reshape((-1,))
        return (flat[i] for i in range(self._t.size))
