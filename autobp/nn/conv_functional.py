"""conv1d/2d/3d and conv_transpose1d/2d/3d as declared ops (``autobp.nn.functional``; fold and unfold
are in fold.py).

Three graph nodes carry all of them: "conv" (the cross-correlation), "conv_input" (its adjoint in
the input, which is the transposed convolution) and "conv_weight" (its adjoint in the weight). Each
one's derivative is made of the other two, so the rules record their own graph under create_graph.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._autocast import lower as _autocast_lower
from .._autocast import on_threads as _autocast_threads
from .._autocast import state as _autocast
from .._broadcast import ShapeError
from ..ops._args import as_tensor
from ..ops._decl import op
from ..rules import holomorphic, rule
from ..tensor import Tensor
from . import _conv_kernels as K
from ._conv_kernels import Geom
from ._layout import laid_out_like
from ._nn_errors import NNArgumentError

_NS = "autobp.nn.functional"
_CONV_RULES = ("conv", "conv_input", "conv_weight")


def _tuple(v: Any, nd: int, what: str, who: str, lo: int = 1) -> tuple:
    """An int or a sequence of ``nd`` ints, each >= lo, as a tuple."""
    t = tuple(int(a) for a in v) if isinstance(v, (tuple, list)) else (int(v),) * nd
    if len(t) == 1 and nd > 1:  # PyTorch expands a one-element list to every spatial axis
        t = t * nd
    if len(t) == nd and what == "stride" and lo >= 1 and any(a < 1 for a in t):  # PyTorch: conv, pool
        raise NNArgumentError(
            f"{who}: non-positive stride is not supported (stride must be greater than zero), got {v!r}"
        )
    if len(t) != nd or any(a < lo for a in t):
        raise NNArgumentError(f"{who}: {what} must be an int >= {lo} or {nd} of them, got {v!r}")
    return t


def _spatial_bias_axes(nd: int) -> tuple:
    return (0,) + tuple(range(2, 2 + nd))


# --- the three nodes: numpy when given arrays (a plain backward), recorded when given Tensors ----
def _is_array(*xs: Any) -> bool:
    return all(x is None or isinstance(x, np.ndarray) for x in xs)


def _bias_shape(b: Any, nd: int) -> Any:
    return b.reshape((1, -1) + (1,) * nd)


def conv_node(x: Any, w: Any, b: Any, geo: Geom) -> Any:
    """conv(x, w) + b: numpy arrays in, array out; Tensors in, a recorded node out."""
    nd = w.ndim - 2
    if _is_array(x, w, b):
        out = K.conv(x, w, geo)
        return laid_out_like(out if b is None else out + _bias_shape(b, nd), x, w)
    parents = (x, w) if b is None else (x, w, b)
    parents = tuple(as_tensor(p) for p in parents)
    data = K.conv(parents[0]._data, parents[1]._data, geo)
    if b is not None:
        data = data + _bias_shape(parents[2]._data, nd)
    return Tensor._make(laid_out_like(data, parents[0]._data, parents[1]._data), parents, "conv", geo)


def conv_input_node(g: Any, w: Any, b: Any, geo: Geom, size: tuple) -> Any:
    """The transposed convolution conv_input(g, w) (+ b per output channel) for inputs of ``size``."""
    nd = w.ndim - 2
    if _is_array(g, w, b):
        out = K.conv_input(g, w, geo, size)
        return laid_out_like(out if b is None else out + _bias_shape(b, nd), g, w)
    parents = tuple(as_tensor(p) for p in ((g, w) if b is None else (g, w, b)))
    data = K.conv_input(parents[0]._data, parents[1]._data, geo, size)
    if b is not None:
        data = data + _bias_shape(parents[2]._data, nd)
    data = laid_out_like(data, parents[0]._data, parents[1]._data)
    return Tensor._make(data, parents, "conv_input", (geo, size))


def conv_weight_node(x: Any, g: Any, geo: Geom, ksize: tuple) -> Any:
    """The weight gradient conv_weight(x, g), a function of both."""
    if _is_array(x, g):
        return K.conv_weight(x, g, geo, ksize)
    x, g = as_tensor(x), as_tensor(g)
    return Tensor._make(K.conv_weight(x._data, g._data, geo, ksize), (x, g), "conv_weight", (geo, ksize))


@rule("conv")  # out = conv(x, w) (+ b); ctx = Geom
@holomorphic  # bilinear, real coefficients: complex inputs enter conjugated
def _conv_rule(F, g, out, xs, ctx, need):
    x, w = xs[0], xs[1]
    gx = conv_input_node(g, w, None, ctx, x.shape[2:]) if need[0] else None
    gw = conv_weight_node(x, g, ctx, w.shape[2:]) if need[1] else None
    if len(xs) == 2:
        return gx, gw
    return gx, gw, (g.sum(axis=_spatial_bias_axes(w.ndim - 2)) if need[2] else None)


@rule("conv_input")  # out = conv_input(y, w) (+ b); ctx = (Geom, size). <out, h> = <y, conv(h, w)>
@holomorphic  # bilinear, real coefficients: complex inputs enter conjugated
def _conv_input_rule(F, g, out, xs, ctx, need):
    y, w = xs[0], xs[1]
    geo = ctx[0]
    gy = conv_node(g, w, None, geo) if need[0] else None
    gw = conv_weight_node(g, y, geo, w.shape[2:]) if need[1] else None
    if len(xs) == 2:
        return gy, gw
    return gy, gw, (g.sum(axis=_spatial_bias_axes(w.ndim - 2)) if need[2] else None)


@rule("conv_weight")  # out = conv_weight(x, y); ctx = (Geom, ksize). <out, k> = <y, conv(x, k)>
@holomorphic  # bilinear, real coefficients: complex inputs enter conjugated
def _conv_weight_rule(F, g, out, xs, ctx, need):
    x, y = xs
    geo = ctx[0]
    gx = conv_input_node(y, g, None, geo, x.shape[2:]) if need[0] else None
    gy = conv_node(x, g, None, geo) if need[1] else None
    return gx, gy


# --- the public ops --------------------------------------------------------------------------------
class ConvDtypeError(TypeError, RuntimeError):
    """An integer input with floating-point weights (or the reverse): PyTorch refuses (RuntimeError)."""


def _check_dtypes(x: Tensor, w: Tensor, b: Any, who: str) -> None:
    """PyTorch's refusal to mix integer and floating-point operands in a convolution (autobp keeps
    its float32/float64 promotion: only integer-with-float mixtures are refused)."""
    from .._torch_out import _names

    floating = x.dtype.kind in "fc"
    for other, what in ((w, "weight"), (b, "bias")):
        if other is not None and (other.dtype.kind in "fc") != floating:
            raise ConvDtypeError(
                f"{who}: Input type ({x.dtype}) and {what} type ({other.dtype}) should be the same "
                f"(expected scalar type {_names(x.dtype)[1]} but found {_names(other.dtype)[1]})"
            )


def _prepare(input: Any, weight: Any, bias: Any, nd: int, who: str, transposed: bool = False):
    """Tensors, the batch dimension added to an unbatched input, and the checks PyTorch makes."""
    x, w = as_tensor(input), as_tensor(weight)
    b = None if bias is None else as_tensor(bias)
    _check_dtypes(x, w, b, who)
    if w.ndim != nd + 2:
        raise NNArgumentError(f"{who}: weight must have {nd + 2} dimensions, got shape {w.shape}")
    if x.ndim not in (nd + 1, nd + 2):
        raise NNArgumentError(
            f"{who}: Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to {who}, but got input "
            f"of size: {list(x.shape)}"
        )

    unbatched = x.ndim == nd + 1
    if unbatched:
        x = x.reshape((1,) + x.shape)
    return x, w, b, unbatched


def _check_channels(x: Tensor, w: Tensor, b: Any, groups: int, who: str, transposed: bool) -> None:
    C = x.shape[1]
    if groups < 1 or (not transposed and w.shape[0] % groups) or C % groups:
        raise NNArgumentError(
            f"{who}: groups={groups} must divide the input channels ({C}) and the "
            f"{'input' if transposed else 'output'} channels of weight {w.shape}"
        )
    expected = w.shape[0] if transposed else w.shape[1] * groups
    if C != expected:
        raise NNArgumentError(
            f"{who}: Given groups={groups}, weight of size {list(w.shape)}, expected input"
            f"{list(x.shape)} to have {expected} channels, but got {C} channels instead"
        )
    out_channels = w.shape[1] * groups if transposed else w.shape[0]
    if b is not None and b.shape != (out_channels,):
        raise ValueError(f"{who}: bias shape {b.shape} must be ({out_channels},) for weight {w.shape}")


def _conv_nd(input, weight, bias, stride, padding, dilation, groups, nd: int, who: str) -> Tensor:
    x, w, b, unbatched = _prepare(input, weight, bias, nd, who)
    if _autocast_threads and _autocast.enabled:  # autobp.autocast: float32 operands to float16
        x, w, b = _autocast_lower(x, w, b)
    groups = int(groups)
    _check_channels(x, w, b, groups, who, False)
    s = _tuple(stride, nd, "stride", who)
    d = _tuple(dilation, nd, "dilation", who)
    ks = w.shape[2:]
    if isinstance(padding, str):
        if padding == "valid":
            lo = hi = (0,) * nd
        elif padding == "same":
            if any(a != 1 for a in s):
                raise ValueError(
                    f"{who}: padding='same' is not supported for strided convolutions (stride {s})"
                )
            total = tuple(di * (k - 1) for di, k in zip(d, ks))
            lo = tuple(t // 2 for t in total)  # PyTorch puts the odd extra element after
            hi = tuple(t - a for t, a in zip(total, lo))
        else:
            raise ValueError(
                f"{who}: Invalid padding string {padding!r}, should be one of {{'valid', 'same'}}"
            )
    else:
        lo = hi = _tuple(padding, nd, "padding", who, lo=0)
    padded = tuple(x.shape[2 + i] + lo[i] + hi[i] for i in range(nd))
    dk = tuple(d[i] * (ks[i] - 1) + 1 for i in range(nd))
    if any(padded[i] < dk[i] for i in range(nd)):  # PyTorch's words
        raise ShapeError(
            f"{who}: Calculated padded input size per channel: ({' x '.join(map(str, padded))}). Kernel "
            f"size: ({' x '.join(map(str, dk))}). Kernel size can't be greater than actual input size "
            f"(input {x.shape}, weight {w.shape})"
        )
    out = conv_node(x, w, b, Geom(s, lo, hi, d, groups))
    return out.reshape(out.shape[1:]) if unbatched else out


@op(family="nn", namespace=_NS, numpy=None, method=False, rules=_CONV_RULES)
def conv1d(
    input: Any,
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
) -> Tensor:
    """1-D cross-correlation of (N, C, L) with weight (O, C/groups, K), as ``torch.nn.functional.conv1d``."""
    return _conv_nd(input, weight, bias, stride, padding, dilation, groups, 1, "conv1d")


@op(family="nn", namespace=_NS, numpy=None, method=False, rules=_CONV_RULES)
def conv2d(
    input: Any,
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
) -> Tensor:
    """2-D cross-correlation of (N, C, H, W) with weight (O, C/groups, kH, kW), as PyTorch's conv2d.

    >>> import numpy as np
    >>> conv2d(np.ones((1, 1, 3, 3)), np.ones((1, 1, 2, 2))).shape
    (1, 1, 2, 2)
    """
    return _conv_nd(input, weight, bias, stride, padding, dilation, groups, 2, "conv2d")


@op(family="nn", namespace=_NS, numpy=None, method=False, rules=_CONV_RULES)
def conv3d(
    input: Any,
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
) -> Tensor:
    """3-D cross-correlation of (N, C, D, H, W) with weight (O, C/groups, kD, kH, kW)."""
    return _conv_nd(input, weight, bias, stride, padding, dilation, groups, 3, "conv3d")


def _conv_transpose_nd(input, weight, bias, stride, padding, output_padding, groups, dilation, nd, who):
    x, w, b, unbatched = _prepare(input, weight, bias, nd, who)
    if _autocast_threads and _autocast.enabled:
        x, w, b = _autocast_lower(x, w, b)
    groups = int(groups)
    _check_channels(x, w, b, groups, who, True)
    s = _tuple(stride, nd, "stride", who)
    d = _tuple(dilation, nd, "dilation", who)
    p = _tuple(padding, nd, "padding", who, lo=0)
    op_ = _tuple(output_padding, nd, "output_padding", who, lo=0)
    for i in range(nd):
        if op_[i] >= max(s[i], d[i]):
            raise ValueError(
                f"{who}: output_padding {op_} must be smaller than stride {s} or dilation {d} along each axis"
            )
    ks = w.shape[2:]
    # the transposed convolution is the gradient of a convolution of an input this size
    size = tuple((x.shape[2 + i] - 1) * s[i] - 2 * p[i] + d[i] * (ks[i] - 1) + op_[i] + 1 for i in range(nd))
    if any(n < 1 for n in size):
        raise ValueError(f"{who}: output size {size} is not positive (input {x.shape}, weight {w.shape})")
    # weight (C_in, C_out/G, *K) is the forward convolution's weight (O, C/G, *K) with O = C_in
    out = conv_input_node(x, w, b, Geom(s, p, p, d, groups, x.shape[2:]), size)
    return out.reshape(out.shape[1:]) if unbatched else out


@op(family="nn", namespace=_NS, numpy=None, method=False, rules=_CONV_RULES)
def conv_transpose1d(
    input: Any,
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    groups: int = 1,
    dilation: Any = 1,
) -> Tensor:
    """1-D transposed convolution (the gradient of conv1d in its input); weight (C_in, C_out/groups, K)."""
    return _conv_transpose_nd(
        input, weight, bias, stride, padding, output_padding, groups, dilation, 1, "conv_transpose1d"
    )


@op(family="nn", namespace=_NS, numpy=None, method=False, rules=_CONV_RULES)
def conv_transpose2d(
    input: Any,
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    groups: int = 1,
    dilation: Any = 1,
) -> Tensor:
    """2-D transposed convolution (the gradient of conv2d in its input); weight (C_in, C_out/groups, kH, kW).

    Output size (H - 1) * stride - 2 * padding + dilation * (kH - 1) + output_padding + 1."""
    return _conv_transpose_nd(
        input, weight, bias, stride, padding, output_padding, groups, dilation, 2, "conv_transpose2d"
    )


@op(family="nn", namespace=_NS, numpy=None, method=False, rules=_CONV_RULES)
def conv_transpose3d(
    input: Any,
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    groups: int = 1,
    dilation: Any = 1,
) -> Tensor:
    """3-D transposed convolution (the gradient of conv3d in its input); weight (C_in, C_out/groups, *K)."""
    return _conv_transpose_nd(
        input, weight, bias, stride, padding, output_padding, groups, dilation, 3, "conv_transpose3d"
    )
