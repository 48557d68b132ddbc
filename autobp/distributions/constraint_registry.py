"""PyTorch's ``torch.distributions.constraint_registry``: ``biject_to(c)`` gives a bijective transform
from unconstrained reals onto constraint ``c`` (for densities: HMC, reparametrised variational
families) and ``transform_to(c)`` any transform onto it (for optimisation); ``register`` adds a
constraint class of your own."""

from __future__ import annotations

from collections.abc import Callable
from numbers import Number
from typing import Any

from . import constraints
from .constraints import Constraint
from .transforms import (
    AffineTransform,
    CatTransform,
    ComposeTransform,
    CorrCholeskyTransform,
    ExpTransform,
    IndependentTransform,
    LowerCholeskyTransform,
    PositiveDefiniteTransform,
    SigmoidTransform,
    SoftmaxTransform,
    StackTransform,
    StickBreakingTransform,
    Transform,
    identity_transform,
)


class ConstraintRegistry:
    """A map from constraint classes to factories ``f(constraint) -> Transform``, looked up by the
    exact class of the constraint asked about."""

    def __init__(self) -> None:
        self._registry: dict = {}

    def register(self, constraint: Any, factory: Callable | None = None) -> Any:
        """Register ``factory`` for a Constraint subclass (or the class of a constraint object);
        without ``factory``, a decorator doing it."""
        if factory is None:
            return lambda f: self.register(constraint, f)
        if isinstance(constraint, Constraint):
            constraint = type(constraint)
        if not isinstance(constraint, type) or not issubclass(constraint, Constraint):
            raise TypeError(
                f"Expected constraint to be either a Constraint subclass or instance, but got {constraint}"
            )
        self._registry[constraint] = factory
        return factory

    def __call__(self, constraint: Constraint) -> Transform:
        """The registered factory's transform for ``constraint``; NotImplementedError when its class
        has none."""
        try:
            factory = self._registry[type(constraint)]
        except KeyError:
            raise NotImplementedError(f"Cannot transform {type(constraint).__name__} constraints") from None
        return factory(constraint)


biject_to = ConstraintRegistry()
transform_to = ConstraintRegistry()


def _both(*cs: Any) -> Callable:
    def deco(f: Callable) -> Callable:
        for c in cs:
            biject_to.register(c, f)
            transform_to.register(c, f)
        return f

    return deco


@_both(constraints.real)
def _to_real(constraint: Constraint) -> Transform:
    return identity_transform


def _independent(registry: ConstraintRegistry) -> Callable:
    def make(constraint: Any) -> Transform:
        base = registry(constraint.base_constraint)
        return IndependentTransform(base, constraint.reinterpreted_batch_ndims)

    return make


for _reg in (biject_to, transform_to):
    _reg.register(constraints.independent(constraints.real, 1), _independent(_reg))
    _reg.register(constraints.real_vector, _independent(_reg))  # its own class here, an independent in torch


@_both(constraints.greater_than(0.0), constraints.greater_than_eq(0.0))
def _to_greater_than(constraint: Any) -> Transform:
    # positive and nonnegative are instances of these classes, so they get this too (as in PyTorch)
    return ComposeTransform([ExpTransform(), AffineTransform(constraint.lower_bound, 1)])


@_both(constraints.less_than(0.0))
def _to_less_than(constraint: Any) -> Transform:
    return ComposeTransform([ExpTransform(), AffineTransform(constraint.upper_bound, -1)])


@_both(constraints.interval(0.0, 1.0), constraints.half_open_interval(0.0, 1.0))
def _to_interval(constraint: Any) -> Transform:
    lo, hi = constraint.lower_bound, constraint.upper_bound
    if isinstance(lo, Number) and lo == 0 and isinstance(hi, Number) and hi == 1:
        return SigmoidTransform()
    return ComposeTransform([SigmoidTransform(), AffineTransform(lo, hi - lo)])


biject_to.register(constraints.simplex, lambda c: StickBreakingTransform())
transform_to.register(constraints.simplex, lambda c: SoftmaxTransform())
transform_to.register(constraints.lower_cholesky, lambda c: LowerCholeskyTransform())
transform_to.register(constraints.positive_definite, lambda c: PositiveDefiniteTransform())
transform_to.register(constraints.positive_semidefinite, lambda c: PositiveDefiniteTransform())
_both(constraints.corr_cholesky)(lambda c: CorrCholeskyTransform())


def _cat(registry: ConstraintRegistry) -> Callable:
    return lambda c: CatTransform([registry(x) for x in c.cseq], c.dim, c.lengths)


def _stack(registry: ConstraintRegistry) -> Callable:
    return lambda c: StackTransform([registry(x) for x in c.cseq], c.dim)


for _reg in (biject_to, transform_to):
    _reg.register(constraints.cat, _cat(_reg))
    _reg.register(constraints.stack, _stack(_reg))

__all__ = ["ConstraintRegistry", "biject_to", "transform_to"]
