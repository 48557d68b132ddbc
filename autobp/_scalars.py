"""Python numbers as 0-d arrays of an operand's dtype, for the hot paths of tiny arrays.

numpy 2 takes a Python scalar operand through its weak-scalar promotion (NEP 50), which on a
(2, 2) array costs about as much again as the arithmetic; a 0-d array of the operand's own dtype
skips it and gives the same numbers bit for bit (numpy casts the weak scalar to that dtype first).
"""

from __future__ import annotations

import numpy as np

FLOATS = (np.dtype(np.float64), np.dtype(np.float32))  # `dt in FLOATS`: no dtype.kind read (a cost)
ONE = {dt: np.array(1.0, dt) for dt in FLOATS}  # 1.0 as each float dtype (read-only, shared)
for _a in ONE.values():
    _a.flags.writeable = False


def as_operand(c: float, dtype: np.dtype) -> float | np.ndarray:
    """``c`` as a 0-d array of ``dtype`` when that is float64 or float32 (the same numbers in any
    elementwise op with an array of that dtype), else ``c`` itself."""
    return np.array(c, dtype) if dtype in FLOATS else c
