"""The default floating dtype (PyTorch's ``set_default_dtype``): float64 (numpy's) unless set, read by the
creation functions and the samplers (``sampler_dtype``) when given no dtype, and the helpers they share.
Nothing on the per-op path reads it: a Tensor's dtype decides an op's result, as before."""

from __future__ import annotations

from typing import Any

import numpy as np

F64, C128 = np.dtype(np.float64), np.dtype(np.complex128)
# The state: [the default float dtype, its complex counterpart]. Only set_default_dtype writes it; readers
# index it (DEFAULT[0] is not F64: one global read and an identity test when no dtype is given).
DEFAULT = [F64, C128]
_COMPLEX = {"float16": np.dtype(np.complex64), "float32": np.dtype(np.complex64), "float64": C128}


def get_default_dtype() -> type:
    """The dtype Python floats and the constructors give (``torch.get_default_dtype``): ``numpy.float64``
    unless ``set_default_dtype`` changed it."""
    return DEFAULT[0].type


def set_default_dtype(d: Any) -> None:
    """``torch.set_default_dtype``: float64 (autobp's and numpy's default), float32 or float16 becomes the
    dtype of Python floats given to ``tensor``/``as_tensor``, of ``zeros``/``ones``/``empty``/``eye``/
    ``full`` (float fill), ``rand``/``randn``/``normal``, float ``arange``, ``linspace``/``logspace``,
    layers' parameters, and of an integer tensor combined with a Python float; complex data takes the
    matching complex dtype (complex64 for float32, and for float16, numpy having no complex32). Other
    dtypes are refused with PyTorch's TypeError. Not thread-local, as PyTorch's."""
    if "bfloat16" in str(d):  # PyTorch takes it; numpy has no such type
        raise TypeError(f"set_default_dtype({d}): numpy has no bfloat16; use float16, float32 or float64")
    try:
        dt = np.dtype(d)
    except TypeError:
        raise TypeError(f"set_default_dtype: {d!r} is not a dtype") from None
    if dt.name not in _COMPLEX:
        raise TypeError(
            f"set_default_dtype({dt}): only floating-point types are supported as the default type "
            "(float16, float32 or float64)"
        )
    DEFAULT[:] = [dt, _COMPLEX[dt.name]]


def default_float(dtype: Any) -> Any:
    """``dtype``, or the default float dtype for None (a creation function's dtype argument)."""
    return DEFAULT[0] if dtype is None else dtype


def follow_default(arr: np.ndarray) -> np.ndarray:
    """``arr`` made of Python numbers (so numpy gave float64 or complex128) in the default dtype's
    kinds; any other dtype as it is. Call it only when the default is not float64."""
    if arr.dtype == F64:
        return arr.astype(DEFAULT[0])
    if arr.dtype == C128:
        return arr.astype(DEFAULT[1])
    return arr


def holds_numpy_floats(data: Any) -> bool:
    """Whether nested lists/tuples ``data`` hold a float64/complex128 numpy array, scalar or Tensor:
    PyTorch keeps their dtype (``tensor([np.float64(1)])`` is float64), as it keeps an array's."""
    stack = [data]
    while stack:
        x = stack.pop()
        if isinstance(x, (list, tuple)):
            stack.extend(x)
        elif isinstance(x, (float, int, complex)):  # Python numbers (np.float64 is a float: test first)
            if isinstance(x, np.generic) and np.dtype(type(x)) in (F64, C128):
                return True
        elif getattr(x, "dtype", None) in (F64, C128):
            return True
    return False


def python_data_dtype(data: Any, arr: np.ndarray) -> np.ndarray:
    """``arr`` (numpy's array of user ``data``) in the default dtype when ``data`` is Python numbers,
    PyTorch's rule: a float or complex, or lists of them, follow the default; numpy arrays, numpy scalars
    and Tensors keep their dtype. Call it only when the default is not float64."""
    if arr.dtype != F64 and arr.dtype != C128:
        return arr
    if isinstance(data, (list, tuple)):
        return arr if holds_numpy_floats(data) else follow_default(arr)
    if isinstance(data, (float, complex)) and not isinstance(data, np.generic):
        return follow_default(arr)
    return arr


def float_kind_default(values: tuple) -> Any:
    """The default float (complex) dtype when any of ``values`` (a grid's ends and step) is a float
    (complex) number, else None: PyTorch's ``arange(0., 3)`` is the default dtype, ``arange(3)`` int64."""
    kind = np.result_type(*(v._data if hasattr(v, "_data") else v for v in values)).kind
    return DEFAULT[0] if kind == "f" else DEFAULT[1] if kind == "c" else None


def int_number_result(x: Any, c: Any, op: str, ufunc: Any, reflected: bool = False) -> Any:
    """PyTorch's promotion of an integer or bool Tensor ``x`` with a Python number ``c`` when the
    default dtype is not float64: a floating result (a float or complex ``c``; true division or a float
    power) is computed in the default dtype, ``x`` cast first as PyTorch casts it; None otherwise (the
    operator goes on as numpy computes). ``reflected``: ``c <op> x``."""
    if type(c) is float or type(c) is complex:
        pass
    elif type(c) in (int, bool) and op == "div":
        pass
    else:
        return None
    from .tensor import Tensor

    work = np.float32 if DEFAULT[0] == np.float16 else DEFAULT[0]  # torch's float16 math is float32's
    a = x._data.astype(work)
    data = ufunc(c, a) if reflected else ufunc(a, c)
    if work is not DEFAULT[0]:
        data = data.astype(DEFAULT[0] if data.dtype.kind == "f" else DEFAULT[1])
    const = Tensor._const(np.asarray(c, dtype=data.dtype))
    return Tensor._make(data, (const, x) if reflected else (x, const), op)


class _DefaultFloat:
    """The default dtype as a layer's ``dtype=`` default (``Linear(3, 2)``): numpy reads an object's
    ``dtype`` attribute wherever it takes a dtype (``np.zeros(n, dtype=DEFAULT_FLOAT)``), so the
    parameters get the default dtype of the moment the layer is made, as PyTorch's do."""

    __slots__ = ()

    @property
    def dtype(self) -> np.dtype:
        return DEFAULT[0]

    def __repr__(self) -> str:
        return "autobp.get_default_dtype()"


DEFAULT_FLOAT = _DefaultFloat()


class SamplerDtypeError(TypeError, RuntimeError):
    """A sampler asked for a dtype it cannot draw (an integer one): a TypeError, as numpy's, and a
    RuntimeError, as PyTorch's ("normal_kernel_cpu" not implemented for 'Long')."""


def sampler_dtype(dtype: Any, who: str) -> np.dtype:
    """``dtype`` (the default dtype for None) checked to be one the samplers draw."""
    dt = np.dtype(DEFAULT[0] if dtype is None else dtype)
    if dt not in (np.float16, np.float32, np.float64, np.complex64, np.complex128):
        raise SamplerDtypeError(
            f"{who}: dtype must be float16, float32, float64, complex64 or complex128, got {dt}"
        )
    return dt
