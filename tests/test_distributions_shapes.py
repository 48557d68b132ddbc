"""Shapes in autobp.distributions against torch's: batch_shape and event_shape from broadcast
parameters, sample/rsample shapes, expand (and log_prob after it), enumerate_support; validation
errors name the parameter, the constraint and the values."""

from __future__ import annotations

import numpy as np
import pytest

import autobp
from autobp import distributions as D

torch = pytest.importorskip("torch")
T = torch.distributions


def _a(lib, x):
    return torch.tensor(np.asarray(x, dtype=float)) if lib is T else np.asarray(x, dtype=float)


# name: build(lib) with parameters that broadcast
BUILD = {
    "Normal": lambda L: L.Normal(_a(L, np.zeros((3, 1))), _a(L, [1.0, 2.0])),
    "StudentT": lambda L: L.StudentT(_a(L, [3.0, 4.0]), _a(L, np.zeros((3, 1))), 1.0),
    "Uniform": lambda L: L.Uniform(_a(L, np.zeros((3, 1))), _a(L, [1.0, 2.0])),
    "Gamma": lambda L: L.Gamma(_a(L, np.ones((3, 1))), _a(L, [1.0, 2.0])),
    "Beta": lambda L: L.Beta(_a(L, np.ones((3, 1))), _a(L, [1.0, 2.0])),
    "Dirichlet": lambda L: L.Dirichlet(_a(L, np.ones((2, 4)))),
    "Exponential": lambda L: L.Exponential(_a(L, [1.0, 2.0])),
    "Laplace": lambda L: L.Laplace(0.0, _a(L, [1.0, 2.0])),
    "Bernoulli": lambda L: L.Bernoulli(logits=_a(L, np.zeros((2, 3)))),
    "Categorical": lambda L: L.Categorical(logits=_a(L, np.zeros((2, 4)))),
    "OneHotCategorical": lambda L: L.OneHotCategorical(logits=_a(L, np.zeros((2, 4)))),
    "Poisson": lambda L: L.Poisson(_a(L, [[1.0], [2.0]])),
    "Binomial": lambda L: L.Binomial(3, probs=_a(L, [[0.2], [0.5]])),
    "MultivariateNormal": lambda L: L.MultivariateNormal(
        _a(L, np.zeros((2, 1, 3))), _a(L, np.eye(3) * [[1.0], [2.0]][0][0])
    ),
    "MultivariateNormal-batched-cov": lambda L: L.MultivariateNormal(
        _a(L, np.zeros(3)), scale_tril=_a(L, np.stack([np.eye(3), 2 * np.eye(3)]))
    ),
    "LowRankMultivariateNormal": lambda L: L.LowRankMultivariateNormal(
        _a(L, np.zeros((2, 1, 3))), _a(L, np.ones((3, 2))), _a(L, [[1.0, 2.0, 3.0]])
    ),
    "Independent": lambda L: L.Independent(L.Normal(_a(L, np.zeros((2, 3, 4))), 1.0), 2),
    "MixtureSameFamily": lambda L: L.MixtureSameFamily(
        L.Categorical(logits=_a(L, np.zeros((2, 3)))), L.Normal(_a(L, np.zeros((2, 3))), 1.0)
    ),
    "MixtureSameFamily-mvn": lambda L: L.MixtureSameFamily(
        L.Categorical(logits=_a(L, np.zeros(3))), L.Independent(L.Normal(_a(L, np.zeros((3, 2))), 1.0), 1)
    ),
    "HalfNormal": lambda L: L.HalfNormal(_a(L, [[1.0], [2.0]])),
    "Geometric": lambda L: L.Geometric(logits=_a(L, [[0.5], [-1.0]])),
    "Multinomial": lambda L: L.Multinomial(4, logits=_a(L, np.zeros((2, 3)))),
    "NegativeBinomial": lambda L: L.NegativeBinomial(_a(L, [2.0, 3.0]), probs=_a(L, [[0.2], [0.5]])),
    "LogNormal": lambda L: L.LogNormal(_a(L, np.zeros((3, 1))), _a(L, [1.0, 2.0])),
    "RelaxedOneHotCategorical": lambda L: L.RelaxedOneHotCategorical(
        _a(L, 0.5), logits=_a(L, np.zeros((2, 4)))
    ),
    "RelaxedBernoulli": lambda L: L.RelaxedBernoulli(_a(L, 0.5), logits=_a(L, np.zeros((2, 4)))),
}


