"""PyTorch's in-place Tensor methods that autobp computes already out of place: the fused products
(``addmm_``, ``addbmm_``, ``addmv_``, ``addr_``, ``baddbmm_``), the shape changes (``squeeze_``,
``unsqueeze_``, ``t_``, ``transpose_``, ``swapaxes_``, ``swapdims_``, ``as_strided_``, ``resize_``,
``resize_as_``) and the random fills from autobp's global generator (``bernoulli_``, ``cauchy_``,
``exponential_``, ``geometric_``, ``log_normal_``, ``random_``), with the methods ``bernoulli`` and
``multinomial``.

The fused products and the fills write through ``ops/inplace_methods.inplace`` (version bump, PyTorch's
refusal for a leaf that requires grad, a recorded write on a graph); the fills write constants, as
``normal_`` does. A shape change of a tensor without a graph re-views its array (memory shared, as
PyTorch's metadata change); on a non-leaf of a graph it is recorded as the view op, the tensor
becoming that op's node (as PyTorch records SqueezeBackward and the like)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from . import pytorch_functions as _pf
from . import random as _random
from ._as_strided_view import as_strided_
from ._graph import _mode
from ._inplace import LeafInplaceError, bump
from .memory_format import (
    channels_last,
    channels_last_3d,
    contiguous_format,
    is_laid_out,
    preserve_format,
    relayout,
)
from .ops import inplace_methods as _im
from .ops import recorded_writes as _rw
from .pytorch_fused import legacy_scalars
from .tensor import Tensor


class RandomArgumentError(ValueError, RuntimeError):
    """A bad parameter of a random fill (``geometric_(1.5)``): numpy's ValueError, PyTorch's RuntimeError."""


def _fused(name: str) -> Callable[..., Tensor]:
    fn = getattr(_pf, name)

    def method(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        args, kw = legacy_scalars(name + "_", (self, *args), kwargs)  # now (self, a, b, *, beta, alpha)
        if len(args) != 3:
            raise TypeError(f"{name}_() takes 2 Tensors (and beta=, alpha=), got {len(args) - 1} arguments")
        a, b = args[1:]
        return _im.inplace(self, name + "_", lambda x: fn(x, a, b, **kw))

    method.__name__ = name + "_"
    method.__doc__ = f"In place: ``self`` replaced by ``{name}(self, ..., beta=beta, alpha=alpha)``."
    return method


# --- shape changes --------------------------------------------------------------------------------
def _live_views(t: Tensor) -> bool:
    return any(r() is not None for r in t._views or ())


def _reshaped(self: Tensor, name: str, plain: Callable, graph: Callable) -> Tensor:
    """``self`` given the shape ``plain(array)`` (a view of its array) or, on a graph, the node
    ``graph(old value)``; returns ``self``."""
    if _mode.enabled and self.requires_grad:
        if self._op is None:
            raise LeafInplaceError(
                f"{name}: a leaf Variable that requires grad is being used in an in-place operation "
                f"(a leaf Tensor of shape {self.shape}); use the out-of-place {name[:-1]}, or no_grad()"
            )
        if self._source is not None or _live_views(self):
            raise RuntimeError(
                f"{name}: this tensor (shape {self.shape}) shares memory with another on the graph (a "
                f"view, or viewed); autobp cannot record its shape change in place: use {name[:-1]}()"
            )
        old = _rw.snapshot(self)
        _rw.become(self, graph(old), old)
        return self
    self._data = plain(self._data)
    self._views = None  # views by index of the old shape no longer follow recorded writes into it
    bump(self)
    return self


def _dims(dim: Any, ndim: int, who: str) -> tuple:
    dims = tuple(dim) if isinstance(dim, (tuple, list)) else (dim,)
    for d in dims:
        if not -max(ndim, 1) <= int(d) < max(ndim, 1):
            raise IndexError(
                f"{who}: Dimension out of range (expected to be in range of [{-max(ndim, 1)}, "
                f"{max(ndim, 1) - 1}], but got {d})"
            )
    return tuple(int(d) % max(ndim, 1) for d in dims)


def squeeze_(self: Tensor, dim: Any = None) -> Tensor:
    """In place: the axes of size 1 removed (those among ``dim``, an int or tuple, if given)."""
    shape = self.shape
    dims = range(len(shape)) if dim is None else _dims(dim, len(shape), "squeeze_")
    new = tuple(s for i, s in enumerate(shape) if not (i in dims and s == 1))
    return _reshaped(self, "squeeze_", lambda a: a.reshape(new), lambda x: x.reshape(new))


def unsqueeze_(self: Tensor, dim: int) -> Tensor:
    """In place: an axis of size 1 inserted at ``dim`` (``-ndim-1 <= dim <= ndim``)."""
    n = self.ndim + 1
    if not -n <= int(dim) < n:
        raise IndexError(
            f"unsqueeze_: Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})"
        )
    d = int(dim) % n
    new = self.shape[:d] + (1,) + self.shape[d:]
    return _reshaped(self, "unsqueeze_", lambda a: a.reshape(new), lambda x: x.reshape(new))


def transpose_(self: Tensor, dim0: int, dim1: int) -> Tensor:
    """In place: axes ``dim0`` and ``dim1`` exchanged (PyTorch's ``transpose_``, also ``swapaxes_``,
    ``swapdims_``)."""
    from .ops import swapaxes

    d0, d1 = _dims((dim0, dim1), self.ndim, "transpose_")
    return _reshaped(self, "transpose_", lambda a: np.swapaxes(a, d0, d1), lambda x: swapaxes(x, d0, d1))


def t_(self: Tensor) -> Tensor:
    """In place: a matrix transposed (a tensor of at most 2 axes, as PyTorch's ``t_``)."""
    if self.ndim > 2:
        raise RuntimeError(f"t_() expects a tensor with <= 2 dimensions, but self is {self.ndim}D")
    if self.ndim < 2:  # nothing to exchange, but still an in-place op (version, leaf refusal)
        return _reshaped(self, "t_", lambda a: a, lambda x: x.reshape(x.shape))
    return transpose_(self, 0, 1)


def resize_(self: Tensor, *sizes: Any, memory_format: Any = None) -> Tensor:
    """In place: the tensor given shape ``sizes``, its elements (in row-major order) kept as far as
    they go; new ones are 0 (PyTorch leaves them uninitialised). Refused on a tensor that requires
    grad, as in PyTorch."""
    shape = tuple(sizes[0]) if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)) else sizes
    shape = tuple(int(s) for s in shape)
    if any(s < 0 for s in shape):
        raise RuntimeError(f"resize_: Trying to create tensor with negative dimension: {list(shape)}")
    if self.requires_grad:
        raise RuntimeError(f"cannot resize variables that require grad (a tensor of shape {self.shape})")
    fmt = None if memory_format in (None, contiguous_format, preserve_format) else memory_format
    if shape == self.shape and fmt is None:  # a no-op: no write, so no version bump (PyTorch's)
        return self
    n = math.prod(shape)
    if n * self._data.itemsize >= 2**63:
        raise RuntimeError(f"resize_: Storage size calculation overflowed with sizes={list(shape)}")
    flat = self._data.reshape(-1)
    if n <= flat.size:
        new = flat[:n].reshape(shape)
    else:
        new = np.zeros(n, dtype=self.dtype)
        new[: flat.size] = flat
        new = new.reshape(shape)
    self._data = new if fmt is None else relayout(new, fmt, "resize_")
    bump(self)
    return self


