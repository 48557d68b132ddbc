"""cummax / cummin of a 0-d tensor: axes 0 and -1 keep it 0-d (values, index 0, gradient 1), as
PyTorch's; any other axis is refused with an IndexError, as PyTorch's, whether given as axis= or dim=."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("name", ["cummax", "cummin"])
@pytest.mark.parametrize("axis", [0, -1])
def test_0d_valid_axis_matches_torch(name, axis):
    t = torch.tensor(2.5, requires_grad=True)
    want = getattr(t, name)(dim=axis)
    want.values.backward()
    x = autobp.Tensor(np.float64(2.5), requires_grad=True)
    got = getattr(x, name)(axis)
    got.values.backward()
    assert got.values.shape == tuple(want.values.shape) == ()
    assert float(got.values.numpy()) == float(want.values)
    assert int(got.indices.numpy()) == int(want.indices)
    assert float(x.grad) == float(t.grad)


@pytest.mark.parametrize("name", ["cummax", "cummin"])
@pytest.mark.parametrize("kw", [{"axis": 1}, {"axis": -2}, {"dim": 1}, {"dim": -2}])
def test_0d_bad_axis_is_an_index_error_as_torch(name, kw):
    with pytest.raises(IndexError):
        getattr(torch.tensor(2.5), name)(dim=next(iter(kw.values())))
    with pytest.raises(IndexError, match="out of range"):
        getattr(autobp.Tensor(np.float64(2.5)), name)(**kw)
