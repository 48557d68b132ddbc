"""Pooling, interpolation and pixel shuffle against PyTorch (values, indices, gradients, ties),
finite differences, and errors."""

import numpy as np
import pytest

import autobp
import autobp.nn.functional as F
from autobp import Tensor, nn

from .torch_twin import compare_with_torch

torch = pytest.importorskip("torch")

rng = np.random.default_rng(1)
X = rng.standard_normal((2, 3, 7, 6))
TIES = np.round(X * 2) / 2  # many equal values inside windows


@pytest.mark.parametrize(
    "kw",
    [
        dict(kernel_size=2),
        dict(kernel_size=3, stride=2, padding=1),
        dict(kernel_size=(2, 3), stride=(2, 1), dilation=(2, 1), ceil_mode=True),
        dict(kernel_size=3, stride=2, ceil_mode=True, return_indices=True),
        dict(kernel_size=2, stride=1, return_indices=True),
    ],
)
def test_max_pool2d_matches_torch_including_ties(kw):
    outs, touts = compare_with_torch(nn.MaxPool2d(**kw), torch.nn.MaxPool2d(**kw), TIES)
    if kw.get("return_indices"):
        np.testing.assert_array_equal(outs[1].data, touts[1].numpy())


def test_max_pool_gradient_goes_to_the_first_maximum():
    x = Tensor(np.array([[[1.0, 3.0, 3.0, 0.0]]]), requires_grad=True)
    F.max_pool1d(x, 4).sum().backward()
    np.testing.assert_array_equal(x.grad, [[[0, 1, 0, 0]]])  # not split 1/2, 1/2 as max() does


def test_max_pool1d_matches_torch():
    kw = dict(kernel_size=3, stride=2, padding=1, ceil_mode=True, return_indices=True)
    compare_with_torch(nn.MaxPool1d(**kw), torch.nn.MaxPool1d(**kw), rng.standard_normal((2, 3, 8)))


@pytest.mark.parametrize(
    "kw",
    [
        dict(kernel_size=2),
        dict(kernel_size=3, stride=2, padding=1),
        dict(kernel_size=3, stride=2, padding=1, count_include_pad=False, ceil_mode=True),
        dict(kernel_size=(2, 3), stride=(3, 2), ceil_mode=True),
        dict(kernel_size=3, padding=1, divisor_override=2),
    ],
)
def test_avg_pool2d_matches_torch(kw):
    compare_with_torch(nn.AvgPool2d(**kw), torch.nn.AvgPool2d(**kw), X)


def test_avg_pool1d_matches_torch():
    kw = dict(kernel_size=3, stride=2, padding=1, ceil_mode=True, count_include_pad=False)
    compare_with_torch(nn.AvgPool1d(**kw), torch.nn.AvgPool1d(**kw), rng.standard_normal((2, 3, 8)))


@pytest.mark.parametrize("size", [(3, 4), (5, 2), 1, (None, 4), (7, 6), (4, 5)])
def test_adaptive_pools_match_torch(size):
    compare_with_torch(nn.AdaptiveAvgPool2d(size), torch.nn.AdaptiveAvgPool2d(size), X)
    outs, touts = compare_with_torch(
        nn.AdaptiveMaxPool2d(size, return_indices=True),
        torch.nn.AdaptiveMaxPool2d(size, return_indices=True),
        TIES,
    )
    np.testing.assert_array_equal(outs[1].data, touts[1].numpy())


def test_adaptive_pools_1d_match_torch():
    x = rng.standard_normal((2, 3, 7))
    compare_with_torch(nn.AdaptiveAvgPool1d(3), torch.nn.AdaptiveAvgPool1d(3), x)
    compare_with_torch(nn.AdaptiveMaxPool1d(3), torch.nn.AdaptiveMaxPool1d(3), x)


def test_lp_pools_match_torch():
    compare_with_torch(nn.LPPool2d(2, 3, 2, ceil_mode=True), torch.nn.LPPool2d(2, 3, 2, ceil_mode=True), X)
    x = np.abs(rng.standard_normal((2, 3, 7))) + 0.1
    compare_with_torch(nn.LPPool1d(3, 2), torch.nn.LPPool1d(3, 2), x)


