"""PyTorch's functions with no numpy name, as compositions of autobp's ops (so they differentiate, to any
order, by the ops' own rules): the fused products (``addmm``, ``baddbmm``, ..., in pytorch_fused.py),
``aminmax``, ``std_mean``/``var_mean`` (PyTorch's unbiased default), ``block_diag``, ``cartesian_prod``,
``combinations``, ``bucketize``, ``complex``/``polar``/``view_as_real``, ``renorm``, ``diag_embed``,
``index_copy``/``index_fill``/``masked_scatter``, ``take_along_dim``, ``mode``, ``pdist`` and the
special-function and matrix names PyTorch keeps at its top level. ``pytorch_methods.py`` puts them on
Tensor as methods."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from . import linalg as _la
from . import return_types as _rt
from ._autocast import autocasts
from ._broadcast import ShapeError
from ._default_dtype import DEFAULT
from ._device import check_device
from ._torch_out import takes_out
from .ops import (
    argmax,
    broadcast_to,
    concatenate,
    copy,
    cos,
    meshgrid,
    negative,
    searchsorted,
    sin,
    stack,
    take_along_axis,
    where,
    zeros,
)
from .ops._args import as_tensor
from .ops._creation_args import torch_only
from .pytorch_fused import addbmm, addmm, addmv, addr, baddbmm  # noqa: F401  listed in __all__ below
from .pytorch_index_copy import index_copy, index_fill, take_along_dim  # noqa: F401  listed in __all__ below
from .tensor import Tensor

# ``torch.complex`` is set on the autobp module as an attribute only (not in ``__all__``), so
# ``from autobp import *`` never shadows the builtin
BUILTIN_NAMES = ("complex",)


def t(input: Any) -> Tensor:
    """The transpose of a tensor of at most 2 dims (``torch.t``)."""
    return as_tensor(input).t()


def narrow(input: Any, dim: int, start: int, length: int) -> Tensor:
    """``length`` elements from ``start`` along ``dim``, a view (``torch.narrow``)."""
    return as_tensor(input).narrow(dim, start, length)


def unbind(input: Any, dim: int = 0) -> tuple:
    """The slices along ``dim``, that dim removed (``torch.unbind``)."""
    return as_tensor(input).unbind(dim)


def frac(input: Any) -> Tensor:
    """The fractional part, x - trunc(x), with x's sign (``torch.frac``); gradient 1."""
    return as_tensor(input).frac()


def neg(input: Any) -> Tensor:
    """-x (``torch.neg``, numpy's ``negative``)."""
    return negative(input)


def detach(input: Any) -> Tensor:
    """The same values off the graph (``torch.detach``)."""
    return as_tensor(input).detach()


@takes_out("aminmax", "exact", ("min", "max"))
def aminmax(input: Any, *, dim: int | None = None, keepdim: bool = False) -> tuple:
    """(min, max) in one call, over everything or along ``dim`` (``torch.aminmax``): a
    ``return_types.aminmax``."""
    x = as_tensor(input)
    if dim is None and x.size == 0:
        raise ValueError(f"aminmax: the input of shape {x.shape} is empty and no dim is given")
    if dim is not None and x.ndim > 0 and x.shape[dim] == 0:
        raise IndexError(f"aminmax: reduction dim {dim} of shape {x.shape} has size 0")  # torch's IndexError
    return _rt.aminmax._make((x.amin(axis=dim, keepdims=keepdim), x.amax(axis=dim, keepdims=keepdim)))


def _correction(correction: Any, unbiased: Any) -> Any:
    if unbiased is not None:
        return 1 if unbiased else 0
    return 1 if correction is None else correction


def var_mean(
    input: Any, dim: Any = None, *, correction: Any = None, keepdim: bool = False, unbiased: Any = None
) -> tuple[Tensor, Tensor]:
    """(variance, mean) along ``dim``, PyTorch's default ``correction=1`` (unbiased), unlike ``var``'s
    numpy ``ddof=0`` (``torch.var_mean``)."""
    x = as_tensor(input)
    c = _correction(correction, unbiased)
    return x.var(axis=dim, ddof=c, keepdims=keepdim), x.mean(axis=dim, keepdims=keepdim)


def std_mean(
    input: Any, dim: Any = None, *, correction: Any = None, keepdim: bool = False, unbiased: Any = None
) -> tuple[Tensor, Tensor]:
    """(standard deviation, mean) along ``dim``, PyTorch's default ``correction=1`` (``torch.std_mean``)."""
    x = as_tensor(input)
    c = _correction(correction, unbiased)
    return x.std(axis=dim, ddof=c, keepdims=keepdim), x.mean(axis=dim, keepdims=keepdim)


