"""Reductions without gradient (boolean and integer results): any, all (with numpy's ``where=``),
count_nonzero, argmax, argmin; ``axis`` and ``keepdims`` as numpy spells them, ``dim``/``keepdim`` as
PyTorch does. Same family as ``reductions.py``."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._broadcast import reduction_axes, reduction_ctx
from ..tensor import Tensor
from . import reduction_initial as _init
from ._args import as_tensor, axis_arg, keep_arg, refuse_complex
from ._decl import op
from ._reduction_torch import EmptyReductionError
from .reduction_keywords import into_out

_R = "reductions"


# --- without gradient: boolean and integer results -------------------------------------------
def _logical(
    x: Any, axis: Any, keepdims: bool, dim: Any, keepdim: Any, fn: Any, name: str, where: Any = True
) -> Tensor:
    x = as_tensor(x)
    axis, keepdims = axis_arg(axis, dim, name), keep_arg(keepdims, keepdim)
    axes = reduction_axes(axis, x.ndim, name, x.shape)
    reduction_ctx(axes, keepdims, x.shape)  # checks keepdims
    if where is not True:
        return Tensor._const(_init.logical(x._data, fn, axes, keepdims, where, x))
    return Tensor._const(fn(x._data, axis=axes, keepdims=keepdims))


@op(family=_R, differentiable=False)
def any(  # noqa: A001
    x: Any,
    axis: Any = None,
    keepdims: bool = False,
    *,
    dim: Any = None,
    keepdim: Any = None,
    where: Any = True,
    out: Any = None,
) -> Tensor:
    """True where any element over ``axis`` is nonzero (a boolean Tensor, no gradient); numpy's
    ``where=`` looks at the selected elements only."""
    return into_out(_logical(x, axis, keepdims, dim, keepdim, np.any, "any", where), out, "any")


@op(family=_R, differentiable=False)
def all(  # noqa: A001
    x: Any,
    axis: Any = None,
    keepdims: bool = False,
    *,
    dim: Any = None,
    keepdim: Any = None,
    where: Any = True,
    out: Any = None,
) -> Tensor:
    """True where every element over ``axis`` is nonzero (a boolean Tensor, no gradient); numpy's
    ``where=`` looks at the selected elements only."""
    return into_out(_logical(x, axis, keepdims, dim, keepdim, np.all, "all", where), out, "all")


@op(family=_R, differentiable=False)
def count_nonzero(
    x: Any, axis: Any = None, *, keepdims: bool = False, dim: Any = None, keepdim: Any = None
) -> Tensor:
    """Number of nonzero elements over ``axis`` (an int64 Tensor, no gradient)."""
    x = as_tensor(x)
    axis, keepdims = axis_arg(axis, dim, "count_nonzero"), keep_arg(keepdims, keepdim)
    axes = reduction_axes(axis, x.ndim, "count_nonzero", x.shape)
    reduction_ctx(axes, keepdims, x.shape)
    counts = np.count_nonzero(x._data, axis=axes, keepdims=keepdims)
    return Tensor._const(np.asarray(counts, dtype=np.int64))


def _bool_keepdim(keepdim: Any, name: str) -> Any:
    """PyTorch's keepdim, a bool (given by position where numpy's argmax takes ``out``)."""
    if keepdim is not None and not isinstance(keepdim, (bool, np.bool_)):
        raise TypeError(
            f"{name}: keepdim must be a bool, got {type(keepdim).__name__} (or numpy's out, an array)"
        )
    return keepdim


def _arg_extreme(x: Any, axis: Any, keepdims: bool, dim: Any, keepdim: Any, fn: Any, name: str) -> Tensor:
    x = as_tensor(x)
    refuse_complex(x, name)
    axis, keepdims = axis_arg(axis, dim, name), keep_arg(keepdims, keepdim)
    if axis is not None:
        if isinstance(axis, tuple):
            raise TypeError(f"{name}: axis must be an int or None, got {axis!r}")
        axes = reduction_axes(axis, x.ndim, name, x.shape)
        axis = axes[0] if axes else None  # a 0-d tensor's axis 0 / -1: its one element, index 0
    if x.shape[axis] == 0 if axis is not None else x.size == 0:  # (other empty axes: an empty result)
        where = "" if axis is None else f" along axis {axis}"
        raise EmptyReductionError(
            f"{name}: tensor of shape {x.shape} is empty{where}: there is no {name[3:]}imum"
        )
    reduction_ctx((), keepdims, ())  # checks keepdims
    return Tensor._const(np.asarray(fn(x._data, axis=axis, keepdims=keepdims), dtype=np.int64))


def _arg_out(result: Tensor, out: Any, name: str) -> Any:
    """numpy's ``out=`` of argmax/argmin (also its third positional): an integer array or Tensor of
    exactly the result's shape, written and returned."""
    if out is None:
        return result
    if isinstance(out, tuple) and len(out) == 1:
        out = out[0]
    kind = np.dtype(out.dtype).kind if isinstance(out, (Tensor, np.ndarray)) else None
    if kind is not None and kind not in "iu":
        raise TypeError(f"{name}: out= must have an integer dtype, got {out.dtype}")
    if kind is not None and tuple(out.shape) != tuple(result.shape):
        raise ValueError(
            f"{name}: out= has shape {tuple(out.shape)}, the result has shape {tuple(result.shape)}"
        )
    return into_out(result, out, name)


def _out_or_keepdim(keepdim: Any, out: Any, name: str) -> tuple:
    """The third positional: PyTorch's keepdim (a bool) or numpy's out (an array or Tensor)."""
    if isinstance(keepdim, (Tensor, np.ndarray)):
        if out is not None:
            raise TypeError(f"{name}: out given by position and by keyword")
        return None, keepdim
    return _bool_keepdim(keepdim, name), out


@op(family=_R, differentiable=False)
def argmax(
    x: Any,
    axis: Any = None,
    keepdim: Any = None,
    *,
    keepdims: bool = False,
    dim: Any = None,
    out: Any = None,
) -> Any:
    """Index of the largest element (of the flattened tensor if ``axis`` is None; first of ties).

    ``keepdim`` may be given by position too, as in torch.argmax(x, dim, keepdim); an array or Tensor
    there is numpy's ``out`` (also by keyword): written with the indices and returned.
    """
    keepdim, out = _out_or_keepdim(keepdim, out, "argmax")
    r = _arg_extreme(x, axis, keepdims, dim, keepdim, np.argmax, "argmax")
    return _arg_out(r, out, "argmax")


@op(family=_R, differentiable=False)
def argmin(
    x: Any,
    axis: Any = None,
    keepdim: Any = None,
    *,
    keepdims: bool = False,
    dim: Any = None,
    out: Any = None,
) -> Any:
    """Index of the smallest element (of the flattened tensor if ``axis`` is None; first of ties).

    ``keepdim`` may be given by position too, as in torch.argmin(x, dim, keepdim); an array or Tensor
    there is numpy's ``out`` (also by keyword): written with the indices and returned.
    """
    keepdim, out = _out_or_keepdim(keepdim, out, "argmin")
    r = _arg_extreme(x, axis, keepdims, dim, keepdim, np.argmin, "argmin")
    return _arg_out(r, out, "argmin")
