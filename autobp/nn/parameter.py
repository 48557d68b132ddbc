"""Parameter and Buffer: the Tensors a Module registers on assignment, as trainable weights or as
state (running statistics) that ``state_dict`` saves; PyTorch's ``torch.nn.Parameter``/``Buffer``."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._default_dtype import DEFAULT
from .._views import add_view
from ..tensor import _DETACHED, Tensor


class Parameter(Tensor):
    """A Tensor that a Module registers as trainable: ``requires_grad=True`` by default.

    >>> w = Parameter(np.zeros((2, 3)))
    >>> w.requires_grad, w.is_leaf
    (True, True)
    """

    __slots__ = ()

    def __init__(self, data: Any = None, requires_grad: bool = True, dtype: Any = None) -> None:
        if data is None:  # PyTorch's ``nn.Parameter()``: an empty float tensor
            data = np.empty(0, dtype=dtype or DEFAULT[0])
        super().__init__(data, requires_grad=requires_grad, dtype=dtype)
        if isinstance(data, Tensor) and self.dtype == data.dtype:
            # a Tensor's memory is shared, not copied, as PyTorch's Parameter(t) (t.detach()'s alias):
            # writes through either reach the other and count as writes of both
            self._data = data._data
            self._source = data
            self._view_op = _DETACHED
            add_view(data, self)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()

    def __deepcopy__(self, memo: dict) -> Parameter:
        """A Parameter with a copy of the data and no ``.grad``, as PyTorch's (copied layers start clean)."""
        if id(self) in memo:
            return memo[id(self)]
        out = type(self)(self._data.copy(), requires_grad=self.requires_grad, dtype=self.dtype)
        memo[id(self)] = out
        return out


class Buffer(Tensor):
    """A Tensor marked as a buffer: ``module.name = Buffer(t)`` registers it as ``register_buffer``
    would (``persistent=False`` keeps it out of ``state_dict``), as PyTorch's ``nn.Buffer``.

    >>> from autobp.nn import Module
    >>> m = Module(); m.steps = Buffer(np.zeros(2)); [n for n, _ in m.named_buffers()]
    ['steps']
    """

    __slots__ = ()

    def __init__(self, data: Any = None, *, persistent: bool = True) -> None:
        arr = np.empty(0) if data is None else np.asarray(data._data if isinstance(data, Tensor) else data)
        super().__init__(arr, dtype=arr.dtype)
        self.persistent = persistent


def __getattr__(name: str) -> Any:
    """PyTorch's ``torch.nn.parameter`` also holds the lazy placeholders (defined in small_names.py)."""
    if name in ("UninitializedParameter", "UninitializedBuffer"):
        from . import small_names

        return getattr(small_names, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
