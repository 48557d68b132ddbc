"""The base of ``autobp.distributions.transforms`` (PyTorch's ``Transform``): caching of the last
(x, y) pair, the inverse view ``.inv``, ``with_cache``, shapes, equality; kept apart from the
concrete transforms for file size."""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np

from ..tensor import Tensor
from . import constraints


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
    bijective = False  # PyTorch's default; each invertible transform says True

    def __init__(self, cache_size: int = 0) -> None:
        if cache_size not in (0, 1):
            raise ValueError(f"cache_size must be 0 or 1, got {cache_size!r}")
        self._cache_size, self._cached = cache_size, None
        self._inv_ref: Any = None

    @property
    def sign(self) -> Any:
        """+1 or -1 for a monotone map of one variable; not defined here (PyTorch raises too)."""
        raise NotImplementedError(f"{type(self).__name__} has no sign")

    @property
    def event_dim(self) -> int:
        """The number of rightmost axes the transform acts on jointly (an error when the domain's
        and codomain's differ: ask them)."""
        d, c = self.domain.event_dim, self.codomain.event_dim
        if d != c:
            raise ValueError(
                f"{type(self).__name__}: domain.event_dim {d} != codomain.event_dim {c}; "
                "use either .domain.event_dim or .codomain.event_dim"
            )
        return d

    @property
    def inv(self) -> Transform:
        """The inverse transform (one object while it is alive, so ``t.inv is t.inv``)."""
        inv = None if getattr(self, "_inv_ref", None) is None else self._inv_ref()
        if inv is None:
            inv = _InverseTransform(self)
            self._inv_ref = weakref.ref(inv)
        return inv

    def with_cache(self, cache_size: int = 1) -> Transform:
        """This transform with ``cache_size`` (itself when it already has it)."""
        if getattr(self, "_cache_size", 0) == cache_size:
            return self
        if type(self).__init__ is Transform.__init__:
            return type(self)(cache_size=cache_size)
        raise NotImplementedError(f"{type(self).__name__}.with_cache is not implemented")

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
        raise NotImplementedError(f"{type(self).__name__} has no inverse")

    def log_abs_det_jacobian(self, x: Any, y: Any) -> Tensor:
        """log |dy/dx| at x (with y = f(x))."""
        raise NotImplementedError(f"{type(self).__name__} has no log_abs_det_jacobian")

    def __getstate__(self) -> dict:
        """The instance's state without the weak reference to its inverse (which cannot be pickled)."""
        state = self.__dict__.copy()
        state["_inv_ref"] = None
        return state

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash(type(self))

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class _InverseTransform(Transform):
    def __init__(self, transform: Transform) -> None:
        super().__init__(getattr(transform, "_cache_size", 0))
        self._inv = transform
        self.domain, self.codomain = transform.codomain, transform.domain
        self.bijective = transform.bijective

    @property
    def sign(self) -> Any:  # type: ignore[override]
        """The inverted transform's sign."""
        return self._inv.sign

    @property
    def inv(self) -> Transform:
        return self._inv

    def with_cache(self, cache_size: int = 1) -> Transform:
        """The inverse of the inverted transform with ``cache_size``."""
        return self._inv.with_cache(cache_size).inv

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

    def __repr__(self) -> str:
        return f"_InverseTransform({self._inv!r})"


class _IdentityEq:
    """Mixin: equal only to itself (PyTorch's default for transforms with parameters)."""

    def __eq__(self, other: object) -> bool:
        return self is other

    def __hash__(self) -> int:
        return id(self)
