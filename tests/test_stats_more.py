"""The distributions added for jax.scipy.stats' coverage against scipy.stats (values), central finite
differences (gradients in x, loc, scale and the shapes) and torch.distributions (log_prob values and
gradients, parametrisations translated)."""

import numpy as np
import pytest
import scipy.stats as ss

from autobp import Tensor, gradgradcheck, stats

from .helpers import check_gradients

torch = pytest.importorskip("torch")
td = torch.distributions

rng = np.random.default_rng(5)
X = rng.uniform(-2.0, 2.0, 5)
POS = rng.uniform(0.2, 3.0, 5)
ABOVE1 = rng.uniform(1.1, 4.0, 5)
UNIT = rng.uniform(0.05, 0.95, 5)
ANGLE = rng.uniform(0.1, 6.2, 5)
COUNTS = np.array([0.0, 1.0, 3.0, 2.0, 5.0])
POSCOUNTS = COUNTS + 1.0
T = lambda a: torch.tensor(a, dtype=torch.float64)  # noqa: E731

LOC, SCALE = 0.2, 1.3
# (distribution, args after x (shapes then loc, scale), points, methods, indices of differentiable args
# for every method, and for the cdf family (the incomplete gamma/beta: no shape derivative))
CONT = [
    ("gumbel_r", (LOC, SCALE), X, "logpdf pdf cdf logcdf sf logsf", (0, 1, 2), (0, 1, 2)),
    ("gumbel_l", (LOC, SCALE), X, "logpdf pdf cdf logcdf sf logsf", (0, 1, 2), (0, 1, 2)),
    ("logistic", (LOC, SCALE), X, "logpdf pdf cdf logcdf sf logsf", (0, 1, 2), (0, 1, 2)),
    (
        "weibull_min",
        (1.7, LOC, SCALE),
        POS + LOC,
        "logpdf pdf cdf logcdf sf logsf",
        (0, 1, 2, 3),
        (0, 1, 2, 3),
    ),
    ("rayleigh", (LOC, SCALE), POS + LOC, "logpdf pdf cdf logcdf sf logsf", (0, 1, 2), (0, 1, 2)),
    (
        "pareto",
        (2.3, LOC, SCALE),
        ABOVE1 * SCALE + LOC,
        "logpdf pdf cdf logcdf sf logsf",
        (0, 1, 2, 3),
        (0, 1, 2, 3),
    ),
    ("lognorm", (0.7, LOC, SCALE), POS + LOC, "logpdf pdf cdf logcdf sf logsf", (0, 1, 2, 3), (0, 1, 2, 3)),
    ("halfnorm", (LOC, SCALE), POS + LOC, "logpdf pdf cdf logcdf sf logsf", (0, 1, 2), (0, 1, 2)),
    ("halfcauchy", (LOC, SCALE), POS + LOC, "logpdf pdf cdf logcdf sf logsf", (0, 1, 2), (0, 1, 2)),
    ("invgamma", (2.1, LOC, SCALE), POS + LOC, "logpdf pdf cdf logcdf sf logsf", (0, 1, 2, 3), (0, 2, 3)),
    ("f", (3.0, 5.5, LOC, SCALE), POS + LOC, "logpdf pdf cdf logcdf sf logsf", (0, 1, 2, 3, 4), (0, 3, 4)),
    ("chi", (2.5, LOC, SCALE), POS + LOC, "logpdf pdf cdf logcdf sf logsf", (0, 1, 2, 3), (0, 2, 3)),
    ("loggamma", (1.6, LOC, SCALE), X, "logpdf pdf cdf logcdf sf logsf", (0, 1, 2, 3), (0, 2, 3)),
    ("gennorm", (1.6, LOC, SCALE), X + 0.05, "logpdf pdf cdf logcdf sf logsf", (0, 1, 2, 3), (0, 2, 3)),
    ("vonmises", (1.7, LOC, SCALE), X, "logpdf pdf", (0, 1, 2, 3), ()),
    ("wrapcauchy", (0.4, LOC, SCALE), ANGLE * SCALE + LOC, "logpdf pdf", (0, 1, 2, 3), ()),
    (
        "truncnorm",
        (-0.5, 2.0, LOC, SCALE),
        X * 0.6 + 0.9,
        "logpdf pdf cdf logcdf sf logsf",
        (0, 1, 2, 3, 4),
        (),
    ),
    ("truncnorm", (0.5, 3.0, LOC, SCALE), UNIT * 2.5 + 1.0, "logpdf cdf sf", (0, 1, 2, 3, 4), ()),
]
DISC = [
    ("betabinom", (6.0, 1.3, 2.2), COUNTS, "logpmf pmf", (2, 3)),
    ("geom", (0.3,), POSCOUNTS, "logpmf pmf cdf sf logsf", (1,)),
    ("nbinom", (2.5, 0.35), COUNTS, "logpmf pmf", (1, 2)),
    ("nbinom", (2.5, 0.35), COUNTS, "cdf sf", (2,)),
]
SPECS = []
for name, args, x, methods, diff, cdf_diff in CONT:
    for m in methods.split():
        use = diff if m in ("logpdf", "pdf") else cdf_diff or diff
        SPECS.append(
            (
                f"{name}.{m}{args[:2]}",
                getattr(getattr(stats, name), m),
                getattr(getattr(ss, name), m),
                (x, *args),
                use,
            )
        )
