"""nn.functional.ctc_loss and nn.CTCLoss against torch (values and gradients with respect to
log_probs, random inputs of several shapes), finite differences, and hand-counted alignments."""

import numpy as np
import pytest

import autobp
from autobp import Tensor, nn

torch = pytest.importorskip("torch")
TF = torch.nn.functional
F = nn.functional

rng = np.random.default_rng(11)


def _log_softmax(x):
    return x - np.log(np.exp(x).sum(-1, keepdims=True))


def _both(lp, targets, il, tl, **kw):
    """Loss and gradient (of sum(loss * w)) in autobp and in torch, for the same inputs."""
    a, t = Tensor(lp, requires_grad=True), torch.tensor(lp, requires_grad=True)
    la = F.ctc_loss(a, targets, il, tl, **kw)
    lt = TF.ctc_loss(t, torch.tensor(targets), torch.tensor(il), torch.tensor(tl), **kw)
    w = rng.standard_normal(la.shape)
    (la * w).sum().backward()
    (lt * torch.tensor(w, dtype=lt.dtype)).sum().backward()
    return (la.data, a.grad), (lt.detach().numpy(), t.grad.numpy())


def _close(ours, theirs, rtol=1e-10, atol=1e-12):
    for a, b in zip(ours, theirs):
        assert a.dtype == b.dtype
        np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)  # inf and nan must sit at the same places


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize(
    "T, N, C, S, blank", [(6, 1, 3, 2, 0), (12, 4, 5, 5, 0), (20, 7, 6, 8, 3), (9, 3, 2, 4, 1)]
)
def test_random_batches_match_torch(T, N, C, S, blank, reduction):
    labels = np.array([c for c in range(C) if c != blank])
    targets = rng.choice(labels, size=(N, S))  # repeated labels happen often with few classes
    tl = rng.integers(0, S + 1, N)
    il = rng.integers(np.minimum(2 * tl + 1, T), T + 1)  # mostly feasible, lengths differ
    for raw in (False, True):  # raw: log_probs that are not normalised (PyTorch's gradient still)
        x = rng.standard_normal((T, N, C))
        lp = x if raw else _log_softmax(x)
        ours, theirs = _both(lp, targets, il, tl, blank=blank, reduction=reduction)
        _close(ours, theirs)


def test_concatenated_targets_unbatched_and_float32_match_torch():
    lp = _log_softmax(rng.standard_normal((7, 3, 4)))
    padded, tl = np.array([[1, 2, 2], [3, 0, 0], [2, 1, 0]]), np.array([3, 1, 2])
    flat = np.concatenate([padded[k, : tl[k]] for k in range(3)])
    il = np.array([7, 5, 6])
    _close(*_both(lp, flat, il, tl))
    a = F.ctc_loss(Tensor(lp), flat, il, tl, reduction="none").data
    np.testing.assert_array_equal(a, F.ctc_loss(Tensor(lp), padded, il, tl, reduction="none").data)
    _close(*_both(lp[:, 1], padded[2, :2], np.array(6), np.array(2), reduction="none"))
    ours, theirs = _both(lp.astype(np.float32), padded, il, tl)
    _close(ours, theirs, rtol=1e-5, atol=1e-6)


def test_impossible_alignments_give_inf_or_zero_with_zero_infinity():
    lp = _log_softmax(rng.standard_normal((4, 3, 4)))
    targets = np.array([[1, 2, 2], [1, 1, 0], [3, 3, 3]])  # 3, 3, 3 needs 5 steps (blanks between)
    il, tl = np.array([4, 3, 4]), np.array([3, 2, 3])
    for zero_infinity in (False, True):
        ours, theirs = _both(lp, targets, il, tl, reduction="none", zero_infinity=zero_infinity)
        _close(ours, theirs)
        loss, grad = ours
        assert loss[2] == (0.0 if zero_infinity else np.inf)
        if zero_infinity:
            assert np.all(grad[:, 2] == 0)
        else:
            assert np.all(np.isnan(grad[:, 2])) and np.all(np.isfinite(grad[:, :2]))


