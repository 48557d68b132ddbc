"""Differences that PyTorch's own distributions tests found in autobp.distributions, each checked
against torch."""

import numpy as np
import pytest

import autobp
from autobp import distributions as D

torch = pytest.importorskip("torch")


def _np(t):
    return np.asarray(t.detach().numpy() if hasattr(t, "detach") else t)


def test_lazy_logits_after_sample_keep_their_gradient():
    # sample() runs under no_grad; a logits computed (and cached) there must still reach probs
    p = [[0.1, 0.2, 0.7], [0.5, 0.3, 0.2]]
    x = np.array([[0.2, 0.3, 0.5], [0.6, 0.3, 0.1]])
    pa = autobp.tensor(p, requires_grad=True)
    da = D.RelaxedOneHotCategorical(autobp.tensor([0.5]), probs=pa)
    da.sample()
    da.log_prob(autobp.tensor(x)).sum().backward()
    pt = torch.tensor(p, dtype=torch.float64, requires_grad=True)
    dt = torch.distributions.RelaxedOneHotCategorical(torch.tensor([0.5], dtype=torch.float64), probs=pt)
    dt.sample()
    dt.log_prob(torch.tensor(x)).sum().backward()
    assert pa.grad is not None
    np.testing.assert_allclose(pa.grad, _np(pt.grad), rtol=1e-9)


def test_categorical_logits_cached_under_no_grad_keep_gradient():
    p = [0.2, 0.3, 0.5]
    pa = autobp.tensor(p, requires_grad=True)
    d = D.Categorical(probs=pa)
    with autobp.no_grad():
        d.logits  # noqa: B018  first use inside no_grad caches it
    d.log_prob(autobp.tensor(2)).backward()
    pt = torch.tensor(p, dtype=torch.float64, requires_grad=True)
    torch.distributions.Categorical(probs=pt).log_prob(torch.tensor(2)).backward()
    np.testing.assert_allclose(pa.grad, _np(pt.grad), rtol=1e-9)


@pytest.mark.parametrize("name", ["Geometric", "Poisson"])
def test_scalar_parameter_sample_is_a_0d_float_tensor(name):
    s = getattr(D, name)(0.3).sample()
    st = getattr(torch.distributions, name)(0.3).sample()
    assert s.shape == tuple(st.shape) == ()
    assert s.dtype.kind == "f"


def test_negative_binomial_zero_total_count_samples_zero():
    probs = [[0.9, 0.0], [0.0, 0.9]]
    d = D.NegativeBinomial(autobp.tensor(0.0), probs=autobp.tensor(probs))
    dt = torch.distributions.NegativeBinomial(torch.tensor(0.0), probs=torch.tensor(probs))
    np.testing.assert_array_equal(d.sample((3,)), _np(dt.sample((3,))))
    mixed = D.NegativeBinomial(autobp.tensor([0.0, 5.0]), probs=autobp.tensor([0.5, 0.5])).sample((50,))
    assert np.all(_np(mixed)[:, 0] == 0) and mixed.shape == (50, 2)


def test_beta_mode_on_a_tie_below_one_is_one_as_torch():
    c = [0.5, 0.3]
    m = D.Beta(autobp.tensor(c), autobp.tensor(c)).mode
    mt = torch.distributions.Beta(torch.tensor(c), torch.tensor(c)).mode
    np.testing.assert_array_equal(m, _np(mt))


def test_geometric_probs_zero_is_rejected_as_torch():
    with pytest.raises(ValueError):
        torch.distributions.Geometric(0.0, validate_args=True)
    with pytest.raises(ValueError, match="positive"):
        D.Geometric(0.0)
    with pytest.raises(ValueError):
        D.Geometric(autobp.tensor([0.5, 0.0]))
    assert D.Geometric(0.0, validate_args=False).batch_shape == ()


def test_binomial_scalar_parameters_sample_0d():
    s = D.Binomial(100, 0.0).sample()
    st = torch.distributions.Binomial(100, torch.tensor(0.0)).sample()
    assert s.shape == tuple(st.shape) == ()
    assert float(s) == float(st) == 0.0
    assert float(D.Binomial(100, 1.0).sample()) == 100.0


