"""Samples of the six new distribution families (their laws, by Kolmogorov-Smirnov tests against torch's
or scipy's cdf, and Wishart's moments), rsample gradients by central differences at a fixed seed, and
the KL divergences torch registers for them (values and gradients against torch)."""

import math
import warnings

import numpy as np
import pytest
import scipy.stats as st

import autobp
from autobp import distributions as D

torch = pytest.importorskip("torch")
T = torch.distributions


@pytest.fixture(autouse=True)
def _quiet_float64():
    old = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Wishart's low-df warning, in both libraries
            yield
    finally:
        torch.set_default_dtype(old)


def _ks(samples, cdf):
    return st.kstest(samples, cdf).pvalue


@pytest.mark.parametrize(
    ("family", "args"),
    [
        ("ContinuousBernoulli", ([0.2, 0.5, 0.93],)),
        ("GeneralizedPareto", ([0.5, -1.0, 0.0], [1.5, 0.7, 1.0], [-0.3, 0.0, 0.4])),
        ("Kumaraswamy", ([0.6, 2.0, 5.0], [3.0, 0.8, 2.0])),
    ],
)
def test_samples_follow_torchs_cdf(family, args):
    autobp.manual_seed(3)
    d = getattr(D, family)(*[autobp.tensor(a) for a in args])
    td = getattr(T, family)(*[torch.tensor(a) for a in args], validate_args=False)  # other columns' supports
    s = d.sample((4000,)).numpy()
    for i in range(s.shape[1]):
        p = _ks(s[:, i], lambda x, i=i: td.cdf(torch.tensor(x)[:, None].expand(-1, 3))[:, i].numpy())
        assert p > 1e-3, (family, i, p)


def test_fisher_snedecor_and_von_mises_samples_follow_scipy():
    autobp.manual_seed(4)
    df1, df2 = np.array([0.8, 3.0, 10.0]), np.array([2.0, 5.0, 30.0])
    s = D.FisherSnedecor(autobp.tensor(df1), autobp.tensor(df2)).sample((4000,)).numpy()
    for i in range(3):
        assert _ks(s[:, i], st.f(df1[i], df2[i]).cdf) > 1e-3
    loc, kappa = np.array([1.0, -2.0, 3.0, 0.0]), np.array([2.0, 1e-6, 0.3, 40.0])
    s = D.VonMises(autobp.tensor(loc), autobp.tensor(kappa)).sample((4000,)).numpy()
    assert s.min() >= -math.pi and s.max() < math.pi
    for i in range(4):
        centred = (s[:, i] - loc[i] + math.pi) % (2 * math.pi) - math.pi
        assert _ks(centred, st.vonmises(kappa[i]).cdf) > 1e-3


def test_von_mises_has_no_rsample_as_torch():
    d = D.VonMises(autobp.tensor([0.0]), autobp.tensor([1.0]))
    assert not d.has_rsample and not T.VonMises(torch.tensor([0.0]), torch.tensor([1.0])).has_rsample
    with pytest.raises(NotImplementedError):
        d.rsample()


def test_wishart_samples_have_torchs_mean_and_variance():
    autobp.manual_seed(5)
    cov = np.array([[2.0, 0.3], [0.3, 0.25]])
    df = np.array([2.5, 7.0])
    d = D.Wishart(autobp.tensor(df), covariance_matrix=autobp.tensor(cov))
    td = T.Wishart(torch.tensor(df), covariance_matrix=torch.tensor(cov))
    s = d.rsample((20000,)).numpy()
    assert np.all(np.linalg.eigvalsh(s) > 0)
    np.testing.assert_allclose(s.mean(0), td.mean.numpy(), rtol=0.05, atol=0.02)
    np.testing.assert_allclose(s.var(0), td.variance.numpy(), rtol=0.1, atol=0.02)


_RSAMPLE = [
    ("ContinuousBernoulli", [[0.2, 0.4999, 0.8]]),
    ("GeneralizedPareto", [[0.5, -1.0], [1.5, 0.7], [-0.3, 0.4]]),
    ("Kumaraswamy", [[0.6, 2.0], [3.0, 0.8]]),
    ("FisherSnedecor", [[1.5, 4.0], [3.0, 6.0]]),
]


@pytest.mark.parametrize(("family", "args"), _RSAMPLE)
def test_rsample_gradients_match_central_differences(family, args):
    def draw(*params):
        autobp.manual_seed(7)  # the same noise at every evaluation: a smooth function of the parameters
        return getattr(D, family)(*params).rsample((3,))

    assert autobp.gradcheck(draw, [autobp.tensor(a, requires_grad=True) for a in args], rtol=1e-4, atol=1e-6)


def test_wishart_rsample_gradients_match_central_differences():
    cov = np.array([[2.0, 0.3, 0.0], [0.3, 1.0, 0.2], [0.0, 0.2, 0.8]])

    def draw(df, c):
        autobp.manual_seed(8)
        return D.Wishart(df, covariance_matrix=c).rsample((2,))

    df = autobp.tensor([4.0, 6.5], requires_grad=True)
    assert autobp.gradcheck(draw, [df, autobp.tensor(cov, requires_grad=True)], rtol=1e-4, atol=1e-6)
    tril = autobp.tensor(np.linalg.cholesky(cov), requires_grad=True)
    assert autobp.gradcheck(
        lambda t: (autobp.manual_seed(9), D.Wishart(5.0, scale_tril=t, validate_args=False).rsample())[1],
        [tril],
    )


