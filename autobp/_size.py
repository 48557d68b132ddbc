"""Two small pieces of Tensor's surface kept out of tensor.py: ``t.size`` (numpy's int that PyTorch
code may also call as ``t.size()``) and the check that only floating tensors require gradients."""

from __future__ import annotations

from typing import Any

import numpy as np


class _Size(int):
    """An int (numpy's ``a.size``) that PyTorch code may call: ``t.size()`` is the shape, ``t.size(d)``
    the length of axis ``d``."""

    def __new__(cls, n: int, shape: tuple) -> _Size:
        obj = super().__new__(cls, n)
        obj._shape = shape
        return obj

    def __call__(self, dim: int | None = None) -> Any:
        if dim is None:  # PyTorch's torch.Size, a tuple
            from .legacy_tensor_types import Size

            return Size(self._shape)
        n = len(self._shape)
        if not -n <= dim < n:
            from ._broadcast import AxisError

            raise AxisError(f"size: dim {dim} is out of range for a tensor of shape {self._shape}")
        return self._shape[dim]


class RequiresGradDtypeError(TypeError, RuntimeError):
    """An integer or bool tensor asked to require grad: PyTorch raises a RuntimeError there, autobp
    raised a TypeError before, so code written for either catches this one."""


def _check_float(arr: np.ndarray, what: str) -> None:
    if arr.dtype.kind not in "fc":
        raise RequiresGradDtypeError(
            f"{what}: only floating-point and complex tensors can require gradients, got dtype {arr.dtype} "
            "(PyTorch's words: only Tensors of floating point and complex dtype can require gradients)"
        )
