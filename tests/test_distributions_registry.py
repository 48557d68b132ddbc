"""biject_to / transform_to (PyTorch's constraint registries) and the distributions built on the new
transforms, LogisticNormal and LKJCholesky, against torch in float64: which transform each constraint
gets, TransformedDistribution(base, biject_to(c)) log densities and their gradients, registration of
user constraints; LKJCholesky's sampler against the LKJ marginals."""

from __future__ import annotations

import numpy as np
import pytest

import autobp
from autobp import distributions as D

torch = pytest.importorskip("torch")
T = torch.distributions
F64 = torch.float64
R = np.random.default_rng(3)


def _tensor(L, v):
    return torch.tensor(v, dtype=F64) if L is T else autobp.tensor(np.asarray(v, dtype=float))


CONSTRAINTS = {
    "real": (lambda L, C: C.real, (4, 3)),
    "positive": (lambda L, C: C.positive, (4, 3)),
    "nonnegative": (lambda L, C: C.nonnegative, (4, 3)),
    "greater_than": (lambda L, C: C.greater_than(2.0), (4, 3)),
    "greater_than_eq": (lambda L, C: C.greater_than_eq(-1.0), (4, 3)),
    "less_than": (lambda L, C: C.less_than(3.0), (4, 3)),
    "interval": (lambda L, C: C.interval(-1.0, 2.0), (4, 3)),
    "interval-tensor": (
        lambda L, C: C.interval(_tensor(L, [0.0, 1.0, -2.0]), _tensor(L, [1.0, 3.0, 0.0])),
        (4, 3),
    ),
    "half_open_interval": (lambda L, C: C.half_open_interval(0.0, 1.5), (4, 3)),
    "unit_interval": (lambda L, C: C.unit_interval, (4, 3)),
    "real_vector": (lambda L, C: C.real_vector, (4, 3)),
    "independent": (lambda L, C: C.independent(C.positive, 1), (4, 3)),
    "simplex": (lambda L, C: C.simplex, (4, 3)),
    "corr_cholesky": (lambda L, C: C.corr_cholesky, (2, 6)),
    "cat": (lambda L, C: C.cat([C.positive, C.real], dim=-1, lengths=[2, 1]), (4, 3)),
    "stack": (lambda L, C: C.stack([C.positive, C.unit_interval, C.real], dim=0), (3, 4)),
}
NOT_BIJECTABLE = {
    "lower_cholesky": lambda L, C: C.lower_cholesky,
    "positive_definite": lambda L, C: C.positive_definite,
    "positive_semidefinite": lambda L, C: C.positive_semidefinite,
    "integer_interval": lambda L, C: C.integer_interval(0, 3),
    "boolean": lambda L, C: C.boolean,
}


@pytest.mark.parametrize("name", list(CONSTRAINTS))
def test_biject_to_transformed_log_prob_as_torch(name):
    make, shape = CONSTRAINTS[name]
    ct, ca = make(T, T.constraints), make(D, D.constraints)
    tt, ta = T.biject_to(ct), D.biject_to(ca)
    assert repr(ta) == repr(tt)
    assert repr(D.transform_to(ca)) == repr(T.transform_to(ct))
    loc = R.standard_normal(shape) * 0.5
    lt = torch.tensor(loc, dtype=F64, requires_grad=True)
    la = autobp.tensor(loc, requires_grad=True)
    dt = T.TransformedDistribution(T.Normal(lt, torch.tensor(0.7, dtype=F64)), [tt])
    da = D.TransformedDistribution(D.Normal(la, 0.7), [ta])
    assert (da.batch_shape, da.event_shape) == (tuple(dt.batch_shape), tuple(dt.event_shape))
    assert da.support.event_dim == dt.support.event_dim
    y = dt.sample(() if name == "stack" else (2,))  # torch's StackTransform: dim counted with the sample axes
    assert ca.check(y.numpy()).all() and ct.check(y).all()
    pt, pa = dt.log_prob(y), da.log_prob(autobp.tensor(y.numpy()))
    np.testing.assert_allclose(pa.detach().numpy(), pt.detach().numpy(), rtol=1e-9, atol=1e-10)
    pt.sum().backward()
    pa.sum().backward()
    np.testing.assert_allclose(np.asarray(la.grad), lt.grad.numpy(), rtol=1e-9, atol=1e-10)
    x = autobp.tensor(R.standard_normal(shape))
    np.testing.assert_allclose(ta.inv(ta(x)).numpy(), x.numpy(), rtol=1e-8, atol=1e-9)


