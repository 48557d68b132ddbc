"""PyTorch's window functions and stft/istft against PyTorch: window values (periodic and symmetric,
dtype), spectra in every padding/normalisation/onesided variant, gradients of the signal and window,
istft inverting stft."""

import numpy as np
import pytest

import autobp

from .torch_compare import compare

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.filterwarnings(
    "ignore:.*(window was not provided|length of signal|return_complex=False):UserWarning"
)

WINDOWS = ["hann_window", "hamming_window", "bartlett_window", "blackman_window", "kaiser_window"]


@pytest.mark.parametrize("name", WINDOWS)
@pytest.mark.parametrize("n", [0, 1, 2, 7, 16])
@pytest.mark.parametrize("periodic", [True, False])
def test_window_values_match_torch(name, n, periodic):
    a = getattr(autobp, name)(n, periodic)
    t = getattr(torch, name)(n, periodic, dtype=torch.float64)
    assert a.dtype == np.float64
    np.testing.assert_allclose(a.data, t.numpy(), atol=1e-13)


def test_window_defaults_and_dtype():
    np.testing.assert_allclose(autobp.hann_window(8).data, torch.hann_window(8, dtype=torch.float64).numpy())
    assert autobp.hann_window(8, dtype=autobp.float32).dtype == np.float32
    np.testing.assert_allclose(
        autobp.hamming_window(9, False, 0.5, 0.5).data,
        torch.hamming_window(9, False, 0.5, 0.5).numpy(),
        atol=1e-7,
    )
    np.testing.assert_allclose(
        autobp.kaiser_window(9, True, 5.0).data,
        torch.kaiser_window(9, True, 5.0, dtype=torch.float64).numpy(),
    )
    with pytest.raises(ValueError, match="window_length"):
        autobp.hann_window(-1)
    with pytest.raises(TypeError, match="floating"):
        autobp.hann_window(4, dtype=autobp.int64)


VARIANTS = [
    dict(),
    dict(center=False),
    dict(pad_mode="constant"),
    dict(pad_mode="replicate", normalized=True),
    dict(pad_mode="circular"),
    dict(onesided=False),
    dict(hop_length=3, win_length=10),
    dict(hop_length=3, win_length=6, center=False, align_to_window=True),
    dict(hop_length=3, win_length=6, center=False, align_to_window=False),
]


@pytest.mark.parametrize("kw", VARIANTS, ids=[str(v) for v in VARIANTS])
def test_stft_values_and_gradients_match_torch(kw):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 30))
    win = rng.uniform(0.2, 1.0, kw.get("win_length", 12))
    compare(
        lambda x, w: autobp.view_as_real(autobp.stft(x, 12, window=w, return_complex=True, **kw)),
        lambda x, w: torch.view_as_real(torch.stft(x, 12, window=w, return_complex=True, **kw)),
        x, win,
    )  # fmt: skip


def test_stft_of_a_1d_complex_signal_is_two_sided():
    rng = np.random.default_rng(1)
    z = rng.standard_normal(20) + 1j * rng.standard_normal(20)
    a = autobp.stft(autobp.tensor(z), 8, hop_length=2, window=autobp.hann_window(8))
    t = torch.stft(torch.tensor(z), 8, hop_length=2, window=torch.hann_window(8, dtype=torch.float64))
    assert a.shape == tuple(t.shape) == (8, 11)
    np.testing.assert_allclose(a.data, t.numpy(), atol=1e-12)


def test_stft_requires_return_complex_for_real_signals_and_false_gives_real_layout():
    x = autobp.tensor(np.arange(20.0))
    with pytest.raises(RuntimeError, match="return_complex"):
        autobp.stft(x, 8)
    with pytest.warns(UserWarning):
        r = autobp.stft(x, 8, return_complex=False)
    t = torch.stft(torch.arange(20.0, dtype=torch.float64), 8, window=torch.ones(8, dtype=torch.float64),
                   return_complex=False)  # fmt: skip
    np.testing.assert_allclose(r.data, t.numpy(), atol=1e-12)
    with pytest.raises(ValueError, match="window"):
        autobp.stft(x, 8, window=autobp.ones(5), return_complex=True)
    with pytest.raises(ValueError, match="align_to_window"):
        autobp.stft(x, 8, return_complex=True, align_to_window=True)
    with pytest.raises(ValueError, match="1-D or 2-D"):
        autobp.stft(autobp.zeros((2, 2, 20)), 8, return_complex=True)


@pytest.mark.parametrize("center", [True, False])
@pytest.mark.parametrize("normalized", [False, True])
def test_istft_inverts_stft_with_torch_gradients(center, normalized):
    rng = np.random.default_rng(2)
    x = rng.standard_normal((2, 32))
    win = rng.uniform(0.5, 1.0, 16)
    kw = dict(hop_length=4, center=center, normalized=normalized)

    def ab(x, w):
        return autobp.istft(autobp.stft(x, 16, window=w, return_complex=True, **kw), 16, window=w, **kw)

    def th(x, w):
        return torch.istft(torch.stft(x, 16, window=w, return_complex=True, **kw), 16, window=w, **kw)

    out, _ = compare(ab, th, x, win)
    n = out[0].shape[-1]
    np.testing.assert_allclose(out[0].data, x[:, :n], atol=1e-10)


def test_istft_of_an_arbitrary_spectrum_matches_torch_in_values_and_gradients():
    rng = np.random.default_rng(3)
    spec = rng.standard_normal((9, 6, 2))
    win = rng.uniform(0.5, 1.0, 16)
    for length in (None, 20, 40):
        compare(
            lambda s, w, n=length: autobp.istft(autobp.view_as_complex(s), 16, 4, window=w, length=n),
            lambda s, w, n=length: torch.istft(torch.view_as_complex(s), 16, 4, window=w, length=n),
            spec, win,
        )  # fmt: skip


def test_istft_two_sided_complex_output_and_errors():
    rng = np.random.default_rng(4)
    z = rng.standard_normal(24) + 1j * rng.standard_normal(24)
    w = autobp.hann_window(8)
    spec = autobp.stft(autobp.tensor(z), 8, hop_length=2, window=w)
    back = autobp.istft(spec, 8, hop_length=2, window=w, return_complex=True)
    np.testing.assert_allclose(back.data, z, atol=1e-10)
    with pytest.raises(RuntimeError, match="NOLA"):
        autobp.istft(spec, 8, hop_length=2, window=autobp.zeros(8), return_complex=True)
    with pytest.raises(TypeError, match="complex"):
        autobp.istft(autobp.zeros((5, 3)), 8)


def test_gradcheck_stft_magnitude():
    x = autobp.tensor(np.random.default_rng(5).standard_normal(12), requires_grad=True)
    w = autobp.tensor(np.random.default_rng(6).uniform(0.5, 1, 6), requires_grad=True)
    assert autobp.gradcheck(lambda x, w: autobp.stft(x, 6, 2, window=w, return_complex=True).abs(), (x, w))
