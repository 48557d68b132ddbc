"""softmax / log_softmax take PyTorch's ``dtype=``: the input is cast first, so a float32 input with
dtype=float64 computes in float64, and the gradient comes back in the input's dtype (as torch's)."""

import numpy as np
import pytest

import autobp
import autobp.nn.functional as F

torch = pytest.importorskip("torch")

X = np.random.default_rng(3).standard_normal((3, 4)).astype(np.float32)


@pytest.mark.parametrize(
    "ours, theirs",
    [
        (F.softmax, torch.nn.functional.softmax),
        (F.log_softmax, torch.nn.functional.log_softmax),
        (autobp.softmax, torch.softmax),
        (autobp.log_softmax, torch.log_softmax),
        (lambda x, **k: x.softmax(**k), lambda x, **k: x.softmax(**k)),
        (lambda x, **k: x.log_softmax(**k), lambda x, **k: x.log_softmax(**k)),
    ],
)
@pytest.mark.parametrize("dim", [0, 1])
def test_dtype_casts_first(ours, theirs, dim):
    v = np.arange(12.0).reshape(3, 4)
    tx = torch.tensor(X, requires_grad=True)
    t = theirs(tx, dim=dim, dtype=torch.float64)
    (tg,) = torch.autograd.grad((t * torch.tensor(v)).sum(), tx)
    ax = autobp.tensor(X, requires_grad=True)
    a = ours(ax, dim=dim, dtype=np.float64)
    (ag,) = autobp.autograd.grad((a * v).sum(), ax)
    assert a.dtype == np.float64 and np.asarray(ag).dtype == np.float32 == tg.numpy().dtype
    np.testing.assert_allclose(a.data, t.detach().numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(np.asarray(ag), tg.numpy(), rtol=1e-6, atol=1e-6)
