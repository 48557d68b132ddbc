"""binary_cross_entropy, binary_cross_entropy_with_logits and mse_loss take PyTorch's signatures
((input, target, weight, size_average, reduce, reduction, pos_weight) for the cross-entropies): a
positional third argument of a cross-entropy is the per-element ``weight`` (before: the reduction, or
for the logits form silently ``pos_weight``)."""

import numpy as np
import pytest

import autobp
import autobp.nn.functional as F

torch = pytest.importorskip("torch")
TF = torch.nn.functional

rng = np.random.default_rng(7)
X = rng.standard_normal((4, 3))
Y = (rng.random((4, 3)) > 0.5) * 1.0
W = rng.random(3) + 0.1  # broadcast over the rows
PW = rng.random(3) + 0.5


def _both(name, x, args, kwargs):
    """Values and input gradients of F.<name> and torch's (torch does not differentiate the weights)."""
    tx = torch.tensor(x, requires_grad=True)
    targs = [torch.tensor(a) if isinstance(a, np.ndarray) else a for a in args]
    tkw = {k: torch.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
    t = getattr(TF, name)(tx, torch.tensor(Y), *targs, **tkw)
    tgrads = torch.autograd.grad((t * torch.tensor(np.arange(1.0, t.numel() + 1).reshape(t.shape))).sum(), tx)
    ax = autobp.tensor(x, requires_grad=True)
    aargs = [autobp.tensor(a) if isinstance(a, np.ndarray) else a for a in args]
    akw = {k: autobp.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
    a = getattr(F, name)(ax, Y, *aargs, **akw)
    agrads = autobp.autograd.grad((a * np.arange(1.0, a.size + 1).reshape(a.shape)).sum(), ax)
    np.testing.assert_allclose(a.data, t.detach().numpy(), rtol=1e-12, atol=1e-12)
    for ga, gt in zip(agrads, tgrads):
        np.testing.assert_allclose(np.asarray(ga), gt.numpy(), rtol=1e-10, atol=1e-12)


CALLS = [
    ((W,), {}),  # weight positionally
    ((), {"weight": W}),
    ((W, None, None, "sum"), {}),
    ((), {"weight": W, "reduction": "none"}),
    ((None, None, False), {}),  # the deprecated reduce=False: no reduction
    ((None, False, None), {}),  # size_average=False: the sum
]


@pytest.mark.parametrize("k", range(len(CALLS)))
def test_bce_with_logits_matches_torch(k):
    args, kwargs = CALLS[k]
    _both("binary_cross_entropy_with_logits", X, args, kwargs)


@pytest.mark.parametrize("k", range(len(CALLS)))
def test_bce_with_logits_pos_weight_and_weight(k):
    args, kwargs = CALLS[k]
    _both("binary_cross_entropy_with_logits", X, args, {**kwargs, "pos_weight": PW})


@pytest.mark.parametrize("k", range(len(CALLS)))
def test_bce_matches_torch(k):
    args, kwargs = CALLS[k]
    _both("binary_cross_entropy", 1 / (1 + np.exp(-X)), args, kwargs)


@pytest.mark.parametrize(
    "args, kwargs",
    [
        ((), {}),
        ((None, None, "sum"), {}),
        ((None, False), {}),  # size_average=False: the sum
        ((), {"weight": np.abs(X) + 0.1}),
        ((), {"weight": np.abs(X) + 0.1, "reduction": "sum"}),
        ((), {"weight": np.abs(X) + 0.1, "reduction": "none"}),
    ],
)
def test_mse_loss_matches_torch(args, kwargs):
    """mse_loss: PyTorch's signature (size_average, reduce, reduction, weight); weighted 'mean' is
    sum(w e) / sum(w)."""
    _both("mse_loss", X, args, kwargs)
