"""autobp.stats against scipy.stats (values), central finite differences (gradients in x and every
parameter) and torch.distributions (log_prob gradients)."""

import numpy as np
import pytest
import scipy.stats as ss

import autobp
from autobp import Tensor, stats

from .helpers import check_gradients

torch = pytest.importorskip("torch")
td = torch.distributions

rng = np.random.default_rng(17)
X = rng.uniform(-2.0, 2.0, 5)
POS = rng.uniform(0.3, 3.0, 5)
UNIT = rng.uniform(0.05, 0.95, 5)
COUNTS = np.array([0.0, 1.0, 3.0, 2.0, 5.0])
A = rng.standard_normal((3, 3))
SIMPLEX = rng.dirichlet([1.5, 2.0, 3.0], size=4).T  # (K, N), scipy's layout
T = lambda a: torch.tensor(a, dtype=torch.float64)  # noqa: E731


def _cov(a):
    return (
        a @ a.swapaxes(-1, -2) + np.eye(3)
        if isinstance(a, np.ndarray)
        else a @ a.T + 1.0 * autobp.Tensor(np.eye(3))
    )


# (id, ours, scipy's, torch's (None: none), args, indices of the differentiable args)
SPECS = [
    (
        "norm.logpdf",
        stats.norm.logpdf,
        ss.norm.logpdf,
        lambda x, m, s: td.Normal(m, s).log_prob(x),
        (X, 0.3, 1.7),
        (0, 1, 2),
    ),
    (
        "norm.pdf",
        stats.norm.pdf,
        ss.norm.pdf,
        lambda x, m, s: td.Normal(m, s).log_prob(x).exp(),
        (X, 0.3, 1.7),
        (0, 1, 2),
    ),
    (
        "norm.cdf",
        stats.norm.cdf,
        ss.norm.cdf,
        lambda x, m, s: td.Normal(m, s).cdf(x),
        (X, 0.3, 1.7),
        (0, 1, 2),
    ),
    (
        "norm.logcdf",
        stats.norm.logcdf,
        ss.norm.logcdf,
        lambda x, m, s: td.Normal(m, s).cdf(x).log(),
        (X, 0.3, 1.7),
        (0, 1, 2),
    ),
    ("norm.sf", stats.norm.sf, ss.norm.sf, None, (X, 0.3, 1.7), (0, 1, 2)),
    ("norm.logsf", stats.norm.logsf, ss.norm.logsf, None, (X, 0.3, 1.7), (0, 1, 2)),
    (
        "norm.ppf",
        stats.norm.ppf,
        ss.norm.ppf,
        lambda q, m, s: td.Normal(m, s).icdf(q),
        (UNIT, 0.3, 1.7),
        (0, 1, 2),
    ),
    (
        "t.logpdf",
        stats.t.logpdf,
        ss.t.logpdf,
        lambda x, d, m, s: td.StudentT(d, m, s).log_prob(x),
        (X, POS + 1, 0.2, 1.3),
        (0, 1, 2, 3),
    ),
    ("t.pdf", stats.t.pdf, ss.t.pdf, None, (X, 3.5, 0.2, 1.3), (0, 1, 2, 3)),
    (
        "gamma.logpdf",
        lambda x, a, s: stats.gamma.logpdf(x, a, scale=s),
        lambda x, a, s: ss.gamma.logpdf(x, a, scale=s),
        lambda x, a, s: td.Gamma(a, 1 / s).log_prob(x),
        (POS, POS[::-1], 1.4),
        (0, 1, 2),
    ),
    (
        "gamma.pdf-loc",
        lambda x, a, m: stats.gamma.pdf(x, a, loc=m),
        lambda x, a, m: ss.gamma.pdf(x, a, loc=m),
        None,
        (POS + 0.5, 2.5, 0.3),
        (0, 1, 2),
    ),
    (
        "beta.logpdf",
        stats.beta.logpdf,
        ss.beta.logpdf,
        lambda x, a, b: td.Beta(a, b).log_prob(x),
        (UNIT, POS, POS[::-1]),
        (0, 1, 2),
    ),
    (
        "beta.pdf-loc-scale",
        stats.beta.pdf,
        ss.beta.pdf,
        None,
        (UNIT * 2.0 - 0.5, 2.0, 3.0, -0.6, 2.2),
        (0, 1, 2, 3, 4),
    ),
    (
        "dirichlet.logpdf",
        stats.dirichlet.logpdf,
        ss.dirichlet.logpdf,
        lambda x, a: td.Dirichlet(a).log_prob(x.T),
        (SIMPLEX, np.array([1.5, 2.0, 3.0])),
        (1,),
    ),
    (
        "expon.logpdf",
        stats.expon.logpdf,
        ss.expon.logpdf,
        lambda x, m, s: td.Exponential(1 / s).log_prob(x - m),
        (POS, 0.1, 1.5),
        (0, 1, 2),
    ),
    (
        "expon.cdf",
        stats.expon.cdf,
        ss.expon.cdf,
        lambda x, m, s: td.Exponential(1 / s).cdf(x - m),
        (POS, 0.1, 1.5),
        (0, 1, 2),
    ),
    ("expon.logcdf", stats.expon.logcdf, ss.expon.logcdf, None, (POS, 0.1, 1.5), (0, 1, 2)),
    ("expon.sf", stats.expon.sf, ss.expon.sf, None, (POS, 0.1, 1.5), (0, 1, 2)),
    (
        "laplace.logpdf",
        stats.laplace.logpdf,
        ss.laplace.logpdf,
        lambda x, m, s: td.Laplace(m, s).log_prob(x),
        (X, 0.25, 0.8),
        (0, 1, 2),
    ),
    (
        "laplace.cdf",
        stats.laplace.cdf,
        ss.laplace.cdf,
        lambda x, m, s: td.Laplace(m, s).cdf(x),
        (X, 0.25, 0.8),
        (0, 1, 2),
    ),
    ("laplace.logcdf", stats.laplace.logcdf, ss.laplace.logcdf, None, (X, 0.25, 0.8), (0, 1, 2)),
    (
        "cauchy.logpdf",
        stats.cauchy.logpdf,
        ss.cauchy.logpdf,
        lambda x, m, s: td.Cauchy(m, s).log_prob(x),
        (X, -0.3, 0.9),
        (0, 1, 2),
    ),
    ("cauchy.pdf", stats.cauchy.pdf, ss.cauchy.pdf, None, (X, -0.3, 0.9), (0, 1, 2)),
    (
        "uniform.logpdf",
        stats.uniform.logpdf,
        ss.uniform.logpdf,
        lambda x, m, s: td.Uniform(m, m + s).log_prob(x),
        (UNIT * 2.0 - 0.4, -0.5, 2.2),
        (1, 2),
    ),
    (
        "uniform.cdf",
        stats.uniform.cdf,
        ss.uniform.cdf,
        lambda x, m, s: td.Uniform(m, m + s).cdf(x),
        (UNIT * 2.0 - 0.4, -0.5, 2.2),
        (0, 1, 2),
    ),
    (
        "uniform.logcdf",
        stats.uniform.logcdf,
        ss.uniform.logcdf,
        None,
        (UNIT * 2.0 - 0.4, -0.5, 2.2),
        (0, 1, 2),
    ),
    (
        "poisson.logpmf",
        stats.poisson.logpmf,
        ss.poisson.logpmf,
        lambda k, mu: td.Poisson(mu).log_prob(k),
        (COUNTS, POS),
        (1,),
    ),
    ("poisson.pmf", stats.poisson.pmf, ss.poisson.pmf, None, (COUNTS, POS), (1,)),
    (
        "bernoulli.logpmf",
        stats.bernoulli.logpmf,
        ss.bernoulli.logpmf,
        lambda k, p: td.Bernoulli(probs=p).log_prob(k),
        (np.array([0.0, 1.0, 1.0, 0.0, 1.0]), UNIT),
        (1,),
    ),
    (
        "binom.logpmf",
        stats.binom.logpmf,
        ss.binom.logpmf,
        lambda k, n, p: td.Binomial(n, probs=p).log_prob(k),
        (COUNTS, np.array([4.0, 2.0, 7.0, 3.0, 5.0]), UNIT),
        (2,),
    ),
    ("binom.pmf", stats.binom.pmf, ss.binom.pmf, None, (COUNTS, 6.0, 0.35), (2,)),
]
ids = [s[0] for s in SPECS]


