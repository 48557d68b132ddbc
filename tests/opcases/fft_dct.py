"""Op-table cases for scipy.fft's real-to-real transforms dct, idct, dst, idst and their n-d forms
(autobp/fft_dct.py): gradients against finite differences (to second order), float32, non-contiguous
inputs. Values are checked against scipy.fft in tests/test_fft_dct_scipy.py with a tolerance: the
transforms go through a complex FFT, so an entry scipy computes as exactly 0 comes out as ~1e-17 here,
beyond the table's exact numpy comparison."""

import autobp.fft as fft

from ..optable import arrays_of, case, complexify

_ONE_AXIS = ((1, None, None, -1), (2, "ortho", 5, 0), (3, "forward", 3, -1), (4, "ortho", None, 0))
_N_AXES = ((2, None, None, None), (3, "ortho", (5, 2), (0, 2)), (1, "forward", (3,), (-2,)))


def _call(lib, name, **kw):
    return lambda x: getattr(lib, name)(x, **kw)


for _name in ("dct", "idct", "dst", "idst"):
    for _type, _norm, _n, _axis in _ONE_AXIS:
        _kw = {"type": _type, "n": _n, "axis": _axis, "norm": _norm}
        case(
            _name,
            _call(fft, _name, **_kw),
            arrays_of((4, 3)),
            id=f"{_name}-type{_type}-{_norm}-n{_n}-axis{_axis}",
        )
for _name in ("dctn", "idctn", "dstn", "idstn"):
    for _type, _norm, _s, _axes in _N_AXES:
        _kw = {"type": _type, "s": _s, "axes": _axes, "norm": _norm}
        case(
            _name,
            _call(fft, _name, **_kw),
            arrays_of((3, 2, 4)),
            id=f"{_name}-type{_type}-{_norm}-s{_s}-axes{_axes}",
        )
case(
    "dct",
    _call(fft, "dct", norm="ortho", orthogonalize=False),
    complexify(arrays_of((3, 4))),
    complex=True,
    id="dct-complex-ortho-not-orthogonalized",
)
