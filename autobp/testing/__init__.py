"""Hypothesis strategies and assertions for property-testing autobp code (and your own).

Needs the optional dependency hypothesis: ``pip install "autobp[testing]"``.
"""

try:
    import hypothesis  # noqa: F401
except ImportError as e:  # pragma: no cover - exercised only without hypothesis
    raise ImportError(
        "autobp.testing needs hypothesis; install it with: pip install \"autobp[testing]\""
    ) from e

from .strategies import (
    arrays,
    axes,
    broadcastable_pair,
    kink_free,
    shapes,
    single_axis,
    tensors,
)

__all__ = ["arrays", "axes", "broadcastable_pair", "kink_free", "shapes", "single_axis", "tensors"]
