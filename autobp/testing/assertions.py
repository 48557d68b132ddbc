"""Gradient assertions for tests: gradcheck as a plain ``assert``, usable inside hypothesis ``@given``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..gradcheck import GradcheckError, gradcheck, gradgradcheck
from ..tensor import Tensor


def assert_gradients_close(
    fn: Callable[..., Any],
    *inputs: Any,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    second_order: bool = False,
    fast_mode: bool = False,
) -> None:
    """Fail with gradcheck's report unless fn's gradients match central differences.

    ``inputs`` are Tensors (those with ``requires_grad`` are checked), Values,
    other arguments, or float ndarrays (checked, as Tensors that require grad).
    ``second_order=True`` also runs gradgradcheck.

    >>> assert_gradients_close(lambda x: (x * x).sum(), np.array([1.0, 2.0]))
    """
    args = tuple(
        Tensor(a, requires_grad=True, dtype=a.dtype)
        if isinstance(a, np.ndarray) and a.dtype.kind == "f"
        else a
        for a in inputs
    )
    options = dict(eps=eps, atol=atol, rtol=rtol, fast_mode=fast_mode)
    try:
        gradcheck(fn, args, **options)
        if second_order:
            gradgradcheck(fn, args, **options)
    except GradcheckError as e:
        raise AssertionError(e.report) from None
