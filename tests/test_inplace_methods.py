"""In-place Tensor methods (autobp/ops/inplace_methods.py): values and gradients as PyTorch's, the
leaf refusal, numpy's dtype rule, and version counters: a graph that read the old value refuses."""

import numpy as np
import pytest

import autobp
from autobp import Tensor

torch = pytest.importorskip("torch")

X = np.array([[0.5, -1.25, 2.0], [1.5, 0.75, -0.4]])
Y = np.array([[1.5, 2.0, -0.5], [0.25, -1.0, 3.0]])
IDX = np.array([[1, 0, 2], [0, 2, 1]])
MASK = np.array([[True, False, True], [False, False, True]])

# name, autobp call, torch call: each on a non-leaf (x * 1) and a second input y
CALLS = [
    ("add_", lambda x, y: x.add_(y, alpha=2.0)),
    ("sub_", lambda x, y: x.sub_(y, alpha=0.5)),
    ("mul_", lambda x, y: x.mul_(y)),
    ("div_", lambda x, y: x.div_(y)),
    ("pow_", lambda x, y: x.abs_().pow_(y)),
    ("clamp_", lambda x, y: x.clamp_(-1.0, 1.0).mul_(y)),
    ("clamp_min_", lambda x, y: x.clamp_min_(0.6).mul_(y)),
    ("clamp_max_", lambda x, y: x.clamp_max_(0.6).mul_(y)),
    ("exp_", lambda x, y: x.add_(y).exp_()),  # exp saves its output: nothing may write it after
    ("tanh_", lambda x, y: x.mul_(y).tanh_()),
    ("sigmoid_", lambda x, y: x.sub_(y).sigmoid_()),
    ("neg_", lambda x, y: x.neg_().mul_(y)),
    ("fill_", lambda x, y: x.fill_(y[0, 1])),
    ("zero_", lambda x, y: x.zero_().add_(y)),
    ("copy_", lambda x, y: x.copy_(y[0])),
    ("masked_fill_", lambda x, y: x.masked_fill_(MASK_T[type(x)], y[1, 2])),
    ("index_add_", lambda x, y: x.index_add_(1, IDX_T[type(x)][0], y, alpha=2.0)),
    ("scatter_", lambda x, y: x.scatter_(1, IDX_T[type(x)], y)),
    ("scatter_add_", lambda x, y: x.scatter_add_(0, IDX_T[type(x)][:, :2] % 2, y[:, :2])),
    ("lerp_", lambda x, y: x.lerp_(y, 0.25)),
    ("addcmul_", lambda x, y: x.addcmul_(y, y, value=0.5)),
    ("addcdiv_", lambda x, y: x.addcdiv_(y, y + 3.0, value=2.0)),
]
MASK_T = {Tensor: MASK, torch.Tensor: torch.tensor(MASK)}
IDX_T = {Tensor: IDX, torch.Tensor: torch.tensor(IDX)}


@pytest.mark.parametrize("name,call", CALLS, ids=[c[0] for c in CALLS])
def test_inplace_method_on_a_non_leaf_matches_torch_values_and_gradients(name, call):
    x, y = Tensor(X, requires_grad=True), Tensor(Y, requires_grad=True)
    h = x * 1.0
    out = call(h, y)
    assert out is h  # returns self, as PyTorch
    (out * out).sum().backward()
    tx = torch.tensor(X, requires_grad=True)
    ty = torch.tensor(Y, requires_grad=True)
    th = tx * 1.0
    call(th, ty)
    (th * th).sum().backward()
    np.testing.assert_allclose(h.data, th.detach().numpy(), rtol=1e-14)
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(y.grad, ty.grad.numpy(), rtol=1e-12, atol=1e-14)


def test_inplace_methods_pass_gradcheck():
    def f(x, y):
        h = x * 1.0
        h.mul_(y).add_(y, alpha=3.0).clamp_(-2.0, 2.0).tanh_()
        return h

    x = Tensor(X * 0.3, requires_grad=True)
    y = Tensor(Y * 0.3, requires_grad=True)
    assert autobp.gradcheck(f, (x, y))
    assert autobp.gradgradcheck(f, (x, y))


