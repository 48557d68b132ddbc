"""Complex inputs where PyTorch computes and autobp refused or was wrong (found running PyTorch's
OpInfo database in complex128): Tensor.is_complex() answered False for every Tensor;
pairwise_distance returned complex "distances" (it squared instead of taking the modulus); rrelu
compared complex numbers with 0 (numpy's lexicographic order) where torch refuses; and normalize,
silu and the LU family refused complex input."""

from __future__ import annotations

import numpy as np
import pytest

import autobp
import autobp.nn.functional as AF

torch = pytest.importorskip("torch")
TF = torch.nn.functional
RNG = np.random.default_rng(7)


def _cplx(*shape):
    return RNG.standard_normal(shape) + 1j * RNG.standard_normal(shape)


@pytest.mark.parametrize("dtype", ["float64", "float32", "complex128", "complex64", "int64", "bool", "uint8"])
def test_dtype_predicate_methods_are_torchs(dtype):
    ours, theirs = autobp.zeros(2, dtype=getattr(np, dtype)), torch.zeros(2, dtype=getattr(torch, dtype))
    for name in ("is_complex", "is_floating_point", "is_signed"):
        assert getattr(ours, name)() is getattr(theirs, name)(), name


@pytest.mark.parametrize("p", [2.0, 1.0, 3.0, 0.5, 0.0, -1.0, float("inf"), float("-inf")])
@pytest.mark.parametrize("is_complex", [False, True])
def test_pairwise_distance_is_torchs_norm_of_the_difference(p, is_complex):
    a, b = (_cplx(3, 4) if is_complex else RNG.standard_normal((3, 4)) for _ in range(2))
    ta, tb = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    want = TF.pairwise_distance(ta, tb, p=p)
    tg = torch.autograd.grad(want.sum(), (ta, tb), allow_unused=True, materialize_grads=True)
    xa, xb = autobp.tensor(a, requires_grad=True), autobp.tensor(b, requires_grad=True)
    got = AF.pairwise_distance(xa, xb, p=p)
    assert got.dtype == np.float64  # a distance is real, for complex points too
    np.testing.assert_allclose(got.data, want.detach().numpy())
    ag = autobp.autograd.grad(got.sum(), (xa, xb), allow_unused=True)
    for g, w in zip(ag, tg):
        np.testing.assert_allclose(np.zeros(a.shape) if g is None else np.asarray(g), w.numpy(), atol=1e-12)


def test_normalize_with_any_p_and_complex_rows_is_torchs():
    for z in (_cplx(3, 4), RNG.standard_normal((3, 4))):
        z[1] = 0  # a zero row stays zero
        for p in (2.0, 1.0, 0.0, float("inf"), -1.0):
            t = torch.tensor(z, requires_grad=True)
            want = TF.normalize(t, p=p, dim=1)
            v = _cplx(3, 4) if np.iscomplexobj(z) else RNG.standard_normal((3, 4))
            tg = torch.autograd.grad((want * torch.tensor(v)).real.sum(), t)[0]
            x = autobp.tensor(z, requires_grad=True)
            with np.errstate(divide="ignore"):  # p = -1 over a zero row: numpy says so, torch does not
                got = AF.normalize(x, p=p, dim=1)
                ag = autobp.autograd.grad((got * autobp.tensor(v)).real.sum(), x)[0]
            np.testing.assert_allclose(got.data, want.detach().numpy())
            np.testing.assert_allclose(np.asarray(ag), tg.numpy())


def test_silu_of_complex_numbers():
    z = np.array([0.3 + 0.5j, -1.0 + 2.0j, 0j])
    np.testing.assert_allclose(AF.silu(autobp.tensor(z)).data, TF.silu(torch.tensor(z)).numpy())
    assert autobp.gradcheck(AF.silu, (autobp.tensor(z, requires_grad=True),))


def test_rrelu_refuses_complex_as_torch():
    z = torch.tensor([0.3 + 0.5j, -1.0 + 2.0j])
    with pytest.raises(RuntimeError):
        TF.rrelu(z)
    with pytest.raises(TypeError, match="complex"):
        AF.rrelu(autobp.tensor(z.numpy()))


