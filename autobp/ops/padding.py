"""Padding (constant, reflect, edge/replicate, wrap/circular, symmetric) and rolling, flipping,
rotating, tiling, repeating and sliding windows.

Every mode but constant pads by gathering: each output element is some input element, so these
ops (like tile, repeat and the windows) are one ``getitem`` with an integer index, whose rule
scatters the gradient back and accumulates where an input element was copied several times.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._broadcast import ShapeError, normalize_axes
from .._views import link_view
from ..rules import rule
from ..tensor import Tensor, _view
from ._args import as_tensor, axis_arg
from ._decl import op
from .padding_args import check_stat_length, pad_widths, pad_with_function
from .padding_numpy import STAT_MODES, VALUE_MODES, pad_odd, pad_values
from .shape import reshape, transpose

_P = "padding"
_MODES = {"constant": "constant", "edge": "edge", "replicate": "edge", "reflect": "reflect"}
_MODES.update({"wrap": "wrap", "circular": "wrap", "symmetric": "symmetric"})


@op(family=_P, rules=("pad", "getitem"), method=False)
def pad(array: Any, pad_width: Any, mode: str = "constant", **kwargs: Any) -> Tensor:
    """numpy's pad: modes constant (``constant_values``), edge, reflect and symmetric (``reflect_type``
    even or odd), wrap, linear_ramp (``end_values``), maximum, minimum, mean, median (``stat_length``)
    and empty (zeros here); PyTorch's mode names replicate (edge) and circular (wrap) too.
    ``pad_width`` may be a dict of axis to width (numpy 2.3); a callable ``mode`` is numpy's legacy
    ``mode(vector, (before, after), axis, kwargs)`` writing each line's pads in place (no gradient)."""
    x = as_tensor(array)
    widths = pad_widths(pad_width, x.ndim)
    if callable(mode):
        return pad_with_function(x, widths, mode, kwargs)
    if not isinstance(mode, str) or (mode not in _MODES and mode not in VALUE_MODES):
        raise ValueError(
            f"pad: mode '{mode}' is not supported; use one of {sorted(_MODES) + sorted(VALUE_MODES)}"
        )
    mode = _MODES.get(mode, mode)
    allowed = {"constant": {"constant_values"}, "reflect": {"reflect_type"}, "symmetric": {"reflect_type"}}
    allowed.update({m: {"stat_length"} for m in STAT_MODES}, linear_ramp={"end_values"})
    extra = set(kwargs) - allowed.get(mode, set())
    if extra:  # numpy's ValueError and words
        raise ValueError(f"pad: unsupported keyword arguments for mode '{mode}': {sorted(extra)}")
    reflect_type = kwargs.get("reflect_type", "even")
    if reflect_type not in ("even", "odd"):
        raise ValueError(f"pad: reflect_type must be 'even' or 'odd', got {reflect_type!r}")
    check_stat_length(mode, kwargs.get("stat_length"), x.shape)
    for axis, ((b, a), n) in enumerate(zip(widths, x.shape)):
        if n == 0 and (b or a) and mode not in ("constant", "empty"):  # numpy's words
            raise ValueError(
                f"pad: can't extend empty axis {axis} using modes other than 'constant' or 'empty' "
                f"(shape {x.shape}, mode {mode!r})"
            )
    if reflect_type == "odd":
        return pad_odd(x, widths, mode)
    if mode in VALUE_MODES:
        return pad_values(x, widths, mode, kwargs)
    if mode == "constant":
        cv = kwargs.get("constant_values", 0)
        if isinstance(cv, Tensor):
            raise TypeError("pad: constant_values must be numbers (a Tensor value is not differentiated)")
        data = np.pad(x._data, widths, mode="constant", constant_values=cv) if x.ndim else x._data.copy()
        inner = tuple(slice(b, b + n) for (b, _), n in zip(widths, x.shape))
        return Tensor._make(data, (x,), "pad", inner)
    # each output position along an axis reads one input position: numpy's pad of the positions
    picks = [np.pad(np.arange(n), w, mode=mode) for n, w in zip(x.shape, widths)]
    if all(len(p) == n for p, n in zip(picks, x.shape)):
        return x[(slice(None),) * x.ndim]
    return x[np.ix_(*picks)]


@rule("pad")  # ctx = the slices of the output that hold the input
def _pad_rule(F, g, out, xs, ctx, need):
    return (g[ctx],)


