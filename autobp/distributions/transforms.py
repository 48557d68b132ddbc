"""Invertible transforms with log |det Jacobian| (PyTorch's ``torch.distributions.transforms``), the
pieces of normalising flows and of ``TransformedDistribution``: Exp, Affine, Sigmoid, Tanh, Compose."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..nn.functional import softplus
from ..ops import abs as _abs
from ..ops import arctanh, broadcast_to, clip, exp, expm1, log, sigmoid, tanh
from ..tensor import Tensor
from . import constraints
from ._chain import _chain_constraints, _np_of


def sum_rightmost(x: Any, dim: int) -> Any:
    """x summed over its last ``dim`` axes (x itself for dim 0)."""
    if dim <= 0 or not isinstance(x, Tensor):
        return x
    return x.reshape(x.shape[: x.ndim - dim] + (-1,)).sum(axis=-1)


def _t(x: Any) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor._const(np.asarray(x, dtype=float))


class Transform:
    """An invertible map y = f(x); ``log_abs_det_jacobian(x, y)`` is log |det df/dx|, summed over
    the transform's ``event_dim`` rightmost axes."""

    domain: constraints.Constraint = constraints.real
    codomain: constraints.Constraint = constraints.real
    bijective = True
    sign = 1

    def __init__(self, cache_size: int = 0) -> None:
        if cache_size not in (0, 1):
            raise ValueError(f"cache_size must be 0 or 1, got {cache_size!r}")
        self._cache_size, self._cached = cache_size, None

    @property
    def event_dim(self) -> int:
        """The number of rightmost axes the transform acts on jointly."""
        return self.domain.event_dim

    @property
    def inv(self) -> Transform:
        """The inverse transform."""
        return _InverseTransform(self)

    def forward_shape(self, shape: Any) -> tuple:
        """The shape of y for an x of ``shape`` (the same, for an elementwise map)."""
        return tuple(shape)

    def inverse_shape(self, shape: Any) -> tuple:
        """The shape of x for a y of ``shape``."""
        return tuple(shape)

    def __call__(self, x: Any) -> Tensor:
        """y = f(x); with cache_size=1 the pair (x, y) is kept, so inverting y gives x back exactly
        (tanh's inverse at a draw rounded to 1 would otherwise be inf)."""
        x = _t(x)
        if getattr(self, "_cache_size", 0) != 1:
            return self._call(x)
        if self._cached is not None and self._cached[0] is x:
            return self._cached[1]
        y = self._call(x)
        self._cached = (x, y)
        return y

    def _inv_call(self, y: Any) -> Tensor:
        """x with f(x) = y: the cached x when y is the last output (cache_size=1)."""
        y = _t(y)
        if getattr(self, "_cache_size", 0) != 1:
            return self._inverse(y)
        if self._cached is not None and self._cached[1] is y:
            return self._cached[0]
        x = self._inverse(y)
        self._cached = (x, y)
        return x

    def _call(self, x: Tensor) -> Tensor:
        raise NotImplementedError

    def _inverse(self, y: Tensor) -> Tensor:
        raise NotImplementedError

    def log_abs_det_jacobian(self, x: Any, y: Any) -> Tensor:
        """log |dy/dx| at x (with y = f(x))."""
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self))

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class _InverseTransform(Transform):
    def __init__(self, transform: Transform) -> None:
        super().__init__()
        self._inv = transform
        self.domain, self.codomain = transform.codomain, transform.domain

    @property
    def sign(self) -> Any:  # type: ignore[override]
        """The inverted transform's sign."""
        return self._inv.sign

    @property
    def inv(self) -> Transform:
        return self._inv

    def __call__(self, y: Any) -> Tensor:
        return self._inv._inv_call(y)

    def _call(self, x: Tensor) -> Tensor:
        return self._inv._inverse(x)

    def _inverse(self, y: Tensor) -> Tensor:
        return self._inv._call(y)

    def forward_shape(self, shape: Any) -> tuple:
        """The inverted transform's inverse_shape."""
        return self._inv.inverse_shape(shape)

    def inverse_shape(self, shape: Any) -> tuple:
        """The inverted transform's forward_shape."""
        return self._inv.forward_shape(shape)

    def log_abs_det_jacobian(self, x: Any, y: Any) -> Tensor:
        """-log |det| of the forward transform at y."""
        return -self._inv.log_abs_det_jacobian(y, x)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _InverseTransform) and self._inv == other._inv

    def __hash__(self) -> int:
        return hash(("inv", self._inv))


