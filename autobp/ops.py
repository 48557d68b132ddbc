"""Tensor functions that take several tensors (where, maximum, concatenate, stack),
function forms of the methods, and the op namespace rules use under create_graph."""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import _kernels
from ._broadcast import normalize_axes
from ._numpy_ops import scatter_add as _scatter_add
from .tensor import Tensor, _as_array, _lift


def _tensor(x: Any) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor._const(_as_array(x))


def _pair(a: Any, b: Any, op: str) -> tuple[Tensor, Tensor]:
    if isinstance(a, Tensor):
        return a, _lift(b, a, op)
    if isinstance(b, Tensor):
        return _lift(a, b, op), b
    return _tensor(a), _tensor(b)


def where(cond: Any, a: Any, b: Any) -> Tensor:
    """Elements of ``a`` where ``cond`` is true, else of ``b`` (numpy broadcasting)."""
    c = cond._data if isinstance(cond, Tensor) else np.asarray(cond)
    if c.dtype != bool:
        raise TypeError(f"where: condition must be boolean, got dtype {c.dtype}")
    a, b = _pair(a, b, "where")
    try:
        data = np.where(c, a._data, b._data)
    except ValueError:
        raise ValueError(
            f"where: shapes {c.shape} (condition), {a.shape} and {b.shape} cannot be broadcast"
        ) from None
    return Tensor._make(data, (a, b), "where", c)


def maximum(a: Any, b: Any) -> Tensor:
    """Elementwise maximum; on ties each input gets half of the gradient."""
    a, b = _pair(a, b, "maximum")
    try:
        data, ctx = _kernels.maximum([a._data, b._data], None)
    except ValueError:
        raise ValueError(f"maximum: shapes {a.shape} and {b.shape} cannot be broadcast") from None
    return Tensor._make(data, (a, b), "maximum", ctx)


def minimum(a: Any, b: Any) -> Tensor:
    """Elementwise minimum; on ties each input gets half of the gradient."""
    a, b = _pair(a, b, "minimum")
    try:
        np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise ValueError(f"minimum: shapes {a.shape} and {b.shape} cannot be broadcast") from None
    return -maximum(-a, -b)


def _check_seq(seq: Sequence, op: str) -> list[Tensor]:
    if isinstance(seq, (Tensor, np.ndarray)) or not len(seq):
        raise ValueError(f"{op}: expected a non-empty sequence of tensors")
    return [_tensor(t) for t in seq]


def concatenate(seq: Sequence[Any], axis: int = 0) -> Tensor:
    """Join tensors along an existing axis."""
    ts = _check_seq(seq, "concatenate")
    first = ts[0]._data
    if first.ndim == 0:
        raise ValueError("concatenate: zero-dimensional tensors cannot be concatenated")
    (a,) = normalize_axes(axis, first.ndim, "concatenate", first.shape)
    try:
        data = np.concatenate([t._data for t in ts], axis=a)
    except ValueError:  # say which tensor does not fit
        outside = first.shape[:a] + first.shape[a + 1 :]
        for i, t in enumerate(ts):
            if t.ndim != first.ndim or t.shape[:a] + t.shape[a + 1 :] != outside:
                raise ValueError(
                    f"concatenate: tensor {i} has shape {t.shape}, which does not match "
                    f"tensor 0's shape {first.shape} outside axis {a}"
                ) from None
        raise
    bounds = []
    lo = 0
    for t in ts:
        hi = lo + t._data.shape[a]
        bounds.append((lo, hi))
        lo = hi
    return Tensor._make(data, tuple(ts), "concatenate", (a, bounds))


def stack(seq: Sequence[Any], axis: int = 0) -> Tensor:
    """Join same-shaped tensors along a new axis."""
    ts = _check_seq(seq, "stack")
    for i, t in enumerate(ts):
        if t.shape != ts[0].shape:
            raise ValueError(f"stack: tensor {i} has shape {t.shape}, tensor 0 has {ts[0].shape}")
    (a,) = normalize_axes(axis, ts[0].ndim + 1, "stack", ts[0].shape)
    data = np.stack([t._data for t in ts], axis=a)
    return Tensor._make(data, tuple(ts), "stack", a)


