"""PyTorch's legacy tensor types (``torch.FloatTensor``, ``torch.LongTensor``, ...) as old code uses
them: ``LongTensor([0, 1])`` builds a tensor of that dtype from data, ``FloatTensor(2, 3)`` an
uninitialised one of that size, and ``isinstance(t, FloatTensor)`` asks for the dtype. Also
``Size``, PyTorch's shape type (autobp's shapes are plain tuples, equal to it)."""

from __future__ import annotations

import operator
from typing import Any

import numpy as np

from ._device import check_device
from .pytree._registry import register_pytree_node
from .tensor import Tensor


class _LegacyTensorType(type):
    """The metaclass: calling one builds a Tensor of its dtype; isinstance checks the dtype."""

    dtype: np.dtype

    def __instancecheck__(cls, obj: Any) -> bool:
        return isinstance(obj, Tensor) and obj.dtype == cls.dtype

    def __call__(cls, *args: Any, device: Any = None) -> Tensor:
        check_device(device, cls.__name__)
        if len(args) == 1 and not isinstance(args[0], (int, np.integer)):
            data = args[0]
            arr = np.array(data._data if isinstance(data, Tensor) else data).astype(cls.dtype)
            if arr.ndim == 0:
                raise TypeError(f"{cls.__name__}: a sequence or sizes expected, got {data!r}")
            return Tensor(arr, dtype=cls.dtype)
        if not all(isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in args):
            raise TypeError(f"{cls.__name__}: expected sizes (ints) or one sequence of data, got {args!r}")
        return Tensor(np.empty(tuple(int(a) for a in args) or (0,), dtype=cls.dtype), dtype=cls.dtype)


def _legacy(name: str, dtype: Any) -> type:
    doc = (
        f"PyTorch's legacy ``torch.{name}``: ``{name}(data)`` is a {np.dtype(dtype).name} tensor of the "
        f"data, ``{name}(*sizes)`` an uninitialised one; ``isinstance(t, {name})`` checks the dtype."
    )

    def __init_subclass__(cls: type, **kwargs: Any) -> None:  # calling one builds a Tensor, never a subclass
        raise TypeError(
            f"type 'autobp.{name}' is not an acceptable base type (PyTorch: type 'torch.{name}' is not an "
            "acceptable base type); subclass autobp.Tensor"
        )

    namespace = {"dtype": np.dtype(dtype), "__doc__": doc, "__module__": __name__}
    return _LegacyTensorType(name, (), {**namespace, "__init_subclass__": __init_subclass__})


DoubleTensor = _legacy("DoubleTensor", np.float64)
FloatTensor = _legacy("FloatTensor", np.float32)
HalfTensor = _legacy("HalfTensor", np.float16)
LongTensor = _legacy("LongTensor", np.int64)
IntTensor = _legacy("IntTensor", np.int32)
ShortTensor = _legacy("ShortTensor", np.int16)
CharTensor = _legacy("CharTensor", np.int8)
ByteTensor = _legacy("ByteTensor", np.uint8)
BoolTensor = _legacy("BoolTensor", np.bool_)


class Size(tuple):
    """PyTorch's ``torch.Size`` (what ``t.size()`` returns): a tuple of ints (``Size([2, 3]) == (2, 3)``);
    slicing, ``+`` and ``*`` keep the type, as PyTorch's. autobp's ``shape`` is a plain tuple (numpy's),
    which compares equal to it."""

    def __new__(cls, sizes: Any = ()) -> Size:
        items = []
        for i, n in enumerate(sizes):
            ok = isinstance(n, (int, np.integer)) or (
                getattr(n, "dtype", None) is not None and np.ndim(n) == 0
            )
            try:
                if not ok or isinstance(n, bool):
                    raise TypeError
                items.append(operator.index(n))  # a 0-d integer tensor counts, as in PyTorch
            except TypeError:
                raise TypeError(
                    f"Size: expected a sequence of ints (torch.Size() takes an iterable of 'int'), item {i} "
                    f"is {type(n).__name__} {n!r}"
                ) from None
        return super().__new__(cls, items)

    def numel(self) -> int:
        """The number of elements a tensor of this shape holds."""
        return int(np.prod(self, dtype=np.int64))

    def __getitem__(self, key: Any) -> Any:
        got = super().__getitem__(key)
        return Size(got) if isinstance(key, slice) else got

    def __add__(self, other: Any) -> Any:
        return Size(tuple(self) + tuple(other)) if isinstance(other, tuple) else NotImplemented

    def __radd__(self, other: Any) -> Any:
        return Size(tuple(other) + tuple(self)) if isinstance(other, tuple) else NotImplemented

    def __mul__(self, n: Any) -> Size:
        return Size(tuple(self) * n)

    __rmul__ = __mul__

    def __reduce__(self) -> tuple:
        return (Size, (tuple(self),))

    def __repr__(self) -> str:
        return f"autobp.Size({list(self)})"


# a pytree node, as torch.utils._pytree registers torch.Size (JAX has no Size; an unregistered tuple
# subclass would be a leaf there)
register_pytree_node(Size, lambda s: (tuple(s), None), lambda _, children: Size(children))

__all__ = [
    "Size",
    "DoubleTensor",
    "FloatTensor",
    "HalfTensor",
    "LongTensor",
    "IntTensor",
    "ShortTensor",
    "CharTensor",
    "ByteTensor",
    "BoolTensor",
]
