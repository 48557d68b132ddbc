"""argmax / argmin take PyTorch's keepdim by position, as torch.argmax(x, dim, keepdim) and
x.argmax(dim, keepdim): same indices, dtype and shape as torch; a non-bool there is refused."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("name", ["argmax", "argmin"])
@pytest.mark.parametrize("dim", [0, 1, -1])
@pytest.mark.parametrize("keep", [True, False])
def test_positional_keepdim_matches_torch(name, dim, keep):
    data = np.array([[3.0, 1.0, 3.0, -2.0], [0.5, 0.5, -1.0, 7.0], [2.0, 2.0, 2.0, 2.0]])
    want = getattr(torch.tensor(data), name)(dim, keep)
    got = getattr(autobp.Tensor(data), name)(dim, keep)
    assert got.shape == tuple(want.shape)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got.numpy(), want.numpy())
    top = getattr(autobp, name)(autobp.Tensor(data), dim, keep)
    np.testing.assert_array_equal(top.numpy(), getattr(torch, name)(torch.tensor(data), dim, keep).numpy())


@pytest.mark.parametrize("name", ["argmax", "argmin"])
def test_non_bool_keepdim_is_refused_as_torch(name):
    with pytest.raises(TypeError):
        getattr(torch.ones(3, 4), name)(1, 2)
    with pytest.raises(TypeError, match="keepdim"):
        getattr(autobp.Tensor(np.ones((3, 4))), name)(1, 2)
    out = np.empty(3, dtype=np.intp)  # numpy's third positional, out: written and returned as numpy's
    assert getattr(autobp.Tensor(np.ones((3, 4))), name)(1, out) is out
    np.testing.assert_array_equal(out, getattr(np.ones((3, 4)), name)(1))
