"""The simplex, matrix and structural transforms (Softmax, StickBreaking, LowerCholesky,
PositiveDefinite, CorrCholesky, Independent, Reshape, Cat, Stack, CumulativeDistribution) against
torch's in float64: values, inverses, log |det J| and its gradient, shapes, attributes, caching and
equality; constraints cat / stack / corr_cholesky."""

from __future__ import annotations

import numpy as np
import pytest

import autobp
from autobp import distributions as D

torch = pytest.importorskip("torch")
T = torch.distributions

R = np.random.default_rng(7)


def _normal(L, loc, scale):
    if L is T:
        return T.Normal(torch.tensor(loc, dtype=torch.float64), torch.tensor(scale, dtype=torch.float64))
    return D.Normal(autobp.tensor(loc), autobp.tensor(scale))


MAKE = {
    "Softmax": (lambda L: L.transforms.SoftmaxTransform(), (2, 4)),
    "StickBreaking": (lambda L: L.transforms.StickBreakingTransform(), (3, 4)),
    "StickBreaking-1": (lambda L: L.transforms.StickBreakingTransform(), (1,)),
    "LowerCholesky": (lambda L: L.transforms.LowerCholeskyTransform(), (2, 3, 3)),
    "PositiveDefinite": (lambda L: L.transforms.PositiveDefiniteTransform(), (2, 3, 3)),
    "CorrCholesky": (lambda L: L.transforms.CorrCholeskyTransform(), (2, 6)),
    "CorrCholesky-2": (lambda L: L.transforms.CorrCholeskyTransform(), (1,)),
    "Independent": (
        lambda L: L.transforms.IndependentTransform(L.transforms.SigmoidTransform(), 2),
        (2, 3, 2),
    ),
    "Reshape": (lambda L: L.transforms.ReshapeTransform((2, 3), (3, 2)), (4, 2, 3)),
    "Cat-last": (
        lambda L: L.transforms.CatTransform(
            [L.transforms.ExpTransform(), L.transforms.identity_transform, L.transforms.TanhTransform()],
            dim=-1,
            lengths=[1, 2, 1],
        ),
        (3, 4),
    ),
    "Cat-batch-mixed": (
        lambda L: L.transforms.CatTransform(
            [L.transforms.ExpTransform(), L.transforms.IndependentTransform(L.transforms.ExpTransform(), 1)],
            dim=0,
            lengths=[1, 2],
        ),
        (3, 4),
    ),
    "Stack": (
        lambda L: L.transforms.StackTransform(
            [L.transforms.ExpTransform(), L.transforms.identity_transform, L.transforms.SigmoidTransform()],
            dim=1,
        ),
        (2, 3),
    ),
    "CDF": (lambda L: L.transforms.CumulativeDistributionTransform(_normal(L, 0.5, 2.0)), (2, 3)),
    "Inverse-StickBreaking": (lambda L: L.transforms.StickBreakingTransform().inv, None),
}
NO_LADJ = {"Softmax", "LowerCholesky", "PositiveDefinite"}


def _x(name, shape):
    if name == "Inverse-StickBreaking":
        return np.array([[0.2, 0.5, 0.3], [0.1, 0.1, 0.8]])
    return R.standard_normal(shape) * 0.8


@pytest.mark.parametrize("name", list(MAKE))
def test_values_inverse_and_log_det_as_torch(name):
    make, shape = MAKE[name]
    tt, at = make(T), make(D)
    x = _x(name, shape)
    xt, xa = torch.tensor(x, requires_grad=True), autobp.tensor(x, requires_grad=True)
    yt, ya = tt(xt), at(xa)
    np.testing.assert_allclose(ya.detach().numpy(), yt.detach().numpy(), rtol=1e-12, atol=1e-12)
    yv = yt.detach().numpy()
    np.testing.assert_allclose(
        at.inv(autobp.tensor(yv)).numpy(), tt.inv(torch.tensor(yv)).numpy(), rtol=1e-9, atol=1e-10
    )
    assert tuple(at.forward_shape(x.shape)) == tuple(tt.forward_shape(x.shape))
    assert tuple(at.inverse_shape(yv.shape)) == tuple(tt.inverse_shape(yv.shape))
    assert at.bijective == tt.bijective
    assert (at.domain.event_dim, at.codomain.event_dim) == (tt.domain.event_dim, tt.codomain.event_dim)
    if name in NO_LADJ:
        with pytest.raises(NotImplementedError):
            tt.log_abs_det_jacobian(xt, yt)
        with pytest.raises(NotImplementedError):
            at.log_abs_det_jacobian(xa, ya)
        loss_t, loss_a = (yt * yt).sum(), (ya * ya).sum()
    else:
        lt, la = tt.log_abs_det_jacobian(xt, yt), at.log_abs_det_jacobian(xa, ya)
        assert la.shape == tuple(lt.shape)
        np.testing.assert_allclose(la.detach().numpy(), lt.detach().numpy(), rtol=1e-10, atol=1e-12)
        loss_t, loss_a = lt.sum() + (yt * yt).sum(), la.sum() + (ya * ya).sum()
    (gt,) = torch.autograd.grad(loss_t, xt)
    loss_a.backward()
    np.testing.assert_allclose(np.asarray(xa.grad), gt.numpy(), rtol=1e-9, atol=1e-10)


