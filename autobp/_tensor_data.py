"""Turning user data into a Tensor's array: ``_as_array`` (data given to ``Tensor(...)``) and ``_lift``
(the other operand of a binary op, as a constant Tensor of a matching dtype).

tensor.py imports these (and re-exports them: ``from autobp.tensor import _lift`` still works); this
module must not import tensor.py, which imports it, so tensor.py binds ``Tensor`` below once the class
exists (a module global, looked up as fast as when these lived in tensor.py).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._default_dtype import DEFAULT, F64, python_data_dtype
from ._inplace import TrackedArray, bump, same_memory

Tensor: Any = None  # autobp.tensor.Tensor, bound by tensor.py right after the class is defined
_FLOAT_KINDS = "fc"  # kinds kept as given; others become float64 (complex64/128 are numpy's complex)


class ArrayDataError(TypeError, ValueError):
    """Data numpy cannot make an array of (nested lengths that do not line up, values that do not
    parse): a TypeError (autobp's, for data it cannot take) and PyTorch's ValueError ("expected
    sequence of length ... at dim ...", named in the message)."""


def _is_seq(x: Any) -> bool:
    return isinstance(x, (list, tuple)) or np.ndim(x) > 0


def _ragged(data: Any) -> str | None:
    """Where nested lists/arrays stop matching the shape their first elements give, in PyTorch's words
    ("expected sequence of length 3 at dim 2 (got 0)", "not a sequence"), or None."""
    shape, x = [], data
    while _is_seq(x) and len(shape) < 64:
        shape.append(len(x))
        if not len(x):
            break
        x = x[0]

    def check(x: Any, dim: int) -> str | None:
        if dim == len(shape):
            return None
        if not _is_seq(x):
            return f"not a sequence at dim {dim}"
        if len(x) != shape[dim]:
            return f"expected sequence of length {shape[dim]} at dim {dim} (got {len(x)})"
        for item in x:
            found = check(item, dim + 1)
            if found:
                return found
        return None

    return check(data, 0)


def _as_array(data: Any, dtype: Any = None, keep_ints: bool = False) -> np.ndarray:
    """Convert user data; ints and bools become float64 (the default dtype) unless ``dtype`` is given or
    ``keep_ints``; Python floats take the default dtype when it is not float64 (see _default_dtype.py)."""
    if isinstance(data, Tensor):
        data = data._data
    try:
        arr = np.array(data)
        if dtype is not None:
            if arr.dtype.kind == "c" and np.dtype(dtype).kind != "c":  # never cut the imaginary part
                raise TypeError(
                    f"Tensor: complex data (dtype {arr.dtype}) with real dtype {np.dtype(dtype)} would drop "
                    "the imaginary part; take .real or np.abs(...) explicitly"
                )
            arr = arr.astype(dtype, copy=False)
    except ValueError as e:
        where = _ragged(data) if isinstance(data, (list, tuple)) else None
        detail = f"{where}; " if where else ""
        raise ArrayDataError(
            f"Tensor: cannot make an array from {type(data).__name__} ({detail}{e})"
        ) from None
    except TypeError as e:
        if str(e).startswith("Tensor:"):
            raise
        raise TypeError(f"Tensor: cannot make an array from {type(data).__name__} ({e})") from None
    if arr.dtype.kind not in "fciub":
        raise TypeError(f"Tensor: data of type {type(data).__name__} (dtype {arr.dtype}) is not numeric")
    if dtype is None and arr.dtype.kind not in _FLOAT_KINDS and not keep_ints:
        arr = arr.astype(DEFAULT[0])
    elif dtype is None and DEFAULT[0] is not F64:  # set_default_dtype(float32): Python floats follow it
        arr = python_data_dtype(data, arr)
    return arr


# ops computed in floating point even for integer inputs: a Python int beyond an integer tensor's range
# is cast to the float type numpy's loop uses for two such integers (int8 / 300 is fine in numpy)
_FLOAT_LOOPS = {
    "div": np.true_divide,
    "divide": np.true_divide,
    "true_divide": np.true_divide,
    "arctan2": np.arctan2,
    "hypot": np.hypot,
    "copysign": np.copysign,
    "logaddexp": np.logaddexp,
    "logaddexp2": np.logaddexp2,
    "float_power": np.float_power,
}


def _lift(x: Any, like: Tensor, op: str) -> Tensor:
    """The other operand of a binary op, as a constant Tensor of a matching dtype."""
    if isinstance(x, Tensor):
        return x
    if type(x) is float or (  # a float first: the usual constant (0.5 * loss), decided in one test
        isinstance(x, (bool, int, float, np.number, np.bool_)) and not isinstance(x, np.complexfloating)
    ):
        dtype = like._data.dtype
        kind = dtype.kind
        # Python numbers are "weak" as in numpy: an int next to an int32 tensor stays int32, a bool
        # next to a bool tensor stays bool; numpy scalars keep their own type unless the tensor is float
        weak = (
            kind == "f"
            or kind == "c"
            or (kind in "iu" and type(x) is int)
            or (kind == "b" and type(x) is bool)
        )
        if weak and kind in "iu" and type(x) is int and op in _FLOAT_LOOPS:
            info = np.iinfo(dtype)
            if not info.min <= x <= info.max:  # numpy casts it to the op's float loop instead
                dtype = _FLOAT_LOOPS[op](np.ones(1, dtype), np.ones(1, dtype)).dtype
        return Tensor._const(np.asarray(x, dtype=dtype if weak else None))
    if isinstance(x, (complex, np.complexfloating)):  # 1j next to float32 is complex64, as numpy and PyTorch
        return Tensor._const(np.asarray(x, dtype=np.result_type(like._data.dtype, x)))
    if isinstance(x, np.flatiter):  # a.flat: numpy reads it as the 1-d array of a's elements
        x = np.asarray(x)
    if isinstance(x, np.ndarray):
        if x.dtype.kind in "iub" and like._data.dtype.kind in "fc":
            x = x.astype(like._data.dtype)
        elif x.dtype.kind not in "fciub":
            raise TypeError(f"Tensor {op}: unsupported array dtype {x.dtype}")
        return Tensor._const(x)
    if isinstance(x, (list, tuple)):
        natural = None  # next to an integer or bool tensor, a list of ints (bools) stays one, as numpy's
        if like._data.dtype.kind in "iub":
            try:
                natural = np.asarray(x).dtype
            except (ValueError, TypeError):  # ragged or odd: _as_array names the problem
                pass
        arr = _as_array(x, natural if natural is not None and natural.kind in "iub" else None)
        if like._data.dtype.kind in "fc" and arr.dtype.kind != "c":  # numbers take the tensor's dtype
            arr = arr.astype(like._data.dtype, copy=False)
        return Tensor._const(arr)
    raise TypeError(
        f"Tensor {op}: unsupported operand of type {type(x).__name__}; "
        "expected a Tensor, numpy array or number"
    )


def set_data(t: Any, value: Any) -> None:
    """``t.data = value`` (the property's setter): swap in ``value``'s array, counted as an in-place
    write; PyTorch's rules: a leaf may change shape, an op's output may not (its rule expects it)."""
    if type(value) is TrackedArray and value._owner is t and same_memory(value, t._data):
        return  # ``t.data += x``: the ufunc wrote into the view (and counted it); nothing to swap
    if value is None:  # PyTorch's class (numpy would make a 0-d object array of it)
        raise TypeError("data: a Tensor's data has to be a tensor or an array, but got None")
    arr = np.asarray(value.data if isinstance(value, Tensor) else value)
    if arr.shape != t._data.shape and t._op is not None:  # a leaf may change shape (PyTorch)
        raise ValueError(
            f"data: new array has shape {arr.shape}, the tensor has {t._data.shape} and is the "
            f"output of op {t._op!r}, whose backward expects that shape"
        )
    bump(t)
    keep = isinstance(value, (Tensor, np.ndarray)) and (arr.dtype.kind in "fc" or not t.requires_grad)
    t._data = arr if keep else arr.astype(t._data.dtype, copy=False)  # PyTorch's: other's dtype
