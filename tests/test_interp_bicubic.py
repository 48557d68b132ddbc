"""interpolate(mode='bicubic') and antialias=True (bilinear, bicubic) against torch: values for size
and scale_factor (up and down, align_corners True/False, recompute_scale_factor), gradients, integer
inputs, errors; central differences to second order."""

import numpy as np
import pytest

import autobp
import autobp.nn.functional as F

torch = pytest.importorskip("torch")
TF = torch.nn.functional

rng = np.random.default_rng(9)

RESIZES = [
    {"size": (7, 3)},
    {"size": (2, 9)},
    {"size": (1, 1)},
    {"size": 5},
    {"scale_factor": 2},
    {"scale_factor": (0.5, 1.7)},
    {"scale_factor": 0.3},
    {"scale_factor": (1.5, 0.75), "recompute_scale_factor": True},
]


def _both(x, **kw):
    a = autobp.tensor(x, requires_grad=True)
    t = torch.tensor(x, requires_grad=True)
    out = F.interpolate(a, **kw)
    tout = TF.interpolate(t, **kw)
    W = rng.standard_normal(tuple(tout.shape))
    (out * autobp.tensor(W)).sum().backward()
    (tout * torch.tensor(W)).sum().backward()
    return out, a.grad, tout, t.grad


@pytest.mark.parametrize("resize", RESIZES, ids=lambda d: "-".join(f"{k}={v}" for k, v in d.items()))
@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize(
    "mode, antialias",
    [("bicubic", False), ("bicubic", True), ("bilinear", True)],
    ids=["cubic", "cubic-aa", "linear-aa"],
)
def test_values_and_gradients_as_torch(resize, align_corners, mode, antialias):
    x = rng.standard_normal((2, 3, 5, 6))
    out, g, tout, tg = _both(x, mode=mode, align_corners=align_corners, antialias=antialias, **resize)
    assert out.shape == tuple(tout.shape)
    np.testing.assert_allclose(out.numpy(), tout.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(np.asarray(g), tg.numpy(), rtol=1e-10, atol=1e-12)


def test_float32_stays_float32():
    x = rng.standard_normal((1, 2, 4, 4)).astype(np.float32)
    out = F.interpolate(autobp.tensor(x), scale_factor=1.5, mode="bicubic", align_corners=False)
    want = TF.interpolate(torch.tensor(x), scale_factor=1.5, mode="bicubic", align_corners=False)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.numpy(), want.numpy(), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("antialias", [False, True])
@pytest.mark.parametrize("size", [(9, 7), (3, 2)])
def test_uint8_rounds_and_clips_as_torch(antialias, size):
    x = rng.integers(0, 256, (1, 2, 6, 5)).astype(np.uint8)
    x[0, 0, 2:4, 2:4] = 255  # overshoot: the cubic kernel goes past 255 near a step
    x[0, 1, 2:4, 2:4] = 0
    out = F.interpolate(autobp.tensor(x), size=size, mode="bicubic", antialias=antialias)
    want = TF.interpolate(torch.tensor(x), size=size, mode="bicubic", antialias=antialias)
    assert out.dtype == np.uint8
    np.testing.assert_array_equal(out.numpy(), want.numpy())  # torch's fixed point, bit for bit


@pytest.mark.parametrize("antialias", [False, True])
def test_gradcheck_to_second_order(antialias):
    x = autobp.tensor(rng.standard_normal((1, 1, 4, 3)), requires_grad=True)

    def f(a):
        return F.interpolate(a, size=(3, 5), mode="bicubic", align_corners=False, antialias=antialias) ** 2

    assert autobp.gradcheck(f, (x,))
    assert autobp.gradgradcheck(f, (x,))


@pytest.mark.parametrize(
    "shape, kw, match",
    [
        ((1, 1, 4), {"mode": "bicubic"}, "4-D"),
        ((1, 1, 4, 4, 4), {"mode": "bicubic"}, "4-D"),
        ((1, 1, 4, 4), {"mode": "nearest", "antialias": True}, "antialias"),
        ((1, 1, 4), {"mode": "linear", "antialias": True}, "antialias"),
        ((1, 1, 4, 4), {"mode": "bicubc"}, "mode must be"),
    ],
)
def test_bad_arguments(shape, kw, match):
    with pytest.raises(ValueError, match=match):
        F.interpolate(autobp.tensor(np.zeros(shape)), size=3, **kw)
    with pytest.raises((ValueError, RuntimeError, NotImplementedError)):
        TF.interpolate(torch.zeros(shape), size=3, **kw)
