"""autobp.stats where the rest of JAX's scipy_stats_test (and a scipy audit of the domain edges it
led to) found it wrong or short: nan for invalid parameters, a non-positive scale or a nan point
(scipy's answer; the formulas gave finite numbers there). Values from scipy.stats."""

import itertools

import numpy as np
import pytest
import scipy.stats as ss

from autobp import Tensor, gradcheck, stats

X = np.array([-np.inf, -1.5, 0.0, 0.3, 1.0, 2.5, np.inf, np.nan])
BAD = np.array([-1.0, 0.0, 0.3, 2.5, np.nan])  # shape parameters: invalid and valid ones
CONTINUOUS = [
    ("norm", 0),
    ("t", 1),
    ("gamma", 1),
    ("chi2", 1),
    ("expon", 0),
    ("laplace", 0),
    ("cauchy", 0),
    ("uniform", 0),
    ("truncnorm", 2),
    ("gennorm", 1),
    ("vonmises", 1),
    ("wrapcauchy", 1),
    ("gumbel_r", 0),
    ("gumbel_l", 0),
    ("logistic", 0),
    ("pareto", 1),
    ("weibull_min", 1),
    ("rayleigh", 0),
    ("lognorm", 1),
    ("halfnorm", 0),
    ("halfcauchy", 0),
    ("invgamma", 1),
    ("f", 2),
    ("chi", 1),
    ("loggamma", 1),
]
DISCRETE = [("poisson", 1), ("bernoulli", 1), ("binom", 2), ("betabinom", 3), ("geom", 1), ("nbinom", 2)]
METHODS = ("logpdf", "pdf", "cdf", "logcdf", "sf", "logsf", "logpmf", "pmf")


def _grid(*axes):
    return [m.ravel() for m in np.meshgrid(*axes, indexing="ij")]


def _same(ours, ref):
    ours, ref = np.asarray(ours, dtype=float), np.asarray(ref, dtype=float)
    np.testing.assert_array_equal(np.isnan(ours), np.isnan(ref))
    np.testing.assert_allclose(ours, ref, rtol=1e-7, atol=1e-300)


@pytest.mark.parametrize("name,nshape", CONTINUOUS + DISCRETE)
def test_invalid_parameters_scale_and_nan_points_give_scipys_nan(name, nshape):
    dist, ref = getattr(stats, name), getattr(ss, name)
    discrete = (name, nshape) in DISCRETE
    k = np.array([-1.0, 0.0, 1.0, 2.0, 2.5, np.nan])
    axes = [k if discrete else X] + [BAD] * nshape + ([np.array([0.0, 1.0])] if discrete else [])
    if not discrete:
        axes += [np.array([0.0]), np.array([-1.0, 0.0, 2.0])]
    args = _grid(*axes)
    checked = 0
    for m in METHODS:
        if hasattr(dist, m) and hasattr(ref, m):
            with np.errstate(all="ignore"):
                _same(getattr(dist, m)(*args), getattr(ref, m)(*args))
            checked += 1
    assert checked >= 2


def test_norm_with_a_negative_scale_was_a_finite_number():
    assert np.isnan(stats.norm.cdf(0.5, 0.0, -1.0))  # was 0.3085
    assert np.isnan(stats.cauchy.cdf(0.5, 0.0, -1.0))  # was 0.3524
    assert np.all(np.isnan(stats.truncnorm.logpdf(np.array([0.0, 1.0]), 1.0, 0.5)))  # a > b: was finite


