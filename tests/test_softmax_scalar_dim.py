"""softmax, log_softmax and logsumexp of a 0-d tensor along dim 0 or -1: PyTorch and scipy.special read
it as a one-element vector (softmax 1, log_softmax 0, logsumexp x); checked against both, with gradients."""

import numpy as np
import pytest
import scipy.special

import autobp
import autobp.nn.functional as F

torch = pytest.importorskip("torch")

CASES = [
    (F.softmax, torch.softmax),
    (F.log_softmax, torch.log_softmax),
    (autobp.logsumexp, torch.logsumexp),
]


@pytest.mark.parametrize("axis", [0, -1])
@pytest.mark.parametrize("ours, theirs", CASES, ids=["softmax", "log_softmax", "logsumexp"])
def test_torch_names_on_0d_match_torch_values_and_gradients(ours, theirs, axis):
    x = autobp.Tensor(np.float64(0.7), requires_grad=True)
    y = ours(x, axis)
    t = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
    ty = theirs(t, axis)
    assert y.shape == tuple(ty.shape) == ()
    np.testing.assert_allclose(y.data, ty.detach().numpy())
    (y * 3.0).backward()
    (ty * 3.0).backward()
    np.testing.assert_allclose(x.grad, t.grad.numpy())
    assert autobp.gradcheck(lambda v: ours(v, axis), (autobp.Tensor(np.float64(-0.3), requires_grad=True),))


@pytest.mark.parametrize("axis", [0, -1])
@pytest.mark.parametrize("name", ["softmax", "log_softmax", "logsumexp"])
def test_scipy_names_on_0d_match_scipy(name, axis):
    x = autobp.Tensor(np.float64(1.5), requires_grad=True)
    y = getattr(autobp.special, name)(x, axis=axis)
    np.testing.assert_allclose(y.data, getattr(scipy.special, name)(np.float64(1.5), axis=axis))
    y.backward()
    np.testing.assert_allclose(x.grad, 1.0 if name == "logsumexp" else 0.0)


def test_other_axes_of_0d_still_raise():
    with pytest.raises(IndexError, match="out of range"):
        F.softmax(autobp.Tensor(1.0), 1)
    with pytest.raises(IndexError, match="out of range"):
        autobp.special.softmax(autobp.Tensor(1.0), axis=1)
