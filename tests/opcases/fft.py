"""Op-table cases for autobp.fft: every transform with numpy's n/s, axis/axes and norm, against
numpy (values), finite differences on real and imaginary parts, and torch.fft (values and gradients)."""

import numpy as np

import autobp.fft as fft

from ..optable import arrays_of, case, complexify, shapes, torch, unary

C = {"complex": True}
NORMS = (None, "ortho", "forward")


def _t(name):
    return getattr(torch.fft, name) if torch else None


# each variant under one norm, the norms taken in turn: every norm meets every transform, and the
# table stays small (second order on complex inputs costs a few hundred evaluations per example)
for k, (name, n, axis) in enumerate(
    [("fft", None, -1), ("fft", 6, -1), ("fft", 2, 0), ("ifft", None, -1), ("ifft", 5, 0), ("ifft", 3, -1)]
):
    norm = NORMS[k % 3]
    tag = norm or "backward"
    case(
        name,
        lambda z, name=name, n=n, axis=axis, norm=norm: getattr(fft, name)(z, n=n, axis=axis, norm=norm),
        complexify(arrays_of((2, 4))),
        torch_fn=lambda z, name=name, n=n, axis=axis, norm=norm: _t(name)(z, n=n, dim=axis, norm=norm),
        numpy_fn=lambda z, name=name, n=n, axis=axis, norm=norm: getattr(np.fft, name)(z, n, axis, norm),
        id=f"{name}-n{n}-axis{axis}-{tag}",
        **C,
    )
for k, n in enumerate((None, 5, 6, 3, None, 4)):
    norm = NORMS[k % 3]
    tag = norm or "backward"
    case(
        "rfft",
        lambda x, n=n, norm=norm: fft.rfft(x, n=n, norm=norm),
        arrays_of((2, 4)),
        torch_fn=lambda x, n=n, norm=norm: torch.fft.rfft(x, n=n, norm=norm),
        numpy_fn=lambda x, n=n, norm=norm: np.fft.rfft(x, n, norm=norm),
        id=f"rfft-n{n}-{tag}",
    )
    case(
        "irfft",
        lambda z, n=n, norm=norm: fft.irfft(z, n=n, norm=norm),
        complexify(arrays_of((2, 4))),
        torch_fn=lambda z, n=n, norm=norm: torch.fft.irfft(z, n=n, norm=norm),
        numpy_fn=lambda z, n=n, norm=norm: np.fft.irfft(z, n, norm=norm),
        id=f"irfft-n{n}-{tag}",
        **C,
    )
for k, (name, s, axes) in enumerate(
    [("fft2", None, (-2, -1)), ("ifft2", (3, 2), (-2, -1)), ("fftn", None, None), ("ifftn", (2, 2), (0, 2))]
    + [("rfft2", None, (-2, -1)), ("rfftn", (3, 5), (0, 2)), ("rfftn", None, None)]
    + [
        ("irfft2", None, (-2, -1)),
        ("irfftn", (2, 5), (0, 2)),
        ("irfftn", None, None),
        ("irfftn", (3, 4), (1, 2)),
    ]
):
    norm = NORMS[k % 3]
    tag = norm or "backward"
    real_input = name.startswith("rfft")
    case(
        name,
        lambda z, name=name, s=s, axes=axes, norm=norm: getattr(fft, name)(z, s=s, axes=axes, norm=norm),
        arrays_of((2, 2, 3)) if real_input else complexify(arrays_of((2, 2, 3))),
        torch_fn=lambda z, name=name, s=s, axes=axes, norm=norm: _t(name)(z, s=s, dim=axes, norm=norm),
        numpy_fn=lambda z, name=name, s=s, axes=axes, norm=norm: getattr(np.fft, name)(z, s, axes, norm),
        id=f"{name}-s{s}-axes{axes}-{tag}",
        complex=not real_input,
    )

for name in ("fftshift", "ifftshift"):
    case(
        name,
        lambda z, name=name: getattr(fft, name)(z) * 1.0,
        complexify(unary(min_dims=1)),
        torch_fn=lambda z, name=name: _t(name)(z) * 1.0,
        numpy_fn=lambda z, name=name: getattr(np.fft, name)(z),
        id=f"{name}-complex",
        **C,
    )
    case(
        name,
        lambda x, name=name: getattr(fft, name)(x, axes=0) * 1.0,
        unary(min_dims=1),
        torch_fn=lambda x, name=name: _t(name)(x, dim=0) * 1.0,
        numpy_fn=lambda x, name=name: getattr(np.fft, name)(x, axes=0),
        id=f"{name}-axis0",
    )
case(
    ("fftfreq", "rfftfreq"),
    lambda d: (fft.fftfreq(5, d), fft.rfftfreq(6, d), fft.fftfreq(4), fft.rfftfreq(1, 0.5)),
    shapes(min_dims=0, max_dims=0).map(lambda s: (np.float64(0.25),)),
    numpy_fn=lambda d: (
        np.fft.fftfreq(5, d),
        np.fft.rfftfreq(6, d),
        np.fft.fftfreq(4),
        np.fft.rfftfreq(1, 0.5),
    ),
    grad=False,
)

# PyTorch's spelling dim= (for axis=/axes=), called exactly as torch.fft's functions are
for name, kw, shape, cplx in [
    ("fft", {"n": 3, "dim": 0, "norm": "ortho"}, (2, 4), True),
    ("ifft", {"dim": 0}, (2, 4), True),
    ("rfft", {"n": 5, "dim": 0}, (2, 4), False),
    ("irfft", {"dim": 0, "norm": "forward"}, (2, 4), True),
    ("hfft", {"n": 4, "dim": 0}, (3, 2), True),
    ("ihfft", {"dim": 0}, (3, 2), False),
    ("fft2", {"s": (3, 2), "dim": (0, 2)}, (2, 3, 2), True),
    ("rfftn", {"dim": (1, 0)}, (2, 3, 2), False),
    ("irfftn", {"s": (2, 4), "dim": (0, 2)}, (2, 3, 2), True),
    ("fftshift", {"dim": 0}, (3, 4), False),
    ("ifftshift", {"dim": (0, 1)}, (3, 4), False),
]:
    case(
        name,
        lambda z, name=name, kw=kw: getattr(fft, name)(z, **kw),
        complexify(arrays_of(shape)) if cplx else arrays_of(shape),
        torch_fn=lambda z, name=name, kw=kw: _t(name)(z, **kw),
        id=f"{name}-torch-dim-" + "-".join(f"{k}{v}" for k, v in kw.items()),
        **(C if cplx else {}),
    )
