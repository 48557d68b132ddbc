"""autobp.distributions against torch.distributions on the same float64 numbers: log_prob, cdf, icdf,
entropy, mean, mode, variance, stddev, and the gradients of log_prob (in every parameter and the value)
and of entropy (in every parameter), for each distribution; log_prob also against central differences."""

from __future__ import annotations

import numpy as np
import pytest

import autobp
from autobp import distributions as D

torch = pytest.importorskip("torch")
T = torch.distributions

R = np.array
SPD = R(
    [
        [[2.0, 0.3, 0.1], [0.3, 1.0, -0.2], [0.1, -0.2, 1.5]],
        [[1.0, 0.5, 0.0], [0.5, 2.0, 0.4], [0.0, 0.4, 0.8]],
    ]
)
TRIL = np.linalg.cholesky(SPD)

# name: (build(lib, *params), params, value or None, value differentiable)
CASES = {
    "Normal": (
        lambda L, a, b: L.Normal(a, b),
        [R([0.3, -1.2]), R([1.5, 0.4])],
        R([[0.1, -0.7], [2.0, 0.3]]),
        True,
    ),
    "LogNormal": (lambda L, a, b: L.LogNormal(a, b), [R([0.3, -1.2]), R([0.5, 0.9])], R([0.8, 1.9]), True),
    "StudentT": (
        lambda L, df, a, b: L.StudentT(df, a, b),
        [R([3.5, 1.5]), R([0.2, -0.5]), R([1.3, 0.7])],
        R([0.4, -1.1]),
        True,
    ),
    "Uniform": (lambda L, a, b: L.Uniform(a, b), [R([-1.0, 0.5]), R([2.0, 3.0])], R([0.3, 2.9]), True),
    "Laplace": (lambda L, a, b: L.Laplace(a, b), [R([0.3, -1.2]), R([1.5, 0.4])], R([1.1, -1.5]), True),
    "Cauchy": (lambda L, a, b: L.Cauchy(a, b), [R([0.3, -1.2]), R([1.5, 0.4])], R([1.1, -1.5]), True),
    "Gumbel": (lambda L, a, b: L.Gumbel(a, b), [R([0.3, -1.2]), R([1.5, 0.4])], R([1.1, -1.5]), True),
    "Exponential": (lambda L, r: L.Exponential(r), [R([0.7, 2.5])], R([0.4, 1.3]), True),
    "Gamma": (lambda L, c, r: L.Gamma(c, r), [R([0.7, 2.5]), R([1.3, 0.6])], R([0.4, 3.3]), True),
    "Chi2": (lambda L, df: L.Chi2(df), [R([1.5, 4.0])], R([0.4, 3.3]), True),
    "Beta": (lambda L, a, b: L.Beta(a, b), [R([2.5, 0.8]), R([1.7, 3.0])], R([0.3, 0.85]), True),
    "Dirichlet": (
        lambda L, c: L.Dirichlet(c),
        [R([[1.5, 2.0, 0.7], [3.0, 1.2, 2.2]])],
        R([[0.2, 0.5, 0.3], [0.6, 0.1, 0.3]]),
        True,
    ),
    "MultivariateNormal-cov": (
        lambda L, m, s: L.MultivariateNormal(m, covariance_matrix=s),
        [R([[0.5, -1.0, 0.2], [0.0, 0.3, 1.0]]), SPD],
        R([[0.1, 0.2, -0.3], [1.0, -1.0, 0.5]]),
        True,
    ),
    "MultivariateNormal-tril": (
        lambda L, m, s: L.MultivariateNormal(m, scale_tril=s),
        [R([0.5, -1.0, 0.2]), TRIL],
        R([0.1, 0.2, -0.3]),
        True,
    ),
    "MultivariateNormal-precision": (
        lambda L, m, s: L.MultivariateNormal(m, precision_matrix=s),
        [R([0.5, -1.0, 0.2]), SPD[0]],
        R([[0.1, 0.2, -0.3], [1.0, -1.0, 0.5]]),
        True,
    ),
    "LowRankMultivariateNormal": (
        lambda L, m, w, d: L.LowRankMultivariateNormal(m, w, d),
        [
            R([[0.5, -1.0, 0.2], [0.0, 0.3, 1.0]]),
            R([[1.0, 0.2], [0.3, -0.5], [0.1, 0.7]]),
            R([0.5, 1.2, 0.8]),
        ],
        R([[0.1, 0.2, -0.3], [1.0, -1.0, 0.5]]),
        True,
    ),
    "Bernoulli-probs": (lambda L, p: L.Bernoulli(probs=p), [R([0.2, 0.7, 0.5])], R([1.0, 0.0, 1.0]), False),
    "Bernoulli-logits": (
        lambda L, p: L.Bernoulli(logits=p),
        [R([-1.3, 0.4, 2.0])],
        R([1.0, 0.0, 0.0]),
        False,
    ),
    "Categorical-probs": (
        lambda L, p: L.Categorical(probs=p),
        [R([[0.2, 0.3, 0.5], [0.6, 0.1, 0.3]])],
        R([[2, 0], [1, 1]]),
        False,
    ),
    "Categorical-logits": (
        lambda L, p: L.Categorical(logits=p),
        [R([[0.2, -1.3, 0.5], [1.6, 0.1, -0.3]])],
        R([2, 0]),
        False,
    ),
    "OneHotCategorical": (
        lambda L, p: L.OneHotCategorical(probs=p),
        [R([[0.2, 0.3, 0.5], [0.6, 0.1, 0.3]])],
        R([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]),
        False,
    ),
    "Poisson": (lambda L, r: L.Poisson(r), [R([0.7, 3.5])], R([2.0, 0.0]), False),
    "Binomial-probs": (lambda L, p: L.Binomial(6, probs=p), [R([0.3, 0.8])], R([2.0, 6.0]), False),
    "Binomial-logits": (lambda L, p: L.Binomial(4, logits=p), [R([-0.3, 1.8])], R([0.0, 3.0]), False),
    "HalfNormal": (lambda L, s: L.HalfNormal(s), [R([0.7, 2.5])], R([0.4, 3.3]), True),
    "HalfCauchy": (lambda L, s: L.HalfCauchy(s), [R([0.7, 2.5])], R([0.4, 3.3]), True),
    "Geometric-probs": (lambda L, p: L.Geometric(probs=p), [R([0.3, 0.8])], R([2.0, 0.0]), False),
    "Geometric-logits": (lambda L, p: L.Geometric(logits=p), [R([-0.3, 1.8])], R([4.0, 1.0]), False),
    "NegativeBinomial": (
        lambda L, n, p: L.NegativeBinomial(n, probs=p),
        [R([2.5, 4.0]), R([0.3, 0.6])],
        R([3.0, 0.0]),
        False,
    ),
    "Multinomial": (
        lambda L, p: L.Multinomial(5, probs=p),
        [R([[0.2, 0.3, 0.5], [0.6, 0.1, 0.3]])],
        R([[1.0, 2.0, 2.0], [5.0, 0.0, 0.0]]),
        False,
    ),
    "TransformedSoftplusPower": (
        lambda L, a, b: L.TransformedDistribution(
            L.Normal(a, b),
            [
                L.transforms.SoftplusTransform(),
                L.transforms.PowerTransform(torch.tensor(1.5, dtype=torch.float64) if L is T else 1.5),
            ],
        ),
        [R([0.3, -0.2]), R([0.5, 0.4])],
        R([0.8, 0.4]),
        True,
    ),
    "Independent": (
        lambda L, a, b: L.Independent(L.Normal(a, b), 1),
        [R([[0.3, -1.2], [0.0, 1.0]]), R([[1.5, 0.4], [1.0, 2.0]])],
        R([[0.1, -0.7], [2.0, 0.3]]),
        True,
    ),
    "MixtureSameFamily": (
        lambda L, w, a, b: L.MixtureSameFamily(L.Categorical(probs=w), L.Normal(a, b)),
        [R([0.3, 0.5, 0.2]), R([-1.0, 0.5, 2.0]), R([0.5, 1.0, 1.5])],
        R([0.3, -1.1, 2.5]),
        True,
    ),
    "TransformedAffineTanh": (
        lambda L, a, b: L.TransformedDistribution(
            L.Normal(a, b), [L.transforms.AffineTransform(0.5, 2.0), L.transforms.TanhTransform()]
        ),
        [R([0.3, -0.2]), R([0.5, 0.4])],
        R([0.3, -0.6]),
        True,
    ),
    "TransformedSigmoidExp": (
        lambda L, a, b: L.TransformedDistribution(
            L.Normal(a, b),
            L.transforms.ComposeTransform([L.transforms.SigmoidTransform(), L.transforms.ExpTransform()]),
        ),
        [R([0.3, -0.2]), R([0.5, 0.4])],
        R([1.3, 2.1]),
        True,
    ),
    "RelaxedBernoulli": (
        lambda L, t, p: L.RelaxedBernoulli(t, probs=p),
        [R(0.6), R([0.3, 0.8])],
        R([0.2, 0.9]),
        True,
    ),
    "RelaxedOneHotCategorical": (
        lambda L, t, p: L.RelaxedOneHotCategorical(t, logits=p),
        [R(0.6), R([0.3, -0.8, 1.1])],
        R([0.2, 0.5, 0.3]),
        True,
    ),
}

