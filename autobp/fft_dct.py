"""scipy.fft's real-to-real transforms with gradients: the discrete cosine and sine transforms ``dct``,
``idct``, ``dctn``, ``idctn``, ``dst``, ``idst``, ``dstn``, ``idstn`` (types 1-4, scipy's ``n``/``s``,
``axis``/``axes``, ``norm`` and ``orthogonalize``), exported from autobp.fft. Each is a length-2N (type 1:
2(N -/+ 1)) complex FFT of the input times fixed phase factors, then its real (cosine) or imaginary
(sine) part, so it differentiates through autobp.fft.fft to any order."""

from __future__ import annotations

from typing import Any

import numpy as np

from .ops._args import as_tensor
from .ops._decl import op
from .tensor import Tensor

_NS = "autobp.fft"
_INVERSE_TYPE = {1: 1, 2: 3, 3: 2, 4: 4}
_INVERSE_NORM = {"backward": "forward", "forward": "backward", "ortho": "ortho"}
_RULES = ("fftn", "mul", "real", "imag", "getitem", "concatenate", "transpose", "astype")


def _float_input(x: Any, name: str) -> Tensor:
    """``x`` as scipy computes it: ints and bools as float64, float16 as float32, the rest as it is."""
    x = as_tensor(x)
    if x.dtype.kind in "biu":
        x = x.astype(np.float64)
    elif x.dtype == np.float16:
        x = x.astype(np.float32)
    elif x.dtype.kind not in "fc":
        raise TypeError(f"{name}: expected a real or complex array, got dtype {x.dtype}")
    return x


def _check(type: Any, norm: Any, name: str) -> str:
    if type not in (1, 2, 3, 4):
        raise ValueError(f"{name}: invalid DCT/DST type {type!r} (scipy's types are 1, 2, 3 and 4)")
    norm = "backward" if norm is None else norm
    if norm not in _INVERSE_NORM:
        raise ValueError(f'{name}: invalid norm value {norm!r}, should be "backward", "ortho" or "forward"')
    return norm


def _resized(x: Tensor, n: int) -> Tensor:
    """``x`` cut or zero-padded to length ``n`` along its last axis (scipy's ``n``)."""
    from .ops import concatenate

    m = x.shape[-1]
    if n < m:
        return x[..., :n]
    if n > m:
        pad = Tensor._const(np.zeros(tuple(x.shape[:-1]) + (n - m,), dtype=x.dtype))
        return concatenate([x, pad], axis=-1)
    return x


def _const(values: np.ndarray, dtype: Any) -> Tensor:
    return Tensor._const(np.asarray(values, dtype=dtype))


def _raw(x: Tensor, type: int, sine: bool) -> Tensor:
    """The unnormalised transform of real ``x`` along its last axis (scipy's norm="backward" sums)."""
    from .fft import fft
    from .ops.complex_parts import imag, real

    n_pts = x.shape[-1]
    ctype = np.result_type(x.dtype, np.complex64)
    k = np.arange(n_pts)
    if type == 1:
        if sine:  # y_k = 2 sum x_n sin(pi (k+1)(n+1) / (N+1)): a zero in front, FFT of length 2(N+1)
            z = _resized(x[..., ::-1], n_pts + 1)[..., ::-1]
            return -2.0 * imag(fft(z, 2 * (n_pts + 1), axis=-1)[..., 1 : n_pts + 1])
        half = np.ones(n_pts)
        half[[0, -1]] = 0.5  # y_k = x_0 + (-1)^k x_{N-1} + 2 sum_{0<n<N-1} x_n cos(pi k n / (N-1))
        return 2.0 * real(fft(x * _const(half, x.dtype), 2 * (n_pts - 1), axis=-1)[..., :n_pts])
    twiddle = np.exp(-1j * np.pi * k / (2 * n_pts))  # e^{-i pi n / 2N}
    if type == 2:  # cos/sin(pi (k [+1]) (2n+1) / 2N): FFT of x, then the phase of the output index
        if sine:
            phase = np.exp(-1j * np.pi * (k + 1) / (2 * n_pts))
            return -2.0 * imag(fft(x, 2 * n_pts, axis=-1)[..., 1 : n_pts + 1] * _const(phase, ctype))
        return 2.0 * real(fft(x, 2 * n_pts, axis=-1)[..., :n_pts] * _const(twiddle, ctype))
    if type == 3:  # the transpose of type 2: the phase on the input index, the first (sine: last) halved
        half = np.ones(n_pts)
        if sine:
            half[-1] = 0.5
            phase = np.exp(-1j * np.pi * (k + 1) / (2 * n_pts))
            z = _resized((x * _const(half * phase, ctype))[..., ::-1], n_pts + 1)[..., ::-1]
            return -2.0 * imag(fft(z, 2 * n_pts, axis=-1)[..., :n_pts])
        half[0] = 0.5
        return 2.0 * real(fft(x * _const(half * twiddle, ctype), 2 * n_pts, axis=-1)[..., :n_pts])
    out_phase = _const(np.exp(-1j * np.pi * (2 * k + 1) / (4 * n_pts)), ctype)  # type 4
    y = fft(x * _const(twiddle, ctype), 2 * n_pts, axis=-1)[..., :n_pts] * out_phase
    return -2.0 * imag(y) if sine else 2.0 * real(y)