def broadcast_tensors(*tensors: Any) -> tuple:
    """The tensors broadcast against each other (``torch.broadcast_tensors``)."""
    ts = [as_tensor(x) for x in tensors]
    shape = np.broadcast_shapes(*(x.shape for x in ts))
    return tuple(broadcast_to(x, shape) for x in ts)


def block_diag(*tensors: Any) -> Tensor:
    """The tensors (0-, 1- or 2-D, as 1x1, 1xn, mxn blocks) along the diagonal of a zero matrix."""
    blocks = []
    for i, x in enumerate(tensors):
        x = as_tensor(x)
        if x.ndim > 2:
            raise ValueError(f"block_diag: input {i} has {x.ndim} dims (shape {x.shape}); at most 2 allowed")
        blocks.append(x.reshape((1, 1)) if x.ndim == 0 else x.reshape((1, -1)) if x.ndim == 1 else x)
    if not blocks:
        return Tensor._const(np.zeros((1, 0)))
    dt = np.result_type(*(b.dtype for b in blocks))
    width = sum(b.shape[1] for b in blocks)
    rows, at = [], 0
    for b in blocks:  # [zeros | block | zeros], then the rows stacked
        n = b.shape[1]
        parts = [
            zeros((b.shape[0], at), dtype=dt),
            b.astype(dt),
            zeros((b.shape[0], width - at - n), dtype=dt),
        ]
        rows.append(concatenate(parts, axis=1))
        at += n
    return concatenate(rows, axis=0)


def cartesian_prod(*tensors: Any) -> Tensor:
    """Every combination of one element from each 1-D tensor, as rows (``torch.cartesian_prod``)."""
    ts = [as_tensor(x) for x in tensors]
    if any(x.ndim != 1 for x in ts):
        raise ValueError(f"cartesian_prod: expects 1-D tensors, got shapes {[x.shape for x in ts]}")
    if len(ts) == 1:
        return ts[0]
    grids = meshgrid(*ts, indexing="ij")
    return stack([g.reshape((-1,)) for g in grids], axis=1)


def combinations(input: Any, r: int = 2, with_replacement: bool = False) -> Tensor:
    """The length-``r`` combinations of a 1-D tensor's elements, as rows (``torch.combinations``)."""
    x = as_tensor(input)
    if x.ndim != 1:
        raise ValueError(f"combinations: expects a 1-D tensor, got shape {x.shape}")
    if r < 0:
        raise ValueError(f"combinations: r must be non-negative, got {r}")
    if r == 0:  # PyTorch's empty result
        return Tensor._const(np.zeros((0,), x.dtype))
    pick = itertools.combinations_with_replacement if with_replacement else itertools.combinations
    index = np.array(list(pick(range(x.shape[0]), r)), dtype=np.intp).reshape(-1, r)
    if index.shape[0] == 0:  # no combination: PyTorch's (0, r)
        return Tensor._const(np.zeros((0, r), x.dtype))
    return x[index]


def bucketize(input: Any, boundaries: Any, *, out_int32: bool = False, right: bool = False) -> Tensor:
    """The bucket of each value among sorted 1-D ``boundaries`` (``torch.bucketize``): i with
    boundaries[i-1] < x <= boundaries[i], or boundaries[i-1] <= x < boundaries[i] with ``right``."""
    b = as_tensor(boundaries)
    if b.ndim != 1:
        raise ValueError(f"bucketize: boundaries must be 1-D, got shape {b.shape}")
    return searchsorted(b, input, side="right" if right else "left", out_int32=out_int32)


def complex(real: Any, imag: Any) -> Tensor:  # noqa: A001  PyTorch's name
    """real + i imag from two float tensors of one dtype (``torch.complex``): complex64 from float32."""
    a, b = as_tensor(real), as_tensor(imag)
    if a.dtype != b.dtype or a.dtype.kind != "f" or a.dtype == np.float16:
        raise TypeError(
            f"complex: real and imag must be float32 or float64 of one dtype, got {a.dtype}, {b.dtype}"
        )
    from .ops.complex_parts import from_parts

    return from_parts(a, b)  # signed zeros and infinities of each part kept, as torch.complex


@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def polar(abs: Any, angle: Any) -> Tensor:  # noqa: A002
    """abs * (cos(angle) + i sin(angle)) (``torch.polar``)."""
    r, th = as_tensor(abs), as_tensor(angle)
    return complex(r * cos(th), r * sin(th))