for name, args, x, methods, diff in DISC:
    for m in methods.split():
        SPECS.append(
            (f"{name}.{m}", getattr(getattr(stats, name), m), getattr(getattr(ss, name), m), (x, *args), diff)
        )


@pytest.mark.parametrize("spec", SPECS, ids=[s[0] for s in SPECS])
def test_values_match_scipy_and_gradients_finite_differences(spec):
    _, ours, theirs, args, diff = spec
    got, want = ours(*args), theirs(*args)
    assert not isinstance(got, Tensor) and got.dtype == want.dtype
    np.testing.assert_allclose(got, want, rtol=1e-11, atol=1e-14)
    fixed = list(args)

    def fn(*xs):
        full = list(fixed)
        for i, v in zip(diff, xs):
            full[i] = v
        return ours(*full)

    check_gradients(fn, *(np.asarray(args[i], dtype=np.float64) for i in diff), rtol=1e-5, atol=1e-7)


# (ours, torch's log_prob, args: every one differentiable)
TORCH = [
    (
        "gumbel_r",
        lambda x, m, s: stats.gumbel_r.logpdf(x, m, s),
        lambda x, m, s: td.Gumbel(m, s).log_prob(x),
        (X, LOC, SCALE),
    ),
    (
        "lognorm",
        lambda x, s, sc: stats.lognorm.logpdf(x, s, 0.0, sc),
        lambda x, s, sc: td.LogNormal(torch.log(sc), s).log_prob(x),
        (POS, 0.7, SCALE),
    ),
    (
        "halfnorm",
        lambda x, s: stats.halfnorm.logpdf(x, 0.0, s),
        lambda x, s: td.HalfNormal(s).log_prob(x),
        (POS, SCALE),
    ),
    (
        "halfcauchy",
        lambda x, s: stats.halfcauchy.logpdf(x, 0.0, s),
        lambda x, s: td.HalfCauchy(s).log_prob(x),
        (POS, SCALE),
    ),
    (
        "pareto",
        lambda x, b, s: stats.pareto.logpdf(x, b, 0.0, s),
        lambda x, b, s: td.Pareto(s, b).log_prob(x),
        (ABOVE1 * SCALE, 2.3, SCALE),
    ),
    (
        "vonmises",
        lambda x, m, k: stats.vonmises.logpdf(x, k, m),
        lambda x, m, k: td.VonMises(m, k).log_prob(x),
        (X, LOC, 1.7),
    ),
    (
        "weibull_min",
        lambda x, c, s: stats.weibull_min.logpdf(x, c, 0.0, s),
        lambda x, c, s: td.Weibull(s, c).log_prob(x),
        (POS, 1.7, SCALE),
    ),
    (
        "f",
        lambda x, a, b: stats.f.logpdf(x, a, b),
        lambda x, a, b: td.FisherSnedecor(a, b).log_prob(x),
        (POS, 3.0, 5.5),
    ),
    (
        "invgamma",
        lambda x, a, s: stats.invgamma.logpdf(x, a, 0.0, s),
        lambda x, a, s: td.InverseGamma(a, s).log_prob(x),
        (POS, 2.1, SCALE),
    ),
    (
        "geom",
        lambda k, p: stats.geom.logpmf(k + 1.0, p),
        lambda k, p: td.Geometric(p).log_prob(k),
        (COUNTS, UNIT),
    ),
    (
        "nbinom",
        lambda k, n, p: stats.nbinom.logpmf(k, n, p),
        lambda k, n, p: td.NegativeBinomial(n, 1.0 - p).log_prob(k),
        (COUNTS, 2.5, UNIT),
    ),
]