_P = np.array([0.2, 0.7, 0.5002])
_OTHER = {
    "ContinuousBernoulli": [np.array([0.6, 0.1, 0.9])],
    "Beta": [np.array([0.5, 2.0, 3.0]), np.array([1.5, 0.7, 2.0])],
    "Uniform": [np.array([-0.2, 0.1, 0.0]), np.array([1.5, 0.9, 1.2])],
    "Exponential": [np.array([0.5, 2.0, 1.0])],
    "Normal": [np.array([0.3, -1.0, 2.0]), np.array([0.5, 2.0, 1.0])],
    "Pareto": [np.array([1.0, 2.0, 0.5]), np.array([2.5, 3.0, 1.5])],
    "Gamma": [np.array([1.0, 2.0, 0.5]), np.array([2.5, 3.0, 1.5])],
    "Gumbel": [np.array([0.3, -1.0, 2.0]), np.array([0.5, 2.0, 1.0])],
    "Laplace": [np.array([0.3, -1.0, 2.0]), np.array([0.5, 2.0, 1.0])],
}
_PAIRS = [
    ("ContinuousBernoulli", q) for q in ("ContinuousBernoulli", "Exponential", "Normal", "Pareto", "Uniform")
]
_PAIRS += [
    (p, "ContinuousBernoulli") for p in ("Beta", "Uniform", "Exponential", "Gamma", "Gumbel", "Laplace")
]
_PAIRS += [(p, "ContinuousBernoulli") for p in ("Normal", "Pareto")]


def _make(lib, name, leaves):
    args = [_P] if name == "ContinuousBernoulli" else _OTHER[name]
    if lib is T:
        made = [torch.tensor(a, requires_grad=True) for a in args]
    else:
        made = [autobp.tensor(a, requires_grad=True) for a in args]
    leaves += made
    return getattr(lib, name)(*made)


@pytest.mark.parametrize(("p", "q"), _PAIRS)
def test_continuous_bernoulli_kl_pairs_as_torch(p, q):
    lt, la = [], []
    kt = T.kl_divergence(_make(T, p, lt), _make(T, q, lt))
    ka = D.kl_divergence(_make(D, p, la), _make(D, q, la))
    np.testing.assert_allclose(ka.numpy(), kt.detach().numpy(), rtol=1e-9, atol=1e-14)
    fin = np.isfinite(kt.detach().numpy())
    if not fin.any() or not kt.requires_grad:
        return
    gt = torch.autograd.grad(kt[torch.tensor(fin)].sum(), lt, allow_unused=True)
    ka[autobp.tensor(fin)].sum().backward()
    for g, leaf in zip(gt, la):
        expected = np.zeros(leaf.shape) if g is None else g.numpy()
        got = np.zeros(leaf.shape) if leaf.grad is None else np.asarray(leaf.grad)
        np.testing.assert_allclose(got, expected, rtol=1e-7, atol=1e-10)


def test_wishart_kl_as_torch_and_by_central_differences():
    rng = np.random.default_rng(2)
    a, b = rng.standard_normal((2, 3, 3))
    s1, s2 = a @ a.T + np.eye(3), b @ b.T + 2 * np.eye(3)
    dfs = [(4.5, 3.2), (2.5, 7.0)]
    # torch's KL goes through its exponential-family form: right unbatched, and differentiable in q
    # only (it detaches p's natural parameters); each pair is compared on its own
    for (n1, n2), (c1, c2) in zip(dfs, [(s1, s2), (s2, s1)]):
        qt = [torch.tensor(n2, requires_grad=True), torch.tensor(c2, requires_grad=True)]
        kt = T.kl_divergence(T.Wishart(torch.tensor(n1), torch.tensor(c1)), T.Wishart(*qt))
        qa = [autobp.tensor(n2, requires_grad=True), autobp.tensor(c2, requires_grad=True)]
        ka = D.kl_divergence(D.Wishart(autobp.tensor(n1), autobp.tensor(c1)), D.Wishart(*qa))
        np.testing.assert_allclose(float(ka), float(kt), rtol=1e-9)
        ka.backward()
        for g, leaf in zip(torch.autograd.grad(kt, qt), qa):
            np.testing.assert_allclose(leaf.grad, g.numpy(), rtol=1e-8)
    # batched, against the pairs one by one; and its gradient in every parameter of both
    n_p, n_q = autobp.tensor([4.5, 2.5]), autobp.tensor([3.2, 7.0])
    batched = D.kl_divergence(D.Wishart(n_p, np.stack([s1, s2])), D.Wishart(n_q, np.stack([s2, s1])))
    one = [
        float(
            T.kl_divergence(
                T.Wishart(torch.tensor(n1), torch.tensor(c1)), T.Wishart(torch.tensor(n2), torch.tensor(c2))
            )
        )
        for (n1, n2), (c1, c2) in zip(dfs, [(s1, s2), (s2, s1)])
    ]
    np.testing.assert_allclose(batched.numpy(), one, rtol=1e-9)

    def kl(n1, t1, n2, t2):
        # validate_args=False: the differences also step into the unread upper triangle
        p = D.Wishart(n1, scale_tril=t1, validate_args=False)
        return D.kl_divergence(p, D.Wishart(n2, scale_tril=t2, validate_args=False))

    leaves = [
        autobp.tensor(v, requires_grad=True)
        for v in (4.5, np.linalg.cholesky(s1), 3.2, np.linalg.cholesky(s2))
    ]
    assert autobp.gradcheck(kl, leaves)