def _edge_scale(n_pts: int, type: int, sine: bool, where: str, dtype: Any) -> Any:
    """The orthogonalising weights (scipy's ``orthogonalize``): sqrt(2) on the first/last input
    ("in") or 1/sqrt(2) on the first/last output ("out"), per type; None where a type has none."""
    w = np.ones(n_pts)
    edge = [-1] if sine else [0]
    if type == 1 and not sine:
        edge = [0, -1]
    elif type == 1 or type == 4 or (type == 2 and where == "in") or (type == 3 and where == "out"):
        return None
    w[edge] = np.sqrt(2.0) if where == "in" else np.sqrt(0.5)
    return _const(w, dtype)


def _one_axis(
    x: Tensor, type: int, n: Any, axis: int, norm: str, ortho: bool, sine: bool, name: str
) -> Tensor:
    """One real-to-real transform of ``x`` along ``axis`` (complex ``x``: its real and imaginary parts)."""
    from .ops import moveaxis
    from .ops.complex_parts import imag, real

    if x.dtype.kind == "c":
        re = _one_axis(real(x), type, n, axis, norm, ortho, sine, name)
        return re + 1j * _one_axis(imag(x), type, n, axis, norm, ortho, sine, name)
    if x.ndim == 0:
        raise ValueError(f"{name}: the input must have at least one dimension, got a 0-d array")
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(f"{name}: axis {axis} is out of range for an array of shape {tuple(x.shape)}")
    n_pts = x.shape[axis] if n is None else int(n)
    if n_pts < 1:
        raise ValueError(f"{name}: invalid number of data points ({n_pts}) specified")
    if type == 1 and not sine and n_pts < 2:
        raise ValueError(f"{name}: the type 1 DCT needs at least 2 points, got {n_pts}")
    y = _resized(moveaxis(x, axis, -1), n_pts)
    if ortho and (w := _edge_scale(n_pts, type, sine, "in", y.dtype)) is not None:
        y = y * w
    y = _raw(y, type, sine)
    if ortho and (w := _edge_scale(n_pts, type, sine, "out", y.dtype)) is not None:
        y = y * w
    length = 2 * (n_pts - 1 if not sine else n_pts + 1) if type == 1 else 2 * n_pts
    scale = {"backward": 1.0, "forward": 1.0 / length, "ortho": 1.0 / np.sqrt(length)}[norm]
    if scale != 1.0:
        y = y * _const(scale, y.dtype)
    return moveaxis(y, -1, axis)


def _transform(
    x: Any, type: Any, n: Any, axis: Any, norm: Any, ortho: Any, sine: bool, inverse: bool, name: str
):
    norm = _check(type, norm, name)
    if inverse:
        type, norm = _INVERSE_TYPE[type], _INVERSE_NORM[norm]
    ortho = (norm == "ortho") if ortho is None else bool(ortho)
    return _one_axis(_float_input(x, name), type, n, int(axis), norm, ortho, sine, name)


