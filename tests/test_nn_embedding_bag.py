"""EmbeddingBag against PyTorch: every mode, 2-D bags and 1-D offsets (include_last_offset, empty
bags), padding_idx, per_sample_weights, max_norm; values and the weight's gradient."""

import numpy as np
import pytest

import autobp
import autobp.nn.functional as F
from autobp import Tensor, nn

torch = pytest.importorskip("torch")

rng = np.random.default_rng(14)


def _check(kw, idx, offsets=None, psw=None):
    ours, theirs = nn.EmbeddingBag(7, 3, **kw), torch.nn.EmbeddingBag(7, 3, **kw).double()
    ours.load_state_dict({"weight": theirs.weight.detach().numpy()})
    tpsw = None if psw is None else torch.tensor(psw, requires_grad=True)
    ppsw = None if psw is None else Tensor(psw, requires_grad=True)
    toff = None if offsets is None else torch.tensor(offsets)
    out = ours(idx, offsets, ppsw)
    tout = theirs(torch.tensor(idx), toff, tpsw)
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-12, atol=1e-14)
    w = rng.standard_normal(out.shape)
    (out * w).sum().backward()
    (tout * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(ours.weight.grad, theirs.weight.grad.numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(ours.weight.data, theirs.weight.detach().numpy(), rtol=1e-12)  # max_norm
    if psw is not None:
        np.testing.assert_allclose(ppsw.grad, tpsw.grad.numpy(), rtol=1e-12)


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_two_dimensional_bags_match_torch(mode):
    idx = np.array([[1, 2, 4], [4, 3, 2], [0, 0, 6]])
    _check(dict(mode=mode), idx)
    _check(dict(mode=mode, padding_idx=2), idx)
    _check(dict(mode=mode, max_norm=0.8), idx)


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_offsets_and_empty_bags_match_torch(mode):
    idx = np.array([1, 2, 4, 5, 4, 3, 2, 6])
    _check(dict(mode=mode), idx, np.array([0, 2, 2, 5]))  # the second bag is empty
    _check(dict(mode=mode, include_last_offset=True), idx, np.array([0, 3, 3, 8]))
    _check(dict(mode=mode, padding_idx=4), idx, np.array([0, 3]))


def test_per_sample_weights_and_finite_differences():
    idx, off = np.array([1, 2, 4, 5, 4]), np.array([0, 2])
    _check(dict(mode="sum"), idx, off, psw=rng.standard_normal(5))
    w = Tensor(rng.standard_normal((7, 3)), requires_grad=True)
    assert autobp.gradcheck(lambda t: F.embedding_bag(idx, t, off, mode="mean"), [w])
    with pytest.raises(NotImplementedError, match="only supported for mode='sum'"):  # PyTorch's type
        F.embedding_bag(idx, w, off, mode="mean", per_sample_weights=np.ones(5))
    with pytest.raises(ValueError, match="offsets must start at 0"):
        F.embedding_bag(idx, w, np.array([1, 2]))
    with pytest.raises(ValueError, match="offsets has to be a 1D Tensor but got None"):
        F.embedding_bag(idx, w)
