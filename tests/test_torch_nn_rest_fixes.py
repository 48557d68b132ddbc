"""Fixes found by running the last part of PyTorch's test/test_nn.py against autobp (torch as the oracle):
the mean of nll_loss/cross_entropy over an empty batch, the fused BatchNorm weights' requires_grad,
clip_grad_norm_'s warning and words, and PyTorch's exception types for bad loss/shrink arguments."""

from __future__ import annotations

import types
import warnings

import numpy as np
import pytest

import autobp
import autobp.nn as nn
import autobp.nn.functional as F

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("fn", ["nll_loss", "cross_entropy"])
@pytest.mark.parametrize(("shape", "tshape"), [((0, 3), (0,)), ((0, 3, 5), (0, 5)), ((2, 3, 0), (2, 0))])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_empty_batch_losses_as_torch(fn, shape, tshape, reduction):
    """The mean over no targets is nan (it raised), with a zero gradient of the input's shape."""
    x = autobp.zeros(shape, requires_grad=True)
    out = getattr(F, fn)(x, autobp.zeros(tshape, dtype=np.int64), reduction=reduction)
    tx = torch.zeros(shape, dtype=torch.float64, requires_grad=True)
    tout = getattr(torch.nn.functional, fn)(tx, torch.zeros(tshape, dtype=torch.int64), reduction=reduction)
    np.testing.assert_array_equal(np.asarray(out.detach()), tout.detach().numpy())
    out.sum().backward()
    tout.sum().backward()
    np.testing.assert_array_equal(np.asarray(x.grad), tx.grad.numpy())


@pytest.mark.parametrize("w_rg", [True, False])
@pytest.mark.parametrize("b_rg", [True, False])
def test_fused_bn_weights_requires_grad_as_torch(w_rg, b_rg):
    """The fused Parameters require grad as the layer's weight and bias did (not always True)."""
    conv, bn = nn.Conv2d(3, 3, 3), nn.BatchNorm2d(3)
    tconv, tbn = torch.nn.Conv2d(3, 3, 3), torch.nn.BatchNorm2d(3)
    lin, bn1 = nn.Linear(3, 3), nn.BatchNorm1d(3)
    tlin, tbn1 = torch.nn.Linear(3, 3), torch.nn.BatchNorm1d(3)
    for layer in (conv, tconv, lin, tlin):
        layer.weight.requires_grad_(w_rg)
        layer.bias.requires_grad_(b_rg)
    args = lambda c, b: (c.weight, c.bias, b.running_mean, b.running_var, b.eps, b.weight, b.bias)  # noqa: E731
    ours = nn.utils.fuse_conv_bn_weights(*args(conv, bn)) + nn.utils.fuse_linear_bn_weights(*args(lin, bn1))
    theirs = torch.nn.utils.fuse_conv_bn_weights(*args(tconv, tbn)) + torch.nn.utils.fuse_linear_bn_weights(
        *args(tlin, tbn1)
    )
    assert [p.requires_grad for p in ours] == [p.requires_grad for p in theirs]
    nobias = nn.utils.fuse_conv_bn_weights(conv.weight, None, *args(conv, bn)[2:])
    tnobias = torch.nn.utils.fuse_conv_bn_weights(tconv.weight, None, *args(tconv, tbn)[2:])
    assert nobias[1].requires_grad == tnobias[1].requires_grad


def test_clip_grad_norm_warns_on_an_exhausted_generator():
    lin = nn.Linear(2, 2)
    params = lin.parameters()
    assert isinstance(params, types.GeneratorType)
    for _ in params:
        pass
    tparams = torch.nn.Linear(2, 2).parameters()
    for _ in tparams:
        pass
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        nn.utils.clip_grad_norm_(params, 1.0)
    with warnings.catch_warnings(record=True) as tw:
        warnings.simplefilter("always")
        torch.nn.utils.clip_grad_norm_(tparams, 1.0)
    assert [str(x.message) for x in w] == [str(x.message) for x in tw]
    assert "empty generator" in str(w[0].message)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nn.utils.clip_grad_norm_([], 1.0)  # an empty list is not a slip: no warning (as PyTorch)


def test_clip_grad_norm_nonfinite_words_as_torch():
    p = autobp.ones(3, requires_grad=True)
    (p * np.inf).sum().backward()
    tp = torch.ones(3, requires_grad=True)
    (tp * np.inf).sum().backward()
    with pytest.raises(RuntimeError) as theirs:
        torch.nn.utils.clip_grad_norm_([tp], 1.0, norm_type=2, error_if_nonfinite=True)
    with pytest.raises(RuntimeError, match=r"The total norm of order 2\.0 for gradients from `parameters`"):
        nn.utils.clip_grad_norm_([p], 1.0, norm_type=2, error_if_nonfinite=True)
    assert str(theirs.value).startswith("The total norm of order 2.0 for gradients from `parameters`")


def _raises_like_torch(ours, theirs, words):
    with pytest.raises(Exception) as t:
        theirs()
    with pytest.raises(type(t.value), match=words):  # PyTorch's exception type, and its words
        ours()


def test_loss_argument_errors_as_torch():
    x, tx = autobp.randn(10, 3), torch.randn(10, 3)
    _raises_like_torch(
        lambda: F.nll_loss(x, autobp.zeros(3, dtype=np.int64)),
        lambda: torch.nn.functional.nll_loss(tx, torch.zeros(3, dtype=torch.int64)),
        r"Expected input batch_size \(10\) to match target batch_size \(3\)",
    )
    _raises_like_torch(
        lambda: F.nll_loss(x, autobp.zeros((10, 2), dtype=np.int64)),
        lambda: torch.nn.functional.nll_loss(tx, torch.zeros((10, 2), dtype=torch.int64)),
        "1D target tensor expected",
    )
    for shape in [(4,), (1, 3)]:
        _raises_like_torch(
            lambda: F.nll_loss(x, autobp.zeros(10, dtype=np.int64), weight=autobp.ones(shape)),  # noqa: B023
            lambda: torch.nn.functional.nll_loss(
                tx,
                torch.zeros(10, dtype=torch.int64),
                weight=torch.ones(shape),  # noqa: B023
            ),
            "weight tensor should be defined either for all 3 classes or no classes",
        )
    _raises_like_torch(
        lambda: nn.CrossEntropyLoss(label_smoothing=1.2)(x, autobp.zeros(10, dtype=np.int64)),
        lambda: torch.nn.CrossEntropyLoss(label_smoothing=1.2)(tx, torch.zeros(10, dtype=torch.int64)),
        r"label_smoothing must be between 0\.0",
    )
    _raises_like_torch(
        lambda: nn.Softshrink(-1)(autobp.randn(5)),
        lambda: torch.nn.Softshrink(-1)(torch.randn(5)),
        r"lambda must be greater or equal to 0, but found to be -1\.",
    )
    with pytest.raises(ValueError):  # autobp's own type still catches them
        F.nll_loss(x, autobp.zeros(3, dtype=np.int64))
    with pytest.raises(ValueError):
        nn.Softshrink(-1)(autobp.randn(5))
