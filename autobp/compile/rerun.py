"""Calling a recorded op again inside a generated step: the op's own forward on new values, which
gives the numbers eager gives and the ctx its rules need (recomputed from the new values, so
data-dependent ops stay correct); a call that makes other nodes or shapes than recorded is a miss."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .._graph import hooks
from ..tensor import Tensor
from .calls import fill


class Rerun:
    """``Rerun(...)(*arrays)``: the op called on Tensors holding ``arrays`` (in the order of its
    input Tensors); returns the values the step reads, a node's data followed by its ctx, in the
    order of ``wants``, or None when the call made other ops, shapes or dtypes than recorded.

    ``wants``: (access, shape, dtype, is_node) with access ("node", j): the j-th node made,
    ("parent", j, i): its i-th input (a Tensor the op made inside), ("result", path): a Tensor in
    the op's result, ("input", i): input i after the op wrote into it in place."""

    def __init__(
        self,
        fn: Callable,
        args: tuple,
        kwargs: dict,
        grads: list,
        interior: list,
        copies: list,
        ops: list,
        wants: list,
    ) -> None:
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.inputs = list(zip(grads, interior, copies))
        self.ops = ops
        self.wants = wants
        self.__name__ = getattr(fn, "__name__", repr(fn))
        self.miss = ""  # why the last call did not match the recording (data-dependent shapes)

    def __call__(self, *arrays: np.ndarray) -> list | None:
        ins = []
        for a, (grad, interior, copy) in zip(arrays, self.inputs):
            t = Tensor._const(a.copy() if copy else a)
            if grad:
                t.requires_grad = True
                if interior:  # stands for a computed value, not a leaf (in-place ops check this)
                    t._op = "compiled"
            ins.append(t)
        made: list = []
        previous = hooks.on_make
        hooks.on_make = lambda t, op, parents: made.append((t, op, parents))
        try:
            result = self.fn(*fill(self.args, ins), **fill(self.kwargs, ins))
        finally:
            hooks.on_make = previous
        if len(made) != len(self.ops) or any(m[1] != op for m, op in zip(made, self.ops)):
            self.miss = f"{self.__name__} made ops {[m[1] for m in made]}, recorded {self.ops}"
            return None
        out: list = []
        for access, shape, dtype, node in self.wants:
            kind = access[0]
            if kind == "node":
                t = made[access[1]][0]
            elif kind == "parent":
                t = made[access[1]][2][access[2]]
            elif kind == "result":
                t = result
                for i in access[1]:
                    t = t[i]
            else:
                t = ins[access[1]]
            d = t._data
            if d.shape != shape or d.dtype != dtype:
                got = f"{d.shape} {d.dtype}"
                self.miss = f"{self.__name__} made a value of shape {got}, recorded {shape} {dtype}"
                return None
            out.append(d)
            if node:
                out.append(t._ctx)
        return out

    def __repr__(self) -> str:
        return f"<rerun of {self.__name__}>"
