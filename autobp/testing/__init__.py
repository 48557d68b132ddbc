"""Hypothesis strategies and gradient assertions for property-testing autobp code (and your own), and
numpy.testing's assertions (``assert_allclose``, ``assert_array_equal``, ...; Tensors compare by value).

The strategies need the optional dependency hypothesis (``pip install "autobp[testing]"``);
``assert_gradients_close`` and numpy's assertions work without it.
"""

from typing import Any

from . import numpy_assertions as _numpy_assertions
from .assertions import assert_gradients_close
from .numpy_assertions import (
    assert_allclose,
    assert_almost_equal,
    assert_approx_equal,
    assert_array_almost_equal,
    assert_array_almost_equal_nulp,
    assert_array_compare,
    assert_array_equal,
    assert_array_less,
    assert_array_max_ulp,
    assert_equal,
)
from .torch_assertions import assert_close

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

__all__ = [
    "assert_gradients_close",
    "assert_close",
    *_STRATEGIES,
    "assert_equal",
    "assert_almost_equal",
    "assert_approx_equal",
    "assert_array_equal",
    "assert_array_less",
    "assert_array_almost_equal",
    "assert_array_almost_equal_nulp",
    "assert_array_max_ulp",
    "assert_allclose",
    "assert_array_compare",
]
# numpy.testing's other names (assert_raises, assert_warns, suppress_warnings, ...): numpy's objects
globals().update({n: v for n, v in _numpy_assertions.NUMPY_ATTRIBUTES.items() if n not in globals()})
__all__ += [n for n in _numpy_assertions.NUMPY_ALL if n not in __all__]


def __getattr__(name: str) -> Any:
    """Import the strategies on first use, so the assertions do not need hypothesis."""
    if name in _STRATEGIES:
        from . import strategies

        return getattr(strategies, name)
    raise AttributeError(f"module 'autobp.testing' has no attribute {name!r}")