@pytest.mark.parametrize("spec", TORCH, ids=[s[0] for s in TORCH])
def test_log_prob_values_and_gradients_match_torch(spec):
    _, ours, theirs, args = spec
    diff = [i for i in range(len(args)) if not (spec[0] in ("geom", "nbinom") and i == 0)]
    xs = [Tensor(np.array(a, dtype=np.float64), requires_grad=i in diff) for i, a in enumerate(args)]
    ts = [T(np.array(a, dtype=np.float64)).requires_grad_(i in diff) for i, a in enumerate(args)]
    out, ref = ours(*xs), theirs(*ts)
    # torch's VonMises evaluates log I0(kappa) by a polynomial approximation (errors ~1e-8)
    rtol = 1e-6 if spec[0] == "vonmises" else 1e-10
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=rtol)
    w = np.random.default_rng(1).standard_normal(out.shape)
    (out * w).sum().backward()
    (ref * T(w)).sum().backward()
    for i in diff:
        np.testing.assert_allclose(xs[i].grad, ts[i].grad.numpy(), rtol=rtol, atol=1e-10, err_msg=f"arg {i}")


def test_multinomial_matches_scipy_and_torch():
    x = np.array([[1.0, 2.0, 3.0], [2.0, 2.0, 2.0], [0.0, 6.0, 0.0]])
    p = np.array([0.2, 0.3, 0.5])
    np.testing.assert_allclose(stats.multinomial.logpmf(x, 6, p), ss.multinomial.logpmf(x, 6, p), rtol=1e-12)
    np.testing.assert_allclose(stats.multinomial.pmf(x, 6, p), ss.multinomial.pmf(x, 6, p), rtol=1e-12)
    pt = Tensor(p, requires_grad=True)
    stats.multinomial.logpmf(x, 6, pt).sum().backward()
    tp = T(p).requires_grad_()
    td.Multinomial(6, probs=tp, validate_args=False).log_prob(T(x)).sum().backward()
    # torch normalises probs (its gradient is projected on the simplex); ours uses p as given, as JAX
    want = (x / p).sum(axis=0)
    np.testing.assert_allclose(pt.grad, want, rtol=1e-12)
    s = tp.grad.numpy()
    np.testing.assert_allclose(s - s @ p, want - want @ p, rtol=1e-10)
    check_gradients(lambda q: stats.multinomial.logpmf(x, 6, q), p)
    bad = stats.multinomial.logpmf(np.array([[1.0, 1.0, 1.0], [1.5, 2.5, 2.0]]), 6, p)
    assert np.all(bad == -np.inf)


@pytest.mark.parametrize("bw", [None, "scott", "silverman", 0.4, lambda k: 0.5 * k.scotts_factor()])
def test_gaussian_kde_matches_scipy_and_differentiates(bw):
    data = rng.standard_normal((2, 12))
    pts = rng.standard_normal((2, 4))
    wts = rng.uniform(0.2, 1.0, 12)
    ours = stats.gaussian_kde(data, bw, wts)
    theirs = ss.gaussian_kde(data, bw, wts)
    np.testing.assert_allclose(ours(pts), theirs(pts), rtol=1e-12)
    np.testing.assert_allclose(ours.logpdf(pts), theirs.logpdf(pts), rtol=1e-12)
    assert isinstance(ours.pdf(pts), np.ndarray)
    check_gradients(lambda d, p, w: stats.gaussian_kde(d, bw, w).logpdf(p), data, pts, wts)


def test_gaussian_kde_one_dimensional_and_errors():
    data = rng.standard_normal(15)
    x = np.linspace(-2.0, 2.0, 6)
    np.testing.assert_allclose(
        stats.gaussian_kde(data).evaluate(x), ss.gaussian_kde(data).evaluate(x), rtol=1e-12
    )
    check_gradients(lambda d, p: stats.gaussian_kde(d, "silverman").pdf(p), data, x)
    with pytest.raises(ValueError, match="dimension"):
        stats.gaussian_kde(rng.standard_normal((2, 5)))(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="bw_method"):
        stats.gaussian_kde(data, "nope")


