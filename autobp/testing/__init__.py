"""Hypothesis strategies and gradient assertions for property-testing autobp code (and your own).

The strategies need the optional dependency hypothesis (``pip install "autobp[testing]"``);
``assert_gradients_close`` works without it.
"""

from typing import Any

from .assertions import assert_gradients_close

_STRATEGIES = (
    "arrays",
    "axes",
    "broadcastable_pair",
    "broadcastable_tensors",
    "kink_free",
    "kink_free_tensors",
    "positive_tensors",
    "shapes",
    "single_axis",
    "tensors",
    "tie_free_tensors",
)

__all__ = ["assert_gradients_close", *_STRATEGIES]


def __getattr__(name: str) -> Any:
    """Import the strategies on first use, so the assertions do not need hypothesis."""
    if name in _STRATEGIES:
        from . import strategies

        return getattr(strategies, name)
    raise AttributeError(f"module 'autobp.testing' has no attribute {name!r}")