PROPERTIES = ("mean", "mode", "variance", "stddev")


def _pair(name, value_grad=False):
    build, ps, value, vdiff = CASES[name]
    ours_p = [autobp.tensor(p.copy(), requires_grad=True) for p in ps]
    theirs_p = [torch.tensor(p.copy(), requires_grad=True) for p in ps]
    ours, theirs = build(D, *ours_p), build(T, *theirs_p)
    return ours, theirs, ours_p, theirs_p, value, vdiff


def _torch_value(value, theirs):
    if isinstance(theirs, (T.Categorical,)) and not isinstance(theirs, T.OneHotCategorical):
        return torch.tensor(value.astype(np.int64))
    return torch.tensor(value)


def _close(ours, theirs, what, rtol=1e-10, atol=1e-12):
    t = theirs.detach().numpy() if hasattr(theirs, "detach") else np.asarray(theirs)
    o = np.asarray(ours.numpy() if hasattr(ours, "numpy") else ours)
    assert o.shape == t.shape, f"{what}: shape {o.shape} vs torch's {t.shape}"
    np.testing.assert_allclose(o, t, rtol=rtol, atol=atol, err_msg=what, equal_nan=True)


@pytest.mark.parametrize("name", sorted(CASES))
def test_log_prob_value_and_gradients_match_torch(name):
    ours, theirs, ours_p, theirs_p, value, vdiff = _pair(name)
    v_ours = autobp.tensor(value.copy(), requires_grad=vdiff) if vdiff else value
    v_theirs = _torch_value(value, theirs).requires_grad_(vdiff)
    lp, tlp = ours.log_prob(v_ours), theirs.log_prob(v_theirs)
    _close(lp, tlp, f"{name}.log_prob")
    w = np.linspace(0.5, 1.5, tlp.numel()).reshape(tuple(tlp.shape))
    (lp * w).sum().backward()
    (tlp * torch.tensor(w)).sum().backward()
    for i, (a, b) in enumerate(zip(ours_p, theirs_p)):
        assert b.grad is not None
        _close(a.grad, b.grad, f"{name}.log_prob d/dparam{i}", rtol=1e-8, atol=1e-10)
    if vdiff and v_theirs.grad is None:  # a density flat in the value (Uniform)
        assert v_ours.grad is None or np.all(v_ours.grad == 0)
    elif vdiff:
        _close(v_ours.grad, v_theirs.grad, f"{name}.log_prob d/dvalue", rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("name", sorted(CASES))
def test_log_prob_gradients_match_central_differences(name):
    build, ps, value, vdiff = CASES[name]
    inputs = [autobp.tensor(p.copy(), requires_grad=True) for p in ps]
    if vdiff:
        inputs.append(autobp.tensor(value.copy(), requires_grad=True))

    def f(*xs):
        return build(D, *xs[: len(ps)]).log_prob(xs[-1] if vdiff else value)

    # perturbations leave the simplex / the lower triangle: the formulas extend off the support
    D.Distribution.set_default_validate_args(False)
    try:
        assert autobp.gradcheck(f, inputs, eps=1e-6, atol=1e-6, rtol=1e-5)
    finally:
        D.Distribution.set_default_validate_args(True)


@pytest.mark.parametrize("name", sorted(CASES))
def test_moments_cdf_icdf_match_torch(name):
    ours, theirs, *_rest, value, _vdiff = _pair(name)
    compared = []
    for prop in PROPERTIES:
        try:
            t = getattr(theirs, prop)
        except NotImplementedError:
            continue
        _close(getattr(ours, prop), t, f"{name}.{prop}")
        compared.append(prop)
    for method, arg in (("cdf", value), ("icdf", np.full(np.shape(value), 0.3))):
        try:
            t = getattr(theirs, method)(_torch_value(arg, theirs))
        except NotImplementedError:
            continue
        _close(getattr(ours, method)(arg), t, f"{name}.{method}", rtol=1e-9)
        compared.append(method)
    assert compared or name.startswith(("Transformed", "Relaxed")), f"{name}: torch has no moment to compare"


@pytest.mark.parametrize("name", sorted(CASES))
def test_entropy_and_its_gradients_match_torch(name):
    ours, theirs, ours_p, theirs_p, *_ = _pair(name)
    try:
        th = theirs.entropy()
    except NotImplementedError:
        with pytest.raises(NotImplementedError):
            ours.entropy()
        return
    h = ours.entropy()
    # torch's Multinomial.entropy takes lgamma(n + 1) of an int64 n, in float32: 6e-8 off log(n!)
    _close(h, th, f"{name}.entropy", rtol=1e-7 if name == "Multinomial" else 1e-10)
    if name == "Multinomial":
        import math

        np.testing.assert_allclose(
            h.numpy() - th.detach().numpy(), float(np.float32(math.lgamma(6.0))) - math.lgamma(6.0), rtol=1e-6
        )
    w = np.linspace(0.5, 1.5, th.numel()).reshape(tuple(th.shape))
    (h * w).sum().backward()
    (th * torch.tensor(w)).sum().backward()
    for i, (a, b) in enumerate(zip(ours_p, theirs_p)):
        if b.grad is None:
            assert a.grad is None or np.all(a.grad == 0), f"{name}: torch's entropy ignores param{i}"
            continue
        _close(a.grad, b.grad, f"{name}.entropy d/dparam{i}", rtol=1e-8, atol=1e-10)


def test_float32_parameters_stay_float32():
    d = D.Normal(np.zeros(2, np.float32), 1.0)
    assert d.loc.dtype == np.float32 and d.scale.dtype == np.float32
    assert d.log_prob(np.ones(2, np.float32)).dtype == np.float32
    assert d.sample((3,)).dtype == np.float32 and d.rsample().dtype == np.float32
    g = D.Gamma(autobp.tensor(np.ones(2, np.float32), requires_grad=True), 2.0)
    assert g.rsample().dtype == np.float32 and g.entropy().dtype == np.float32
    assert D.Categorical(logits=np.zeros(3, np.float32)).entropy().dtype == np.float32


def test_wrappers_take_the_float32_of_what_they_wrap():
    base = D.Normal(np.zeros(2, np.float32), np.ones(2, np.float32))
    assert D.Independent(base, 1).log_prob([0.5, 0.5]).dtype == np.float32
    assert D.LogNormal(np.zeros(2, np.float32), 1.0).log_prob([0.5, 0.5]).dtype == np.float32
    assert D.OneHotCategorical(logits=np.zeros(3, np.float32)).log_prob([0.0, 1.0, 0.0]).dtype == np.float32


def test_numbers_and_arrays_default_to_float64():
    assert D.Normal(0.0, 1).loc.dtype == np.float64
    assert D.Beta(np.array([1, 2]), 3).concentration1.dtype == np.float64
    assert D.Normal(0, 1).sample().dtype == np.float64


def test_categorical_with_masked_logits_matches_torch():
    # RL action masks: -inf logits have probability 0, are never drawn and get zero gradient
    logits = np.array([[0.5, -np.inf, 1.0], [0.2, 0.3, -np.inf]])
    x, tx = autobp.tensor(logits.copy(), requires_grad=True), torch.tensor(logits.copy(), requires_grad=True)
    c, tc = D.Categorical(logits=x), T.Categorical(logits=tx)
    out = (c.log_prob(np.array([2, 1])) + c.entropy()).sum()
    tout = (tc.log_prob(torch.tensor([2, 1])) + tc.entropy()).sum()
    np.testing.assert_allclose(float(out), tout.item(), rtol=1e-12)
    out.backward()
    tout.backward()
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), rtol=1e-12, atol=1e-15)
    autobp.manual_seed(0)
    s = c.sample((500,)).numpy()
    assert not np.any(s[:, 0] == 1) and not np.any(s[:, 1] == 2)
