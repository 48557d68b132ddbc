"""scipy.stats' answer outside a distribution's domain: nan wherever a shape parameter fails the
distribution's rule, ``scale`` is not positive, or the point itself (x, k, q) is nan. One class
decorator per distribution states the rule next to its formulas; without it the formulas gave finite
numbers there (norm.cdf(0.5, 0, -1) was 0.31, truncnorm with a >= b a density)."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

import numpy as np

from ._common import data, outside

_METHODS = frozenset(
    {"logpdf", "pdf", "cdf", "logcdf", "sf", "logsf", "ppf", "isf", "logpmf", "pmf", "entropy"}
)


def valid(rule: Callable | None = None, *, scale: bool = True) -> Callable:
    """Class decorator: each of the class's density/distribution functions returns nan where
    ``rule`` (called with the numbers of the shape parameters its own arguments name, e.g.
    ``lambda a, b: a < b``) is false, where ``scale <= 0`` (``scale=True``, the continuous
    families) and where the first argument is nan; elsewhere its value and gradient are unchanged."""

    def decorate(cls: type) -> type:
        for name, obj in list(vars(cls).items()):
            if name in _METHODS and isinstance(obj, staticmethod):
                setattr(cls, name, staticmethod(_checked(obj.__func__, rule, scale)))
        return cls

    return decorate


def _checked(fn: Callable, rule: Callable | None, scale: bool) -> Callable:
    sig = inspect.signature(fn)
    shapes = list(inspect.signature(rule).parameters) if rule is not None else []
    first = next(iter(sig.parameters))
    point = first if first not in shapes and first != "scale" else None

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        out = fn(*args, **kwargs)
        bound = sig.bind(*args, **kwargs)
        bound.apply_defaults()
        given = bound.arguments
        with np.errstate(invalid="ignore"):
            bad = np.zeros((), dtype=bool)
            if rule is not None:
                bad = ~np.asarray(rule(*(_numbers(given[n]) for n in shapes)), dtype=bool)
            if scale and "scale" in given:
                bad = bad | ~(_numbers(given["scale"]) > 0)
            if point is not None:
                bad = bad | np.isnan(_numbers(given[point]))
        return outside(bad, np.nan, out) if np.any(bad) else out

    wrapper.__signature__ = sig  # type: ignore[attr-defined]
    return wrapper


def _numbers(v: Any) -> np.ndarray:
    """The values of an argument as a float array (for the masks only)."""
    return np.asarray(data(v), dtype=np.float64)


def is_count(n: np.ndarray) -> np.ndarray:
    """n is a whole number >= 0 (binom's and betabinom's n)."""
    return (n >= 0) & (n == np.floor(n))
