"""PyTorch's ``VonMises``: the circular normal, density exp(kappa cos(x - loc)) / (2 pi I0(kappa)).
log I0 and log I1 come from the polynomial approximations of Abramowitz and Stegun (9.8.1-9.8.4), the
ones PyTorch evaluates, so values and gradients agree with it; samples by Best and Fisher's (1979)
rejection method in float64, as PyTorch draws them (no rsample)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..ops import abs as _abs
from ..ops import cos, exp, log, where
from ..tensor import Tensor
from . import constraints
from .distribution import Distribution, broadcast_all, lazy_property, rng

# Abramowitz & Stegun 9.8.1/9.8.3 (|x| < 3.75, in (x / 3.75)^2) and 9.8.2/9.8.4 (x >= 3.75, in 3.75 / x)
_SMALL = (
    (1.0, 3.5156229, 3.0899424, 1.2067492, 0.2659732, 0.0360768, 0.0045813),
    (0.5, 0.87890594, 0.51498869, 0.15084934, 0.02658733, 0.00301532, 0.00032411),
)
_LARGE = (
    (
        0.39894228,
        0.01328592,
        0.00225319,
        -0.00157565,
        0.00916281,
        -0.02057706,
        0.02635537,
        -0.01647633,
        0.00392377,
    ),
    (
        0.39894228,
        -0.03988024,
        -0.00362018,
        0.00163801,
        -0.01031555,
        0.02282967,
        -0.02895312,
        0.01787654,
        -0.00420059,
    ),
)


def _poly(y: Tensor, coefficients: tuple) -> Tensor:
    """sum_i c_i y^i by Horner's rule."""
    out: Any = coefficients[-1]
    for c in reversed(coefficients[:-1]):
        out = c + y * out
    return out


def _log_bessel_i(x: Tensor, order: int = 0) -> Tensor:
    """log I_order(x) for x > 0 and order 0 or 1 (the polynomial approximations, relative error
    below about 2e-7)."""
    if order not in (0, 1):
        raise ValueError(f"_log_bessel_i: order must be 0 or 1, got {order}")
    y = (x / 3.75) ** 2
    small = _poly(y, _SMALL[order])
    if order == 1:
        small = _abs(x) * small
    small = log(small)
    with np.errstate(invalid="ignore", divide="ignore"):  # each branch is off range where unused
        large = x - 0.5 * log(x) + log(_poly(3.75 / x, _LARGE[order]))
    return where(x._data < 3.75, small, large)


def _rejection_sample(loc: np.ndarray, kappa: np.ndarray, proposal_r: np.ndarray, shape: tuple) -> np.ndarray:
    """Best and Fisher's accept-reject draws of angles in [-pi, pi), float64."""
    gen = rng()
    loc, kappa, r = (np.broadcast_to(a, shape) for a in (loc, kappa, proposal_r))
    x = np.zeros(shape)
    done = np.zeros(shape, bool)
    while not done.all():
        u1, u2, u3 = gen.random((3,) + shape)
        z = np.cos(math.pi * u1)
        f = (1.0 + r * z) / (r + z)
        c = kappa * (r - f)
        with np.errstate(divide="ignore", invalid="ignore"):
            accept = ((c * (2.0 - c) - u2) > 0) | (np.log(c / u2) + 1.0 - c >= 0)
        take = accept & ~done
        x = np.where(take, np.sign(u3 - 0.5) * np.arccos(np.clip(f, -1.0, 1.0)), x)
        done |= accept
    return (x + math.pi + loc) % (2.0 * math.pi) - math.pi


class VonMises(Distribution):
    """The von Mises distribution of angle ``loc`` (radians) and ``concentration`` kappa; ``loc`` and
    values may be any real numbers, read modulo 2 pi. Mean and variance are the circular ones."""

    arg_constraints = {"loc": constraints.real, "concentration": constraints.positive}
    support = constraints.real
    has_rsample = False

    def __init__(self, loc: Any, concentration: Any, validate_args: bool | None = None) -> None:
        self.loc, self.concentration = broadcast_all(loc, concentration)
        super().__init__(self.loc.shape, (), validate_args)

    def log_prob(self, value: Any) -> Tensor:
        """kappa cos(value - loc) - log(2 pi) - log I0(kappa)."""
        value = self._value(value)
        k = self.concentration
        return k * cos(value - self.loc) - math.log(2.0 * math.pi) - _log_bessel_i(k, 0)

    @lazy_property
    def _proposal_r(self) -> np.ndarray:
        """Best and Fisher's r = (1 + rho^2) / (2 rho) (1 / kappa + kappa for tiny kappa), float64."""
        k = self.concentration._data.astype(np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            tau = 1.0 + np.sqrt(1.0 + 4.0 * k**2)
            rho = (tau - np.sqrt(2.0 * tau)) / (2.0 * k)
            r = (1.0 + rho**2) / (2.0 * rho)
            return np.where(k < 1e-5, 1.0 / k + k, r)

    def sample(self, sample_shape: Any = ()) -> Tensor:
        """Angles in [-pi, pi) (drawn in float64, returned in the parameters' dtype), no gradient."""
        shape = self._extended_shape(sample_shape)
        x = _rejection_sample(
            self.loc._data.astype(np.float64),
            self.concentration._data.astype(np.float64),
            self._proposal_r,
            shape,
        )
        return Tensor._const(x.astype(self.loc.dtype))

    @property
    def mean(self) -> Tensor:
        """loc (the circular mean)."""
        return self.loc

    @property
    def mode(self) -> Tensor:
        """loc."""
        return self.loc

    @property
    def variance(self) -> Tensor:
        """1 - I1(kappa) / I0(kappa) (the circular variance)."""
        k = self.concentration
        return 1.0 - exp(_log_bessel_i(k, 1) - _log_bessel_i(k, 0))