@pytest.mark.parametrize(
    "ours, theirs, args",
    [
        (stats.lognorm.logpdf, ss.lognorm.logpdf, (np.array([-1.0, 0.0, 2.0]), 0.7)),
        (stats.halfnorm.logpdf, ss.halfnorm.logpdf, (np.array([-1.0, 0.0, 2.0]),)),
        (stats.pareto.logpdf, ss.pareto.logpdf, (np.array([0.5, 1.0, 2.0]), 2.0)),
        (stats.weibull_min.cdf, ss.weibull_min.cdf, (np.array([-1.0, 0.0, 2.0]), 1.5)),
        (stats.rayleigh.logpdf, ss.rayleigh.logpdf, (np.array([-1.0, 0.5, 2.0]),)),
        (stats.invgamma.logpdf, ss.invgamma.logpdf, (np.array([-1.0, 0.0, 2.0]), 2.0)),
        (stats.chi.logpdf, ss.chi.logpdf, (np.array([-1.0, 0.5, 2.0]), 3.0)),
        (stats.f.logpdf, ss.f.logpdf, (np.array([-1.0, 0.5, 2.0]), 3.0, 4.0)),
        (stats.wrapcauchy.logpdf, ss.wrapcauchy.logpdf, (np.array([-0.1, 1.0, 7.0]), 0.3)),
        (stats.truncnorm.logpdf, ss.truncnorm.logpdf, (np.array([-2.0, 0.0, 3.0]), -1.0, 1.0)),
        (stats.truncnorm.cdf, ss.truncnorm.cdf, (np.array([-2.0, 0.0, 3.0]), -1.0, 1.0)),
        (stats.truncnorm.sf, ss.truncnorm.sf, (np.array([-2.0, 0.0, 3.0]), -1.0, 1.0)),
        (stats.geom.logpmf, ss.geom.logpmf, (np.array([0.0, 1.0, 2.5, 3.0]), 0.3)),
        (stats.nbinom.logpmf, ss.nbinom.logpmf, (np.array([-1.0, 0.0, 2.5, 3.0]), 2.0, 0.3)),
        (stats.betabinom.logpmf, ss.betabinom.logpmf, (np.array([-1.0, 0.0, 3.0, 7.0]), 6.0, 1.0, 2.0)),
    ],
)
def test_outside_the_support_as_scipy_with_finite_gradients(ours, theirs, args):
    x = Tensor(args[0], requires_grad=True)
    rest = [Tensor(np.asarray(a, dtype=np.float64), requires_grad=True) for a in args[1:]]
    out = ours(x, *rest)
    np.testing.assert_allclose(out.data, theirs(*args), rtol=1e-12)
    (out * np.isfinite(out.data)).sum().backward()
    for t in [x, *rest]:
        assert t.grad is None or np.all(np.isfinite(t.grad))


@pytest.mark.parametrize(
    "name, args",
    [
        ("gumbel_r", ()),
        ("gumbel_l", ()),
        ("logistic", ()),
        ("weibull_min", (1.7,)),
        ("rayleigh", ()),
        ("pareto", (2.3,)),
        ("lognorm", (0.7,)),
        ("halfnorm", ()),
        ("halfcauchy", ()),
    ],
)
def test_ppf_matches_scipy_and_inverts_cdf(name, args):
    q = np.array([-0.1, 0.05, 0.3, 0.7, 0.95, 1.2])
    dist = getattr(stats, name)
    got = dist.ppf(q, *args, LOC, SCALE)
    np.testing.assert_allclose(got, getattr(ss, name).ppf(q, *args, LOC, SCALE), rtol=1e-12)
    inner = q[1:-1]
    check_gradients(lambda p: dist.ppf(p, *args, LOC, SCALE), inner)
    check_gradients(lambda p: dist.cdf(dist.ppf(p, *args, LOC, SCALE), *args, LOC, SCALE), inner)
    if name == "logistic":
        np.testing.assert_allclose(dist.isf(q, LOC, SCALE), ss.logistic.isf(q, LOC, SCALE), rtol=1e-12)


def test_float32_stays_float32():
    x = Tensor(np.array([0.5, 1.0], dtype=np.float32), requires_grad=True)
    for out in (
        stats.gumbel_r.logpdf(x, 0.1, 2.0),
        stats.lognorm.cdf(x, 0.5),
        stats.truncnorm.logpdf(x, -1.0, 2.0),
    ):
        assert out.dtype == np.float32
    stats.gumbel_r.logpdf(x, 0.1, 2.0).sum().backward()
    assert x.grad.dtype == np.float32


