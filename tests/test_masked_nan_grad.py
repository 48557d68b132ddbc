"""torch.masked var/std over slices that keep no element (or no more than the correction): nan values
and nan gradients where PyTorch gives them, finite and equal to torch's elsewhere."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")
tm = torch.masked._ops

X = np.random.default_rng(3).standard_normal((3, 4))
ROWS = np.array([[1, 1, 0, 1], [0, 0, 0, 0], [0, 1, 0, 0]], dtype=bool)  # kept 3, none, one


def _both(name, mask, **kw):
    x = autobp.tensor(X, requires_grad=True)
    out = getattr(autobp.masked, name)(x, mask=mask, **kw)
    out.sum().backward()
    t = torch.tensor(X, requires_grad=True)
    tout = getattr(tm, name)(t, mask=torch.tensor(mask), **kw)
    tout.sum().backward()
    return out.numpy(), np.asarray(x.grad), tout.detach().numpy(), t.grad.numpy()


@pytest.mark.parametrize("name", ["var", "std"])
@pytest.mark.parametrize(
    "kw",
    [{"dim": 1}, {"dim": 1, "unbiased": False}, {"dim": 1, "keepdim": True}, {"dim": 1, "correction": 2}],
    ids=["unbiased", "biased", "keepdim", "correction2"],
)
def test_nan_values_and_gradients_as_torch(name, kw):
    v, g, tv, tg = _both(name, ROWS, **kw)
    np.testing.assert_allclose(v, tv, rtol=1e-12, equal_nan=True)
    np.testing.assert_allclose(g, tg, rtol=1e-10, atol=1e-14, equal_nan=True)
    assert np.isnan(g[1]).all()  # the fully masked-out row
    assert np.isfinite(g[0]).all() and np.all(g[0][~ROWS[0]] == 0)


def test_single_kept_element_unbiased_gives_nan_only_there():
    _, g, _, tg = _both("var", ROWS, dim=1)
    assert np.isnan(g[2, 1]) and np.all(g[2, [0, 2, 3]] == 0)
    np.testing.assert_array_equal(np.isnan(g), np.isnan(tg))


def test_everything_masked_out_over_all_dims():
    v, g, tv, tg = _both("var", np.zeros_like(ROWS), dim=None)
    assert np.isnan(v) and np.isnan(tv) and np.isnan(g).all() and np.isnan(tg).all()


def test_kept_slices_still_pass_gradcheck():
    m = np.array([[1, 1, 0, 1], [1, 0, 1, 1], [0, 1, 1, 0]], dtype=bool)
    x = autobp.tensor(X, requires_grad=True)
    assert autobp.gradcheck(lambda a: autobp.masked.std(a, 1, mask=m), (x,))
    assert autobp.gradgradcheck(lambda a: autobp.masked.var(a, 1, mask=m), (x,))
