"""Sampling in autobp.distributions: with a fixed seed ``rsample`` is a deterministic function of the
parameters, so its gradient is checked by central differences (the seed reset inside the function);
sample moments over a few thousand draws against torch's mean and variance (loose, fixed seed);
``sample`` is a constant and repeats under ``autobp.manual_seed``."""

from __future__ import annotations

import numpy as np
import pytest

import autobp
from autobp import distributions as D

torch = pytest.importorskip("torch")
T = torch.distributions

R = np.array
SPD = R([[2.0, 0.3, 0.1], [0.3, 1.0, -0.2], [0.1, -0.2, 1.5]])

# name: (build(lib, *params), params)
RSAMPLE = {
    "Normal": (lambda L, a, b: L.Normal(a, b), [R([0.3, -1.2]), R([1.5, 0.4])]),
    "LogNormal": (lambda L, a, b: L.LogNormal(a, b), [R([0.3, -1.2]), R([0.5, 0.4])]),
    "Uniform": (lambda L, a, b: L.Uniform(a, b), [R([-1.0, 0.5]), R([2.0, 3.0])]),
    "Laplace": (lambda L, a, b: L.Laplace(a, b), [R([0.3, -1.2]), R([1.5, 0.4])]),
    "Cauchy": (lambda L, a, b: L.Cauchy(a, b), [R([0.3, -1.2]), R([1.5, 0.4])]),
    "Gumbel": (lambda L, a, b: L.Gumbel(a, b), [R([0.3, -1.2]), R([1.5, 0.4])]),
    "Exponential": (lambda L, r: L.Exponential(r), [R([0.7, 2.5])]),
    "Gamma": (lambda L, c, r: L.Gamma(c, r), [R([0.7, 2.5]), R([1.3, 0.6])]),
    "Chi2": (lambda L, df: L.Chi2(df), [R([1.5, 4.0])]),
    "Beta": (lambda L, a, b: L.Beta(a, b), [R([2.5, 0.8]), R([1.7, 3.0])]),
    "Dirichlet": (lambda L, c: L.Dirichlet(c), [R([1.5, 2.0, 0.7])]),
    "StudentT": (lambda L, df, a, b: L.StudentT(df, a, b), [R([5.5, 9.0]), R([0.2, -0.5]), R([1.3, 0.7])]),
    "MultivariateNormal-cov": (
        lambda L, m, s: L.MultivariateNormal(m, covariance_matrix=s),
        [R([0.5, -1.0, 0.2]), SPD],
    ),
    "MultivariateNormal-tril": (
        lambda L, m, s: L.MultivariateNormal(m, scale_tril=s),
        [R([0.5, -1.0, 0.2]), np.linalg.cholesky(SPD)],
    ),
    "HalfNormal": (lambda L, s: L.HalfNormal(s), [R([0.7, 2.5])]),
    "LowRankMultivariateNormal": (
        lambda L, m, w, d: L.LowRankMultivariateNormal(m, w, d),
        [R([0.5, -1.0, 0.2]), R([[1.0, 0.2], [0.3, -0.5], [0.1, 0.7]]), R([0.5, 1.2, 0.8])],
    ),
    "Independent": (lambda L, a, b: L.Independent(L.Normal(a, b), 1), [R([0.3, -1.2]), R([1.5, 0.4])]),
    "TransformedTanh": (
        lambda L, a, b: L.TransformedDistribution(L.Normal(a, b), L.transforms.TanhTransform()),
        [R([0.3, -0.2]), R([0.5, 0.4])],
    ),
    "RelaxedBernoulli": (lambda L, t, p: L.RelaxedBernoulli(t, probs=p), [R(0.7), R([0.3, 0.8])]),
    "RelaxedOneHotCategorical": (
        lambda L, t, p: L.RelaxedOneHotCategorical(t, logits=p),
        [R(0.7), R([0.3, -0.8, 1.1])],
    ),
}


@pytest.mark.parametrize("name", sorted(RSAMPLE))
def test_rsample_gradient_matches_central_differences_with_a_fixed_seed(name):
    build, ps = RSAMPLE[name]
    inputs = [autobp.tensor(p.copy(), requires_grad=True) for p in ps]

    def draw(*xs):
        autobp.manual_seed(3)
        return build(D, *xs).rsample((3,))

    D.Distribution.set_default_validate_args(False)  # perturbing a Cholesky factor's upper triangle
    try:
        assert build(D, *inputs).has_rsample
        assert autobp.gradcheck(draw, inputs, eps=1e-6, atol=1e-5, rtol=1e-4)
    finally:
        D.Distribution.set_default_validate_args(True)


