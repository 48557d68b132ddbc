"""Limit numpy's BLAS threads for the examples' small matrices, where OpenBLAS's threads only add
synchronisation (and, on a busy machine, make a step 20x slower); a no-op without threadpoolctl."""

from __future__ import annotations

import contextlib
from typing import Any


def blas_threads(n: int | None) -> Any:
    """A context in which numpy's BLAS uses ``n`` threads (None: leave it as it is)."""
    if n is None:
        return contextlib.nullcontext()
    try:
        from threadpoolctl import threadpool_limits  # installed with scikit-learn
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(limits=n, user_api="blas")
