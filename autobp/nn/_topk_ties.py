"""Which indices PyTorch's CPU ``topk`` picks among tied values, for pruning masks that match its own.

PyTorch's CPU ``topk`` of k out of n selects with the C++ standard library (GNU libstdc++ on Linux):
``partial_sort`` when 64 k <= n, else ``nth_element``, over (value, index) pairs compared by value
alone. Tied values then split at the boundary in the order those algorithms happen to leave them, not
by index. ``topk_indices`` returns the same set: numpy's ``argpartition`` when no tie straddles the
boundary (the set is then unique), else a replay of the libstdc++ algorithms on the pairs.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np


def _less(largest: bool) -> Callable[[float, float], bool]:
    """PyTorch's comparator: NaN counts as the largest value."""
    if largest:
        return lambda a, b: (math.isnan(a) and not math.isnan(b)) or a > b
    return lambda a, b: (not math.isnan(a) and math.isnan(b)) or a < b


def topk_indices(values: np.ndarray, k: int, largest: bool) -> np.ndarray:
    """The indices of the k largest (or smallest) of the 1-D ``values``, ties split as PyTorch's."""
    v = np.asarray(values).ravel()
    n = v.size
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    if k >= n:
        return np.arange(n)
    if not np.isnan(v).any():
        key = -v if largest else v
        part = np.argpartition(key, k - 1)
        kth = key[part[k - 1]]
        if np.count_nonzero(key <= kth) == k:  # nothing ties with the k-th across the boundary
            return np.sort(part[:k])
    vals = [float(x) for x in v]
    pairs = list(range(n))  # the positions' indices; compared through ``vals``
    less = _less(largest)

    def comp(i: int, j: int) -> bool:
        return less(vals[i], vals[j])

    if k * 64 <= n:
        _heap_select(pairs, 0, k, n, comp)
    else:
        _nth_element(pairs, 0, k - 1, n, comp)
    return np.sort(np.array(pairs[:k], dtype=np.int64))


def _nth_element(a: list, first: int, nth: int, last: int, comp: Callable) -> None:
    if first == last or nth == last:
        return
    depth = 2 * ((last - first).bit_length() - 1)
    while last - first > 3:
        if depth == 0:
            _heap_select(a, first, nth + 1, last, comp)
            a[first], a[nth] = a[nth], a[first]
            return
        depth -= 1
        cut = _partition_pivot(a, first, last, comp)
        if cut <= nth:
            first = cut
        else:
            last = cut
    _insertion_sort(a, first, last, comp)


def _partition_pivot(a: list, first: int, last: int, comp: Callable) -> int:
    mid = first + (last - first) // 2
    _median_to_first(a, first, first + 1, mid, last - 1, comp)
    return _partition(a, first + 1, last, first, comp)


def _median_to_first(a: list, result: int, x: int, y: int, z: int, comp: Callable) -> None:
    if comp(a[x], a[y]):
        if comp(a[y], a[z]):
            m = y
        elif comp(a[x], a[z]):
            m = z
        else:
            m = x
    elif comp(a[x], a[z]):
        m = x
    elif comp(a[y], a[z]):
        m = z
    else:
        m = y
    a[result], a[m] = a[m], a[result]


def _partition(a: list, first: int, last: int, pivot: int, comp: Callable) -> int:
    while True:
        while comp(a[first], a[pivot]):
            first += 1
        last -= 1
        while comp(a[pivot], a[last]):
            last -= 1
        if not first < last:
            return first
        a[first], a[last] = a[last], a[first]
        first += 1


def _insertion_sort(a: list, first: int, last: int, comp: Callable) -> None:
    if first == last:
        return
    for i in range(first + 1, last):
        val = a[i]
        if comp(val, a[first]):
            a[first + 1 : i + 1] = a[first:i]
            a[first] = val
        else:
            j = i
            while comp(val, a[j - 1]):
                a[j] = a[j - 1]
                j -= 1
            a[j] = val


def _heap_select(a: list, first: int, middle: int, last: int, comp: Callable) -> None:
    _make_heap(a, first, middle, comp)
    for i in range(middle, last):
        if comp(a[i], a[first]):
            val = a[i]
            a[i] = a[first]
            _adjust_heap(a, first, 0, middle - first, val, comp)


def _make_heap(a: list, first: int, last: int, comp: Callable) -> None:
    length = last - first
    if length < 2:
        return
    parent = (length - 2) // 2
    while True:
        _adjust_heap(a, first, parent, length, a[first + parent], comp)
        if parent == 0:
            return
        parent -= 1


def _adjust_heap(a: list, first: int, hole: int, length: int, val: int, comp: Callable) -> None:
    top = hole
    child = hole
    while child < (length - 1) // 2:
        child = 2 * (child + 1)
        if comp(a[first + child], a[first + child - 1]):
            child -= 1
        a[first + hole] = a[first + child]
        hole = child
    if length % 2 == 0 and child == (length - 2) // 2:
        child = 2 * (child + 1)
        a[first + hole] = a[first + child - 1]
        hole = child - 1
    parent = (hole - 1) // 2
    while hole > top and comp(a[first + parent], val):
        a[first + hole] = a[first + parent]
        hole = parent
        parent = (hole - 1) // 2
    a[first + hole] = val
