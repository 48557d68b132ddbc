"""Shared memory in checkpoints (serialize.py): arrays that are views of one buffer (a tensor and its
slices, transposes, ``narrow``s) are saved as that buffer once plus each view's offset, shape and
strides, so that they share memory again after loading, as PyTorch's storages do. Loading checks every
view against its buffer's size before making it: a hostile file can describe no read outside it."""

from __future__ import annotations

from typing import Any

import numpy as np

MAX_NDIM = 64


def root_of(a: np.ndarray) -> np.ndarray:
    """The ndarray at the bottom of ``a``'s chain of bases (the one owning the memory)."""
    r = a
    while isinstance(r.base, np.ndarray):
        r = r.base
    return r


def view_spec(a: np.ndarray, root: np.ndarray) -> list | None:
    """``[offset, shape, strides]`` in elements of ``a`` inside the C-contiguous ``root``, or None when
    ``a`` cannot be described so (another dtype, a negative or fractional stride, not inside root)."""
    if a.dtype != root.dtype or not root.flags.c_contiguous or root.size == 0:
        return None
    item = root.itemsize
    start = a.__array_interface__["data"][0] - root.__array_interface__["data"][0]
    if start < 0 or start % item or any(s < 0 or s % item for s in a.strides):
        return None
    strides = [s // item if n > 1 else 0 for n, s in zip(a.shape, a.strides)]  # a length-1 axis: any
    offset = start // item
    last = offset + sum((n - 1) * s for n, s in zip(a.shape, strides)) if a.size else offset
    if last >= root.size:
        return None
    return [offset, list(a.shape), strides]


def shared_roots(arrays: list[np.ndarray]) -> dict[int, np.ndarray]:
    """The roots (by id) that two or more of ``arrays`` are views of and that can be saved once."""
    members: dict[int, set] = {}
    roots: dict[int, np.ndarray] = {}
    for a in arrays:
        r = root_of(a)
        if view_spec(a, r) is None:
            continue
        members.setdefault(id(r), set()).add((a.__array_interface__["data"][0], a.shape, a.strides))
        roots[id(r)] = r
    return {k: roots[k] for k, m in members.items() if len(m) > 1}


def make_view(flat: np.ndarray, spec: Any) -> np.ndarray | None:
    """The view ``spec`` (``[offset, shape, strides]`` in elements) of the 1-d ``flat``, or None when
    ``spec`` is malformed or reaches outside ``flat``."""
    if not (isinstance(spec, list) and len(spec) == 3):
        return None
    offset, shape, strides = spec
    ints = [offset, *(shape if isinstance(shape, list) else [None])]
    ints += strides if isinstance(strides, list) else [None]
    if any(type(v) is not int or v < 0 for v in ints) or len(shape) != len(strides) or len(shape) > MAX_NDIM:
        return None
    if flat.ndim != 1 or any(s > flat.size for s in strides) or any(n > 2**48 for n in shape):
        return None  # (a length-1 axis may have any stride in memory, but none beyond the buffer here)
    size = int(np.prod(shape, dtype=object))
    last = offset + sum((n - 1) * s for n, s in zip(shape, strides)) if size else offset
    if size and last >= flat.size or offset > flat.size:
        return None
    base = flat[offset:]
    return np.lib.stride_tricks.as_strided(base, tuple(shape), tuple(s * flat.itemsize for s in strides))
