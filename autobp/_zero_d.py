"""PyTorch reads a 0-d tensor as one element along dim 0 (or -1) in its dim-taking index functions
(index_select, index_add, scatter, ...) and gives a 0-d result; ``zero_d_as_one_element`` gives a
function written for tensors with axes that reading."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np


def _one(v: Any) -> Any:
    """A 0-d tensor or array as shape (1,); anything else (numbers, None, strings) unchanged."""
    from .tensor import Tensor

    if isinstance(v, Tensor) and v.ndim == 0:
        return v.reshape((1,))
    if isinstance(v, np.ndarray) and v.ndim == 0:
        return v.reshape((1,))
    return v


def zero_d_as_one_element(fn: Any) -> Any:
    """Wrap ``fn(input, dim, *rest, **kw)``: a 0-d input (with dim 0 or -1) runs as shape (1,), its 0-d
    tensor arguments as (1,) too, and the result comes back 0-d, as PyTorch's."""

    @functools.wraps(fn)
    def wrapper(input: Any, dim: Any, *rest: Any, **kw: Any) -> Any:
        if np.ndim(input.data if hasattr(input, "_data") else input) != 0:
            return fn(input, dim, *rest, **kw)
        if dim not in (0, -1):
            raise IndexError(f"{fn.__name__}: dim {dim} is out of range for a 0-d tensor (expected 0 or -1)")
        out = fn(_one(input), 0, *(_one(r) for r in rest), **{k: _one(v) for k, v in kw.items()})
        return out.reshape(())

    return wrapper
