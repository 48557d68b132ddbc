"""PyTorch's ``torch.backends.openmp``: whether OpenMP runs the threads. For autobp that is numpy's
BLAS, as numpy's build information describes it."""

from __future__ import annotations

from ._numpy_blas import blas_description


def is_available() -> bool:
    """Whether numpy's BLAS is built with OpenMP threads (``numpy.show_config()`` says "openmp";
    the OpenBLAS of numpy's PyPI wheels uses its own threads: False). PyTorch answers for its own build."""
    return "openmp" in blas_description()


__all__ = ["is_available"]
