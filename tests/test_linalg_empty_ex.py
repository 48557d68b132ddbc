"""Empty inputs (0x0 matrices, a batch of 0) to the torch.linalg *_ex functions: shapes, dtypes and
values as torch returns them, and a gradient of the input's shape."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")

SHAPES = [(0, 0), (0, 3, 3), (2, 0, 0), (0, 0, 0), (1, 0, 2, 2)]
NAMES = ["inv_ex", "cholesky_ex", "lu_factor_ex", "ldl_factor_ex", "lu_factor", "lu", "inv", "cholesky"]


def _parts(r):
    return r if isinstance(r, tuple) else (r,)


def _np(t):
    return t.detach().numpy() if isinstance(t, torch.Tensor) else np.asarray(t.numpy())


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("name", NAMES)
def test_factorisations_of_empty_inputs_as_torch(name, shape):
    A = np.zeros(shape)
    got = _parts(getattr(autobp.linalg, name)(autobp.tensor(A)))
    want = _parts(getattr(torch.linalg, name)(torch.tensor(A)))
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert g.shape == tuple(w.shape)
        assert str(g.dtype) == str(w.dtype).replace("torch.", "")
        np.testing.assert_array_equal(_np(g), _np(w))


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("vector", [True, False])
def test_solve_ex_of_empty_inputs_as_torch(shape, vector):
    A = np.zeros(shape)
    B = np.zeros(shape[:-1] if vector else shape[:-1] + (2,))
    got = autobp.linalg.solve_ex(autobp.tensor(A), autobp.tensor(B))
    want = torch.linalg.solve_ex(torch.tensor(A), torch.tensor(B))
    for g, w in zip(got, want):
        assert g.shape == tuple(w.shape) and str(g.dtype) == str(w.dtype).replace("torch.", "")


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("name", ["inv_ex", "cholesky_ex", "lu_factor_ex"])
def test_gradient_of_empty_input_has_its_shape(name, shape):
    A = np.zeros(shape)
    x = autobp.tensor(A, requires_grad=True)
    getattr(autobp.linalg, name)(x)[0].sum().backward()
    tx = torch.tensor(A, requires_grad=True)
    getattr(torch.linalg, name)(tx)[0].sum().backward()
    assert np.shape(x.grad) == tuple(tx.grad.shape)


def test_check_errors_with_an_empty_batch_does_not_raise():
    A = autobp.tensor(np.zeros((0, 2, 2)))
    for name in ["inv_ex", "cholesky_ex", "lu_factor_ex", "ldl_factor_ex"]:
        info = getattr(autobp.linalg, name)(A, check_errors=True)[-1]
        assert info.shape == (0,) and info.dtype == np.int32
