"""numpy's functions of a float's parts and of integer bits: modf, frexp and ldexp (differentiable in
the float: d ldexp(x, n)/dx = 2^n, d frac/dx = 1, d mantissa/dx = 2^-exponent), nextafter (PyTorch's
gradient: 1 for x1 off ties, 0 for x2), and the piecewise constant spacing, heaviside, gcd, lcm,
bitwise_count, packbits, unpackbits, which are constants; numpy's window functions (bartlett,
blackman, hamming, hanning, kaiser) are here too."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import return_types as _rt
from ..rules import rule
from ..tensor import Tensor
from ._args import as_tensor
from ._decl import op
from .numpy_arrays import data_of

_B = "float_bits"


def _float_only(x: Tensor, name: str) -> None:
    if x.dtype.kind == "c":
        from .._broadcast import DTypeError  # TypeError and RuntimeError

        raise DTypeError(
            f"{name}: not defined for complex tensors (dtype {x.dtype}, shape {x.shape}); "
            f"torch.{name}() only supports floating-point dtypes"
        )


def _frexp_out(mantissa: Tensor, exponent: Tensor, out: Any) -> tuple:
    """PyTorch's frexp(out=(mantissa, exponent)): the mantissa's dtype must be the input's, the
    exponent's int32; each is written (resized as PyTorch resizes) and the pair returned."""
    from .._broadcast import DTypeError
    from .._torch_out import write_out

    if not isinstance(out, (tuple, list)) or len(out) != 2:
        raise TypeError(f"frexp: out= must be a (mantissa, exponent) pair of Tensors, got {out!r}")
    m, e = out
    if np.dtype(m.dtype) != mantissa.dtype:
        raise DTypeError(f"torch.frexp() expects mantissa to have dtype {mantissa.dtype} but got {m.dtype}")
    if np.dtype(e.dtype) != np.int32:
        raise DTypeError(f"torch.frexp() expects exponent to have int dtype but got {e.dtype}")
    return write_out(mantissa, m, "frexp"), write_out(exponent, e, "frexp")


@op(family=_B, method=False)
def modf(x: Any, /) -> tuple:
    """(fractional part, integral part), both with x's sign (numpy's modf); the fraction has
    gradient 1 (PyTorch's frac), the integral part is a constant (its derivative is 0)."""
    x = as_tensor(x)
    _float_only(x, "modf")
    frac, whole = np.modf(x._data)
    return Tensor._make(frac, (x,), "modf"), Tensor._const(whole)


@rule("modf")
def _modf(F, g, out, xs, ctx, need):
    return (g,)


def _frexp_parts(x: Tensor) -> tuple:
    _float_only(x, "frexp")
    mantissa, exponent = np.frexp(x._data)
    return _rt.frexp._make((Tensor._make(mantissa, (x,), "frexp", exponent), Tensor._const(exponent)))


def _torch_outs(out: Any) -> bool:
    return isinstance(out, (tuple, list)) and len(out) == 2 and all(isinstance(o, Tensor) for o in out)


@op(family=_B, method=False)
def frexp(
    x: Any, /, *, out: Any = None, where: Any = True, casting: str = "same_kind", dtype: Any = None
) -> tuple:
    """(mantissa, exponent) with x = mantissa * 2**exponent, 0.5 <= |mantissa| < 1 (numpy's and
    PyTorch's frexp; the exponent an int32 constant); d mantissa/dx = 2^-exponent, as PyTorch.
    PyTorch's ``out=(mantissa, exponent)``: Tensors of x's dtype and of int32; numpy's ufunc keywords
    (``out=`` numpy arrays, ``where=``, ``casting=``, ``dtype=``) as numpy's frexp."""
    x = as_tensor(x)
    if out is None and where is True and dtype is None:
        return _frexp_parts(x)
    if _torch_outs(out) and where is True and dtype is None and casting == "same_kind":
        return _rt.frexp_out._make(_frexp_out(*_frexp_parts(x), out))  # PyTorch's out= form's type
    from .._ufunc_keywords import call

    extra = {"out": out, "where": where, "casting": casting, "dtype": dtype}
    return call(_frexp_parts, np.frexp, "frexp", (x,), {}, extra)


@rule("frexp")  # ctx: the exponent, piecewise constant in x (so a constant under create_graph too)
def _frexp(F, g, out, xs, ctx, need):
    return (g * np.ldexp(np.ones((), g.dtype), -ctx),)


@op(family=_B, method=False, rules=("ldexp", "multiply", "power"))
def ldexp(x1: Any, x2: Any, /) -> Tensor:
    """x1 * 2**x2 for integer x2 (numpy's ldexp, PyTorch's ldexp); d/dx1 = 2**x2. A complex x1 or x2
    (numpy refuses both) gives PyTorch's complex ldexp, x1 * 2**x2, differentiable in both; a float
    x2 with a real x1 is refused, as numpy does."""
    x = as_tensor(x1)
    n = data_of(x2)
    if x.dtype.kind == "c" or n.dtype.kind == "c":
        if n.dtype.kind in "iub":  # an exact power of two in x1's precision
            return x * Tensor._const(np.ldexp(np.ones((), np.finfo(x.dtype).dtype), n))
        return x * 2.0 ** as_tensor(x2)
    if n.dtype.kind not in "iub":
        raise TypeError(f"ldexp: x2 must hold integers, got dtype {n.dtype} (shape {n.shape})")
    try:
        data = np.ldexp(x._data, n)
    except (TypeError, ValueError) as e:
        raise type(e)(f"ldexp: x1 of shape {x.shape} ({x.dtype}) and x2 of shape {n.shape}: {e}") from None
    return Tensor._make(data, (x,), "ldexp", n)


