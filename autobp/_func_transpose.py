"""``linear_transpose`` as JAX defines it: the transpose of a linear function, as a function of the
output cotangent, from one reverse pass (the adjoint of a linear map is its vjp, at any point)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ._func_trees import _constant
from .autograd import grad as _grad
from .pytree import tree_flatten
from .tensor import Tensor


def _shape_dtype(a: Any) -> tuple[tuple, np.dtype]:
    if isinstance(a, Tensor):
        return a.shape, a.dtype
    if hasattr(a, "shape") and hasattr(a, "dtype"):  # arrays and shape/dtype descriptions alike
        return tuple(a.shape), np.dtype(a.dtype)
    arr = np.asarray(a)
    return arr.shape, arr.dtype


def _kinds(dtypes: list) -> set:
    return {"int" if d.kind in "iub" else "inexact" if d.kind in "fc" else d.kind for d in dtypes}


def linear_transpose(fun: Callable[..., Any], *primals: Any, reduce_axes: tuple = ()) -> Callable:
    """The transpose of the linear function ``fun``, JAX's ``linear_transpose``: ``primals`` (arrays,
    Tensors, or anything with ``shape`` and ``dtype``; pytrees) give only the input shapes and dtypes, and
    ``transposed(out_cotangent)`` returns the tuple of input cotangents, one per primal, each shaped as
    it (A^T c for ``fun(x) = A x``; no complex conjugation: the transpose, not the adjoint). ``fun`` must
    map floating/complex inputs to floating/complex outputs, or integers to integers (a TypeError
    otherwise); the cotangent must have the output's structure, shapes and kind of dtype (TypeError).
    ``fun`` is assumed linear; it is not checked.

    >>> t = linear_transpose(lambda x: 2.0 * x[:2], np.zeros(3))
    >>> t(np.array([1.0, 5.0]))[0]
    array([ 2., 10.,  0.])
    """
    del reduce_axes  # JAX's, kept for its signature (no named axes here)
    in_leaves, in_tree = tree_flatten(primals)
    in_avals = [_shape_dtype(a) for a in in_leaves]
    zeros = [np.zeros(s, d) for s, d in in_avals]
    out_leaves, out_tree = tree_flatten(fun(*in_tree.unflatten(zeros)))
    out_avals = [_shape_dtype(o) for o in out_leaves]
    in_kinds, out_kinds = _kinds([d for _, d in in_avals]), _kinds([d for _, d in out_avals])
    if not ((in_kinds | out_kinds) <= {"inexact"} or (in_kinds | out_kinds) <= {"int"}):
        raise TypeError(
            "linear_transpose only supports [float or complex] -> [float or complex], and integer -> "
            f"integer functions, but got {[str(d) for _, d in in_avals]} -> {[str(d) for _, d in out_avals]}."
        )

    def transposed(out_cotangent: Any) -> tuple:
        cts, ct_tree = tree_flatten(out_cotangent)
        if ct_tree != out_tree:
            raise TypeError(
                f"cotangent tree does not match function output, expected {out_tree} but got {ct_tree}"
            )
        for (shape, dtype), ct in zip(out_avals, cts):
            ct_shape, ct_dtype = _shape_dtype(ct)
            if (
                ct_shape != shape
                or _kinds([ct_dtype]) != _kinds([dtype])
                or (ct_dtype.kind == "c") != (dtype.kind == "c")
            ):
                raise TypeError(
                    "cotangent type does not match function output, expected "
                    f"{[(s, str(d)) for s, d in out_avals]} but got shape {ct_shape} {ct_dtype}"
                )
        live = any(isinstance(c, Tensor) and c.requires_grad for c in cts)
        xs = [
            Tensor(np.zeros(s, d if d.kind in "fc" else np.float64), requires_grad=True) for s, d in in_avals
        ]
        outs = [_constant(o) for o in tree_flatten(fun(*in_tree.unflatten(xs)))[0]]
        pairs = [(o, c) for o, c in zip(outs, cts) if isinstance(o, Tensor) and o.requires_grad]
        gs: list = [None] * len(xs)
        if pairs:
            # the rules give conj(A)^T v (PyTorch's convention); A^T v is conj(conj(A)^T conj(v))
            seeds = [
                c.conj() if isinstance(c, Tensor) else Tensor._const(np.conj(np.asarray(c, o.dtype)))
                for o, c in pairs
            ]
            gs = list(
                _grad([o for o, _ in pairs], xs, grad_outputs=seeds, create_graph=live, allow_unused=True)
            )
        res = []
        for (shape, dtype), g in zip(in_avals, gs):
            g = Tensor._const(np.zeros(shape, dtype)) if g is None else g.conj()
            if dtype.kind in "iub":
                g = Tensor._const(np.rint(g._data).astype(dtype))
            res.append(g if live or any(isinstance(c, Tensor) for c in cts) else g._data)
        return in_tree.unflatten(res)

    return transposed
