"""Convolution layers and functions against PyTorch (state dicts copied, float64), finite
differences and second derivatives, and their errors."""

import numpy as np
import pytest

import autobp
import autobp.nn.functional as F
from autobp import Tensor, nn

from .torch_twin import compare_with_torch

torch = pytest.importorskip("torch")

rng = np.random.default_rng(0)


def _x(*shape):
    return rng.standard_normal(shape)


@pytest.mark.filterwarnings("ignore:Using padding='same'")
@pytest.mark.parametrize(
    "kw",
    [
        dict(),
        dict(stride=2, padding=1),
        dict(stride=(2, 1), padding=(2, 0), dilation=(2, 1), groups=2),
        dict(padding="same", dilation=2),
        dict(padding="same", groups=4),  # depthwise, even kernel: PyTorch pads the extra one after
        dict(padding="valid", bias=False),
        dict(padding=2, padding_mode="reflect"),
        dict(padding=(1, 2), padding_mode="replicate", stride=2),
        dict(padding=(2, 1), padding_mode="circular"),
        dict(padding="same", padding_mode="reflect", dilation=(1, 2)),
    ],
)
def test_conv2d_matches_torch(kw):
    k = 3 if kw.get("padding") != "same" or kw.get("groups") != 4 else (2, 4)
    out = 8 if kw.get("groups") == 4 else 6
    ours = nn.Conv2d(4, out, k, **kw)
    theirs = torch.nn.Conv2d(4, out, k, **kw)
    compare_with_torch(ours, theirs, _x(2, 4, 7, 6))


@pytest.mark.parametrize(
    "kw",
    [dict(), dict(stride=3, padding=2, dilation=2), dict(padding="same", padding_mode="circular", groups=3)],
)
def test_conv1d_matches_torch(kw):
    compare_with_torch(nn.Conv1d(3, 6, 4, **kw), torch.nn.Conv1d(3, 6, 4, **kw), _x(2, 3, 11))


def test_conv3d_matches_torch():
    kw = dict(stride=(1, 2, 1), padding=(1, 0, 1), dilation=(1, 1, 2), groups=2)
    compare_with_torch(
        nn.Conv3d(2, 4, (2, 3, 2), **kw), torch.nn.Conv3d(2, 4, (2, 3, 2), **kw), _x(2, 2, 4, 5, 5)
    )


def test_unbatched_conv_matches_torch():
    compare_with_torch(nn.Conv2d(3, 2, 2), torch.nn.Conv2d(3, 2, 2), _x(3, 5, 4))


@pytest.mark.parametrize(
    "kw",
    [
        dict(),
        dict(stride=2, padding=1, output_padding=1),
        dict(stride=(2, 3), padding=(1, 0), dilation=(1, 2), groups=2, output_padding=(0, 1)),
        dict(bias=False, dilation=2, output_padding=1, stride=1),
    ],
)
def test_conv_transpose2d_matches_torch(kw):
    compare_with_torch(
        nn.ConvTranspose2d(4, 6, (3, 2), **kw), torch.nn.ConvTranspose2d(4, 6, (3, 2), **kw), _x(2, 4, 5, 4)
    )


def test_conv_transpose1d_and_output_size_match_torch():
    kw = dict(stride=3, padding=1, groups=3)
    ours, theirs = nn.ConvTranspose1d(3, 6, 4, **kw), torch.nn.ConvTranspose1d(3, 6, 4, **kw)
    compare_with_torch(ours, theirs, _x(2, 3, 5))
    compare_with_torch(
        ours, theirs, _x(2, 3, 5), call=lambda m, x: m(x, output_size=[16]), load=False
    )  # output_padding 2, chosen from the size


@pytest.mark.parametrize(
    "kw, shape",
    [
        (dict(), (1, 4, 3, 2, 3)),
        (
            dict(stride=(2, 1, 2), padding=(1, 0, 1), output_padding=(1, 0, 0), groups=2, dilation=(1, 2, 1)),
            (2, 4, 2, 3, 2),
        ),
        (dict(bias=False, stride=2), (4, 2, 2, 3)),  # unbatched (C, D, H, W)
    ],
)
def test_conv_transpose3d_matches_torch(kw, shape):
    ours, theirs = nn.ConvTranspose3d(4, 2, (2, 3, 2), **kw), torch.nn.ConvTranspose3d(4, 2, (2, 3, 2), **kw)
    compare_with_torch(ours, theirs, _x(*shape))
    d, h, w = shape[-3:]
    size = [(d - 1) * ours.stride[0] + 3, (h - 1) * ours.stride[1] + 3, (w - 1) * ours.stride[2] + 2]
    if kw.get("dilation") is None and kw.get("padding") is None and ours.stride[0] > 1:
        call = lambda m, x: m(x, output_size=size)  # noqa: E731 (output_padding 1 chosen from the size)
        compare_with_torch(ours, theirs, _x(*shape), call=call, load=False)


