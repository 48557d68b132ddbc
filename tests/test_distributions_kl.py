"""kl_divergence against torch's values and gradients (in both distributions' parameters), the
registry's lookup by type, and the error for a pair with no closed form."""

from __future__ import annotations

import numpy as np
import pytest

import autobp
from autobp import distributions as D

torch = pytest.importorskip("torch")
T = torch.distributions

R = np.array
SPD1 = R([[2.0, 0.3, 0.1], [0.3, 1.0, -0.2], [0.1, -0.2, 1.5]])
SPD2 = R(
    [[[1.0, 0.5, 0.0], [0.5, 2.0, 0.4], [0.0, 0.4, 0.8]], [[1.5, 0.0, 0.2], [0.0, 0.7, 0.1], [0.2, 0.1, 1.1]]]
)


def _counts(lib, n):
    return torch.tensor(n, dtype=torch.float64) if lib is T else R(n)


# name: (build(lib, *params) -> (p, q), params)
PAIRS = {
    "Normal": (
        lambda L, a, b, c, d: (L.Normal(a, b), L.Normal(c, d)),
        [R([0.3, -1.2]), R([1.5, 0.4]), R([0.0, 0.5]), R([1.0, 2.0])],
    ),
    "MultivariateNormal": (
        lambda L, m1, s1, m2, s2: (
            L.MultivariateNormal(m1, covariance_matrix=s1),
            L.MultivariateNormal(m2, covariance_matrix=s2),
        ),
        [R([0.5, -1.0, 0.2]), SPD1, R([[0.0, 0.3, 1.0], [1.0, 1.0, -1.0]]), SPD2],
    ),
    "MultivariateNormal-tril-precision": (
        lambda L, m1, s1, m2, s2: (
            L.MultivariateNormal(m1, scale_tril=s1),
            L.MultivariateNormal(m2, precision_matrix=s2),
        ),
        [R([0.5, -1.0, 0.2]), np.linalg.cholesky(SPD1), R([0.0, 0.3, 1.0]), SPD2[0]],
    ),
    "Bernoulli": (
        lambda L, a, b: (L.Bernoulli(probs=a), L.Bernoulli(logits=b)),
        [R([0.2, 0.7, 0.5]), R([0.3, -1.0, 2.0])],
    ),
    "Categorical": (
        lambda L, a, b: (L.Categorical(probs=a), L.Categorical(logits=b)),
        [R([[0.2, 0.3, 0.5], [0.6, 0.1, 0.3]]), R([0.3, -1.0, 2.0])],
    ),
    "OneHotCategorical": (
        lambda L, a, b: (L.OneHotCategorical(probs=a), L.OneHotCategorical(logits=b)),
        [R([0.2, 0.3, 0.5]), R([0.3, -1.0, 2.0])],
    ),
    "Beta": (
        lambda L, a, b, c, d: (L.Beta(a, b), L.Beta(c, d)),
        [R([2.5, 0.8]), R([1.7, 3.0]), R([1.0, 2.0]), R([0.5, 4.0])],
    ),
    "Gamma": (
        lambda L, a, b, c, d: (L.Gamma(a, b), L.Gamma(c, d)),
        [R([2.5, 0.8]), R([1.7, 3.0]), R([1.0, 2.0]), R([0.5, 4.0])],
    ),
    "Dirichlet": (
        lambda L, a, b: (L.Dirichlet(a), L.Dirichlet(b)),
        [R([[1.5, 2.0, 0.7], [3.0, 1.2, 2.2]]), R([1.0, 0.5, 2.0])],
    ),
    "Exponential": (lambda L, a, b: (L.Exponential(a), L.Exponential(b)), [R([0.7, 2.5]), R([1.3, 0.6])]),
    "Laplace": (
        lambda L, a, b, c, d: (L.Laplace(a, b), L.Laplace(c, d)),
        [R([0.3, -1.2]), R([1.5, 0.4]), R([0.0, 0.5]), R([1.0, 2.0])],
    ),
    "Uniform": (
        lambda L, a, b, c, d: (L.Uniform(a, b), L.Uniform(c, d)),
        [R([0.0, -1.0]), R([1.0, 1.0]), R([-0.5, -2.0]), R([2.0, 0.5])],
    ),
    "Poisson": (lambda L, a, b: (L.Poisson(a), L.Poisson(b)), [R([0.7, 2.5]), R([1.3, 0.6])]),
    "Cauchy": (
        lambda L, a, b, c, d: (L.Cauchy(a, b), L.Cauchy(c, d)),
        [R([0.3, -1.2]), R([1.5, 0.4]), R([0.0, 0.5]), R([1.0, 2.0])],
    ),
    "Gumbel": (
        lambda L, a, b, c, d: (L.Gumbel(a, b), L.Gumbel(c, d)),
        [R([0.3, -1.2]), R([1.5, 0.4]), R([0.0, 0.5]), R([1.0, 2.0])],
    ),
    "HalfNormal": (lambda L, a, b: (L.HalfNormal(a), L.HalfNormal(b)), [R([0.7, 2.5]), R([1.3, 0.6])]),
    "Geometric": (
        lambda L, a, b: (L.Geometric(probs=a), L.Geometric(logits=b)),
        [R([0.3, 0.8]), R([-0.4, 1.2])],
    ),
    "Binomial": (
        lambda L, a, b: (
            L.Binomial(torch.tensor([5.0, 7.0], dtype=torch.float64) if L is T else R([5.0, 7.0]), probs=a),
            L.Binomial(5, probs=b),
        ),
        [R([0.3, 0.8]), R([0.6, 0.2])],
    ),
    "Independent": (
        lambda L, a, b, c, d: (L.Independent(L.Normal(a, b), 1), L.Independent(L.Normal(c, d), 1)),
        [R([[0.3, -1.2], [0.1, 0.2]]), R([1.5, 0.4]), R([0.0, 0.5]), R([1.0, 2.0])],
    ),
    "LogNormal": (
        lambda L, a, b, c, d: (L.LogNormal(a, b), L.LogNormal(c, d)),
        [R([0.3, -1.2]), R([1.5, 0.4]), R([0.0, 0.5]), R([1.0, 2.0])],
    ),
}


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_kl_value_and_gradients_match_torch(name):
    build, ps = PAIRS[name]
    ours_p = [autobp.tensor(p.copy(), requires_grad=True) for p in ps]
    theirs_p = [torch.tensor(p.copy(), requires_grad=True) for p in ps]
    kl, tkl = D.kl_divergence(*build(D, *ours_p)), T.kl_divergence(*build(T, *theirs_p))
    assert kl.shape == tuple(tkl.shape)
    np.testing.assert_allclose(kl.numpy(), tkl.detach().numpy(), rtol=1e-10, atol=1e-12)
    finite = np.isfinite(tkl.detach().numpy())
    w = np.where(finite, np.linspace(0.5, 1.5, tkl.numel()).reshape(tuple(tkl.shape)), 0.0)
    (autobp.where(finite, kl, 0.0) * w).sum().backward()
    torch.where(torch.tensor(finite), tkl, 0.0).mul(torch.tensor(w)).sum().backward()
    for i, (a, b) in enumerate(zip(ours_p, theirs_p)):
        if b.grad is None:
            assert a.grad is None or np.all(a.grad == 0), f"param{i}"
            continue
        np.testing.assert_allclose(a.grad, b.grad.numpy(), rtol=1e-8, atol=1e-10, err_msg=f"{name} param{i}")


