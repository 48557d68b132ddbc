"""PyTorch's structural transforms: ``IndependentTransform`` (a transform on events of more axes),
``ReshapeTransform``, ``CatTransform`` / ``StackTransform`` (other transforms applied to slices along
an axis) and ``CumulativeDistributionTransform`` (a distribution's cdf)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..ops import concatenate, stack
from ..tensor import Tensor
from . import constraints
from .transforms_base import Transform, _IdentityEq, _t, sum_rightmost


class TransformShapeError(ValueError, AssertionError):
    """A value of the wrong shape for a transform (a ValueError; also an AssertionError, which is
    what PyTorch raises for these)."""


class IndependentTransform(_IdentityEq, Transform):
    """``base_transform`` acting on events of ``reinterpreted_batch_ndims`` more rightmost axes: the
    same values, its log |det J| summed over those axes."""

    def __init__(
        self, base_transform: Transform, reinterpreted_batch_ndims: int, cache_size: int = 0
    ) -> None:
        super().__init__(cache_size)
        self.base_transform = base_transform.with_cache(cache_size)
        self.reinterpreted_batch_ndims = int(reinterpreted_batch_ndims)
        self.domain = constraints.independent(base_transform.domain, self.reinterpreted_batch_ndims)
        self.codomain = constraints.independent(base_transform.codomain, self.reinterpreted_batch_ndims)
        self.bijective = base_transform.bijective

    def with_cache(self, cache_size: int = 1) -> Transform:
        """The same with ``cache_size``."""
        if self._cache_size == cache_size:
            return self
        return IndependentTransform(self.base_transform, self.reinterpreted_batch_ndims, cache_size)

    @property
    def sign(self) -> Any:  # type: ignore[override]
        """The base transform's sign."""
        return self.base_transform.sign

    def _call(self, x: Tensor) -> Tensor:
        if x.ndim < self.domain.event_dim:
            raise ValueError(f"IndependentTransform: too few dimensions on input of shape {x.shape}")
        return self.base_transform(x)

    def _inverse(self, y: Tensor) -> Tensor:
        if y.ndim < self.codomain.event_dim:
            raise ValueError(f"IndependentTransform: too few dimensions on input of shape {y.shape}")
        return self.base_transform.inv(y)

    def log_abs_det_jacobian(self, x: Any, y: Any) -> Tensor:
        """The base's, summed over the reinterpreted axes."""
        return sum_rightmost(self.base_transform.log_abs_det_jacobian(x, y), self.reinterpreted_batch_ndims)

    def forward_shape(self, shape: Any) -> tuple:
        """The base's forward_shape."""
        return self.base_transform.forward_shape(shape)

    def inverse_shape(self, shape: Any) -> tuple:
        """The base's inverse_shape."""
        return self.base_transform.inverse_shape(shape)

    def __repr__(self) -> str:
        return f"IndependentTransform({self.base_transform!r}, {self.reinterpreted_batch_ndims})"


class ReshapeTransform(_IdentityEq, Transform):
    """Events of ``in_shape`` reshaped to ``out_shape`` (the same number of entries); log |det J| = 0."""

    bijective = True

    def __init__(self, in_shape: Any, out_shape: Any, cache_size: int = 0) -> None:
        super().__init__(cache_size)
        self.in_shape, self.out_shape = tuple(int(s) for s in in_shape), tuple(int(s) for s in out_shape)
        if int(np.prod(self.in_shape)) != int(np.prod(self.out_shape)):
            raise ValueError(
                f"ReshapeTransform: in_shape {self.in_shape} and out_shape {self.out_shape} have different "
                "numbers of elements"
            )
        self.domain = constraints.independent(constraints.real, len(self.in_shape))
        self.codomain = constraints.independent(constraints.real, len(self.out_shape))

    def with_cache(self, cache_size: int = 1) -> Transform:
        """The same with ``cache_size``."""
        if self._cache_size == cache_size:
            return self
        return ReshapeTransform(self.in_shape, self.out_shape, cache_size)

    @staticmethod
    def _swap(shape: tuple, old: tuple, new: tuple) -> tuple:
        if len(shape) < len(old):
            raise ValueError(f"ReshapeTransform: too few dimensions on input of shape {shape} (event {old})")
        cut = len(shape) - len(old)
        if tuple(shape[cut:]) != old:
            raise ValueError(f"ReshapeTransform: shape mismatch: expected trailing {old}, got shape {shape}")
        return tuple(shape[:cut]) + new

    def _call(self, x: Tensor) -> Tensor:
        return x.reshape(self._swap(x.shape, self.in_shape, self.out_shape))

    def _inverse(self, y: Tensor) -> Tensor:
        return y.reshape(self._swap(y.shape, self.out_shape, self.in_shape))

    def log_abs_det_jacobian(self, x: Any, y: Any) -> Tensor:
        """Zeros over x's batch shape."""
        x = _t(x)
        return x.new_zeros(x.shape[: x.ndim - len(self.in_shape)])

    def forward_shape(self, shape: Any) -> tuple:
        """The batch part of ``shape`` followed by out_shape."""
        return self._swap(tuple(shape), self.in_shape, self.out_shape)

    def inverse_shape(self, shape: Any) -> tuple:
        """The batch part of ``shape`` followed by in_shape."""
        return self._swap(tuple(shape), self.out_shape, self.in_shape)