@pytest.mark.parametrize("name", [n for n in MAKE if n not in NO_LADJ | {"Softmax"}])
def test_round_trip(name):
    make, shape = MAKE[name]
    at = make(D)
    x = autobp.tensor(_x(name, shape))
    np.testing.assert_allclose(at.inv(at(x)).numpy(), x.numpy(), rtol=1e-9, atol=1e-10)


def test_lower_cholesky_and_positive_definite_round_trip_and_codomain():
    x = autobp.tensor(np.tril(R.standard_normal((2, 3, 3))))
    for t in (D.LowerCholeskyTransform(), D.PositiveDefiniteTransform()):
        y = t(x)
        assert t.codomain.check(y).all()
        np.testing.assert_allclose(t.inv(y).numpy(), x.numpy(), atol=1e-10)


def test_corr_cholesky_gradcheck_and_codomain():
    x = autobp.tensor(R.standard_normal((2, 10)), requires_grad=True)
    t = D.CorrCholeskyTransform()
    assert autobp.gradcheck(lambda v: t(v), (x,))
    assert autobp.gradcheck(lambda v: t.log_abs_det_jacobian(v, t(v)), (x,))
    y = t(x)
    assert y.shape == (2, 5, 5) and D.constraints.corr_cholesky.check(y).all()
    assert torch.all(T.constraints.corr_cholesky.check(torch.tensor(y.numpy())))


def test_attributes_errors_repr_as_torch():
    for name in MAKE:
        tt, at = MAKE[name][0](T), MAKE[name][0](D)
        for attr in ("sign", "event_dim"):
            try:
                expect = getattr(tt, attr)
            except (NotImplementedError, ValueError) as e:
                with pytest.raises(type(e)):
                    getattr(at, attr)
            else:
                assert getattr(at, attr) == expect, (name, attr)
        assert repr(at) == repr(tt)
        assert (repr(at.domain), repr(at.codomain)) == (repr(tt.domain), repr(tt.codomain))


def test_equality_cache_and_inverse_identity():
    assert (
        D.SoftmaxTransform() == D.SoftmaxTransform()
        and D.StickBreakingTransform() == D.StickBreakingTransform()
    )
    assert D.LowerCholeskyTransform() == D.LowerCholeskyTransform() != D.PositiveDefiniteTransform()
    c = D.CorrCholeskyTransform()
    assert c == c and c != D.CorrCholeskyTransform()  # torch: identity only
    assert (T.transforms.CorrCholeskyTransform() == T.transforms.CorrCholeskyTransform()) is False
    s = D.StickBreakingTransform()
    assert s.inv is s.inv and s.inv.inv is s and s.inv == D.StickBreakingTransform().inv
    assert repr(D.IndependentTransform(D.ExpTransform(), 1).inv) == repr(
        T.transforms.IndependentTransform(T.transforms.ExpTransform(), 1).inv
    )
    comp = D.transforms.ComposeTransform([D.ExpTransform(), D.StickBreakingTransform()])
    assert comp.inv.inv is comp
    cached = s.with_cache(1)
    assert cached is not s and cached.with_cache(1) is cached and s.with_cache(0) is s
    x = autobp.tensor(R.standard_normal(3))
    y = cached(x)
    assert cached.inv(y) is x and cached(x) is y
    ind = D.IndependentTransform(D.ExpTransform(), 1, cache_size=1)
    assert ind.base_transform._cache_size == 1 and ind.with_cache(0)._cache_size == 0
    cat = D.CatTransform([D.ExpTransform()], cache_size=1)
    assert cat.transforms[0]._cache_size == 1
    with pytest.raises(ValueError, match="cache_size"):
        D.StickBreakingTransform(cache_size=2)


def test_bad_input_errors_name_shapes():
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(5,\)"):
        D.ReshapeTransform((2, 3), (5,))
    with pytest.raises(ValueError, match=r"\(3, 2\)"):
        D.ReshapeTransform((2, 3), (6,))(autobp.tensor(np.zeros((3, 2))))
    with pytest.raises(ValueError, match=r"\(3, 4\).*expected 5"):
        D.CatTransform([D.ExpTransform(), D.ExpTransform()], dim=-1, lengths=[2, 3])(autobp.zeros((3, 4)))
    with pytest.raises(AssertionError):  # torch's error type for it
        D.StackTransform([D.ExpTransform()], dim=0)(autobp.zeros((3, 4)))
    with pytest.raises(ValueError, match=r"\(2, 3\)"):
        D.LowerCholeskyTransform()(autobp.zeros((2, 3)))
    with pytest.raises(ValueError, match="too few"):
        D.StickBreakingTransform()(autobp.tensor(1.0))
    with pytest.raises(ValueError, match="D \\(D - 1\\) / 2"):
        D.CorrCholeskyTransform().forward_shape((4,))
    with pytest.raises(ValueError, match="cannot be expressed"):
        D.CorrCholeskyTransform()(autobp.zeros(4))
    with pytest.raises(TypeError):
        D.CatTransform([D.ExpTransform(), 3])