class ExpTransform(Transform):
    """y = exp(x)."""

    codomain = constraints.positive

    def _call(self, x: Tensor) -> Tensor:
        return exp(x)

    def _inverse(self, y: Tensor) -> Tensor:
        return log(y)

    def log_abs_det_jacobian(self, x: Any, y: Any) -> Tensor:
        """x."""
        return _t(x)


class SigmoidTransform(Transform):
    """y = 1 / (1 + exp(-x))."""

    codomain = constraints.unit_interval

    def _call(self, x: Tensor) -> Tensor:
        fi = np.finfo(x.dtype)
        return clip(sigmoid(x), float(fi.tiny), 1.0 - float(fi.eps))

    def _inverse(self, y: Tensor) -> Tensor:
        fi = np.finfo(y.dtype)
        y = clip(y, float(fi.tiny), 1.0 - float(fi.eps))
        return log(y) - log(1.0 - y)

    def log_abs_det_jacobian(self, x: Any, y: Any) -> Tensor:
        """-softplus(-x) - softplus(x) = log sigmoid(x) (1 - sigmoid(x))."""
        x = _t(x)
        return -softplus(-x) - softplus(x)


class TanhTransform(Transform):
    """y = tanh(x)."""

    codomain = constraints.interval(-1.0, 1.0)

    def _call(self, x: Tensor) -> Tensor:
        return tanh(x)

    def _inverse(self, y: Tensor) -> Tensor:
        return arctanh(y)

    def log_abs_det_jacobian(self, x: Any, y: Any) -> Tensor:
        """log(1 - tanh(x)^2) = 2 (log 2 - x - softplus(-2 x)), stable for large |x|."""
        x = _t(x)
        return 2.0 * (math.log(2.0) - x - softplus(-2.0 * x))


class SoftplusTransform(Transform):
    """y = log(1 + exp(x))."""

    codomain = constraints.positive

    def _call(self, x: Tensor) -> Tensor:
        return softplus(x)

    def _inverse(self, y: Tensor) -> Tensor:
        return y + log(-expm1(-y))  # log(exp(y) - 1) without overflow

    def log_abs_det_jacobian(self, x: Any, y: Any) -> Tensor:
        """log sigmoid(x) = -softplus(-x)."""
        return -softplus(-_t(x))


class PowerTransform(Transform):
    """y = x ** exponent on the positive reals."""

    domain = constraints.positive
    codomain = constraints.positive

    def __init__(self, exponent: Any, cache_size: int = 0) -> None:
        super().__init__(cache_size)
        self.exponent = exponent

    @property
    def sign(self) -> Any:  # type: ignore[override]
        """The sign of the exponent."""
        e = self.exponent._data if isinstance(self.exponent, Tensor) else np.asarray(self.exponent)
        return int(np.sign(e)) if e.ndim == 0 else np.sign(e)

    def _call(self, x: Tensor) -> Tensor:
        return x**self.exponent

    def _inverse(self, y: Tensor) -> Tensor:
        return y ** (1.0 / self.exponent)

    def log_abs_det_jacobian(self, x: Any, y: Any) -> Tensor:
        """log |exponent y / x|."""
        return log(_abs(self.exponent * _t(y) / _t(x)))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PowerTransform) and np.array_equal(
            _t(self.exponent)._data, _t(other.exponent)._data
        )

    def __hash__(self) -> int:
        return hash(PowerTransform)


class AbsTransform(Transform):
    """y = |x| (not bijective: the inverse picks the non-negative root)."""

    codomain = constraints.nonnegative
    bijective = False

    @property
    def sign(self) -> Any:  # type: ignore[override]
        """Not defined: |x| is not monotone (PyTorch raises too)."""
        raise NotImplementedError("AbsTransform is not monotone, so it has no sign")

    def _call(self, x: Tensor) -> Tensor:
        return _abs(x)

    def _inverse(self, y: Tensor) -> Tensor:
        return y


