"""PyTorch's ``out=`` for the linear-algebra functions (``torch.linalg.inv(a, out=t)``): the result
computed as without it, then written into the given Tensor(s) and those returned.

PyTorch's rules: an ``out`` of another shape is resized (with PyTorch's UserWarning when it held
elements); its dtype must equal the result's for most of torch.linalg ("exact"; "scalar": the same rule in the
words of the scans cummax/cummin/logcumsumexp), be a safe cast
target for eig/eigvals/cond ("safe", the names of the outputs in the message) and for the other
functions (kron, outer, inner, ...: "cast"). A tuple result (a named tuple) takes a tuple of outs.
The write is recorded like any in-place write, so gradients still flow (PyTorch refuses out= when a
gradient is needed; autobp allows it)."""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from .tensor import Tensor

_TORCH_NAMES = {
    "float32": ("float", "Float"),
    "float64": ("double", "Double"),
    "float16": ("c10::Half", "Half"),
    "complex64": ("c10::complex<float>", "ComplexFloat"),
    "complex128": ("c10::complex<double>", "ComplexDouble"),
    "int8": ("signed char", "Char"),
    "uint8": ("unsigned char", "Byte"),
    "int16": ("short", "Short"),
    "int32": ("int", "Int"),
    "int64": ("long", "Long"),
    "bool": ("bool", "Bool"),
}


class OutDtypeError(TypeError, RuntimeError):
    """An ``out=`` Tensor whose dtype cannot take the result (RuntimeError, as PyTorch raises)."""


def _names(dt: Any) -> tuple:
    d = np.dtype(dt)
    return _TORCH_NAMES.get(d.name, (d.name, d.name))


def _can_cast(src: np.dtype, dst: np.dtype) -> bool:
    """PyTorch's canCast: no complex into real, no float into integer, nothing but bool into bool."""
    if src.kind == "c" and dst.kind != "c":
        return False
    if src.kind in "fc" and dst.kind in "iub":
        return False
    return not (dst.kind == "b" and src.kind != "b")


def _check_dtype(res: np.dtype, out: np.dtype, name: str, mode: str, what: str) -> None:
    if mode == "exact" and res != out:
        raise OutDtypeError(
            f"{name}: Expected out tensor to have dtype {_names(res)[0]}, but got {_names(out)[0]} instead"
        )
    if mode == "scalar" and res != out:  # the scans' (cummax, logcumsumexp) words for the same rule
        raise OutDtypeError(f"{name}: expected scalar_type {_names(res)[1]} but found {_names(out)[1]}")
    if mode == "safe" and not _can_cast(res, out):
        raise OutDtypeError(
            f"{name}: Expected {what} to be safely castable from {_names(res)[1]} dtype, but got {what} "
            f"with dtype {_names(out)[1]}"
        )
    if mode == "cast" and not _can_cast(res, out):
        raise OutDtypeError(
            f"{name}: result type {_names(res)[1]} can't be cast to the desired output type {_names(out)[1]}"
        )


def write_out(result: Any, out: Any, name: str, mode: str = "exact", what: tuple = ("result",)) -> Any:
    """``result`` written into ``out`` with PyTorch's out= rules (see the module's doc); returns
    ``out`` (a tuple result: a result of the same type holding the outs). ``result`` when out is None."""
    if out is None:
        return result
    if isinstance(result, tuple):
        outs = tuple(out) if isinstance(out, (tuple, list)) else (out,)
        if len(outs) != len(result):
            raise TypeError(f"{name}: out= needs {len(result)} Tensors, got {len(outs)}")
        labels = what if len(what) == len(result) else ("result",) * len(result)
        done = [write_out(r, o, name, mode, (w,)) for r, o, w in zip(result, outs, labels)]
        if not hasattr(result, "_fields"):
            return tuple(done)
        return getattr(type(result), "_out_type", type(result))._make(done)  # topk -> topk_out, as PyTorch
    if not isinstance(out, (Tensor, np.ndarray)):
        raise TypeError(f"{name}: out= must be a Tensor or a numpy array, got {type(out).__name__}")
    value = result._data if isinstance(result, Tensor) else np.asarray(result)
    _check_dtype(value.dtype, np.dtype(out.dtype), name, mode, what[0])
    if isinstance(out, np.ndarray):  # numpy's out=: the values written into the array, of the result's shape
        return _into_array(result, value, out, name)
    if tuple(out.shape) != tuple(value.shape):
        if out.size:
            warnings.warn(
                f"An output with one or more elements was resized since it had shape {list(out.shape)}, "
                f"which does not match the required output shape {list(value.shape)}. This behavior is "
                "deprecated, and in a future PyTorch release outputs will not be resized unless they "
                "have zero elements. You can explicitly reuse an out tensor t by resizing it, inplace, "
                "to zero elements with t.resize_(0).",
                UserWarning,
                stacklevel=3,
            )
        out.resize_(*value.shape)
    from .ops.writes_into import write_into  # autobp.ops imports this module: import at call time

    return write_into(out, result, True, "unsafe", f"{name}(..., out=<Tensor>)")


def _into_array(result: Any, value: np.ndarray, out: np.ndarray, name: str) -> np.ndarray:
    if isinstance(result, Tensor) and result.requires_grad:
        from ._graph import _mode

        if _mode.enabled:
            raise TypeError(
                f"{name}(..., out=<ndarray>) of a result that requires grad: a numpy array cannot hold its "
                "graph; pass a Tensor as out=, or drop out="
            )
    if out.shape != value.shape:
        raise ValueError(f"{name}: out= has shape {out.shape}, the result has shape {value.shape}")
    np.copyto(out, value, casting="unsafe")
    return out


def takes_out(name: str, mode: str = "exact", what: tuple = ("result",)) -> Callable[[Callable], Callable]:
    """Give ``fn`` PyTorch's keyword-only ``out=`` (written by ``write_out``); its signature shows it."""

    def deco(fn: Callable) -> Callable:
        sig = inspect.signature(fn)
        params = list(sig.parameters.values())
        if "out" not in sig.parameters:
            extra = inspect.Parameter("out", inspect.Parameter.KEYWORD_ONLY, default=None)
            at = next((i for i, p in enumerate(params) if p.kind is p.VAR_KEYWORD), len(params))
            params.insert(at, extra)

        @functools.wraps(fn)
        def call(*args: Any, out: Any = None, **kwargs: Any) -> Any:
            return write_out(fn(*args, **kwargs), out, name, mode, what)

        call.__signature__ = sig.replace(parameters=params)  # type: ignore[attr-defined]
        return call

    return deco
