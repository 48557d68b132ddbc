"""Reflected division operators against torch (__rtruediv__, PyTorch's Python 2 names __rdiv__,
__div__, __idiv__, and __rfloordiv__), and top-level resize_as_ (torch.resize_as_)."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")

OPS = {
    "rtruediv": lambda x: 7.5 / x,
    "rdiv": lambda x: x.__rdiv__(7),
    "rfloordiv_int": lambda x: 7 // x,
    "rfloordiv_float": lambda x: -7.5 // x,
    "div": lambda x: x.__div__(4),
}
VALUES = [3, -1, 2, 5]


@pytest.mark.parametrize("name", sorted(OPS))
@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "int32", "uint8"])
def test_reflected_division_values_as_torch(name, dtype):
    """Values as torch; dtypes too, except that an integer tensor divided (truly) gives numpy's float64
    where PyTorch gives its default float32 (docs/concepts/names.md, dtypes)."""
    vals = np.array(VALUES if dtype != "uint8" else np.abs(VALUES), dtype=dtype)
    got = OPS[name](autobp.tensor(vals))
    want = OPS[name](torch.tensor(vals))
    np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-6)
    integer_true_division = dtype[0] in "iu" and want.dtype == torch.float32
    assert str(got.dtype) == ("float64" if integer_true_division else str(want.dtype).split(".")[1])


def test_rdiv_is_rtruediv_and_idiv_writes_in_place():
    assert autobp.Tensor.__rdiv__ is autobp.Tensor.__rtruediv__
    assert autobp.Tensor.__div__ is autobp.Tensor.__truediv__
    t = autobp.tensor([1.0, 2.0])
    r = t.__idiv__(2)
    tt = torch.tensor([1.0, 2.0])
    tt.__idiv__(2)
    assert r is t
    np.testing.assert_array_equal(t.numpy(), tt.numpy())


@pytest.mark.parametrize("name", ["rtruediv", "rdiv"])
def test_reflected_division_gradients_as_torch(name):
    vals = np.array([1.5, -2.0, 0.75])
    x = autobp.tensor(vals, requires_grad=True)
    OPS[name](x).sum().backward()
    tx = torch.tensor(vals, requires_grad=True)
    OPS[name](tx).sum().backward()
    np.testing.assert_allclose(np.asarray(x.grad), tx.grad.numpy(), rtol=1e-12)
    assert autobp.gradgradcheck(OPS[name], (autobp.tensor(vals, requires_grad=True),))


@pytest.mark.parametrize("n_in, shape", [(6, (2, 3)), (6, (4,)), (3, (2, 2)), (4, (0,))])
def test_resize_as_top_level_as_torch(n_in, shape):
    t = autobp.arange(float(n_in))
    r = autobp.resize_as_(t, autobp.zeros(shape))
    tt = torch.arange(float(n_in))
    torch.resize_as_(tt, torch.zeros(shape))
    assert r is t and t.shape == tuple(tt.shape)
    k = min(n_in, int(np.prod(shape)))
    np.testing.assert_array_equal(t.numpy().reshape(-1)[:k], tt.numpy().reshape(-1)[:k])


def test_resize_as_refuses_what_torch_refuses():
    with pytest.raises(RuntimeError, match="require grad"):
        autobp.resize_as_(autobp.zeros(3, requires_grad=True), autobp.zeros(2))
    with pytest.raises(RuntimeError, match="require grad"):
        torch.resize_as_(torch.zeros(3, requires_grad=True), torch.zeros(2))
    with pytest.raises(TypeError, match="needs a Tensor"):
        autobp.resize_as_(np.zeros(3), autobp.zeros(2))