@pytest.mark.parametrize("name", sorted(BUILD))
def test_shapes_match_torch(name):
    ours, theirs = BUILD[name](D), BUILD[name](T)
    assert ours.batch_shape == tuple(theirs.batch_shape)
    assert ours.event_shape == tuple(theirs.event_shape)
    assert ours.has_rsample == theirs.has_rsample
    assert ours.sample((5,)).shape == tuple(theirs.sample((5,)).shape)
    assert ours.sample().shape == tuple(theirs.sample().shape)
    assert ours.sample(4).shape == (4,) + ours.batch_shape + ours.event_shape
    if ours.has_rsample:
        assert ours.rsample((2, 3)).shape == tuple(theirs.rsample((2, 3)).shape)


@pytest.mark.parametrize("name", sorted(BUILD))
def test_expand_matches_torch_and_keeps_log_prob(name):
    ours, theirs = BUILD[name](D), BUILD[name](T)
    new_shape = (4,) + ours.batch_shape
    e, te = ours.expand(new_shape), theirs.expand(torch.Size(new_shape))
    assert type(e) is type(ours)
    assert e.batch_shape == tuple(te.batch_shape) and e.event_shape == tuple(te.event_shape)
    assert e.sample((2,)).shape == tuple(te.sample((2,)).shape)
    torch.manual_seed(0)
    x = te.sample()
    lp, tlp = e.log_prob(x.numpy()), te.log_prob(x)
    assert lp.shape == tuple(tlp.shape)
    np.testing.assert_allclose(lp.numpy(), tlp.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", ["Bernoulli", "Categorical", "OneHotCategorical", "Binomial"])
def test_enumerate_support_matches_torch(name):
    ours, theirs = BUILD[name](D), BUILD[name](T)
    for expand in (True, False):
        s, ts = ours.enumerate_support(expand), theirs.enumerate_support(expand)
        np.testing.assert_array_equal(s.numpy(), ts.numpy())


def test_log_prob_broadcasts_values_against_the_batch():
    d, td = D.Normal(np.zeros(3), 1.0), T.Normal(torch.zeros(3, dtype=torch.float64), 1.0)
    x = np.linspace(-1, 1, 6).reshape(2, 1, 3)
    np.testing.assert_allclose(d.log_prob(x).numpy(), td.log_prob(torch.tensor(x)).numpy(), rtol=1e-12)
    c, tc = D.Categorical(logits=np.zeros((2, 3))), T.Categorical(logits=torch.zeros(2, 3))
    assert c.log_prob(np.array([[0], [2], [1]])).shape == tuple(
        tc.log_prob(torch.tensor([[0], [2], [1]])).shape
    )


@pytest.mark.parametrize(
    "make, match",
    [
        (
            lambda: D.Normal(np.zeros(2), np.array([1.0, -1.0])),
            r"(?s)parameter scale \(Tensor of shape \(2,\)\).*GreaterThan.*-1",
        ),
        (lambda: D.Bernoulli(probs=np.array([1.2])), r"(?s)parameter probs .*Interval.*1\.2"),
        (lambda: D.Gamma(0.0, 1.0), r"parameter concentration .*GreaterThan"),
        (lambda: D.Uniform(1.0, 0.0), r"parameter low .*LessThan"),
        (lambda: D.Categorical(probs=np.array([0.5, -0.1, 0.6])), r"parameter probs .*Simplex"),
        (lambda: D.Dirichlet(np.array([1.0, 0.0])), r"parameter concentration"),
        (
            lambda: D.MultivariateNormal(np.zeros(2), np.array([[1.0, 2.0], [2.0, 1.0]])),
            r"covariance_matrix .*Positive",
        ),
        (
            lambda: D.MultivariateNormal(np.zeros(2), scale_tril=np.array([[1.0, 1.0], [0.0, 1.0]])),
            r"scale_tril",
        ),
        (lambda: D.Bernoulli(probs=0.2, logits=0.1), r"`probs` or `logits`"),
        (lambda: D.MultivariateNormal(np.zeros(2)), r"Exactly one of"),
        (lambda: D.MultivariateNormal(np.zeros(2), np.eye(3)), r"covariance_matrix of shape \(3, 3\)"),
        (lambda: D.Independent(D.Normal(np.zeros(2), 1.0), 2), r"reinterpreted_batch_ndims"),
        (
            lambda: D.MixtureSameFamily(D.Categorical(logits=np.zeros(2)), D.Normal(np.zeros(3), 1.0)),
            r"\(2\) does not equal .*\(3\)",
        ),
    ],
)
def test_bad_parameters_raise_value_errors_naming_them(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_bad_values_raise_value_errors_naming_support_and_shapes():
    with pytest.raises(
        ValueError, match=r"(?s)support \(GreaterThanEq\(lower_bound=0\.0\)\).*Gamma\(concentration: 1\.0.*-1"
    ):
        D.Gamma(1.0, 1.0).log_prob(np.array([-1.0]))
    with pytest.raises(ValueError, match=r"IntegerInterval\(lower_bound=0, upper_bound=2\)"):
        D.Categorical(logits=np.zeros(3)).log_prob(3)
    with pytest.raises(
        ValueError, match=r"not broadcastable with batch_shape\+event_shape: \(2,\) vs \(3,\)"
    ):
        D.Normal(0.0, 1.0).expand((3,)).log_prob(np.zeros(2))
    with pytest.raises(
        ValueError, match=r"right-most size of value must match event_shape: \(2,\) vs \(3,\)"
    ):
        D.Dirichlet(np.ones(3)).log_prob(np.array([0.5, 0.5]))
    with pytest.raises(ValueError, match="Bernoulli"):
        D.Bernoulli(0.3).log_prob(0.5)


def test_validate_args_false_skips_the_checks():
    d = D.Normal(0.0, -1.0, validate_args=False)
    assert np.isnan(d.log_prob(0.0).numpy()) or np.isfinite(d.log_prob(0.0).numpy())
    assert np.isinf(D.Uniform(0.0, 1.0, validate_args=False).log_prob(2.0).numpy())
    D.Distribution.set_default_validate_args(False)
    try:
        D.Gamma(-1.0, 1.0)  # no error
    finally:
        D.Distribution.set_default_validate_args(True)
    with pytest.raises(ValueError):
        D.Gamma(-1.0, 1.0)


def test_perplexity_is_exp_entropy_and_support_checks():
    d = D.Categorical(probs=np.array([0.25, 0.25, 0.5]))
    np.testing.assert_allclose(d.perplexity().numpy(), np.exp(d.entropy().numpy()))
    assert D.Normal(0.0, 1.0).support.check(np.array([1.0, np.nan])).tolist() == [True, False]
    assert D.Dirichlet(np.ones(3)).support.check(np.array([0.2, 0.3, 0.5]))


def test_parameters_keep_their_gradient_through_a_training_step():
    # a tiny VAE-style step: maximise log_prob minus KL, gradients reach every parameter
    mu = autobp.tensor(np.zeros(3), requires_grad=True)
    log_sigma = autobp.tensor(np.zeros(3), requires_grad=True)
    q = D.Normal(mu, autobp.exp(log_sigma))
    autobp.manual_seed(0)
    z = q.rsample((4,))
    loss = (
        -(D.Normal(1.0, 1.0).log_prob(z).sum(axis=-1).mean()) + D.kl_divergence(q, D.Normal(0.0, 1.0)).sum()
    )
    loss.backward()
    assert mu.grad is not None and log_sigma.grad is not None
    assert np.all(mu.grad < 0)  # the likelihood pulls the mean towards 1