def test_validity_mask_keeps_gradients_where_valid():
    x = Tensor(np.array([0.2, 0.7, 1.3]), requires_grad=True)
    a = Tensor(np.array([0.5, 1.5, 2.5]), requires_grad=True)
    assert gradcheck(lambda x_, a_: stats.gamma.logpdf(x_, a_, 0.0, 2.0), (x, a))
    scale = Tensor(np.array([-1.0, 1.0, 2.0]), requires_grad=True)
    out = stats.norm.logpdf(x, 0.0, scale)
    assert np.isnan(out.detach().numpy()[0]) and np.all(np.isfinite(out.detach().numpy()[1:]))
    out[1:].sum().backward()
    z = x.detach().numpy()[1:] / scale.detach().numpy()[1:]
    np.testing.assert_allclose(x.grad[1:], -z / scale.detach().numpy()[1:])
    np.testing.assert_allclose(scale.grad[1:], (z * z - 1.0) / scale.detach().numpy()[1:])
    assert x.grad[0] == 0.0


def test_float32_stays_float32_under_the_mask():
    x = np.array([0.5, 1.0], dtype=np.float32)
    out = stats.gamma.logpdf(x, np.float32(-1.0))
    assert out.dtype == np.float32 and np.all(np.isnan(out))


def test_keywords_and_defaults_are_checked_too():
    assert np.isnan(stats.expon.sf(1.0, scale=-2.0))
    assert np.isnan(stats.binom.pmf(1, n=2.5, p=0.5))
    assert np.isnan(stats.poisson.logpmf(np.nan, 2.0))
    for a, b in itertools.product([0.5, 1.0], [0.5, 1.0]):
        _same(stats.truncnorm.cdf(0.7, a, b), ss.truncnorm.cdf(0.7, a, b))


def test_log_tails_that_rounded_to_minus_inf_or_lost_digits():
    z = np.array([-40.0, -10.0, 0.1, 5.0, 30.0, 40.0, 700.0])
    np.testing.assert_allclose(stats.gumbel_r.logsf(z), ss.gumbel_r.logsf(z), rtol=1e-12)  # 30: -29.99983
    np.testing.assert_allclose(stats.gumbel_l.logcdf(-z), ss.gumbel_l.logcdf(-z), rtol=1e-12)
    y = np.array([1e-300, 1e-10, 0.3, 0.69, 0.7, 5.0, 40.0])
    np.testing.assert_allclose(stats.expon.logcdf(y), ss.expon.logcdf(y), rtol=1e-12)  # 1e-300: -inf
    for f in (
        lambda t: stats.gumbel_r.logsf(t),
        lambda t: stats.gumbel_l.logcdf(-t),
        lambda t: stats.expon.logcdf(t * t + 1e-3),
    ):
        assert gradcheck(f, (Tensor(np.array([-3.0, 0.2, 0.7, 2.0, 25.0]), requires_grad=True),))


def test_infinite_points_that_gave_nan():
    inf = np.array([np.inf, -np.inf])
    _same(stats.logistic.logcdf(inf), ss.logistic.logcdf(inf))
    _same(stats.logistic.logsf(inf), ss.logistic.logsf(inf))
    _same(stats.rayleigh.logpdf(inf), ss.rayleigh.logpdf(inf))
    _same(stats.rayleigh.pdf(inf), ss.rayleigh.pdf(inf))
    _same(stats.f.cdf(inf, 3.0, 4.0), ss.f.cdf(inf, 3.0, 4.0))
    _same(stats.f.logcdf(inf, 0.3, 4.0), ss.f.logcdf(inf, 0.3, 4.0))
    x = Tensor(np.array([-2.0, 0.0, 3.0]), requires_grad=True)
    assert gradcheck(lambda t: stats.logistic.logcdf(t), (x,))
    assert gradcheck(lambda t: stats.f.cdf(t * t + 0.1, 3.0, 4.0), (x,))


def test_bernoulli_ppf_at_one_is_the_top_of_the_support():
    q = np.array([0.0, 0.5, 1.0, 1.0])
    p = np.array([0.0, 0.0, 0.0, 0.4])
    np.testing.assert_array_equal(stats.bernoulli.ppf(q, p), ss.bernoulli.ppf(q, p))  # q=1, p=0: was 0
    np.testing.assert_array_equal(stats.bernoulli.ppf(q, p, 2), ss.bernoulli.ppf(q, p, 2))


