"""Op-table cases for autobp.signal's convolve2d, correlate2d (every mode, either input the larger)
and detrend (constant and linear, with breakpoints), against scipy.signal and finite differences."""

import scipy.signal as ss

import autobp.signal as sg

from ..optable import arrays_of, case

for _sa, _sb in (((4, 3), (2, 2)), ((2, 3), (3, 4)), ((3, 4), (2, 3))):
    for _mode in ("full", "same", "valid"):
        for _name, _ours, _scipy in (
            ("convolve2d", sg.convolve2d, ss.convolve2d),
            ("correlate2d", sg.correlate2d, ss.correlate2d),
        ):
            case(
                f"signal_{_name}",
                lambda a, b, f=_ours, m=_mode: f(a, b, m),
                arrays_of(_sa, _sb),
                numpy_fn=lambda a, b, f=_scipy, m=_mode: f(a, b, m),
                id=f"{_name}-{_mode}-{_sa}-{_sb}",
            )
for _type in ("constant", "linear"):
    for _axis, _bp in ((-1, 0), (0, [0, 2]), (1, [1, 3])):
        case(
            "signal_detrend",
            lambda a, t=_type, ax=_axis, bp=_bp: sg.detrend(a, axis=ax, type=t, bp=bp),
            arrays_of((4, 5)),
            # (linear: scipy's lstsq and our projection round differently around an exact 0; the values
            # are checked against scipy with an absolute tolerance in tests/test_signal_jax_scipy.py)
            numpy_fn=(lambda a, ax=_axis: ss.detrend(a, axis=ax, type="constant"))
            if _type == "constant"
            else None,
            id=f"detrend-{_type}-{_axis}-{_bp}",
        )
