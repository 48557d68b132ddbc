"""``vmap``: ``fn`` mapped over an axis of its arguments one slice at a time, the results stacked.

Arguments and results are pytrees; ``in_dims``/``out_dims`` (JAX's ``in_axes``/``out_axes``) are an int
or None for a whole tree, or a tree of them matching it (a prefix: an int stands for every leaf below
it). Errors are raised as torch.func's vmap raises them (ValueError; an out-of-range output dimension
also an IndexError)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

import numpy as np

from .ops import moveaxis, stack
from .pytree import TreeDef, tree_flatten
from .pytree._registry import node_of
from .random import get_rng_state, set_rng_state
from .tensor import Tensor

_UNSET = object()


class VmapDimError(ValueError, IndexError):
    """An output dimension out of range for the stacked result: torch's IndexError ("Dimension out of
    range"), and the ValueError of vmap's other argument errors."""


def vmap(
    fn: Callable[..., Any],
    in_axes: Any = 0,
    out_axes: Any = 0,
    *,
    in_dims: Any = _UNSET,
    out_dims: Any = _UNSET,
    randomness: str = "different",
    chunk_size: int | None = None,
    axis_size: int | None = None,
) -> Callable:
    """``fn`` mapped over axis ``in_axes`` of its arguments (an int for all, or one entry per
    argument, None for an argument passed whole; an argument may be a pytree of arrays, each leaf
    mapped along the axis, or given a matching tree of axes); results stacked along ``out_axes`` (an
    int for all, or a tree matching the output's, None for an output that is the same for every slice:
    one that differs between slices raises). ``in_dims``/``out_dims`` are torch.func's names for them
    (``out_dims=None`` included); keyword arguments are passed to every call unmapped, as torch.func does.

    One call of ``fn`` per slice (any function works, and the result stays differentiable), so
    ``chunk_size`` changes nothing. ``randomness``: "different" (each slice draws its own numbers from
    the global generator), "same" (every slice draws the same), or "error" (a slice that draws raises).
    An output that is the slice ``fn`` was given (an in-place method's ``self``) comes back as that
    input (moved to ``out_axes``: a view); a write into an input with in_axes None raises, as torch.func's.
    For per-example gradients of a loss that can be written for the whole batch, ``per_example_grad``
    does one batched backward instead. ``axis_size`` (JAX's) is the mapped size when no argument is
    mapped (every slice then gets the same arguments); given with mapped arguments it must match them.
    A mapped size of 0 calls ``fn`` once on zeros of a slice's shape to learn the results' shapes.

    >>> vmap(lambda x: (x * x).sum())(Tensor(np.ones((3, 2)))).data
    array([2., 2., 2.])
    """
    in_axes = in_axes if in_dims is _UNSET else in_dims
    out_axes = out_axes if out_dims is _UNSET else out_dims
    if randomness not in ("different", "same", "error"):
        raise ValueError(f"vmap: randomness must be 'different', 'same' or 'error', got {randomness!r}")
    if chunk_size is not None and (not isinstance(chunk_size, int) or chunk_size < 1):
        raise ValueError(f"vmap: chunk_size should be None or greater than 0. (got {chunk_size!r})")
    _check_in_axes(in_axes)
    _check_out_axes(out_axes)
    if axis_size is not None and (
        isinstance(axis_size, bool) or not isinstance(axis_size, (int, np.integer))
    ):
        raise TypeError(f"vmap: axis_size must be an int or None, got {axis_size!r}")

    @wraps(fn)
    def mapped(*args: Any, **kwargs: Any) -> Any:
        if not args and axis_size is None:
            raise ValueError(
                f"vmap({getattr(fn, '__name__', 'fn')})(): got no inputs. Maybe you forgot to add "
                "inputs, or you are trying to vmap over a function with no inputs (not supported)"
            )
        leaves, tdef, leaf_axes = _mapped_leaves(args, in_axes)
        sizes = [np.shape(x)[ax] for x, ax in zip(leaves, leaf_axes) if ax is not None]
        if not sizes and axis_size is None:
            raise ValueError(
                "vmap: at least one Tensor must be mapped over: every in_dim is None, or no input is an "
                "array (give axis_size= to map a function of unmapped arguments)"
            )
        if len(set(sizes)) > 1 or (sizes and axis_size is not None and sizes[0] != axis_size):
            given = f"the `axis_size` argument was {axis_size}; " if axis_size is not None else ""
            raise ValueError(
                "vmap got inconsistent sizes for array axes to be mapped: Expected all tensors to have the "
                f"same size in the mapped dimension, got sizes {sizes} for the mapped dimension ({given}the "
                "mapped axes have different sizes)"
            )
        n = sizes[0] if sizes else int(axis_size)
        if n == 0:  # no slice to call fn on: learn the results' shapes from a slice of zeros
            sliced = tdef.unflatten(
                [x if ax is None else _zero_slice(x, ax) for x, ax in zip(leaves, leaf_axes)]
            )
            return _emptied(_stack_results([fn(*sliced, **kwargs)], out_axes), out_axes)
        state = get_rng_state()
        unmapped = [(x, x._version) for x, a in zip(leaves, leaf_axes) if a is None and isinstance(x, Tensor)]
        results, slices = [], []
        for k in range(n):
            if randomness == "same":
                set_rng_state(state)
            slices.append([x if ax is None else _take(x, ax, k) for x, ax in zip(leaves, leaf_axes)])
            results.append(fn(*tdef.unflatten(slices[-1]), **kwargs))
            if randomness == "error" and not _same_state(state, get_rng_state()):
                raise RuntimeError(
                    "vmap: called random operation while in randomness error mode (randomness='error': fn "
                    "drew random numbers); pass randomness='different' or 'same', or draw outside vmap"
                )
            _check_unmapped_writes(unmapped)
        return _stack_results(results, out_axes, _Inputs(leaves, leaf_axes, slices))

    return mapped