@pytest.mark.parametrize("name", list(NOT_BIJECTABLE))
def test_unregistered_constraints_raise_as_torch(name):
    ct, ca = NOT_BIJECTABLE[name](T, T.constraints), NOT_BIJECTABLE[name](D, D.constraints)
    with pytest.raises(NotImplementedError) as et:
        T.biject_to(ct)
    with pytest.raises(NotImplementedError, match=type(ca).__name__) as ea:
        D.biject_to(ca)
    assert str(ea.value) == str(et.value)
    try:
        expect = repr(T.transform_to(ct))
    except NotImplementedError:
        with pytest.raises(NotImplementedError):
            D.transform_to(ca)
    else:
        assert repr(D.transform_to(ca)) == expect


def test_transform_to_values_as_torch():
    x = R.standard_normal((2, 3, 3))
    for name in ("simplex", "lower_cholesky", "positive_definite"):
        tt = T.transform_to(getattr(T.constraints, name))
        ta = D.transform_to(getattr(D.constraints, name))
        v = x[..., 0, :] if name == "simplex" else x
        y = ta(autobp.tensor(v))
        np.testing.assert_allclose(y.numpy(), tt(torch.tensor(v)).numpy(), rtol=1e-12, atol=1e-12)
        assert getattr(D.constraints, name).check(y).all()


def test_register_user_constraint():
    class Positive3(D.constraints.Constraint):
        def check(self, value):
            return np.asarray(value) > 3

    reg = D.constraint_registry.ConstraintRegistry()

    @reg.register(Positive3)
    def _make(constraint):
        return D.transforms.ComposeTransform([D.ExpTransform(), D.AffineTransform(3.0, 1.0)])

    t = reg(Positive3())
    assert t(autobp.tensor(0.0)).item() == pytest.approx(4.0)
    reg.register(Positive3(), lambda c: D.ExpTransform())  # an instance registers its class
    assert isinstance(reg(Positive3()), D.ExpTransform)
    with pytest.raises(TypeError, match="Constraint subclass or instance"):
        reg.register(int, lambda c: D.ExpTransform())
    with pytest.raises(NotImplementedError, match="_Real"):
        reg(D.constraints.real)
    assert D.biject_to is D.constraint_registry.biject_to


