"""The error type of bad nn arguments (convolution, pooling, losses): autobp's ValueError and PyTorch's
RuntimeError."""

from __future__ import annotations


class NNArgumentError(ValueError, RuntimeError):
    """An nn argument or input (convolution, pooling, loss) PyTorch refuses with RuntimeError (autobp:
    ValueError); both ``except`` clauses catch it."""
