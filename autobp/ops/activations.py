"""Activation functions (gelu, silu, elu, softplus, ...) as ops with their rules, PyTorch's functions
(``autobp.nn.functional`` re-exports them). Values and gradients at the kinks are PyTorch's: each
mask below is written as PyTorch's kernel compares, so NaN and the kink points fall the same way.
``inplace=True`` writes the result into the input, as PyTorch's functions do (layers return a new Tensor)."""

from __future__ import annotations

import inspect
import math
from typing import Any

import numpy as np
import scipy.special

from .. import _kernels
from .._autocast import lower as _autocast_lower
from .._autocast import on_threads as _autocast_threads
from .._autocast import state as _autocast
from ..tensor import Tensor
from ._args import as_tensor, axis_arg, refuse_complex
from ._decl import op
from .elementwise import sigmoid
from .inplace_methods import honours_inplace
from .nnops import softmax
from .norms import vector_norm
from .shape import reshape

_NF = "autobp.nn.functional"
_SQRT1_2 = math.sqrt(0.5)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_K, _C = math.sqrt(2.0 / math.pi), 0.044715  # gelu's tanh approximation: tanh(K (x + C x^3))
_SELU_ALPHA, _SELU_SCALE = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946


def _activation(**options: Any) -> Any:
    declare = op(family="activations", numpy=None, method=False, namespace=_NF, **options)

    def decorate(fn: Any) -> Any:  # PyTorch's inplace=True writes into the input
        return declare(honours_inplace(fn) if "inplace" in inspect.signature(fn).parameters else fn)

    return decorate


def _float(x: Any, complex_ok: bool = False) -> Tensor:
    """The input as a float Tensor (integers computed in float64, as numpy's sin would); complex
    input is refused, as PyTorch's activations refuse it (most of them compare with 0), unless
    ``complex_ok`` (the few PyTorch computes on complex numbers, with rules right for them)."""
    x = as_tensor(x)
    if not complex_ok:
        refuse_complex(x, "nn.functional activations")
    return x if x.dtype.kind in "fc" else Tensor._const(x._data.astype(np.float64))


def _integer(x: Any) -> bool:
    """An integer Tensor, which PyTorch's clamping activations (hardtanh, relu6, threshold) keep."""
    return isinstance(x, Tensor) and x.dtype.kind in "iu"


def _masked(x: Tensor, data: np.ndarray, passes: np.ndarray, name: str) -> Tensor:
    """A piecewise-linear op whose gradient is g where ``passes`` and 0 elsewhere."""
    return Tensor._make(data, (x,), name, passes)


@_activation()
def gelu(input: Any, approximate: str = "none") -> Tensor:
    """x * Phi(x), Phi the standard normal CDF (via erf); ``approximate="tanh"`` for the tanh form."""
    x = _float(input)
    a = x._data
    if approximate == "none":
        data = 0.5 * a * (1.0 + scipy.special.erf(a * _SQRT1_2))
    elif approximate == "tanh":
        data = 0.5 * a * (1.0 + np.tanh(_K * (a + _C * a * a * a)))
    else:
        raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")
    return Tensor._make(data, (x,), "gelu", approximate)


@_activation()
def silu(input: Any, inplace: bool = False) -> Tensor:
    """x * sigmoid(x) (also called swish); complex x too, as PyTorch's (recorded as that product)."""
    x = _float(input, complex_ok=True)
    if x.dtype.kind == "c":
        return x * sigmoid(x)
    s = _kernels.sigmoid_of(x._data)
    return Tensor._make(x._data * s, (x,), "silu", s)


@_activation()
def mish(input: Any, inplace: bool = False) -> Tensor:
    """x * tanh(softplus(x))."""
    x = _float(input)
    a = x._data
    t = np.tanh(np.logaddexp(0.0, a))
    return Tensor._make(a * t, (x,), "mish", (t, _kernels.sigmoid_of(a)))


def _elu(x: Tensor, alpha: float, scale: float, input_scale: float) -> Tensor:
    """scale * x for x > 0, scale * alpha * (e^(input_scale x) - 1) otherwise: elu, celu, selu."""
    a = x._data
    negative = np.expm1(np.where(a > 0, 0.0, a) * input_scale) * (alpha * scale)  # no overflow for x > 0
    data = np.where(a > 0, a * scale, negative)
    return Tensor._make(data, (x,), "elu", (float(alpha), float(scale), float(input_scale)))


