"""multilabel_margin_loss and triplet_margin_with_distance_loss (and their layers) against PyTorch:
values and gradients for every reduction, -1-terminated targets, custom distances, swap."""

import numpy as np
import pytest

import autobp
import autobp.nn.functional as F
from autobp import Tensor, nn

torch = pytest.importorskip("torch")
TF = torch.nn.functional

rng = np.random.default_rng(13)


def _both(fn, tfn, arrays, **kw):
    xs = [Tensor(a, requires_grad=True) if a.dtype.kind == "f" else a for a in arrays]  # ints as they are
    txs = [torch.tensor(a, requires_grad=a.dtype.kind == "f") for a in arrays]
    out, tout = fn(*xs, **kw), tfn(*txs, **kw)
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-12, atol=1e-14)
    w = rng.standard_normal(out.shape)
    (out * w).sum().backward()
    (tout * torch.tensor(w)).sum().backward()
    for x, tx in zip(xs, txs):
        if tx.requires_grad:
            np.testing.assert_allclose(x.grad, tx.grad.numpy(), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_multilabel_margin_loss_matches_torch(reduction):
    x = rng.standard_normal((3, 5))
    y = np.array([[3, 0, -1, 1, 2], [1, 2, 3, 4, 0], [-1, 2, 1, 0, 0]])  # row 2 has no target at all
    _both(F.multilabel_margin_loss, TF.multilabel_margin_loss, [x, y], reduction=reduction)
    _both(F.multilabel_margin_loss, TF.multilabel_margin_loss, [x[0], y[0]], reduction=reduction)
    layer, tlayer = (
        nn.MultiLabelMarginLoss(reduction=reduction),
        torch.nn.MultiLabelMarginLoss(reduction=reduction),
    )
    np.testing.assert_allclose(layer(x, y).data, tlayer(torch.tensor(x), torch.tensor(y)).numpy(), rtol=1e-12)


def test_multilabel_margin_loss_finite_differences_and_errors():
    y = np.array([[2, 0, -1, 1]])
    assert autobp.gradcheck(
        lambda t: F.multilabel_margin_loss(t, y), [Tensor(rng.standard_normal((1, 4)), True)]
    )
    with pytest.raises(ValueError, match="not below C=4"):
        F.multilabel_margin_loss(np.zeros((1, 4)), np.array([[4, -1, 0, 0]]))
    with pytest.raises(ValueError, match="integer targets"):
        F.multilabel_margin_loss(np.zeros((1, 4)), np.zeros((1, 4)))


@pytest.mark.parametrize(
    "kw",
    [
        dict(),
        dict(margin=0.5, swap=True, reduction="sum"),
        dict(distance_function="cosine", reduction="none"),
        dict(distance_function="l1", swap=True),
    ],
)
def test_triplet_margin_with_distance_loss_matches_torch(kw):
    a, p, n = (rng.standard_normal((4, 3)) for _ in range(3))
    dist = kw.pop("distance_function", None)
    ours_d = {"cosine": lambda u, v: 1 - F.cosine_similarity(u, v), "l1": lambda u, v: (u - v).abs().sum(-1)}
    theirs_d = {
        "cosine": lambda u, v: 1 - TF.cosine_similarity(u, v),
        "l1": lambda u, v: (u - v).abs().sum(-1),
    }

    def fn(*xs, **k):
        return F.triplet_margin_with_distance_loss(*xs, distance_function=ours_d.get(dist), **k)

    def tfn(*xs, **k):
        return TF.triplet_margin_with_distance_loss(*xs, distance_function=theirs_d.get(dist), **k)

    _both(fn, tfn, [a, p, n], **kw)
    layer = nn.TripletMarginWithDistanceLoss(distance_function=ours_d.get(dist), **kw)
    tlayer = torch.nn.TripletMarginWithDistanceLoss(distance_function=theirs_d.get(dist), **kw)
    np.testing.assert_allclose(
        layer(a, p, n).data, tlayer(*(torch.tensor(v) for v in (a, p, n))).numpy(), rtol=1e-12
    )
