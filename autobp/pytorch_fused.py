"""PyTorch's fused products: beta * input + alpha * (a product), as ``addmm``, ``addmv``, ``addr``,
``baddbmm`` and ``addbmm``, composed of autobp's ops (so they differentiate by the ops' rules).

Re-exported by pytorch_functions.py (listed in its ``__all__``), which makes them autobp's top-level
names and ``pytorch_methods.py``'s Tensor methods as before."""

from __future__ import annotations

import functools
import numbers
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from ._autocast import autocasts
from ._torch_out import takes_out
from .linalg._common import LinalgArgumentError
from .ops._args import as_tensor
from .ops.tensor_methods import _product
from .tensor import Tensor


def _is_number(x: Any) -> bool:
    return isinstance(x, numbers.Number) and not isinstance(x, (np.ndarray, Tensor))


def legacy_scalars(name: str, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
    """PyTorch's deprecated overloads with leading numbers, read as the keyword form (with its warning):
    ``fn(beta, input, [alpha,] a, b)`` and the method's ``input.fn(beta, [alpha,] a, b)``."""
    if len(args) in (4, 5) and _is_number(args[0]):
        beta, first, *rest = args
    elif len(args) in (4, 5) and _is_number(args[1]):
        first, beta, *rest = args
    else:
        return args, kwargs
    alpha = rest.pop(0) if len(rest) == 3 else 1
    if "beta" in kwargs or "alpha" in kwargs:
        raise TypeError(f"{name}: beta/alpha given both positionally (deprecated form) and by keyword")
    warnings.warn(
        f"This overload of {name} is deprecated: {name}(Number beta, ..., Number alpha, ...); use "
        f"{name}(input, a, b, *, beta=..., alpha=...) instead",
        UserWarning,
        stacklevel=3,
    )
    return (first, *rest), {**kwargs, "beta": beta, "alpha": alpha}


def _legacy(fn: Callable[..., Tensor]) -> Callable[..., Tensor]:
    """``fn`` also taking PyTorch's deprecated leading-number overloads (see ``legacy_scalars``)."""

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Tensor:
        args, kwargs = legacy_scalars(fn.__name__, args, kwargs)
        return fn(*args, **kwargs)

    return call


def _fused(input: Any, product: Tensor, beta: Any, alpha: Any) -> Tensor:
    """beta * input + alpha * product; with beta == 0 the input is not read (its NaNs do not spread),
    as PyTorch does. Integer input and product stay integer: float beta/alpha are truncated toward zero
    first (PyTorch's)."""
    if product.dtype.kind in "iu" and as_tensor(input).dtype.kind in "iu":
        beta, alpha = (int(c) if isinstance(c, float) else c for c in (beta, alpha))
    scaled = product if alpha == 1 else product * alpha
    if beta == 0:
        return scaled
    x = as_tensor(input)
    return (x if beta == 1 else x * beta) + scaled


@_legacy
@takes_out("addmm", "cast")
@autocasts("lower")  # PyTorch's CPU autocast casts input too
def addmm(input: Any, mat1: Any, mat2: Any, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
    """beta * input + alpha * (mat1 @ mat2), for 2-D mat1 and mat2 (``torch.addmm``)."""
    return _fused(input, _product("mm", (2, 2))(as_tensor(mat1), mat2), beta, alpha)


@_legacy
@takes_out("addmv", "cast")
def addmv(input: Any, mat: Any, vec: Any, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
    """beta * input + alpha * (mat @ vec), for a 2-D mat and 1-D vec (``torch.addmv``)."""
    return _fused(input, _product("mv", (2, 1))(as_tensor(mat), vec), beta, alpha)


@_legacy
@takes_out("addr", "cast")
def addr(input: Any, vec1: Any, vec2: Any, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
    """beta * input + alpha * outer(vec1, vec2), for 1-D vectors (``torch.addr``)."""
    a, b = as_tensor(vec1), as_tensor(vec2)
    if a.ndim != 1 or b.ndim != 1:
        raise LinalgArgumentError(f"addr: vec1 and vec2 must be 1-D, got shapes {a.shape} and {b.shape}")
    boolean = all(t.dtype == bool for t in (a, b, as_tensor(input)))
    for name, c in (("beta", beta), ("alpha", alpha)):
        if isinstance(c, (bool, np.bool_)) and not boolean:  # PyTorch's rule (and words)
            raise LinalgArgumentError(
                f"addr: Boolean {name} only supported for Boolean results (got {name}={c} with dtypes "
                f"{as_tensor(input).dtype}, {a.dtype}, {b.dtype})"
            )
    if a.dtype.kind in "iu" and b.dtype.kind in "iu" and as_tensor(input).dtype.kind in "iu":
        for name, c in (("beta", beta), ("alpha", alpha)):
            if isinstance(c, float):  # torch.addr refuses it (addmm and the others truncate it)
                raise ValueError(f"addr: for integer tensors {name} must not be a float, got {c}")
    return _fused(input, a[:, None] * b[None, :], beta, alpha)


@_legacy
@takes_out("baddbmm", "cast")
@autocasts("lower")  # PyTorch's CPU autocast casts input too
def baddbmm(input: Any, batch1: Any, batch2: Any, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
    """beta * input + alpha * (batch1 @ batch2), for 3-D batches (``torch.baddbmm``)."""
    return _fused(input, _product("bmm", (3, 3))(as_tensor(batch1), batch2), beta, alpha)


@_legacy
@takes_out("addbmm", "cast")
@autocasts("lower")  # PyTorch's CPU autocast casts input too
def addbmm(input: Any, batch1: Any, batch2: Any, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
    """beta * input + alpha * the sum over the batch of batch1[i] @ batch2[i] (``torch.addbmm``)."""
    return _fused(input, _product("bmm", (3, 3))(as_tensor(batch1), batch2).sum(axis=0), beta, alpha)
