"""numpy.testing's assertions, reachable as ``autobp.testing.<name>`` (so ``import autobp as np;
np.testing.assert_allclose(...)`` works); the value comparisons take Tensors too and compare their values."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.testing as npt

from ..tensor import Tensor

# the comparisons, wrapped below; numpy's other public names (assert_raises, assert_warns,
# suppress_warnings, ...) are numpy's objects, re-exported as they are
WRAPPED = (
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
)


def _v(x: Any) -> Any:
    """A Tensor's values (also inside lists, tuples and dict values); anything else as it is. A 0-d
    Tensor is its numpy scalar, as numpy's functions return one (numpy compares scalars in float64,
    0-d arrays in their own dtype: a float16 result would miss assert_almost_equal's 1.5e-12)."""
    if isinstance(x, Tensor):
        return x._data[()] if x._data.ndim == 0 else x._data
    if isinstance(x, (list, tuple)) and any(isinstance(i, (Tensor, list, tuple, dict)) for i in x):
        if hasattr(x, "_fields"):  # a named tuple (slogdet, eigh, qr, ... results): fields positional
            return type(x)(*(_v(i) for i in x))
        return type(x)(_v(i) for i in x)
    if isinstance(x, dict):
        return {k: _v(i) for k, i in x.items()}
    return x


def assert_equal(actual: Any, desired: Any, *args: Any, **kwargs: Any) -> None:
    """numpy.testing.assert_equal; Tensors compare by their values."""
    npt.assert_equal(_v(actual), _v(desired), *args, **kwargs)


def assert_almost_equal(actual: Any, desired: Any, *args: Any, **kwargs: Any) -> None:
    """numpy.testing.assert_almost_equal; Tensors compare by their values."""
    npt.assert_almost_equal(_v(actual), _v(desired), *args, **kwargs)


def assert_approx_equal(actual: Any, desired: Any, *args: Any, **kwargs: Any) -> None:
    """numpy.testing.assert_approx_equal; 0-d Tensors compare by their values."""
    a, d = _v(actual), _v(desired)
    npt.assert_approx_equal(
        a[()] if isinstance(a, np.ndarray) else a, d[()] if isinstance(d, np.ndarray) else d, *args, **kwargs
    )


def assert_array_equal(actual: Any, desired: Any, *args: Any, **kwargs: Any) -> None:
    """numpy.testing.assert_array_equal; Tensors compare by their values."""
    npt.assert_array_equal(_v(actual), _v(desired), *args, **kwargs)


def assert_array_less(x: Any, y: Any, *args: Any, **kwargs: Any) -> None:
    """numpy.testing.assert_array_less; Tensors compare by their values."""
    npt.assert_array_less(_v(x), _v(y), *args, **kwargs)


def assert_array_almost_equal(actual: Any, desired: Any, *args: Any, **kwargs: Any) -> None:
    """numpy.testing.assert_array_almost_equal; Tensors compare by their values."""
    npt.assert_array_almost_equal(_v(actual), _v(desired), *args, **kwargs)


def assert_array_almost_equal_nulp(x: Any, y: Any, nulp: int = 1) -> None:
    """numpy.testing.assert_array_almost_equal_nulp; Tensors compare by their values."""
    npt.assert_array_almost_equal_nulp(_v(x), _v(y), nulp)


def assert_array_max_ulp(a: Any, b: Any, maxulp: int = 1, dtype: Any = None) -> np.ndarray:
    """numpy.testing.assert_array_max_ulp; Tensors compare by their values."""
    return npt.assert_array_max_ulp(_v(a), _v(b), maxulp, dtype)


def assert_allclose(actual: Any, desired: Any, *args: Any, **kwargs: Any) -> None:
    """numpy.testing.assert_allclose; Tensors compare by their values."""
    npt.assert_allclose(_v(actual), _v(desired), *args, **kwargs)


def assert_array_compare(comparison: Any, x: Any, y: Any, *args: Any, **kwargs: Any) -> None:
    """numpy.testing.assert_array_compare; Tensors compare by their values."""
    npt.assert_array_compare(comparison, _v(x), _v(y), *args, **kwargs)


def _numpy_names() -> tuple[list[str], dict[str, Any]]:
    """numpy.testing's other functions and classes (for __all__), and its constants and modules
    (attributes only)."""
    import inspect

    listed, attributes = [], {}
    for name in npt.__all__:
        if name in WRAPPED or not hasattr(npt, name):
            continue
        obj = getattr(npt, name)
        if (inspect.isfunction(obj) or inspect.isclass(obj) or inspect.isbuiltin(obj)) and obj.__doc__:
            listed.append(name)  # (numpy's build_err_msg and runstring have no docstring: attributes only)
        attributes[name] = obj
    return listed, attributes


NUMPY_ALL, NUMPY_ATTRIBUTES = _numpy_names()