def test_kl_is_zero_for_equal_distributions_and_positive_otherwise():
    p = D.Gamma(np.array([2.0, 3.0]), np.array([1.0, 0.5]))
    np.testing.assert_allclose(D.kl_divergence(p, p).numpy(), 0.0, atol=1e-14)
    assert np.all(D.kl_divergence(p, D.Gamma(1.0, 1.0)).numpy() > 0)


def test_uniform_kl_is_inf_outside_the_support():
    kl = D.kl_divergence(D.Uniform(0.0, 2.0), D.Uniform(0.5, 3.0))
    assert np.isinf(kl.numpy())


def test_missing_pair_names_both_types():
    # (Normal, Gamma) is registered, as in torch (+inf); (Normal, Poisson) is registered by neither
    with pytest.raises(NotImplementedError, match="Normal.*Poisson"):
        D.kl_divergence(D.Normal(0.0, 1.0), D.Poisson(1.0))


def test_register_kl_adds_a_pair_and_the_most_specific_wins():
    class MyNormal(D.Normal):
        pass

    @D.register_kl(MyNormal, D.Normal)
    def _kl(p, q):
        return autobp.tensor(42.0)

    assert float(D.kl_divergence(MyNormal(0.0, 1.0), D.Normal(0.0, 1.0))) == 42.0
    assert float(D.kl_divergence(D.Normal(0.0, 1.0), MyNormal(0.0, 1.0))) == 0.0  # Normal-Normal
    with pytest.raises(TypeError, match="Distribution subclass"):
        D.register_kl(int, D.Normal)
