"""stft/istft and the windows against torch (the oracle) where PyTorch's test_spectral_ops found
disagreements: PyTorch's warnings (no window given; a length longer than the signal) and its
RuntimeError for bad arguments (still numpy-style ValueError/TypeError too)."""

import warnings

import numpy as np
import pytest

import autobp as ab

torch = pytest.importorskip("torch")

X = np.random.default_rng(7).standard_normal(100)


def _warned(fn):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        result = fn()
    return result, [str(x.message) for x in w if issubclass(x.category, UserWarning)]


def test_stft_without_a_window_warns_and_matches():
    torch._C._set_warnAlways(True)
    try:
        want, tw = _warned(lambda: torch.stft(torch.tensor(X), 10, pad_mode="constant", return_complex=True))
        got, aw = _warned(lambda: ab.stft(ab.tensor(X), 10, pad_mode="constant", return_complex=True))
        assert any("A window was not provided" in m for m in tw)
        assert any("A window was not provided" in m for m in aw)
        np.testing.assert_allclose(got.numpy(), want.numpy())
        S = want.numpy()[:, :5]
        want_i, tw = _warned(lambda: torch.istft(torch.tensor(S), n_fft=10, length=20))
        got_i, aw = _warned(lambda: ab.istft(ab.tensor(S), n_fft=10, length=20))
        assert any("A window was not provided" in m for m in tw)
        assert any("A window was not provided" in m for m in aw)
        np.testing.assert_allclose(got_i.numpy(), want_i.numpy())
    finally:
        torch._C._set_warnAlways(False)


def test_stft_with_a_window_does_not_warn():
    _, aw = _warned(lambda: ab.stft(ab.tensor(X), 10, window=ab.hann_window(10), return_complex=True))
    assert not any("window" in m for m in aw)


def test_istft_length_beyond_the_signal_warns_and_pads():
    w = np.hamming(256)
    kw = dict(n_fft=256, hop_length=254, win_length=256, center=True, normalized=False, onesided=True)
    S = torch.stft(torch.tensor(X[None].repeat(5, 1).reshape(1, -1)), window=torch.tensor(w),
                   return_complex=True, **kw)  # fmt: skip
    torch._C._set_warnAlways(True)
    try:
        want, tw = _warned(lambda: torch.istft(S, window=torch.tensor(w), length=500, **kw))
    finally:
        torch._C._set_warnAlways(False)
    got, aw = _warned(lambda: ab.istft(ab.tensor(S.numpy()), window=ab.tensor(w), length=500, **kw))
    words = "The length of signal is shorter than the length parameter"
    assert any(words in m for m in tw) and any(words in m for m in aw)
    np.testing.assert_allclose(got.numpy(), want.numpy(), atol=1e-12)


@pytest.mark.filterwarnings("ignore:A window was not provided")
def test_bad_stft_arguments_are_runtime_errors():
    x = ab.tensor(X)
    cases = [
        (dict(n_fft=10, window=ab.ones(10) * (1 + 0j), onesided=True), "complex"),
        (dict(n_fft=10, center=True, align_to_window=True), "align_to_window should only be set when center"),
        (dict(n_fft=11, hop_length=1, center=False), "n_fft"),
        (dict(n_fft=-1, hop_length=1), "n_fft"),
        (dict(n_fft=3, win_length=5), "win_length"),
        (dict(n_fft=5, hop_length=4, window=ab.ones(11)), "window"),
    ]
    for kw, words in cases:
        with pytest.raises(RuntimeError, match=words) as info:
            ab.stft(x[:10], return_complex=True, **kw)
        assert isinstance(info.value, ValueError)
    with pytest.raises(RuntimeError):  # torch agrees on each
        torch.stft(torch.tensor(X[:10]), n_fft=10, center=True, align_to_window=True, return_complex=True)
    with pytest.raises(RuntimeError, match="complex"):
        torch.stft(torch.tensor(X), 10, window=torch.ones(10, dtype=torch.complex128), onesided=True)


def test_istft_of_a_real_tensor_is_a_runtime_error():
    with pytest.raises(RuntimeError):
        torch.istft(torch.zeros((3, 5, 2)), n_fft=4, hop_length=20, win_length=1, window=torch.ones(1))
    with pytest.raises(RuntimeError) as info:
        ab.istft(ab.zeros((3, 5, 2)), n_fft=4, hop_length=20, win_length=1, window=ab.ones(1))
    assert isinstance(info.value, TypeError)


def test_window_argument_errors():
    for lib in (torch, ab):
        with pytest.raises(RuntimeError, match="requires non-negative window_length"):
            lib.hann_window(-1)
        with pytest.raises(RuntimeError, match="expects floating point dtypes"):
            lib.bartlett_window(5, dtype=lib.int64)
