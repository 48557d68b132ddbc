"""The KL divergences torch registers with a Pareto on either side, against torch: values (+inf where
a moment is missing or the supports do not nest) and gradients in both distributions' parameters."""

import numpy as np
import pytest

import autobp
from autobp import distributions as D

torch = pytest.importorskip("torch")
T = torch.distributions

# each set has entries on both sides of the thresholds (alpha 1 and 2, nested and crossing supports)
PARAMS = {
    "Pareto": [np.array([1.0, 2.0, 0.5, 1.5]), np.array([2.5, 3.0, 0.8, 1.5])],
    "Pareto-q": [np.array([0.8, 2.5, 0.4, 1.0]), np.array([1.5, 2.0, 3.0, 0.7])],
    "Uniform": [np.array([1.2, 3.0, 0.1, 2.0]), np.array([1.5, 4.0, 2.0, 2.5])],
    "Exponential": [np.array([0.5, 2.0, 1.0, 3.0])],
    "Gamma": [np.array([1.0, 2.0, 0.5, 4.0]), np.array([2.5, 3.0, 1.5, 0.5])],
    "Normal": [np.array([0.3, -1.0, 2.0, 1.0]), np.array([0.5, 2.0, 1.0, 3.0])],
    "Beta": [np.array([0.5, 2.0, 3.0, 1.0]), np.array([1.5, 0.7, 2.0, 1.0])],
    "Gumbel": [np.array([0.3, -1.0, 2.0, 1.0]), np.array([0.5, 2.0, 1.0, 3.0])],
    "Laplace": [np.array([0.3, -1.0, 2.0, 1.0]), np.array([0.5, 2.0, 1.0, 3.0])],
}
PAIRS = [("Pareto", q) for q in ("Pareto-q", "Exponential", "Gamma", "Normal", "Beta", "Uniform")]
PAIRS += [(p, "Pareto-q") for p in ("Uniform", "Exponential", "Gamma", "Normal", "Beta", "Gumbel", "Laplace")]


def _make(lib, key, leaves):
    mk = torch.tensor if lib is T else autobp.tensor
    made = [mk(a, requires_grad=True) for a in PARAMS[key]]
    leaves += made
    return getattr(lib, key.split("-")[0])(*made)


@pytest.mark.parametrize(("p", "q"), PAIRS)
def test_pareto_kl_pairs_as_torch(p, q):
    lt, la = [], []
    kt = T.kl_divergence(_make(T, p, lt), _make(T, q, lt))
    ka = D.kl_divergence(_make(D, p, la), _make(D, q, la))
    np.testing.assert_allclose(ka.numpy(), kt.detach().numpy(), rtol=1e-9)
    fin = np.isfinite(kt.detach().numpy())
    if not fin.any() or not kt.requires_grad:
        return
    gt = torch.autograd.grad(kt[torch.tensor(fin)].sum(), lt, allow_unused=True)
    ka[autobp.tensor(fin)].sum().backward()
    for g, leaf in zip(gt, la):
        expected = np.zeros(leaf.shape) if g is None else g.numpy()
        got = np.zeros(leaf.shape) if leaf.grad is None else np.asarray(leaf.grad)
        ok = np.isfinite(expected)  # torch's 0 * nan at an entry set to +inf
        np.testing.assert_allclose(got[ok], expected[ok], rtol=1e-7, atol=1e-10)


def test_pareto_pairs_have_finite_and_infinite_entries():
    # the parameter sets above reach both branches of every masked closed form
    lt = []
    for q in ("Pareto-q", "Exponential", "Gamma", "Normal"):
        k = T.kl_divergence(_make(T, "Pareto", lt), _make(T, q, lt)).detach().numpy()
        assert np.isfinite(k).any() and np.isinf(k).any(), q
    k = T.kl_divergence(_make(T, "Uniform", lt), _make(T, "Pareto-q", lt)).detach().numpy()
    assert np.isfinite(k).any() and np.isinf(k).any()
