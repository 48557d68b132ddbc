"""autobp.signal.windows against scipy.signal.windows and torch.signal.windows."""

import numpy as np
import pytest
import scipy.signal.windows as sw

import autobp
from autobp.signal import windows as aw

torch = pytest.importorskip("torch")
tw = torch.signal.windows

MS = [0, 1, 2, 5, 8, 13]

# name, scipy positional extras, autobp keyword form (torch's), torch keywords
CASES = [
    ("bartlett", (), {}, {}),
    ("blackman", (), {}, {}),
    ("cosine", (), {}, {}),
    ("exponential", (None, 2.5), {"tau": 2.5}, {"tau": 2.5}),
    ("gaussian", (1.7,), {"std": 1.7}, {"std": 1.7}),
    ("general_cosine", ([0.4, 0.35, 0.25],), {"a": [0.4, 0.35, 0.25]}, {"a": [0.4, 0.35, 0.25]}),
    ("general_hamming", (0.6,), {"alpha": 0.6}, {"alpha": 0.6}),
    ("hamming", (), {}, {}),
    ("hann", (), {}, {}),
    ("kaiser", (5.0,), {"beta": 5.0}, {"beta": 5.0}),
    ("nuttall", (), {}, {}),
]


@pytest.mark.parametrize("sym", [True, False])
@pytest.mark.parametrize("M", MS)
@pytest.mark.parametrize("name, pos, kw, tkw", CASES, ids=[c[0] for c in CASES])
def test_against_scipy_and_torch(name, pos, kw, tkw, M, sym):
    expect = getattr(sw, name)(M, *pos, sym=sym)
    got_pos = getattr(aw, name)(M, *pos, sym=sym)
    got_kw = getattr(aw, name)(M, sym=sym, **kw)
    want_torch = getattr(tw, name)(M, sym=sym, dtype=torch.float64, **tkw).numpy()
    for got in (got_pos, got_kw):
        assert isinstance(got, autobp.Tensor) and got.dtype == np.float64 and got.shape == (M,)
        np.testing.assert_allclose(got.numpy(), expect, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(got.numpy(), want_torch, rtol=1e-12, atol=1e-14)


def test_torch_defaults_and_dtype():
    expect = tw.gaussian(7, dtype=torch.float64).numpy()
    np.testing.assert_allclose(aw.gaussian(7).numpy(), expect, rtol=1e-12)
    np.testing.assert_allclose(aw.kaiser(7).numpy(), tw.kaiser(7, dtype=torch.float64).numpy(), rtol=1e-12)
    w = aw.hann(6, sym=False, dtype=np.float32, requires_grad=True)
    assert w.dtype == np.float32 and w.requires_grad
    np.testing.assert_allclose(w.numpy(), tw.hann(6, sym=False).numpy(), rtol=1e-6)


def test_exponential_center():
    np.testing.assert_allclose(aw.exponential(7, 2.0, sym=False).numpy(), sw.exponential(7, 2.0, sym=False))
    with pytest.raises(ValueError, match="center"):
        aw.exponential(7, 2.0)


def test_bad_input():
    with pytest.raises(ValueError, match="non-negative"):
        aw.hann(-1)
    with pytest.raises(ValueError, match="std"):
        aw.gaussian(5, 0.0)
    with pytest.raises(TypeError, match="floating"):
        aw.hann(5, dtype=np.int64)
