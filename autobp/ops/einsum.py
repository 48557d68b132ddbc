"""einsum (any subscripts numpy accepts) and the tensor products built on it: tensordot, inner, outer,
kron, dot, vdot."""

from __future__ import annotations