def test_cdf_slopes_at_the_centre_are_the_density():
    # laplace.cdf went through |y| (slope 0 at x = loc), gennorm.cdf had 0 * inf = nan at y = 0
    for dist, ref, shape in ((stats.laplace, ss.laplace, ()), (stats.gennorm, ss.gennorm, (1.5,))):
        for loc, scale in ((0.0, 1.0), (0.7, 2.0)):
            x = Tensor(np.array([loc, loc - 0.5, loc + 0.25]), requires_grad=True)
            dist.cdf(x, *shape, loc, scale).sum().backward()
            np.testing.assert_allclose(x.grad, ref.pdf(x.detach().numpy(), *shape, loc, scale), rtol=1e-9)
    x = Tensor(np.array([0.0, -0.5, 0.25]), requires_grad=True)
    stats.laplace.logcdf(x).sum().backward()
    pts = np.array([0, -0.5, 0.25])
    np.testing.assert_allclose(x.grad, np.exp(ss.laplace.logpdf(pts) - ss.laplace.logcdf(pts)))
    beta = Tensor(np.array(1.5), requires_grad=True)
    assert gradcheck(lambda b: stats.gennorm.cdf(np.array([0.0, 0.4, -1.0]), b), (beta,))
    assert stats.laplace.logcdf(-800.0) == -800.0 - np.log(2.0)  # log(exp(y)/2): was -inf (scipy too)


def test_gumbel_gradients_stay_finite_where_the_values_saturate():
    z = np.array([-1e5, -8.0, -3.0, 0.0, 3.0, 31.0, 1e5])
    for fn in (stats.gumbel_r.cdf, stats.gumbel_r.sf, stats.gumbel_r.logsf):
        x = Tensor(z.copy(), requires_grad=True)
        fn(x).sum().backward()
        assert np.all(np.isfinite(x.grad)), fn
    for fn in (stats.gumbel_l.cdf, stats.gumbel_l.sf, stats.gumbel_l.logcdf):
        x = Tensor(-z, requires_grad=True)
        fn(x).sum().backward()
        assert np.all(np.isfinite(x.grad)), fn
    np.testing.assert_allclose(stats.gumbel_r.logsf(z[1:-1]), ss.gumbel_r.logsf(z[1:-1]), rtol=1e-13)
    np.testing.assert_allclose(stats.gumbel_r.logsf(1e5), -1e5)
    np.testing.assert_allclose(stats.gumbel_r.cdf(z), ss.gumbel_r.cdf(z), rtol=1e-13)
    np.testing.assert_allclose(stats.gumbel_l.sf(-z), ss.gumbel_l.sf(-z), rtol=1e-13)
    assert gradcheck(stats.gumbel_r.logsf, (Tensor(np.array([-6.9, 29.9, 30.1, 35.0]), requires_grad=True),))
    assert gradcheck(
        stats.gumbel_l.logcdf, (Tensor(np.array([6.9, -29.9, -30.1, -35.0]), requires_grad=True),)
    )


Q = np.array([-0.1, 0.0, 1e-100, 1e-10, 0.3, 0.5, 0.9, 1 - 1e-12, 1.0, 1.1, np.nan])


@pytest.mark.parametrize(
    "name,method",
    [
        ("cauchy", "ppf"),
        ("cauchy", "isf"),
        ("expon", "ppf"),
        ("expon", "isf"),
        ("uniform", "ppf"),
        ("norm", "isf"),
    ],
)
def test_new_quantiles_match_scipy_to_the_tails_and_differentiate(name, method):
    ours, ref = getattr(getattr(stats, name), method), getattr(getattr(ss, name), method)
    for loc, scale in ((0.0, 1.0), (0.5, 2.0)):
        _same(ours(Q, loc, scale), ref(Q, loc, scale))
    q = Tensor(np.array([0.05, 0.3, 0.5, 0.8]), requires_grad=True)
    loc, scale = Tensor(np.array(0.4), requires_grad=True), Tensor(np.array(1.7), requires_grad=True)
    assert gradcheck(lambda a, b, c: ours(a, b, c), (q, loc, scale))