def scatter_add(g: Tensor, index: tuple, shape: tuple) -> Tensor:
    """zeros(shape) with ``g`` added at ``index`` (repeats accumulate): getitem's adjoint."""
    return Tensor._make(_scatter_add(g._data, index, shape), (g,), "scatter_add", (index, shape))


def linear(x: Any, weight: Any, bias: Any = None) -> Tensor:
    """x @ weight.T + bias as one node (nn.Linear's forward); weight is (out, in), bias (out,)."""
    x, weight = _tensor(x), _tensor(weight)
    bias = None if bias is None else _tensor(bias)
    ws, xs = weight._data.shape, x._data.shape  # read once: nn.Linear pays these checks per layer
    if len(ws) != 2:
        raise ValueError(f"linear: weight must be 2-D (out, in), got shape {ws}")
    if not xs or xs[-1] != ws[1]:
        raise ValueError(f"linear: input of shape {xs} must have {ws[1]} as its last dimension (weight {ws})")
    if bias is not None and bias._data.shape != ws[:1]:
        raise ValueError(f"linear: bias of shape {bias.shape} must be ({ws[0]},) for weight {ws}")
    if bias is None:
        parents, arrays = (x, weight), (x._data, weight._data)
    else:
        parents, arrays = (x, weight, bias), (x._data, weight._data, bias._data)
    return Tensor._make(_kernels.linear(arrays, None)[0], parents, "linear")


def nll(log_probs: Tensor, index: tuple, divisor: int) -> Tensor:
    """-sum(log_probs[index]) / divisor as one node (cross_entropy's last step); ``index`` must be
    a normalised index (a tuple of ints, slices or integer arrays), ``divisor`` a positive count."""
    out, ctx = _kernels.nll([log_probs._data], (index, divisor))
    return Tensor._make(out, (log_probs,), "nll", ctx)


def cross_entropy(logits: Tensor, index: tuple, divisor: int) -> Tensor:
    """-sum(log_softmax(logits, -1)[index]) / divisor as one node (``nn.functional.cross_entropy``);
    ``index`` must pick one class in each row, as ``(arange(N), targets)`` or ``(target,)`` does."""
    out, ctx = _kernels.cross_entropy([logits._data], (index, divisor))
    return Tensor._make(out, (logits,), "cross_entropy", ctx)


# function forms, so code reads like numpy: autobp.exp(x), autobp.sum(x, axis=0)
def exp(x: Any) -> Tensor:
    return _tensor(x).exp()


def log(x: Any) -> Tensor:
    return _tensor(x).log()


def tanh(x: Any) -> Tensor:
    return _tensor(x).tanh()


def sigmoid(x: Any) -> Tensor:
    return _tensor(x).sigmoid()


def relu(x: Any) -> Tensor:
    return _tensor(x).relu()


def sqrt(x: Any) -> Tensor:
    return _tensor(x).sqrt()


def sum(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:  # noqa: A001
    return _tensor(x).sum(axis, keepdims)


def mean(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    return _tensor(x).mean(axis, keepdims)


def logsumexp(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    return _tensor(x).logsumexp(axis, keepdims)


def softmax(x: Any, axis: int = -1) -> Tensor:
    return _tensor(x).softmax(axis)


def log_softmax(x: Any, axis: int = -1) -> Tensor:
    return _tensor(x).log_softmax(axis)


def matmul(a: Any, b: Any) -> Tensor:
    a, b = _pair(a, b, "matmul")
    return a @ b


class GraphOps:
    """The ``F`` namespace the rules see under ``create_graph=True``: recording ops."""

    exp = staticmethod(exp)
    log = staticmethod(log)
    where = staticmethod(where)
    scatter_add = staticmethod(scatter_add)
    scale = staticmethod(operator.mul)

    @staticmethod
    def saved(value: np.ndarray, rebuild: Any) -> Tensor:
        return rebuild()  # recorded from the inputs, so the rule's own derivative exists

    @staticmethod
    def sign(x: Tensor) -> Tensor:
        return Tensor._const(np.sign(x._data))

    @staticmethod
    def expand_dims(x: Tensor, axis: Any) -> Tensor:
        return x.expand_dims(axis)

    @staticmethod
    def transpose(x: Tensor, axes: Any) -> Tensor:
        return x.transpose(axes)

    @staticmethod
    def broadcast_to(x: Tensor, shape: tuple) -> Tensor:
        return x.broadcast_to(shape)
