"""PyTorch's out= on the linear-algebra functions (and torch.norm/outer/inner/kron/addr/addmm...),
torch.norm's p=/dtype=, the norms' dtype=, lower-case UPLO, and RuntimeError (as PyTorch raises) for
bad shapes. torch is the oracle for values, dtypes, shapes, warnings and error types."""

import warnings

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")

R = np.random.default_rng(0)
SPD = (lambda a: a @ a.T + 3 * np.eye(3))(R.standard_normal((3, 3)))
SQ = R.standard_normal((3, 3)) + 3 * np.eye(3)


def _run(fn_ours, fn_torch, args, outs):
    """Call both with out= (a Tensor or a tuple), compare results, the returned out and warnings."""
    o_ours = tuple(autobp.empty(s, dtype=d) for s, d in outs)
    o_torch = tuple(torch.empty(s, dtype=getattr(torch, np.dtype(d).name)) for s, d in outs)
    one = len(outs) == 1
    with warnings.catch_warnings(record=True) as w1:
        warnings.simplefilter("always")
        r1 = fn_ours(*[autobp.tensor(a) for a in args], out=o_ours[0] if one else o_ours)
    with warnings.catch_warnings(record=True) as w2:
        warnings.simplefilter("always")
        r2 = fn_torch(*[torch.tensor(a) for a in args], out=o_torch[0] if one else o_torch)
    r1 = (r1,) if one else tuple(r1)
    r2 = (r2,) if one else tuple(r2)
    for a, b, oa in zip(r1, r2, o_ours):
        assert a is oa
        assert a.shape == tuple(b.shape) and np.asarray(a).dtype == b.numpy().dtype
        np.testing.assert_allclose(np.abs(np.asarray(a)), np.abs(b.numpy()), rtol=1e-6, atol=1e-10)
    resized = lambda ws: sum("was resized" in str(x.message) for x in ws)  # noqa: E731
    assert resized(w1) == resized(w2)


