"""Regressions found by re-running the earlier sessions' held-out JAX/numpy suites against main
(seventh session, helper regjax8); numpy is the oracle."""

import numpy as np
import pytest

import autobp


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("stride", [1, 2, -1])
def test_frexp_writes_numpy_out_arrays_as_numpy(dtype, stride):
    # PyTorch's out=(Tensor, Tensor) checks (633e33e) had dropped numpy's out=(ndarray, ndarray)
    values = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, -1.0, 3.5], dtype=dtype)
    for x in (values[::stride], autobp.tensor(values[::stride])):
        want_m, want_e = np.ones(8, dtype), 2 * np.ones(8, np.int32)
        np.frexp(values[::stride], out=(want_m[::stride], want_e[::stride]))
        got_m, got_e = np.ones(8, dtype), 2 * np.ones(8, np.int32)
        m, e = autobp.frexp(x, out=(got_m[::stride], got_e[::stride]))
        np.testing.assert_array_equal(got_m, want_m)
        np.testing.assert_array_equal(got_e, want_e)
        np.testing.assert_array_equal(np.asarray(m), np.frexp(values[::stride])[0])
        np.testing.assert_array_equal(np.asarray(e), np.frexp(values[::stride])[1])


def test_frexp_where_and_mixed_outs_as_numpy():
    values = np.array([0.75, 6.0, -3.0, 1e-310])
    mask = np.array([True, False, True, True])
    want_m, want_e = np.full(4, 9.0), np.full(4, 7, np.int32)
    np.frexp(values, out=(want_m, want_e), where=mask)
    got_m, got_e = autobp.full((4,), 9.0), np.full(4, 7, np.int32)  # a Tensor and an array
    autobp.frexp(autobp.tensor(values), out=(got_m, got_e), where=mask)
    np.testing.assert_array_equal(got_m.data, want_m)
    np.testing.assert_array_equal(got_e, want_e)


def test_frexp_torch_out_and_gradient_unchanged():
    torch = pytest.importorskip("torch")
    values = np.array([0.3, -5.0, 12.0])
    m, e = autobp.empty(3), autobp.empty(3, dtype=autobp.int32)
    autobp.frexp(autobp.tensor(values), out=(m, e))
    tm, te = torch.frexp(torch.tensor(values))
    np.testing.assert_array_equal(m.data, tm.numpy())
    np.testing.assert_array_equal(e.data, te.numpy())
    x = autobp.tensor(values, requires_grad=True)
    autobp.frexp(x)[0].sum().backward()
    tx = torch.tensor(values, requires_grad=True)
    torch.frexp(tx)[0].sum().backward()
    np.testing.assert_allclose(x.grad, tx.grad.numpy())


@pytest.mark.filterwarnings("ignore::numpy.exceptions.ComplexWarning")  # numpy's own, in nanvar
@pytest.mark.parametrize("name", ["var", "std", "nanvar", "nanstd"])
@pytest.mark.parametrize(
    ("dtype", "kwargs"),
    [(np.complex128, {}), (np.complex64, {"axis": 1}), (np.complex128, {"ddof": 1, "keepdims": True})],
)
def test_variance_with_a_complex_dtype_has_that_dtype_as_numpy(name, dtype, kwargs):
    # numpy's var/std(real, dtype=complex) are complex (imaginary part 0); autobp's were real
    x = np.array([[1.0, 2.0, 4.0], [3.0, 0.5, 5.0]])
    want = getattr(np, name)(x, dtype=dtype, **kwargs)
    got = getattr(autobp, name)(autobp.tensor(x), dtype=dtype, **kwargs)
    assert got.dtype == want.dtype
    np.testing.assert_allclose(got.data, want, rtol=1e-6)
    plain = getattr(autobp, name)(x, dtype=dtype, **kwargs)
    assert np.asarray(plain).dtype == want.dtype


@pytest.mark.parametrize("name", ["var", "std", "nanvar", "nanstd"])
def test_variance_with_a_complex_dtype_keeps_the_real_gradient(name):
    torch = pytest.importorskip("torch")
    x = np.array([[1.0, 2.0, 4.0], [3.0, 0.5, 5.0]])
    a = autobp.tensor(x, requires_grad=True)
    getattr(autobp, name)(a, dtype=np.complex128, axis=0).real.sum().backward()
    t = torch.tensor(x, requires_grad=True)
    tname = name.removeprefix("nan")
    getattr(torch, tname)(t, dim=0, correction=0).sum().backward()
    np.testing.assert_allclose(a.grad, t.grad.numpy(), rtol=1e-12)
