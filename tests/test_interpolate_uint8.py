"""``interpolate`` of uint8 images in the bilinear and bicubic modes (plain, ``align_corners``,
``antialias``) equals PyTorch's, bit for bit: its uint8 kernels resample in fixed point (int16 weights,
a rounding shift, the width pass rounded to uint8 before the height pass), which rounding the exact
result differed from in about one pixel in five (tinygrad's test_ops found it). Integer results carry
no gradient; the float path beside it keeps its gradients (gradcheck)."""

import numpy as np
import pytest

import autobp

F = autobp.nn.functional
torch = pytest.importorskip("torch")
TF = torch.nn.functional

rng = np.random.default_rng(3)
OPTIONS = [{}, {"align_corners": True}, {"antialias": True}, {"antialias": True, "align_corners": True}]
SHAPES = [
    ((2, 3, 20, 17), (7, 31)),
    ((1, 5, 64, 64), (10, 10)),
    ((1, 3, 9, 13), (40, 6)),
    ((2, 1, 5, 5), (5, 9)),
]


@pytest.mark.parametrize("mode", ["bilinear", "bicubic"])
@pytest.mark.parametrize("options", range(len(OPTIONS)))
@pytest.mark.parametrize("shape_size", range(len(SHAPES)))
def test_sizes_as_torch(mode, options, shape_size):
    shape, size = SHAPES[shape_size]
    x = rng.integers(0, 256, shape).astype(np.uint8)
    got = F.interpolate(autobp.tensor(x), size=size, mode=mode, **OPTIONS[options])
    want = TF.interpolate(torch.tensor(x), size=size, mode=mode, **OPTIONS[options]).numpy()
    assert got.dtype == np.uint8 and not got.requires_grad
    np.testing.assert_array_equal(got.numpy(), want)


@pytest.mark.parametrize("mode", ["bilinear", "bicubic"])
@pytest.mark.parametrize("factor", [0.37, 1.7, 2.5])
def test_scale_factors_as_torch(mode, factor):
    x = rng.integers(0, 256, (1, 3, 19, 23)).astype(np.uint8)
    got = F.interpolate(autobp.tensor(x), scale_factor=factor, mode=mode)
    want = TF.interpolate(torch.tensor(x), scale_factor=factor, mode=mode).numpy()
    np.testing.assert_array_equal(got.numpy(), want)


def test_saturated_steps_clip_as_torch():
    x = np.zeros((1, 1, 8, 8), np.uint8)
    x[..., 3:5, 3:5] = 255  # the cubic kernel overshoots past 255 and below 0 around a step
    for mode in ("bilinear", "bicubic"):
        got = F.interpolate(autobp.tensor(x), size=(13, 11), mode=mode)
        want = TF.interpolate(torch.tensor(x), size=(13, 11), mode=mode).numpy()
        np.testing.assert_array_equal(got.numpy(), want)


def test_float_path_keeps_torch_values_and_gradients():
    x = rng.standard_normal((1, 2, 5, 4))
    got = F.interpolate(autobp.tensor(x), size=(7, 3), mode="bilinear")
    want = TF.interpolate(torch.tensor(x), size=(7, 3), mode="bilinear").numpy()
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-12, atol=1e-12)
    a = autobp.tensor(x, requires_grad=True)
    assert autobp.gradcheck(lambda t: F.interpolate(t, size=(7, 3), mode="bilinear") ** 2, (a,))