CASES = {
    "inv": (autobp.linalg.inv, torch.linalg.inv, [SQ], [((0,), np.float64)]),
    "inv_resized": (autobp.linalg.inv, torch.linalg.inv, [SQ], [((2, 2), np.float64)]),
    "cholesky": (autobp.linalg.cholesky, torch.linalg.cholesky, [SPD], [((3, 3), np.float64)]),
    "det": (autobp.linalg.det, torch.linalg.det, [SQ], [((0,), np.float64)]),
    "eigh": (autobp.linalg.eigh, torch.linalg.eigh, [SPD], [((0,), np.float64), ((0,), np.float64)]),
    "eigvalsh": (autobp.linalg.eigvalsh, torch.linalg.eigvalsh, [SPD], [((5,), np.float64)]),
    "eigvals": (autobp.linalg.eigvals, torch.linalg.eigvals, [SPD], [((0,), np.complex128)]),
    "svdvals": (autobp.linalg.svdvals, torch.linalg.svdvals, [SQ], [((0,), np.float64)]),
    "solve": (autobp.linalg.solve, torch.linalg.solve, [SQ, SPD], [((0,), np.float64)]),
    "norm": (autobp.linalg.norm, torch.linalg.norm, [SQ], [((0,), np.float64)]),
    "vector_norm": (autobp.linalg.vector_norm, torch.linalg.vector_norm, [SQ], [((0,), np.float64)]),
    "matrix_power": (
        lambda a, out: autobp.linalg.matrix_power(a, 3, out=out),
        lambda a, out: torch.linalg.matrix_power(a, 3, out=out),
        [SQ],
        [((3, 3), np.float64)],
    ),
    "cond": (autobp.linalg.cond, torch.linalg.cond, [SQ], [((0,), np.float64)]),
    "pinv": (autobp.linalg.pinv, torch.linalg.pinv, [SQ], [((0,), np.float64)]),
    "torch.cholesky": (autobp.cholesky, torch.cholesky, [SPD], [((0,), np.float64)]),
    "outer": (autobp.outer, torch.outer, [SQ[0], SQ[1]], [((0,), np.float64)]),
    "ger": (autobp.ger, torch.ger, [SQ[0], SQ[1]], [((3, 3), np.float64)]),
    "inner": (autobp.inner, torch.inner, [SQ, SPD], [((1,), np.float64)]),
    "kron": (autobp.kron, torch.kron, [SQ, SPD], [((0,), np.float64)]),
    "addr": (autobp.addr, torch.addr, [SQ, SQ[0], SQ[1]], [((0,), np.float64)]),
    "addmm": (autobp.addmm, torch.addmm, [SQ, SQ, SPD], [((0,), np.float64)]),
    "torch.norm": (
        lambda a, out: autobp.norm(a, p=3, out=out),
        lambda a, out: torch.norm(a, p=3, out=out),
        [SQ],
        [((0,), np.float64)],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_out_as_torch(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch.cholesky's deprecation
        _run(*CASES[name])


def test_out_dtype_rules_as_torch():
    a = autobp.tensor(SPD)
    with pytest.raises(RuntimeError, match="but got float instead"):
        autobp.linalg.cholesky(a, out=autobp.empty(0, dtype=np.float32))  # exact dtype for torch.linalg
    with pytest.raises(RuntimeError, match="safely castable from ComplexDouble"):
        autobp.linalg.eigvals(a, out=autobp.empty(0))  # a complex result into a real out
    with pytest.raises(RuntimeError, match="can't be cast to the desired output type Int"):
        autobp.kron(a, a, out=autobp.empty(0, dtype=np.int32))
    wide = autobp.empty(0, dtype=np.complex128)  # kron casts where PyTorch can
    assert autobp.kron(a, a, out=wide).dtype == np.complex128
    torch.kron(torch.tensor(SPD), torch.tensor(SPD), out=torch.empty(0, dtype=torch.complex128))


def test_out_keeps_the_gradient_flowing():
    a = autobp.tensor(SQ, requires_grad=True)
    o = autobp.empty(0)
    autobp.linalg.inv(a, out=o).sum().backward()
    t = torch.tensor(SQ, requires_grad=True)
    torch.linalg.inv(t).sum().backward()
    np.testing.assert_allclose(np.asarray(a.grad), t.grad.numpy(), rtol=1e-10)


@pytest.mark.parametrize("p", [2, 1, 3.5, "fro", float("inf")])
@pytest.mark.parametrize("dim", [None, 1, (0, 2), (2, 1)])
def test_torch_norm_p_keyword(p, dim):
    x = R.standard_normal((3, 4, 5))
    ours = autobp.norm(autobp.tensor(x), p=p, dim=dim, keepdim=True)
    theirs = torch.norm(torch.tensor(x), p=p, dim=dim, keepdim=True)
    assert ours.shape == tuple(theirs.shape)
    np.testing.assert_allclose(np.asarray(ours), theirs.numpy(), rtol=1e-12)


def test_torch_norm_nuc_and_errors():
    x = R.standard_normal((3, 4, 5))
    np.testing.assert_allclose(
        np.asarray(autobp.norm(autobp.tensor(x), p="nuc", dim=(0, 2))),
        torch.norm(torch.tensor(x), p="nuc", dim=(0, 2)).numpy(),
    )
    np.testing.assert_allclose(
        float(autobp.norm(autobp.tensor(x[0]), p="nuc")), float(torch.norm(torch.tensor(x[0]), p="nuc"))
    )
    for dim in [(), (0,)]:
        with pytest.raises(RuntimeError):
            torch.norm(torch.tensor(x[0, 0]), "nuc", dim)
        with pytest.raises(RuntimeError):
            autobp.norm(autobp.tensor(x[0, 0]), p="nuc", dim=dim)


@pytest.mark.parametrize("fn", ["norm", "vector_norm", "matrix_norm"])
def test_norm_dtype_keyword(fn):
    x = R.standard_normal((4, 4)).astype(np.float32)
    ours = getattr(autobp.linalg, fn)(autobp.tensor(x), dtype=np.float64)
    theirs = getattr(torch.linalg, fn)(torch.tensor(x), dtype=torch.float64)
    assert np.asarray(ours).dtype == np.float64 == theirs.numpy().dtype
    np.testing.assert_allclose(np.asarray(ours), theirs.numpy(), rtol=1e-12)
    d = autobp.norm(autobp.tensor(x), p=2, dtype=np.float64)
    dt = torch.norm(torch.tensor(x), 2, dtype=torch.float64)
    assert d.dtype == np.float64 and np.isclose(float(d), float(dt))


@pytest.mark.parametrize("uplo", ["u", "l", "U", "L"])
def test_eigh_lower_case_uplo(uplo):
    a = R.standard_normal((3, 3))
    w, v = autobp.linalg.eigh(autobp.tensor(a), UPLO=uplo)
    wt, vt = torch.linalg.eigh(torch.tensor(a), UPLO=uplo)
    np.testing.assert_allclose(np.asarray(w), wt.numpy(), rtol=1e-10)
    np.testing.assert_allclose(np.abs(np.asarray(v)), np.abs(vt.numpy()), rtol=1e-8)
    np.testing.assert_allclose(np.asarray(autobp.linalg.eigvalsh(autobp.tensor(a), UPLO=uplo)), wt.numpy())
    with pytest.raises(RuntimeError):
        torch.linalg.eigh(torch.tensor(a), UPLO="wrong")
    with pytest.raises(RuntimeError, match="be 'L' or 'U'"):
        autobp.linalg.eigh(autobp.tensor(a), UPLO="wrong")


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.linalg.cholesky(m.ones(2, 3)),
        lambda m: m.linalg.eigh(m.ones(3)),
        lambda m: m.linalg.eig(m.ones(2, 3)),
        lambda m: m.linalg.det(m.ones(3)),
        lambda m: m.linalg.inv(m.ones(2, 3)),
        lambda m: m.linalg.solve(m.ones(2, 3), m.ones(2)),
        lambda m: m.addr(m.ones(2, 2), m.ones(2, 1), m.ones(2)),
        lambda m: m.addr(m.ones(2, 2), m.ones(2), m.ones(2), beta=True),
    ],
)
def test_bad_shapes_raise_runtime_error_as_torch(call):
    with pytest.raises(RuntimeError):
        call(torch)
    with pytest.raises(RuntimeError):
        call(autobp)