@pytest.mark.parametrize(
    "make",
    [
        lambda ns: ns.Chi2(ns_tensor(ns, [1.0, 2.0])),
        lambda ns: ns.Independent(ns.Normal(ns_tensor(ns, [0.0, 1.0]), 1.0), 1),
        lambda ns: ns.MixtureSameFamily(
            ns.Categorical(ns_tensor(ns, [0.3, 0.7])), ns.Normal(ns_tensor(ns, [0.0, 1.0]), 1.0)
        ),
    ],
)
def test_expand_of_a_subclass_keeps_the_subclass(make):
    for ns in (D, torch.distributions):
        base = type(make(ns))
        sub = type("Sub", (base,), {})
        d = make(ns)
        d.__class__ = sub
        e = d.expand((3,) + tuple(d.batch_shape))
        assert type(e) is sub
        assert tuple(e.sample().shape) == (3,) + tuple(d.batch_shape) + tuple(d.event_shape)


def ns_tensor(ns, values):
    return autobp.tensor(values) if ns is D else torch.tensor(values, dtype=torch.float64)


def test_lowrank_mvn_precision_matrix_as_torch():
    rng = np.random.default_rng(0)
    loc, w, d = rng.standard_normal(4), rng.standard_normal((4, 2)), rng.random(4) + 0.5
    got = D.LowRankMultivariateNormal(autobp.tensor(loc), autobp.tensor(w), autobp.tensor(d)).precision_matrix
    want = torch.distributions.LowRankMultivariateNormal(torch.tensor(loc), torch.tensor(w), torch.tensor(d))
    np.testing.assert_allclose(got, _np(want.precision_matrix), rtol=1e-9)


def test_mixture_of_binomials_log_prob_with_per_component_total_count():
    rng = np.random.default_rng(1)
    w = rng.random((10, 5))
    bp = rng.random((10, 5))
    x = np.arange(10.0)
    got = D.MixtureSameFamily(D.Categorical(probs=autobp.tensor(w)), D.Binomial(20, autobp.tensor(bp)))
    td = torch.distributions
    tmix = td.MixtureSameFamily(td.Categorical(probs=torch.tensor(w)), td.Binomial(20, torch.tensor(bp)))
    np.testing.assert_allclose(got.log_prob(autobp.tensor(x)), _np(tmix.log_prob(torch.tensor(x))), rtol=1e-9)
    assert np.array_equal(got.support.check(autobp.tensor(x)), _np(tmix.support.check(torch.tensor(x))))
    bad = np.full(10, 21.0)
    assert not np.any(got.support.check(autobp.tensor(bad)))
    with pytest.raises(ValueError):
        got.log_prob(autobp.tensor(bad))


_R = np.random.default_rng(7)
_POS = _R.random(4) + 0.5
_LOC = _R.standard_normal(4)
_FAMILIES = {
    "Normal": (_LOC, _POS),
    "Laplace": (_LOC[::-1].copy(), _POS[::-1].copy()),
    "Gumbel": (_LOC * 0.5, _POS * 1.5),
    "Exponential": (_POS * 0.7,),
    "Gamma": (_POS * 2.0, _POS[::-1] * 1.3),
    "Beta": (_POS * 1.5, _POS[::-1] * 2.5),
    "Poisson": (_POS,),
    "Bernoulli": (np.array([0.2, 0.5, 0.7, 0.9]),),
    # mixed: entries outside and inside (0, 1) so both branches of the support check are used
    "Uniform": (np.array([-0.5, 0.1, 0.2, 0.05]), np.array([0.5, 0.8, 1.4, 0.95])),
}
_TORCH_PAIRS = {(p.__name__, q.__name__) for p, q in torch.distributions.kl._KL_REGISTRY}
_CROSS = [(p, q) for p in _FAMILIES for q in _FAMILIES if p != q and (p, q) in _TORCH_PAIRS]