@op(
    family=_P,
    differs="torch.roll refuses shifts and dims of different lengths; numpy's roll (and autobp's) "
    "broadcasts them against each other",
)
def roll(a: Any, shift: Any = None, axis: Any = None, *, shifts: Any = None, dims: Any = None) -> Tensor:
    """Elements shifted cyclically along ``axis`` (of the flattened tensor when None); PyTorch's
    ``shifts``/``dims`` spellings too."""
    x = as_tensor(a)
    axis = axis_arg(axis, dims, "roll")
    shift = shifts if shift is None else shift
    if shift is None:
        raise TypeError("roll: give the shift")
    try:
        data = np.roll(x._data, shift, axis)
    except (ValueError, TypeError) as e:
        raise type(e)(f"roll: shift {shift!r}, axis {axis!r} for shape {x.shape}: {e}") from None
    return Tensor._make(data, (x,), "roll", (shift, axis))


@rule("roll")  # ctx = (shift, axis): rolling back by -shift undoes it
def _roll_rule(F, g, out, xs, ctx, need):
    shift, axis = ctx
    back = tuple(-s for s in shift) if isinstance(shift, (tuple, list)) else -shift
    return (F.roll(g, back, axis),)


def _flip_method(self: Tensor, *axes: Any, **named: Any) -> Tensor:
    """``t.flip(axis)``, and PyTorch's ``t.flip(0, 1)``: several dims given one by one."""
    return flip(self, axes, **named) if len(axes) > 1 else flip(self, *axes, **named)


@op(family=_P, method=_flip_method)
def flip(m: Any, axis: Any = None, *, dims: Any = None) -> Tensor:
    """Elements in reverse order along ``axis`` (every axis by default); a view."""
    x = as_tensor(m)
    axis = axis_arg(axis, dims, "flip")
    axes = normalize_axes(axis, x.ndim, "flip", x.shape)
    return _view(Tensor._make(np.flip(x._data, axes), (x,), "flip", axes), x, "flip", axes)


@rule("flip")  # ctx = the flipped axes: flipping again undoes it
def _flip_rule(F, g, out, xs, ctx, need):
    return (F.flip(g, ctx),)


@op(family=_P, rules=("flip",))
def fliplr(m: Any) -> Tensor:
    """Reverse the second axis (columns)."""
    x = as_tensor(m)
    if x.ndim < 2:
        raise ShapeError(f"fliplr: Input must be >= 2-d. (needs at least 2 axes, got shape {x.shape})")
    return flip(x, 1)


@op(family=_P, rules=("flip",))
def flipud(m: Any) -> Tensor:
    """Reverse the first axis (rows)."""
    x = as_tensor(m)
    if x.ndim < 1:
        raise ShapeError("flipud: Input must be >= 1-d. (needs at least 1 axis, got a 0-d tensor)")
    return flip(x, 0)


@op(family=_P, rules=("flip", "transpose"))
def rot90(m: Any, k: int = 1, axes: Any = (0, 1), *, dims: Any = None) -> Tensor:
    """Rotate by 90 degrees ``k`` times in the plane of ``axes``, from the first towards the second."""
    x = as_tensor(m)
    axes = tuple(axes if dims is None else dims)
    if len(axes) != 2 or x.ndim < 2:
        raise ShapeError(f"rot90: needs two axes of a tensor with at least 2, got {axes} for {x.shape}")
    a0, a1 = (normalize_axes(i, x.ndim, "rot90", x.shape)[0] for i in axes)
    if a0 == a1:
        raise ShapeError(f"rot90: expected rotation dims to be different, got {axes}")
    k = int(k) % 4
    if k == 0:
        return x[(slice(None),) * x.ndim]
    if k == 2:
        return flip(x, (a0, a1))
    perm = list(range(x.ndim))
    perm[a0], perm[a1] = perm[a1], perm[a0]
    return transpose(flip(x, a1), perm) if k == 1 else flip(transpose(x, perm), a1)


@op(family=_P, rules=("reshape", "getitem"))
def tile(A: Any, reps: Any = None, *, dims: Any = None) -> Tensor:  # noqa: N803  numpy's argument name
    """``A`` repeated ``reps`` times along each axis (numpy's tile; PyTorch calls reps ``dims``)."""
    x = as_tensor(A)
    reps = dims if reps is None else reps
    if reps is None:
        raise TypeError("tile: give reps")
    reps = tuple(int(r) for r in (reps if isinstance(reps, (tuple, list)) else (reps,)))
    if any(r < 0 for r in reps):
        raise ValueError(f"tile: reps must be non-negative, got {reps}")
    d = max(len(reps), x.ndim)
    reps = (1,) * (d - len(reps)) + reps
    x = reshape(x, (1,) * (d - x.ndim) + x.shape)
    picks = [np.tile(np.arange(n), r) for n, r in zip(x.shape, reps)]
    return x[np.ix_(*picks)] if d else x[()]


