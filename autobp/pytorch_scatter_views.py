"""PyTorch's view-scatter functions (``select_scatter``, ``slice_scatter``, ``diagonal_scatter``,
``as_strided_scatter``), ``index_reduce`` and the ``*_copy`` family (the views' values in fresh
tensors); ``as_strided`` itself is a view (_as_strided_view.py). The scatters write ``src`` at the
view's flat positions with ``index_put``, ``index_reduce`` is ``scatter_reduce`` with the index spread
over the source, so all differentiate by those ops' rules (PyTorch's gradients at ties included)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._as_strided_view import as_strided
from ._zero_d import zero_d_as_one_element
from .ops import index_put, scatter_reduce
from .ops._args import as_tensor
from .pytorch_functions import view_as_complex, view_as_real
from .tensor import Tensor


def _norm_dim(dim: int, ndim: int, who: str) -> int:
    if not -max(ndim, 1) <= dim < max(ndim, 1):
        raise IndexError(f"{who}: dim {dim} out of range for a tensor of {ndim} dims")
    return dim % max(ndim, 1)


def _scatter_at(x: Tensor, positions: np.ndarray, src: Any, who: str) -> Tensor:
    """x with ``src`` written at the flat positions ``positions`` (src's shape must be theirs)."""
    s = as_tensor(src)
    if s.shape != positions.shape:
        raise ValueError(f"{who}: src of shape {positions.shape} expected, got {s.shape}")
    if s.dtype != x.dtype:
        s = s.astype(x.dtype)
    flat = index_put(x.reshape(-1), (positions.reshape(-1),), s.reshape(-1))
    return flat.reshape(x.shape)


def _grid(x: Tensor) -> np.ndarray:
    return np.arange(x.size, dtype=np.int64).reshape(x.shape)


def select_scatter(input: Any, src: Any, dim: int, index: int) -> Tensor:
    """``input`` with ``src`` in place of ``input.select(dim, index)`` (``torch.select_scatter``)."""
    x = as_tensor(input)
    d = _norm_dim(dim, x.ndim, "select_scatter")
    n = x.shape[d]
    if not -n <= index < n:
        raise IndexError(f"select_scatter: index {index} out of range for size {n} at dim {dim}")
    return _scatter_at(x, np.take(_grid(x), index % n, axis=d), src, "select_scatter")


def slice_scatter(input: Any, src: Any, dim: int = 0, start: int | None = None, end: int | None = None,
                  step: int = 1) -> Tensor:  # fmt: skip
    """``input`` with ``src`` in place of ``input[start:end:step]`` along ``dim``
    (``torch.slice_scatter``)."""
    x = as_tensor(input)
    if step <= 0:
        raise ValueError(f"slice_scatter: step must be positive, got {step}")
    d = _norm_dim(dim, x.ndim, "slice_scatter")
    key = (slice(None),) * d + (slice(start, end, step),)
    return _scatter_at(x, _grid(x)[key], src, "slice_scatter")


def diagonal_scatter(input: Any, src: Any, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """``input`` with ``src`` in place of ``input.diagonal(offset, dim1, dim2)`` (the diagonal as
    the last dim of ``src``) (``torch.diagonal_scatter``)."""
    x = as_tensor(input)
    d1, d2 = _norm_dim(dim1, x.ndim, "diagonal_scatter"), _norm_dim(dim2, x.ndim, "diagonal_scatter")
    if d1 == d2:
        raise ValueError(f"diagonal_scatter: dim1 and dim2 must differ, got {dim1} and {dim2}")
    return _scatter_at(x, np.diagonal(_grid(x), offset, d1, d2), src, "diagonal_scatter")


def _strided_positions(x: Tensor, size: Any, stride: Any, storage_offset: int | None, who: str) -> np.ndarray:
    size, stride = tuple(int(s) for s in size), tuple(int(s) for s in stride)
    if len(size) != len(stride):
        raise ValueError(f"{who}: size {size} and stride {stride} must have the same length")
    if any(s < 0 for s in size) or any(s < 0 for s in stride):
        raise ValueError(f"{who}: negative sizes or strides are not allowed, got {size} and {stride}")
    offset = 0 if storage_offset is None else int(storage_offset)
    pos = np.full(size, offset, dtype=np.int64)
    for k, (n, st) in enumerate(zip(size, stride)):
        pos = pos + (np.arange(n, dtype=np.int64) * st).reshape((n,) + (1,) * (len(size) - k - 1))
    if pos.size and (pos.max() >= x.size or offset < 0):
        raise ValueError(
            f"{who}: size {size}, stride {stride} and offset {offset} reach element {int(pos.max())}, "
            f"beyond the {x.size} elements of the input"
        )
    return pos


def as_strided_scatter(
    input: Any, src: Any, size: Any, stride: Any, storage_offset: int | None = None
) -> Tensor:
    """``input`` with ``src`` written at ``as_strided``'s positions (``torch.as_strided_scatter``;
    overlapping positions keep the last value written there, as torch's).

    The gradients are the derivative of the result, which PyTorch's (2.13) are not, though its values
    are: the input's gradient is 0 at the overwritten positions and the upstream gradient elsewhere
    (PyTorch gives the upstream gradient at the overwritten positions and 0 elsewhere), and of several
    ``src`` elements written to one position only the kept one gets its gradient (PyTorch: each).
    A non-overlapping ``src``'s gradient equals PyTorch's. See docs/concepts/names.md."""
    x = as_tensor(input)
    pos = _strided_positions(x, size, stride, storage_offset, "as_strided_scatter")
    return _scatter_at(x, pos, src, "as_strided_scatter")


@zero_d_as_one_element
def index_reduce(
    input: Any, dim: int, index: Any, source: Any, reduce: str, *, include_self: bool = True
) -> Tensor:
    """Reduce (``'prod'``, ``'mean'``, ``'amax'``, ``'amin'``) the slices of ``source`` along ``dim`` into
    ``input``'s slices ``index`` names, ``include_self`` counting the input's own values
    (``torch.index_reduce``; PyTorch's gradients, ties sharing it evenly)."""
    if reduce not in ("prod", "mean", "amax", "amin"):
        raise ValueError(f"index_reduce: reduce must be 'prod', 'mean', 'amax' or 'amin', got {reduce!r}")
    x, s = as_tensor(input), as_tensor(source)
    idx = np.asarray(index.data if isinstance(index, Tensor) else index)
    d = _norm_dim(dim, x.ndim, "index_reduce")
    if idx.ndim > 1 or idx.dtype.kind not in "iu" or s.ndim != x.ndim or idx.size != s.shape[d]:
        raise ValueError(
            f"index_reduce: a 1-D integer index of source.shape[dim] entries and a source of input's "
            f"dims expected, got index {idx.shape} {idx.dtype} and source {s.shape} for input {x.shape}"
        )
    if idx.size and (idx.min() < -x.shape[d] or idx.max() >= x.shape[d]):
        raise IndexError(f"index_reduce: index out of range for size {x.shape[d]} at dim {dim}")
    spread = np.broadcast_to((idx % x.shape[d]).reshape((-1,) + (1,) * (x.ndim - d - 1)), s.shape)
    return scatter_reduce(x, d, np.ascontiguousarray(spread), s, reduce, include_self=include_self)


# ---- the *_copy family: a view's values in a fresh tensor ------------------------------------------------


def _fresh(view: Tensor) -> Tensor:
    return view.clone()


def alias_copy(input: Any) -> Tensor:
    """A copy of the tensor (``torch.alias_copy``)."""
    return _fresh(as_tensor(input))


def detach_copy(input: Any) -> Tensor:
    """A copy of the tensor off the graph (``torch.detach_copy``)."""
    return _fresh(as_tensor(input).detach())


def diagonal_copy(input: Any, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """``input.diagonal(offset, dim1, dim2)`` copied (``torch.diagonal_copy``)."""
    return _fresh(as_tensor(input).diagonal(offset, dim1, dim2))


def expand_copy(input: Any, size: Any, *, implicit: bool = False) -> Tensor:
    """``input.expand(size)`` copied (``torch.expand_copy``)."""
    return _fresh(as_tensor(input).expand(*size))


def permute_copy(input: Any, dims: Any) -> Tensor:
    """``input.permute(dims)`` copied (``torch.permute_copy``)."""
    return _fresh(as_tensor(input).permute(*dims))


def select_copy(input: Any, dim: int, index: int) -> Tensor:
    """``input.select(dim, index)`` copied (``torch.select_copy``)."""
    return _fresh(as_tensor(input).select(dim, index))


def slice_copy(
    input: Any, dim: int = 0, start: int | None = None, end: int | None = None, step: int = 1
) -> Tensor:
    """``input[start:end:step]`` along ``dim`` copied (``torch.slice_copy``)."""
    x = as_tensor(input)
    d = _norm_dim(dim, x.ndim, "slice_copy")
    return _fresh(x[(slice(None),) * d + (slice(start, end, step),)])


def _split_sizes(n: int, split_size: Any) -> list[int]:
    if isinstance(split_size, (int, np.integer)):
        if split_size <= 0:
            raise ValueError(f"split_copy: split_size must be positive, got {split_size}")
        return [min(int(split_size), n - k) for k in range(0, n, int(split_size))] or [0]
    sizes = [int(s) for s in split_size]
    if sum(sizes) != n:
        raise ValueError(f"split_copy: sizes {sizes} must sum to the dim's length {n}")
    return sizes


def split_copy(input: Any, split_size: Any, dim: int = 0) -> tuple:
    """``torch.split``'s pieces (of ``split_size`` each, or of the given sizes) copied
    (``torch.split_copy``)."""
    x = as_tensor(input)
    d = _norm_dim(dim, x.ndim, "split_copy")
    out, start = [], 0
    for n in _split_sizes(x.shape[d], split_size):
        out.append(_fresh(x.narrow(d, start, n)))
        start += n
    return tuple(out)


def split_with_sizes_copy(input: Any, split_sizes: Any, dim: int = 0) -> tuple:
    """The pieces of the given sizes along ``dim`` copied (``torch.split_with_sizes_copy``)."""
    return split_copy(input, list(split_sizes), dim)


def squeeze_copy(input: Any, dim: Any = None) -> Tensor:
    """``input.squeeze(dim)`` copied (``torch.squeeze_copy``); a given dim not of size 1 stays."""
    x = as_tensor(input)
    if dim is None:
        return _fresh(x.squeeze())
    dims = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
    keep = tuple(d % max(x.ndim, 1) for d in dims if x.ndim and x.shape[d % x.ndim] == 1)
    return _fresh(x.squeeze(keep) if keep else x)


def t_copy(input: Any) -> Tensor:
    """``input.t()`` copied (``torch.t_copy``)."""
    return _fresh(as_tensor(input).t())


def transpose_copy(input: Any, dim0: int, dim1: int) -> Tensor:
    """``input.transpose(dim0, dim1)`` copied (``torch.transpose_copy``)."""
    x = as_tensor(input)
    if x.ndim == 0 and dim0 in (0, -1) and dim1 in (0, -1):  # PyTorch wraps a 0-d tensor's dims as 1-d's
        return _fresh(x)
    return _fresh(x.swapaxes(dim0, dim1))


def unbind_copy(input: Any, dim: int = 0) -> tuple:
    """The slices along ``dim`` copied (``torch.unbind_copy``)."""
    return tuple(_fresh(v) for v in as_tensor(input).unbind(dim))


def unfold_copy(input: Any, dimension: int, size: int, step: int) -> Tensor:
    """``input.unfold(dimension, size, step)`` copied (``torch.unfold_copy``)."""
    return _fresh(as_tensor(input).unfold(dimension, size, step))


def unsqueeze_copy(input: Any, dim: int) -> Tensor:
    """``input.unsqueeze(dim)`` copied (``torch.unsqueeze_copy``)."""
    return _fresh(as_tensor(input).unsqueeze(dim))


def view_copy(input: Any, *shape: Any) -> Tensor:
    """``input.view(shape)`` copied (``torch.view_copy``)."""
    size = shape[0] if len(shape) == 1 and not isinstance(shape[0], (int, np.integer)) else shape
    return _fresh(as_tensor(input).reshape(tuple(size)))


def view_as_real_copy(input: Any) -> Tensor:
    """``view_as_real`` copied (``torch.view_as_real_copy``)."""
    return _fresh(view_as_real(input))


def view_as_complex_copy(input: Any) -> Tensor:
    """``view_as_complex`` copied (``torch.view_as_complex_copy``)."""
    return _fresh(view_as_complex(input))


__all__ = [
    "select_scatter", "slice_scatter", "diagonal_scatter", "as_strided", "as_strided_scatter",
    "index_reduce", "alias_copy", "detach_copy", "diagonal_copy", "expand_copy",
    "permute_copy", "select_copy", "slice_copy", "split_copy", "split_with_sizes_copy", "squeeze_copy",
    "t_copy", "transpose_copy", "unbind_copy", "unfold_copy", "unsqueeze_copy", "view_copy",
    "view_as_real_copy", "view_as_complex_copy",
]  # fmt: skip


def _writes_out(fn: Any) -> Any:
    """``fn`` (a ``*_copy`` function) taking PyTorch's ``out=``: the result (a tensor, or for the
    splitting ones a tuple of them, ``out`` then a sequence) written into ``out`` (resized when its shape
    differs, as PyTorch's), which is returned."""
    import functools

    @functools.wraps(fn)
    def with_out(*args: Any, out: Any = None, **kwargs: Any) -> Any:
        result = fn(*args, **kwargs)
        if out is None:
            return result
        pairs = zip(out, result) if isinstance(result, (tuple, list)) else ((out, result),)
        if isinstance(result, (tuple, list)) and len(out) != len(result):
            raise RuntimeError(f"{fn.__name__}: out has {len(out)} tensors, the result {len(result)}")
        for o, r in pairs:
            if not isinstance(o, Tensor):
                raise TypeError(f"{fn.__name__}: out must be a Tensor, got {type(o).__name__}")
            if o.shape != r.shape:
                o.resize_(r.shape)
            o.copy_(r)
        return out

    return with_out


for _name in [n for n in __all__ if n.endswith("_copy")]:
    globals()[_name] = _writes_out(globals()[_name])