def test_lu_solve_of_a_complex_factor_in_all_four_forms_is_torchs():
    a = _cplx(2, 3, 3) + 3 * np.eye(3)
    lu, piv = torch.linalg.lu_factor(torch.tensor(a))
    for left in (True, False):
        for adjoint in (False, True):
            b = _cplx(2, 3, 2) if left else _cplx(2, 2, 3)
            tl, tb = torch.tensor(lu.numpy(), requires_grad=True), torch.tensor(b, requires_grad=True)
            want = torch.linalg.lu_solve(tl, piv, tb, left=left, adjoint=adjoint)
            v = _cplx(*want.shape)
            tg = torch.autograd.grad((want * torch.tensor(v)).real.sum(), (tl, tb))
            xl, xb = autobp.tensor(lu.numpy(), requires_grad=True), autobp.tensor(b, requires_grad=True)
            got = autobp.linalg.lu_solve(xl, piv.numpy(), xb, left=left, adjoint=adjoint)
            ag = autobp.autograd.grad((got * autobp.tensor(v)).real.sum(), (xl, xb))
            np.testing.assert_allclose(got.data, want.detach().resolve_conj().numpy())
            for g, w in zip(ag, tg):
                np.testing.assert_allclose(np.asarray(g), w.resolve_conj().numpy())


def test_ex_forms_report_failures_for_complex_matrices_as_torch():
    a = _cplx(2, 3, 3)
    a[1] = 0
    assert np.array_equal(
        autobp.linalg.inv_ex(autobp.tensor(a)).info.data, torch.linalg.inv_ex(torch.tensor(a)).info
    )
    h = a @ a.conj().swapaxes(-1, -2) + 3 * np.eye(3)
    h[1] = -np.eye(3)
    got = autobp.linalg.cholesky_ex(autobp.tensor(h))
    want = torch.linalg.cholesky_ex(torch.tensor(h))
    assert np.array_equal(got.info.data, want.info.numpy())
    np.testing.assert_allclose(got.L.data[0], want.L.numpy()[0])


def test_complex_logaddexp_and_logcumsumexp_take_torchs_branch_and_special_values():
    # large imaginary parts: torch keeps max's imaginary part (not reduced to (-pi, pi]), which the
    # principal log autobp took before differs from by 2 pi
    x, y = 5 * _cplx(5, 4), 5 * _cplx(4)
    np.testing.assert_allclose(
        autobp.logaddexp(autobp.tensor(x), autobp.tensor(y)).data,
        torch.logaddexp(torch.tensor(x), torch.tensor(y)).numpy(),
    )
    inf, nan = np.inf, np.nan
    a = np.array(
        [complex(-inf, 1), complex(-inf, 2), complex(inf, 1), complex(nan, 0), 1 + 1j, complex(-inf, 0)]
    )
    b = np.array([complex(-inf, 3), 2 + 0j, complex(inf, 2), 0j, complex(0, nan), complex(-inf, 0)])
    for p, q in ((a, b), (b, a)):
        np.testing.assert_allclose(
            autobp.logaddexp(autobp.tensor(p), autobp.tensor(q)).data,
            torch.logaddexp(torch.tensor(p), torch.tensor(q)).numpy(),
        )
    for z in (5 * _cplx(3, 6, 2), a.reshape(2, 3)):
        for axis in range(z.ndim):
            np.testing.assert_allclose(
                autobp.logcumsumexp(autobp.tensor(z), axis).data,
                torch.logcumsumexp(torch.tensor(z), axis).numpy(),
            )


@pytest.mark.parametrize("shape", [(3, 3), (2, 3, 3), (0, 0)])
def test_logdet_of_complex_matrices_is_torchs(shape):
    m = _cplx(*shape)
    t = torch.tensor(m, requires_grad=True)
    want = torch.logdet(t)
    v = _cplx(*want.shape)
    tg = torch.autograd.grad((want * torch.tensor(v)).real.sum(), t)[0]
    x = autobp.tensor(m, requires_grad=True)
    got = autobp.logdet(x)
    ag = autobp.autograd.grad((got * autobp.tensor(v)).real.sum(), x)[0]
    np.testing.assert_allclose(got.data, want.detach().numpy())
    np.testing.assert_allclose(np.asarray(ag), tg.numpy())


@pytest.mark.parametrize("axis", [None, 0, 1, (0, 2), -1])
@pytest.mark.parametrize("keepdims", [False, True])
def test_special_logsumexp_of_complex_numbers_is_scipys(axis, keepdims):
    scipy_special = pytest.importorskip("scipy.special")
    z = 3 * _cplx(3, 4, 2)
    got = autobp.special.logsumexp(autobp.tensor(z), axis=axis, keepdims=keepdims)
    np.testing.assert_allclose(got.data, scipy_special.logsumexp(z, axis=axis, keepdims=keepdims))
    small = autobp.tensor(_cplx(2, 3), requires_grad=True)
    assert autobp.gradcheck(lambda t: autobp.special.logsumexp(t, axis=1), (small,))
