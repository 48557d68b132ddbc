"""How a Tensor becomes a Python number, list or string: item, numpy, tolist, len, bool, float, int,
index, format and repr (numpy's and PyTorch's meanings), attached to Tensor by tensor.py."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._default_dtype import DEFAULT


def item(self: Any, *args: Any) -> float:
    """The value of a one-element tensor as a Python number; numpy's ``item(i)`` (flat index) and
    ``item(i, j, ...)`` or ``item((i, j, ...))`` (one index per axis) pick one element of any tensor."""
    if not args and self._data.size != 1:
        raise ValueError(f"item(): tensor of shape {self.shape} has {self.size} elements, not 1")
    try:
        return self._data.item(*args)
    except (IndexError, ValueError, TypeError) as e:
        raise type(e)(f"item{args}: tensor of shape {self.shape}: {e}") from None


def numpy(self: Any, *, force: bool = False) -> np.ndarray:
    """The values as an ndarray (the same view as ``.data``: writes to it are counted). ``force`` is
    PyTorch's keyword (detach, move to the CPU, resolve conjugation first): autobp's values already are
    that array, so it changes nothing; unlike PyTorch's, a tensor that requires grad converts too."""
    return self.data


def tolist(self: Any) -> Any:
    """The values as nested Python lists (numpy's ``tolist``)."""
    return self._data.tolist()


def tobytes(self: Any, order: str = "C") -> bytes:
    """The raw bytes of the values in ``order`` ('C' row-major, 'F' column-major), numpy's ``tobytes``."""
    return self._data.tobytes(order)


def __len__(self: Any) -> int:
    if self.ndim == 0:
        raise TypeError("len() of a 0-d tensor")
    return len(self._data)


def __iter__(self: Any) -> Any:
    """The rows (sub-tensors along axis 0); a 0-d tensor is not iterable (numpy's and PyTorch's
    TypeError; Python's fallback through __getitem__ gave an empty iteration, so np.empty(t) of a
    0-d size Tensor had shape ())."""
    if self.ndim == 0:
        raise TypeError("iteration over a 0-d tensor")
    return (self[i] for i in range(len(self._data)))


def __bool__(self: Any) -> bool:
    if self._data.size != 1:
        raise ValueError(f"the truth value of a tensor of shape {self.shape} is ambiguous; use .any()/.all()")
    return bool(self._data)


class ContainsTypeError(TypeError, RuntimeError):
    """``"a" in t``: PyTorch's RuntimeError (a TypeError too)."""


def __contains__(self: Any, value: Any) -> bool:
    """``value in t``: whether any element equals ``value`` (broadcast against ``t``), numpy's and
    PyTorch's ``(t == value).any()``; a sub-tensor such as a row counts where it matches a row."""
    from .tensor import Tensor

    if not isinstance(value, (Tensor, np.ndarray, np.generic, int, float, complex, bool, list, tuple)):
        raise ContainsTypeError(
            f"Tensor.__contains__ only supports Tensor or scalar, but you passed in a {type(value)}."
        )
    other = value._data if isinstance(value, Tensor) else np.asarray(value)
    try:
        return bool(np.any(self._data == other))
    except ValueError:  # shapes that do not broadcast: numpy's ValueError, PyTorch's RuntimeError
        from ._broadcast import ShapeError

        raise ShapeError(f"value in t: shape {other.shape} does not broadcast with {self.shape}") from None


def __float__(self: Any) -> float:
    return float(self.item())


def __complex__(self: Any) -> complex:
    """complex(t) of a one-element tensor (real or complex) as Python's complex number, as PyTorch;
    without it Python fell back to __float__, which refused complex values."""
    return complex(self.item())


def __format__(self: Any, spec: str) -> str:
    """f"{loss}" and f"{loss:.4f}": a 0-d tensor formats as its number (PyTorch's rule), and a
    one-element tensor does too when given a format spec; anything else formats its repr."""
    if self._data.ndim == 0 or (spec and self._data.size == 1):
        return format(self._data.reshape(()).item(), spec)
    return format(repr(self), spec)


def __int__(self: Any) -> int:
    return int(self.item())


def __index__(self: Any) -> int:  # a one-element integer tensor as a size or index, as PyTorch allows
    if self._data.size != 1 or self._data.dtype.kind not in "iu":
        raise TypeError(
            f"only one-element integer tensors can be used as an index (shape {self.shape}, {self.dtype})"
        )
    return int(self._data.reshape(()))


# how Tensor reprs print their values; autobp.set_printoptions (PyTorch's) changes them
PRINT_DEFAULTS = {
    "precision": 4, "threshold": 20, "edgeitems": 3, "linewidth": 75, "sci_mode": None,
    "suppress": False, "formatter": None, "sign": "-", "floatmode": "maxprec",
}  # fmt: skip
PRINT_OPTIONS = dict(PRINT_DEFAULTS)


def _array_text(data: np.ndarray) -> str:
    o = PRINT_OPTIONS
    formatter = o["formatter"]
    if o["sci_mode"] is not None and data.dtype.kind == "f":
        p = o["precision"]
        formatter = {"float_kind": (lambda v: f"{v:.{p}e}") if o["sci_mode"] else (lambda v: f"{v:.{p}f}")}
    return np.array2string(
        data, separator=", ", precision=o["precision"], threshold=o["threshold"], edgeitems=o["edgeitems"],
        max_line_width=o["linewidth"], formatter=formatter, prefix="tensor(", suppress_small=o["suppress"],
        sign=o["sign"], floatmode=o["floatmode"],
    )  # fmt: skip


_UNSHOWN = (np.dtype(np.int64), np.dtype(bool))  # with the default float dtype (float64 unless set)


def __repr__(self: Any) -> str:
    body = _array_text(self._data)
    extra = ""
    dt = self._data.dtype
    if dt != DEFAULT[0] and dt not in _UNSHOWN:  # the defaults, which numpy's and torch's reprs leave out
        extra += f", dtype={self._data.dtype}"
    if self._op is not None:
        extra += f", grad_fn={self._op}"
    elif self.requires_grad:
        extra += ", requires_grad=True"
    return f"tensor({body}{extra})"


CONVERSIONS = {
    "item": item,
    "numpy": numpy,
    "tolist": tolist,
    "tobytes": tobytes,
    "__len__": __len__,
    "__iter__": __iter__,
    "__bool__": __bool__,
    "__contains__": __contains__,
    "__float__": __float__,
    "__complex__": __complex__,
    "__format__": __format__,
    "__int__": __int__,
    "__index__": __index__,
    "__repr__": __repr__,
}
