"""In-place initialisers (PyTorch's ``torch.nn.init`` names); every random one takes ``rng``.

``rng`` is a ``numpy.random.Generator`` or an int seed, so a run is reproducible; None draws from the
global generator (``autobp.manual_seed`` seeds it).
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from .._overlap_writes import init_fill
from ..random import generator_of
from ..tensor import Tensor

RngLike = np.random.Generator | int | None


def as_generator(rng: RngLike) -> np.random.Generator:
    """A numpy Generator from a Generator (returned as is), an int seed, or None: autobp's global
    generator, which ``autobp.manual_seed`` seeds (as ``torch.manual_seed`` seeds PyTorch's)."""
    return generator_of(rng, "rng")


def _gen(rng: RngLike, generator: RngLike) -> np.random.Generator:
    """The generator from ``rng`` or PyTorch's keyword ``generator`` (one of them, or neither)."""
    if rng is not None and generator is not None:
        raise TypeError("give rng or generator, not both")
    return as_generator(rng if generator is None else generator)


def _fill(t: Tensor, values: Any, who: str) -> Tensor:
    if not isinstance(t, Tensor):
        raise TypeError(f"{who}: expected a Tensor or Parameter, got {type(t).__name__}")
    if t.data.dtype.kind not in "fc":
        raise TypeError(f"{who}: tensor dtype {t.data.dtype} is not floating point or complex")
    if init_fill(t, values, who):  # an expanded tensor: a constant only, as PyTorch's
        return t
    t.data[...] = values  # in place: optimisers and modules keep the same array
    return t


def uniform_(
    t: Tensor, a: float = 0.0, b: float = 1.0, rng: RngLike = None, *, generator: RngLike = None
) -> Tensor:
    """Fill ``t`` from U(a, b); the 1986 paper starts from ``uniform_(w, -0.3, 0.3)``. ``generator`` is
    PyTorch's name for ``rng`` (every random initialiser here takes either)."""
    if not a <= b:
        raise ValueError(f"uniform_: need a <= b, got a={a}, b={b}")
    g = _gen(rng, generator)
    values = g.uniform(a, b, size=t.shape)
    if isinstance(t, Tensor) and t.data.dtype.kind == "c":  # PyTorch: real and imaginary parts each U(a, b)
        values = values + 1j * g.uniform(a, b, size=t.shape)
    return _fill(t, values, "uniform_")


def normal_(
    t: Tensor, mean: float = 0.0, std: float = 1.0, rng: RngLike = None, *, generator: RngLike = None
) -> Tensor:
    """Fill ``t`` from N(mean, std^2)."""
    if std < 0:
        raise ValueError(f"normal_: std must be >= 0, got {std}")
    return _fill(t, _gen(rng, generator).normal(mean, std, size=t.shape), "normal_")


def constant_(t: Tensor, value: float) -> Tensor:
    """Fill ``t`` with ``value`` in place; returns ``t``."""
    return _fill(t, value, "constant_")


def zeros_(t: Tensor) -> Tensor:
    """Fill ``t`` with zeros in place; returns ``t``."""
    return _fill(t, 0.0, "zeros_")


def ones_(t: Tensor) -> Tensor:
    """Fill ``t`` with ones in place; returns ``t``."""
    return _fill(t, 1.0, "ones_")


_CONVOLUTIONS = ("conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d")


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The recommended std multiplier for a nonlinearity (PyTorch's table)."""
    if nonlinearity in ("linear", "identity", "sigmoid") or nonlinearity in _CONVOLUTIONS:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is not None and (isinstance(param, bool) or not isinstance(param, numbers.Real)):
            raise ValueError(f"calculate_gain: negative_slope {param!r} is not a valid number")
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


def xavier_uniform_(
    t: Tensor, gain: float = 1.0, rng: RngLike = None, *, generator: RngLike = None
) -> Tensor:
    """Glorot & Bengio (2010): U(-b, b) with b = gain * sqrt(6 / (fan_in + fan_out))."""
    if t.size == 0:
        return t
    fan_in, fan_out = fan_in_and_fan_out(t)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(t, -bound, bound, rng, generator=generator)


def xavier_normal_(t: Tensor, gain: float = 1.0, rng: RngLike = None, *, generator: RngLike = None) -> Tensor:
    """Glorot & Bengio (2010): N(0, std^2) with std = gain * sqrt(2 / (fan_in + fan_out))."""
    fan_in, fan_out = fan_in_and_fan_out(t)
    return normal_(t, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)), rng, generator=generator)


def _kaiming_std(t: Tensor, a: float, mode: str, nonlinearity: str) -> float:
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"kaiming: mode must be 'fan_in' or 'fan_out', got {mode!r}")
    fan_in, fan_out = fan_in_and_fan_out(t)
    fan = fan_in if mode == "fan_in" else fan_out
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)


def _zero_element_warning(t: Tensor) -> Tensor:
    import warnings

    warnings.warn("Initializing zero-element tensors is a no-op", UserWarning, stacklevel=3)
    return t


def kaiming_uniform_(
    t: Tensor,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    rng: RngLike = None,
    *,
    generator: RngLike = None,
) -> Tensor:
    """He et al. (2015): U(-b, b) with b = sqrt(3) * gain / sqrt(fan); a tensor without elements is
    left as it is, with PyTorch's warning that it is a no-op."""
    if t.size == 0:
        return _zero_element_warning(t)
    bound = math.sqrt(3.0) * _kaiming_std(t, a, mode, nonlinearity)
    return uniform_(t, -bound, bound, rng, generator=generator)