class _AxesSpecError(ValueError, TypeError):
    """A malformed in_axes/out_axes, or a result vmap cannot stack: torch.func's ValueError and JAX's
    TypeError."""


def _check_in_axes(in_axes: Any) -> None:
    """JAX's check at vmap() time: in_axes is an int, None, or a tuple/list (one entry per argument),
    whose leaves are ints or None."""
    if not (in_axes is None or isinstance(in_axes, (int, np.integer, tuple, list))):
        raise _AxesSpecError(
            "vmap in_axes must be an int, None, or a tuple of entries corresponding to the positional "
            f"arguments passed to the function, but got {in_axes!r}. (vmap: expected `in_dims` to be int or "
            f"a (potentially nested) tuple matching the structure of inputs, got: {type(in_axes)})"
        )
    for ax in tree_flatten(in_axes)[0]:
        if isinstance(ax, bool) or not isinstance(ax, (int, np.integer)):
            raise _AxesSpecError(
                f"vmap in_axes must be an int, None, or (nested) container with those types as leaves, but "
                f"got {in_axes!r} (vmap: in_dims entries must be ints or None)"
            )


def _check_out_axes(out_axes: Any) -> None:
    leaves, _ = tree_flatten(out_axes)
    for ax in leaves:
        if isinstance(ax, bool) or not isinstance(ax, (int, np.integer)):
            raise _AxesSpecError(
                "vmap out_axes must be an int, None, or (nested) container with those types as leaves "
                "(vmap: out_dims must be an int, None or a python collection of ints representing where "
                f"in the outputs the vmapped dimension should appear), got {out_axes!r}"
            )


def _axes_for(axes: Any, tdef: TreeDef, what: str, of: str) -> list:
    """One axis per leaf of ``tdef`` from ``axes``: an int or None for every leaf, or a tree whose
    structure is a prefix of ``tdef``'s (its ints and Nones stand for the whole subtree below them)."""
    if axes is None or isinstance(axes, (int, np.integer)):
        return [axes] * tdef.num_leaves
    kinds = {"tuple": (tuple, list), "list": (tuple, list), "namedtuple": (tuple, list), "dict": dict}
    if tdef.kind == "custom" and type(axes) is tdef.meta[0]:  # a registered class holding axes (None kept)
        axes = node_of(axes)[2]  # type: ignore[index]
    if not isinstance(axes, kinds.get(tdef.kind, (list,))) or len(axes) != len(tdef.children()):
        raise ValueError(
            f"vmap: {what} is not compatible with the structure of `{of}`. {what} has structure "
            f"{tree_flatten(axes)[1]} but {of} has structure {tdef}"
        )
    if tdef.kind == "dict":
        keys = tdef.meta[1]
        if set(axes) != set(keys):
            raise ValueError(f"vmap: {what} has keys {sorted(axes)}, but {of} has keys {sorted(keys)}")
        items = [axes[k] for k in keys]
    else:
        items = list(axes)
    return [ax for sub, child in zip(items, tdef.children()) for ax in _axes_for(sub, child, what, of)]


