"""Constraints on parameters and values (PyTorch's ``torch.distributions.constraints``): each one
says which numbers are allowed and checks arrays of them, for ``validate_args`` and ``support``."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor


def _np(x: Any) -> np.ndarray:
    return x._data if isinstance(x, Tensor) else np.asarray(x)


class Constraint:
    """A set of allowed values; ``check(x)`` is a boolean array over x's batch (its event dims reduced)."""

    is_discrete = False
    event_dim = 0

    def check(self, value: Any) -> np.ndarray:
        """Which entries of ``value`` lie in the set."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__.lstrip('_')}()"


class _Real(Constraint):
    def check(self, value: Any) -> np.ndarray:
        v = _np(value)
        return v == v  # not nan


class _Boolean(Constraint):
    is_discrete = True

    def check(self, value: Any) -> np.ndarray:
        v = _np(value)
        return (v == 0) | (v == 1)


class _GreaterThan(Constraint):
    def __init__(self, lower_bound: float) -> None:
        self.lower_bound = lower_bound

    def check(self, value: Any) -> np.ndarray:
        return self.lower_bound < _np(value)

    def __repr__(self) -> str:
        return f"GreaterThan(lower_bound={_np(self.lower_bound)})"


class _GreaterThanEq(_GreaterThan):
    def check(self, value: Any) -> np.ndarray:
        return self.lower_bound <= _np(value)

    def __repr__(self) -> str:
        return f"GreaterThanEq(lower_bound={self.lower_bound})"


class _LessThan(Constraint):
    def __init__(self, upper_bound: Any) -> None:
        self.upper_bound = upper_bound

    def check(self, value: Any) -> np.ndarray:
        return _np(value) < _np(self.upper_bound)

    def __repr__(self) -> str:
        return f"LessThan(upper_bound={_np(self.upper_bound)})"


class _Interval(Constraint):
    def __init__(self, lower_bound: Any, upper_bound: Any) -> None:
        self.lower_bound, self.upper_bound = lower_bound, upper_bound

    def check(self, value: Any) -> np.ndarray:
        v = _np(value)
        return (_np(self.lower_bound) <= v) & (v <= _np(self.upper_bound))

    def __repr__(self) -> str:
        return f"Interval(lower_bound={self.lower_bound}, upper_bound={self.upper_bound})"


class _HalfOpenInterval(_Interval):
    def check(self, value: Any) -> np.ndarray:
        v = _np(value)
        return (_np(self.lower_bound) <= v) & (v < _np(self.upper_bound))

    def __repr__(self) -> str:
        return f"HalfOpenInterval(lower_bound={self.lower_bound}, upper_bound={self.upper_bound})"


class _IntegerInterval(_Interval):
    is_discrete = True

    def check(self, value: Any) -> np.ndarray:
        v = _np(value)
        return (v % 1 == 0) & super().check(v)

    def __repr__(self) -> str:
        return f"IntegerInterval(lower_bound={self.lower_bound}, upper_bound={self.upper_bound})"


class _IntegerGreaterThanEq(_GreaterThanEq):
    is_discrete = True

    def check(self, value: Any) -> np.ndarray:
        v = _np(value)
        return (v % 1 == 0) & super().check(v)

    def __repr__(self) -> str:
        return f"IntegerGreaterThan(lower_bound={self.lower_bound})"


class _Simplex(Constraint):
    event_dim = 1

    def check(self, value: Any) -> np.ndarray:
        v = _np(value)
        tol = 1e-6 if v.dtype == np.float32 else 1e-6
        return np.all(v >= 0, axis=-1) & (np.abs(v.sum(-1) - 1) < tol)


class _OneHot(Constraint):
    is_discrete = True
    event_dim = 1

    def check(self, value: Any) -> np.ndarray:
        v = _np(value)
        return np.all((v == 0) | (v == 1), axis=-1) & (v.sum(-1) == 1)


class _Independent(Constraint):
    """A constraint on events of ``reinterpreted_batch_ndims`` more dimensions."""

    def __init__(self, base: Constraint, reinterpreted_batch_ndims: int) -> None:
        self.base_constraint, self.reinterpreted_batch_ndims = base, reinterpreted_batch_ndims
        self.is_discrete = base.is_discrete
        self.event_dim = base.event_dim + reinterpreted_batch_ndims

    def check(self, value: Any) -> np.ndarray:
        ok = self.base_constraint.check(value)
        n = self.reinterpreted_batch_ndims
        return ok.reshape(ok.shape[: ok.ndim - n] + (-1,)).all(-1) if n else ok

    def __repr__(self) -> str:
        return f"IndependentConstraint({self.base_constraint!r}, {self.reinterpreted_batch_ndims})"


class MixtureSameFamilyConstraint(Constraint):
    """A component constraint checked on a value given back the component axis (so that bounds with
    a component axis, like a Binomial's total_count, broadcast), all components agreeing."""

    def __init__(self, base_constraint: Constraint) -> None:
        self.base_constraint = base_constraint
        self.is_discrete, self.event_dim = base_constraint.is_discrete, base_constraint.event_dim

    def check(self, value: Any) -> np.ndarray:
        """Whether ``value`` is within every component's support."""
        v = _np(value)
        if v.ndim < self.event_dim:
            raise ValueError(f"Expected value.ndim >= {self.event_dim} but got {v.ndim}")
        ok = np.asarray(self.base_constraint.check(np.expand_dims(v, v.ndim - self.event_dim)))
        keep = v.ndim - self.event_dim
        return ok.reshape(ok.shape[:keep] + (-1,)).all(-1)

    def __repr__(self) -> str:
        return f"MixtureSameFamilyConstraint({self.base_constraint!r})"


class _RealVector(_Independent):
    def __init__(self) -> None:
        super().__init__(_Real(), 1)

    def __repr__(self) -> str:
        return "IndependentConstraint(Real(), 1)"


class _LowerCholesky(Constraint):
    event_dim = 2

    def check(self, value: Any) -> np.ndarray:
        v = _np(value)
        lower = np.all(np.abs(np.triu(v, 1)) == 0, axis=(-2, -1))
        return lower & np.all(np.diagonal(v, axis1=-2, axis2=-1) > 0, axis=-1)


class _PositiveDefinite(Constraint):
    event_dim = 2

    def check(self, value: Any) -> np.ndarray:
        v = _np(value)
        sym = np.all(np.abs(v - np.swapaxes(v, -1, -2)) <= 1e-6 * (1 + np.abs(v)), axis=(-2, -1))
        try:
            return sym & np.all(np.linalg.eigvalsh(v) > 0, axis=-1)
        except np.linalg.LinAlgError:
            return np.zeros(v.shape[:-2], bool)


def greater_than(lower_bound: float) -> Constraint:
    """Numbers above ``lower_bound``."""
    return _GreaterThan(lower_bound)


def greater_than_eq(lower_bound: float) -> Constraint:
    """Numbers at or above ``lower_bound``."""
    return _GreaterThanEq(lower_bound)


def less_than(upper_bound: Any) -> Constraint:
    """Numbers below ``upper_bound``."""
    return _LessThan(upper_bound)


def interval(lower_bound: Any, upper_bound: Any) -> Constraint:
    """The closed interval [lower_bound, upper_bound]."""
    return _Interval(lower_bound, upper_bound)


def half_open_interval(lower_bound: Any, upper_bound: Any) -> Constraint:
    """The interval [lower_bound, upper_bound)."""
    return _HalfOpenInterval(lower_bound, upper_bound)


def integer_interval(lower_bound: Any, upper_bound: Any) -> Constraint:
    """The integers in [lower_bound, upper_bound]."""
    return _IntegerInterval(lower_bound, upper_bound)


def independent(base: Constraint, reinterpreted_batch_ndims: int) -> Constraint:
    """``base`` on events with ``reinterpreted_batch_ndims`` more dimensions."""
    return _Independent(base, reinterpreted_batch_ndims)


real = _Real()
real_vector = _RealVector()
boolean = _Boolean()
positive = _GreaterThan(0.0)
nonnegative = _GreaterThanEq(0.0)
unit_interval = _Interval(0.0, 1.0)
nonnegative_integer = _IntegerGreaterThanEq(0)
positive_integer = _IntegerGreaterThanEq(1)
simplex = _Simplex()
one_hot = _OneHot()
lower_cholesky = _LowerCholesky()
positive_definite = _PositiveDefinite()

__all__ = [
    "Constraint", "MixtureSameFamilyConstraint", "greater_than", "less_than", "greater_than_eq", "interval",
    "half_open_interval", "integer_interval", "independent", "real", "real_vector", "boolean", "positive",
    "nonnegative",
    "unit_interval",
    "nonnegative_integer", "positive_integer", "simplex", "one_hot", "lower_cholesky", "positive_definite",
]  # fmt: skip

from .constraints_matrix import (  # noqa: E402  (they build on the classes above)
    dependent,
    is_dependent,
    lower_triangular,
    multinomial,
    positive_semidefinite,
    square,
    symmetric,
)

__all__ += [
    "dependent", "is_dependent", "lower_triangular", "multinomial", "positive_semidefinite", "square",
    "symmetric",
]  # fmt: skip

from .constraints_struct import cat, corr_cholesky, stack  # noqa: E402

__all__ += ["cat", "stack", "corr_cholesky"]