def test_float32_stays_float32():
    x32 = autobp.tensor(R.standard_normal((2, 3)).astype(np.float32))
    for t in (D.StickBreakingTransform(), D.SoftmaxTransform(), D.CorrCholeskyTransform()):
        assert t(x32).dtype == np.float32
    sb = D.StickBreakingTransform()
    assert sb.log_abs_det_jacobian(x32, sb(x32)).dtype == np.float32


def test_structural_constraints_as_torch():
    v = R.standard_normal((3, 4))
    v[0, 0] = -1.0
    for make in (
        lambda C: C.cat([C.positive, C.real, C.unit_interval], dim=1, lengths=[1, 2, 1]),
        lambda C: C.stack([C.positive, C.real, C.nonnegative, C.unit_interval], dim=1),
        lambda C: C.stack([C.positive, C.real, C.unit_interval], dim=0),
    ):
        ct, ca = make(T.constraints), make(D.constraints)
        assert (ca.event_dim, ca.is_discrete) == (ct.event_dim, ct.is_discrete)
        assert repr(ca) == repr(ct)
        np.testing.assert_array_equal(np.asarray(ca.check(v)), ct.check(torch.tensor(v)).numpy())
    assert D.constraints.stack([D.constraints.simplex], dim=-2).event_dim == 2
    assert T.constraints.stack([T.constraints.simplex], dim=-2).event_dim == 2
    L = np.linalg.cholesky(np.array([[1.0, 0.3, 0.1], [0.3, 1.0, -0.2], [0.1, -0.2, 1.0]]))
    for m in (L, L * 1.01, np.eye(3), np.triu(L.T)):
        assert bool(D.constraints.corr_cholesky.check(m)) == bool(
            T.constraints.corr_cholesky.check(torch.tensor(m))
        )


def test_distributions_utils_as_torch():
    U, TU = D.utils, T.utils
    m = R.standard_normal((2, 4, 4))
    for diag in (-2, -1, 0, 1):
        vt = TU.tril_matrix_to_vec(torch.tensor(m), diag)
        np.testing.assert_array_equal(U.tril_matrix_to_vec(autobp.tensor(m), diag).numpy(), vt.numpy())
        back = U.vec_to_tril_matrix(autobp.tensor(vt.numpy()), diag).numpy()
        np.testing.assert_array_equal(back, TU.vec_to_tril_matrix(vt, diag).numpy())
    with pytest.raises(ValueError, match="cannot be expressed"):
        U.vec_to_tril_matrix(autobp.zeros(5))
    x = R.standard_normal((2, 3))
    for binary in (False, True):
        expect = TU.logits_to_probs(torch.tensor(x), is_binary=binary).numpy()
        np.testing.assert_allclose(U.logits_to_probs(autobp.tensor(x), is_binary=binary).numpy(), expect)
    assert U.euler_constant == pytest.approx(TU.euler_constant, abs=1e-16)


def test_second_order_gradients():
    x = autobp.tensor(R.standard_normal((2, 6)), requires_grad=True)
    for t in (D.StickBreakingTransform(), D.CorrCholeskyTransform()):
        assert autobp.gradgradcheck(lambda v, t=t: t.log_abs_det_jacobian(v, t(v)) + (t(v) ** 2).sum(), (x,))
    c = autobp.tensor([1.5, 0.7], requires_grad=True)
    y = D.LKJCholesky(3, c).sample()
    assert autobp.gradgradcheck(lambda cc: D.LKJCholesky(3, cc).log_prob(y), (c,))


def test_bijective_flags_as_torch():
    names = ["ExpTransform", "SigmoidTransform", "TanhTransform", "SoftplusTransform", "AbsTransform"]
    for n in names:
        assert getattr(D.transforms, n)().bijective == getattr(T.transforms, n)().bijective, n
    assert D.AffineTransform(0.0, 2.0).bijective and D.PowerTransform(2.0).bijective
    assert D.transforms.identity_transform.bijective == T.transforms.identity_transform.bijective

    class Mine(D.transforms.Transform):
        pass

    assert Mine().bijective is False  # PyTorch's default for a transform that does not say
    with pytest.raises(NotImplementedError):
        _ = Mine().sign


def test_transforms_pickle_after_inv_was_used():
    import pickle

    t = D.StickBreakingTransform()
    assert t.inv.inv is t
    t2 = pickle.loads(pickle.dumps(t))
    assert t2 == t and t2.inv.inv is t2
    c = D.transforms.ComposeTransform([D.ExpTransform(), D.AffineTransform(1.0, 2.0)])
    assert c.inv.inv is c
    c2 = pickle.loads(pickle.dumps(c))
    assert c2.inv.inv is c2 and c2(autobp.tensor(0.0)).item() == 3.0