@pytest.mark.parametrize(("p_name", "q_name"), _CROSS)
def test_cross_family_kl_value_and_gradient_as_torch(p_name, q_name):
    td = torch.distributions
    tp = [torch.tensor(a, requires_grad=True) for a in _FAMILIES[p_name]]
    tq = [torch.tensor(a, requires_grad=True) for a in _FAMILIES[q_name]]
    want = td.kl_divergence(getattr(td, p_name)(*tp, validate_args=False), getattr(td, q_name)(*tq))
    ap = [autobp.tensor(a, requires_grad=True) for a in _FAMILIES[p_name]]
    aq = [autobp.tensor(a, requires_grad=True) for a in _FAMILIES[q_name]]
    got = D.kl_divergence(getattr(D, p_name)(*ap, validate_args=False), getattr(D, q_name)(*aq))
    np.testing.assert_allclose(got, _np(want), rtol=1e-7)
    fin = np.isfinite(_np(want))
    if fin.any():
        want[torch.tensor(fin)].sum().backward()
        got[autobp.tensor(fin)].sum().backward()
        for a, t in zip(ap + aq, tp + tq):
            ga = np.asarray(a.grad) if a.grad is not None else np.zeros(a.shape)
            gt = _np(t.grad) if t.grad is not None else np.zeros(a.shape)
            # where torch's gradient is nan (entries masked to +inf leak 0 * nan), autobp's is finite
            assert np.all(np.isfinite(ga))
            ok = ~np.isnan(gt)
            np.testing.assert_allclose(ga[ok], gt[ok], rtol=1e-6, atol=1e-12)


def test_lowrank_mvn_kl_pairs_as_torch():
    rng = np.random.default_rng(3)
    loc, w, d = rng.standard_normal((2, 3)), rng.standard_normal((3, 2)), rng.random(3) + 0.5
    a = rng.standard_normal((3, 3))
    cov = a @ a.T + 3 * np.eye(3)
    td = torch.distributions
    t_lr = td.LowRankMultivariateNormal(torch.tensor(loc), torch.tensor(w), torch.tensor(d))
    t_mvn = td.MultivariateNormal(torch.tensor(loc[::-1].copy()), torch.tensor(cov))
    a_lr = D.LowRankMultivariateNormal(autobp.tensor(loc), autobp.tensor(w), autobp.tensor(d))
    a_mvn = D.MultivariateNormal(autobp.tensor(loc[::-1].copy()), autobp.tensor(cov))
    for (ap, aq), (tp, tq) in [
        ((a_lr, a_mvn), (t_lr, t_mvn)),
        ((a_mvn, a_lr), (t_mvn, t_lr)),
        ((a_lr, a_lr), (t_lr, t_lr)),
    ]:
        np.testing.assert_allclose(
            D.kl_divergence(ap, aq), _np(td.kl_divergence(tp, tq)), rtol=1e-8, atol=1e-12
        )


def _affine_exp(ns, mod, loc, scale):
    return mod.ComposeTransform([mod.AffineTransform(ns(loc), ns(scale), event_dim=1), mod.ExpTransform()])


def test_compose_of_an_event_transform_acts_on_events_as_torch():
    rng = np.random.default_rng(5)
    x, loc, scale = rng.standard_normal((4, 3)), rng.standard_normal(3), rng.standard_normal(3)
    tt = torch.distributions.transforms
    tc = _affine_exp(torch.tensor, tt, loc, scale)
    ac = _affine_exp(autobp.tensor, D.transforms, loc, scale)
    assert (
        (ac.domain.event_dim, ac.codomain.event_dim) == (tc.domain.event_dim, tc.codomain.event_dim) == (1, 1)
    )
    xt = torch.tensor(x)
    want = tc.log_abs_det_jacobian(xt, tc(xt))
    np.testing.assert_allclose(
        ac.log_abs_det_jacobian(autobp.tensor(x), ac(autobp.tensor(x))), _np(want), rtol=1e-10
    )
    td = torch.distributions.TransformedDistribution(torch.distributions.Normal(xt, 1.0), [tc])
    ad = D.TransformedDistribution(D.Normal(autobp.tensor(x), 1.0), [ac])
    assert ad.event_shape == tuple(td.event_shape) == (3,)
    y = td.sample()
    np.testing.assert_allclose(ad.log_prob(autobp.tensor(y.numpy())), _np(td.log_prob(y)), rtol=1e-10)


