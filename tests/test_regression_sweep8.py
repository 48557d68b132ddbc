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
