"""``expand`` (and ``expand_as``) that repeats nothing gives a writable view, as PyTorch's: in-place ops
on it write through to the original (they were refused as writes into a broadcast view, because numpy's
broadcast_to made a read-only array); found by PyTorch's test_torch.py test_broadcast. torch is the oracle."""

import numpy as np
import pytest

import autobp as ab

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("shape, sizes", [((1, 5), (1, 5)), ((4, 1, 5), (1, 4, 1, 5)), ((3,), (-1,))])
@pytest.mark.parametrize("op", ["add_", "lerp_", "mul_"])
def test_inplace_through_an_expand_that_repeats_nothing(shape, sizes, op):
    x0 = np.random.default_rng(0).normal(size=shape)
    other = np.random.default_rng(1).normal(size=[s for s in sizes if s != -1] or shape)
    a = ab.tensor(x0)
    ta = torch.tensor(x0)
    args = (ab.tensor(other), 0.5) if op == "lerp_" else (ab.tensor(other),)
    targs = (torch.tensor(other), 0.5) if op == "lerp_" else (torch.tensor(other),)
    got = getattr(a.expand(*sizes), op)(*args)
    want = getattr(ta.expand(*sizes), op)(*targs)
    np.testing.assert_allclose(got.numpy(), want.numpy())
    np.testing.assert_allclose(a.numpy(), ta.numpy())  # the write reached the original


def test_expand_that_repeats_still_refuses_inplace_writes():
    with pytest.raises(RuntimeError, match="single memory location"):
        ab.ones(3, 1).expand(3, 4).add_(1)
    with pytest.raises(RuntimeError, match="single memory location"):
        torch.ones(3, 1).expand(3, 4).add_(1)


def test_expand_gradients_match_torch():
    x0 = np.random.default_rng(2).normal(size=(2, 1))
    for sizes in [(2, 1), (3, 2, 4)]:
        a = ab.tensor(x0, requires_grad=True)
        ta = torch.tensor(x0, requires_grad=True)
        (a.expand(*sizes) ** 2).sum().backward()
        (ta.expand(*sizes) ** 2).sum().backward()
        np.testing.assert_allclose(a.grad, ta.grad.numpy())
    a = ab.tensor(x0, requires_grad=True)
    ta = torch.tensor(x0, requires_grad=True)
    (a.expand_as(ab.zeros(2, 3)) * 3).sum().backward()
    (ta.expand_as(torch.zeros(2, 3)) * 3).sum().backward()
    np.testing.assert_allclose(a.grad, ta.grad.numpy())


@pytest.mark.parametrize("shape, sizes", [((3,), (2,)), ((3,), (2, 2)), ((2, 3), (3,)), ((4, 5), (-1, 4, 5))])
def test_bad_expand_is_a_runtime_error_as_torch(shape, sizes):
    with pytest.raises(RuntimeError):
        ab.ones(shape).expand(*sizes)
    with pytest.raises(RuntimeError):
        torch.ones(shape).expand(*sizes)
    with pytest.raises(ValueError):  # numpy's class still catches it
        ab.ones(shape).expand(*sizes)


def test_copy_checks_numpys_order_argument():
    with pytest.raises(TypeError, match="order must be str"):
        ab.ones(3).copy(ab.ones(3))
    with pytest.raises(TypeError):
        np.ones(3).copy(np.ones(3))
    with pytest.raises(ValueError):
        ab.ones(3).copy("X")
    with pytest.raises(ValueError):
        np.ones(3).copy("X")
    np.testing.assert_array_equal(ab.tensor([[1, 2], [3, 4]]).copy("F").numpy(), [[1, 2], [3, 4]])