def _mapped_leaves(args: tuple, in_axes: Any) -> tuple[list, TreeDef, list]:
    """The leaves of the arguments, their tree, and each leaf's mapped axis (None: passed whole), checked."""
    if not (in_axes is None or isinstance(in_axes, (int, np.integer, tuple, list))):
        raise ValueError(
            "vmap: expected `in_dims` to be int or a (potentially nested) tuple matching the structure "
            f"of inputs, got: {type(in_axes)}"
        )
    if isinstance(in_axes, (tuple, list)) and len(in_axes) != len(args):
        raise ValueError(
            "vmap in_axes must be an int, None, or a tuple of entries corresponding to the positional "
            f"arguments passed to the function, but got len(in_axes)={len(in_axes)}, len(args)={len(args)} "
            f"(vmap: in_dims is not compatible with the structure of `inputs`)"
        )
    leaves, tdef = tree_flatten(args)
    axes = in_axes if not isinstance(in_axes, list) else tuple(in_axes)  # a list of entries, as JAX's
    leaf_axes = _axes_for(axes, tdef, "in_dims", "inputs")
    for x, ax in zip(leaves, leaf_axes):
        if ax is None:
            continue
        if not isinstance(x, (Tensor, np.ndarray)):
            raise ValueError(
                f"vmap: Got in_dim={ax} for an input but the input is of type {type(x)}. We cannot vmap "
                "over non-Tensor arguments, please use None as the respective in_dim"
            )
        if not -x.ndim <= ax < x.ndim:
            raise ValueError(
                f"vmap was requested to map its argument along axis {ax}, which implies that its rank "
                f"should be at least {ax + 1 if ax >= 0 else -ax}, but is only {x.ndim} (its shape is "
                f"{tuple(x.shape)}) "
                f"(vmap: Got in_dim={ax} for some input, but that input is a Tensor of dimensionality "
                f"{x.ndim} so expected in_dim to satisfy -{x.ndim} <= in_dim < {x.ndim} (out of range "
                f"for shape {x.shape})"
            )
    return leaves, tdef, leaf_axes


def _check_unmapped_writes(unmapped: list) -> None:
    """torch.func refuses an in-place write into an input that is not mapped over (in_dims None): each
    slice's call would write into the one shared tensor (the last slice's write winning)."""
    for x, version in unmapped:
        if x._version != version:
            raise RuntimeError(
                "vmap: inplace arithmetic(self, *extra_args) is not possible: fn wrote in place into an "
                f"input of shape {x.shape} not mapped over (in_dims None), so every slice would write "
                "into the same tensor. Map over it (give it an in_dim), or use the out-of-place op"
            )


class _Inputs:
    """The mapped inputs' leaves, their axes, and the leaves each slice's call received: an output that
    is the very slice it was given (an in-place method's ``self``) comes back as that input, as in torch."""

    def __init__(self, leaves: list, axes: list, slices: list) -> None:
        self.leaves, self.axes, self.slices = leaves, axes, slices

    def passthrough(self, values: list, out_axis: Any) -> Any:
        """The input whose slices ``values`` are (moved so its mapped axis is ``out_axis``), else None."""
        first = values[0]
        for j, (x, ax) in enumerate(zip(self.leaves, self.axes)):
            if ax is None or not isinstance(x, Tensor) or self.slices[0][j] is not first:
                continue
            if not all(v is sl[j] for v, sl in zip(values, self.slices)):
                return None
            if out_axis is None or not -x.ndim <= out_axis < x.ndim:
                return None
            src, dst = ax % x.ndim, out_axis % x.ndim
            return x if src == dst else moveaxis(x, src, dst)
        return None


