"""More of PyTorch's constraints: matrix ones (``lower_triangular``, ``square``, ``symmetric``,
``positive_semidefinite``), ``multinomial`` count vectors, and the ``dependent`` placeholder with
``is_dependent``; re-exported by ``autobp.distributions.constraints``."""

from __future__ import annotations

from typing import Any

import numpy as np

from .constraints import Constraint, _np


class _LowerTriangular(Constraint):
    event_dim = 2

    def check(self, value: Any) -> np.ndarray:
        """Zero above the diagonal."""
        v = _np(value)
        return np.all(np.tril(v) == v, axis=(-2, -1))


class _Square(Constraint):
    event_dim = 2

    def check(self, value: Any) -> np.ndarray:
        """As many rows as columns (one answer for the whole batch)."""
        v = _np(value)
        return np.full(v.shape[:-2], v.shape[-2] == v.shape[-1], dtype=bool)


class _Symmetric(_Square):
    def check(self, value: Any) -> np.ndarray:
        """Square and equal to its transpose (to 1e-6)."""
        v = _np(value)
        sq = super().check(v)
        if not sq.all():
            return sq
        return np.all(np.isclose(v, np.swapaxes(v, -1, -2), atol=1e-6), axis=(-2, -1))


class _PositiveSemidefinite(_Symmetric):
    def check(self, value: Any) -> np.ndarray:
        """Symmetric with non-negative eigenvalues."""
        v = _np(value)
        sym = super().check(v)
        if not sym.all():
            return sym
        return np.all(np.linalg.eigvalsh(v) >= 0, axis=-1)


class _Multinomial(Constraint):
    is_discrete = True
    event_dim = 1

    def __init__(self, upper_bound: Any) -> None:
        self.upper_bound = upper_bound

    def check(self, value: Any) -> np.ndarray:
        """Non-negative counts summing to at most upper_bound."""
        v = _np(value)
        return np.all(v >= 0, axis=-1) & (v.sum(-1) <= _np(self.upper_bound))

    def __repr__(self) -> str:
        return f"Multinomial(upper_bound={_np(self.upper_bound)})"


class _Dependent(Constraint):
    """A placeholder for a set that depends on other parameters: it cannot check values."""

    def __init__(self, *, is_discrete: Any = NotImplemented, event_dim: Any = NotImplemented) -> None:
        self._is_discrete, self._event_dim = is_discrete, event_dim

    @property
    def is_discrete(self) -> bool:  # type: ignore[override]
        """Set at construction, else not known."""
        if self._is_discrete is NotImplemented:
            raise NotImplementedError(".is_discrete cannot be determined statically")
        return self._is_discrete

    @property
    def event_dim(self) -> int:  # type: ignore[override]
        """Set at construction, else not known."""
        if self._event_dim is NotImplemented:
            raise NotImplementedError(".event_dim cannot be determined statically")
        return self._event_dim

    def __call__(self, *, is_discrete: Any = NotImplemented, event_dim: Any = NotImplemented) -> _Dependent:
        """A dependent constraint with these static attributes (unset ones kept)."""
        if is_discrete is NotImplemented:
            is_discrete = self._is_discrete
        if event_dim is NotImplemented:
            event_dim = self._event_dim
        return _Dependent(is_discrete=is_discrete, event_dim=event_dim)

    def check(self, value: Any) -> np.ndarray:
        """Always an error: the set is not known on its own."""
        raise ValueError("Cannot determine validity of dependent constraint")


def is_dependent(constraint: Any) -> bool:
    """Whether ``constraint`` is the ``dependent`` placeholder (or one made from it)."""
    return isinstance(constraint, _Dependent)


def multinomial(upper_bound: Any) -> Constraint:
    """Count vectors: non-negative entries summing to at most ``upper_bound``."""
    return _Multinomial(upper_bound)


dependent = _Dependent()
lower_triangular = _LowerTriangular()
square = _Square()
symmetric = _Symmetric()
positive_semidefinite = _PositiveSemidefinite()