def test_norm_isf_extreme_tails():
    q = np.array([1e-10, 1e-16, 1e-17, 1e-20, 1e-50, 1e-100])
    np.testing.assert_allclose(stats.norm.isf(q, 3.5, 2.0), ss.norm.isf(q, 3.5, 2.0), rtol=1e-12)


def test_cauchy_sf_logsf_and_chi2_logsf_match_scipy_and_differentiate():
    x = np.array([-np.inf, -1e10, -3.0, 0.5, 2.0, 1e10, np.inf])
    for m in ("cdf", "sf", "logcdf", "logsf"):
        _same(getattr(stats.cauchy, m)(x, 0.5, 2.0), getattr(ss.cauchy, m)(x, 0.5, 2.0))
    y = np.array([0.1, 1.0, 4.0, 50.0])
    np.testing.assert_allclose(
        stats.chi2.logsf(y, 3.0, 0.0, 1.5), ss.chi2.logsf(y, 3.0, 0.0, 1.5), rtol=1e-12
    )
    t = Tensor(np.array([-3.0, 0.5, 2.0]), requires_grad=True)
    assert gradcheck(lambda v: stats.cauchy.logsf(v, 0.5, 2.0), (t,))
    assert gradcheck(lambda v: stats.chi2.logsf(v * v, 3.0), (t,))


def test_sem_matches_scipy_and_differentiates():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(5, 6, 7))
    a[1, 2, 3] = np.nan
    for axis in (None, 0, 1, -1):
        for ddof in (0, 1, 3):
            for keepdims in (False, True):
                for policy in ("propagate", "omit"):
                    ours = stats.sem(a, axis=axis, ddof=ddof, nan_policy=policy, keepdims=keepdims)
                    ref = ss.sem(a, axis=axis, ddof=ddof, nan_policy=policy, keepdims=keepdims)
                    assert np.shape(ours) == np.shape(ref)
                    _same(ours, ref)
    np.testing.assert_allclose(stats.sem(np.arange(7)), ss.sem(np.arange(7)))
    b = Tensor(rng.normal(size=(4, 3)), requires_grad=True)
    assert gradcheck(lambda t: stats.sem(t, axis=0), (b,))
    with pytest.raises(ValueError, match="nan"):
        stats.sem(a, nan_policy="raise")


@pytest.mark.parametrize("method", ["average", "min", "max", "dense", "ordinal"])
def test_rankdata_matches_scipy(method):
    rng = np.random.default_rng(1)
    a = rng.integers(0, 5, size=(6, 7)).astype(float)
    for axis in (None, 0, 1):
        _same(stats.rankdata(a, method, axis=axis), ss.rankdata(a, method, axis=axis))
    a[2, 3] = np.nan
    _same(stats.rankdata(a, method, axis=1), ss.rankdata(a, method, axis=1))  # the nan row is nan
    _same(stats.rankdata(a, method), ss.rankdata(a, method))
    ints = rng.integers(0, 3, size=9)
    np.testing.assert_array_equal(stats.rankdata(ints, method), ss.rankdata(ints, method))
    assert stats.rankdata(np.zeros((0, 2, 3)), method, axis=1).shape == (0, 2, 3)


