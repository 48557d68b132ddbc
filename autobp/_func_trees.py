"""What ``autobp.func``'s transforms share with torch.func's and JAX's: argnums checked as they check
them, a function's output taken as a pytree of Tensors, errors raised as torch.func raises them
(RuntimeError, which here is also the ValueError/TypeError autobp raised before), and grad mode:
a transform called under ``no_grad`` still differentiates, and returns results off the graph."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np

from ._graph import enable_grad, is_grad_enabled, next_seq
from .pytree import TreeDef, tree_flatten
from .pytree._registry import build_node, node_of
from .tensor import Tensor


class FuncArgumentError(RuntimeError, ValueError):
    """A transform was given arguments it cannot use (argnums, primals/tangents/cotangents whose
    structure does not match): a RuntimeError as torch.func raises, and a ValueError as autobp did."""


class FuncArgumentTypeError(RuntimeError, TypeError):
    """A transform was given an argument of the wrong kind (primals that are not a tuple): torch.func's
    RuntimeError, and the TypeError autobp raised before."""


class FuncOutputError(RuntimeError, TypeError):
    """The transformed function returned something the transform cannot use (no Tensors, a non-Tensor
    leaf, has_aux without an (output, aux) pair): torch.func's RuntimeError, autobp's TypeError."""


def check_argnums(argnums: Any, nargs: int, who: str) -> tuple[int, ...]:
    """``argnums`` as non-negative positions: an int, or a non-empty tuple (or list, as JAX takes) of
    distinct ints, each within the ``nargs`` positional arguments (negative ones count from the end)."""
    if isinstance(argnums, bool) or not isinstance(argnums, (int, tuple, list)):
        raise FuncArgumentError(f"{who}: argnums must be int or Tuple[int, ...], got: {type(argnums)}")
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    if not nums:
        raise FuncArgumentError(f"{who}: argnums must be non-empty")
    for n in nums:
        if isinstance(n, bool) or not isinstance(n, int):
            raise FuncArgumentError(f"{who}: argnum must be int, got: {type(n)} in argnums={argnums!r}")
        if not -nargs <= n < nargs:
            raise FuncArgumentError(f"{who}: Got argnum={n}, but only {nargs} positional inputs")
    pos = tuple(n % nargs for n in nums)
    if len(set(pos)) != len(pos):
        raise FuncArgumentError(f"{who}: argnums elements must be unique, got {argnums!r}")
    return pos


def flat_outputs(out: Any, who: str, numbers_ok: bool = False) -> tuple[list[Tensor], TreeDef]:
    """The Tensors of ``out`` (a Tensor, or nested tuples/lists/dicts of them) and its structure. With
    ``numbers_ok`` (a JAX-style call on numbers and numpy arrays) a numeric leaf is a constant output."""
    leaves, tdef = tree_flatten(out)
    if numbers_ok:
        leaves = [_constant(a) for a in leaves]
    if not leaves:
        raise FuncOutputError(
            f"{who}: Expected f to be a function that has non-empty output (got output = {out!r})"
        )
    for leaf in leaves:
        if not isinstance(leaf, Tensor):
            raise FuncOutputError(
                f"{who}: expected f(*primals) to return only tensors, got unsupported type {type(leaf)}"
            )
    return leaves, tdef


def _constant(a: Any) -> Any:
    """A Python or numpy number (or numeric array) as a constant Tensor; anything else unchanged."""
    if (
        isinstance(a, (bool, int, float, complex, np.generic, np.ndarray))
        and np.asarray(a).dtype.kind in "biufc"
    ):
        arr = np.asarray(a)
        return Tensor._const(arr if arr.dtype.kind in "fc" else arr.astype(np.float64))
    return a


def _kind(tdef: TreeDef) -> tuple:
    """A structure with lists and tuples alike (JAX and autobp take either for a sequence of arrays)."""
    kind = "seq" if tdef.kind in ("list", "tuple") else tdef.kind
    meta = None if kind == "seq" else tdef.meta
    return (kind, meta, len(tdef.children()), tuple(_kind(c) for c in tdef.children()))


def same_structure(a: TreeDef, b: TreeDef) -> bool:
    """Whether two pytrees have the same structure, a list matching a tuple of the same children."""
    return _kind(a) == _kind(b)


def split_aux(fn: Callable[..., Any], has_aux: bool, who: str) -> tuple[Callable[..., Any], list]:
    """``fn`` returning its output only, and a list that receives the aux of its latest call."""
    if not has_aux:
        return fn, []
    aux: list = []
    start = next_seq()  # before the transform makes its own inputs

    @functools.wraps(fn)
    def main(*args: Any, **kwargs: Any) -> Any:
        out = fn(*args, **kwargs)
        aux[:] = [unwrap_aux(check_aux_pair(out, who)[1], start)]
        return out[0]

    return main, aux


def unwrap_aux(tree: Any, start: int) -> Any:
    """``tree`` (an aux output) as the caller of a transform sees it, as torch.func and JAX return aux:
    a Tensor recorded only on the transform's own graph (made after node ``start``) comes back detached;
    one that reaches an outer graph keeps its gradient path there."""
    return _map_tensors(tree, lambda t: t if not t.requires_grad or _reaches_before(t, start) else t.detach())


def _reaches_before(t: Tensor, start: int) -> bool:
    stack, seen = [t], set()
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        if node._seq < start:
            return True
        if node._op is not None and node._parents is not None:
            stack.extend(p for p in node._parents if p.requires_grad)
    return False


def check_aux_pair(out: Any, who: str) -> Any:
    """``out`` when it is the (output, aux) pair ``has_aux=True`` asks for (a tuple, or a list as JAX
    takes), else a FuncOutputError naming what came back."""
    if not (isinstance(out, (tuple, list)) and len(out) == 2):
        seq = isinstance(out, (tuple, list))
        got = f"a {type(out).__name__} of {len(out)}" if seq else type(out).__name__
        raise FuncOutputError(
            f"{who}: output of function f should be a tuple: (output, aux) if has_aux is True (a "
            f"two-element tuple, an (output, aux) pair), got {got}"
        )
    return out


def _map_tensors(x: Any, fn: Callable[[Tensor], Any]) -> Any:
    """``x`` with ``fn`` applied to every Tensor in it (dicts, named tuples, tuples, lists and registered
    pytree classes kept)."""
    if isinstance(x, Tensor):
        return fn(x)
    if isinstance(x, dict):
        return type(x)((k, _map_tensors(v, fn)) for k, v in x.items())
    if isinstance(x, tuple) and hasattr(x, "_fields"):
        return type(x)(*(_map_tensors(v, fn) for v in x))
    if isinstance(x, (tuple, list)):
        return type(x)(_map_tensors(v, fn) for v in x)
    node = node_of(x)
    if node is not None and node[0] == "custom":  # a registered pytree class (autobp.pytree)
        return build_node(node[0], node[1], [_map_tensors(v, fn) for v in node[2]])
    return x


def _detach_tree(x: Any) -> Any:
    return _map_tensors(x, Tensor.detach)


def grad_mode_aware(run: Callable[..., Any]) -> Callable[..., Any]:
    """``run`` (a transformed function) as torch.func's transforms behave under ``no_grad`` and
    ``inference_mode``: it still differentiates (its own passes are recorded), and what it returns is
    off the graph, so nothing outside it records (Tensors detached; functions it returns decide when
    they are called)."""

    @functools.wraps(run)
    def call(*args: Any, **kwargs: Any) -> Any:
        if is_grad_enabled():
            return run(*args, **kwargs)
        with enable_grad():
            res = run(*args, **kwargs)
        return _detach_tree(res)

    return call


def wraps_transformed(fn: Callable[..., Any]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``functools.wraps(fn)`` where ``fn`` allows it (a transformed function keeps ``fn``'s name and
    docstring, as torch.func's do), then ``grad_mode_aware``."""

    def deco(run: Callable[..., Any]) -> Callable[..., Any]:
        try:
            run = functools.wraps(fn)(run)
        except (AttributeError, TypeError):  # an object whose attributes cannot be copied
            pass
        return grad_mode_aware(run)

    return deco
