"""torch.triangular_solve(unitriangular=True) kept float32/complex64 (a float64 identity promoted the
result to float64 before); its out= and mm/mv/bmm's out=, against torch."""

import warnings

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex64, np.complex128])
@pytest.mark.parametrize("unitriangular", [True, False])
@pytest.mark.parametrize("upper", [True, False])
@pytest.mark.parametrize("transpose", [True, False])
def test_triangular_solve_dtype_and_values(dtype, unitriangular, upper, transpose):
    r = np.random.default_rng(0)
    a = (r.standard_normal((2, 4, 4)) + 4 * np.eye(4)).astype(dtype)
    b = r.standard_normal((2, 4, 3)).astype(dtype)
    kw = dict(upper=upper, unitriangular=unitriangular, transpose=transpose)
    x = autobp.triangular_solve(autobp.tensor(b), autobp.tensor(a), **kw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        xt = torch.triangular_solve(torch.tensor(b), torch.tensor(a), **kw)
    assert x.solution.dtype == xt.solution.numpy().dtype == dtype
    tol = 1e-4 if dtype in (np.float32, np.complex64) else 1e-10
    np.testing.assert_allclose(np.asarray(x.solution), xt.solution.numpy(), rtol=tol, atol=tol)
    o1, o2 = autobp.empty(0, dtype=dtype), autobp.empty(0, dtype=dtype)
    got = autobp.triangular_solve(autobp.tensor(b), autobp.tensor(a), **kw, out=(o1, o2))
    assert got[0] is o1 and got[1] is o2
    np.testing.assert_array_equal(np.asarray(o1), np.asarray(x.solution))


@pytest.mark.parametrize(
    "name, shapes", [("mm", [(2, 3), (3, 4)]), ("mv", [(2, 3), (3,)]), ("bmm", [(2, 2, 3), (2, 3, 1)])]
)
def test_products_out(name, shapes):
    r = np.random.default_rng(1)
    args = [r.standard_normal(s) for s in shapes]
    o = autobp.empty(0)
    assert getattr(autobp, name)(*[autobp.tensor(a) for a in args], out=o) is o
    ot = torch.empty(0, dtype=torch.float64)
    getattr(torch, name)(*[torch.tensor(a) for a in args], out=ot)
    np.testing.assert_allclose(np.asarray(o), ot.numpy(), rtol=1e-12)