def _check_axis(x: Tensor, dim: int, size: int, who: str, what: str) -> int:
    if not -x.ndim <= dim < x.ndim:
        raise TransformShapeError(f"{who}: dim {dim} out of range for {what} of shape {x.shape}")
    if x.shape[dim] != size:
        raise TransformShapeError(
            f"{who}: {what} of shape {x.shape} has {x.shape[dim]} entries along dim {dim}, expected {size}"
        )
    return dim % x.ndim


def _take(x: Tensor, axis: int, index: Any) -> Tensor:
    return x[(slice(None),) * axis + (index,)]


class CatTransform(_IdentityEq, Transform):
    """``tseq[i]`` applied to the i-th slice (of ``lengths[i]`` entries, 1 by default) along ``dim``,
    the results concatenated back."""

    def __init__(self, tseq: Any, dim: int = 0, lengths: Any = None, cache_size: int = 0) -> None:
        tseq = list(tseq)
        if not all(isinstance(t, Transform) for t in tseq):
            raise TypeError("CatTransform: every element of tseq must be a Transform")
        super().__init__(cache_size)
        self.transforms = [t.with_cache(cache_size) for t in tseq] if cache_size else tseq
        self.lengths = [1] * len(tseq) if lengths is None else list(lengths)
        if len(self.lengths) != len(self.transforms):
            n, m = len(self.lengths), len(self.transforms)
            raise ValueError(f"CatTransform: {n} lengths for {m} transforms")
        self.dim = dim
        self.bijective = all(t.bijective for t in self.transforms)

    @property
    def domain(self) -> constraints.Constraint:  # type: ignore[override]
        """``cat`` of the parts' domains."""
        return constraints.cat([t.domain for t in self.transforms], self.dim, self.lengths)

    @property
    def codomain(self) -> constraints.Constraint:  # type: ignore[override]
        """``cat`` of the parts' codomains."""
        return constraints.cat([t.codomain for t in self.transforms], self.dim, self.lengths)

    @property
    def event_dim(self) -> int:
        """The largest event_dim of the parts."""
        return max(t.event_dim for t in self.transforms)

    @property
    def length(self) -> int:
        """The number of entries along ``dim``: the sum of lengths."""
        return sum(self.lengths)

    def with_cache(self, cache_size: int = 1) -> Transform:
        """The same with ``cache_size``."""
        if self._cache_size == cache_size:
            return self
        return CatTransform(self.transforms, self.dim, self.lengths, cache_size)

    def _slices(self, x: Tensor, what: str) -> list:
        axis = _check_axis(x, self.dim, self.length, "CatTransform", what)
        bounds = np.cumsum([0] + self.lengths)
        return [_take(x, axis, slice(int(a), int(b))) for a, b in zip(bounds[:-1], bounds[1:])]

    def _call(self, x: Tensor) -> Tensor:
        parts = [t(s) for t, s in zip(self.transforms, self._slices(x, "x"))]
        return concatenate(parts, axis=self.dim)

    def _inverse(self, y: Tensor) -> Tensor:
        parts = [t.inv(s) for t, s in zip(self.transforms, self._slices(y, "y"))]
        return concatenate(parts, axis=self.dim)

    def log_abs_det_jacobian(self, x: Any, y: Any) -> Tensor:
        """The parts' log |det J| on their slices: concatenated along ``dim`` when it is a batch
        axis, summed when it falls inside the events."""
        x, y = _t(x), _t(y)
        ev = self.event_dim
        terms = []
        for t, xs, ys in zip(self.transforms, self._slices(x, "x"), self._slices(y, "y")):
            terms.append(sum_rightmost(t.log_abs_det_jacobian(xs, ys), ev - t.event_dim))
        dim = (self.dim - x.ndim if self.dim >= 0 else self.dim) + ev
        if dim < 0:
            return concatenate(terms, axis=dim)
        total = terms[0]
        for v in terms[1:]:
            total = total + v
        return total