def test_hand_counted_alignments():
    # T = 2, one label "1" out of {blank, 1} at probability 1/2 each step: the alignments 1-, -1, 11
    lp = Tensor(np.log(np.full((2, 1, 2), 0.5)), requires_grad=True)
    loss = F.ctc_loss(lp, [[1]], [2], [1], reduction="sum")
    assert np.isclose(loss.item(), -np.log(3 / 4))
    # "1 1" needs 1 - 1: three steps, one alignment; two steps: impossible
    assert np.isclose(
        F.ctc_loss(Tensor(np.log(np.full((3, 1, 2), 0.5))), [[1, 1]], [3], [2]).item(), np.log(8) / 2
    )
    assert (
        F.ctc_loss(Tensor(np.log(np.full((2, 1, 2), 0.5))), [[1, 1]], [2], [2], reduction="sum").item()
        == np.inf
    )
    # an empty target: blanks only; no input steps and no target: probability one
    lp3 = np.log(np.full((3, 2, 2), 0.5))
    np.testing.assert_allclose(
        F.ctc_loss(Tensor(lp3), np.zeros((2, 0), int), [3, 0], [0, 0], reduction="none").data,
        [3 * np.log(2), 0.0],
    )


def test_finite_differences_through_log_softmax_with_a_zeroed_infinite_loss():
    targets, il, tl = np.array([[1, 1], [2, 1], [2, 2]]), [4, 2, 3], [2, 2, 2]  # the third: impossible

    def loss(x):
        return F.ctc_loss(F.log_softmax(x, -1), targets, il, tl, reduction="mean", zero_infinity=True)

    assert autobp.gradcheck(loss, Tensor(rng.standard_normal((4, 3, 3)), requires_grad=True))


def test_ctc_module_and_first_order_under_create_graph():
    lp = _log_softmax(rng.standard_normal((5, 2, 3)))
    targets, il, tl = np.array([[1, 2], [2, 2]]), [5, 5], [2, 2]
    module, tmodule = nn.CTCLoss(blank=0, reduction="sum"), torch.nn.CTCLoss(blank=0, reduction="sum")
    assert "reduction='sum'" in repr(module)
    x = Tensor(lp, requires_grad=True)
    ours = module(x, targets, il, tl)
    theirs = tmodule(torch.tensor(lp), torch.tensor(targets), torch.tensor(il), torch.tensor(tl))
    assert np.isclose(ours.item(), theirs.item(), rtol=1e-12)
    (g,) = autobp.grad(ours, [x], create_graph=True)
    (plain,) = autobp.grad(module(x, targets, il, tl), [x])
    np.testing.assert_array_equal(g.data, plain)
    with pytest.raises(NotImplementedError, match="no second derivative"):
        autobp.grad(g.sum(), [x])


def test_bad_input_is_refused_with_a_clear_error():
    lp = np.zeros((4, 2, 3))
    targets, il, tl = np.array([[1, 2], [2, 1]]), [4, 4], [2, 2]
    with pytest.raises(ValueError, match=r"\(T, N, C\) or \(T, C\), got shape \(4,\)"):
        F.ctc_loss(np.zeros(4), targets, il, tl)
    with pytest.raises(ValueError, match="blank must be in label range"):
        F.ctc_loss(lp, targets, il, tl, blank=3)
    with pytest.raises(ValueError, match="other than blank=1"):
        F.ctc_loss(lp, targets, il, tl, blank=1)
    with pytest.raises(ValueError, match=r"input_lengths \[5 4\] must be in \[0, T=4\]"):
        F.ctc_loss(lp, targets, [5, 4], tl)
    with pytest.raises(ValueError, match=r"one per sequence, shape \(2,\)"):
        F.ctc_loss(lp, targets, [4], tl)
    with pytest.raises(ValueError, match="target length of 3 exceeds the 2 columns"):
        F.ctc_loss(lp, targets, il, [3, 2])
    with pytest.raises(ValueError, match="hold 3 labels, target_lengths sum to 4"):
        F.ctc_loss(lp, np.array([1, 2, 1]), il, tl)
    with pytest.raises(TypeError, match="must hold integers"):
        F.ctc_loss(lp, np.array([[1.5, 2], [2, 1]]), il, tl)
    with pytest.raises(ValueError, match="reduction"):
        nn.CTCLoss(reduction="avg")
