"""Op-table cases for numpy names peer suites reached for: divmod (floor_divide and remainder at
once), logspace and geomspace (differentiable in their ends), copyto (a recorded write)."""

import numpy as np
from hypothesis import strategies as st

import autobp

from ..optable import array, arrays_of, case, shapes, torch
from .binary import _same_shape

# --- divmod: the quotient a constant, the remainder remainder's gradient (PyTorch's) -------------
case(
    ("divmod", "remainder"),
    lambda a, b: list(autobp.divmod(a, b)),
    _same_shape,
    torch_fn=lambda a, b: [torch.floor_divide(a, b), torch.remainder(a, b)],
    numpy_fn=lambda a, b: list(np.divmod(a, b)),
    ints=True,
)
case(
    "divmod",
    lambda a, b: list(np.divmod(a, b)),  # numpy's ufunc on Tensors dispatches here
    _same_shape,
    numpy_fn=lambda a, b: list(np.divmod(a, b)),
    id="divmod-numpy-dispatch",
)


# --- logspace: base ** linspace(start, stop), differentiable in start, stop and base -------------
def _ends(lo: float = -1.0, hi: float = 1.0) -> object:
    return shapes(max_dims=2, max_side=3).flatmap(lambda s: arrays_of(s, s, lo=lo, hi=hi))


for _num, _endpoint, _axis, _base in [
    (5, True, 0, 10.0),
    (4, False, -1, 2.0),
    (1, True, 0, 3.0),
    (0, True, 0, 10.0),
]:
    case(
        "logspace",
        lambda s, e, n=_num, ep=_endpoint, ax=_axis, b=_base: autobp.logspace(s, e, n, ep, b, axis=ax),
        _ends(),
        numpy_fn=lambda s, e, n=_num, ep=_endpoint, ax=_axis, b=_base: np.logspace(s, e, n, ep, b, axis=ax),
        id=f"logspace-num{_num}-endpoint{_endpoint}-axis{_axis}-base{_base}",
    )
case(
    "logspace",
    lambda s, e, b: autobp.logspace(s, e, 3, base=b, axis=-1),
    shapes(max_dims=2, max_side=3).flatmap(
        lambda s: st.tuples(array(s, -1.0, 1.0), array(s, -1.0, 1.0), array(s, 0.5, 4.0))
    ),
    numpy_fn=lambda s, e, b: np.logspace(s, e, 3, base=b, axis=-1),
    id="logspace-tensor-base",
)
case(
    "logspace",
    lambda s, e: autobp.logspace(s.sum(), e.sum(), 6, base=2.0),
    arrays_of((), ()),
    torch_fn=lambda s, e: 2.0 ** (s + (e - s) * torch.linspace(0, 1, 6, dtype=s.dtype)),
    numpy_fn=lambda s, e: np.logspace(s, e, 6, base=2.0),
    id="logspace-scalar-ends",
)

# --- geomspace: start ** (1 - t) stop ** t, numpy's exact values; ends of one sign ----------------
for _num, _endpoint, _axis in [(5, True, 0), (4, False, -1), (1, True, 0)]:
    for _sign in (1.0, -1.0):
        case(
            "geomspace",
            lambda s, e, n=_num, ep=_endpoint, ax=_axis, sg=_sign: autobp.geomspace(
                sg * s, sg * e, n, ep, axis=ax
            ),
            _ends(0.2, 3.0),
            numpy_fn=lambda s, e, n=_num, ep=_endpoint, ax=_axis, sg=_sign: np.geomspace(
                sg * s, sg * e, n, ep, axis=ax
            ),
            id=f"geomspace-num{_num}-endpoint{_endpoint}-axis{_axis}-sign{_sign:+.0f}",
            float32=False,  # numpy computes in result_type(start, stop, float64): float64 samples
        )


# --- copyto: a recorded write; src's gradient where written, dst's old value's elsewhere ----------
def _copyto(d, s, where):
    y = d * 1.0  # a non-leaf to write into
    autobp.copyto(y, s, where=where(y.shape))
    return y


def _copyto_np(d, s, where):
    y = d.copy()
    np.copyto(y, s, where=where(y.shape))
    return y


def _checker(shape):
    return np.indices(shape).sum(axis=0) % 2 == 0


_dst_src = shapes(max_dims=3).flatmap(lambda s: arrays_of(s, s[1:]))  # src broadcasts along axis 0
for _where, _wid in [(lambda shape: True, "all"), (_checker, "mask")]:
    case(
        "copyto",
        lambda d, s, w=_where: _copyto(d, s, w),
        _dst_src,
        numpy_fn=lambda d, s, w=_where: _copyto_np(d, s, w),
        id=f"copyto-where-{_wid}",
    )
