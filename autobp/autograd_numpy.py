"""HIPS autograd's own addition to the numpy namespace, so its programs run with ``import autobp as np``:
``make_diagonal``, the inverse of ``np.diagonal`` (autograd's gradient of diagonal, also handy to
build batched diagonal matrices)."""

from __future__ import annotations

from typing import Any

from ._plain import has_tensor, to_plain
from .pytorch_functions import diag_embed
from .tensor import Tensor


def make_diagonal(D: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Tensor:
    """The array R, zero off its diagonal, with ``np.diagonal(R, offset, axis1, axis2) == D``
    (HIPS autograd's ``np.make_diagonal``): D's last axis goes on the ``offset`` diagonal of axes
    ``axis1``, ``axis2`` of the result (which has one axis more), the other axes in D's order.
    autograd implements only ``offset=0, axis1=-1, axis2=-2``; autobp takes any, as
    ``torch.diag_embed(D, offset, axis1, axis2)`` (the same function). Differentiable in D; arrays in,
    an array out.

    >>> import numpy as np
    >>> make_diagonal(np.array([1.0, 2.0]), axis1=-1, axis2=-2)
    array([[1., 0.],
           [0., 2.]])
    """
    out = diag_embed(D, offset, axis1, axis2)
    return out if has_tensor(D) else to_plain(out)


__all__ = ["make_diagonal"]
