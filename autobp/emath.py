"""numpy.emath (numpy.lib.scimath) with gradients: square roots, logarithms, powers and inverse sines,
cosines and hyperbolic tangents whose results are complex where the input is out of the real domain.

As numpy decides, a real input with any element out of the domain (negative for sqrt/log/power, of
magnitude above 1 for arccos/arcsin/arctanh) is computed in complex (complex64 from float32) and the
whole result is complex; otherwise the result is real. On Tensors the conversion and the function record
on the graph, with PyTorch's convention for gradients of complex results (a real input's gradient is the
real part). With no Tensor among the arguments these are numpy's functions. ``np.emath.sqrt(t)`` and the
others dispatch here on a Tensor.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _dispatch
from ._plain import has_tensor
from .tensor import Tensor

__all__ = ["sqrt", "log", "log2", "log10", "logn", "power", "arccos", "arcsin", "arctanh"]

_SINGLE = (np.float16, np.float32, np.int8, np.int16, np.uint8, np.uint16, np.complex64)


def _to_complex(t: Tensor) -> Tensor:
    """numpy's promotion in emath: complex64 from half/single precision and small integers, else
    complex128."""
    dtype = np.complex64 if t._data.dtype.type in _SINGLE else np.complex128
    return t.astype(dtype)


def _fix(x: Any, out_of_domain: Any) -> Any:
    """``x`` in complex if it is real with an element out of the domain (a Tensor: recorded)."""
    if not isinstance(x, Tensor):
        return x
    d = x._data
    if d.dtype.kind not in "c" and np.any(out_of_domain(d)):
        return _to_complex(x)
    return x


def _negative(d: np.ndarray) -> Any:
    return d < 0


def _beyond_one(d: np.ndarray) -> Any:
    return np.abs(d) > 1


def _plain_if_constant(name: str) -> Any:
    def decorate(fn: Any) -> Any:
        from . import asarray  # a list holding Tensors: stacked on the graph

        numpy_fn = getattr(np.emath, name)

        def wrapper(*args: Any) -> Any:
            if not has_tensor(args):
                return numpy_fn(*args)
            return fn(*(asarray(a) if has_tensor(a) and not isinstance(a, Tensor) else a for a in args))

        wrapper.__name__ = wrapper.__qualname__ = name
        wrapper.__doc__, wrapper.__module__ = fn.__doc__, __name__
        wrapper.__wrapped__ = fn
        _dispatch.FUNCTIONS[numpy_fn] = wrapper
        return wrapper

    return decorate


@_plain_if_constant("sqrt")
def sqrt(x: Any) -> Any:
    """Square root; of a real input with a negative element, the complex principal root."""
    from . import sqrt as _sqrt

    return _sqrt(_fix(x, _negative))


@_plain_if_constant("log")
def log(x: Any) -> Any:
    """Natural logarithm; of a real input with a negative element, the complex principal value."""
    from . import log as _log

    return _log(_fix(x, _negative))


@_plain_if_constant("log2")
def log2(x: Any) -> Any:
    """Base-2 logarithm; of a real input with a negative element, the complex principal value."""
    from . import log2 as _log2

    return _log2(_fix(x, _negative))


@_plain_if_constant("log10")
def log10(x: Any) -> Any:
    """Base-10 logarithm; of a real input with a negative element, the complex principal value."""
    from . import log10 as _log10

    return _log10(_fix(x, _negative))


@_plain_if_constant("logn")
def logn(n: Any, x: Any) -> Any:
    """Logarithm of ``x`` to base ``n`` (``log(x) / log(n)``), complex where either is negative."""
    from . import divide
    from . import log as _log

    n = _fix(n, _negative) if isinstance(n, Tensor) else np.emath.log(n)
    x = _fix(x, _negative) if isinstance(x, Tensor) else np.emath.log(x)
    return divide(_log(x) if isinstance(x, Tensor) else x, _log(n) if isinstance(n, Tensor) else n)


@_plain_if_constant("power")
def power(x: Any, p: Any) -> Any:
    """``x ** p``; a real ``x`` with a negative element is taken as complex, and a negative integer
    exponent as a float (numpy's emath.power)."""
    from . import power as _power

    x = _fix(x, _negative) if isinstance(x, Tensor) else _constant_base(x)
    if isinstance(p, Tensor):
        if p._data.dtype.kind in "iu" and np.any(p._data < 0):
            p = p * 1.0
    else:
        p = np.asarray(p)
        if p.dtype.kind in "iu" and np.any(p < 0):
            p = p * 1.0
    return _power(x, p)


def _constant_base(x: Any) -> Any:
    a = np.asarray(x)
    if a.dtype.kind != "c" and np.any(a < 0):
        return a.astype(np.complex64 if a.dtype.type in _SINGLE else np.complex128)
    return a


@_plain_if_constant("arccos")
def arccos(x: Any) -> Any:
    """Inverse cosine; of a real input with an element of magnitude above 1, the complex principal value."""
    from . import arccos as _arccos

    return _arccos(_fix(x, _beyond_one))


@_plain_if_constant("arcsin")
def arcsin(x: Any) -> Any:
    """Inverse sine; of a real input with an element of magnitude above 1, the complex principal value."""
    from . import arcsin as _arcsin

    return _arcsin(_fix(x, _beyond_one))


@_plain_if_constant("arctanh")
def arctanh(x: Any) -> Any:
    """Inverse hyperbolic tangent; of a real input with an element of magnitude above 1, the complex
    principal value."""
    from . import arctanh as _arctanh

    return _arctanh(_fix(x, _beyond_one))