class StackTransform(_IdentityEq, Transform):
    """``tseq[i]`` applied to the i-th index along ``dim``, the results stacked back."""

    def __init__(self, tseq: Any, dim: int = 0, cache_size: int = 0) -> None:
        tseq = list(tseq)
        if not all(isinstance(t, Transform) for t in tseq):
            raise TypeError("StackTransform: every element of tseq must be a Transform")
        super().__init__(cache_size)
        self.transforms = [t.with_cache(cache_size) for t in tseq] if cache_size else tseq
        self.dim = dim
        self.bijective = all(t.bijective for t in self.transforms)

    @property
    def domain(self) -> constraints.Constraint:  # type: ignore[override]
        """``stack`` of the parts' domains."""
        return constraints.stack([t.domain for t in self.transforms], self.dim)

    @property
    def codomain(self) -> constraints.Constraint:  # type: ignore[override]
        """``stack`` of the parts' codomains."""
        return constraints.stack([t.codomain for t in self.transforms], self.dim)

    def with_cache(self, cache_size: int = 1) -> Transform:
        """The same with ``cache_size``."""
        if self._cache_size == cache_size:
            return self
        return StackTransform(self.transforms, self.dim, cache_size)

    def _slices(self, x: Tensor, what: str) -> list:
        axis = _check_axis(x, self.dim, len(self.transforms), "StackTransform", what)
        return [_take(x, axis, i) for i in range(len(self.transforms))]

    def _call(self, x: Tensor) -> Tensor:
        return stack([t(s) for t, s in zip(self.transforms, self._slices(x, "x"))], axis=self.dim)

    def _inverse(self, y: Tensor) -> Tensor:
        return stack([t.inv(s) for t, s in zip(self.transforms, self._slices(y, "y"))], axis=self.dim)

    def log_abs_det_jacobian(self, x: Any, y: Any) -> Tensor:
        """The parts' log |det J| on their indices, stacked along ``dim``."""
        x, y = _t(x), _t(y)
        pairs = zip(self.transforms, self._slices(x, "x"), self._slices(y, "y"))
        return stack([t.log_abs_det_jacobian(xs, ys) for t, xs, ys in pairs], axis=self.dim)


class CumulativeDistributionTransform(_IdentityEq, Transform):
    """y = F(x), the cdf of ``distribution``: onto the unit interval, increasing; log |det J| is
    the distribution's log density."""

    bijective = True

    codomain = constraints.unit_interval
    sign = 1

    def __init__(self, distribution: Any, cache_size: int = 0) -> None:
        super().__init__(cache_size)
        self.distribution = distribution

    @property
    def domain(self) -> constraints.Constraint:  # type: ignore[override]
        """The distribution's support."""
        return self.distribution.support

    def with_cache(self, cache_size: int = 1) -> Transform:
        """The same distribution with ``cache_size``."""
        if self._cache_size == cache_size:
            return self
        return CumulativeDistributionTransform(self.distribution, cache_size)

    def _call(self, x: Tensor) -> Tensor:
        return self.distribution.cdf(x)

    def _inverse(self, y: Tensor) -> Tensor:
        return self.distribution.icdf(y)

    def log_abs_det_jacobian(self, x: Any, y: Any) -> Tensor:
        """log p(x)."""
        return self.distribution.log_prob(x)