@pytest.mark.parametrize("spec", SPECS, ids=ids)
def test_values_match_scipy(spec):
    _, ours, theirs, _, args, _ = spec
    got, want = ours(*args), theirs(*args)  # arrays in: scipy's kind of result (constants in, constants out)
    assert not isinstance(got, Tensor) and type(got) is type(want) and got.dtype == want.dtype
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-13)
    on_tensors = ours(*[Tensor(np.asarray(a, dtype=float)) for a in args])
    assert isinstance(on_tensors, Tensor)
    np.testing.assert_allclose(on_tensors.data, want, rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize("spec", SPECS, ids=ids)
def test_gradients_match_finite_differences(spec):
    _, ours, _, _, args, diff = spec
    fixed = list(args)

    def fn(*xs):
        full = list(fixed)
        for i, x in zip(diff, xs):
            full[i] = x
        return ours(*full)

    check_gradients(fn, *(np.asarray(args[i], dtype=np.float64) for i in diff), rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("spec", [s for s in SPECS if s[3] is not None], ids=[s[0] for s in SPECS if s[3]])
def test_gradients_match_torch(spec):
    _, ours, _, tfn, args, diff = spec
    w = np.random.default_rng(0).standard_normal(np.shape(ours(*args).data))
    xs = [Tensor(np.array(a, dtype=np.float64), requires_grad=i in diff) for i, a in enumerate(args)]
    ts = [T(np.array(a, dtype=np.float64)).requires_grad_(i in diff) for i, a in enumerate(args)]
    (ours(*xs) * w).sum().backward()
    (tfn(*ts) * T(w)).sum().backward()
    for i in diff:
        np.testing.assert_allclose(xs[i].grad, ts[i].grad.numpy(), rtol=1e-8, atol=1e-10, err_msg=f"arg {i}")


def test_multivariate_normal_matches_scipy_and_torch():
    x, mean = rng.standard_normal((4, 3)), rng.standard_normal(3)
    cov = _cov(A)
    got = stats.multivariate_normal.logpdf(x, mean, cov)
    np.testing.assert_allclose(got.data, ss.multivariate_normal.logpdf(x, mean, cov), rtol=1e-12)
    one = stats.multivariate_normal.logpdf(x[0], mean, cov)
    assert one.shape == () and np.isclose(one.item(), ss.multivariate_normal.logpdf(x[0], mean, cov))
    for c in (2.5, np.array([1.0, 2.0, 0.5])):  # a number times I, a diagonal
        np.testing.assert_allclose(
            stats.multivariate_normal.logpdf(x, mean, c).data,
            ss.multivariate_normal.logpdf(x, mean, c),
            rtol=1e-12,
        )
    check_gradients(lambda x, m, a: stats.multivariate_normal.logpdf(x, m, _cov(a)), x, mean, A)
    xs = [Tensor(v, requires_grad=True) for v in (x, mean, A)]
    ts = [T(v).requires_grad_() for v in (x, mean, A)]
    stats.multivariate_normal.logpdf(xs[0], xs[1], _cov(xs[2])).sum().backward()
    td.MultivariateNormal(ts[1], ts[2] @ ts[2].T + torch.eye(3, dtype=torch.float64)).log_prob(
        ts[0]
    ).sum().backward()
    for a, b in zip(xs, ts):
        np.testing.assert_allclose(a.grad, b.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_one_dimensional_multivariate_normal_takes_points_as_a_vector():
    x = np.array([0.1, -0.4, 1.2])
    np.testing.assert_allclose(
        stats.multivariate_normal.logpdf(x, 0.3, 2.0).data,
        ss.multivariate_normal.logpdf(x, 0.3, 2.0),
        rtol=1e-12,
    )


@pytest.mark.parametrize(
    "ours, theirs, args",
    [
        (stats.gamma.logpdf, ss.gamma.logpdf, (np.array([-1.0, 0.5, 2.0]), 2.0)),
        (stats.beta.logpdf, ss.beta.logpdf, (np.array([-0.1, 0.5, 1.2]), 2.0, 3.0)),
        (stats.expon.logpdf, ss.expon.logpdf, (np.array([-1.0, 0.0, 2.0]),)),
        (stats.expon.cdf, ss.expon.cdf, (np.array([-1.0, 0.0, 2.0]),)),
        (stats.uniform.logpdf, ss.uniform.logpdf, (np.array([-0.1, 0.0, 0.5, 1.0, 1.1]),)),
        (stats.poisson.logpmf, ss.poisson.logpmf, (np.array([-1.0, 0.5, 2.0]), 1.5)),
        (stats.bernoulli.logpmf, ss.bernoulli.logpmf, (np.array([-1.0, 0.0, 1.0, 2.0]), 0.3)),
        (stats.binom.logpmf, ss.binom.logpmf, (np.array([-1.0, 0.0, 3.0, 4.0]), 3.0, 0.3)),
    ],
)
def test_outside_the_support_as_scipy_with_finite_gradients(ours, theirs, args):
    x = Tensor(args[0], requires_grad=True)
    rest = [Tensor(np.asarray(a, dtype=np.float64), requires_grad=True) for a in args[1:]]
    out = ours(x, *rest)
    np.testing.assert_allclose(out.data, theirs(*args), rtol=1e-12)
    finite = np.isfinite(out.data)
    (out * finite).sum().backward()  # only the finite entries: the rest has no derivative
    for t in [x, *rest]:
        assert t.grad is None or np.all(np.isfinite(t.grad))


def test_dirichlet_rejects_points_off_the_simplex():
    with pytest.raises(ValueError, match="simplex"):
        stats.dirichlet.logpdf(np.array([0.5, 0.6]), np.array([1.0, 1.0]))


def test_float32_stays_float32():
    x = Tensor(np.array([0.5, 1.0], dtype=np.float32), requires_grad=True)
    out = stats.norm.logpdf(x, 0.1, 2.0)
    assert out.dtype == np.float32
    out.sum().backward()
    assert x.grad.dtype == np.float32