@pytest.mark.parametrize(
    "kw",
    [
        dict(scale_factor=2),
        dict(size=(5, 9)),
        dict(scale_factor=(0.6, 1.5)),
        dict(scale_factor=1.7, mode="bilinear"),
        dict(size=(3, 11), mode="bilinear", align_corners=True),
        dict(size=(3, 11), mode="bilinear", align_corners=False),
        dict(scale_factor=2.3, mode="bilinear", recompute_scale_factor=True),
        dict(size=(3, 4), mode="area"),  # windows of unequal and overlapping lengths
        dict(size=(7, 11), mode="area"),  # larger than the input: repeats
        dict(scale_factor=0.5, mode="area"),
    ],
)
def test_interpolate_matches_torch(kw):
    compare_with_torch(nn.Upsample(**kw), torch.nn.Upsample(**kw), X)


def test_linear_interpolation_and_pixel_shuffle_match_torch():
    kw = dict(scale_factor=2.5, mode="linear")
    compare_with_torch(nn.Upsample(**kw), torch.nn.Upsample(**kw), rng.standard_normal((2, 3, 7)))
    compare_with_torch(nn.PixelShuffle(2), torch.nn.PixelShuffle(2), rng.standard_normal((2, 8, 3, 4)))
    compare_with_torch(nn.PixelUnshuffle(2), torch.nn.PixelUnshuffle(2), rng.standard_normal((2, 2, 4, 6)))


@pytest.mark.parametrize(
    "fn",
    [
        lambda x: F.max_pool2d(x, 2, 1),
        lambda x: F.avg_pool2d(x, 3, 2, 1, ceil_mode=True, count_include_pad=False),
        lambda x: F.adaptive_avg_pool2d(x, (2, 3)),
        lambda x: F.adaptive_max_pool2d(x, 2),
        lambda x: F.interpolate(x, scale_factor=1.5, mode="bilinear"),
        lambda x: F.interpolate(x, size=(3, 2), mode="area"),
    ],
)
def test_pooling_gradients_match_finite_differences(fn):
    x = Tensor(rng.standard_normal((1, 2, 4, 5)), requires_grad=True)
    assert autobp.gradcheck(fn, [x])
    assert autobp.gradgradcheck(fn, [x])


def test_pooling_errors():
    with pytest.raises(ValueError, match="at most half of effective kernel size"):
        F.max_pool2d(np.zeros((1, 1, 4, 4)), 2, padding=2)
    with pytest.raises(ValueError, match="Expected 3D or 4D"):
        F.avg_pool2d(np.zeros((4, 4)), 2)
    with pytest.raises(ValueError, match="exactly one of size and scale_factor"):
        F.interpolate(np.zeros((1, 1, 4, 4)))
    with pytest.raises(ValueError, match="divisible by upscale_factor"):
        F.pixel_shuffle(np.zeros((1, 3, 2, 2)), 2)


def test_max_pool_nan_and_ties_follow_torch():
    x = rng.random((2, 2, 4, 4))
    x[0, 0, 1, 1] = x[0, 1, 0, 0] = np.nan  # NaN is the maximum, as in PyTorch
    x[1, 0, 2, 3] = x[1, 0, 3, 3] = 5.0  # a tie: the first one gets the gradient
    t = Tensor(x, requires_grad=True)
    out, idx = F.max_pool2d(t, 2, return_indices=True)
    out.sum().backward()
    tt = torch.tensor(x, requires_grad=True)
    tout, tidx = torch.nn.functional.max_pool2d(tt, 2, return_indices=True)
    tout.sum().backward()
    np.testing.assert_array_equal(idx.data, tidx.numpy())
    np.testing.assert_array_equal(out.data, tout.detach().numpy())
    np.testing.assert_array_equal(t.grad, tt.grad.numpy())