@pytest.mark.parametrize("write", [lambda h: h.add_(1.0), lambda h: h.zero_(), lambda h: h.copy_(Y)])
def test_a_graph_that_read_the_old_value_refuses_to_backward(write):
    x = Tensor(X, requires_grad=True)
    h = x * 2.0
    old_use = (h * h).sum()  # mul saved h's old value
    version = h._version
    write(h)
    assert h._version == version + 1
    with pytest.raises(RuntimeError, match="modified in place"):
        old_use.backward()
    h.sum().backward()  # the new value's own graph is fine


def test_under_no_grad_the_array_is_written_and_views_see_it():
    w = Tensor(X.copy(), requires_grad=True)
    row = w[0]  # a view of w's memory
    with autobp.no_grad():
        w.mul_(2.0).sub_(1.0)
        assert w.is_leaf and w.requires_grad
    np.testing.assert_array_equal(w.data, X * 2.0 - 1.0)
    np.testing.assert_array_equal(row.data, X[0] * 2.0 - 1.0)
    assert w._version == 2


def test_a_leaf_that_requires_grad_refuses_like_torch():
    w = Tensor(X, requires_grad=True)
    with pytest.raises(
        RuntimeError, match="add_: a leaf Variable that requires grad is being used in an in-place"
    ):
        w.add_(1.0)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        w[0] = 1.0
    tw = torch.tensor(X, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        tw.add_(1.0)


def test_dtype_and_shape_follow_numpys_inplace_rules():
    i = Tensor(np.array([1, 2, 3]), dtype=np.int64)
    i.add_(2)
    assert i.dtype == np.int64 and i.tolist() == [3, 4, 5]
    with pytest.raises(TypeError, match="float64 result cannot be written into a int64 tensor"):
        i.mul_(0.5)
    f32 = Tensor(np.ones(3, np.float32))
    f32.add_(np.float64(0.25))
    assert f32.dtype == np.float32
    with pytest.raises(ValueError, match=r"result has shape \(2, 3\), the tensor \(3,\)"):
        Tensor(np.ones(3)).add_(Tensor(np.ones((2, 3))))


def test_numpys_fill_and_put_write_in_place_and_return_none():
    a = Tensor(np.arange(6.0).reshape(2, 3))
    expected = np.arange(6.0).reshape(2, 3)
    assert a.put([0, -1, 4], [9.0, 8.0]) is None
    np.put(expected, [0, -1, 4], [9.0, 8.0])
    np.testing.assert_array_equal(a.data, expected)
    assert a.fill(2.5) is None
    np.testing.assert_array_equal(a.data, np.full((2, 3), 2.5))
    with pytest.raises(IndexError, match="put: .*out of range"):
        a.put([6], [1.0])


def test_put_records_a_gradient_for_the_values():
    v = Tensor([1.0, 2.0], requires_grad=True)
    h = Tensor(np.zeros(4)) * 1.0
    h.put([3, 0, 1], v)  # v repeated: 1, 2, 1
    (h * Tensor([1.0, 10.0, 100.0, 1000.0])).sum().backward()
    np.testing.assert_array_equal(h.data, [2.0, 1.0, 0.0, 1.0])
    np.testing.assert_array_equal(v.grad, [1000.0 + 10.0, 1.0])


def test_random_fills_use_the_given_generator():
    a = Tensor(np.zeros((2, 2), np.float32)).normal_(1.0, 2.0, generator=7)
    np.testing.assert_allclose(a.data, np.random.default_rng(7).normal(1.0, 2.0, (2, 2)).astype(np.float32))
    b = Tensor(np.zeros(3)).uniform_(2.0, 3.0, generator=np.random.default_rng(1))
    assert a.dtype == np.float32 and np.all((b.data >= 2.0) & (b.data < 3.0))
