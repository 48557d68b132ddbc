"""Reductions, scans and creation ops against PyTorch (found by running PyTorch's test_reductions.py,
test_tensor_creation_ops.py, test_type_promotion.py and test_binary_ufuncs.py against autobp)."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")

_DT = {
    "uint8": (np.uint8, torch.uint8),
    "int8": (np.int8, torch.int8),
    "int16": (np.int16, torch.int16),
    "int32": (np.int32, torch.int32),
    "int64": (np.int64, torch.int64),
    "float32": (np.float32, torch.float32),
    "float64": (np.float64, torch.float64),
    "bool": (np.bool_, torch.bool),
}
_EXAMPLE = [[255, 2, 1], [5, 3, 6]]


@pytest.fixture
def torch_float64():
    """PyTorch with autobp's default dtype (float64), restored afterwards."""
    old = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(old)


def _same(ours, theirs) -> None:
    ours = np.asarray(ours.detach().numpy())
    theirs = theirs.detach().numpy()
    assert ours.dtype == theirs.dtype, (ours.dtype, theirs.dtype)
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours.astype(np.float64), theirs.astype(np.float64), rtol=1e-6)


@pytest.mark.parametrize("name", ["sum", "prod", "nansum", "cumsum", "cumprod"])
@pytest.mark.parametrize("src", ["uint8", "int16", "int32", "int64", "float32"])
@pytest.mark.parametrize("dst", ["uint8", "int8", "int32", "float32", "float64"])
def test_reduction_dtype_is_the_result_dtype(name, src, dst):
    # dtype= accumulates in that dtype (wrapping as it does): numpy's sum widened small integers anyway
    x = autobp.tensor(_EXAMPLE).astype(_DT[src][0])
    tx = torch.tensor(_EXAMPLE).to(_DT[src][1])
    axes = [0, 1] if name.startswith("cum") else [None, 0, 1]
    for axis in axes:
        args = () if axis is None else (axis,)
        ours = getattr(autobp, name)(x, *args, dtype=_DT[dst][0])
        theirs = getattr(torch, name)(tx, *args, dtype=_DT[dst][1])
        _same(ours, theirs)


@pytest.mark.parametrize("name", ["sum", "prod", "nansum"])
def test_reduction_to_bool(name):
    x = autobp.tensor([[0, 2, 1], [5, 3, 6]]).astype(np.uint8)
    tx = torch.tensor([[0, 2, 1], [5, 3, 6]], dtype=torch.uint8)
    for args in [(), (0,), (1,)]:
        ours = getattr(autobp, name)(x, *args, dtype=np.bool_)
        _same(ours, getattr(torch, name)(tx, *args, dtype=torch.bool))


def test_prod_bool_input_with_bool_dtype():
    for vals in ([True, True], [True, False], [], [False] * 256):
        ours = autobp.prod(autobp.tensor(vals, dtype=np.bool_), dtype=np.bool_)
        _same(ours, torch.prod(torch.tensor(vals, dtype=torch.bool), dtype=torch.bool))


def test_sum_dtype_gradient_comes_back_in_the_input_dtype():
    for name in ("sum", "prod", "cumsum", "cumprod"):
        x = autobp.tensor(np.arange(1.0, 10.0).reshape(3, 3), dtype=np.float32, requires_grad=True)
        tx = torch.tensor(np.arange(1.0, 10.0).reshape(3, 3), dtype=torch.float32, requires_grad=True)
        getattr(autobp, name)(x, 0, dtype=np.float64).sum().backward()
        getattr(torch, name)(tx, 0, dtype=torch.float64).sum().backward()
        assert np.asarray(x.grad).dtype == np.float32
        np.testing.assert_allclose(np.asarray(x.grad), tx.grad.numpy(), rtol=1e-6)


@pytest.mark.parametrize("src", ["bool", "uint8", "int8", "int16", "int32", "int64"])
def test_logsumexp_of_integers_is_float64(src, torch_float64):
    data = [[1, 0, 1], [0, 1, 1]]
    x = autobp.tensor(data).astype(_DT[src][0])
    tx = torch.tensor(data).to(_DT[src][1])
    for dim in (0, 1, (0, 1)):
        _same(autobp.logsumexp(x, dim=dim), torch.logsumexp(tx, dim=dim))
