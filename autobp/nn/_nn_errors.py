"""The error type of bad convolution/pooling arguments: autobp's ValueError and PyTorch's RuntimeError."""

from __future__ import annotations


class NNArgumentError(ValueError, RuntimeError):
    """A convolution/pooling argument or input PyTorch refuses with RuntimeError (autobp: ValueError);
    both ``except`` clauses catch it."""
