"""Flat buffers for ``autobp.compile``: parameters (and their gradients and optimiser state) packed
into one array per optimiser group and dtype, each Tensor's array a view into it, so an update is a
few ufunc calls for the whole net. Elementwise updates on the flat array compute the same numbers
as the optimiser's per-parameter loop."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..tensor import Tensor


@dataclass
class Block:
    """Parameters of one optimiser group (``group`` index, -1 for none) with one dtype."""

    group: int
    params: list[Tensor]
    weights: np.ndarray  # flat
    grads: np.ndarray  # flat, same layout
    views: list[np.ndarray] = field(default_factory=list)
    grad_views: list[np.ndarray] = field(default_factory=list)
    state: dict[str, np.ndarray] = field(default_factory=dict)  # flat optimiser state, by key


def _views(flat: np.ndarray, shapes: list[tuple]) -> list[np.ndarray]:
    out, at = [], 0
    for s in shapes:
        n = int(np.prod(s, dtype=np.int64))
        out.append(flat[at : at + n].reshape(s))
        at += n
    return out


class Packing:
    """The flat blocks of a compiled step's parameters. ``view[id(p)]`` is p's array (a view into
    its block), ``grad_view[id(p)]`` where its gradient is written."""

    def __init__(self, groups: list[tuple[int, list[Tensor]]]) -> None:
        self.blocks: list[Block] = []
        self.opt: Any = None  # the optimiser whose state is packed, if any
        self.view: dict[int, np.ndarray] = {}
        self.grad_view: dict[int, np.ndarray] = {}
        for gi, params in groups:
            by_dtype: dict[Any, list[Tensor]] = {}
            for p in params:
                if p._data.dtype.kind == "f" and p.requires_grad:
                    by_dtype.setdefault(p._data.dtype, []).append(p)
            for dtype, ps in by_dtype.items():
                shapes = [p.shape for p in ps]
                total = sum(int(np.prod(s, dtype=np.int64)) for s in shapes)
                blk = Block(gi, ps, np.empty(total, dtype), np.zeros(total, dtype))
                blk.views, blk.grad_views = _views(blk.weights, shapes), _views(blk.grads, shapes)
                for p, v, gv in zip(ps, blk.views, blk.grad_views):
                    v[...] = p._data
                    p._data = v
                    self.view[id(p)], self.grad_view[id(p)] = v, gv
                self.blocks.append(blk)

    def repair(self) -> None:
        """Put back the views of parameters whose array was replaced (``p.data = new``), copying
        the new values in; raise if a shape changed."""
        for blk in self.blocks:
            for p, v in zip(blk.params, blk.views):
                if p._data is not v:
                    if p._data.shape != v.shape:
                        from .record import CompileError

                        raise CompileError(
                            f"compile: a parameter changed shape from {v.shape} to {p._data.shape}; "
                            "compile the step again"
                        )
                    v[...] = p._data
                    p._data = v
            for key, flat in blk.state.items():  # optimiser state replaced (load_state_dict, another
                views = _views(flat, [p.shape for p in blk.params])  # compiled step): copied back in
                state = self.opt.state
                for p, v in zip(blk.params, views):
                    a = state.get(p, {}).get(key)
                    if isinstance(a, np.ndarray) and a.base is not flat:
                        v[...] = a
                        state[p][key] = v

    def pack_state(self, opt: Any, key: str) -> bool:
        """Move the optimiser's per-parameter arrays ``state[p][key]`` into flat buffers (the state
        dicts then hold views). False if some parameter has no such array of its shape and dtype."""
        state = opt.state
        for blk in self.blocks:
            for p in blk.params:
                a = state.get(p, {}).get(key)
                if not isinstance(a, np.ndarray) or a.shape != p.shape or a.dtype != p._data.dtype:
                    return False
        self.opt = opt
        for blk in self.blocks:
            flat = blk.state.get(key)
            if flat is None:
                flat = blk.state[key] = np.empty_like(blk.weights)
                for p, v in zip(blk.params, _views(flat, [p.shape for p in blk.params])):
                    v[...] = state[p][key]
                    state[p][key] = v
        return True
