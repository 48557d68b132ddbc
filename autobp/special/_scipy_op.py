"""What the scipy-valued special functions added for jax.scipy.special's coverage share: their
arguments as Tensors (numbers take the dtype of a Tensor beside them), the forward computed by scipy,
the derivative pieces a rule needs on either backward (numpy arrays, or recorded Tensors), and the
gradient of a complex-valued function (PyTorch's convention: g * conj(f'), real part for a real input)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..ops._args import as_tensor
from ..tensor import Tensor, _lift
from ._common import data_of, float_result


def args(values: tuple, name: str) -> tuple:
    """The arguments as Tensors whose shapes broadcast together; a Python number or array takes the
    float dtype of the first Tensor among them."""
    first = next((v for v in values if isinstance(v, Tensor)), None)
    out = tuple(
        v if isinstance(v, Tensor) else (_lift(v, first, name) if first is not None else as_tensor(v))
        for v in values
    )
    try:
        np.broadcast_shapes(*(t.shape for t in out))
    except ValueError:
        shapes = ", ".join(str(t.shape) for t in out)
        raise ValueError(f"{name}: shapes {shapes} do not broadcast") from None
    return out


def complex_result(data: Any, *inputs: Tensor) -> np.ndarray:
    """``data`` as complex64 when every input is float32/complex64, else complex128."""
    single = all(t.dtype in (np.float32, np.complex64) for t in inputs if t.dtype.kind in "fc")
    return np.asarray(data).astype(np.complex64 if single else np.complex128, copy=False)


def scipy_op(name: str, fn: Any, values: tuple, ctx: Any = None, complex_out: bool = False) -> Tensor:
    """The node ``name`` whose value is ``fn`` (scipy's) of the arguments' numbers."""
    ts = args(values, name)
    if not complex_out and any(t.dtype.kind == "c" for t in ts):
        raise TypeError(f"autobp.special.{name}: real input expected (complex is not supported)")
    with np.errstate(all="ignore"):
        raw = fn(*(t._data for t in ts))
    data = complex_result(raw, *ts) if complex_out else float_result(raw, *ts)
    return Tensor._make(data, ts, name, ctx)


def same(fn: Any, scipy_fn: Any, *xs: Any, like: Any) -> Any:
    """``fn(*xs)`` (recorded) when an argument is a Tensor, else scipy's numbers in ``like``'s dtype:
    a rule's derivative piece on either backward."""
    if any(isinstance(x, Tensor) for x in xs):
        return fn(*xs)
    with np.errstate(all="ignore"):
        out = np.asarray(scipy_fn(*xs))
    dt = data_of(like).dtype
    return out if out.dtype.kind == "c" else out.astype(dt, copy=False)


def no_grad_in(name: str, what: str) -> NotImplementedError:
    return NotImplementedError(
        f"{name}: no derivative with respect to {what} (as in JAX/PyTorch); pass it as a constant"
    )


def cgrad(F: Any, g: Any, deriv: Any, x: Any) -> Any:
    """The gradient reaching input ``x`` of a complex-valued f with f'(x) = ``deriv``: g conj(f'),
    its real part when ``x`` is real."""
    r = g * F.conj(deriv)
    return F.real(r) if data_of(x).dtype.kind != "c" else r


def mask(x: Any, cond: Any) -> np.ndarray:
    """``cond`` of x's numbers (for where-masks only)."""
    with np.errstate(all="ignore"):
        return cond(data_of(x))
