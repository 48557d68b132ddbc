"""PyTorch's ``torch.backends.mkl``: whether Intel MKL does the linear algebra. For autobp that is
numpy's BLAS, as numpy's build information names it."""

from __future__ import annotations

from ._numpy_blas import blas_description


def is_available() -> bool:
    """Whether numpy's BLAS is Intel MKL (``numpy.show_config()``; OpenBLAS wheels from PyPI: False).
    PyTorch answers for its own build instead."""
    return "mkl" in blas_description()


__all__ = ["is_available"]
