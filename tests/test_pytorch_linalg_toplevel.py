"""PyTorch's top-level matrix, sampling and integration functions (lu_unpack, triangular_solve,
svd_lowrank, igamma, poisson, range, rsub, fill, trapz, ...) against PyTorch and maths."""

import numpy as np
import pytest

import autobp

from .torch_compare import Const, compare

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.filterwarnings("ignore:.*(deprecated|chain_matmul|range):UserWarning")

R = np.random.default_rng(0)


def rn(*shape):
    return R.standard_normal(shape)


def tri(n, upper=True, batch=()):
    a = rn(*batch, n, n) + 3 * np.eye(n)
    return np.triu(a) if upper else np.tril(a)


CASES = [
    ("chain_matmul", (rn(2, 3), rn(3, 4), rn(4, 2)), {}),
    ("frobenius_norm", (rn(3, 4), (0, 1)), {}),
    ("frobenius_norm", (rn(2, 3, 4), 1, True), {}),
    ("nuclear_norm", (rn(3, 4),), {}),
    ("nuclear_norm", (rn(3, 4), True), {}),
    ("nuclear_norm", (rn(2, 3, 4), (1, 2)), {}),
    ("triangular_solve", (rn(3, 2), rn(3, 3) + 3 * np.eye(3)), {}),
    ("triangular_solve", (rn(2, 3, 2), rn(3, 3) + 3 * np.eye(3)), dict(upper=False, transpose=True)),
    ("triangular_solve", (rn(3, 2), rn(2, 3, 3) + 3 * np.eye(3)), dict(unitriangular=True)),
    ("igamma", (Const(R.uniform(0.5, 3, 5)), R.uniform(0.1, 4, 5)), {}),
    ("igammac", (Const(R.uniform(0.5, 3, 5)), R.uniform(0.1, 4, 5)), {}),
    ("rsub", (rn(3, 2), rn(3, 2)), dict(alpha=2.5)),
    ("rsub", (rn(3, 2), 4.0), {}),
    ("trapz", (rn(3, 5),), dict(dim=1)),
    ("trapz", (rn(3, 5), np.sort(rn(3, 5), axis=0)), dict(dim=0)),
    ("trapz", (rn(3, 5),), dict(dx=0.3)),
    ("cumulative_trapezoid", (rn(4, 3),), dict(dim=0, dx=2.0)),
    ("cumulative_trapezoid", (rn(4, 3), np.sort(rn(4, 3), axis=1)), {}),
]