@rule("ldexp")  # ctx: the integer exponents
def _ldexp(F, g, out, xs, ctx, need):
    return (g * np.ldexp(np.ones((), g.dtype), ctx),)


def _const_ufunc(ufunc: Any, *args: Any) -> Tensor:
    # Python numbers stay numbers: numpy takes them in the array's dtype (a float32 stays float32)
    arrays = [a if type(a) in (int, float, bool) else data_of(a) for a in args]
    try:
        return Tensor._const(np.asarray(ufunc(*arrays)))
    except TypeError:
        kinds = ", ".join(f"{np.asarray(a).dtype} of shape {np.shape(a)}" for a in arrays)
        raise TypeError(f"{ufunc.__name__}: not defined for {kinds}") from None


@op(family=_B, differentiable=False, method=False)
def spacing(x: Any, /) -> Tensor:
    """The distance from x to the next float away from 0 (numpy's spacing; a constant)."""
    return _const_ufunc(np.spacing, x)


@op(family=_B)
def nextafter(x1: Any, x2: Any, /) -> Tensor:
    """The next float after x1 towards x2 (numpy's and PyTorch's nextafter); as in PyTorch, the
    gradient passes to x1 unchanged (the result is x1 moved by one step) except where x1 == x2 (the
    result is x2 there), and x2's is 0."""
    out = _const_ufunc(np.nextafter, x1, x2)._data  # numpy's dtypes (a Python number is weak) and errors
    return Tensor._make(out, (as_tensor(x1), as_tensor(x2)), "nextafter")


@rule("nextafter")
def _nextafter(F, g, out, xs, ctx, need):
    zero = F.zeros_like(g)
    return F.where(xs[0] == xs[1], zero, g), (zero if need[1] else None)


@op(family=_B, differentiable=False, method=False)
def heaviside(x1: Any, x2: Any, /) -> Tensor:
    """0 where x1 < 0, 1 where x1 > 0, x2 where x1 == 0 (numpy's and PyTorch's heaviside; a
    constant: its derivative is 0 almost everywhere and PyTorch defines none)."""
    return _const_ufunc(np.heaviside, x1, x2)


@op(family=_B, differentiable=False, method=False)
def gcd(x1: Any, x2: Any, /) -> Tensor:
    """The greatest common divisor of integers, elementwise (numpy's and PyTorch's gcd)."""
    return _const_ufunc(np.gcd, x1, x2)


@op(family=_B, differentiable=False, method=False)
def lcm(x1: Any, x2: Any, /) -> Tensor:
    """The least common multiple of integers, elementwise (numpy's and PyTorch's lcm)."""
    return _const_ufunc(np.lcm, x1, x2)


@op(family=_B, differentiable=False, method=False)
def bitwise_count(x: Any, /) -> Tensor:
    """The number of 1 bits in |x| of an integer, elementwise, as uint8 (numpy's bitwise_count)."""
    return _const_ufunc(np.bitwise_count, x)


@op(family=_B, differentiable=False, method=False)
def packbits(a: Any, /, axis: Any = None, bitorder: str = "big") -> Tensor:
    """Boolean or integer values packed 8 to a uint8 along ``axis`` (numpy's packbits)."""
    return Tensor._const(np.packbits(data_of(a), axis=axis, bitorder=bitorder))


@op(family=_B, differentiable=False, method=False)
def unpackbits(a: Any, /, axis: Any = None, count: Any = None, bitorder: str = "big") -> Tensor:
    """The bits of a uint8 array as 0/1 uint8 values along ``axis`` (numpy's unpackbits)."""
    x = data_of(a)
    if x.dtype != np.uint8:
        raise TypeError(f"unpackbits: expected a uint8 array, got dtype {x.dtype} (shape {x.shape})")
    return Tensor._const(np.unpackbits(x, axis=axis, count=count, bitorder=bitorder))


def _window(fn: Any, M: Any, *args: Any) -> Tensor:  # noqa: N803
    return Tensor._const(fn(data_of(M), *(data_of(a) for a in args)))


@op(family=_B, differentiable=False, method=False)
def bartlett(M: int) -> Tensor:  # noqa: N803
    """The triangular (Bartlett) window of M points (numpy's bartlett)."""
    return _window(np.bartlett, M)


@op(family=_B, differentiable=False, method=False)
def blackman(M: int) -> Tensor:  # noqa: N803
    """The Blackman window of M points (numpy's blackman)."""
    return _window(np.blackman, M)


@op(family=_B, differentiable=False, method=False)
def hamming(M: int) -> Tensor:  # noqa: N803
    """The Hamming window of M points (numpy's hamming; PyTorch's hamming_window is periodic by default)."""
    return _window(np.hamming, M)


@op(family=_B, differentiable=False, method=False)
def hanning(M: int) -> Tensor:  # noqa: N803
    """The Hann window of M points (numpy's hanning; PyTorch's hann_window is periodic by default)."""
    return _window(np.hanning, M)


@op(family=_B, differentiable=False, method=False)
def kaiser(M: int, beta: float) -> Tensor:  # noqa: N803
    """The Kaiser window of M points and shape ``beta`` (numpy's kaiser)."""
    return _window(np.kaiser, M, beta)