def test_fold_unfold_match_torch():
    kw = dict(kernel_size=(2, 3), dilation=(1, 2), padding=1, stride=(2, 1))
    compare_with_torch(nn.Unfold(**kw), torch.nn.Unfold(**kw), _x(2, 3, 7, 6))
    L = torch.nn.functional.unfold(torch.zeros(1, 1, 7, 6), **kw).shape[-1]
    compare_with_torch(nn.Fold((7, 6), **kw), torch.nn.Fold((7, 6), **kw), _x(2, 18, L))


def test_default_init_is_pytorchs_distribution():
    # weight and bias bounds are 1/sqrt(fan_in), fan_in = in_channels/groups * prod(kernel)
    conv = nn.Conv2d(8, 64, 3, groups=2, rng=0)
    bound = 1 / np.sqrt(4 * 9)
    for p in (conv.weight, conv.bias):
        assert np.abs(p.data).max() <= bound and np.abs(p.data).max() > 0.9 * bound
    assert abs(conv.weight.data.std() - bound / np.sqrt(3)) < 0.01  # uniform's standard deviation
    t = nn.ConvTranspose2d(8, 64, 3, groups=2, rng=0)
    assert t.weight.shape == (8, 32, 3, 3)
    assert np.abs(t.weight.data).max() <= 1 / np.sqrt(32 * 9)
    np.testing.assert_array_equal(
        nn.Conv1d(2, 3, 3, rng=5).weight.data, nn.Conv1d(2, 3, 3, rng=5).weight.data
    )


@pytest.mark.parametrize(
    "fn, shapes",
    [
        (
            lambda x, w, b: F.conv2d(x, w, b, stride=(2, 1), padding=1, groups=2),
            [(1, 2, 4, 3), (4, 1, 2, 2), (4,)],
        ),
        (lambda x, w: F.conv1d(x, w, padding="same", dilation=2), [(2, 2, 5), (3, 2, 2)]),
        (lambda x, w: F.conv3d(x, w, stride=2), [(1, 1, 3, 3, 3), (2, 1, 2, 1, 2)]),
        (
            lambda x, w, b: F.conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=1, groups=2),
            [(1, 4, 3, 3), (4, 1, 2, 2), (2,)],
        ),
        (lambda x, w: F.conv_transpose1d(x, w, stride=2, dilation=2), [(2, 2, 3), (2, 3, 2)]),
        (lambda x, w: F.conv_transpose2d(x, w, dilation=2, output_padding=1), [(1, 2, 2, 3), (2, 1, 2, 2)]),
        (lambda x: F.unfold(x, 2, padding=1, stride=2) ** 2, [(1, 2, 3, 3)]),
        (lambda x: F.fold(x, (3, 4), 2, stride=1) ** 2, [(1, 8, 6)]),
    ],
)
def test_first_and_second_derivatives_match_finite_differences(fn, shapes):
    xs = [Tensor(rng.standard_normal(s), requires_grad=True) for s in shapes]
    assert autobp.gradcheck(fn, xs)
    assert autobp.gradgradcheck(fn, xs)


def test_conv_gradient_is_one_node_per_kernel_not_per_position():
    x = Tensor(_x(2, 3, 16, 16), requires_grad=True)
    w = Tensor(_x(4, 3, 3, 3), requires_grad=True)
    y = F.conv2d(x, w)
    assert y.grad_fn == "conv"
    y.sum().backward()
    assert x.grad.shape == x.shape and w.grad.shape == w.shape


def test_float32_stays_float32():
    conv = nn.Conv2d(2, 3, 3, dtype=np.float32, rng=0)
    x = Tensor(_x(1, 2, 5, 5).astype(np.float32), requires_grad=True)
    y = conv(x)
    y.sum().backward()
    assert y.dtype == x.grad.dtype == conv.weight.grad.dtype == np.float32


def test_errors_name_the_shapes():
    with pytest.raises(ValueError, match=r"expected input\[1, 3, 5, 5\] to have 4 channels, but got 3"):
        F.conv2d(np.zeros((1, 3, 5, 5)), np.zeros((2, 4, 3, 3)))
    with pytest.raises(ValueError, match="groups=2 must divide"):
        F.conv2d(np.zeros((1, 3, 5, 5)), np.zeros((2, 3, 3, 3)), groups=2)
    with pytest.raises(ValueError, match="Kernel size can't be greater than actual input size"):
        F.conv2d(np.zeros((1, 1, 2, 2)), np.zeros((1, 1, 3, 3)))
    with pytest.raises(ValueError, match="'same' is not supported for strided"):
        F.conv1d(np.zeros((1, 1, 5)), np.zeros((1, 1, 3)), stride=2, padding="same")
    with pytest.raises(ValueError, match="output_padding"):
        F.conv_transpose2d(np.zeros((1, 1, 3, 3)), np.zeros((1, 1, 3, 3)), stride=2, output_padding=2)
    with pytest.raises(ValueError, match="padding_mode"):
        nn.Conv2d(1, 1, 3, padding_mode="mirror")
    with pytest.raises(ValueError, match="weight must have 4 dimensions"):
        F.conv2d(np.zeros((1, 1, 3, 3)), np.zeros((1, 1, 3)))