def test_mode_matches_scipy_with_nans_ties_empties_and_keepdims():
    rng = np.random.default_rng(2)
    a = rng.integers(0, 4, size=(10, 5, 21)).astype(float)
    a[rng.random(a.shape) < 0.1] = np.nan
    for axis in (None, 0, 1, 2, -1):
        for keepdims in (False, True):
            for policy in ("propagate", "omit"):
                ours = stats.mode(a, axis=axis, keepdims=keepdims, nan_policy=policy)
                ref = ss.mode(a, axis=axis, keepdims=keepdims, nan_policy=policy)
                assert np.shape(ours.mode) == np.shape(ref.mode)
                _same(ours.mode, ref.mode)
                _same(ours.count, ref.count)
    assert stats.mode(np.array([3, 1, 1, 3, 2])) == (1, 2)  # the smallest of the most frequent
    m = stats.mode(np.array([1.0, np.nan, np.nan]))
    assert np.isnan(m.mode) and m.count == 2  # nans count as one value
    for shape, axis in (((0,), 0), ((0, 2, 3), -3), ((0, 2, 3), -1)):
        e = stats.mode(np.zeros(shape), axis=axis, keepdims=True)
        r = ss.mode(np.zeros(shape), axis=axis, keepdims=True)
        assert e.mode.shape == r.mode.shape
        _same(e.mode, r.mode)


def test_poisson_entropy_matches_scipy_and_an_exact_sum_beyond_it():
    mu = np.array([-1.0, 0.0, 1e-8, 0.01, 0.5, 2.0, 9.0, 99.0, 199.9, 200.1, 500.0])
    _same(stats.poisson.entropy(mu), ss.poisson.entropy(mu))
    assert stats.poisson.entropy(np.ones(4), np.zeros((2, 1, 4))).shape == (2, 1, 4)  # with loc
    # scipy's truncated sum drifts at large mu (6.0216 at 1e4); the exact sum, from the pmf:
    k = np.arange(0, 30000)
    p = ss.poisson.pmf(k, 1e4)
    exact = -np.sum(p[p > 0] * np.log(p[p > 0]))  # scipy's pmf is good to ~1e-11 here
    np.testing.assert_allclose(stats.poisson.entropy(1e4), exact, rtol=1e-9)
    assert stats.poisson.entropy(np.float32(3.0)).dtype == np.float32
    assert gradcheck(stats.poisson.entropy, (Tensor(np.array([0.3, 5.0, 150.0, 300.0]), requires_grad=True),))


def test_poisson_logpmf_at_k_zero_has_slope_minus_one_even_at_mu_zero():
    for mu in (0.0, 1e-12, 2.0):
        r = Tensor(np.array(mu), requires_grad=True)
        stats.poisson.logpmf(0.0, r).backward()
        assert r.grad == -1.0  # was nan at mu = 0 (0 * log 0's 0/0)
    assert gradcheck(
        lambda m: stats.poisson.logpmf(np.array([0.0, 3.0]), m), (Tensor(1.7, requires_grad=True),)
    )


def test_multivariate_normal_with_a_batch_of_covariances():
    rng = np.random.default_rng(3)
    ref = np.vectorize(ss.multivariate_normal.logpdf, signature="(n),(n),(n,n)->()")
    for xs, ms, cs in (
        ((5, 3, 2), (5, 3, 2), (5, 3, 2, 2)),
        ((1, 3, 2), (3, 2), (5, 1, 2, 2)),
        ((2,), (2,), (4, 2, 2)),
    ):
        x, m, f = rng.normal(size=xs), rng.normal(size=ms), rng.normal(size=cs[:-1] + (2 * cs[-1],))
        c = f @ f.swapaxes(-1, -2)
        ours = stats.multivariate_normal.logpdf(x, m, c)
        assert ours.shape == np.broadcast_shapes(xs[:-1], ms[:-1], cs[:-2])
        np.testing.assert_array_equal(ours, ref(x, m, c))  # scipy's value, matrix by matrix
    x, m, f = rng.normal(size=(3, 2)), rng.normal(size=(2,)), rng.normal(size=(3, 2, 3))
    args = (Tensor(x, requires_grad=True), Tensor(m, requires_grad=True), Tensor(f, requires_grad=True))
    assert gradcheck(lambda a, b, g: stats.multivariate_normal.logpdf(a, b, g @ g.swapaxes(-1, -2)), args)


