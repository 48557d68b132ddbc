"""PyTorch's deprecated value-first overloads of addcmul/addcdiv (``addcmul(input, value, t1, t2)``,
the methods and the in-place forms alike), with PyTorch's deprecation warning."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

_OLD_ADDC = "Tensor input, Number value, Tensor tensor1, Tensor tensor2"


def _old_addc(name: str, tensor1: Any, tensor2: Any, old: tuple) -> tuple:
    """PyTorch's deprecated ``addcmul(input, value, tensor1, tensor2)`` (and addcdiv's, and the methods'):
    value, tensor1, tensor2, after PyTorch's deprecation warning (pointing at the caller's line)."""
    if len(old) != 1:
        raise TypeError(
            f"{name}: takes input, tensor1, tensor2 (or the deprecated input, value, tensor1, tensor2)"
        )
    if not isinstance(tensor1, (int, float, complex, np.number)) or isinstance(tensor1, bool):
        raise TypeError(
            f"{name}: too many positional arguments (the deprecated {name}({_OLD_ADDC}) form needs a number "
            f"second, got {type(tensor1).__name__})"
        )
    warnings.warn(
        f"This overload of {name} is deprecated:\n\t{name}({_OLD_ADDC})\nConsider using one of the following "
        f"signatures instead:\n\t{name}(Tensor input, Tensor tensor1, Tensor tensor2, *, Number value = 1)",
        UserWarning,
        stacklevel=4,
    )
    return tensor1, tensor2, old[0]
