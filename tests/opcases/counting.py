"""Op-table cases for bincount and unique (numpy's values; PyTorch's where it has the op)."""

import numpy as np

import autobp

from ..optable import arrays_of, case, shapes, torch, unary


def _torch_weighted_bincount(idx, w, minlength):
    """torch.bincount's weighted value, written with index_add (torch.bincount has no derivative)."""
    n = max(minlength, int(idx.max()) + 1 if idx.numel() else 0)
    return torch.zeros(n, dtype=w.dtype).index_add(0, idx, w)


_COUNTS = (
    shapes(min_dims=1, max_dims=1)
    .flatmap(lambda s: arrays_of(s, s))
    .map(
        lambda t: (np.abs(np.round(t[0] * 2)), t[1])  # non-negative integer values (as floats) and weights
    )
)
case(  # differentiable in the weights; the values only choose the bins
    "bincount",
    lambda x, w: autobp.bincount(np.round(x.data).astype(np.int64), weights=w, minlength=3),
    _COUNTS,
    torch_fn=lambda x, w: _torch_weighted_bincount(torch.round(x).long(), w, 3),
    numpy_fn=lambda x, w: np.bincount(x.astype(np.int64), weights=w, minlength=3),
    second_order=False,
    id="bincount-weights",
)
case(
    "bincount",
    lambda x, w: autobp.bincount(np.round(x.data).astype(np.int64)),
    _COUNTS,
    torch_fn=lambda x, w: torch.bincount(torch.round(x).long()),
    numpy_fn=lambda x, w: np.bincount(x.astype(np.int64)),
    grad=False,
    id="bincount-counts",
)
_TIES = unary(min_dims=1).map(lambda t: (np.round(t[0]),))  # repeated values are likely
_DISTINCT = unary(min_dims=1).filter(lambda t: t[0].size < 2 or np.diff(np.sort(t[0].ravel())).min() > 1e-2)
case(  # the distinct values, each from its first occurrence: a gradient reaches that element
    "unique",
    lambda x: autobp.unique(x),
    _DISTINCT,
    numpy_fn=np.unique,
    second_order=False,
    id="unique-values",
)
for _axis in (None, 0):
    case(
        "unique",
        lambda x, a=_axis: autobp.unique(
            x, return_index=True, return_inverse=True, return_counts=True, axis=a
        )[1:],
        _TIES
        if _axis is None
        else unary(min_dims=2, max_dims=2, min_side=1).map(lambda t: (np.round(t[0]),)),
        numpy_fn=lambda x, a=_axis: np.unique(
            x, return_index=True, return_inverse=True, return_counts=True, axis=a
        )[1:],
        grad=False,
        ints=True,
        id=f"unique-extras-axis{_axis}",
    )
