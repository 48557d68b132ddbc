"""In-place initialisers (PyTorch's ``torch.nn.init`` names); every random one takes ``rng``.

``rng`` is a ``numpy.random.Generator`` or an int seed, so a run is reproducible; None draws from the
global generator (``autobp.manual_seed`` seeds it).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..random import generator_of
from ..tensor import Tensor

RngLike = np.random.Generator | int | None


def as_generator(rng: RngLike) -> np.random.Generator:
    """A numpy Generator from a Generator (returned as is), an int seed, or None: autobp's global
    generator, which ``autobp.manual_seed`` seeds (as ``torch.manual_seed`` seeds PyTorch's)."""
    return generator_of(rng, "rng")


def _fill(t: Tensor, values: Any, who: str) -> Tensor:
    if not isinstance(t, Tensor):
        raise TypeError(f"{who}: expected a Tensor or Parameter, got {type(t).__name__}")
    if t.data.dtype.kind != "f":
        raise TypeError(f"{who}: tensor dtype {t.data.dtype} is not floating point")
    t.data[...] = values  # in place: optimisers and modules keep the same array
    return t


def uniform_(t: Tensor, a: float = 0.0, b: float = 1.0, rng: RngLike = None) -> Tensor:
    """Fill ``t`` from U(a, b); the 1986 paper starts from ``uniform_(w, -0.3, 0.3)``."""
    if not a <= b:
        raise ValueError(f"uniform_: need a <= b, got a={a}, b={b}")
    return _fill(t, as_generator(rng).uniform(a, b, size=t.shape), "uniform_")


def normal_(t: Tensor, mean: float = 0.0, std: float = 1.0, rng: RngLike = None) -> Tensor:
    """Fill ``t`` from N(mean, std^2)."""
    if std < 0:
        raise ValueError(f"normal_: std must be >= 0, got {std}")
    return _fill(t, as_generator(rng).normal(mean, std, size=t.shape), "normal_")


def constant_(t: Tensor, value: float) -> Tensor:
    """Fill ``t`` with ``value`` in place; returns ``t``."""
    return _fill(t, value, "constant_")


def zeros_(t: Tensor) -> Tensor:
    """Fill ``t`` with zeros in place; returns ``t``."""
    return _fill(t, 0.0, "zeros_")


def ones_(t: Tensor) -> Tensor:
    """Fill ``t`` with ones in place; returns ``t``."""
    return _fill(t, 1.0, "ones_")


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The recommended std multiplier for a nonlinearity (PyTorch's table)."""
    if nonlinearity in ("linear", "identity", "sigmoid"):
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else float(param)
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"calculate_gain: unsupported nonlinearity {nonlinearity!r}")


def fan_in_and_fan_out(t: Tensor) -> tuple[int, int]:
    """(inputs, outputs) per unit for a weight shaped (out, in, *receptive field)."""
    if t.ndim < 2:
        raise ValueError(f"fan in and fan out need a tensor with at least 2 dimensions, got shape {t.shape}")
    receptive = int(np.prod(t.shape[2:])) if t.ndim > 2 else 1
    return t.shape[1] * receptive, t.shape[0] * receptive


def xavier_uniform_(t: Tensor, gain: float = 1.0, rng: RngLike = None) -> Tensor:
    """Glorot & Bengio (2010): U(-b, b) with b = gain * sqrt(6 / (fan_in + fan_out))."""
    if t.size == 0:
        return t
    fan_in, fan_out = fan_in_and_fan_out(t)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(t, -bound, bound, rng)


def xavier_normal_(t: Tensor, gain: float = 1.0, rng: RngLike = None) -> Tensor:
    """Glorot & Bengio (2010): N(0, std^2) with std = gain * sqrt(2 / (fan_in + fan_out))."""
    fan_in, fan_out = fan_in_and_fan_out(t)
    return normal_(t, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)), rng)


def _kaiming_std(t: Tensor, a: float, mode: str, nonlinearity: str) -> float:
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"kaiming: mode must be 'fan_in' or 'fan_out', got {mode!r}")
    fan_in, fan_out = fan_in_and_fan_out(t)
    fan = fan_in if mode == "fan_in" else fan_out
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)


def kaiming_uniform_(
    t: Tensor, a: float = 0.0, mode: str = "fan_in", nonlinearity: str = "leaky_relu", rng: RngLike = None
) -> Tensor:
    """He et al. (2015): U(-b, b) with b = sqrt(3) * gain / sqrt(fan); a tensor without elements is
    left as it is (PyTorch: a no-op)."""
    if t.size == 0:
        return t
    bound = math.sqrt(3.0) * _kaiming_std(t, a, mode, nonlinearity)
    return uniform_(t, -bound, bound, rng)


def kaiming_normal_(
    t: Tensor, a: float = 0.0, mode: str = "fan_in", nonlinearity: str = "leaky_relu", rng: RngLike = None
) -> Tensor:
    """He et al. (2015): N(0, std^2) with std = gain / sqrt(fan) (no elements: a no-op)."""
    if t.size == 0:
        return t
    return normal_(t, 0.0, _kaiming_std(t, a, mode, nonlinearity), rng)