def resize_as_(self: Tensor, the_template: Any, memory_format: Any = None) -> Tensor:
    """In place: ``resize_`` to ``the_template``'s shape; ``memory_format=preserve_format`` lays it out as
    the template is (channels_last or channels_last_3d), as PyTorch's."""
    if memory_format is preserve_format and isinstance(the_template, Tensor):
        data = the_template._data
        laid = [f for f in (channels_last, channels_last_3d) if f.ndim == data.ndim]
        cl = laid and not data.flags.c_contiguous and is_laid_out(data, laid[0])
        memory_format = laid[0] if cl else None
    return resize_(self, tuple(np.shape(the_template)), memory_format=memory_format)


# --- random fills ---------------------------------------------------------------------------------
def _fill(self: Tensor, name: str, values: np.ndarray) -> Tensor:
    return _im.inplace(self, name, lambda x: Tensor._const(np.asarray(values).astype(x.dtype)))


def _float_only(self: Tensor, name: str, what: str) -> None:
    if self.dtype.kind != "f":
        raise _im.InplaceCastError(
            f"{name}: {what} distribution is a continuous probability distribution. dtype must be a "
            f"floating point but you specified {self.dtype}"
        )


def _positive(name: str, label: str, v: Any) -> None:
    if not float(v) > 0.0:
        raise RandomArgumentError(f"{name} expects {label} > 0.0, but found {label}={v}")


def bernoulli_(self: Tensor, p: Any = 0.5, *, generator: Any = None) -> Tensor:
    """In place: 1 with probability ``p`` (a number, or a tensor broadcast to this shape), else 0."""
    probs = np.asarray(p._data if isinstance(p, Tensor) else p, dtype=np.float64)
    if probs.size and not (np.all(probs >= 0) and np.all(probs <= 1)):
        raise RandomArgumentError(f"bernoulli_ expects p to be in [0, 1], but got p={p}")
    try:
        probs = np.broadcast_to(probs, self.shape)
    except ValueError:
        raise RandomArgumentError(
            f"bernoulli_: p of shape {probs.shape} does not broadcast to the tensor's shape {self.shape}"
        ) from None
    return _fill(self, "bernoulli_", _random.generator_of(generator).random(self.shape) < probs)


