"""The ``F`` namespace the rules see under ``create_graph=True``: autobp's own (recording) ops by
their declared names, so a rule written once serves every derivative order."""

from __future__ import annotations

import operator
from typing import Any

import numpy as np

from ..tensor import Tensor
from ._decl import ALIASES, DECLS


class _GraphNamespace:
    scale = staticmethod(operator.mul)

    @staticmethod
    def saved(value: np.ndarray, rebuild: Any) -> Tensor:
        return rebuild()  # recorded from the inputs, so the rule's own derivative exists

    @staticmethod
    def sign(x: Tensor) -> Tensor:
        return Tensor._const(np.sign(x._data))  # piecewise constant: its derivative is 0

    @staticmethod
    def scatter_add(g: Tensor, index: tuple, shape: tuple) -> Tensor:
        from .indexing import scatter_add

        return scatter_add(g, index, shape)

    def __getattr__(self, name: str) -> Any:
        key = ALIASES.get(name, name)
        if key not in DECLS:
            raise AttributeError(f"the rules' namespace F has no op {name!r} (no autobp op is declared so)")
        fn = DECLS[key].fn
        setattr(self, name, fn)
        return fn


GraphOps = _GraphNamespace()