def _same_state(a: Any, b: Any) -> bool:
    """Whether two generator states (dicts of ints and arrays, as numpy gives them) are equal."""
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same_state(a[k], b[k]) for k in a)
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return bool(np.array_equal(a, b))
    return bool(a == b)


def _take(a: Any, axis: int, k: int) -> Any:
    index = (slice(None),) * (axis % np.ndim(a)) + (k,)
    return a[index] if isinstance(a, Tensor) else np.asarray(a)[index]


def _zero_slice(a: Any, axis: int) -> Any:
    """Zeros of the shape and dtype of one slice of ``a`` along ``axis`` (for a mapped size of 0)."""
    shape = tuple(np.shape(a)[: axis % np.ndim(a)]) + tuple(np.shape(a)[axis % np.ndim(a) + 1 :])
    zeros = np.zeros(shape, dtype=_data(a).dtype if isinstance(a, Tensor) else np.asarray(a).dtype)
    return Tensor(zeros) if isinstance(a, Tensor) else zeros


def _emptied(stacked: Any, out_axes: Any) -> Any:
    """The one-slice stack ``stacked`` cut to length 0 along each leaf's out axis (None: left whole)."""
    leaves, tdef = tree_flatten(stacked)
    if isinstance(out_axes, (tuple, list)) and len(out_axes) == 1 and tdef.kind == "leaf":
        out_axes = out_axes[0]
    axes = _axes_for(out_axes, tdef, "out_dims", "outputs")
    cut = [
        v if ax is None else v[(slice(None),) * (ax % v.ndim) + (slice(0, 0),)] for v, ax in zip(leaves, axes)
    ]
    return tdef.unflatten(cut)


def _stack_results(results: list, out_axes: Any, inputs: _Inputs | None = None) -> Any:
    """The slices' results stacked leaf by leaf along their ``out_axes``, in the first result's structure."""
    flat = [tree_flatten(r) for r in results]
    tdef = flat[0][1]
    for _, t in flat[1:]:
        if t != tdef:
            raise ValueError(
                f"vmap: fn returned outputs of different structures for different slices: {tdef}, {t}"
            )
    if isinstance(out_axes, (tuple, list)) and len(out_axes) == 1 and tdef.kind == "leaf":
        out_axes = out_axes[0]  # out_dims=(1,) for a function with one output
    axes = _axes_for(out_axes, tdef, "out_dims", "outputs")
    out = []
    for i, ax in enumerate(axes):
        values = [f[0][i] for f in flat]
        same = None if inputs is None else inputs.passthrough(values, ax)
        out.append(_stack_leaf(values, ax) if same is None else same)
    return tdef.unflatten(out)


def _stack_leaf(values: list, axis: Any) -> Any:
    first = values[0]
    numeric = all(isinstance(v, (Tensor, np.ndarray, np.generic, int, float, complex)) for v in values)
    if axis is None:  # an output that does not depend on the mapped axis
        if numeric and not all(
            np.array_equal(np.asarray(_data(v)), np.asarray(_data(first))) for v in values
        ):
            raise ValueError(
                "vmap: out_dims is None for an output that differs between slices: it depends on the mapped "
                "inputs (torch.func: can not return a BatchedTensor when out_dim is None)"
            )
        return first
    if not numeric:
        raise _AxesSpecError(
            f"vmap: `fn` must return Tensors (or numbers) where out_dims is an int, got type {type(first)} "
            "(give None as its out_dims to return it as it is; JAX: Output from batched function "
            f"{first!r} with type {type(first)} is not a valid JAX type)"
        )
    tensors = [v if isinstance(v, Tensor) else Tensor(np.asarray(v)) for v in values]
    nd = tensors[0].ndim + 1
    if not -nd <= axis < nd:
        raise VmapDimError(
            f"vmap: Dimension out of range (expected to be in range of [{-nd}, {nd - 1}], but got {axis}) "
            f"for out_dims of an output of shape {tensors[0].shape} (axis {axis} is out of bounds for the "
            f"stacked output of dimension {nd})"
        )
    return stack(tensors, axis=axis)


def _data(v: Any) -> Any:
    return v._data if isinstance(v, Tensor) else v
