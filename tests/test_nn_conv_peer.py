"""Convolution fixes found by running PyTorch's test/nn/test_convolution.py against autobp (torch is the
oracle): torch.nn.grad, F.conv_tbc, and PyTorch's refusals of bad arguments (RuntimeError/ValueError)."""

import numpy as np
import pytest

import autobp
import autobp.nn as nn
import autobp.nn.functional as F

torch = pytest.importorskip("torch")
rng = np.random.default_rng(0)


def _both(*shape):
    a = rng.standard_normal(shape)
    return autobp.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)


@pytest.mark.parametrize("nd", [1, 2, 3])
@pytest.mark.parametrize(
    "stride,padding,dilation,groups", [(1, 0, 1, 1), (2, 1, 1, 2), (2, 2, 2, 1), (3, 1, 2, 2)]
)
def test_nn_grad_conv_input_and_weight_match_torch(nd, stride, padding, dilation, groups):
    x, tx = _both(2, 4, *(9,) * nd)
    w, tw = _both(6, 4 // groups, *(3,) * nd)
    kw = dict(stride=stride, padding=padding, dilation=dilation, groups=groups)
    tout = getattr(torch.nn.functional, f"conv{nd}d")(tx, tw, **kw)
    g = rng.standard_normal(tout.shape)
    gi = getattr(nn.grad, f"conv{nd}d_input")(x.shape, w, autobp.tensor(g), **kw)
    gw = getattr(F.grad, f"conv{nd}d_weight")(x, w.shape, autobp.tensor(g), **kw)
    tgi = getattr(torch.nn.grad, f"conv{nd}d_input")(tx.shape, tw, torch.tensor(g), **kw)
    tgw = getattr(torch.nn.grad, f"conv{nd}d_weight")(tx, tw.shape, torch.tensor(g), **kw)
    np.testing.assert_allclose(gi.detach().numpy(), tgi.detach().numpy(), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(gw.detach().numpy(), tgw.detach().numpy(), rtol=1e-10, atol=1e-10)


def test_nn_grad_results_are_differentiable():
    w = autobp.tensor(rng.standard_normal((3, 2, 3, 3)), requires_grad=True)
    g = autobp.tensor(rng.standard_normal((1, 3, 3, 3)), requires_grad=True)
    x = autobp.tensor(rng.standard_normal((1, 2, 6, 6)), requires_grad=True)
    kw = dict(stride=2, padding=1)
    assert autobp.gradcheck(lambda w, g: nn.grad.conv2d_input((1, 2, 6, 6), w, g, **kw), (w, g))
    assert autobp.gradgradcheck(lambda w, g: nn.grad.conv2d_input((1, 2, 6, 6), w, g, **kw), (w, g))
    assert autobp.gradcheck(lambda x, g: nn.grad.conv2d_weight(x, (3, 2, 3, 3), g, **kw), (x, g))


def test_functional_conv_tbc_matches_torch():
    x, tx = _both(9, 4, 5)
    w, tw = _both(3, 5, 6)
    b, tb = _both(6)
    out, tout = F.conv_tbc(x, w, b, 2), torch.nn.functional.conv_tbc(tx, tw, tb, 2)
    np.testing.assert_allclose(out.detach().numpy(), tout.detach().numpy(), rtol=1e-12, atol=1e-12)


def _raises_like_torch(ours, theirs, kind, match):
    with pytest.raises(kind, match=match):
        theirs()
    with pytest.raises(kind, match=match):
        ours()


def test_conv_refusals_match_torch_types_and_words():
    _raises_like_torch(
        lambda: F.conv2d(autobp.zeros(1, 10, 1, 28, 28), autobp.zeros(6, 1, 5, 5)),
        lambda: torch.nn.functional.conv2d(torch.zeros(1, 10, 1, 28, 28), torch.zeros(6, 1, 5, 5)),
        RuntimeError,
        r"Expected 3D \(unbatched\) or 4D \(batched\) input to conv2d, "
        r"but got input of size: \[1, 10, 1, 28, 28\]",
    )
    _raises_like_torch(
        lambda: nn.Conv1d(3, 33, 10).double()(autobp.zeros(1, 3, 4)),
        lambda: torch.nn.Conv1d(3, 33, 10).double()(torch.zeros(1, 3, 4, dtype=torch.double)),
        RuntimeError,
        r"Calculated padded input size per channel: \(4\)\. Kernel size: \(10\)\. "
        r"Kernel size can't be greater",
    )
    _raises_like_torch(
        lambda: nn.Conv1d(0, 8, 2).double()(autobp.zeros(2, 1, 0)),
        lambda: torch.nn.Conv1d(0, 8, 2).double()(torch.zeros(2, 1, 0, dtype=torch.double)),
        RuntimeError,
        r"Given groups=1, weight of size \[8, 0, 2\], expected input\[2, 1, 0\] to have 0 channels",
    )


@pytest.mark.parametrize("stride", [0, -1])
def test_conv_non_positive_stride_is_refused_when_run(stride):
    m, tm = nn.Conv2d(3, 6, 4, stride=stride), torch.nn.Conv2d(3, 6, 4, stride=stride)  # both construct
    _raises_like_torch(
        lambda: m(autobp.zeros(1, 3, 4, 4)),
        lambda: tm(torch.zeros(1, 3, 4, 4)),
        RuntimeError,
        "non-positive stride is not supported",
    )


@pytest.mark.parametrize(
    "kwargs,match",
    [
        (dict(groups=0), "groups must be a positive integer"),
        (dict(groups=-1), "groups must be a positive integer"),
        (dict(padding="foo"), "Invalid padding string"),
        (dict(padding_mode="xyz"), "padding_mode must be one of"),
        (dict(padding_mode=3), "padding_mode must be one of"),
        (dict(padding="same", stride=2), "padding='same'"),
    ],
)
def test_conv_constructor_refusals_match_torch(kwargs, match):
    _raises_like_torch(
        lambda: nn.Conv2d(3, 3, 3, **kwargs), lambda: torch.nn.Conv2d(3, 3, 3, **kwargs), ValueError, match
    )


def test_conv_transpose_padding_mode_refusal_matches_torch():
    _raises_like_torch(
        lambda: nn.ConvTranspose2d(3, 3, 3, padding_mode="reflect"),
        lambda: torch.nn.ConvTranspose2d(3, 3, 3, padding_mode="reflect"),
        ValueError,
        'Only "zeros" padding mode is supported for ConvTranspose2d',
    )


def test_complex_conv_modules_build_cast_and_run_as_torch():
    m = nn.Conv2d(2, 3, 2, dtype=autobp.complex64)  # PyTorch initialises complex weights too
    assert m.weight.dtype == np.complex64 and np.abs(m.weight.detach().numpy().imag).max() > 0
    bound = 1 / np.sqrt(2 * 2 * 2)  # kaiming_uniform(a=sqrt(5)): U(+-1/sqrt(fan_in)), each part
    assert np.abs(m.weight.detach().numpy().real).max() <= bound
    assert np.abs(m.weight.detach().numpy().imag).max() <= bound
    m2 = nn.Conv1d(2, 3, 2).to(autobp.complex128)
    assert m2.weight.dtype == m2.bias.dtype == np.complex128
    tm = torch.nn.Conv2d(2, 3, 2, dtype=torch.complex64)
    with torch.no_grad():
        tm.weight.copy_(torch.tensor(m.weight.detach().numpy()))
        tm.bias.copy_(torch.tensor(m.bias.detach().numpy()))
    a = (rng.standard_normal((1, 2, 4, 5)) + 1j * rng.standard_normal((1, 2, 4, 5))).astype(np.complex64)
    np.testing.assert_allclose(
        m(autobp.tensor(a)).detach().numpy(), tm(torch.tensor(a)).detach().numpy(), rtol=1e-5, atol=1e-5
    )  # (complex64 sums: an output near 0 is off by a few ulps of the terms, not of itself)
    with pytest.raises(TypeError):  # as torch: only floating point or complex dtypes
        nn.Conv1d(2, 3, 2).to(autobp.int32)
    with pytest.raises(TypeError):
        torch.nn.Conv1d(2, 3, 2).to(torch.int32)


def test_randint_with_a_float_dtype_gives_whole_floats_as_torch():
    t = torch.randint(1, 10, (50,), dtype=torch.float32, requires_grad=True)
    x = autobp.randint(1, 10, (50,), dtype=autobp.float32, requires_grad=True)
    assert x.dtype == np.float32 and str(t.dtype) == "torch.float32"
    assert x.requires_grad and t.requires_grad
    v = x.detach().numpy()
    assert np.all(v == np.round(v)) and v.min() >= 1 and v.max() <= 9