def test_transform_forward_and_inverse_shapes_as_torch():
    tt = torch.distributions.transforms
    pairs = [
        (tt.ExpTransform(), D.transforms.ExpTransform()),
        (tt.AffineTransform(torch.zeros(3), 2.0), D.transforms.AffineTransform(autobp.zeros(3), 2.0)),
        (
            tt.AffineTransform(torch.zeros(2, 1), torch.ones(3)),
            D.transforms.AffineTransform(autobp.zeros((2, 1)), autobp.ones(3)),
        ),
    ]
    pairs.append(
        (tt.ComposeTransform([p[0] for p in pairs]), D.transforms.ComposeTransform([p[1] for p in pairs]))
    )
    pairs.append((pairs[-1][0].inv, pairs[-1][1].inv))
    for t, a in pairs:
        for shape in [(), (3,), (5, 1, 3)]:
            assert a.forward_shape(shape) == tuple(t.forward_shape(shape))
            assert a.inverse_shape(shape) == tuple(t.inverse_shape(shape))


def test_abs_transform_has_no_sign_as_torch():
    with pytest.raises(NotImplementedError):
        torch.distributions.transforms.AbsTransform().sign  # noqa: B018
    with pytest.raises(NotImplementedError, match="monotone"):
        D.transforms.AbsTransform().sign  # noqa: B018
    assert D.transforms.ExpTransform().inv.sign == 1
    assert (
        D.transforms.AffineTransform(0.0, -2.0).inv.sign
        == torch.distributions.transforms.AffineTransform(0.0, -2.0).inv.sign
    )


def test_one_hot_straight_through_rsample_value_and_gradient_as_torch():
    p = [[0.1, 0.2, 0.7], [0.5, 0.3, 0.2]]
    w = np.array([[1.0, -2.0, 3.0], [0.5, 4.0, -1.0]])
    pa = autobp.tensor(p, requires_grad=True)
    da = D.OneHotCategoricalStraightThrough(probs=pa)
    s = da.rsample()
    assert s.shape == (2, 3) and np.all(np.isin(s.numpy(), [0.0, 1.0])) and da.has_rsample
    (s * autobp.tensor(w)).sum().backward()
    pt = torch.tensor(p, dtype=torch.float64, requires_grad=True)
    st = torch.distributions.OneHotCategoricalStraightThrough(probs=pt).rsample()
    (st * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(pa.grad, pt.grad.numpy(), rtol=1e-12)
    assert type(da.expand((4, 2))) is D.OneHotCategoricalStraightThrough


@pytest.mark.parametrize("name", ["lower_triangular", "square", "symmetric", "positive_semidefinite"])
def test_matrix_constraints_check_as_torch(name):
    tc = torch.distributions.constraints
    rng = np.random.default_rng(9)
    a = rng.standard_normal((4, 3, 3))
    for v in (
        a,
        a @ np.swapaxes(a, -1, -2),
        np.tril(a),
        a + np.swapaxes(a, -1, -2),
        rng.standard_normal((2, 3, 4)),
    ):
        got = np.asarray(getattr(D.constraints, name).check(autobp.tensor(v)))
        np.testing.assert_array_equal(got, getattr(tc, name).check(torch.tensor(v)).numpy())
    assert getattr(D.constraints, name).event_dim == getattr(tc, name).event_dim == 2


def test_multinomial_and_dependent_constraints_as_torch():
    tc = torch.distributions.constraints
    m = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [-1.0, 0.0, 0.0]])
    got = D.constraints.multinomial(10).check(autobp.tensor(m))
    np.testing.assert_array_equal(got, tc.multinomial(10).check(torch.tensor(m)).numpy())
    assert D.constraints.is_dependent(D.constraints.dependent) and not D.constraints.is_dependent(
        D.constraints.real
    )
    assert D.constraints.dependent(event_dim=1).event_dim == tc.dependent(event_dim=1).event_dim == 1
    with pytest.raises(NotImplementedError):
        D.constraints.dependent.event_dim  # noqa: B018
    with pytest.raises(ValueError, match="dependent"):
        D.constraints.dependent.check(1.0)
