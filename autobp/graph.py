"""Read-only access to a computation graph: one record per node, parents before children.

``nodes(root)`` is what ``autobp.draw`` walks; it is also the supported way to inspect or
export a Value or Tensor graph without touching the private ``_parents``/``_op`` fields.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ._backward_callbacks import queue_callback, register_multi_grad_hook
from ._gradient_edges import GradientEdge, get_gradient_edge
from ._graph import GraphReleasedError, topological_order
from ._graph_nodes import AccumulateGrad, Node
from ._saved_hooks import disable_saved_tensors_hooks, save_on_cpu, saved_tensors_hooks
from .tensor import Tensor
from .value import Value

__all__ = [
    "NodeInfo",
    "nodes",
    "named_params",
    "GraphReleasedError",
    "increment_version",
    "Node",
    "AccumulateGrad",
    "saved_tensors_hooks",
    "save_on_cpu",
    "disable_saved_tensors_hooks",
    "register_multi_grad_hook",
    "queue_callback",
    "GradientEdge",
    "get_gradient_edge",
]


@dataclass(frozen=True, eq=False)
class NodeInfo:
    """One node of a graph as ``nodes()`` lists it.

    ``parents`` holds indices into the same list, one per input of the op (an input used
    twice, as in ``x * x``, appears twice). ``op`` is the derivative-rule name (``"mul"``,
    ``"matmul"``...; None for a leaf); ``function`` is the class name of a custom function.
    """

    index: int
    obj: Any
    op: str | None
    parents: tuple[int, ...]
    name: str | None
    shape: tuple[int, ...]
    dtype: str
    data: Any
    grad: Any
    is_leaf: bool
    requires_grad: bool
    is_param: bool
    is_root: bool
    function: str | None = None

    @property
    def kind(self) -> str:
        """``"value"`` for a scalar Value, ``"tensor"`` for a Tensor."""
        return "value" if isinstance(self.obj, Value) else "tensor"


def as_roots(roots: Any, who: str) -> list:
    """``roots`` as a non-empty list of Values/Tensors, or a TypeError naming what was given."""
    items = list(roots) if isinstance(roots, (list, tuple)) else [roots]
    if not items:
        raise ValueError(f"{who}: expected a Value or Tensor (or a list of them), got an empty list")
    for r in items:
        if not isinstance(r, (Value, Tensor)):
            raise TypeError(f"{who}: expected a Value or Tensor (or a list of them), got {type(r).__name__}")
    return items


def named_params(params: Any) -> dict[int, str]:
    """``id(tensor) -> name`` from a mapping name->tensor or an object with ``named_parameters()``."""
    if params is None:
        return {}
    if hasattr(params, "named_parameters"):
        pairs: Iterable = params.named_parameters()
    elif isinstance(params, Mapping):
        pairs = params.items()
    else:
        raise TypeError(
            f"params must be a mapping name -> Tensor or have a named_parameters() method, "
            f"got {type(params).__name__}"
        )
    return {id(p): str(name) for name, p in pairs}


def function_name(op: str | None, ctx: Any) -> str | None:
    """The class name of a custom function node, found in its ``_ctx`` (the class, a field, or an item)."""
    if op != "function" or ctx is None:
        return None
    candidates = [ctx] + [getattr(ctx, k, None) for k in ("_fn", "fn", "cls", "function")]
    if isinstance(ctx, (tuple, list)):
        candidates.extend(ctx)
    for c in candidates:
        if isinstance(c, type):
            return c.__name__
    return None


def released_message(who: str) -> str:
    return (
        f"{who}: this Tensor graph was freed by backward(), so there is nothing left to walk; "
        "call backward(retain_graph=True) to keep the graph for drawing (or draw before backward())"
    )


def nodes(roots: Any, *, params: Any = None) -> list[NodeInfo]:
    """Every node that ``roots`` (a Value, a Tensor, or a list of them) depends on, in topological order.

    Parents come before children and each node appears once. ``params`` (a mapping
    name -> Tensor or an object with ``named_parameters()``) names parameters.

    >>> x = Value(2.0, label="x"); y = x * x
    >>> [(n.op, n.parents) for n in nodes(y)]
    [(None, ()), ('mul', (0, 0))]
    """
    root_list = as_roots(roots, "autobp.graph.nodes")
    names = named_params(params)
    try:
        order = topological_order(root_list)
    except GraphReleasedError as e:
        raise GraphReleasedError(released_message("autobp.graph.nodes")) from e
    index = {id(n): i for i, n in enumerate(order)}
    root_ids = {id(r) for r in root_list}
    out = []
    for i, n in enumerate(order):
        out.append(_record(i, n, index, names, id(n) in root_ids))
    return out


def _record(i: int, n: Any, index: dict, names: dict, is_root: bool) -> NodeInfo:
    parents = tuple(index[id(p)] for p in n._parents)
    param_name = names.get(id(n))
    if isinstance(n, Value):
        own, shape, dtype, leaf = n.label or None, (), "float", n._op is None
    else:
        own, shape, dtype, leaf = n.name, n.shape, str(n.dtype), n.is_leaf
    return NodeInfo(
        index=i,
        obj=n,
        op=n._op,
        parents=parents,
        name=param_name or own,
        shape=shape,
        dtype=dtype,
        data=n.data,
        grad=None if getattr(n, "_grad", 0) is None else n.grad,  # no non-leaf .grad warning
        is_leaf=leaf,
        requires_grad=bool(n.requires_grad),
        is_param=param_name is not None,
        is_root=is_root,
        function=function_name(n._op, n._ctx),
    )


def increment_version(tensor: Any) -> None:
    """Count an in-place write made behind autobp's back (into ``t.numpy()`` by other code, say) into
    ``tensor`` (or each of an iterable of them), so graphs that read its former value refuse to
    backward (``torch.autograd.graph.increment_version``)."""
    from ._inplace import bump_all

    items = [tensor] if isinstance(tensor, Tensor) else list(tensor)
    for i, t in enumerate(items):
        if not isinstance(t, Tensor):
            raise TypeError(f"increment_version: item {i} is a {type(t).__name__}, not a Tensor")
    bump_all(items)
