"""``GradientEdge`` and ``get_gradient_edge`` (``torch.autograd.graph``): a tensor's place in the graph,
held apart from the tensor, so ``autobp.grad`` and ``backward`` can start from it or stop at it even
after the tensor was written in place (the edge keeps the value it had when taken) or deleted."""

from __future__ import annotations

from typing import Any, NamedTuple

from ._graph_nodes import accumulator_of, node_of


class GradientEdge(NamedTuple):
    """One input of a graph node: the ``node`` (a ``grad_fn``, or a leaf's ``AccumulateGrad``) and which
    of its outputs (``output_nr``). ``autobp.grad``/``backward`` take it wherever they take a tensor."""

    node: Any
    output_nr: int


def get_gradient_edge(tensor: Any) -> GradientEdge:
    """The edge of ``tensor`` in its graph: its ``grad_fn`` (a leaf's ``AccumulateGrad``) and its
    ``output_nr``. Later in-place writes into ``tensor`` do not move it: it stays with this value.

    >>> import autobp
    >>> x = autobp.tensor([1.0, 2.0], requires_grad=True)
    >>> y = x * 3
    >>> edge = get_gradient_edge(y)
    >>> y.mul_(2)  # y is a new node now; the edge still stands for x * 3
    tensor([ 6., 12.], grad_fn=mul_scalar)
    >>> autobp.grad(y.sum(), edge)[0]
    tensor([2., 2.])
    """
    if not tensor.requires_grad:
        raise RuntimeError(
            "It is not possible to get the gradient edge for a Tensor that does not require gradients "
            f"(a tensor of shape {tuple(tensor.shape)})"
        )
    node = accumulator_of(tensor) if tensor._op is None else node_of(tensor)
    return GradientEdge(node, tensor.output_nr)


def edge_tensor(edge: GradientEdge) -> Any:
    """The graph node (a Tensor: autobp's tensors are their own nodes) that ``edge`` stands for."""
    node = edge.node
    t = getattr(node, "_t", None)
    if t is None:
        raise TypeError(f"GradientEdge: its node is a {type(node).__name__}, not a grad_fn of autobp's")
    return t


def tensors_of(items: Any) -> tuple[Any, tuple]:
    """``items`` (a tensor, an edge, or a sequence of them) with each GradientEdge replaced by its node's
    tensor, and which of them were edges (empty when none was)."""
    if isinstance(items, GradientEdge):
        return edge_tensor(items), (True,)
    if isinstance(items, (list, tuple)) and any(isinstance(x, GradientEdge) for x in items):
        flags = tuple(isinstance(x, GradientEdge) for x in items)
        return [edge_tensor(x) if e else x for x, e in zip(items, flags)], flags
    return items, ()