@op(
    family=_P,
    rules=("reshape", "getitem"),
    torch=("repeat_interleave",),
    differs="Tensor.repeat in torch tiles (numpy's tile); torch's repeat_interleave is this",
)
def repeat(a: Any, repeats: Any, axis: Any = None, *, dim: Any = None, output_size: Any = None) -> Tensor:
    """Each element repeated ``repeats`` times (an int, or one count per element) along ``axis``
    (of the flattened tensor when None)."""
    x = as_tensor(a)
    axis = axis_arg(axis, dim, "repeat")
    if isinstance(repeats, Tensor):
        repeats = repeats._data
    if axis is None:
        x, axis = reshape(x, (-1,)), 0
    elif x.ndim == 0:  # numpy repeats a 0-d array along axis 0 (or -1) as a 1-d one
        x = reshape(x, (1,))
    (ax,) = normalize_axes(axis, x.ndim, "repeat", x.shape)
    try:
        picks = np.repeat(np.arange(x.shape[ax]), repeats)
    except ValueError as e:
        raise ValueError(f"repeat: repeats {repeats!r} for axis {ax} of shape {x.shape}: {e}") from None
    return x[(slice(None),) * ax + (picks,)]


def _windows(x: Tensor, index: np.ndarray) -> Tensor:
    """The elements of ``x`` at flat positions ``index``: overlapping windows read an element several
    times, and getitem's rule adds up those gradients."""
    return reshape(x, (-1,))[(index,)]


@op(family=_P, rules=("reshape", "getitem"), numpy=np.lib.stride_tricks.sliding_window_view, method=False)
def sliding_window_view(
    x: Any, window_shape: Any, axis: Any = None, *, subok: bool = False, writeable: bool = False
) -> Tensor:
    """Every window of ``window_shape`` along ``axis``, window axes last (numpy's; a copy here)."""
    x = as_tensor(x)
    positions = np.arange(x.size).reshape(x.shape)
    try:
        index = np.lib.stride_tricks.sliding_window_view(positions, window_shape, axis)
    except ValueError as e:
        raise ValueError(f"sliding_window_view: window {window_shape!r} on shape {x.shape}: {e}") from None
    return _windows(x, index)


@op(
    name="unfold_windows",  # "unfold" is nn.functional's im2col; Tensor.unfold is this one
    family=_P,
    rules=("as_strided",),
    numpy=None,
    torch=("unfold",),
    differs="torch.nn.functional.unfold is im2col (autobp.nn.functional.unfold); Tensor.unfold is this",
)
def unfold_windows(x: Any, dimension: int, size: int, step: int) -> Tensor:
    """PyTorch's Tensor.unfold: windows of ``size`` every ``step`` along ``dimension``, as a new last
    axis (``dimension`` then counts the windows)."""
    x = as_tensor(x)
    scalar = x.ndim == 0  # PyTorch: a 0-d input gives one window, of shape (size,)
    if scalar:
        x = reshape(x, (1,))
    (d,) = normalize_axes(dimension, x.ndim, "unfold", x.shape)
    if size < 0:
        raise ShapeError(f"unfold: size is {size} but must be >= 0 (shape {x.shape})")
    if step <= 0:
        raise ShapeError(f"unfold: step is {step} but must be > 0 (shape {x.shape})")
    if size > x.shape[d]:
        raise ShapeError(
            f"unfold: maximum size for tensor at dimension {d} is {x.shape[d]} but size is {size}"
        )
    positions = np.arange(x.size).reshape(x.shape)
    index = np.lib.stride_tricks.sliding_window_view(positions, size, d)
    cut = (slice(None),) * d + (slice(None, None, step),)
    # a view of x's memory, as PyTorch's unfold: a write through either is seen by the other; an
    # "as_strided" node (its index: x's element under each of its own), so it follows recorded writes
    # into x too (a recorded write through it is refused: see recorded_writes.view_op)
    data = x._data
    where = np.unravel_index(index[cut], x.shape)
    window = np.lib.stride_tricks.sliding_window_view(data, size, d, writeable=data.flags.writeable)[cut]
    out = Tensor._make(window, (x,), "as_strided", where)
    link_view(out, x, "as_strided", where)
    return out[0] if scalar else out
