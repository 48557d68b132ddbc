"""Op-table cases for autobp.signal: convolve and correlate in every mode, 1-d and 2-d, the larger
input first and second, against scipy.signal (values), finite differences and PyTorch's conv1d."""

import scipy.signal as ss

import autobp.signal as sg

from ..optable import arrays_of, case, torch

_PAIRS = [((5,), (3,)), ((3,), (4,)), ((4, 3), (2, 2)), ((2, 3), (3, 4))]
for _sa, _sb in _PAIRS:
    for _mode in ("full", "same", "valid"):
        for _name, _ours, _scipy in (
            ("convolve", sg.convolve, ss.convolve),
            ("correlate", sg.correlate, ss.correlate),
        ):
            case(
                f"signal_{_name}",
                lambda a, b, f=_ours, m=_mode: f(a, b, m),
                arrays_of(_sa, _sb),
                numpy_fn=lambda a, b, f=_scipy, m=_mode: f(a, b, m, method="direct"),
                id=f"{_name}-{_mode}-{_sa}-{_sb}",
            )
case(
    "signal_correlate",
    lambda a, b: sg.correlate(a, b, "full"),
    arrays_of((6,), (3,)),
    torch_fn=lambda a, b: torch.nn.functional.conv1d(a[None, None], b[None, None], padding=2)[0, 0],
    id="correlate-full-vs-torch-conv1d",
)
