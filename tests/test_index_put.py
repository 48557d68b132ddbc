"""``t[idx] = v`` as a recorded op: out of place on the graph (the tensor object becomes an index_put
node), the version counter bumped, leaves that require grad refused, last write wins."""

import numpy as np
import pytest

import autobp
from autobp import Tensor, gradcheck, gradgradcheck

torch = pytest.importorskip("torch")

# PyTorch's words ("Variable": its old name for a tensor), so code that matches them matches ours
LEAF_MESSAGE = "a leaf Variable that requires grad is being used in an in-place operation"
TORCH_LEAF_MESSAGE = "leaf Variable that requires grad is being used in an in-place operation"


def test_a_graph_that_read_the_old_value_refuses_to_backward():
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 1.0
    z = (y * y).sum()  # reads y before the write
    before = y._version
    y[0] = 5.0
    assert y._version == before + 1
    with pytest.raises(RuntimeError, match="in place"):
        z.backward()


def test_the_old_graph_fails_on_the_write_and_only_on_it():
    # the same graph without the write backpropagates: the refusal comes from the write
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 1.0
    (y * y).sum().backward()
    np.testing.assert_allclose(x.grad, [2.0, 4.0, 6.0])


def test_writes_after_the_graph_was_built_from_the_new_value_are_fine():
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    v = Tensor(4.0, requires_grad=True)
    y = x * 2.0
    y[1] = v
    assert y.grad_fn == "index_put" and not y.is_leaf
    (y * y).sum().backward()  # d/dy = 2y with y = [2, 4, 6], d/dx = 2 * 2y off the write
    np.testing.assert_allclose(x.grad, [8.0, 0.0, 24.0])
    np.testing.assert_allclose(v.grad, 8.0)


def test_a_leaf_that_requires_grad_refuses_as_pytorch_does():
    x = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=LEAF_MESSAGE):
        x[0] = 3.0
    np.testing.assert_array_equal(x.data, [1.0, 2.0])  # nothing written
    tx = torch.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=TORCH_LEAF_MESSAGE):
        tx[0] = 3.0


def test_under_no_grad_a_leaf_is_written_in_place_and_counted():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    with autobp.no_grad():
        x[0] = 3.0
    assert x.is_leaf and x.requires_grad
    np.testing.assert_array_equal(x.data, [3.0, 2.0])
    with pytest.raises(RuntimeError, match="in place"):
        y.backward()


def test_without_a_graph_the_write_is_numpys_in_place_write():
    t = Tensor(np.zeros(3))
    view = t[1:]
    t[1] = 5.0
    assert view.data[0] == 5.0  # views see it, as numpy's do
    assert t._version == 1 and t.is_leaf


def test_a_constant_written_with_a_value_that_requires_grad_joins_the_graph():
    w = Tensor([2.0, 3.0], requires_grad=True)
    z = autobp.zeros(4)
    z[1:3] = w
    assert z.requires_grad and z.grad_fn == "index_put"
    (z * Tensor([1.0, 10.0, 100.0, 1000.0])).sum().backward()
    np.testing.assert_array_equal(w.grad, [10.0, 100.0])


def test_repeated_indices_the_last_write_lands_and_gets_the_gradient():
    x = Tensor(np.zeros(3), requires_grad=True)
    v = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 1.0
    y[np.array([0, 2, 0])] = v
    np.testing.assert_array_equal(y.data, [3.0, 0.0, 2.0])  # numpy's result: v[2] lands on 0
    (y * Tensor([5.0, 7.0, 11.0])).sum().backward()
    np.testing.assert_array_equal(v.grad, [0.0, 11.0, 5.0])
    np.testing.assert_array_equal(x.grad, [0.0, 7.0, 0.0])


def test_repeated_indices_with_a_broadcast_value_count_once():
    x = Tensor(np.zeros((2, 2)), requires_grad=True)
    v = Tensor(1.5, requires_grad=True)
    y = x * 1.0
    y[np.array([1, 1, 0])] = v  # one value written three times, to two rows
    y.sum().backward()
    assert v.grad == 4.0  # four elements hold v, once each


