"""autobp.fft against torch.fft (the oracle) where PyTorch's test_spectral_ops found disagreements:
an s= longer than the input's dims, fftn/fft2 over dim=(), and bad arguments raising what both numpy
and PyTorch code catch."""

import numpy as np
import pytest

import autobp as ab

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(6)
X3 = RNG.standard_normal((4, 5, 6))


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("name", ["fftn", "ifftn", "rfftn", "irfftn", "hfftn", "ihfftn"])
def test_s_longer_than_the_dims_raises(name):
    # was: the leading entries of s wrapped onto the last axes, which were transformed twice (silently)
    with pytest.raises(RuntimeError, match="only has 3 dimensions"):
        getattr(torch.fft, name)(torch.tensor(X3), s=(4, 4, 4, 4))
    with pytest.raises(RuntimeError, match="only has 3 dimensions") as info:
        getattr(ab.fft, name)(ab.tensor(X3), s=(4, 4, 4, 4))
    assert isinstance(info.value, IndexError)  # numpy's AxisError is an IndexError (and a ValueError)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("name", ["fftn", "ifftn", "fft2", "ifft2"])
@pytest.mark.parametrize("dtype", ["float32", "float64", "complex128"])
def test_no_dims_is_a_complex_copy(name, dtype):
    x = X3[0].astype(dtype)
    want = getattr(torch.fft, name)(torch.tensor(x), dim=[])
    got = getattr(ab.fft, name)(ab.tensor(x), dim=[])
    assert got.dtype == want.numpy().dtype
    np.testing.assert_array_equal(got.numpy(), want.numpy())


def test_no_dims_gradient_is_the_real_part():
    xt = torch.tensor(X3[0], requires_grad=True)
    xa = ab.tensor(X3[0], requires_grad=True)
    g = RNG.standard_normal(X3[0].shape) + 1j * RNG.standard_normal(X3[0].shape)
    (torch.fft.fftn(xt, dim=[]) * torch.tensor(g)).real.sum().backward()
    (ab.fft.fftn(xa, dim=[]) * ab.tensor(g)).real.sum().backward()
    np.testing.assert_allclose(xa.grad, xt.grad.numpy())


@pytest.mark.parametrize("name", ["rfftn", "irfftn", "rfft2", "irfft2", "hfftn", "ihfftn"])
def test_real_transforms_over_no_dims_raise(name):
    x = X3[0]
    with pytest.raises(RuntimeError, match="at least one"):
        getattr(torch.fft, name)(torch.tensor(x), dim=[])
    with pytest.raises(RuntimeError, match="at least one"):
        getattr(ab.fft, name)(ab.tensor(x), dim=[])


@pytest.mark.parametrize("name", ["fft", "ifft", "rfft", "irfft", "hfft", "ihfft", "fftn", "rfft2", "irfftn"])
def test_empty_input_raises_runtime_error(name):
    pattern = r"Invalid number of data points \([-\d]*\) specified"
    with pytest.raises(RuntimeError, match=pattern):
        getattr(torch.fft, name)(torch.empty(1, 0))
    with pytest.raises(RuntimeError, match=pattern) as info:
        getattr(ab.fft, name)(ab.empty((1, 0)))
    assert isinstance(info.value, ValueError)  # numpy's type


@pytest.mark.parametrize("name", ["fftn", "ifftn", "rfftn", "irfftn", "hfftn", "ihfftn"])
def test_bad_dims_raise_as_pytorch(name):
    t, a = torch.tensor(X3), ab.tensor(X3)
    for lib, x in ((torch, t), (ab, a)):
        fn = getattr(lib.fft, name)
        with pytest.raises(RuntimeError, match="dim and shape .* same length"):
            fn(x, s=(1,), dim=(0, 1))
        with pytest.raises(IndexError, match="Dimension out of range"):
            fn(x, dim=(3,))


REAL_ONLY = [
    ("rfft", "rfft expects a real input tensor"),
    ("rfftn", "rfftn expects a real-valued input"),
    ("rfft2", "rfftn expects a real-valued input"),
    ("ihfft", "ihfft expects a real input tensor"),
]


@pytest.mark.parametrize("name, words", REAL_ONLY)
def test_complex_input_to_a_real_transform(name, words):
    z = X3[0] + 1j
    with pytest.raises(RuntimeError, match=words):
        getattr(torch.fft, name)(torch.tensor(z))
    with pytest.raises(RuntimeError, match=words) as info:
        getattr(ab.fft, name)(ab.tensor(z))
    assert isinstance(info.value, TypeError)  # numpy's type


def test_bad_norm_is_a_runtime_error_too():
    with pytest.raises(RuntimeError):
        torch.fft.fft(torch.tensor(X3), norm="unitary")
    with pytest.raises(RuntimeError, match="norm must be"):
        ab.fft.fft(ab.tensor(X3), norm="unitary")
    with pytest.raises(ValueError, match="norm must be"):
        ab.fft.hfft(ab.tensor(X3), norm="unitary")


@pytest.mark.parametrize("name", ["fftfreq", "rfftfreq"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_fftfreq_out(name, dtype):
    want = getattr(torch.fft, name)(n=10, d=0.5, dtype=getattr(torch, dtype))
    out = ab.empty((), dtype=dtype)
    with pytest.warns(UserWarning, match="out tensor will be resized"):
        got = getattr(ab.fft, name)(n=10, d=0.5, out=out)
    assert got is out
    assert out.dtype == np.dtype(dtype)
    np.testing.assert_allclose(out.numpy(), want.numpy())
    with pytest.raises(RuntimeError, match="requires a floating point or complex dtype"):
        getattr(torch.fft, name)(3, out=torch.empty(3, dtype=torch.int64))
    with pytest.raises(RuntimeError, match="requires a floating point or complex dtype"):
        getattr(ab.fft, name)(3, out=ab.empty(3, dtype=ab.int64))
