"""PyTorch's structural constraints ``cat`` and ``stack`` (other constraints applied to slices of a
value) and ``corr_cholesky`` (Cholesky factors of correlation matrices); re-exported by
``autobp.distributions.constraints``."""

from __future__ import annotations

from typing import Any

import numpy as np

from .constraints import Constraint, _LowerCholesky, _np


def _check_dim(dim: int, v: np.ndarray, what: str) -> None:
    if not -v.ndim <= dim < v.ndim:
        raise ValueError(f"{what}: dim {dim} is out of range for a value of shape {v.shape}")


class _Cat(Constraint):
    """Constraint ``cseq[i]`` on the i-th slice (of ``lengths[i]`` entries) along ``dim``."""

    def __init__(self, cseq: Any, dim: int = 0, lengths: Any = None) -> None:
        self.cseq = list(cseq)
        if not all(isinstance(c, Constraint) for c in self.cseq):
            raise TypeError("cat: every element of cseq must be a Constraint")
        self.lengths = [1] * len(self.cseq) if lengths is None else list(lengths)
        if len(self.lengths) != len(self.cseq):
            raise ValueError(f"cat: {len(self.lengths)} lengths for {len(self.cseq)} constraints")
        self.dim = dim

    @property
    def is_discrete(self) -> bool:  # type: ignore[override]
        """Whether any part is discrete."""
        return any(c.is_discrete for c in self.cseq)

    @property
    def event_dim(self) -> int:  # type: ignore[override]
        """The largest event_dim of the parts."""
        return max(c.event_dim for c in self.cseq)

    def check(self, value: Any) -> np.ndarray:
        """The parts' checks on their slices, concatenated along ``dim``."""
        v = _np(value)
        _check_dim(self.dim, v, "cat")
        if v.shape[self.dim] != sum(self.lengths):
            raise ValueError(
                f"cat: value of shape {v.shape} has {v.shape[self.dim]} entries along dim {self.dim}, "
                f"lengths sum to {sum(self.lengths)}"
            )
        bounds = np.cumsum([0] + self.lengths)
        parts = [
            np.asarray(c.check(np.take(v, np.arange(a, b), axis=self.dim)))
            for c, a, b in zip(self.cseq, bounds[:-1], bounds[1:])
        ]
        return np.concatenate(parts, axis=self.dim)


class _Stack(Constraint):
    """Constraint ``cseq[i]`` on the i-th index along ``dim``."""

    def __init__(self, cseq: Any, dim: int = 0) -> None:
        self.cseq = list(cseq)
        if not all(isinstance(c, Constraint) for c in self.cseq):
            raise TypeError("stack: every element of cseq must be a Constraint")
        self.dim = dim

    @property
    def is_discrete(self) -> bool:  # type: ignore[override]
        """Whether any part is discrete."""
        return any(c.is_discrete for c in self.cseq)

    @property
    def event_dim(self) -> int:  # type: ignore[override]
        """The largest event_dim of the parts, plus one when ``dim`` falls in the events."""
        dim = max(c.event_dim for c in self.cseq)
        return dim + 1 if self.dim + dim < 0 else dim

    def check(self, value: Any) -> np.ndarray:
        """The parts' checks on their index, stacked along ``dim``."""
        v = _np(value)
        _check_dim(self.dim, v, "stack")
        if v.shape[self.dim] != len(self.cseq):
            raise ValueError(
                f"stack: value of shape {v.shape} has {v.shape[self.dim]} entries along dim {self.dim}, "
                f"expected {len(self.cseq)}"
            )
        parts = [np.asarray(c.check(np.take(v, i, axis=self.dim))) for i, c in enumerate(self.cseq)]
        return np.stack(parts, axis=self.dim)


class _CorrCholesky(Constraint):
    """Lower-triangular matrices with positive diagonal and rows of unit Euclidean norm."""

    event_dim = 2

    def check(self, value: Any) -> np.ndarray:
        """Lower Cholesky and every row's norm within 10 n eps of 1."""
        v = _np(value)
        tol = np.finfo(v.dtype if v.dtype.kind == "f" else np.float64).eps * v.shape[-1] * 10
        unit = np.all(np.abs(np.linalg.norm(v, axis=-1) - 1.0) <= tol, axis=-1)
        return _LowerCholesky().check(v) & unit


cat = _Cat
stack = _Stack
corr_cholesky = _CorrCholesky()
