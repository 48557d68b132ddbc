"""autobp.fft beyond the op table: numpy's np.fft functions on Tensors, a Fourier-domain loss against
torch.fft, irfft ignoring the imaginary parts of its self-conjugate bins, dtypes and errors."""

import numpy as np
import pytest

import autobp
import autobp.fft as fft
from autobp import Tensor, gradcheck

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(7)
X = RNG.standard_normal((3, 8))


def test_numpy_fft_functions_dispatch_to_autobp():
    x = Tensor(X, requires_grad=True)
    for name in ("fft", "ifft", "rfft", "fft2", "fftn", "rfftn", "fftshift", "ifftshift"):
        out = getattr(np.fft, name)(x)
        assert isinstance(out, Tensor) and out.requires_grad, name
        np.testing.assert_allclose(out.data, getattr(np.fft, name)(X), rtol=1e-12, atol=1e-12)
    assert isinstance(np.fft.irfft(np.fft.rfft(x), n=8), Tensor)
    np.testing.assert_array_equal(np.fft.fftfreq(5, Tensor(0.5)).data, np.fft.fftfreq(5, 0.5))


def test_fourier_domain_loss_matches_torch():
    """A low-pass filter in the Fourier domain and a spectral-power loss, gradients as torch's."""
    x = Tensor(X, requires_grad=True)
    mask = (np.abs(np.fft.rfftfreq(8)) < 0.3).astype(float)
    y = fft.irfft(fft.rfft(x, norm="ortho") * mask, n=8, norm="ortho")
    loss = ((y - 0.5) ** 2).sum() + (autobp.abs(fft.fft2(x)) ** 2).mean()
    loss.backward()
    tx = torch.tensor(X, requires_grad=True)
    ty = torch.fft.irfft(torch.fft.rfft(tx, norm="ortho") * torch.tensor(mask), n=8, norm="ortho")
    tloss = ((ty - 0.5) ** 2).sum() + (torch.fft.fft2(tx).abs() ** 2).mean()
    tloss.backward()
    np.testing.assert_allclose(loss.item(), tloss.item(), rtol=1e-12)
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_irfft_output_feeding_a_complex_op_matches_torch():
    """irfft's real output times a complex number: the gradient reaching irfft is complex, and its
    rule takes the real part (the imaginary part means nothing for a real result), as torch does."""
    z = RNG.standard_normal((2, 5)) + 1j * RNG.standard_normal((2, 5))
    x = Tensor(z, requires_grad=True)
    (autobp.abs(fft.irfft(x, n=8) * (1.0 + 2.0j)) ** 2).sum().backward()
    tx = torch.tensor(z, requires_grad=True)
    (torch.fft.irfft(tx, n=8) * (1.0 + 2.0j)).abs().pow(2).sum().backward()
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("n", [8, 9])
def test_irfft_ignores_the_imaginary_part_of_self_conjugate_bins(n):
    """The zero frequency (and the Nyquist one for even n) are read as real: their imaginary part
    has no effect, so its gradient is 0; the other bins count twice (they stand for their mirror)."""
    z = Tensor(np.fft.rfft(RNG.standard_normal(n)) + 0.3j, requires_grad=True)
    w = RNG.standard_normal(n)
    (fft.irfft(z, n=n) * w).sum().backward()
    assert z.grad[0].imag == 0.0
    if n % 2 == 0:
        assert z.grad[-1].imag == 0.0
    np.testing.assert_allclose(z.grad[1:3], 2 * np.fft.rfft(w)[1:3] / n, rtol=1e-12)
    assert gradcheck(lambda t: fft.irfft(t, n=n), [z])


def test_float32_gives_complex64_and_back():
    x = Tensor(X.astype(np.float32), requires_grad=True, dtype=np.float32)
    spectrum = fft.rfft(x)
    assert spectrum.dtype == np.complex64
    back = fft.irfft(spectrum, n=8)
    assert back.dtype == np.float32
    (back * back).sum().backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_allclose(x.grad, 2 * X, rtol=1e-4, atol=1e-5)  # irfft(rfft(x)) = x


def test_errors_name_the_transform():
    with pytest.raises(TypeError, match="rfft: the input must be real"):
        fft.rfft(Tensor(X + 1j))
    with pytest.raises(ValueError, match="fft: norm must be"):
        fft.fft(Tensor(X), norm="unitary")
    with pytest.raises(ValueError, match="fftn: axes"):
        fft.fftn(Tensor(X), axes=(0, 5))
    with pytest.raises(ValueError, match=r"ifft: Invalid number of FFT data points \(0\)"):
        fft.ifft(Tensor(X), n=0)
