"""What numpy's build says of its BLAS, for ``autobp.backends.mkl`` and ``.openmp``: numpy does
autobp's arithmetic, so its libraries are autobp's backends."""

from __future__ import annotations

import functools

import numpy as np


@functools.cache
def blas_description() -> str:
    """numpy's BLAS and LAPACK entries of ``numpy.show_config``, lower-cased ("" if numpy cannot say)."""
    try:
        config = np.show_config(mode="dicts") or {}
    except Exception:  # numpy's build information is optional (a custom build may lack it)
        return ""
    deps = config.get("Build Dependencies", {})
    return " ".join(str(deps.get(name, "")) for name in ("blas", "lapack")).lower()
