"""scatter, scatter_add and scatter_reduce refuse a src tensor of another dtype than the input, as
PyTorch does (a RuntimeError there; here also numpy's TypeError); a number src takes the input's dtype."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")

IDX = np.array([[0, 2], [1, 0], [2, 2]])

CALLS = {
    "scatter": (lambda x, i, s: x.scatter(1, i, s)),
    "scatter-add-reduce": (lambda x, i, s: x.scatter(1, i, s, reduce="add")),
    "scatter_add": (lambda x, i, s: x.scatter_add(1, i, s)),
    "scatter_reduce": (lambda x, i, s: x.scatter_reduce(1, i, s, "sum")),
    "scatter_": (lambda x, i, s: x.clone().scatter_(1, i, s)),
}


@pytest.mark.parametrize("name", sorted(CALLS))
@pytest.mark.parametrize("src_dtype", ["float64", "int64", "float16"])
def test_src_of_another_dtype_is_refused_as_torch(name, src_dtype):
    call = CALLS[name]
    with pytest.raises(RuntimeError):
        call(torch.zeros(3, 4), torch.tensor(IDX), torch.ones(3, 2, dtype=getattr(torch, src_dtype)))
    x = autobp.Tensor(np.zeros((3, 4), dtype=np.float32))
    with pytest.raises(RuntimeError, match="dtype") as err:
        call(x, IDX, autobp.Tensor(np.ones((3, 2), dtype=src_dtype)))
    assert isinstance(err.value, TypeError)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_src_of_the_same_dtype_matches_torch(name):
    call = CALLS[name]
    src = np.arange(6, dtype=np.float32).reshape(3, 2) + 1
    base = np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4)
    want = call(torch.tensor(base), torch.tensor(IDX), torch.tensor(src))
    got = call(autobp.Tensor(base), IDX, autobp.Tensor(src))
    assert got.dtype == np.float32
    if name == "scatter" or name == "scatter_":  # repeated index (row 2): which value lands is unspecified
        np.testing.assert_array_equal(got.numpy()[:2], want.numpy()[:2])
    else:
        np.testing.assert_allclose(got.numpy(), want.numpy())


def test_number_src_takes_the_input_dtype_as_torch():
    want = torch.zeros(3, 4).scatter(1, torch.tensor(IDX), 2.5)
    got = autobp.Tensor(np.zeros((3, 4), dtype=np.float32)).scatter(1, IDX, 2.5)
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got.numpy(), want.numpy())
