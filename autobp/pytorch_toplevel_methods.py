"""The Tensor methods PyTorch has for the top-level functions of ``pytorch_nn_toplevel``,
``pytorch_windows``, ``pytorch_scatter_views``, ``pytorch_linalg_toplevel`` and
``pytorch_toplevel_extras`` (``t.stft(...)``, ``t.select_scatter(...)``, ``t.index_reduce_(...)``,
``t.igamma(...)``, ...): ``attach()`` puts each on Tensor unless Tensor already has one of that name."""

from __future__ import annotations

from typing import Any

from . import pytorch_linalg_toplevel as _lt
from . import pytorch_nn_toplevel as _nn
from . import pytorch_scatter_views as _sv
from . import pytorch_toplevel_extras as _ex
from . import pytorch_windows as _win
from .tensor import Tensor

_FUNCTIONS = {
    "prelu": _nn.prelu, "hardshrink": _nn.hardshrink, "stft": _win.stft, "istft": _win.istft,
    "select_scatter": _sv.select_scatter, "slice_scatter": _sv.slice_scatter,
    "diagonal_scatter": _sv.diagonal_scatter, "as_strided": _sv.as_strided,
    "as_strided_scatter": _sv.as_strided_scatter, "index_reduce": _sv.index_reduce,
    "triangular_solve": _lt.triangular_solve, "igamma": _lt.igamma, "igammac": _lt.igammac,
    "adjoint": _ex.adjoint, "narrow_copy": _ex.narrow_copy, "lu": _ex.lu, "lu_solve": _ex.lu_solve,
    "orgqr": _ex.orgqr, "geqrf": _lt.geqrf, "ormqr": _lt.ormqr, "unsafe_chunk": _ex.unsafe_chunk,
    "unsafe_split": _ex.unsafe_split, "unsafe_split_with_sizes": _ex.unsafe_split_with_sizes,
}  # fmt: skip


def _index_reduce_(
    self: Tensor, dim: int, index: Any, source: Any, reduce: str, *, include_self: bool = True
) -> Tensor:
    """``index_reduce`` written into this tensor (PyTorch's ``Tensor.index_reduce_``)."""
    return self.copy_(_sv.index_reduce(self, dim, index, source, reduce, include_self=include_self))


def _igamma_(self: Tensor, other: Any) -> Tensor:
    """``igamma(self, other)`` written into this tensor (PyTorch's ``Tensor.igamma_``)."""
    return self.copy_(_lt.igamma(self, other))


def _igammac_(self: Tensor, other: Any) -> Tensor:
    """``igammac(self, other)`` written into this tensor (PyTorch's ``Tensor.igammac_``)."""
    return self.copy_(_lt.igammac(self, other))


def _method(fn: Any) -> Any:
    def method(self: Tensor, *args: Any, **kwargs: Any) -> Any:
        return fn(self, *args, **kwargs)

    method.__name__ = method.__qualname__ = fn.__name__
    method.__doc__ = f"``autobp.{fn.__name__}(self, ...)`` as a method (PyTorch's ``Tensor.{fn.__name__}``)."
    return method


def attach() -> None:
    """Put the methods on Tensor, leaving any method Tensor already has as it is."""
    methods = {name: _method(fn) for name, fn in _FUNCTIONS.items()}
    methods.update(index_reduce_=_index_reduce_, igamma_=_igamma_, igammac_=_igammac_)
    for name, fn in methods.items():
        if not hasattr(Tensor, name):
            setattr(Tensor, name, fn)
