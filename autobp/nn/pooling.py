"""Pooling (max, average, adaptive, power-average) as compositions of autobp ops: a max pool is a
gather of each window's argmax (so its gradient goes to that element, the first one on ties, as in
PyTorch), an average pool is a convolution with a constant kernel divided by each window's count."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._autocast import autocasts
from .._numpy_ops import DistinctIndex
from ..tensor import Tensor, _view
from . import _conv_kernels as K
from ._layout import laid_out_like, tensor_laid_out_like
from ._nn_errors import NNArgumentError
from .conv_functional import _tuple, conv_node


def _batched(input: Any, nd: int, who: str, empty_ok: bool = False) -> tuple[Tensor, bool]:
    x = input if isinstance(input, Tensor) else Tensor(input)
    if x.ndim not in (nd + 1, nd + 2):  # PyTorch's words
        raise NNArgumentError(
            f"{who}: Expected {nd + 1}D or {nd + 2}D (batch mode) tensor with optional 0 dim batch size for "
            f"input, but got: {list(x.shape)}"
        )
    if not empty_ok and 0 in x.shape[x.ndim - nd - 1 :]:  # only the batch axis may be empty
        raise NNArgumentError(
            f"{who}: Expected input to have non-zero size for non-batch dimensions (a {nd + 1}D or {nd + 2}D "
            f"(batch mode) tensor with optional 0 dim batch size), but got: {list(x.shape)}"
        )
    if x.ndim == nd + 1:
        return x.reshape((1,) + x.shape), True
    return x, False


def _layout_source(input: Any, x: Tensor, unbatched: bool) -> np.ndarray:
    """The array whose layout the output follows: an unbatched input viewed with a batch axis (the
    reshape in _batched may have copied it to C order)."""
    if not (unbatched and isinstance(input, Tensor)):
        return x._data
    a = input._data  # a batch axis of stride "whole array" (numpy's new axes get stride 0)
    return np.lib.stride_tricks.as_strided(a, (1,) + a.shape, (max(a.nbytes, a.itemsize),) + a.strides)


def _pool_size(n: int, k: int, s: int, p: int, d: int, ceil_mode: bool) -> int:
    """PyTorch's output size; with ceil_mode the last window must start inside the input or left pad."""
    span = n + 2 * p - d * (k - 1) - 1
    out = (-(-span // s) if ceil_mode else span // s) + 1
    if ceil_mode and (out - 1) * s >= n + p:
        out -= 1
    return out


def _geometry(x: Tensor, nd: int, kernel_size, stride, padding, dilation, ceil_mode, who: str):
    k = _tuple(kernel_size, nd, "kernel_size", who)
    s = k if stride is None or stride == () or stride == [] else _tuple(stride, nd, "stride", who)
    p = _tuple(padding, nd, "padding", who, lo=0)
    d = _tuple(dilation, nd, "dilation", who)
    if any(2 * pi > ki for pi, ki in zip(p, k)):
        raise NNArgumentError(
            f"{who}: pad should be at most half of effective kernel size, got padding {p}, kernel_size {k}"
        )
    S = x.shape[2:]
    L = tuple(_pool_size(S[i], k[i], s[i], p[i], d[i], ceil_mode) for i in range(nd))
    if any(n < 1 for n in L):
        raise NNArgumentError(
            f"{who}: Given input size {x.shape[1:]}, calculated output size {L}: output size is too small "
            f"(kernel {k}, stride {s}, padding {p}, dilation {d})"
        )
    # right padding that makes room for every window (ceil_mode windows may hang over the end)
    hi = tuple(max(p[i], (L[i] - 1) * s[i] + d[i] * (k[i] - 1) + 1 - S[i] - p[i]) for i in range(nd))
    return k, s, p, d, L, hi


def _gather(x: Tensor, flat: np.ndarray, distinct: bool) -> Tensor:
    """out[n, c, ...] = x[n, c].ravel()[flat[n, c, ...]] as one getitem node."""
    N, C = x.shape[:2]
    rows = np.arange(N * C).reshape((N * C,) + (1,) * (flat.ndim - 2))
    index = (rows, flat.reshape((N * C,) + flat.shape[2:]))
    if distinct:
        index = DistinctIndex(index)  # windows that cannot overlap: the scatter may assign
    x2 = x.reshape(N * C, math.prod(x.shape[2:]))  # explicit: an empty batch cannot infer a -1
    out = _view(Tensor._make(x2._data[index], (x2,), "getitem", index), x2)
    return out.reshape(flat.shape)


def _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, nd, who):
    x, unbatched = _batched(input, nd, who)
    k, s, p, d, L, hi = _geometry(x, nd, kernel_size, stride, padding, dilation, ceil_mode, who)
    N, C, S = x.shape[0], x.shape[1], x.shape[2:]
    xp = x._data
    if any(p) or any(h for h in hi):  # padding reads as -inf (never a maximum)
        fill = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
        xp = np.full(x.shape[:2] + tuple(S[i] + p[i] + hi[i] for i in range(nd)), fill, dtype=x.dtype)
        xp[(slice(None), slice(None)) + tuple(slice(p[i], p[i] + S[i]) for i in range(nd))] = x._data
    # running maximum over the kernel taps; a later tap wins only if strictly greater (PyTorch keeps
    # the first maximum), or if it is NaN where the best so far is not (NaN propagates, as in PyTorch)
    nan = x.dtype.kind == "f" and bool(np.isnan(x._data).any())
    best = arg = None
    for t, (_, sl) in enumerate(K._taps(k, K.Geom(s, p, hi, d, 1), L)):
        v = xp[(slice(None), slice(None)) + sl]
        if best is None:
            best, arg = v.copy(), np.zeros(v.shape, dtype=np.int32)
            continue
        better = v > best
        if nan:
            better |= np.isnan(v) & ~np.isnan(best)
        np.copyto(arg, t, where=better)
        np.maximum(best, v, out=best)  # where v is NaN the maximum is NaN too
    taps = [arg // math.prod(k[i + 1 :]) % k[i] for i in range(nd)]  # the tap's position per axis
    index = [np.arange(N).reshape((N,) + (1,) * (nd + 1)), np.arange(C).reshape((1, C) + (1,) * nd)]
    for i in range(nd):  # the chosen element's position along each axis: l * s + k * d - p
        lpos = np.arange(L[i]).reshape((L[i],) + (1,) * (nd - 1 - i))
        index.append(lpos * s[i] + taps[i] * d[i] - p[i])
    distinct = all(s[i] >= d[i] * (k[i] - 1) + 1 for i in range(nd))  # windows cannot overlap
    index = DistinctIndex(index) if distinct else tuple(index)
    src = _layout_source(input, x, unbatched)
    best = laid_out_like(best, src)  # PyTorch's layout: channels-last in, channels-last out
    out = Tensor._make(best, (x,), "getitem", index)  # its gradient: g scattered to each maximum
    if return_indices:
        flat = np.zeros(best.shape, dtype=np.int64)
        for i in range(nd):  # flat index within each (n, c) plane, as PyTorch returns it
            flat = flat * S[i] + index[2 + i]
        flat = laid_out_like(flat, src)
    if unbatched:
        out = out[0]  # a view: keeps the layout (a reshape may copy to C order)
        flat = flat[0] if return_indices else None
    return (out, Tensor._const(flat)) if return_indices else out


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """Maximum over windows of (N, C, L); the gradient goes to each window's first maximum."""
    return _max_pool(
        input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 1, "max_pool1d"
    )


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """Maximum over windows of (N, C, H, W) (padding counts as -inf); with ``return_indices`` also
    each maximum's flat index into its H * W plane, as PyTorch returns it."""
    return _max_pool(
        input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 2, "max_pool2d"
    )


_max_pool_fp32 = autocasts("fp32")(_max_pool)  # PyTorch's CPU autocast runs max_pool3d in float32


def max_pool3d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """Maximum over windows of (N, C, D, H, W); indices are flat within each D * H * W volume. Under
    autocast the values alone run in float32, as PyTorch's (its max_pool3d_with_indices is not cast)."""
    return (_max_pool if return_indices else _max_pool_fp32)(
        input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 3, "max_pool3d"
    )


def _divisor(S, k, s, p, L, count_include_pad) -> np.ndarray:
    """Each window's divisor: its size clipped to the padded input (count_include_pad) or the
    number of input elements it covers; a product over the axes."""
    div = np.ones((), dtype=np.float64)
    for i in range(len(S)):
        start = np.arange(L[i]) * s[i] - p[i]
        end = np.minimum(start + k[i], S[i] + p[i])
        size = end - start if count_include_pad else np.minimum(end, S[i]) - np.maximum(start, 0)
        div = np.multiply.outer(div, size.astype(np.float64))
    return div


def _avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override, nd, who):
    x, unbatched = _batched(input, nd, who)
    k, s, p, _, L, hi = _geometry(x, nd, kernel_size, stride, padding, 1, ceil_mode, who)
    N, C = x.shape[:2]
    ones = np.ones((1, 1) + k, dtype=x.dtype)
    geo = K.Geom(s, p, hi, (1,) * nd, 1)
    total = conv_node(x.reshape((N * C, 1) + x.shape[2:]), Tensor._const(ones), None, geo)
    total = total[(slice(None), slice(None)) + tuple(slice(0, n) for n in L)].reshape((N, C) + L)
    d = divisor_override or _divisor(x.shape[2:], k, s, p, L, count_include_pad)
    if x.dtype.kind in "iu":  # integers stay integers: the sum divided toward zero, as PyTorch's
        t, d = np.asarray(total.data), np.asarray(d, dtype=np.asarray(total.data).dtype)
        out = Tensor._const((np.sign(t) * np.sign(d) * (np.abs(t) // np.abs(d))).astype(x.dtype))
    elif divisor_override:
        out = total / float(divisor_override)
    else:
        out = total / d.astype(x.dtype)
    out = tensor_laid_out_like(out, _layout_source(input, x, unbatched))
    return out.reshape(out.shape[1:]) if unbatched else out


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    """Mean over windows of (N, C, L) (``count_include_pad``: zero padding counts in the mean)."""
    return _avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad, None, 1, "avg_pool1d")


def avg_pool2d(
    input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None
):
    """Mean over windows of (N, C, H, W); ``divisor_override`` replaces every window's count."""
    return _avg_pool(
        input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override, 2, "avg_pool2d"
    )


@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def avg_pool3d(
    input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None
):
    """Mean over windows of (N, C, D, H, W); ``divisor_override`` replaces every window's count."""
    return _avg_pool(
        input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override, 3, "avg_pool3d"
    )


def _adaptive_bounds(n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """PyTorch's adaptive windows: [floor(i n / m), ceil((i + 1) n / m)) for output i."""
    i = np.arange(m)
    return (i * n) // m, -(-((i + 1) * n) // m)


def _output_size(output_size: Any, S: tuple, who: str) -> tuple:
    nd = len(S)
    o = tuple(output_size) if isinstance(output_size, (tuple, list)) else (output_size,) * nd
    if len(o) != nd:
        raise ValueError(f"{who}: output_size {output_size!r} must give {nd} sizes")
    o = tuple(S[i] if o[i] is None else int(o[i]) for i in range(nd))
    if any(m < 0 for m in o):
        raise NNArgumentError(f"{who}: output_size {o} must be >= 0")
    return o


def _adaptive_input(input: Any, output_size: Any, nd: int, who: str, empty_ok: bool):
    """The batched input and the output size; PyTorch's refusals (integer input, sizes too large)."""
    x, unbatched = _batched(input, nd, who, empty_ok=empty_ok)
    if x.dtype.kind in "iub":
        raise NotImplementedError(f'"{who}" not implemented for {x.dtype} input (PyTorch refuses integers)')
    O = _output_size(output_size, x.shape[2:], who)
    if math.prod(x.shape[:2]) * math.prod(O) * x.dtype.itemsize >= 2**63:
        sizes = list(x.shape[:2] + O)
        raise NNArgumentError(f"{who}: Storage size calculation overflowed with sizes {sizes}")
    return x, unbatched, O


def _empty_windows(x: Tensor, O: tuple, who: str) -> Tensor:
    """The empty (N, C, *O) output (an empty batch, or an output size 0: then, as in PyTorch, its
    backward raises)."""
    N, C = x.shape[:2]
    out = x.reshape(N, C, math.prod(x.shape[2:]))[:, :, :0].reshape((N, C) + O)
    if 0 in O and out.requires_grad:

        def refuse(g: Any) -> None:
            raise NNArgumentError(
                f"{who}_backward(): Expected grad_output to have non-zero size for non-batch dimensions, "
                f"but grad_output has sizes {list(out.shape)}"
            )

        out.register_hook(refuse)
    return out


def _adaptive_avg(input, output_size, nd, who):
    x, unbatched, O = _adaptive_input(input, output_size, nd, who, True)
    S = x.shape[2:]
    if 0 in S and 0 not in O:
        raise NNArgumentError(f"{who}: input {x.shape} has an empty spatial axis, output_size {O} has not")
    out = _empty_windows(x, O, who) if 0 in O else x
    for i in range(nd if out is x else 0):  # contract one axis at a time with its averaging matrix
        start, end = _adaptive_bounds(S[i], O[i])
        j = np.arange(S[i])
        A = ((j >= start[:, None]) & (j < end[:, None])) / (end - start)[:, None]
        out = (out.swapaxes(2 + i, -1) @ Tensor._const(A.T.astype(x.dtype))).swapaxes(2 + i, -1)
    out = tensor_laid_out_like(out, x._data)
    return out.reshape(out.shape[1:]) if unbatched else out


def adaptive_avg_pool1d(input: Any, output_size: Any) -> Tensor:
    """Mean over the windows that split (N, C, L) into ``output_size`` parts, as PyTorch splits it."""
    return _adaptive_avg(input, output_size, 1, "adaptive_avg_pool1d")


def adaptive_avg_pool2d(input: Any, output_size: Any) -> Tensor:
    """Mean over the windows that split (N, C, H, W) into output_size (an int, a pair, None = keep)."""
    return _adaptive_avg(input, output_size, 2, "adaptive_avg_pool2d")


@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def adaptive_avg_pool3d(input: Any, output_size: Any) -> Tensor:
    """Mean over the windows that split (N, C, D, H, W) into output_size (an int, a triple, None = keep)."""
    return _adaptive_avg(input, output_size, 3, "adaptive_avg_pool3d")


def _adaptive_max(input, output_size, return_indices, nd, who):
    x, unbatched, O = _adaptive_input(input, output_size, nd, who, False)
    S = x.shape[2:]
    if 0 in O or 0 in x.shape[:2]:
        out = _empty_windows(x, O, who)
        flat = np.zeros(out.shape, dtype=np.int64)
        if unbatched:
            out, flat = out.reshape(out.shape[1:]), flat[0]
        return (out, Tensor._const(flat)) if return_indices else out
    # every window padded to the longest one by repeating its first element (never a new maximum)
    flat = np.zeros(x.shape[:2] + O, dtype=np.int64)
    pos, lens = [], []
    for i in range(nd):
        start, end = _adaptive_bounds(S[i], O[i])
        w = int((end - start).max())
        idx = start[:, None] + np.arange(w)
        pos.append(np.where(idx < end[:, None], idx, start[:, None]))
        lens.append(w)
    # gather (N, C, O_0, w_0, O_1, w_1, ...), then argmax over the window axes
    index = [slice(None), slice(None)]
    for i in range(nd):
        shape = [1] * (2 * nd)
        shape[2 * i], shape[2 * i + 1] = O[i], lens[i]
        index.append(pos[i].reshape(shape))
    vals = x._data[tuple(index)]
    perm = (0, 1) + tuple(2 + 2 * i for i in range(nd)) + tuple(3 + 2 * i for i in range(nd))
    vals = vals.transpose(perm).reshape(x.shape[:2] + O + (-1,))
    taps = np.unravel_index(vals.argmax(axis=-1), tuple(lens))
    for i in range(nd):
        o = np.arange(O[i]).reshape((O[i],) + (1,) * (nd - 1 - i))
        flat = flat * S[i] + pos[i][o, taps[i]]
    out = tensor_laid_out_like(_gather(x, flat, False), x._data if nd == 2 else None)
    flat = laid_out_like(flat, x._data if nd == 2 else None)  # PyTorch: 3-D outputs stay contiguous
    if unbatched:
        out, flat = out.reshape(out.shape[1:]), flat[0]
    return (out, Tensor._const(flat)) if return_indices else out


def adaptive_max_pool1d(input: Any, output_size: Any, return_indices: bool = False) -> Any:
    """Maximum over adaptive windows of (N, C, L) (PyTorch's split)."""
    return _adaptive_max(input, output_size, return_indices, 1, "adaptive_max_pool1d")


def adaptive_max_pool2d(input: Any, output_size: Any, return_indices: bool = False) -> Any:
    """Maximum over adaptive windows of (N, C, H, W); indices are flat within each H * W plane."""
    return _adaptive_max(input, output_size, return_indices, 2, "adaptive_max_pool2d")


@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def adaptive_max_pool3d(input: Any, output_size: Any, return_indices: bool = False) -> Any:
    """Maximum over adaptive windows of (N, C, D, H, W); indices are flat within each volume."""
    return _adaptive_max(input, output_size, return_indices, 3, "adaptive_max_pool3d")


def _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, nd, who):
    p = float(norm_type)
    k = _tuple(kernel_size, nd, "kernel_size", who)
    x = input if isinstance(input, Tensor) else Tensor(input)
    out = _avg_pool(x**p, k, stride, 0, ceil_mode, True, None, nd, who)
    return (out * float(math.prod(k))) ** (1.0 / p)  # (sum over the window of x^p)^(1/p)


def lp_pool1d(input: Any, norm_type: float, kernel_size: Any, stride: Any = None, ceil_mode: bool = False):
    """(sum of x^p over each window)^(1/p) on (N, C, L)."""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 1, "lp_pool1d")


def lp_pool2d(input: Any, norm_type: float, kernel_size: Any, stride: Any = None, ceil_mode: bool = False):
    """(sum of x^p over each window)^(1/p) on (N, C, H, W)."""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 2, "lp_pool2d")


@autocasts("fp32")  # PyTorch's CPU autocast runs its avg_pool3d in float32
def lp_pool3d(input: Any, norm_type: float, kernel_size: Any, stride: Any = None, ceil_mode: bool = False):
    """(sum of x^p over each window)^(1/p) on (N, C, D, H, W)."""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 3, "lp_pool3d")


from .unpooling import max_unpool1d, max_unpool2d, max_unpool3d  # noqa: E402, F401  (their old home)