def test_gradients_match_finite_differences_for_repeats_and_broadcasts():
    def fn(x, v):
        y = x * 1.0
        y[np.array([0, -1, 0]), 1:] = v
        y[..., 0] = v[0, 0] * 2.0
        return y * y

    assert gradcheck(
        fn,
        [Tensor(np.random.default_rng(0).standard_normal((3, 3)), requires_grad=True)]
        + [Tensor(np.array([[0.5, -1.0]]), requires_grad=True)],
    )


def test_second_order_through_an_index_put():
    def fn(x, v):
        y = x * x
        y[1:, ::-1] = v * v
        return y.sum() * x.sum()

    rng = np.random.default_rng(1)
    xs = [
        Tensor(rng.standard_normal((3, 2)), requires_grad=True),
        Tensor(rng.standard_normal(2), requires_grad=True),
    ]
    assert gradgradcheck(fn, xs)


@pytest.mark.parametrize(
    "index",
    [
        (0,),
        (slice(1, None), 0),
        (Ellipsis, 1),
        (None, slice(None), 1),
        (np.array([2, 0]),),
        (np.array([True, False, True]),),
        (np.array([1, 2]), np.array([0, 1])),
    ],
    ids=["int", "slice-int", "ellipsis", "none", "ints", "mask", "two-arrays"],
)
def test_gradient_matches_torch(index):
    rng = np.random.default_rng(2)
    a = rng.standard_normal((3, 2))
    target = np.empty((3, 2))[index]
    b = rng.standard_normal(target.shape)
    w = rng.standard_normal((3, 2))

    x, v = Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)
    y = (x * 1.0).exp()
    y[index] = v
    (y * w).sum().backward()

    tx, tv = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    tindex = tuple(torch.tensor(i) if isinstance(i, np.ndarray) else i for i in index)
    ty = (tx * 1.0).exp().clone()
    ty[tindex] = tv
    (ty * torch.tensor(w)).sum().backward()

    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(v.grad, tv.grad.numpy(), rtol=1e-12)


def test_a_value_written_over_gets_no_gradient_like_torch():
    a, b, c = (Tensor(float(i), requires_grad=True) for i in (1, 2, 3))
    y = autobp.zeros(2)
    y[0] = a
    y[1] = b
    y[0] = c  # a is overwritten
    (y * Tensor([10.0, 100.0])).sum().backward()
    ta, tb, tc = (torch.tensor(float(i), requires_grad=True) for i in (1, 2, 3))
    ty = torch.zeros(2, dtype=torch.float64)
    ty[0] = ta
    ty[1] = tb
    ty[0] = tc
    (ty * torch.tensor([10.0, 100.0], dtype=torch.float64)).sum().backward()
    assert a.grad == ta.grad.item() == 0.0
    assert (b.grad, c.grad) == (tb.grad.item(), tc.grad.item()) == (100.0, 10.0)


def test_the_old_value_keeps_its_data_for_rules_that_read_their_output():
    # exp's rule reads its output; the write goes to a copy, so the old node's output is intact
    x = Tensor([0.5, 1.0, 1.5], requires_grad=True)
    y = x.exp()
    y[1] = 0.0
    y.sum().backward()
    np.testing.assert_allclose(x.grad, np.exp([0.5, 1.0, 1.5]) * [1.0, 0.0, 1.0])


def test_float32_stays_float32():
    x = Tensor(np.ones(3, np.float32), requires_grad=True)
    y = x * 1.0
    y[0] = 2.0
    assert y.dtype == np.float32
    y.sum().backward()
    assert x.grad.dtype == np.float32


def test_errors_name_the_problem():
    y = Tensor([1.0, 2.0], requires_grad=True) * 1.0
    with pytest.raises(ValueError, match=r"setitem: values of shape \(3,\)"):
        y[:] = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    with pytest.raises(IndexError, match="setitem"):
        y[5] = 1.0
    ints = Tensor(np.arange(3), dtype=np.int64)
    with pytest.raises(TypeError, match="int64"):
        ints[0] = Tensor(1.0, requires_grad=True)
    base = Tensor(np.ones((2, 2)), requires_grad=True) * 1.0
    view = base.T  # a view by transpose writes through, as PyTorch's (test_view_writes_grad_torch.py)
    view[0] = Tensor(1.0, requires_grad=True)
    assert np.array_equal(base.data, [[1.0, 1.0], [1.0, 1.0]]) and base.grad_fn is not None
