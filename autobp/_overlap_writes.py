"""Writes through a view whose elements share memory (``b.expand(3, 4)``, ``broadcast_to``), as PyTorch
allows them: a fill (``fill_`` with a number, ``zero_``, ``masked_fill_``, ``index_fill_``,
``fill_diagonal_``, ``nn.init.zeros_``/``ones_``/``constant_``) writes one value at each position it
fills, so every memory location gets a well-defined value and the base changes accordingly; every other
write (``add_``, ``copy_``, ``t[i] = v``, ``normal_``...) is refused with PyTorch's error text.

numpy makes such views read-only; a fill writes through a writable alias of the same memory.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ._inplace import bump

# PyTorch's words (its internal-overlap check on the written-to tensor)
OVERLAP = (
    "unsupported operation: more than one element of the written-to tensor refers to a single memory "
    "location. Please clone() the tensor before performing the operation."
)


class OverlapWriteError(RuntimeError, ValueError):
    """A write that is not a fill into a view whose elements share memory (a broadcast view): PyTorch
    raises a RuntimeError there and numpy a ValueError (its broadcast views are read-only), so code
    written for either catches this one."""


def overlap_error(name: str, t: Any) -> OverlapWriteError:
    """PyTorch's refusal of ``name`` on ``t``, a read-only view sharing memory between its elements."""
    made_by = t._op or (t._view_op or ("a view op",))[0]
    return OverlapWriteError(f"{name}: {OVERLAP} (a read-only view of shape {t.shape}, made by {made_by})")


def shares_elements(t: Any) -> bool:
    """Is ``t`` a read-only view of another tensor's memory in which elements share a location (a
    broadcast view: a stride of 0 along an axis longer than 1), PyTorch's internal overlap?"""
    if t._source is None:
        return False
    data = t._data
    return not data.flags.writeable and any(s == 0 and n > 1 for s, n in zip(data.strides, data.shape))


def _writable_alias(data: np.ndarray) -> np.ndarray | None:
    """A writable array over ``data``'s memory, with its shape and strides; None when that memory is
    itself read-only (a view of a read-only array)."""
    alias = data.view()
    try:
        alias.flags.writeable = True
    except ValueError:
        return None
    return alias


def fill_through(t: Any, where: Any, new: np.ndarray, name: str) -> None:
    """Write ``new[where]`` (one value, a fill's) into ``t``'s memory at ``where``, ``t`` a read-only
    view whose elements may share memory: every location written gets that value, as PyTorch's fills
    on an expanded tensor. Its version (and its base's) is bumped. Raises PyTorch's error when the
    memory is not writable at all."""
    alias = _writable_alias(t._data)
    if alias is None:
        raise overlap_error(name, t)
    if where is Ellipsis:
        alias[...] = new
    else:
        alias[where] = new[where]
    if name in ("masked_fill_", "index_fill_"):  # PyTorch warns of these two
        warnings.warn(
            f"Use of {name} on expanded tensors is deprecated. Please clone() the tensor before "
            "performing this operation.",
            UserWarning,
            stacklevel=4,
        )
    bump(t)


def fill_positions(mask: Any, shape: tuple) -> np.ndarray:
    """``mask`` (an array, Tensor or nested list of bools) broadcast to ``shape``: where a fill writes."""
    m = mask._data if hasattr(mask, "_data") else np.asarray(mask)
    return np.broadcast_to(np.asarray(m, dtype=bool), shape)


def init_fill(t: Any, value: Any, who: str) -> bool:
    """``nn.init``'s fills into a tensor sharing memory between its elements: a constant (``zeros_``,
    ``ones_``, ``constant_``) is written, as PyTorch's (they call ``fill_``); random or per-element
    values are refused with PyTorch's error. False: ``t`` is no such view (write as usual)."""
    if not shares_elements(t):
        return False
    if np.ndim(value) != 0:
        raise overlap_error(who, t)
    fill_through(t, Ellipsis, np.full(t._data.shape, value, dtype=t._data.dtype), who)
    return True