def _transform_n(
    x: Any, type: Any, s: Any, axes: Any, norm: Any, ortho: Any, sine: bool, inverse: bool, name: str
):
    """The n-d transform: one 1-d transform per axis (scipy's ``s``/``axes`` defaults and checks)."""
    norm = _check(type, norm, name)
    if axes is not None and np.size(axes) == 0:
        return as_tensor(x)  # no axis to transform: scipy gives the input back, dtype and all
    x = _float_input(x, name)
    if axes is not None:
        axes = [int(a) for a in (np.atleast_1d(axes) if np.ndim(axes) else [axes])]
    if s is not None:
        s = [int(v) for v in (np.atleast_1d(s) if np.ndim(s) else [s])]
        if axes is None:
            axes = list(range(x.ndim - len(s), x.ndim))
        elif len(s) != len(axes):
            raise ValueError(f"{name}: when given, axes and shape arguments have to be of the same length")
    if axes is None:
        axes = list(range(x.ndim))
    if any(not -x.ndim <= a < x.ndim for a in axes):
        raise ValueError(f"{name}: axes {axes} are out of range for an array of shape {tuple(x.shape)}")
    if len({a % x.ndim for a in axes}) != len(axes):
        raise ValueError(f"{name}: all axes must be unique, got {axes}")
    sizes = s if s is not None else [None] * len(axes)
    for a, n in zip(axes, sizes):
        x = _transform(x, type, n, a, norm, ortho, sine, inverse, name)
    return x


def _declare(fn: Any) -> Any:
    return op(name=fn.__name__, family="fft", namespace=_NS, rules=_RULES, numpy=None, method=False)(fn)


@_declare
def dct(
    x: Any,
    type: int = 2,
    n: int | None = None,
    axis: int = -1,
    norm: str | None = None,
    overwrite_x: bool = False,
    workers: Any = None,
    orthogonalize: bool | None = None,
) -> Tensor:
    """The discrete cosine transform of ``x`` along ``axis`` (scipy.fft.dct, types 1-4).

    ``n`` cuts or zero-pads the input along ``axis``; ``norm`` is scipy's ("backward" or None: no scaling
    forward, "forward", "ortho"); ``orthogonalize`` (default: norm == "ortho") scales the first/last
    rows and columns so that the matrix is orthogonal, as scipy. Integer and boolean inputs compute in
    float64, float32 stays float32, a complex input has its real and imaginary parts transformed.
    Differentiable through autobp.fft.fft; ``overwrite_x`` and ``workers`` are accepted and ignored.
    """
    return _transform(x, type, n, axis, norm, orthogonalize, False, False, "dct")


@_declare
def idct(
    x: Any,
    type: int = 2,
    n: int | None = None,
    axis: int = -1,
    norm: str | None = None,
    overwrite_x: bool = False,
    workers: Any = None,
    orthogonalize: bool | None = None,
) -> Tensor:
    """The inverse discrete cosine transform (scipy.fft.idct): the DCT of the inverse type (2 <-> 3)
    with the norm's direction swapped, so idct(dct(x, t, norm=m), t, norm=m) is x.

    ``n`` cuts or zero-pads the input along ``axis``; ``norm`` is scipy's ("backward" or None: no scaling
    forward, "forward", "ortho"); ``orthogonalize`` (default: norm == "ortho") scales the first/last
    rows and columns so that the matrix is orthogonal, as scipy. Integer and boolean inputs compute in
    float64, float32 stays float32, a complex input has its real and imaginary parts transformed.
    Differentiable through autobp.fft.fft; ``overwrite_x`` and ``workers`` are accepted and ignored.
    """
    return _transform(x, type, n, axis, norm, orthogonalize, False, True, "idct")


@_declare
def dst(
    x: Any,
    type: int = 2,
    n: int | None = None,
    axis: int = -1,
    norm: str | None = None,
    overwrite_x: bool = False,
    workers: Any = None,
    orthogonalize: bool | None = None,
) -> Tensor:
    """The discrete sine transform of ``x`` along ``axis`` (scipy.fft.dst, types 1-4).

    ``n`` cuts or zero-pads the input along ``axis``; ``norm`` is scipy's ("backward" or None: no scaling
    forward, "forward", "ortho"); ``orthogonalize`` (default: norm == "ortho") scales the first/last
    rows and columns so that the matrix is orthogonal, as scipy. Integer and boolean inputs compute in
    float64, float32 stays float32, a complex input has its real and imaginary parts transformed.
    Differentiable through autobp.fft.fft; ``overwrite_x`` and ``workers`` are accepted and ignored.
    """
    return _transform(x, type, n, axis, norm, orthogonalize, True, False, "dst")