@pytest.mark.parametrize("name", sorted(RSAMPLE))
def test_samples_have_torchs_mean_and_variance_roughly(name):
    build, ps = RSAMPLE[name]
    theirs = build(T, *[torch.tensor(p) for p in ps])
    autobp.manual_seed(0)
    s = build(D, *ps).sample((4000,)).numpy()
    assert s.shape == (4000,) + tuple(theirs.batch_shape + theirs.event_shape)
    try:
        mean, var = theirs.mean.numpy(), theirs.variance.numpy()
    except NotImplementedError:  # transformed and relaxed: compare with torch's own draws
        torch.manual_seed(0)
        t = theirs.sample((4000,)).numpy()
        mean, var = t.mean(0), t.var(0)
    if name == "Cauchy":  # no moments: the median and the quartiles instead
        q = np.quantile(s, [0.25, 0.5, 0.75], axis=0)
        np.testing.assert_allclose(q[1], ps[0], atol=0.15)
        np.testing.assert_allclose(q[2] - q[1], ps[1], rtol=0.12)
        return
    sd = np.sqrt(var)
    np.testing.assert_allclose(s.mean(0), mean, atol=0.1 * np.max(sd) + 1e-12)
    np.testing.assert_allclose(s.var(0), var, rtol=0.2, atol=1e-3)


DISCRETE = {
    "Bernoulli": lambda L: L.Bernoulli(probs=torch.tensor([0.2, 0.7]) if L is T else R([0.2, 0.7])),
    "Categorical": lambda L: L.Categorical(
        probs=(torch.tensor if L is T else R)([[0.2, 0.3, 0.5], [0.7, 0.2, 0.1]])
    ),
    "OneHotCategorical": lambda L: L.OneHotCategorical(
        probs=(torch.tensor if L is T else R)([0.2, 0.3, 0.5])
    ),
    "Poisson": lambda L: L.Poisson((torch.tensor if L is T else R)([0.7, 4.0])),
    "Binomial": lambda L: L.Binomial(5, probs=(torch.tensor if L is T else R)([0.3, 0.9])),
    "Geometric": lambda L: L.Geometric(probs=(torch.tensor if L is T else R)([0.3, 0.8])),
    "NegativeBinomial": lambda L: L.NegativeBinomial(3.0, probs=(torch.tensor if L is T else R)([0.3, 0.6])),
    "Multinomial": lambda L: L.Multinomial(6, probs=(torch.tensor if L is T else R)([0.2, 0.3, 0.5])),
    "MixtureSameFamily": lambda L: L.MixtureSameFamily(
        L.Categorical(probs=(torch.tensor if L is T else R)([0.3, 0.7])),
        L.Normal((torch.tensor if L is T else R)([-2.0, 1.0]), (torch.tensor if L is T else R)([0.5, 1.0])),
    ),
}


@pytest.mark.parametrize("name", sorted(DISCRETE))
def test_discrete_and_mixture_samples_have_torchs_moments(name):
    ours, theirs = DISCRETE[name](D), DISCRETE[name](T)
    autobp.manual_seed(0)
    s = ours.sample((4000,))
    assert s.shape == (4000,) + tuple(theirs.batch_shape + theirs.event_shape)
    assert not s.requires_grad
    s = s.numpy().astype(float)
    if name == "Categorical":  # category frequencies
        freq = np.stack([(s == k).mean(0) for k in range(3)], -1)
        np.testing.assert_allclose(freq, theirs.probs.numpy(), atol=0.03)
        return
    np.testing.assert_allclose(
        s.mean(0), theirs.mean.numpy(), atol=0.1 * np.sqrt(theirs.variance.numpy().max())
    )
    np.testing.assert_allclose(s.var(0), theirs.variance.numpy(), rtol=0.15)


def test_manual_seed_makes_samples_repeat_and_sample_is_a_constant():
    loc = autobp.tensor([0.0, 1.0], requires_grad=True)
    d = D.Normal(loc, 2.0)
    autobp.manual_seed(7)
    a = d.sample((5,))
    autobp.manual_seed(7)
    b = d.rsample((5,))
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert not a.requires_grad and b.requires_grad
    draws = []
    for _ in range(2):
        autobp.manual_seed(1)
        draws.append(D.Gamma(2.0, 1.0).sample((4,)).numpy())
    np.testing.assert_array_equal(draws[0], draws[1])
    assert not np.array_equal(draws[0], D.Gamma(2.0, 1.0).sample((4,)).numpy())


def test_rsample_gradient_of_a_pathwise_mean_estimate():
    # d/dmu E[x^2] = 2 mu for x ~ N(mu, 1): the pathwise estimate over many draws is close
    mu = autobp.tensor(0.7, requires_grad=True)
    autobp.manual_seed(0)
    x = D.Normal(mu, 1.0).rsample((20000,))
    (x * x).mean().backward()
    assert abs(float(mu.grad) - 1.4) < 0.05


def test_gamma_rsample_gradient_is_the_implicit_one_in_expectation():
    # d/dc E[x] = 1 / rate for x ~ Gamma(c, rate): the implicit-gradient estimate averages to it
    c = autobp.tensor(1.7, requires_grad=True)
    autobp.manual_seed(0)
    D.Gamma(c, 2.0).rsample((20000,)).mean().backward()
    assert abs(float(c.grad) - 0.5) < 0.02
