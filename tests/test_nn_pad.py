"""F.pad (constant, reflect, replicate, circular; negative pads crop) and F.one_hot against PyTorch:
values, input gradients, finite differences, second order, and errors."""

import numpy as np
import pytest

import autobp
import autobp.nn.functional as F
from autobp import Tensor

from .helpers import check_gradients

torch = pytest.importorskip("torch")
TF = torch.nn.functional

rng = np.random.default_rng(3)

CASES = [
    ((3, 3, 3, 3), (1, 2, 3, 4), "constant", None),
    ((3, 3, 3, 3), (-1, 2, -3, 4), "constant", 5.0),
    ((3, 3), (0, 0, 3, 4), "constant", 1.0),
    ((2, 3), (1, -2, -1, 1), "constant", 7.0),
    ((4,), (0, 3), "constant", -np.inf),
    ((1, 1, 5, 5), (0, 2, 3, 2), "reflect", None),
    ((5, 5, 5), (0, 2), "reflect", None),
    ((1, 1, 5, 5, 5), (1, 2, 3, 4, 1, 2), "reflect", None),
    ((3, 3, 3, 3), (-1, 2, 2, -1), "reflect", None),
    ((1, 1, 5, 5), (3, -5, 1, -4), "reflect", None),
    ((1, 1, 5, 5), (4, 4, 0, 4), "reflect", None),
    ((1, 1, 5, 5), (0, 2, 3, 2), "replicate", None),
    ((3, 3, 3, 3), (-1, 2, 2, -1), "replicate", None),
    ((1, 1, 5, 5), (3, 11, 0, 30), "replicate", None),
    ((1, 1, 5, 5), (0, 2, 3, 2), "circular", None),
    ((1, 1, 5, 5, 5), (1, 2, 3, 5, 1, 2), "circular", None),
]


@pytest.mark.parametrize("shape,pad,mode,value", CASES)
def test_pad_matches_torch_values_and_gradients(shape, pad, mode, value):
    a = rng.standard_normal(shape)
    x, t = Tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    kw = {} if value is None else {"value": value}
    y, ty = F.pad(x, pad, mode=mode, **kw), TF.pad(t, pad, mode=mode, **kw)
    assert y.shape == tuple(ty.shape)
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=1e-12)
    w = np.where(np.isfinite(y.data), rng.standard_normal(y.shape), 0.0)
    (y * w).sum().backward()
    (ty * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(x.grad, t.grad.numpy(), rtol=1e-12)


@pytest.mark.parametrize(
    "pad,mode", [((1, 2, -1, 1), "constant"), ((2, 1, 1, -1), "reflect"), ((2, 3), "replicate")]
)
def test_pad_finite_differences_and_second_order(pad, mode):
    a = rng.standard_normal((2, 3, 4))
    check_gradients(lambda x: F.pad(x, pad, mode=mode) ** 2, a)
    assert autobp.gradgradcheck(
        lambda x: (F.pad(x, pad, mode=mode) ** 3).sum(), [Tensor(a, requires_grad=True)]
    )


def test_pad_negative_crops_first_and_keeps_float32_and_ints():
    a = np.arange(10.0, dtype=np.float32).reshape(1, 2, 5)
    for pads in ((1, -1), (-2, 1)):
        for mode in ("circular", "reflect", "replicate"):
            got = F.pad(Tensor(a), pads, mode=mode)  # cropped, then padded from what is left
            np.testing.assert_array_equal(got.data, TF.pad(torch.tensor(a), pads, mode=mode).numpy())
    x = Tensor(np.ones((2, 5), np.float32))
    assert F.pad(x, (1, 1)).dtype == np.float32
    i = Tensor(np.arange(6).reshape(2, 3), dtype=np.int64)
    got = F.pad(i, (1, 1), value=7)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got.data, TF.pad(torch.arange(6).reshape(2, 3), (1, 1), value=7).numpy())


@pytest.mark.parametrize(
    "pad,mode,err",
    [
        ((2, 0, 2), "constant", ValueError),  # odd length
        ((0, 0, 0, 0, 1, 0, 3, 0), "constant", ValueError),  # more axes than the tensor has
        ((3, 5, 0, 0), "reflect", ValueError),  # reflect pad >= axis length
        ((3, 6, 0, 0), "circular", ValueError),  # wraps more than once
        ((1, 0), "typo", NotImplementedError),  # PyTorch's error type for an unknown mode
    ],
)
def test_pad_errors(pad, mode, err):
    with pytest.raises(err, match="pad"):
        F.pad(Tensor(np.ones((1, 1, 5, 5))[0]), pad, mode=mode)
    with pytest.raises((RuntimeError, ValueError)):  # PyTorch refuses the same call
        TF.pad(torch.ones(1, 5, 5), pad, mode=mode)


def test_one_hot_matches_torch():
    for data, n in [([1, 2, 4], 6), ([1, 2, 4], -1), ([[[1, 2, 3], [0, 3, 5]], [[1, 2, 3], [0, 3, 5]]], 8)]:
        got = F.one_hot(Tensor(data, dtype=np.int64), n)
        want = TF.one_hot(torch.tensor(data), n).numpy()
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_array_equal(got.data, want)
    with pytest.raises(ValueError, match="num_classes"):
        F.one_hot(Tensor([3], dtype=np.int64), 2)
    with pytest.raises(TypeError, match="integers"):
        F.one_hot(Tensor([1.0]), 2)