def test_gaussian_kde_float32_and_jax_resample_form():
    d = np.array([0.1, 0.5, 1.2, -0.3, 2.0, 0.7], np.float32)
    w = np.array([0.3, 1.1, 0.2, 0.9, 0.4, 0.6], np.float32)
    kde = stats.gaussian_kde(d, weights=w)
    r = kde.integrate_box_1d(-0.5, 1.5)
    assert r.dtype == np.float32  # was float64
    np.testing.assert_allclose(r, ss.gaussian_kde(d, weights=w).integrate_box_1d(-0.5, 1.5), rtol=1e-6)
    assert kde.resample(0, shape=()).shape == (1,)  # float32 weights: numpy refused their sum
    assert kde.resample(5, shape=(4, 3)).shape == (1, 4, 3)
    assert kde.resample(7, seed=1).shape == (1, 7)
    samples = kde.resample(3, shape=(4000,)).ravel()
    assert ss.kstest(samples, lambda t: np.array([kde.integrate_box_1d(-np.inf, v) for v in t])).pvalue > 0.01


def test_dirichlet_takes_the_first_k_minus_one_components_as_scipy():
    x = np.array([[0.2, 0.1, 0.25], [0.3, 0.6, 0.05]])
    alpha = np.array([1.5, 2.0, 0.7])
    np.testing.assert_allclose(stats.dirichlet.logpdf(x, alpha), ss.dirichlet.logpdf(x, alpha), rtol=1e-12)
    np.testing.assert_allclose(
        stats.dirichlet.pdf(x[:, 0], alpha), ss.dirichlet.pdf(x[:, 0], alpha), rtol=1e-12
    )
    assert gradcheck(lambda t: stats.dirichlet.logpdf(t, alpha), (Tensor(x, requires_grad=True),))


def test_t_logpdf_for_large_and_infinite_df():
    x = np.array([-3.0, 0.5, 10.0])
    for df in (0.3, 3.0, 99.9, 100.1, 1e4, 1e8, 1e17, np.inf):  # 1e17 gave -20.3 for -1.04, inf nan
        np.testing.assert_allclose(stats.t.logpdf(x, df, 0.2, 1.5), ss.t.logpdf(x, df, 0.2, 1.5), rtol=1e-11)
    np.testing.assert_allclose(stats.t.pdf(x, np.inf), ss.norm.pdf(x), rtol=1e-14)
    args = (Tensor(x, requires_grad=True), Tensor(np.array([0.7, 50.0, 300.0]), requires_grad=True))
    assert gradcheck(lambda a, b: stats.t.logpdf(a, b), args)


def test_f_cdf_and_sf_where_the_beta_argument_rounds_next_to_one():
    x = np.array([1e-10, 0.5, 3.0, 40.0, 5e9])
    for n, m in ((1e5, 0.3), (3.0, 4.0), (0.3, 1e5)):
        np.testing.assert_allclose(stats.f.cdf(x, n, m), ss.f.cdf(x, n, m), rtol=1e-12)  # 5e9: 1.5% off
        np.testing.assert_allclose(stats.f.sf(x, n, m), ss.f.sf(x, n, m), rtol=1e-10, atol=1e-300)
    _same(stats.f.sf(np.array([np.inf, -1.0]), 3.0, 4.0), ss.f.sf(np.array([np.inf, -1.0]), 3.0, 4.0))
    assert gradcheck(
        lambda t: stats.f.cdf(t, 3.0, 4.0), (Tensor(np.array([0.2, 1.0, 5.0]), requires_grad=True),)
    )
    assert gradcheck(
        lambda t: stats.f.sf(t, 3.0, 4.0), (Tensor(np.array([0.2, 1.0, 5.0]), requires_grad=True),)
    )