@_declare
def idst(
    x: Any,
    type: int = 2,
    n: int | None = None,
    axis: int = -1,
    norm: str | None = None,
    overwrite_x: bool = False,
    workers: Any = None,
    orthogonalize: bool | None = None,
) -> Tensor:
    """The inverse discrete sine transform (scipy.fft.idst): the DST of the inverse type (2 <-> 3)
    with the norm's direction swapped, so idst(dst(x, t, norm=m), t, norm=m) is x.

    ``n`` cuts or zero-pads the input along ``axis``; ``norm`` is scipy's ("backward" or None: no scaling
    forward, "forward", "ortho"); ``orthogonalize`` (default: norm == "ortho") scales the first/last
    rows and columns so that the matrix is orthogonal, as scipy. Integer and boolean inputs compute in
    float64, float32 stays float32, a complex input has its real and imaginary parts transformed.
    Differentiable through autobp.fft.fft; ``overwrite_x`` and ``workers`` are accepted and ignored.
    """
    return _transform(x, type, n, axis, norm, orthogonalize, True, True, "idst")


@_declare
def dctn(
    x: Any,
    type: int = 2,
    s: Any = None,
    axes: Any = None,
    norm: str | None = None,
    overwrite_x: bool = False,
    workers: Any = None,
    orthogonalize: bool | None = None,
) -> Tensor:
    """The n-dimensional discrete cosine transform (scipy.fft.dctn): ``dct`` along each of ``axes``.

    ``s`` gives the lengths along ``axes`` (each cut or zero-padded; given alone, it names the last
    len(s) axes; ``axes=[]`` returns the input as it is); otherwise as the one-axis transform.
    """
    return _transform_n(x, type, s, axes, norm, orthogonalize, False, False, "dctn")


@_declare
def idctn(
    x: Any,
    type: int = 2,
    s: Any = None,
    axes: Any = None,
    norm: str | None = None,
    overwrite_x: bool = False,
    workers: Any = None,
    orthogonalize: bool | None = None,
) -> Tensor:
    """The n-dimensional inverse discrete cosine transform (scipy.fft.idctn): ``idct`` along each axis.

    ``s`` gives the lengths along ``axes`` (each cut or zero-padded; given alone, it names the last
    len(s) axes; ``axes=[]`` returns the input as it is); otherwise as the one-axis transform.
    """
    return _transform_n(x, type, s, axes, norm, orthogonalize, False, True, "idctn")


@_declare
def dstn(
    x: Any,
    type: int = 2,
    s: Any = None,
    axes: Any = None,
    norm: str | None = None,
    overwrite_x: bool = False,
    workers: Any = None,
    orthogonalize: bool | None = None,
) -> Tensor:
    """The n-dimensional discrete sine transform (scipy.fft.dstn): ``dst`` along each of ``axes``.

    ``s`` gives the lengths along ``axes`` (each cut or zero-padded; given alone, it names the last
    len(s) axes; ``axes=[]`` returns the input as it is); otherwise as the one-axis transform.
    """
    return _transform_n(x, type, s, axes, norm, orthogonalize, True, False, "dstn")


@_declare
def idstn(
    x: Any,
    type: int = 2,
    s: Any = None,
    axes: Any = None,
    norm: str | None = None,
    overwrite_x: bool = False,
    workers: Any = None,
    orthogonalize: bool | None = None,
) -> Tensor:
    """The n-dimensional inverse discrete sine transform (scipy.fft.idstn): ``idst`` along each axis.

    ``s`` gives the lengths along ``axes`` (each cut or zero-padded; given alone, it names the last
    len(s) axes; ``axes=[]`` returns the input as it is); otherwise as the one-axis transform.
    """
    return _transform_n(x, type, s, axes, norm, orthogonalize, True, True, "idstn")


__all__ = ["dct", "idct", "dst", "idst", "dctn", "idctn", "dstn", "idstn"]
