"""PyTorch's ``out=`` for the creation functions (``torch.arange(0, 4, out=t)``, ``torch.linspace``,
``torch.logspace``, ``torch.eye``, ``torch.full``, ``torch.rand``/``randn``/``randint``): the values
are made in ``out``'s dtype (a ``dtype=`` that differs from it is refused, as PyTorch refuses it),
``out`` is resized to the result's shape (PyTorch's warning when it held elements; arange, linspace
and logspace fill an ``out`` of the right size in order, whatever its shape) and written, and ``out``
is returned. Views write through to their base (``out=x.narrow(1, 1, 2)``)."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

import numpy as np

from ._torch_out import OutDtypeError, write_out
from .tensor import Tensor

_SEQUENCES = ("arange", "linspace", "logspace")


def creation_out(name: str) -> Callable[[Callable], Callable]:
    """Give the creation function ``fn`` PyTorch's keyword-only ``out=`` (see the module's doc)."""

    def deco(fn: Callable) -> Callable:
        sig = inspect.signature(fn)
        params = list(sig.parameters.values())
        at = next((i for i, p in enumerate(params) if p.kind is p.VAR_KEYWORD), len(params))
        params.insert(at, inspect.Parameter("out", inspect.Parameter.KEYWORD_ONLY, default=None))

        @functools.wraps(fn)
        def call(*args: Any, out: Any = None, **kwargs: Any) -> Any:
            if out is None:
                return fn(*args, **kwargs)
            if not isinstance(out, Tensor):
                raise TypeError(f"{name}: out= must be a Tensor, got {type(out).__name__}")
            given = kwargs.get("dtype")
            if given is None and "dtype" not in sig.bind_partial(*args).arguments:
                kwargs["dtype"] = out.dtype  # made in out's dtype, as PyTorch makes it
            elif given is not None and np.dtype(given) != out.dtype:
                raise OutDtypeError(
                    f"{name}: dtype {np.dtype(given)} was asked for, but out= has dtype {out.dtype}"
                )
            result = fn(*args, **kwargs)
            if name in _SEQUENCES and result.size == out.size and result.shape != out.shape:
                result = result.reshape(out.shape)  # PyTorch fills an out of the same size in order
            return write_out(result, out, name, "exact")

        call.__signature__ = sig.replace(parameters=params)  # type: ignore[attr-defined]
        return call

    return deco
