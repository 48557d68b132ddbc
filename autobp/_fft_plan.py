"""autobp.fft's argument checking: numpy's (s, axes) defaults for a transform, and the errors for bad
ones, which are both numpy's exception type and PyTorch's (RuntimeError, or IndexError for a dim out
of range) and carry both libraries' words, so code written against either catches them."""

from __future__ import annotations

import warnings
from typing import Any


class FFTArgumentError(ValueError, RuntimeError):
    """A bad s=/n=/axes= for a transform (numpy raises ValueError, PyTorch RuntimeError)."""


class FFTDimError(ValueError, IndexError):
    """An axis (dim) out of range (numpy's AxisError is a ValueError and an IndexError, PyTorch's an
    IndexError "Dimension out of range")."""


class FFTShapeError(FFTDimError, RuntimeError):
    """An s= with more entries than the input has axes (numpy: AxisError; PyTorch: RuntimeError)."""


class FFTNoAxisError(FFTArgumentError, IndexError):
    """A real-input or real-output transform asked to transform no axis at all."""


class FFTDTypeError(TypeError, RuntimeError):
    """A complex input to a transform that needs a real one (numpy's TypeError, PyTorch's RuntimeError)."""


_TORCH_DTYPE = {"complex64": "ComplexFloat", "complex128": "ComplexDouble"}


def check_real(x: Any, name: str, torch_name: str, valued: bool) -> None:
    """Refuse a complex x for a real-input transform (rfft, rfftn, ihfft, ...)."""
    if x.dtype.kind == "c":
        real = "real-valued" if valued else "real"
        raise FFTDTypeError(
            f"{name}: the input must be real, got dtype {x.dtype} (use fft for complex input); "
            f"{torch_name} expects a {real} input tensor, but got {_TORCH_DTYPE.get(x.dtype.name, x.dtype)}"
        )


def no_axis(name: str, kind: str) -> FFTNoAxisError:
    """The error for an empty axes=/dim= given to a transform that cannot be the identity."""
    return FFTNoAxisError(f"{name}: axes=() transforms nothing; {kind} must transform at least one axis")


def plan(x: Any, s: Any, axes: Any, name: str, half: bool = False) -> tuple:
    """numpy's (s, axes) defaults, checked: axes default to the last len(s) axes (all without s); s
    to the input's lengths along axes (for irfft, 2 (m - 1) along the last one); an entry -1 of s
    (numpy 2) is the input's length, None (deprecated, with numpy's warning) the default length."""
    nd = x.ndim
    if axes is None:
        if s is not None:
            warnings.warn(
                "`axes` should not be `None` if `s` is not `None`. Deprecated in NumPy 2.0. In a future "
                "version of NumPy, this will raise an error and `s[i]` will correspond to the size along "
                "the transformed axis specified by `axes[i]`. To retain current behaviour, pass a "
                "sequence [0, ..., k-1] to `axes` for an array of dimension k.",
                DeprecationWarning,
                stacklevel=4,
            )
            k = len(s) if isinstance(s, (tuple, list)) else 1
            if k > nd:
                raise FFTShapeError(
                    f"{name}: s has {k} entries for a tensor of {nd} axes (shape {x.shape}): axis {nd - k} "
                    f"is out of bounds; Got shape with {k} values but input tensor only has {nd} dimensions."
                )
        axes = tuple(range(nd)) if s is None else tuple(range(nd - len(s), nd))
    axes = tuple(int(a) for a in (axes if isinstance(axes, (tuple, list)) else (axes,)))
    bad_axes = [a for a in axes if not -nd <= a < nd]
    if bad_axes:
        raise FFTDimError(
            f"{name}: axes {axes} are out of range for a tensor of shape {x.shape}; Dimension out of "
            f"range (expected to be in range of [{-nd}, {nd - 1}], but got {bad_axes[0]})"
        )
    axes = tuple(a % nd for a in axes)
    default = tuple(x.shape[a] for a in axes)
    if half:
        default = default[:-1] + (2 * (x.shape[axes[-1]] - 1),)
    if s is None:
        s = default
    s = tuple(s) if isinstance(s, (tuple, list)) else (s,)
    if None in s:
        warnings.warn(
            "Passing an array containing `None` values to `s` is deprecated in NumPy 2.0 and may result "
            "in an error in a future version. Pass -1 (or the size of the axis) instead.",
            DeprecationWarning,
            stacklevel=4,
        )
    if len(s) != len(axes):
        raise FFTArgumentError(
            f"{name}: Shape and axes have different lengths: s={s}, axes={axes} "
            f"(dim and shape must have the same length)"
        )
    s = tuple(d if n is None else x.shape[a] if n == -1 else int(n) for n, a, d in zip(s, axes, default))
    if any(n < 1 for n in s):
        bad = next(n for n in s if n < 1)
        raise FFTArgumentError(
            f"{name}: Invalid number of FFT data points ({bad}) specified; "
            f"s={s} for axes {axes} of shape {x.shape} (Invalid number of data points ({bad}) specified)"
        )
    return s, axes
