"""Pointwise losses broadcast input and target as PyTorch's do: mse/l1/smooth_l1/huber with its
size warning, kl_div and poisson_nll_loss silently; values and gradients against torch."""

import warnings

import numpy as np
import pytest

import autobp
from autobp.nn import functional as F

torch = pytest.importorskip("torch")
TF = torch.nn.functional

WARNING = ["mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss"]
SILENT = ["kl_div", "poisson_nll_loss"]


@pytest.mark.parametrize("name", WARNING + SILENT)
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("shapes", [((4, 1), (4,)), ((2, 1, 3), (5, 1)), ((3,), (2, 3))])
def test_broadcast_losses_match_torch(name, reduction, shapes):
    rng = np.random.default_rng(0)
    x, t = rng.standard_normal(shapes[0]), rng.random(shapes[1])
    tx, tt = torch.tensor(x, requires_grad=True), torch.tensor(t, requires_grad=True)
    ax, at = autobp.tensor(x, requires_grad=True), autobp.tensor(t, requires_grad=True)
    with warnings.catch_warnings(record=True) as tw:
        warnings.simplefilter("always")
        expected = getattr(TF, name)(tx, tt, reduction=reduction)
    with warnings.catch_warnings(record=True) as aw:
        warnings.simplefilter("always")
        got = getattr(F, name)(ax, at, reduction=reduction)
    size_warnings = [w for w in aw if "Please ensure they have the same size" in str(w.message)]
    assert len(size_warnings) == (1 if name in WARNING else 0)
    assert len([w for w in tw if "same size" in str(w.message)]) == len(size_warnings)
    np.testing.assert_allclose(got.detach().numpy(), expected.detach().numpy(), rtol=1e-12)
    g = rng.standard_normal(expected.shape)
    expected.backward(torch.tensor(g))
    got.backward(autobp.tensor(g))
    np.testing.assert_allclose(np.asarray(ax.grad), tx.grad.numpy(), rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(np.asarray(at.grad), tt.grad.numpy(), rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("name", WARNING + SILENT)
def test_shapes_that_do_not_broadcast_are_refused_as_torch(name):
    with pytest.raises(RuntimeError):
        getattr(TF, name)(torch.zeros(3, 5), torch.zeros(5, 3))
    with pytest.raises(RuntimeError, match="do not broadcast"):
        getattr(F, name)(autobp.zeros(3, 5), autobp.zeros(5, 3))
