"""clip where numpy and PyTorch give a result that autobp used to refuse: a lower bound above the
upper one (the upper bound everywhere, no gradient to x) and no bound at all (numpy's copy)."""

import numpy as np
import pytest

import autobp

X = np.array([-2.0, 0.5, 3.0, 1.0])


def test_lower_bound_above_upper_gives_upper_like_numpy_and_torch_clamp():
    torch = pytest.importorskip("torch")
    x = autobp.Tensor(X, requires_grad=True)
    y = autobp.clip(x, 1.0, 0.0)
    np.testing.assert_array_equal(y.data, np.clip(X, 1.0, 0.0))
    (y * autobp.Tensor([1.0, 2.0, 3.0, 4.0])).sum().backward()
    t = torch.tensor(X, requires_grad=True)
    (torch.clamp(t, 1.0, 0.0) * torch.tensor([1.0, 2.0, 3.0, 4.0], dtype=torch.float64)).sum().backward()
    np.testing.assert_array_equal(y.data, torch.clamp(torch.tensor(X), 1.0, 0.0).numpy())
    np.testing.assert_array_equal(x.grad, t.grad.numpy())


def test_lower_bound_above_upper_keeps_float32_and_passes_gradcheck():
    y = autobp.clip(autobp.Tensor(X.astype(np.float32)), 2.0, -1.0)
    assert y.dtype == np.float32
    np.testing.assert_array_equal(y.data, np.full(4, -1.0, np.float32))
    v = autobp.Tensor([0.1, 0.5, 0.9], requires_grad=True)
    assert autobp.gradcheck(lambda t: autobp.clip(t, 0.8, 0.2), (v,))


def test_no_bound_is_a_copy_with_identity_gradient_like_numpy():
    x = autobp.Tensor(X, requires_grad=True)
    y = autobp.clip(x, None, None)
    np.testing.assert_array_equal(y.data, np.clip(X, None, None))
    assert not np.shares_memory(y.data, x.data)
    (y * 2.0).sum().backward()
    np.testing.assert_array_equal(x.grad, np.full(4, 2.0))
    ints = autobp.clip(autobp.Tensor(np.array([3, -1]), dtype=np.int64), None, None)
    assert ints.dtype == np.clip(np.array([3, -1]), None, None).dtype
    assert isinstance(np.clip(x, None, None), autobp.Tensor)


def test_tensor_bounds_at_every_tie_match_torch_clamp():
    """x, lo, hi on a grid of equal and crossed values: the value and all three gradients are
    torch.clamp's (where x < lo == hi none of the inputs receives the gradient)."""
    torch = pytest.importorskip("torch")
    grid = (-1.0, 0.0, 1.0)
    for xv in grid:
        for lv in grid:
            for hv in grid:
                ts = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (xv, lv, hv)]
                torch.clamp(*ts).backward()
                ours = [autobp.Tensor(v, requires_grad=True) for v in (xv, lv, hv)]
                y = autobp.clip(*ours)
                y.backward()
                assert float(y.data) == float(torch.clamp(*[t.detach() for t in ts]))
                assert [float(t.grad) for t in ours] == [t.grad.item() for t in ts], (xv, lv, hv)