def view_as_real(input: Any) -> Tensor:
    """A complex tensor as real pairs along a new last axis (``torch.view_as_real``): a view of its
    memory, as PyTorch's (a write through either is seen by the other)."""
    from ._complex_views import view_as_real as _view_as_real

    return _view_as_real(input)


@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def view_as_complex(input: Any) -> Tensor:
    """Real pairs along the last axis (of size 2, stride 1) as complex numbers
    (``torch.view_as_complex``): a view of the input's memory, as PyTorch's, with its checks."""
    from ._complex_views import view_as_complex as _view_as_complex

    return _view_as_complex(input)


def scalar_tensor(
    s: Any, *, dtype: Any = None, requires_grad: bool = False, device: Any = None, layout: Any = None
) -> Tensor:
    """A 0-d tensor holding the number ``s`` (of the default dtype, float64 unless set, unless ``dtype``)."""
    check_device(device, "scalar_tensor")
    torch_only("scalar_tensor", layout)
    return Tensor(np.asarray(s, dtype=dtype or DEFAULT[0]), requires_grad=requires_grad, dtype=dtype)


def dist(input: Any, other: Any, p: float = 2) -> Tensor:
    """The p-norm of input - other, flattened (``torch.dist``); p = inf and 0 as torch.norm."""
    d = (as_tensor(input) - other).reshape((-1,))
    return _la.vector_norm(d, ord=p)


def renorm(input: Any, p: float, dim: int, maxnorm: float) -> Tensor:
    """Each slice along ``dim`` whose p-norm exceeds ``maxnorm`` scaled down to it (``torch.renorm``,
    with its 1e-7 guard: scale = maxnorm / (norm + 1e-7))."""
    x = as_tensor(input)
    axes = tuple(a for a in range(x.ndim) if a != dim % max(x.ndim, 1))
    norms = _la.vector_norm(x, ord=p, axis=axes, keepdims=True)
    return x * where(norms > maxnorm, maxnorm / (norms + 1e-7), 1.0)