@pytest.mark.parametrize(("name", "args", "kwargs"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_matches_torch(name, args, kwargs):
    compare(
        lambda *a: getattr(autobp, name)(*a, **kwargs),
        lambda *a: getattr(torch, name)(*a, **kwargs),
        *args,
        rtol=1e-8,
    )


@pytest.mark.parametrize("shape", [(4, 3), (3, 5), (2, 4, 4)])
def test_lu_unpack_matches_torch_and_differentiates_l_u(shape):
    LU, piv = torch.linalg.lu_factor(torch.tensor(rn(*shape)))
    lu = LU.numpy()
    compare(
        lambda x: autobp.lu_unpack(x, piv.numpy()),
        lambda x: torch.lu_unpack(x, piv),
        lu,
    )
    P, L, U = autobp.lu_unpack(lu, piv.numpy(), unpack_pivots=False)
    assert P.size == 0 and L.shape == torch.lu_unpack(LU, piv).L.shape


def test_triangular_solve_returns_the_named_pair():
    a, b = tri(3), rn(3, 2)
    sol, coef = autobp.triangular_solve(b, a)
    np.testing.assert_allclose(a @ sol.data, b, atol=1e-12)
    np.testing.assert_array_equal(coef.data, a)
    assert autobp.triangular_solve(b, a).solution is not None
    with pytest.raises(ValueError, match="triangular_solve"):
        autobp.triangular_solve(rn(2, 2), tri(3))


def test_svd_lowrank_and_pca_lowrank_recover_a_low_rank_matrix():
    a = rn(8, 3) @ rn(3, 6)
    autobp.manual_seed(0)
    u, s, v = autobp.svd_lowrank(a, q=4, niter=2)
    assert u.shape == (8, 4) and s.shape == (4,) and v.shape == (6, 4)
    np.testing.assert_allclose((u * s) @ v.T, a, atol=1e-9)
    np.testing.assert_allclose(s.data[:3], torch.linalg.svdvals(torch.tensor(a)).numpy()[:3], rtol=1e-10)
    autobp.manual_seed(0)
    u2, s2, v2 = autobp.svd_lowrank(a, q=4, niter=2)
    np.testing.assert_array_equal(s2.data, s.data)  # the global generator makes it reproducible
    u, s, v = autobp.svd_lowrank(a.T, q=3)  # wide input goes through the transpose
    assert u.shape == (6, 3) and v.shape == (8, 3)
    np.testing.assert_allclose((u * s) @ v.T, a.T, atol=1e-9)
    u, s, v = autobp.pca_lowrank(a)
    centred = a - a.mean(0)
    np.testing.assert_allclose(
        s.data[:3], torch.linalg.svdvals(torch.tensor(centred)).numpy()[:3], rtol=1e-10
    )
    assert u.shape == (8, 6)
    assert autobp.svd_lowrank(a, q=9)[1].shape == torch.svd_lowrank(torch.tensor(a), q=9)[1].shape  # clamped
    with pytest.raises(ValueError, match="q must be"):
        autobp.svd_lowrank(a, q=-1)


def test_svd_lowrank_singular_values_differentiate_like_the_exact_ones():
    a = rn(6, 2) @ rn(2, 5) + 1e-3 * rn(6, 5)
    x = autobp.tensor(a, requires_grad=True)
    autobp.manual_seed(1)
    _, s, _ = autobp.svd_lowrank(x, q=2, niter=4)
    s.sum().backward()
    t = torch.tensor(a, requires_grad=True)
    torch.linalg.svdvals(t)[:2].sum().backward()
    np.testing.assert_allclose(x.grad, t.grad.numpy(), atol=1e-5)


def test_igamma_gradient_in_its_first_argument_is_gammaincs_first_order_only():
    """PyTorch refuses the derivative in ``a``; autobp's igamma is gammainc, which has it (JAX's)."""
    a = autobp.tensor([1.5, 2.0], requires_grad=True)
    assert autobp.gradcheck(autobp.igamma, (a, autobp.tensor([0.5, 3.0], requires_grad=True)))
    torch = pytest.importorskip("torch")
    ta = torch.tensor([1.5, 2.0], dtype=torch.float64, requires_grad=True)
    with pytest.raises(RuntimeError, match="not implemented"):
        torch.igamma(ta, torch.tensor([0.5, 3.0], dtype=torch.float64)).sum().backward()


def test_poisson_and_binomial_sample_from_the_global_generator():
    rates = autobp.tensor(np.array([0.5, 3.0, 20.0]).repeat(4000).reshape(3, 4000))
    autobp.manual_seed(5)
    s = autobp.poisson(rates)
    assert s.dtype == np.float64 and s.shape == rates.shape and not s.requires_grad
    np.testing.assert_allclose(s.data.mean(1), [0.5, 3.0, 20.0], rtol=0.05)
    autobp.manual_seed(5)
    np.testing.assert_array_equal(autobp.poisson(rates).data, s.data)
    b = autobp.binomial(autobp.full((4000,), 10.0), autobp.full((4000,), 0.3))
    assert abs(b.data.mean() - 3.0) < 0.1 and b.data.max() <= 10
    with pytest.raises(ValueError, match="rates"):
        autobp.poisson(autobp.tensor([-1.0]))
    with pytest.raises(ValueError, match="prob"):
        autobp.binomial(autobp.tensor([3.0]), autobp.tensor([1.5]))


@pytest.mark.parametrize(("start", "end", "step"), [(1, 4, 0.5), (0, 10, 3), (5, -1, -2), (0.1, 0.7, 0.2)])
def test_range_includes_the_end_like_torch(start, end, step):
    np.testing.assert_allclose(
        autobp.range(start, end, step).data, torch.range(start, end, step).numpy(), rtol=1e-6
    )
    assert autobp.range(start, end, step).dtype == np.float64
    assert "range" not in autobp.__all__  # never shadows the builtin in a star import


def test_fill_makes_a_new_tensor_with_the_value_gradient():
    x = autobp.tensor(rn(2, 3), requires_grad=True)
    v = autobp.tensor(2.5, requires_grad=True)
    out = autobp.fill(x, v)
    np.testing.assert_array_equal(out.data, np.full((2, 3), 2.5))
    out.sum().backward()
    assert v.grad == 6.0
    tx, tv = (
        torch.tensor(rn(2, 3), requires_grad=True),
        torch.tensor(2.5, requires_grad=True, dtype=torch.float64),
    )
    torch.fill(tx, tv).sum().backward()
    assert tv.grad.item() == 6.0 and (x.grad is None or not np.any(x.grad))
    np.testing.assert_array_equal(autobp.fill(autobp.zeros(3, dtype=autobp.int64), 7).data, [7, 7, 7])
    np.testing.assert_array_equal(autobp.fill(autobp.tensor([np.inf, np.nan]), 1.5).data, [1.5, 1.5])


def test_svd_lowrank_of_a_complex_matrix_reconstructs_it():
    a = (rn(6, 2) + 1j * rn(6, 2)) @ (rn(2, 5) + 1j * rn(2, 5))
    for m in (a, a.T):
        u, s, v = autobp.svd_lowrank(m, q=3)
        assert u.dtype == np.complex128 and s.dtype == np.float64
        np.testing.assert_allclose(((u * s) @ v.conj().mT).data, m, atol=1e-10)


@pytest.mark.parametrize("shape", [(5, 3), (4, 4), (2, 5, 3)])
def test_geqrf_matches_torch(shape):
    a = rn(*shape)
    q, tau = autobp.geqrf(a)
    tq, ttau = torch.geqrf(torch.tensor(a))
    np.testing.assert_allclose(q.data, tq.numpy(), atol=1e-12)
    np.testing.assert_allclose(tau.data, ttau.numpy(), atol=1e-12)


@pytest.mark.parametrize(("left", "transpose"), [(True, False), (True, True), (False, False), (False, True)])
def test_ormqr_matches_torch_with_gradients(left, transpose):
    a = rn(5, 3)
    tq, ttau = torch.geqrf(torch.tensor(a))
    other = rn(5, 2) if left else rn(2, 5)
    compare(
        lambda q, t, c: autobp.ormqr(q, t, c, left, transpose),
        lambda q, t, c: torch.ormqr(q, t, c, left, transpose),
        tq.numpy(), ttau.numpy(), other,
    )  # fmt: skip


def test_geqrf_ormqr_of_a_complex_matrix():
    a = rn(4, 3) + 1j * rn(4, 3)
    c = rn(4, 2) + 1j * rn(4, 2)
    q, tau = autobp.geqrf(a)
    tq, ttau = torch.geqrf(torch.tensor(a))
    np.testing.assert_allclose(q.data, tq.numpy(), atol=1e-12)
    got = autobp.ormqr(q, tau, c, True, True)
    np.testing.assert_allclose(
        got.data, torch.ormqr(tq, ttau, torch.tensor(c), True, True).numpy(), atol=1e-12
    )