def test_logistic_normal_as_torch():
    loc, scale = R.standard_normal((2, 3)), np.abs(R.standard_normal((2, 3))) + 0.3
    lt, st = torch.tensor(loc, requires_grad=True), torch.tensor(scale, requires_grad=True)
    la, sa = autobp.tensor(loc, requires_grad=True), autobp.tensor(scale, requires_grad=True)
    dt, da = T.LogisticNormal(lt, st), D.LogisticNormal(la, sa)
    assert (da.batch_shape, da.event_shape) == ((2,), (4,))
    assert repr(da.support) == repr(dt.support) and da.has_rsample
    y = dt.sample((5,))
    pt, pa = dt.log_prob(y), da.log_prob(autobp.tensor(y.numpy()))
    np.testing.assert_allclose(pa.detach().numpy(), pt.detach().numpy(), rtol=1e-10)
    pt.sum().backward()
    pa.sum().backward()
    np.testing.assert_allclose(np.asarray(la.grad), lt.grad.numpy(), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(np.asarray(sa.grad), st.grad.numpy(), rtol=1e-9, atol=1e-12)
    assert np.allclose(da.loc.detach().numpy(), loc) and np.allclose(da.scale.detach().numpy(), scale)
    e = da.expand((3, 2))
    assert type(e) is D.LogisticNormal and (e.batch_shape, e.event_shape) == ((3, 2), (4,))
    np.testing.assert_allclose(
        e.log_prob(autobp.tensor(y[0].numpy())).detach().numpy(),
        dt.expand((3, 2)).log_prob(y[0]).detach().numpy(),
        rtol=1e-10,
    )
    s = da.rsample((7,))
    assert s.shape == (7, 2, 4) and D.constraints.simplex.check(s).all()
    d0t, d0a = (
        T.LogisticNormal(torch.tensor(0.3, dtype=F64), torch.tensor(1.2, dtype=F64)),
        D.LogisticNormal(0.3, 1.2),
    )
    assert (d0a.batch_shape, d0a.event_shape) == (tuple(d0t.batch_shape), tuple(d0t.event_shape))
    v = np.array([0.3, 0.7])
    np.testing.assert_allclose(d0a.log_prob(v).numpy(), d0t.log_prob(torch.tensor(v)).numpy(), rtol=1e-12)
    with pytest.raises(ValueError, match="support"):
        da.log_prob(np.full((2, 4), 0.5))
    with pytest.raises(NotImplementedError):
        _ = da.mean


@pytest.mark.parametrize("dim,conc", [(2, 0.5), (3, [1.0, 2.5]), (5, [[0.3], [4.0]])])
def test_lkj_cholesky_log_prob_as_torch(dim, conc):
    ct = torch.tensor(conc, dtype=F64, requires_grad=True)
    ca = autobp.tensor(conc, requires_grad=True)
    dt, da = T.LKJCholesky(dim, ct), D.LKJCholesky(dim, ca)
    assert (da.batch_shape, da.event_shape) == (tuple(dt.batch_shape), tuple(dt.event_shape))
    assert repr(da.support) == repr(dt.support) and not da.has_rsample
    y = dt.sample((3,))
    pt, pa = dt.log_prob(y), da.log_prob(autobp.tensor(y.numpy()))
    np.testing.assert_allclose(pa.detach().numpy(), pt.detach().numpy(), rtol=1e-10, atol=1e-12)
    pt.sum().backward()
    pa.sum().backward()
    np.testing.assert_allclose(np.asarray(ca.grad), ct.grad.numpy(), rtol=1e-9, atol=1e-12)
    s = da.sample((4,))
    assert s.shape == (4,) + tuple(dt.batch_shape) + (dim, dim)
    assert (
        D.constraints.corr_cholesky.check(s).all()
        and T.constraints.corr_cholesky.check(torch.tensor(s.numpy())).all()
    )
    e = da.expand((2,) + da.batch_shape)
    assert e.batch_shape == (2,) + da.batch_shape and e.sample().shape == e.batch_shape + (dim, dim)
    np.testing.assert_allclose(
        e.log_prob(autobp.tensor(y[0].numpy())).detach().numpy(),
        dt.expand((2,) + dt.batch_shape).log_prob(y[0]).detach().numpy(),
        rtol=1e-10,
    )


def test_lkj_cholesky_samples_follow_lkj_marginals():
    # Each correlation r_ij of LKJ(eta) in d dimensions is 2 B - 1 with B ~ Beta(a, a), a = eta - 1 + d / 2,
    # so E[r_ij^2] = 1 / (2 a + 1) for every pair (i, j).
    autobp.manual_seed(0)
    for d, eta in ((3, 2.0), (4, 0.7)):
        L = D.LKJCholesky(d, eta).sample((20000,)).numpy()
        corr = L @ np.swapaxes(L, -1, -2)
        np.testing.assert_allclose(np.diagonal(corr, axis1=-2, axis2=-1), 1.0, atol=1e-12)
        second = (corr**2).mean(0)[np.tril_indices(d, -1)]
        np.testing.assert_allclose(second, 1.0 / (2 * (eta - 1 + d / 2) + 1), atol=0.012)


def test_lkj_cholesky_bad_input():
    with pytest.raises(ValueError, match="dim=1"):
        D.LKJCholesky(1)
    with pytest.raises(ValueError, match="concentration"):
        D.LKJCholesky(3, -1.0)
    with pytest.raises(ValueError, match="support"):
        D.LKJCholesky(3).log_prob(np.eye(3) * 2)
    with pytest.raises(ValueError, match="event_shape"):
        D.LKJCholesky(3).log_prob(np.eye(2))