@_activation()
def elu(input: Any, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x for x > 0, alpha (e^x - 1) otherwise; the gradient at 0 is alpha (PyTorch's)."""
    return _elu(_float(input), alpha, 1.0, 1.0)


@_activation(rules=("elu",))
def celu(input: Any, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x for x > 0, alpha (e^(x / alpha) - 1) otherwise (continuously differentiable: 1 at 0)."""
    if alpha == 0:
        raise ValueError("celu: alpha must not be 0")
    return _elu(_float(input), alpha, 1.0, 1.0 / alpha)


@_activation(rules=("elu",))
def selu(input: Any, inplace: bool = False) -> Tensor:
    """scale * elu(x, alpha) with the self-normalising constants (alpha ~ 1.6733, scale ~ 1.0507)."""
    return _elu(_float(input), _SELU_ALPHA, _SELU_SCALE, 1.0)


@_activation()
def leaky_relu(input: Any, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x for x > 0, negative_slope * x otherwise; the gradient at 0 is negative_slope."""
    x = _float(input)
    a = x._data
    positive = a > 0
    data = np.where(positive, a, a * negative_slope)
    return Tensor._make(data, (x,), "leaky_relu", (positive, float(negative_slope)))


@_activation(rules=("prelu", "reshape"))
def prelu(input: Any, weight: Any) -> Tensor:
    """leaky_relu with a learnt slope per channel (axis 1), or one slope: ``weight`` has 1 or C entries."""
    x = _float(input)
    w = as_tensor(weight)
    if _autocast_threads and _autocast.enabled:  # autobp.autocast: float32 operands to float16
        x, w = _autocast_lower(x, w)
    channels = x.shape[1] if x.ndim >= 2 else 1
    if w.ndim > 1 or w.size not in (1, channels):
        raise ValueError(
            f"prelu: weight of shape {w.shape} must have 1 entry or one per channel "
            f"(input {x.shape} has {channels} on axis 1)"
        )
    # one slope broadcasts as a 0-d array; C slopes as (C, 1, ..., 1) against axis 1
    wb = reshape(w, () if w.size == 1 else (channels,) + (1,) * (x.ndim - 2))
    a = x._data
    positive = a > 0
    return Tensor._make(np.where(positive, a, wb._data * a), (x, wb), "prelu", positive)


@_activation(rules=("hardtanh",))
def relu6(input: Any, inplace: bool = False) -> Tensor:
    """min(max(x, 0), 6); the gradient at 0 and at 6 is 0 (PyTorch's)."""
    return hardtanh(input, 0.0, 6.0)


@_activation()
def hardtanh(input: Any, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Tensor:
    """x clamped to [min_val, max_val]; the gradient is 1 strictly inside, 0 at the bounds (PyTorch's)."""
    if min_val > max_val:
        raise ValueError(f"hardtanh: min_val={min_val} is greater than max_val={max_val}")
    if _integer(input):  # PyTorch keeps integers: the limits truncated toward zero, no gradient
        lo, hi = int(min_val), int(max_val)
        if input.dtype.kind == "u" and lo < 0:
            raise ValueError(
                f"hardtanh: an unsigned tensor ({input.dtype}) cannot be clamped to negative limits"
            )
        return Tensor._const(np.clip(input._data, lo, hi).astype(input.dtype))
    x = _float(input)
    a = x._data
    return _masked(x, np.clip(a, min_val, max_val), ~((a <= min_val) | (a >= max_val)), "hardtanh")


@_activation()
def hardsigmoid(input: Any, inplace: bool = False) -> Tensor:
    """relu6(x + 3) / 6; the gradient is 1/6 strictly inside (-3, 3), 0 elsewhere."""
    x = _float(input)
    a = x._data
    data = np.minimum(np.maximum(a + 3.0, 0.0), 6.0) / 6.0
    return Tensor._make(data, (x,), "hardsigmoid", (a > -3.0) & (a < 3.0))


@_activation()
def hardswish(input: Any, inplace: bool = False) -> Tensor:
    """x * relu6(x + 3) / 6; the gradient is 0 up to -3, x/3 + 1/2 on (-3, 3), 1 from 3 on (PyTorch's)."""
    x = _float(input)
    a = x._data
    data = a * np.minimum(np.maximum(a + 3.0, 0.0), 6.0) / 6.0
    return Tensor._make(data, (x,), "hardswish", ((a > -3.0) & (a < 3.0), a >= 3.0))


@_activation()
def logsigmoid(input: Any) -> Tensor:
    """log(sigmoid(x)) = -softplus(-x), without overflow."""
    x = _float(input)
    a = x._data
    return Tensor._make(-np.logaddexp(0.0, -a), (x,), "logsigmoid", _kernels.sigmoid_of(-a))


@_activation()
def softsign(input: Any) -> Tensor:
    """x / (1 + |x|); complex x too, as PyTorch's (recorded as that composite: |x| is not holomorphic)."""
    x = _float(input, complex_ok=True)
    if x.dtype.kind == "c":
        return x / (1.0 + abs(x))
    return Tensor._make(x._data / (1.0 + np.abs(x._data)), (x,), "softsign")


@_activation()
def softplus(input: Any, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """log(1 + e^(beta x)) / beta, and x itself where beta x > threshold (PyTorch's); no overflow.

    The gradient is sigmoid(beta x), and 1 above the threshold; ``threshold=inf`` keeps the smooth
    form everywhere.
    """
    x = _float(input)
    a = x._data
    z = a * beta
    linear = z > threshold
    data = np.where(linear, a, np.logaddexp(0.0, z) / beta)
    return Tensor._make(data, (x,), "softplus", (linear, _kernels.sigmoid_of(z), float(beta)))


def _implicit_dim(ndim: int) -> int:
    return 0 if ndim in (0, 1, 3) else 1  # PyTorch's legacy choice when dim is not given


@_activation(rules=("neg", "softmax"))
def softmin(input: Any, dim: int | None = None, *, axis: int | None = None, dtype: Any = None) -> Tensor:
    """softmax(-x) along ``dim`` (or ``axis``); without either, PyTorch's implicit choice (axis 0 for
    0-, 1- and 3-d input, else 1)."""
    x = _float(input) if dtype is None else as_tensor(input).astype(dtype)
    d = axis_arg(axis, dim, "softmin")
    return softmax(-x, axis=_implicit_dim(x.ndim) if d is None else d)


@_activation()
def glu(input: Any, dim: int = -1, *, axis: int | None = None) -> Tensor:
    """a * sigmoid(b), where a and b are the first and second halves of the input along ``dim``."""
    x = _float(input)
    d = axis_arg(axis, None if dim == -1 and axis is not None else dim, "glu")
    if x.ndim == 0:
        raise ValueError("glu: a 0-d input has no axis to halve")
    d = np.lib.array_utils.normalize_axis_index(d, x.ndim)
    n = x.shape[d]
    if n % 2:
        raise ValueError(f"glu: the halved axis {d} of input {x.shape} must have even length, not {n}")
    first, second = _halves(d, n)
    s = _kernels.sigmoid_of(x._data[second])
    return Tensor._make(x._data[first] * s, (x,), "glu", (d, n, s))


@_activation()
def tanhshrink(input: Any) -> Tensor:
    """x - tanh(x) (holomorphic: complex x too, as PyTorch's)."""
    x = _float(input, complex_ok=True)
    return Tensor._make(x._data - np.tanh(x._data), (x,), "tanhshrink")


class _ShrinkArgumentError(ValueError, RuntimeError):
    """A negative ``lambd``: autobp's ValueError, PyTorch's RuntimeError (either ``except`` catches it)."""


def _check_lambd(lambd: float, who: str) -> None:
    if not lambd >= 0:
        raise _ShrinkArgumentError(
            f"{who}: lambd must be >= 0, got {lambd} (lambda must be greater or equal to 0, but found to be "
            f"{lambd}.)"
        )


@_activation()
def softshrink(input: Any, lambd: float = 0.5) -> Tensor:
    """x - lambd above lambd, x + lambd below -lambd, 0 between; the gradient at +-lambd is 0."""
    _check_lambd(lambd, "softshrink")
    x = _float(input)
    a = x._data
    inside = (a >= -lambd) & (a <= lambd)
    data = np.where(inside, 0.0, np.where(a > lambd, a - lambd, a + lambd))
    return _masked(x, data, ~inside, "softshrink")


@_activation()
def hardshrink(input: Any, lambd: float = 0.5) -> Tensor:
    """x where |x| > lambd, else 0; the gradient at +-lambd is 0. A negative lambd passes every x
    through, as PyTorch's (only softshrink refuses it)."""
    x = _float(input)
    a = x._data
    inside = (a >= -lambd) & (a <= lambd)
    return _masked(x, np.where(inside, 0.0, a), ~inside, "hardshrink")


@_activation()
def threshold(input: Any, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """x where x > threshold, else ``value``; the gradient at the threshold is 0. Integers stay
    integers, threshold and value truncated toward zero (PyTorch's)."""
    if _integer(input):
        a = input._data
        return Tensor._const(np.where(a <= int(threshold), np.asarray(int(value)).astype(a.dtype), a))
    x = _float(input)
    a = x._data
    below = a <= threshold
    return _masked(x, np.where(below, np.asarray(value, a.dtype), a), ~below, "threshold")


@_activation()
def normalize(input: Any, p: float = 2.0, dim: Any = 1, eps: float = 1e-12) -> Tensor:
    """x / max(||x||_p, eps) along ``dim`` (PyTorch's F.normalize); a zero vector stays zero. Complex
    vectors and any p (inf, 0, negative) as PyTorch's too, through vector_norm."""
    x = _float(input, complex_ok=True)
    if x.dtype.kind == "c" or not (p > 0 and math.isfinite(p)):  # torch's own composition
        return x / vector_norm(x, p, dim, keepdims=True).clip(eps, None)
    a = x._data
    norm = _pnorm(a, p, dim, np)
    d = np.maximum(norm, eps)
    return Tensor._make(a / d, (x,), "normalize", (p, dim, eps, d, norm >= eps))


from .activation_rules import _halves, _pnorm  # noqa: E402  (also registers the rules)
