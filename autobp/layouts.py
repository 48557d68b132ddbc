"""PyTorch's tensor layouts (``strided``, ``sparse_coo``, ...): every autobp tensor is a dense numpy
array, PyTorch's ``strided`` layout; the sparse ones exist as names so ported code can compare with them
or pass them, and factories refuse them (``zeros(2, layout=sparse_coo)``)."""

from __future__ import annotations

from typing import Any


class layout:  # noqa: N801  PyTorch's class name
    """One of PyTorch's layouts: ``autobp.strided`` (every tensor's ``.layout``), ``autobp.sparse_coo``,
    ``sparse_csr``, ``sparse_csc``, ``sparse_bsr``, ``sparse_bsc``, ``jagged`` (names only: autobp has no
    sparse tensors). Compare with ``==`` or ``is``; build none of your own. A layout also
    equals its bare name (``t.layout == "strided"``, which PyTorch's does not) and PyTorch's layout of
    the same name."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"autobp.{self.name}"

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, layout):
            return other is self
        if isinstance(other, str):
            return other == self.name
        if type(other).__module__ == "torch" and type(other).__name__ == "layout":  # PyTorch's own
            return str(other) == f"torch.{self.name}"
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.name)

    def __reduce__(self) -> str:
        return self.name


strided = layout("strided")
sparse_coo = layout("sparse_coo")
sparse_csr = layout("sparse_csr")
sparse_csc = layout("sparse_csc")
sparse_bsr = layout("sparse_bsr")
sparse_bsc = layout("sparse_bsc")
jagged = layout("jagged")

__all__ = [
    "layout",
    "strided",
    "sparse_coo",
    "sparse_csr",
    "sparse_csc",
    "sparse_bsr",
    "sparse_bsc",
    "jagged",
]
