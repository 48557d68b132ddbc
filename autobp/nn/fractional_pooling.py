"""Fractional max pooling (Graham 2014) as PyTorch's fractional_max_pool2d/3d: pseudo-random window
starts from one uniform sample per (batch, channel, axis), windows of a fixed size, and the gradient
to each window's first maximum (a gather, as the other max pools)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import random as _random
from .._autocast import autocasts
from ..tensor import Tensor
from ._nn_errors import NNArgumentError
from .conv_functional import _tuple
from .module import Module
from .pooling import _batched, _gather


def _sizes(v: Any, nd: int, what: str, who: str, lo: int) -> tuple:
    """An int or exactly ``nd`` ints (PyTorch refuses other lengths here, with these words)."""
    if isinstance(v, (tuple, list)) and len(v) != nd:
        raise NNArgumentError(f"{who}: {what} must either be a single Int or tuple of {nd} Ints, got {v!r}")
    return _tuple(v, nd, what, who, lo=lo)


def _starts(u: np.ndarray, n_in: int, n_out: int, k: int, dtype: Any) -> np.ndarray:
    """PyTorch's window starts along one axis for the samples ``u`` (...,): int((i + u) a) - int(u a),
    a = (n_in - k) / (n_out - 1), in the input's dtype; the last window ends at the input's end."""
    out = np.empty(u.shape + (n_out,), dtype=np.int64)
    if n_out > 1:
        a = dtype.type(n_in - k) / dtype.type(n_out - 1)
        u = u.astype(dtype)
        i = np.arange(n_out - 1, dtype=dtype)
        out[..., :-1] = ((i + u[..., None]) * a).astype(np.int64) - (u * a).astype(np.int64)[..., None]
    out[..., -1] = n_in - k
    return out


def _fractional(input, kernel_size, output_size, output_ratio, return_indices, samples, nd, who):
    x, unbatched = _batched(input, nd, who)
    if x.dtype.kind != "f":
        raise TypeError(f"{who}: input must be floating point, got {x.dtype}")
    N, C, S = x.shape[0], x.shape[1], x.shape[2:]
    k = _sizes(kernel_size, nd, "kernel_size", who, 1)
    if (output_size is None) == (output_ratio is None):
        raise ValueError(f"{who}: give exactly one of output_size and output_ratio")
    if output_size is None:
        r = output_ratio if isinstance(output_ratio, (tuple, list)) else (output_ratio,) * nd
        if len(r) != nd or not all(0 < v < 1 for v in r):
            raise ValueError(f"{who}: output_ratio must be {nd} numbers in (0, 1), got {output_ratio}")
        out = tuple(int(S[i] * r[i]) for i in range(nd))
    else:
        out = _sizes(output_size, nd, "output_size", who, 0)
    names = ("time", "height", "width")[3 - nd :]
    for i in range(nd):  # PyTorch's words
        if out[i] + k[i] - 1 > S[i]:
            raise NNArgumentError(
                f"{who}(): pool {names[i]} {k[i]} too large relative to input {names[i]} {S[i]} "
                f"(output_size {out}, input {x.shape})"
            )
    if samples is None:
        samples = _random.default_generator().random((N, C, nd)).astype(x.dtype)
    u = np.asarray(samples._data if isinstance(samples, Tensor) else samples)
    if u.ndim == 3 and u.shape[0] < N:
        raise NNArgumentError(
            f"{who}: Expect _random_samples.size(0) no less then input batch size: _random_samples must have "
            f"shape {(N, C, nd)} (or more rows), got {u.shape}"
        )
    if u.ndim != 3 or u.shape[1:] != (C, nd):
        raise ValueError(f"{who}: _random_samples must have shape {(N, C, nd)} (or more rows), got {u.shape}")
    u = u[:N]  # PyTorch reads the first N rows (the first for an unbatched input)
    if 0 in out:  # an empty output (PyTorch allows an output size 0)
        y = x.reshape(N, C, int(np.prod(S)))[:, :, :0].reshape((N, C) + out)
        idx = Tensor._const(np.zeros(y.shape, dtype=np.int64))
        if unbatched:
            y, idx = y[0], idx[0]
        return (y, idx) if return_indices else y
    # sample j drives spatial axis nd - 1 - j for 2-D (PyTorch: the first sample is the width's),
    # and axis j for 3-D (PyTorch's 3-D kernel reads them in T, H, W order)
    axis_sample = [nd - 1 - a for a in range(nd)] if nd == 2 else list(range(nd))
    starts = [_starts(u[..., axis_sample[a]], S[a], out[a], k[a], x.dtype) for a in range(nd)]
    # every window's flat positions: (N, C, *out, prod(k)), in row-major order within the window
    flat = np.zeros((N, C) + out + (int(np.prod(k)),), dtype=np.int64)
    offsets = np.indices(k).reshape(nd, -1)
    strides = [int(np.prod(S[a + 1 :])) for a in range(nd)]
    for a in range(nd):
        shape = [N, C] + [1] * nd + [1]
        shape[2 + a] = out[a]
        pos = starts[a].reshape(shape) + offsets[a]
        flat += pos * strides[a]
    n_win = int(np.prod(out)) * int(np.prod(k))  # explicit sizes: an empty batch cannot infer a -1
    vals = x._data.reshape(N, C, int(np.prod(S)))[
        np.arange(N)[:, None, None], np.arange(C)[None, :, None], flat.reshape(N, C, n_win)
    ]
    vals = vals.reshape(flat.shape)
    best = np.take_along_axis(flat, np.argmax(vals, axis=-1)[..., None], axis=-1)[..., 0]  # first maximum
    y = _gather(x, best, distinct=False)
    idx = Tensor._const(best)
    if unbatched:
        y, idx = y[0], idx[0]
    return (y, idx) if return_indices else y


@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def fractional_max_pool2d(
    input: Any,
    kernel_size: Any,
    output_size: Any = None,
    output_ratio: Any = None,
    return_indices: bool = False,
    _random_samples: Any = None,
) -> Any:
    """Fractional max pooling of (N, C, H, W) (or (C, H, W)) to ``output_size`` (or ``output_ratio``
    of the input's size) with windows of ``kernel_size``, as torch.nn.functional.fractional_max_pool2d:
    the window starts come from ``_random_samples`` (N, C, 2) in [0, 1), drawn from autobp's global
    generator when None. ``return_indices``: also the flat index of each maximum in its H*W plane."""
    return _fractional(
        input,
        kernel_size,
        output_size,
        output_ratio,
        return_indices,
        _random_samples,
        2,
        "fractional_max_pool2d",
    )


@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def fractional_max_pool3d(
    input: Any,
    kernel_size: Any,
    output_size: Any = None,
    output_ratio: Any = None,
    return_indices: bool = False,
    _random_samples: Any = None,
) -> Any:
    """Fractional max pooling of (N, C, T, H, W) (or unbatched), as fractional_max_pool2d in 3-D."""
    return _fractional(
        input,
        kernel_size,
        output_size,
        output_ratio,
        return_indices,
        _random_samples,
        3,
        "fractional_max_pool3d",
    )


def fractional_max_pool2d_with_indices(
    input: Any,
    kernel_size: Any,
    output_size: Any = None,
    output_ratio: Any = None,
    return_indices: bool = False,
    _random_samples: Any = None,
) -> tuple:  # noqa: E501
    """(values, indices) of fractional_max_pool2d, PyTorch's form."""
    return fractional_max_pool2d(input, kernel_size, output_size, output_ratio, True, _random_samples)


def fractional_max_pool3d_with_indices(
    input: Any,
    kernel_size: Any,
    output_size: Any = None,
    output_ratio: Any = None,
    return_indices: bool = False,
    _random_samples: Any = None,
) -> tuple:  # noqa: E501
    """(values, indices) of fractional_max_pool3d, PyTorch's form."""
    return fractional_max_pool3d(input, kernel_size, output_size, output_ratio, True, _random_samples)


class _FractionalMaxPool(Module):
    _fn: Any = None

    def __init__(
        self,
        kernel_size: Any,
        output_size: Any = None,
        output_ratio: Any = None,
        return_indices: bool = False,
        _random_samples: Any = None,
    ) -> None:
        super().__init__()
        if (output_size is None) == (output_ratio is None):
            raise ValueError(f"{type(self).__name__}: give exactly one of output_size and output_ratio")
        self.kernel_size, self.output_size, self.output_ratio = kernel_size, output_size, output_ratio
        self.return_indices = return_indices
        self.register_buffer("_random_samples", _random_samples)  # a buffer (state_dict), as PyTorch's

    def forward(self, input: Any) -> Any:
        fn = type(self)._fn
        return fn(
            input,
            self.kernel_size,
            self.output_size,
            self.output_ratio,
            self.return_indices,
            self._random_samples,
        )

    def extra_repr(self) -> str:
        size, ratio = self.output_size, self.output_ratio
        return f"kernel_size={self.kernel_size}, output_size={size}, output_ratio={ratio}"


class FractionalMaxPool2d(_FractionalMaxPool):
    """Module form of fractional_max_pool2d (fresh window starts from the global generator per call)."""

    _fn = staticmethod(fractional_max_pool2d)


class FractionalMaxPool3d(_FractionalMaxPool):
    """Module form of fractional_max_pool3d."""

    _fn = staticmethod(fractional_max_pool3d)


__all__ = [
    "fractional_max_pool2d",
    "fractional_max_pool3d",
    "fractional_max_pool2d_with_indices",
    "fractional_max_pool3d_with_indices",
]
