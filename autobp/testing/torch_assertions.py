"""PyTorch's ``torch.testing.assert_close`` for Tensors, arrays, numbers and nested lists, tuples and dicts
of them: the same checks (shape, dtype), default tolerances by dtype and report, so ported tests run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

# torch.testing's default (rtol, atol) by dtype; integers and bools compare exactly
_TOLERANCES = {
    np.dtype(np.float16): (1e-3, 1e-5),
    np.dtype(np.float32): (1.3e-6, 1e-5),
    np.dtype(np.float64): (1e-7, 1e-7),
    np.dtype(np.complex64): (1.3e-6, 1e-5),
    np.dtype(np.complex128): (1e-7, 1e-7),
}


def _default_tolerances(*dtypes: np.dtype) -> tuple[float, float]:
    pairs = [_TOLERANCES.get(np.dtype(d), (0.0, 0.0)) for d in dtypes]
    return max(p[0] for p in pairs), max(p[1] for p in pairs)


def _as_array(x: Any) -> np.ndarray | None:
    """The values of a Tensor or ndarray, else None (numbers and containers are compared otherwise)."""
    from ..tensor import Tensor

    if isinstance(x, Tensor):
        return np.asarray(x.detach().numpy())
    if isinstance(x, (np.ndarray, np.generic)):
        return np.asarray(x)
    return None


def _where(index: tuple) -> str:
    return "(" + ", ".join(str(int(i)) for i in index) + ("," if len(index) == 1 else "") + ")"


def _compare_arrays(
    a: np.ndarray, b: np.ndarray, rtol: Any, atol: Any, equal_nan: bool, check_dtype: bool
) -> str:
    if a.shape != b.shape:
        return f"The values for attribute 'shape' do not match: {a.shape} != {b.shape}."
    if check_dtype and a.dtype != b.dtype:
        return f"The values for attribute 'dtype' do not match: {a.dtype} != {b.dtype}."
    if rtol is None:
        rtol, atol = _default_tolerances(a.dtype, b.dtype)
    exact = a.dtype.kind in "biu" and b.dtype.kind in "biu"
    if exact:
        close = a == b
    else:
        a64 = a.astype(np.complex128 if np.iscomplexobj(a) or np.iscomplexobj(b) else np.float64)
        b64 = b.astype(a64.dtype)
        with np.errstate(invalid="ignore", over="ignore"):
            close = np.abs(a64 - b64) <= atol + rtol * np.abs(b64)
            close |= a64 == b64  # equal infinities
            if equal_nan:
                close |= np.isnan(a64) & np.isnan(b64)
    if close.all():
        return ""
    bad = int(close.size - np.count_nonzero(close))
    lines = [
        "Tensor-likes are not equal!" if exact else "Tensor-likes are not close!",
        "",
        f"Mismatched elements: {bad} / {close.size} ({100.0 * bad / close.size:.1f}%)",
    ]
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        diff = np.abs(a.astype(np.complex128) - b.astype(np.complex128)).reshape(a.shape)
        rel = diff / np.abs(b.astype(np.complex128))
    for what, d, tol in (("absolute", diff, atol), ("relative", rel, rtol)):
        d = np.where(np.isnan(d), np.inf, d) if d.size else d
        at = np.unravel_index(int(np.argmax(d)), d.shape) if d.ndim else ()
        allowed = "" if exact else f" (up to {tol} allowed)"
        lines.append(f"Greatest {what} difference: {d[at]} at index {_where(at)}{allowed}")
    return "\n".join(lines)


def _compare(
    actual: Any, expected: Any, rtol: Any, atol: Any, equal_nan: bool, check_dtype: bool, path: str
) -> str:
    a, b = _as_array(actual), _as_array(expected)
    if a is not None or b is not None:
        if a is None or b is None:
            kinds = f"{type(actual).__name__} with {type(expected).__name__}"
            return f"{path}Comparing {kinds}: both must be tensors."
        msg = _compare_arrays(a, b, rtol, atol, equal_nan, check_dtype)
        return path + msg if msg else ""
    if isinstance(actual, Mapping) and isinstance(expected, Mapping):
        if set(actual) != set(expected):
            keys = f"{sorted(map(str, actual))} != {sorted(map(str, expected))}"
            return f"{path}The keys of the mappings do not match: {keys}."
        for k in actual:
            msg = _compare(
                actual[k], expected[k], rtol, atol, equal_nan, check_dtype, f"{path}item [{k!r}]: "
            )
            if msg:
                return msg
        return ""
    if isinstance(actual, Sequence) and isinstance(expected, Sequence) and not isinstance(actual, str):
        if len(actual) != len(expected):
            return f"{path}The length of the sequences mismatch: {len(actual)} != {len(expected)}"
        for i, (x, y) in enumerate(zip(actual, expected)):
            msg = _compare(x, y, rtol, atol, equal_nan, check_dtype, f"{path}item [{i}]: ")
            if msg:
                return msg
        return ""
    if isinstance(actual, (bool, int, float, complex)) and isinstance(expected, (bool, int, float, complex)):
        if check_dtype and type(actual) is not type(expected):
            kinds = f"{type(actual).__name__} != {type(expected).__name__}"
            return f"{path}The values for attribute 'dtype' do not match: {kinds}."
        kind = {bool: np.bool_, int: np.int64, float: np.float64, complex: np.complex128}
        msg = _compare_arrays(
            np.asarray(actual, kind[type(actual)]),
            np.asarray(expected, kind[type(expected)]),
            rtol,
            atol,
            equal_nan,
            False,
        )
        return path + msg.replace("Tensor-likes", "Scalars") if msg else ""
    if actual is None and expected is None:
        return ""
    raise TypeError(f"assert_close: no comparison for {type(actual).__name__} and {type(expected).__name__}")


def assert_close(
    actual: Any,
    expected: Any,
    *,
    allow_subclasses: bool = True,
    rtol: float | None = None,
    atol: float | None = None,
    equal_nan: bool = False,
    check_device: bool = True,
    check_dtype: bool = True,
    check_layout: bool = True,
    check_stride: bool = False,
    msg: Any = None,
) -> None:
    """PyTorch's ``torch.testing.assert_close``: raise AssertionError unless ``actual`` and ``expected``
    (Tensors, arrays, numbers, or sequences and mappings of them) have equal shapes and dtypes (when
    ``check_dtype``) and |actual - expected| <= atol + rtol * |expected| everywhere; without rtol and
    atol, PyTorch's defaults for the dtypes (float32: 1.3e-6 and 1e-5; float64: 1e-7 and 1e-7; integers
    and bools exactly). NaNs are equal only with ``equal_nan``. ``msg`` (a string, or a callable of
    the generated message) replaces the message. Device, layout and stride checks have nothing to check.
    """
    if (rtol is None) != (atol is None):
        given = "rtol" if atol is None else "atol"
        raise ValueError(
            f"Both 'rtol' and 'atol' must be either specified or omitted, but got no "
            f"{'atol' if given == 'rtol' else 'rtol'} and {given}={rtol if given == 'rtol' else atol}."
        )
    problem = _compare(actual, expected, rtol, atol, equal_nan, check_dtype, "")
    if problem:
        raise AssertionError(msg(problem) if callable(msg) else problem if msg is None else msg)