def cauchy_(self: Tensor, median: float = 0.0, sigma: float = 1.0, *, generator: Any = None) -> Tensor:
    """In place: samples of the Cauchy distribution of ``median`` and scale ``sigma``."""
    _float_only(self, "cauchy_", "Cauchy")
    _positive("cauchy_", "sigma", sigma)
    draws = _random.generator_of(generator).standard_cauchy(self.shape)
    return _fill(self, "cauchy_", median + sigma * draws)


def exponential_(self: Tensor, lambd: float = 1.0, *, generator: Any = None) -> Tensor:
    """In place: samples of the exponential distribution of rate ``lambd``."""
    _float_only(self, "exponential_", "Exponential")
    _positive("exponential_", "lambda", lambd)
    return _fill(self, "exponential_", _random.generator_of(generator).exponential(1.0 / lambd, self.shape))


def geometric_(self: Tensor, p: float, *, generator: Any = None) -> Tensor:
    """In place: the number of Bernoulli(``p``) trials up to the first success (1, 2, ...)."""
    if not 0.0 < float(p) < 1.0:
        raise RandomArgumentError(f"geometric_ expects p to be in (0, 1), but got p={p}")
    return _fill(self, "geometric_", _random.generator_of(generator).geometric(p, self.shape))


def log_normal_(self: Tensor, mean: float = 1.0, std: float = 2.0, *, generator: Any = None) -> Tensor:
    """In place: ``exp`` of samples of N(mean, std^2)."""
    _float_only(self, "log_normal_", "LogNormal")
    _positive("log_normal_", "std", std)
    return _fill(self, "log_normal_", _random.generator_of(generator).lognormal(mean, std, self.shape))


def _default_to(dtype: np.dtype) -> int:
    """PyTorch's ``random_()`` bound: 2**(mantissa bits + 1) for floats, the largest value + 1 for ints."""
    if dtype.kind == "f":
        return 2 ** (np.finfo(dtype).nmant + 1)
    if dtype.kind == "b":
        return 2
    return int(np.iinfo(dtype).max) + 1


def random_(self: Tensor, *args: Any, generator: Any = None, **kwargs: Any) -> Tensor:
    """In place: integers drawn uniformly from [from, to): ``random_()`` over the dtype's exactly
    representable range ([0, 2**53) for float64, [0, max] for ints), ``random_(to)``, ``random_(from, to)``
    (``to=None``: up to the dtype's largest value)."""
    if len(args) > 2 or set(kwargs) - {"from", "to"}:
        raise TypeError(f"random_: expected (from=0, to=None) or (to), got {args} {kwargs}")
    if len(args) == 1 and not kwargs:
        lo, hi = 0, args[0]
    else:
        lo = args[0] if args else kwargs.get("from", 0)
        hi = args[1] if len(args) > 1 else kwargs.get("to", _default_to(self.dtype))
        if hi is None:
            hi = _default_to(self.dtype) if self.dtype.kind in "fb" else int(np.iinfo(self.dtype).max) + 1
    lo, hi = int(lo), int(hi)
    if lo >= hi:
        raise RandomArgumentError(
            f"random_ expects 'from' to be less than 'to', but got from={lo} >= to={hi}"
        )
    kind = np.uint64 if self.dtype == np.uint64 else np.int64
    return _fill(self, "random_", _random.generator_of(generator).integers(lo, hi, self.shape, dtype=kind))


def bernoulli(self: Tensor, p: Any = None, *, generator: Any = None) -> Tensor:
    """A new tensor of 1s and 0s: 1 with probability ``self`` elementwise, or ``p`` if given (PyTorch's
    ``Tensor.bernoulli``); the tensor's dtype, no gradient."""
    if p is None:
        out = _random.bernoulli(self.detach(), generator=generator)
    else:
        out = bernoulli_(Tensor._const(np.empty(self.shape, dtype=self.dtype)), p, generator=generator)
    return out if out.dtype == self.dtype else Tensor._const(out._data.astype(self.dtype))


def multinomial(
    self: Tensor, num_samples: int, replacement: bool = False, *, generator: Any = None
) -> Tensor:
    """Indices drawn with probabilities proportional to the rows of ``self`` (``autobp.multinomial``)."""
    return _random.multinomial(self.detach(), num_samples, replacement, generator=generator)


METHODS: dict[str, Any] = {n + "_": _fused(n) for n in ("addmm", "addbmm", "addmv", "addr", "baddbmm")}
METHODS.update(
    {
        "squeeze_": squeeze_,
        "as_strided_": as_strided_,
        "unsqueeze_": unsqueeze_,
        "t_": t_,
        "transpose_": transpose_,
        "swapaxes_": transpose_,
        "swapdims_": transpose_,
        "resize_": resize_,
        "resize_as_": resize_as_,
        "bernoulli_": bernoulli_,
        "cauchy_": cauchy_,
        "exponential_": exponential_,
        "geometric_": geometric_,
        "log_normal_": log_normal_,
        "random_": random_,
        "bernoulli": bernoulli,
        "multinomial": multinomial,
    }
)
