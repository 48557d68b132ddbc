"""Op-table cases for torch.fft's 2-d and n-d Hermitian transforms hfft2, hfftn, ihfft2, ihfftn
(autobp/fft_hermitian.py), against torch.fft (values and gradients); numpy has no such functions."""

import autobp.fft as fft

from ..optable import arrays_of, case, complexify, torch

case(
    "hfft2",
    lambda z: fft.hfft2(z, s=(3, 5), norm="ortho"),
    complexify(arrays_of((2, 2, 3))),
    torch_fn=lambda z: torch.fft.hfft2(z, s=(3, 5), norm="ortho"),
    complex=True,
    id="hfft2-s35-ortho",
)
case(
    "hfftn",
    lambda z: fft.hfftn(z, s=(2, -1), dim=(0, 2)),
    complexify(arrays_of((2, 2, 3))),
    torch_fn=lambda z: torch.fft.hfftn(z, s=(2, -1), dim=(0, 2)),
    complex=True,
    id="hfftn-s2m1-dim02-backward",
)
case(
    "ihfft2",
    lambda x: fft.ihfft2(x, norm="forward"),
    arrays_of((2, 3, 4)),
    torch_fn=lambda x: torch.fft.ihfft2(x, norm="forward"),
    id="ihfft2-forward",
)
case(
    "ihfftn",
    lambda x: fft.ihfftn(x, s=(3, 5)),
    arrays_of((2, 3, 4)),
    torch_fn=lambda x: torch.fft.ihfftn(x, s=(3, 5)),
    id="ihfftn-s35-backward",
)
