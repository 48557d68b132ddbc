"""Invertible transforms with log |det Jacobian| (PyTorch's ``torch.distributions.transforms``), the
pieces of normalising flows and of ``TransformedDistribution``: Exp, Affine, Sigmoid, Tanh, Compose."""

from __future__ import annotations

import math
import weakref
from typing import Any

import numpy as np

from ..nn.functional import softplus
from ..ops import abs as _abs
from ..ops import arctanh, broadcast_to, clip, exp, expm1, log, sigmoid, tanh
from ..tensor import Tensor
from . import constraints
from ._chain import _chain_constraints, _np_of
from .transforms_base import Transform, _InverseTransform, _t, sum_rightmost  # noqa: F401


class ExpTransform(Transform):
    """y = exp(x)."""

    codomain = constraints.positive
    sign = 1
    bijective = True

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
    sign = 1
    bijective = True

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
    sign = 1
    bijective = True

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
    sign = 1
    bijective = True

    def _call(self, x: Tensor) -> Tensor:
        return softplus(x)

    def _inverse(self, y: Tensor) -> Tensor:
        return y + log(-expm1(-y))  # log(exp(y) - 1) without overflow

    def log_abs_det_jacobian(self, x: Any, y: Any) -> Tensor:
        """log sigmoid(x) = -softplus(-x)."""
        return -softplus(-_t(x))


class PowerTransform(Transform):
    """y = x ** exponent on the positive reals."""

    bijective = True

    domain = constraints.positive
    codomain = constraints.positive

    def __init__(self, exponent: Any, cache_size: int = 0) -> None:
        super().__init__(cache_size)
        self.exponent = exponent

    def with_cache(self, cache_size: int = 1) -> Transform:
        """The same exponent with ``cache_size``."""
        return self if self._cache_size == cache_size else PowerTransform(self.exponent, cache_size)

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

    codomain = constraints.positive  # PyTorch's (though |0| = 0)
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

    bijective = True

    def __init__(self, loc: Any, scale: Any, event_dim: int = 0, cache_size: int = 0) -> None:
        super().__init__(cache_size)
        self.loc, self.scale, self._event_dim = loc, scale, int(event_dim)
        self.domain = constraints.independent(constraints.real, self._event_dim)
        self.codomain = constraints.independent(constraints.real, self._event_dim)

    @property
    def event_dim(self) -> int:
        """The number of rightmost axes one event has."""
        return self._event_dim

    def with_cache(self, cache_size: int = 1) -> Transform:
        """The same map with ``cache_size``."""
        if self._cache_size == cache_size:
            return self
        return AffineTransform(self.loc, self.scale, self._event_dim, cache_size)

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
        self.parts = [p.with_cache(cache_size) for p in parts] if cache_size else list(parts)
        self.domain, self.codomain = _chain_constraints(self.parts)
        self.bijective = all(p.bijective for p in self.parts)

    def with_cache(self, cache_size: int = 1) -> Transform:
        """The same parts with ``cache_size``."""
        return self if self._cache_size == cache_size else ComposeTransform(self.parts, cache_size)

    def __repr__(self) -> str:
        inner = ",\n    ".join(repr(p) for p in self.parts)
        return f"ComposeTransform(\n    {inner}\n)"

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
        """The inverses of the parts, in reverse order (its ``.inv`` is this one again)."""
        inv = None if self._inv_ref is None else self._inv_ref()
        if inv is None:
            inv = ComposeTransform([p.inv for p in reversed(self.parts)])
            self._inv_ref, inv._inv_ref = weakref.ref(inv), weakref.ref(self)
        return inv

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
        if not self.parts:
            return x * 0.0
        total: Any = 0.0
        dim = self.domain.event_dim
        for i, p in enumerate(self.parts):
            y_p = _t(y) if i == len(self.parts) - 1 else p(x)  # the given y for the last part (PyTorch's)
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

from .transforms_matrix import (  # noqa: E402  (they build on the classes above)
    CorrCholeskyTransform,
    LowerCholeskyTransform,
    PositiveDefiniteTransform,
    SoftmaxTransform,
    StickBreakingTransform,
)
from .transforms_structural import (  # noqa: E402
    CatTransform,
    CumulativeDistributionTransform,
    IndependentTransform,
    ReshapeTransform,
    StackTransform,
)

__all__ += [
    "CatTransform", "StackTransform", "CorrCholeskyTransform", "CumulativeDistributionTransform",
    "IndependentTransform", "LowerCholeskyTransform", "PositiveDefiniteTransform", "ReshapeTransform",
    "SoftmaxTransform", "StickBreakingTransform",
]  # fmt: skip