def test_gaussian_kde_integrals_and_resample():
    data, wts = rng.standard_normal((2, 10)), rng.uniform(0.2, 1.0, 10)
    ours, theirs = stats.gaussian_kde(data, weights=wts), ss.gaussian_kde(data, weights=wts)
    m, c = np.array([0.1, -0.2]), np.array([[1.0, 0.2], [0.2, 0.7]])
    got = ours.integrate_gaussian(m, c)
    assert not isinstance(got, Tensor)
    np.testing.assert_allclose(got, theirs.integrate_gaussian(m, c), rtol=1e-12)
    other = rng.standard_normal((2, 4))
    np.testing.assert_allclose(
        ours.integrate_kde(stats.gaussian_kde(other)),
        theirs.integrate_kde(ss.gaussian_kde(other)),
        rtol=1e-12,
    )
    check_gradients(lambda d, mu: stats.gaussian_kde(d, weights=wts).integrate_gaussian(mu, c), data, m)
    one = rng.standard_normal(9)
    np.testing.assert_allclose(
        stats.gaussian_kde(one).integrate_box_1d(-0.5, 1.0),
        ss.gaussian_kde(one).integrate_box_1d(-0.5, 1.0),
        rtol=1e-12,
    )
    check_gradients(lambda d, hi: stats.gaussian_kde(d).integrate_box_1d(-0.5, hi), one, np.array(1.0))
    draws = ours.resample(4000, seed=3)
    assert draws.shape == (2, 4000)
    np.testing.assert_allclose(draws.mean(axis=1), ours.dataset.data @ (wts / wts.sum()), atol=0.08)
    np.testing.assert_allclose(np.cov(draws), theirs.covariance + theirs._data_covariance, atol=0.15)


LOG_DENSITIES = [s for s in SPECS if s[0].split(".")[1].startswith(("logpdf", "logpmf", "cdf"))]


@pytest.mark.parametrize("spec", LOG_DENSITIES, ids=[s[0] for s in LOG_DENSITIES])
def test_second_order_matches_finite_differences(spec):
    _, ours, _, args, diff = spec
    fixed = list(args)

    def fn(*xs):
        full = list(fixed)
        for i, v in zip(diff, xs):
            full[i] = v
        return ours(*full)

    leaves = [Tensor(np.array(args[i], dtype=np.float64), requires_grad=True) for i in diff]
    assert gradgradcheck(fn, leaves)


@pytest.mark.parametrize(
    "ours, theirs, args",
    [
        (lambda x, s: stats.halfnorm.cdf(x, 0.0, s), lambda x, s: td.HalfNormal(s).cdf(x), (POS, SCALE)),
        (lambda x, s: stats.halfcauchy.cdf(x, 0.0, s), lambda x, s: td.HalfCauchy(s).cdf(x), (POS, SCALE)),
        (
            lambda x, s, sc: stats.lognorm.cdf(x, s, 0.0, sc),
            lambda x, s, sc: td.LogNormal(torch.log(sc), s).cdf(x),
            (POS, 0.7, SCALE),
        ),
        (
            lambda x, b, s: stats.pareto.cdf(x, b, 0.0, s),
            lambda x, b, s: td.Pareto(s, b).cdf(x),
            (ABOVE1 * SCALE, 2.3, SCALE),
        ),
    ],
)
def test_cdf_values_and_gradients_match_torch(ours, theirs, args):
    xs = [Tensor(np.array(a, dtype=np.float64), requires_grad=True) for a in args]
    ts = [T(np.array(a, dtype=np.float64)).requires_grad_() for a in args]
    out, ref = ours(*xs), theirs(*ts)
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-10)
    out.sum().backward()
    ref.sum().backward()
    for a, b in zip(xs, ts):
        np.testing.assert_allclose(a.grad, b.grad.numpy(), rtol=1e-8, atol=1e-12)


@pytest.mark.parametrize(
    "a, b, x", [(10.0, 12.0, [10.2, 11.5]), (-12.0, -10.0, [-11.5, -10.2]), (-1.0, 30.0, [0.3, 5.0])]
)
def test_truncnorm_far_tails_have_finite_exact_gradients(a, b, x):
    x = np.array(x)
    for m in ("logpdf", "logcdf", "logsf"):
        np.testing.assert_allclose(
            getattr(stats.truncnorm, m)(x, a, b), getattr(ss.truncnorm, m)(x, a, b), rtol=1e-10
        )
        check_gradients(
            lambda x_, a_, b_, m=m: getattr(stats.truncnorm, m)(x_, a_, b_), x, np.array(a), np.array(b)
        )
