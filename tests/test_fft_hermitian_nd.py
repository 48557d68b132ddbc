"""torch.fft's hfft2, hfftn, ihfft2, ihfftn: values, dtypes, s/dim/norm handling, errors and
gradients against torch, plus gradcheck."""

import numpy as np
import pytest

import autobp as ab
import autobp.fft as fft

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(7)
Z = RNG.standard_normal((3, 4, 5)) + 1j * RNG.standard_normal((3, 4, 5))
X = RNG.standard_normal((3, 4, 5))

FORWARD = [
    ("hfft2", {}),
    ("hfft2", {"s": (3, 7), "norm": "ortho"}),
    ("hfft2", {"dim": (2, 0), "norm": "forward"}),
    ("hfftn", {}),
    ("hfftn", {"s": (6,)}),
    ("hfftn", {"s": (-1, 2, -1), "norm": "ortho"}),
    ("hfftn", {"dim": 1, "norm": "forward"}),
    ("hfftn", {"s": (3, 1), "dim": (0, 1)}),
]
INVERSE = [
    ("ihfft2", {}),
    ("ihfft2", {"s": (2, 6), "norm": "ortho"}),
    ("ihfft2", {"dim": (2, 0), "norm": "forward"}),
    ("ihfftn", {}),
    ("ihfftn", {"s": (7,)}),
    ("ihfftn", {"s": (-1, 2, -1), "norm": "ortho"}),
    ("ihfftn", {"dim": 0, "norm": "forward"}),
]


def _np(t):
    return t.detach().resolve_conj().numpy()


@pytest.mark.parametrize("name,kw", FORWARD + INVERSE)
def test_values_match_torch(name, kw):
    data = Z if name.startswith("h") else X
    got = getattr(fft, name)(ab.tensor(data), **kw)
    want = getattr(torch.fft, name)(torch.tensor(data), **kw)
    assert got.shape == tuple(want.shape)
    assert str(got.dtype) == str(want.dtype).removeprefix("torch.")
    np.testing.assert_allclose(got.numpy(), _np(want), atol=1e-12)


@pytest.mark.parametrize("name,kw", FORWARD + INVERSE)
def test_gradients_match_torch(name, kw):
    data = Z if name.startswith("h") else X
    want = getattr(torch.fft, name)(torch.tensor(data), **kw)
    w = RNG.standard_normal(tuple(want.shape)) + (
        1j * RNG.standard_normal(tuple(want.shape)) if want.is_complex() else 0
    )
    t = ab.tensor(data, requires_grad=True)
    ab.real(getattr(fft, name)(t, **kw) * w).sum().backward()
    tt = torch.tensor(data, requires_grad=True)
    (getattr(torch.fft, name)(tt, **kw) * torch.tensor(w)).sum().real.backward()
    np.testing.assert_allclose(np.asarray(t.grad), _np(tt.grad), atol=1e-10)


def test_real_input_to_hfftn_has_torchs_real_gradient():
    w = RNG.standard_normal((3, 4, 8))
    t = ab.tensor(X, requires_grad=True)
    (fft.hfftn(t, s=(-1, -1, 8)) * w).sum().backward()
    tt = torch.tensor(X, requires_grad=True)
    (torch.fft.hfftn(tt, s=(-1, -1, 8)) * torch.tensor(w)).sum().backward()
    assert t.grad.dtype == np.float64
    np.testing.assert_allclose(np.asarray(t.grad), tt.grad.numpy(), atol=1e-10)


def test_float32_and_complex64_are_kept_like_torch():
    assert fft.hfft2(ab.tensor(Z.astype(np.complex64))).dtype == np.float32
    assert fft.hfftn(ab.tensor(X.astype(np.float32))).dtype == np.float32
    assert fft.ihfftn(ab.tensor(X.astype(np.float32))).dtype == np.complex64
    assert torch.fft.ihfftn(torch.tensor(X.astype(np.float32))).dtype == torch.complex64


def test_axes_is_accepted_as_dim():
    a = fft.hfftn(ab.tensor(Z), axes=(0, 2)).numpy()
    np.testing.assert_allclose(a, _np(torch.fft.hfftn(torch.tensor(Z), dim=(0, 2))), atol=1e-12)
    with pytest.raises(TypeError, match="not both"):
        fft.ihfftn(ab.tensor(X), dim=0, axes=0)


@pytest.mark.parametrize(
    "name,data,kw",
    [
        ("ihfftn", Z, {}),
        ("hfftn", Z, {"dim": (0, 0)}),
        ("hfftn", Z, {"s": (3, 4), "dim": (0,)}),
        ("hfftn", Z, {"s": (0, 4)}),
        ("hfftn", Z, {"dim": (3,)}),
        ("hfftn", Z, {"dim": ()}),
        ("hfftn", Z, {"norm": "bad"}),
        ("hfft2", Z[0, 0], {}),
        ("ihfft2", X[0, 0], {}),
        ("hfftn", Z[0, 0, 0], {}),
    ],
)
def test_bad_input_raises_like_torch(name, data, kw):
    with pytest.raises((RuntimeError, IndexError)):
        getattr(torch.fft, name)(torch.tensor(data), **kw)
    with pytest.raises((ValueError, TypeError, IndexError), match=name):
        getattr(fft, name)(ab.tensor(data), **kw)


@pytest.mark.parametrize(
    "fn",
    [
        lambda z: fft.hfft2(z, s=(3, 5), norm="ortho"),
        lambda z: fft.hfftn(z, s=(2, -1), dim=(0, 1)),
        lambda z: fft.ihfftn(ab.real(z), s=(3, 3)) * (1 + 2j),
        lambda z: fft.ihfft2(ab.imag(z), norm="forward"),
    ],
)
def test_gradcheck(fn):
    z = ab.tensor(Z[0, :3, :3], requires_grad=True)
    assert ab.gradcheck(fn, (z,))