def kaiming_normal_(
    t: Tensor,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    rng: RngLike = None,
    *,
    generator: RngLike = None,
) -> Tensor:
    """He et al. (2015): N(0, std^2) with std = gain / sqrt(fan) (no elements: a no-op, warned)."""
    if t.size == 0:
        return _zero_element_warning(t)
    return normal_(t, 0.0, _kaiming_std(t, a, mode, nonlinearity), rng, generator=generator)


def trunc_normal_(
    t: Tensor,
    mean: float = 0.0,
    std: float = 1.0,
    a: float = -2.0,
    b: float = 2.0,
    rng: RngLike = None,
    *,
    generator: RngLike = None,
) -> Tensor:
    """Fill ``t`` from N(mean, std^2) truncated to [a, b] (absolute bounds, as PyTorch's), by the inverse
    CDF of a uniform draw between the bounds' CDF values."""
    if std <= 0 or not a < b:
        raise ValueError(f"trunc_normal_: need std > 0 and a < b, got std={std}, a={a}, b={b}")
    from scipy.special import ndtr, ndtri

    lo, hi = ndtr((a - mean) / std), ndtr((b - mean) / std)
    u = _gen(rng, generator).uniform(lo, hi, size=t.shape)
    return _fill(t, np.clip(mean + std * ndtri(u), a, b), "trunc_normal_")


def orthogonal_(t: Tensor, gain: float = 1.0, rng: RngLike = None, *, generator: RngLike = None) -> Tensor:
    """Fill ``t`` (at least 2-D, flattened to rows x columns) with a (semi-)orthogonal matrix times ``gain``:
    the Q of a Gaussian matrix's QR, its columns' signs fixed by R's diagonal (Saxe et al., 2013)."""
    if t.ndim < 2:
        raise ValueError(f"orthogonal_: needs a tensor with at least 2 dimensions, got shape {t.shape}")
    if t.size == 0:
        return t
    rows, cols = t.shape[0], t.size // t.shape[0]
    flat = _gen(rng, generator).normal(size=(rows, cols))
    if rows < cols:
        flat = flat.T
    q, r = np.linalg.qr(flat)
    q *= np.sign(np.diag(r))
    if rows < cols:
        q = q.T
    return _fill(t, gain * q.reshape(t.shape), "orthogonal_")


def sparse_(
    t: Tensor, sparsity: float, std: float = 0.01, rng: RngLike = None, *, generator: RngLike = None
) -> Tensor:
    """Fill a 2-D ``t`` from N(0, std^2), then zero ceil(sparsity * rows) random entries of each column
    (Martens, 2010)."""
    if t.ndim != 2:
        raise ValueError(f"sparse_: only 2-D tensors are supported, got shape {t.shape}")
    g = _gen(rng, generator)
    rows, cols = t.shape
    values = g.normal(0.0, std, size=(rows, cols))
    zeros = int(math.ceil(sparsity * rows))
    for c in range(cols):
        values[g.permutation(rows)[:zeros], c] = 0.0
    return _fill(t, values, "sparse_")


def eye_(t: Tensor) -> Tensor:
    """Fill a 2-D ``t`` with the identity (ones on the main diagonal)."""
    if t.ndim != 2:
        raise ValueError(f"eye_: only 2-D tensors are supported, got shape {t.shape}")
    return _fill(t, np.eye(*t.shape), "eye_")


def dirac_(t: Tensor, groups: int = 1) -> Tensor:
    """Fill a 3-, 4- or 5-D convolution weight (out, in, *kernel) with the Dirac delta: each of the first
    min(out/groups, in) output channels of every group passes its input channel through unchanged."""
    if t.ndim not in (3, 4, 5):
        raise ValueError(f"dirac_: only 3-, 4- and 5-D tensors are supported, got shape {t.shape}")
    if t.shape[0] % groups:
        raise ValueError(f"dirac_: the output channels ({t.shape[0]}) must divide into {groups} groups")
    per = t.shape[0] // groups
    values = np.zeros(t.shape)
    centre = tuple(k // 2 for k in t.shape[2:])
    for g in range(groups):
        for d in range(min(per, t.shape[1])):
            values[(g * per + d, d) + centre] = 1.0
    return _fill(t, values, "dirac_")


def _deprecated(fn: Any) -> Any:
    """PyTorch's old name without the trailing underscore, warning as PyTorch does."""

    def old(*args: Any, **kwargs: Any) -> Tensor:
        import warnings

        warnings.warn(
            f"nn.init.{fn.__name__[:-1]} is deprecated in favor of nn.init.{fn.__name__}",
            FutureWarning,
            stacklevel=2,
        )
        return fn(*args, **kwargs)

    old.__name__ = old.__qualname__ = fn.__name__[:-1]
    old.__doc__ = f"Deprecated: ``{fn.__name__}``."
    return old


uniform = _deprecated(uniform_)
normal = _deprecated(normal_)
constant = _deprecated(constant_)
xavier_uniform = _deprecated(xavier_uniform_)
xavier_normal = _deprecated(xavier_normal_)
kaiming_uniform = _deprecated(kaiming_uniform_)
kaiming_normal = _deprecated(kaiming_normal_)
orthogonal = _deprecated(orthogonal_)
sparse = _deprecated(sparse_)
dirac = _deprecated(dirac_)
eye = _deprecated(eye_)
