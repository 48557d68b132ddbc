"""numpy's index and set utilities on Tensors: index arrays (flatnonzero, lexsort, tril_indices,
unravel_index, ...) and membership tests are constant integer or boolean Tensors with numpy's values
and dtypes; the values of set operations and unique_* are gathered from the inputs (each from its
first occurrence, as ``unique``), so a gradient reaches the element a value came from."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..tensor import Tensor
from ._args import as_tensor
from ._decl import op
from .joining import concatenate
from .numpy_arrays import data_of
from .shape import astype, reshape

_X = "index_utils"


def _consts(arrays: Any) -> tuple:
    return tuple(Tensor._const(np.asarray(a)) for a in arrays)


@op(family=_X, differentiable=False, method=False)
def isin(
    element: Any, test_elements: Any, assume_unique: bool = False, invert: bool = False, *, kind: Any = None
) -> Tensor:
    """Whether each element of ``element`` is in ``test_elements``, a boolean Tensor of element's
    shape (numpy's and PyTorch's isin; ``invert`` negates)."""
    a = data_of(element)
    return Tensor._const(np.isin(a, data_of(test_elements), assume_unique, invert, kind=kind))


@op(family=_X, differentiable=False, method=False)
def digitize(x: Any, bins: Any, right: bool = False) -> Tensor:
    """The index of the bin each value of ``x`` falls in (numpy's digitize; int64). Not torch.bucketize:
    for increasing bins, digitize's ``right=False`` is bucketize's ``right=True``."""
    b = data_of(bins)
    if b.ndim != 1:
        raise ValueError(f"digitize: bins must be 1-d, got shape {b.shape}")
    try:
        return Tensor._const(np.digitize(data_of(x), b, right))
    except ValueError as e:
        raise ValueError(f"digitize: {e} (bins {b.tolist()})") from None


@op(family=_X, differentiable=False, method=False)
def flatnonzero(a: Any) -> Tensor:
    """The positions of the nonzero elements of the flattened ``a`` (numpy's flatnonzero; int64)."""
    return Tensor._const(np.flatnonzero(data_of(a)))


@op(family=_X, differentiable=False, method=False)
def lexsort(keys: Any, axis: int = -1) -> Tensor:
    """The indices that sort by several keys, the LAST key the primary one (numpy's lexsort)."""
    ks = data_of(keys) if isinstance(keys, Tensor) else [data_of(k) for k in keys]
    return Tensor._const(np.lexsort(ks, axis=axis))


def _gather(found: np.ndarray, sources: list[Tensor]) -> Tensor:
    """``found`` (values of the flattened sources, as numpy's set functions give them) as a gather
    from the sources' first occurrences, in numpy's result dtype."""
    flat = [reshape(t, (-1,)) for t in sources]
    cat = flat[0] if len(flat) == 1 else concatenate(flat)
    if found.size == 0:  # an empty gather: still on the graph, as every result of a Tensor input
        out = cat[np.zeros(0, np.intp)]
    else:
        u, first = np.unique(cat._data, return_index=True)
        out = cat[first[np.searchsorted(u, found)]]
    return out if out.dtype == found.dtype else astype(out, found.dtype)


def _pair(ar1: Any, ar2: Any) -> tuple[Tensor, Tensor]:
    return as_tensor(ar1), as_tensor(ar2)


@op(family=_X, rules=("getitem", "concatenate", "reshape"), method=False)
def intersect1d(ar1: Any, ar2: Any, assume_unique: bool = False, return_indices: bool = False) -> Any:
    """The sorted values in both ``ar1`` and ``ar2`` (numpy's intersect1d), gathered from ar1 (its
    first occurrences); with ``return_indices`` also their positions in each flattened input."""
    a, b = _pair(ar1, ar2)
    found = np.intersect1d(a._data, b._data, assume_unique, return_indices=True)
    values = _gather(found[0], [a])
    return (values, *_consts(found[1:])) if return_indices else values


@op(family=_X, rules=("getitem", "concatenate", "reshape"), method=False)
def union1d(ar1: Any, ar2: Any) -> Tensor:
    """The sorted values in either input (numpy's union1d), each gathered from its first occurrence."""
    a, b = _pair(ar1, ar2)
    return _gather(np.union1d(a._data, b._data), [a, b])


@op(family=_X, rules=("getitem", "concatenate", "reshape"), method=False)
def setdiff1d(ar1: Any, ar2: Any, assume_unique: bool = False) -> Tensor:
    """The values of ``ar1`` not in ``ar2`` (numpy's setdiff1d: sorted and unique unless
    ``assume_unique``), gathered from ar1."""
    a, b = _pair(ar1, ar2)
    return _gather(np.setdiff1d(a._data, b._data, assume_unique), [a])


@op(family=_X, rules=("getitem", "concatenate", "reshape"), method=False)
def setxor1d(ar1: Any, ar2: Any, assume_unique: bool = False) -> Tensor:
    """The sorted values in exactly one of the inputs (numpy's setxor1d), gathered from them."""
    a, b = _pair(ar1, ar2)
    return _gather(np.setxor1d(a._data, b._data, assume_unique), [a, b])


def _unique(name: str, x: Any) -> Any:
    t = as_tensor(x)
    found = getattr(np, name)(t._data)
    if name == "unique_values":
        return _gather(found, [t])
    return type(found)(_gather(found[0], [t]), *_consts(found[1:]))


@op(family=_X, rules=("getitem", "reshape"), method=False)
def unique_all(x: Any) -> Any:
    """(values, indices, inverse_indices, counts) of the flattened ``x``, numpy's unique_all (a named
    tuple); the values are gathered from their first occurrences."""
    return _unique("unique_all", x)


@op(family=_X, rules=("getitem", "reshape"), method=False)
def unique_counts(x: Any) -> Any:
    """(values, counts) of the flattened ``x``, numpy's unique_counts (a named tuple)."""
    return _unique("unique_counts", x)


@op(family=_X, rules=("getitem", "reshape"), method=False)
def unique_inverse(x: Any) -> Any:
    """(values, inverse_indices), numpy's unique_inverse: values[inverse_indices] rebuilds ``x``."""
    return _unique("unique_inverse", x)


@op(family=_X, rules=("getitem", "reshape"), method=False)
def unique_values(x: Any) -> Tensor:
    """The distinct values of ``x``, in numpy's unique_values order (which numpy does not promise
    to be sorted)."""
    return _unique("unique_values", x)


_TRI_DIFFERS = (
    "torch's {0}(row, col, offset) takes the column count second and returns one (2, N) tensor; "
    "numpy's (this) takes the diagonal k second and returns (rows, cols): PyTorch's by keyword "
    "({0}(3, col=3), row=, offset=)"
)


def _torch_tri(
    lower: bool, n: Any, k: Any, m: Any, row: Any, col: Any, offset: Any, dtype: Any, device: Any, layout: Any
) -> Any:
    """PyTorch's ``tril_indices``/``triu_indices(row, col, offset=0)`` when one of its keywords is
    given: a (2, N) int64 (or ``dtype``) Tensor of the rows and columns; else None (numpy's form)."""
    torchy = {"row": row, "col": col, "offset": offset, "dtype": dtype, "device": device, "layout": layout}
    if all(v is None for v in torchy.values()):
        return None
    from .._device import check_device
    from ._creation_args import torch_only

    who = "tril_indices" if lower else "triu_indices"
    check_device(device, who)
    torch_only(who, layout)
    if m is not None or k != 0 or (row is not None and n is not None):
        raise TypeError(f"{who}: mixes numpy's (n, k, m) with PyTorch's (row, col, offset) arguments")
    row = n if row is None else row
    if row is None or col is None:
        raise TypeError(f"{who}: PyTorch's form needs row and col")
    for what, v in (("row", row), ("col", col)):
        if v < 0:
            raise RuntimeError(f"{who}: {what} must be non-negative, got {v}")
    rows, cols = (np.tril_indices if lower else np.triu_indices)(int(row), int(offset or 0), int(col))
    return Tensor._const(np.stack([rows, cols]).astype(np.int64 if dtype is None else dtype))


@op(family=_X, differentiable=False, method=False, differs=_TRI_DIFFERS.format("tril_indices"))
def tril_indices(
    n: int | None = None,
    k: int = 0,
    m: int | None = None,
    *,
    row: int | None = None,
    col: int | None = None,
    offset: int | None = None,
    dtype: Any = None,
    device: Any = None,
    layout: Any = None,
) -> Any:
    """(rows, cols) of the n x m lower triangle up to diagonal ``k`` (numpy's tril_indices). Given
    PyTorch's keywords (``col=``, ``row=``, ``offset=``, ``dtype=``), PyTorch's result instead: one
    (2, N) int64 Tensor."""
    torch_form = _torch_tri(True, n, k, m, row, col, offset, dtype, device, layout)
    return _consts(np.tril_indices(n, k, m)) if torch_form is None else torch_form


@op(family=_X, differentiable=False, method=False, differs=_TRI_DIFFERS.format("triu_indices"))
def triu_indices(
    n: int | None = None,
    k: int = 0,
    m: int | None = None,
    *,
    row: int | None = None,
    col: int | None = None,
    offset: int | None = None,
    dtype: Any = None,
    device: Any = None,
    layout: Any = None,
) -> Any:
    """(rows, cols) of the n x m upper triangle from diagonal ``k`` on (numpy's triu_indices). Given
    PyTorch's keywords (``col=``, ``row=``, ``offset=``, ``dtype=``), PyTorch's result instead: one
    (2, N) int64 Tensor."""
    torch_form = _torch_tri(False, n, k, m, row, col, offset, dtype, device, layout)
    return _consts(np.triu_indices(n, k, m)) if torch_form is None else torch_form


def _square_from(arr: Any, name: str, square: bool = False) -> np.ndarray:
    a = data_of(arr)
    if a.ndim != 2 and not square:
        raise ValueError(f"{name}: input array must be 2-d, got shape {a.shape}")
    if square and (a.ndim < 2 or len(set(a.shape)) != 1):
        raise ValueError(
            f"{name}: input array must be at least 2-d, with all dimensions of equal length, got {a.shape}"
        )
    return a


@op(family=_X, differentiable=False, method=False)
def tril_indices_from(arr: Any, k: int = 0) -> tuple:
    """tril_indices for the shape of the 2-D ``arr`` (numpy's tril_indices_from)."""
    return _consts(np.tril_indices_from(_square_from(arr, "tril_indices_from"), k))


@op(family=_X, differentiable=False, method=False)
def triu_indices_from(arr: Any, k: int = 0) -> tuple:
    """triu_indices for the shape of the 2-D ``arr`` (numpy's triu_indices_from)."""
    return _consts(np.triu_indices_from(_square_from(arr, "triu_indices_from"), k))


@op(family=_X, differentiable=False, method=False)
def diag_indices(n: int, ndim: int = 2) -> tuple:
    """The index tuple of the main diagonal of an n x ... x n array (numpy's diag_indices)."""
    return _consts(np.diag_indices(n, ndim))


@op(family=_X, differentiable=False, method=False)
def diag_indices_from(arr: Any) -> tuple:
    """diag_indices for the square ``arr`` (numpy's diag_indices_from)."""
    a = _square_from(arr, "diag_indices_from", square=True)
    return _consts(np.diag_indices(a.shape[0], a.ndim))


@op(family=_X, differentiable=False, method=False)
def mask_indices(n: int, mask_func: Callable, k: Any = 0) -> tuple:
    """The (rows, cols) where ``mask_func(ones((n, n)), k)`` is nonzero (numpy's mask_indices, e.g.
    with triu or tril)."""
    m = data_of(mask_func(np.ones((n, n), int), k))
    return _consts(np.nonzero(m != 0))


@op(family=_X, differentiable=False, method=False)
def indices(dimensions: Any, dtype: Any = int, sparse: bool = False) -> Any:
    """The grid of indices of an array of shape ``dimensions`` (numpy's indices: one stacked array,
    or a tuple of broadcastable ones with ``sparse``)."""
    out = np.indices(tuple(dimensions), dtype, sparse)
    return _consts(out) if sparse else Tensor._const(out)


@op(family=_X, differentiable=False, method=False)
def ix_(*args: Any) -> tuple:
    """Open-mesh index arrays from 1-D sequences (numpy's ix_; boolean ones become their nonzero
    positions): ``x[ix_(rows, cols)]`` picks a sub-grid."""
    return _consts(np.ix_(*(a._data if isinstance(a, Tensor) else a for a in args)))  # [] -> intp, numpy's


@op(family=_X, differentiable=False, method=False)
def unravel_index(indices: Any, shape: Any, order: str = "C") -> tuple:
    """The coordinates in an array of ``shape`` of the flat positions ``indices`` (numpy's
    unravel_index). Bad input is refused with numpy's error type and PyTorch's words too."""
    given = np.atleast_1d(data_of(shape))
    if given.dtype.kind not in "iu" and given.size:  # numpy: "cannot be interpreted as an integer"
        raise TypeError(f"unravel_index: expected 'shape' sequence to only contain ints, got {shape!r}")
    dims = tuple(int(n) for n in given)
    if any(n < 0 for n in dims):
        raise ValueError(f"unravel_index: 'shape' cannot have negative values, but got {dims}")
    idx = data_of(indices)
    if np.asarray(idx).dtype.kind not in "iub":  # numpy: "only int indices permitted"
        raise TypeError(f"unravel_index: expected 'indices' to be integer dtype, got {np.asarray(idx).dtype}")
    try:
        return _consts(np.unravel_index(idx, dims, order))
    except ValueError as e:
        raise ValueError(f"unravel_index: {e} (shape {dims})") from None


@op(family=_X, differentiable=False, method=False)
def ravel_multi_index(multi_index: Any, dims: Any, mode: Any = "raise", order: str = "C") -> Tensor:
    """The flat positions in an array of shape ``dims`` of coordinate arrays (numpy's
    ravel_multi_index; ``mode`` 'raise', 'wrap' or 'clip')."""
    coords = tuple(data_of(c) for c in multi_index)
    try:
        return Tensor._const(np.asarray(np.ravel_multi_index(coords, tuple(dims), mode, order)))
    except ValueError as e:
        raise ValueError(f"ravel_multi_index: {e} (dims {tuple(dims)})") from None
