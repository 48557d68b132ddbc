"""torch.linalg's error words (singular / not positive-definite, naming the flat batch element), svd's
driver=None, tensorsolve's dims=, torch.svd's named tuple and out= of inverse/dot/vdot/qr/
cholesky_solve: the same regexes and values PyTorch passes (torch is the oracle)."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")


def _singular(m, batch=None, k=-1):
    a = m.eye(3, dtype=m.float64)
    if batch is None:
        a[k, k] = 0
        return a
    a = m.stack([m.eye(3, dtype=m.float64)] * batch)
    a[batch - 1, k, k] = 0
    return a


@pytest.mark.parametrize(
    "call, regex",
    [
        (
            lambda m: m.linalg.inv(_singular(m)),
            r"The diagonal element 3 is zero, the inversion could not be completed",
        ),
        (lambda m: m.linalg.inv(_singular(m, 4)), r"\(Batch element 3\): The diagonal element 3 is zero"),
        (lambda m: m.inverse(_singular(m, 2, 1)), r"\(Batch element 1\): The diagonal element 2 is zero"),
        (lambda m: m.linalg.inv_ex(_singular(m), check_errors=True), r"diagonal element 3 is zero"),
        (lambda m: m.linalg.cholesky(_singular(m)), r"minor of order 3 is not positive-definite"),
        (
            lambda m: m.linalg.cholesky(_singular(m, 5)),
            r"\(Batch element 4\): The factorization could not be completed",
        ),
        (lambda m: m.linalg.cholesky_ex(_singular(m, 2, 1), check_errors=True), r"\(Batch element 1\)"),
        (lambda m: m.linalg.tensorinv(_singular(m).reshape(3, 3), ind=1), r"The diagonal element"),
    ],
)
def test_linalg_error_words_as_torch(call, regex):
    with pytest.raises(torch.linalg.LinAlgError, match=regex):
        call(torch)
    with pytest.raises(np.linalg.LinAlgError, match=regex):
        call(autobp)


@pytest.mark.parametrize(
    "call, regex",
    [
        (lambda m: m.linalg.tensorinv(m.ones(2, 3, 4), ind=1), "Expected self to satisfy the requirement"),
        (lambda m: m.linalg.tensorinv(m.ones(12, 3, 4), ind=0), "Expected a strictly positive integer"),
        (lambda m: m.chain_matmul(), r"chain_matmul\(\): Expected one or more matrices"),
        (lambda m: m.chain_matmul(m.ones(1), m.ones(1)), "Tensor dimension is 1, expected 2 instead"),
        (lambda m: m.linalg.multi_dot([m.ones(2)]), "expected at least 2 tensors"),
    ],
)
@pytest.mark.filterwarnings("ignore::UserWarning")
def test_argument_errors_are_runtime_errors_with_torchs_words(call, regex):
    with pytest.raises(RuntimeError, match=regex):
        call(torch)
    with pytest.raises(RuntimeError, match=regex):
        call(autobp)


def test_svd_driver_none_and_torch_svd_named_tuple():
    a = np.random.default_rng(0).standard_normal((4, 3))
    s = autobp.linalg.svd(autobp.tensor(a), full_matrices=False, driver=None).S
    np.testing.assert_allclose(np.asarray(s), torch.linalg.svd(torch.tensor(a), driver=None).S.numpy())
    np.testing.assert_allclose(
        np.asarray(autobp.linalg.svdvals(autobp.tensor(a), driver=None)), np.asarray(s)
    )
    with pytest.raises(RuntimeError):
        torch.linalg.svd(torch.tensor(a), driver="gesvd")
    with pytest.raises(RuntimeError):
        autobp.linalg.svd(autobp.tensor(a), driver="gesvd")
    ours, theirs = autobp.svd(autobp.tensor(a)), torch.svd(torch.tensor(a))
    assert type(ours)._fields == ("U", "S", "V")
    np.testing.assert_allclose(np.asarray(ours.S), theirs.S.numpy())
    np.testing.assert_allclose(np.abs(np.asarray(ours.V)), np.abs(theirs.V.numpy()), atol=1e-12)
    z = autobp.svd(autobp.tensor(a), compute_uv=False)
    np.testing.assert_allclose(np.asarray(z.S), torch.svd(torch.tensor(a), compute_uv=False).S.numpy())


@pytest.mark.parametrize("dims", [None, (0, 2)])
def test_tensorsolve_dims_keyword(dims):
    r = np.random.default_rng(1)
    a, b = r.standard_normal((2, 3, 6)), r.standard_normal((2, 3))
    ours = autobp.linalg.tensorsolve(autobp.tensor(a), autobp.tensor(b), dims=dims)
    theirs = torch.linalg.tensorsolve(torch.tensor(a), torch.tensor(b), dims=dims)
    np.testing.assert_allclose(np.asarray(ours), theirs.numpy(), rtol=1e-10)


@pytest.mark.parametrize(
    "name, args",
    [
        ("inverse", [np.eye(3) * 2 + 0.1]),
        ("dot", [np.arange(3.0), np.arange(3.0) + 1]),
        ("vdot", [np.arange(3.0) + 1j, np.arange(3.0) - 2j]),
        ("cholesky_solve", [np.ones((3, 2)), np.tril(np.ones((3, 3))) + np.eye(3)]),
    ],
)
def test_more_outs_as_torch(name, args):
    dt = np.result_type(*[np.asarray(a).dtype for a in args])
    o1, o2 = autobp.empty(0, dtype=dt), torch.empty(0, dtype=getattr(torch, dt.name))
    r1 = getattr(autobp, name)(*[autobp.tensor(a) for a in args], out=o1)
    getattr(torch, name)(*[torch.tensor(a) for a in args], out=o2)
    assert r1 is o1 and o1.shape == tuple(o2.shape)
    np.testing.assert_allclose(np.asarray(o1), o2.numpy(), rtol=1e-12)


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_torch_qr_out():
    a = np.random.default_rng(2).standard_normal((4, 3))
    q, r = autobp.empty(0), autobp.empty(0)
    autobp.qr(autobp.tensor(a), out=(q, r))
    qt, rt = torch.empty(0, dtype=torch.float64), torch.empty(0, dtype=torch.float64)
    torch.qr(torch.tensor(a), out=(qt, rt))
    np.testing.assert_allclose(np.abs(np.asarray(q)), np.abs(qt.numpy()), atol=1e-12)
    np.testing.assert_allclose(np.abs(np.asarray(r)), np.abs(rt.numpy()), atol=1e-12)


@pytest.mark.parametrize("complex_", [False, True])
def test_solve_left_false_as_torch(complex_):
    r = np.random.default_rng(3)
    a = r.standard_normal((2, 3, 3)) + 3 * np.eye(3)
    b = r.standard_normal((2, 4, 3))
    if complex_:
        a, b = a + 1j * r.standard_normal(a.shape), b - 1j * r.standard_normal(b.shape)
    at = autobp.tensor(a, requires_grad=True)
    x = autobp.linalg.solve(at, autobp.tensor(b), left=False)
    tt = torch.tensor(a, requires_grad=True)
    xt = torch.linalg.solve(tt, torch.tensor(b), left=False)
    np.testing.assert_allclose(np.asarray(x.detach()), xt.detach().resolve_conj().numpy(), rtol=1e-10)
    x.abs().sum().backward()
    xt.abs().sum().backward()
    np.testing.assert_allclose(np.asarray(at.grad), tt.grad.resolve_conj().numpy(), rtol=1e-8)
    with pytest.raises(RuntimeError):
        torch.linalg.solve(tt, torch.tensor(b[0, 0]), left=False)
    with pytest.raises(RuntimeError):
        autobp.linalg.solve(at, autobp.tensor(b[0, 0]), left=False)


@pytest.mark.parametrize(
    "call, regex",
    [
        (lambda m: m.linalg.matrix_norm(m.ones(2)), r"linalg.matrix_norm:.*must have at least 2 dimensions"),
        (lambda m: m.linalg.matrix_norm(m.ones(2, 2, 2), dim=(0,)), r"matrix_norm:.*must be a 2-tuple"),
    ],
)
def test_matrix_norm_errors_as_torch(call, regex):
    with pytest.raises(RuntimeError, match=regex):
        call(torch)
    with pytest.raises(RuntimeError, match=regex):
        call(autobp)


@pytest.mark.parametrize("val", [np.inf, np.nan])
def test_eig_of_non_finite_input_raises_as_torch(val):
    a = np.eye(3)
    a[-1, -1] = val
    with pytest.raises(RuntimeError, match="input tensor should not contain infs or NaNs"):
        torch.linalg.eig(torch.tensor(a))
    with pytest.raises(RuntimeError, match="input tensor should not contain infs or NaNs"):
        autobp.linalg.eig(autobp.tensor(a))
    with pytest.raises(np.linalg.LinAlgError):  # numpy's own error class too
        np.linalg.eig(a)
    with pytest.raises(np.linalg.LinAlgError):
        autobp.linalg.eig(autobp.tensor(a))


@pytest.mark.parametrize("dim", [(0, 1), (1, 0), (-1, -3), (2, 0)])
@pytest.mark.parametrize("ord", ["fro", "nuc", 1, -2, np.inf])
def test_matrix_norm_dim_keyword_as_torch(dim, ord):
    # dim= alone was refused ("give axis= or dim=, not both": axis has a non-None default)
    x = np.random.default_rng(5).standard_normal((3, 4, 5))
    ours = autobp.linalg.matrix_norm(autobp.tensor(x), ord=ord, dim=dim, keepdim=True)
    theirs = torch.linalg.matrix_norm(torch.tensor(x), ord=ord, dim=dim, keepdim=True)
    assert ours.shape == tuple(theirs.shape)
    np.testing.assert_allclose(np.asarray(ours), theirs.numpy(), rtol=1e-10)


@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (2, 4, 4)])
@pytest.mark.parametrize("dtype", [np.float64, np.complex128])
def test_qr_raw_mode_as_numpy(shape, dtype):
    r = np.random.default_rng(6)
    a = r.standard_normal(shape).astype(dtype)
    h, tau = np.linalg.qr(a, mode="raw")
    ours = autobp.linalg.qr(autobp.tensor(a), mode="raw")
    np.testing.assert_allclose(np.asarray(ours[0]), h, rtol=1e-12)
    np.testing.assert_allclose(np.asarray(ours[1]), tau, rtol=1e-12)
    # the reflectors rebuild Q as torch.linalg.householder_product does
    if shape[-2] >= shape[-1]:
        q = autobp.linalg.householder_product(ours[0].swapaxes(-1, -2), ours[1])
        np.testing.assert_allclose(np.asarray(q), np.linalg.qr(a)[0], atol=1e-12)
    x = autobp.tensor(a, requires_grad=True)
    with pytest.raises(RuntimeError, match="mode='raw'"):
        autobp.linalg.qr(x, mode="raw")[0].real.sum().backward()