def diag_embed(input: Any, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """Matrices with the last axis of ``input`` on their ``offset`` diagonal, in dims ``dim1``, ``dim2``
    of the result (``torch.diag_embed``)."""
    x = as_tensor(input)
    n = x.shape[-1] + abs(offset) if x.ndim else 1
    out = zeros(x.shape[:-1] + (n, n), dtype=x.dtype)
    i = np.arange(x.shape[-1] if x.ndim else 1)
    rows, cols = (i, i + offset) if offset >= 0 else (i - offset, i)
    out[..., rows, cols] = x
    nd = out.ndim
    d1, d2 = dim1 % nd, dim2 % nd
    if d1 == d2:
        raise ValueError(f"diag_embed: dim1 and dim2 must differ, got {dim1} and {dim2}")
    order = [a for a in range(nd - 2)]
    for d, src in sorted(((d1, nd - 2), (d2, nd - 1))):
        order.insert(d, src)
    return out.transpose(order)


def masked_scatter(input: Any, mask: Any, source: Any) -> Tensor:
    """``input`` with its elements where ``mask`` is true replaced, in order, by ``source``'s first
    elements (``torch.masked_scatter``)."""
    x = as_tensor(input)
    m = np.asarray(mask._data if isinstance(mask, Tensor) else mask, dtype=bool)
    shape = np.broadcast_shapes(m.shape, x.shape)
    if shape != x.shape:  # a larger mask broadcasts the input too, as torch.masked_scatter (out of place)
        x = x.broadcast_to(shape)
    m = np.broadcast_to(m, shape)
    src = as_tensor(source).reshape((-1,))
    n = int(m.sum())
    if src.size < n:
        raise ShapeError(
            f"masked_scatter: Number of elements of source < number of ones in mask: the mask selects {n} "
            f"elements, source has only {src.size}"
        )
    out = copy(x)
    out[m] = src[:n]
    return out


@takes_out("msort")
def msort(input: Any) -> Tensor:
    """The values sorted along the first axis (``torch.msort``)."""
    return as_tensor(input).sort(axis=0)


@takes_out("mode", "exact", ("values", "indices"))
def mode(input: Any, dim: int = -1, keepdim: bool = False) -> tuple:
    """The most frequent value along ``dim`` (the smallest of the most frequent), and the index of its
    last occurrence, a ``return_types.mode`` (``torch.mode``); the gradient goes to that element. A 0-d
    input gives 0-d results, as PyTorch's."""
    x = as_tensor(input)
    if x.ndim == 0:
        if dim not in (0, -1):
            raise IndexError(f"mode: dim {dim} is out of range for a 0-d tensor (expected 0 or -1)")
        v, i = mode(x.reshape(1), 0)
        return _rt.mode._make((v.reshape(()), i.reshape(())))
    moved = np.moveaxis(x._data, dim, -1)
    equal = moved[..., :, None] == moved[..., None, :]
    counts = equal.sum(axis=-1)  # how often each element's value occurs
    best = counts.max(axis=-1, keepdims=True)
    top = {"f": np.inf, "b": True}.get(moved.dtype.kind)  # a bool input's "largest" value is True
    candidates = np.where(counts == best, moved, np.iinfo(moved.dtype).max if top is None else top)
    value = candidates.min(axis=-1, keepdims=True)
    n = moved.shape[-1]
    last = n - 1 - argmax(Tensor._const((moved == value)[..., ::-1]), axis=-1)._data
    index = np.moveaxis(last[..., None], -1, dim % max(x.ndim, 1))
    values = take_along_axis(x, index, axis=dim)
    if not keepdim:
        values, index = values.squeeze(dim), index.squeeze(dim)
    return _rt.mode._make((values, Tensor._const(np.asarray(index, dtype=np.int64))))


def split_with_sizes(input: Any, split_sizes: Any, dim: int = 0) -> tuple:
    """Pieces of the given sizes along ``dim`` (``torch.split_with_sizes``; they must add up)."""
    x = as_tensor(input)
    sizes = [int(s) for s in split_sizes]
    if sum(sizes) != x.shape[dim]:
        raise ValueError(
            f"split_with_sizes: sizes {sizes} add up to {sum(sizes)}, not dim {dim}'s {x.shape[dim]}"
        )
    cuts = np.cumsum(sizes)[:-1]
    return tuple(x.split(list(cuts), axis=dim))


def pdist(input: Any, p: float = 2) -> Tensor:
    """p-norm distances between every pair of rows i < j of an (N, M) input, in row order
    (``torch.pdist``); at a zero distance the gradient is 0, as PyTorch's."""
    x = as_tensor(input)
    if x.ndim != 2:
        raise ValueError(f"pdist: expects a 2-D input, got shape {x.shape}")
    i, j = np.triu_indices(x.shape[0], k=1)
    from .pytorch_names import cdist

    return cdist(x[i][:, None, :], x[j][:, None, :], p=p).reshape((-1,))


def unique_consecutive(
    input: Any, return_inverse: bool = False, return_counts: bool = False, dim: int | None = None
) -> Any:
    """Each run of equal consecutive values (or slices along ``dim``) kept once, with the index of each
    element's run and the run lengths on request (``torch.unique_consecutive``). As ``unique``, each
    value is taken from its run's first element, so a gradient reaches that element (PyTorch's values
    require grad but have no derivative: its backward raises)."""
    x = as_tensor(input)
    if dim is not None:
        from .ops.histograms import empty_dim_check

        empty_dim_check(x.shape, dim, "unique_consecutive")
    a = x._data.reshape(-1) if dim is None else np.moveaxis(x._data, dim, 0)
    if a.shape[0] == 0:
        starts = np.zeros(0, dtype=np.intp)
    else:
        per_slice = int(np.prod(a.shape[1:], dtype=np.int64))
        differs = np.any((a[1:] != a[:-1]).reshape(a.shape[0] - 1, per_slice), axis=1)
        starts = np.concatenate([[0], np.flatnonzero(differs) + 1])
    from .ops.indexing import take

    out = [take(x.reshape(-1), starts) if dim is None else take(x, starts, axis=dim)]
    if return_inverse:
        run = np.cumsum(np.isin(np.arange(a.shape[0]), starts)) - 1
        out.append(Tensor._const(run.reshape(x.shape if dim is None else (-1,)).astype(np.int64)))
    if return_counts:
        out.append(Tensor._const(np.diff(np.append(starts, a.shape[0])).astype(np.int64)))
    return out[0] if len(out) == 1 else tuple(out)


__all__ = [
    "t", "narrow", "unbind", "frac", "neg", "detach", "addmm", "addmv", "addr", "baddbmm", "addbmm",
    "aminmax", "var_mean", "std_mean", "broadcast_tensors", "block_diag", "cartesian_prod",
    "combinations", "bucketize", "polar", "view_as_real", "view_as_complex", "scalar_tensor",
    "dist", "renorm", "diag_embed", "index_copy", "index_fill", "masked_scatter", "take_along_dim",
    "msort", "mode", "split_with_sizes", "pdist", "unique_consecutive",
]  # fmt: skip