class AffineTransform(Transform):
    """y = loc + scale x, acting on events of ``event_dim`` rightmost axes."""

    def __init__(self, loc: Any, scale: Any, event_dim: int = 0, cache_size: int = 0) -> None:
        super().__init__(cache_size)
        self.loc, self.scale, self._event_dim = loc, scale, int(event_dim)
        self.domain = constraints.independent(constraints.real, self._event_dim)
        self.codomain = constraints.independent(constraints.real, self._event_dim)

    @property
    def event_dim(self) -> int:
        """The number of rightmost axes one event has."""
        return self._event_dim

    def forward_shape(self, shape: Any) -> tuple:
        """``shape`` broadcast with loc's and scale's shapes."""
        return np.broadcast_shapes(tuple(shape), np.shape(_np_of(self.loc)), np.shape(_np_of(self.scale)))

    def inverse_shape(self, shape: Any) -> tuple:
        """``shape`` broadcast with loc's and scale's shapes."""
        return self.forward_shape(shape)

    @property
    def sign(self) -> Any:  # type: ignore[override]
        """The sign of scale: a number for a number, an array of signs for an array (PyTorch's)."""
        s = self.scale._data if isinstance(self.scale, Tensor) else np.asarray(self.scale)
        return int(np.sign(s)) if s.ndim == 0 else np.sign(s)

    def _call(self, x: Tensor) -> Tensor:
        return self.loc + self.scale * x

    def _inverse(self, y: Tensor) -> Tensor:
        return (y - self.loc) / self.scale

    def log_abs_det_jacobian(self, x: Any, y: Any) -> Tensor:
        """log |scale|, broadcast to x and summed over the event axes."""
        x = _t(x)
        scale = self.scale if isinstance(self.scale, Tensor) else _t(self.scale).astype(x.dtype)
        out = log(_abs(scale))
        shape = np.broadcast_shapes(x.shape, out.shape)
        return sum_rightmost(broadcast_to(out, shape), self._event_dim)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AffineTransform):
            return False
        same = [
            a is b or np.array_equal(_t(a)._data, _t(b)._data)
            for a, b in ((self.loc, other.loc), (self.scale, other.scale))
        ]
        return all(same) and self._event_dim == other._event_dim

    def __hash__(self) -> int:
        return hash((AffineTransform, self._event_dim))


class ComposeTransform(Transform):
    """The parts applied in order: ``y = parts[-1](... parts[0](x))``."""

    def __init__(self, parts: list, cache_size: int = 0) -> None:
        super().__init__(cache_size)
        self.parts = list(parts)
        self.domain, self.codomain = _chain_constraints(self.parts)

    @property
    def event_dim(self) -> int:
        """The event_dim of the domain: the axes the whole chain acts on jointly."""
        return self.domain.event_dim

    def forward_shape(self, shape: Any) -> tuple:
        """The output shape, part by part."""
        for p in self.parts:
            shape = p.forward_shape(shape)
        return tuple(shape)

    def inverse_shape(self, shape: Any) -> tuple:
        """The input shape, part by part from the last."""
        for p in reversed(self.parts):
            shape = p.inverse_shape(shape)
        return tuple(shape)

    @property
    def sign(self) -> Any:  # type: ignore[override]
        """The product of the parts' signs."""
        s = 1
        for p in self.parts:
            s *= p.sign
        return s

    @property
    def inv(self) -> Transform:
        """The inverses of the parts, in reverse order."""
        return ComposeTransform([p.inv for p in reversed(self.parts)])

    def _call(self, x: Tensor) -> Tensor:
        for p in self.parts:
            x = p(x)
        return x

    def _inverse(self, y: Tensor) -> Tensor:
        for p in reversed(self.parts):
            y = p.inv(y)
        return y

    def log_abs_det_jacobian(self, x: Any, y: Any) -> Tensor:
        """The parts' log |det| at the intermediate values, summed to this event_dim."""
        x = _t(x)
        total: Any = 0.0
        dim = self.domain.event_dim
        for p in self.parts:
            y_p = p(x)
            total = total + sum_rightmost(p.log_abs_det_jacobian(x, y_p), dim - p.domain.event_dim)
            dim += p.codomain.event_dim - p.domain.event_dim
            x = y_p
        return total

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ComposeTransform) and self.parts == other.parts

    def __hash__(self) -> int:
        return hash(tuple(self.parts))


identity_transform = ComposeTransform([])

__all__ = [
    "Transform", "ExpTransform", "AffineTransform", "SigmoidTransform", "TanhTransform", "ComposeTransform",
    "identity_transform", "SoftplusTransform", "PowerTransform", "AbsTransform",
]  # fmt: skip