@pytest.mark.parametrize(
    "shape,kw",
    [
        ((2, 3, 13), dict(size=(9,))),
        ((2, 3, 9), dict(size=(13,))),
        ((2, 3, 13, 10), dict(size=(9, 11))),
        ((2, 3, 5, 2, 8), dict(size=(3, 6, 4))),
        ((1, 1, 4), dict(scale_factor=1.5)),
    ],
)
def test_interpolate_nearest_exact_matches_torch(shape, kw):
    a = rng.standard_normal(shape)
    x, t = Tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    y = F.interpolate(x, mode="nearest-exact", **kw)
    ty = torch.nn.functional.interpolate(t, mode="nearest-exact", **kw)
    np.testing.assert_array_equal(y.data, ty.detach().numpy())
    w = rng.standard_normal(y.shape)
    (y * w).sum().backward()
    (ty * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(x.grad, t.grad.numpy(), rtol=1e-12)


def test_interpolate_keeps_integer_dtype_like_torch():
    u = (rng.random((2, 3, 16, 16)) * 255).astype(np.uint8)
    for mode in ("nearest", "nearest-exact", "bilinear"):
        y = F.interpolate(Tensor(u, dtype=np.uint8), size=(10, 10), mode=mode)
        ty = torch.nn.functional.interpolate(torch.tensor(u), size=(10, 10), mode=mode).numpy()
        assert y.dtype == np.uint8
        # nearest copies; bilinear rounds (PyTorch's fixed-point uint8 kernel may differ by one)
        assert np.abs(y.data.astype(int) - ty.astype(int)).max() <= (1 if mode == "bilinear" else 0)


@pytest.mark.parametrize(
    "shape,args,output_size",
    [
        ((2, 3, 9, 9), dict(kernel_size=(3, 3), stride=(3, 2)), None),
        ((2, 3, 9, 9), dict(kernel_size=(3, 3), stride=(3, 4), padding=1), (9, 9)),
        ((1, 3, 7, 6), dict(kernel_size=(2, 2)), (99, 99, 7, 6)),  # PyTorch ignores the leading N, C
        ((2, 3, 9), dict(kernel_size=3, stride=2), None),
    ],
)
def test_max_unpool_matches_torch(shape, args, output_size):
    nd = len(shape) - 2
    pool, unpool = getattr(F, f"max_pool{nd}d"), getattr(F, f"max_unpool{nd}d")
    tpool, tunpool = (
        getattr(torch.nn.functional, f"max_pool{nd}d"),
        getattr(torch.nn.functional, f"max_unpool{nd}d"),
    )
    a = rng.standard_normal(shape)
    pooled, idx = pool(Tensor(a), return_indices=True, **args)
    tpooled, tidx = tpool(torch.tensor(a), return_indices=True, **args)
    x, t = Tensor(pooled.data, requires_grad=True), tpooled.clone().requires_grad_(True)
    y, ty = unpool(x, idx, output_size=output_size, **args), tunpool(t, tidx, output_size=output_size, **args)
    assert y.shape == tuple(ty.shape)
    np.testing.assert_array_equal(y.data, ty.detach().numpy())
    w = rng.standard_normal(y.shape)
    (y * w).sum().backward()
    (ty * torch.tensor(w)).sum().backward()
    np.testing.assert_array_equal(x.grad, t.grad.numpy())
    with pytest.raises(ValueError, match="invalid output_size"):  # as torch: too far from the pooled size
        unpool(x, idx, output_size=(2,) * nd, **args)


@pytest.mark.parametrize(
    "name,shapes,kw",
    [
        (
            "avg_pool3d",
            [(1, 1, 8, 8, 8)],
            dict(kernel_size=(4, 4, 4), stride=3, padding=1, count_include_pad=False),
        ),
        ("avg_pool3d", [(2, 2, 5, 6, 7)], dict(kernel_size=3, stride=2, padding=1, ceil_mode=True)),
        ("max_pool3d", [(2, 2, 5, 6, 7)], dict(kernel_size=(2, 3, 2), stride=2, padding=1)),
        ("conv_transpose3d", [(2, 4, 4, 4, 4), (4, 2, 3, 3, 3)], dict(stride=2, padding=1, output_padding=1)),
        ("conv_transpose3d", [(2, 4, 4, 4, 4), (4, 2, 3, 3, 3)], dict(groups=2)),
    ],
)
def test_3d_pooling_and_transposed_convolution_match_torch(name, shapes, kw):
    arrays = [rng.standard_normal(s) for s in shapes]
    xs = [Tensor(a, requires_grad=True) for a in arrays]
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    y, ty = getattr(F, name)(*xs, **kw), getattr(torch.nn.functional, name)(*ts, **kw)
    assert y.shape == tuple(ty.shape)
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=1e-10, atol=1e-12)
    w = rng.standard_normal(y.shape)
    (y * w).sum().backward()
    (ty * torch.tensor(w)).sum().backward()
    for x, t in zip(xs, ts):
        np.testing.assert_allclose(x.grad, t.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_max_pool3d_indices_match_torch():
    a = np.round(rng.standard_normal((1, 2, 4, 5, 4)) * 2) / 2  # ties
    _, idx = F.max_pool3d(Tensor(a), 2, return_indices=True)
    _, tidx = torch.nn.functional.max_pool3d(torch.tensor(a), 2, return_indices=True)
    np.testing.assert_array_equal(idx.data, tidx.numpy())


X3 = rng.standard_normal((2, 2, 5, 4, 6))


@pytest.mark.parametrize(
    "kw",
    [
        dict(kernel_size=2),
        dict(kernel_size=(2, 3, 2), stride=(1, 2, 2), padding=(1, 1, 0), dilation=(1, 1, 2), ceil_mode=True),
        dict(kernel_size=3, stride=2, padding=1, return_indices=True),
    ],
)
def test_max_pool3d_matches_torch_including_indices_and_ties(kw):
    ties = np.round(X3 * 2) / 2
    outs, touts = compare_with_torch(nn.MaxPool3d(**kw), torch.nn.MaxPool3d(**kw), ties)
    if kw.get("return_indices"):
        np.testing.assert_array_equal(outs[1].data, touts[1].numpy())


@pytest.mark.parametrize(
    "kw",
    [
        dict(kernel_size=2),
        dict(kernel_size=3, stride=2, padding=1, count_include_pad=False, ceil_mode=True),
        dict(kernel_size=(2, 1, 3), divisor_override=4),
    ],
)
def test_avg_pool3d_matches_torch(kw):
    compare_with_torch(nn.AvgPool3d(**kw), torch.nn.AvgPool3d(**kw), X3)
    compare_with_torch(nn.AvgPool3d(**kw), torch.nn.AvgPool3d(**kw), X3[0])  # unbatched


@pytest.mark.parametrize("size", [2, (3, None, 4), (5, 4, 6), (2, 3, 5)])
def test_adaptive_and_lp_pools_3d_match_torch(size):
    compare_with_torch(nn.AdaptiveAvgPool3d(size), torch.nn.AdaptiveAvgPool3d(size), X3)
    outs, touts = compare_with_torch(
        nn.AdaptiveMaxPool3d(size, return_indices=True),
        torch.nn.AdaptiveMaxPool3d(size, return_indices=True),
        np.round(X3 * 2) / 2,
    )
    np.testing.assert_array_equal(outs[1].data, touts[1].numpy())
    x = np.abs(X3) + 0.1
    compare_with_torch(nn.LPPool3d(2, 2, 1), torch.nn.LPPool3d(2, 2, 1), x)


def test_dropout3d_drops_whole_channels():
    y = nn.Dropout3d(0.5, rng=0)(np.ones((8, 16, 2, 3, 2))).data
    per_channel = y.reshape(8, 16, -1)
    assert np.all((per_channel == 0).all(-1) | (per_channel == 2).all(-1))  # kept channels scaled 1/(1-p)
    assert 0.3 < (per_channel[..., 0] == 0).mean() < 0.7
    np.testing.assert_array_equal(nn.Dropout3d(0.5).eval()(np.ones((1, 2, 2, 2, 2))).data, 1.0)
    with pytest.warns(UserWarning, match="Received a 2-D input to dropout3d"):  # PyTorch warns, runs
        F.dropout3d(np.ones((2, 3)), 0.5)


@pytest.mark.parametrize(
    "nd, shape, kw, out_size",
    [
        (1, (2, 3, 8), dict(kernel_size=2), None),
        (1, (3, 9), dict(kernel_size=3, stride=2, padding=1), [9]),
        (2, (2, 2, 6, 5), dict(kernel_size=2), [6, 5]),  # the odd width needs the size
        (2, (1, 2, 7, 5), dict(kernel_size=3, stride=2, padding=1), None),
        (3, (1, 2, 4, 4, 6), dict(kernel_size=2), (1, 2, 4, 4, 6)),
    ],
)
def test_max_unpool_inverts_max_pool_like_torch(nd, shape, kw, out_size):
    x = rng.standard_normal(shape)
    pool, tpool = getattr(nn, f"MaxPool{nd}d"), getattr(torch.nn, f"MaxPool{nd}d")
    y, idx = pool(**kw, return_indices=True)(x)
    ty, tidx = tpool(**kw, return_indices=True)(torch.tensor(x))
    unpool, tunpool = getattr(nn, f"MaxUnpool{nd}d")(**kw), getattr(torch.nn, f"MaxUnpool{nd}d")(**kw)
    yv = Tensor(y.data, requires_grad=True)
    tyv = ty.detach().requires_grad_(True)
    out, tout = unpool(yv, idx, out_size), tunpool(tyv, tidx, out_size)
    np.testing.assert_array_equal(out.data, tout.detach().numpy())
    w = rng.standard_normal(out.shape)
    (out * w).sum().backward()
    (tout * torch.tensor(w)).sum().backward()
    np.testing.assert_array_equal(yv.grad, tyv.grad.numpy())


def test_max_unpool_errors():
    y, idx = nn.MaxPool2d(3, 2, 1, return_indices=True)(rng.standard_normal((1, 2, 7, 6)))
    # as torch: an index past the default output size (give output_size)
    with pytest.raises(ValueError, match=r"invalid max index: \d+ \(output volumes are of size 7x5\)"):
        F.max_unpool2d(y, idx, 3, 2, 1)
    with pytest.raises(RuntimeError, match="Found an invalid max index: 7"):
        F.max_unpool1d(np.ones((1, 1, 2)), np.array([[[0, 7]]]), 2)
    with pytest.raises(ValueError, match="integers of the input's shape"):
        F.max_unpool1d(np.ones((1, 1, 2)), np.array([[[0.0, 1.0]]]), 2)


def test_interpolate_area_refuses_integers_as_torch():
    with pytest.raises(TypeError, match="area"):
        F.interpolate(np.arange(8).reshape(1, 1, 2, 4), size=(1, 2), mode="area")


@pytest.mark.parametrize(
    "name, args, kwargs, shape",
    [
        ("unfold", (2, 1, 1, 2), {}, (0, 1, 5, 5)),  # an empty batch
        ("unfold", (2, 1, 0, [1, 2]), {}, (2, 1, 5, 5)),
        ("group_norm", (1,), {}, (0, 2)),
        ("group_norm", (2,), {}, (0, 4, 3)),
        ("avg_pool2d", ([3, 3], [1, 1], [1], True, False, 2), {}, (2, 3, 9, 9)),  # one-element padding list
        ("avg_pool2d", ([2, 2], [], [0], False, True, None), {}, (1, 1, 4, 4)),
    ],
)
def test_functional_edge_inputs_match_torch(name, args, kwargs, shape):
    """Empty batches and PyTorch's one-element lists for per-axis arguments, as torch computes them."""
    x = rng.standard_normal(shape)
    tx = torch.tensor(x, requires_grad=True)
    t = getattr(torch.nn.functional, name)(tx, *args, **kwargs)
    ax = Tensor(x, requires_grad=True)
    a = getattr(F, name)(ax, *args, **kwargs)
    assert a.shape == tuple(t.shape)
    np.testing.assert_allclose(a.data, t.detach().numpy(), rtol=1e-12, atol=1e-12)
    if x.size:
        (tg,) = torch.autograd.grad((t * t).sum(), tx)
        (ag,) = autobp.autograd.grad((a * a).sum(), ax)
        np.testing.assert_allclose(np.asarray(ag), tg.numpy(), rtol=1e-10, atol=1e-12)
