"""The augmented operators (``t += x``...) write in place, as numpy's and PyTorch's: every case runs
the same code on autobp and torch and compares values, gradients and errors."""

import numpy as np
import pytest

import autobp
from autobp import Tensor, nn, optim

torch = pytest.importorskip("torch")

X = np.array([[0.5, -1.25, 2.0], [1.5, 0.75, -0.4]])
Y = np.array([[1.5, 2.0, -0.5], [0.25, -1.0, 3.0]])

# each case: the statement as a function of (t, other), applied to a non-leaf t
AUGMENTED = {
    "+=": lambda t, o: t.__iadd__(o),
    "-=": lambda t, o: t.__isub__(o),
    "*=": lambda t, o: t.__imul__(o),
    "/=": lambda t, o: t.__itruediv__(o),
    "**=": lambda t, o: t.__ipow__(o),
}


def test_the_operators_are_statements_that_keep_the_object():
    for lib, make in ((autobp, lambda a: Tensor(a)), (torch, torch.tensor)):
        t = make(X.copy())
        alias = t
        t += 1.0
        t *= 2.0
        t -= 0.5
        t /= 4.0
        assert t is alias
        np.testing.assert_allclose(
            np.asarray(alias.data if lib is autobp else alias), (X + 1) * 2 / 4 - 0.125
        )


def test_views_see_the_write_as_in_numpy():
    t = Tensor(X.copy())
    row = t[0]
    t += 10.0
    a = X.copy()
    a_row = a[0]
    a += 10.0
    np.testing.assert_array_equal(row.data, a_row)
    np.testing.assert_array_equal(t.data, a)


@pytest.mark.parametrize("op", list(AUGMENTED))
def test_a_write_that_must_be_recorded_rebinds_and_differentiates_like_torch(op):
    """``h op= y`` on a non-leaf: the new value and both gradients are torch's; the name is rebound,
    so another name for the old tensor keeps the old value (where torch's sees the write)."""
    stmt = AUGMENTED[op]
    x, y = Tensor(X, requires_grad=True), Tensor(Y, requires_grad=True)
    tx, ty = torch.tensor(X, requires_grad=True), torch.tensor(Y, requires_grad=True)
    h = x * 1.0 if op != "**=" else x * x  # ** of a negative base with a non-integer power is nan
    th = tx * 1.0 if op != "**=" else tx * tx
    alias, old = h, h.data.copy()
    h = stmt(h, y)
    th = stmt(th, ty)
    assert h is not alias and np.array_equal(alias.data, old)
    (h.exp()).sum().backward()
    th.exp().sum().backward()
    np.testing.assert_allclose(h.data, th.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(y.grad, ty.grad.numpy(), rtol=1e-12)


def test_a_rebinding_write_leaves_the_ops_that_read_the_old_value_differentiable():
    """HIPS autograd's fluid simulation: ``vx -= f(vx)`` after ops read ``vx`` (roll, a product). Each op
    keeps the value it read, so the gradient is that of ``vx = vx - f(vx)``, checked against torch
    running those out-of-place lines (torch refuses the in-place spelling: its product saved ``vx``)."""

    def ours(v):
        vx = v * 1.0
        div = autobp.roll(vx, -1, 1) - autobp.roll(vx, 1, 1)
        vx -= 0.5 * div * vx
        vx *= 2.0
        (vx * vx).sum().backward()
        return vx.data

    def theirs(v):
        vx = v * 1.0
        div = torch.roll(vx, -1, 1) - torch.roll(vx, 1, 1)
        vx = vx - 0.5 * div * vx
        vx = vx * 2.0
        (vx * vx).sum().backward()
        return vx.detach().numpy()

    x, tx = Tensor(X, requires_grad=True), torch.tensor(X, requires_grad=True)
    np.testing.assert_allclose(ours(x), theirs(tx), rtol=1e-14)
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), rtol=1e-14)


def test_a_constant_meeting_a_tensor_that_requires_grad_joins_the_graph():
    w, tw = Tensor(Y, requires_grad=True), torch.tensor(Y, requires_grad=True)
    c, tc = Tensor(X.copy()), torch.tensor(X)
    c *= w
    tc *= tw
    assert c.requires_grad and tc.requires_grad and not c.is_leaf and not tc.is_leaf
    c.sum().backward()
    tc.sum().backward()
    np.testing.assert_allclose(w.grad, tw.grad.numpy())


def test_a_leaf_that_requires_grad_refuses_outside_no_grad():
    message = "a leaf Variable that requires grad is being used in an in-place operation"
    x, tx = Tensor(X.copy(), requires_grad=True), torch.tensor(X, requires_grad=True)
    with pytest.raises(RuntimeError, match=message):
        tx += 1.0
    with pytest.raises(RuntimeError, match=message + r".*shape \(2, 3\)"):
        x += 1.0
    np.testing.assert_array_equal(x.data, X)  # nothing written
    with autobp.no_grad():
        x += 1.0
    with torch.no_grad():
        tx += 1.0
    assert x.is_leaf and x.requires_grad and x.grad_fn is None
    np.testing.assert_array_equal(x.data, tx.detach().numpy())


def test_a_graph_that_saved_the_old_value_still_differentiates_it():
    """``h += 1`` after ``loss`` read ``h``: torch refuses ``loss.backward()`` (its saved value changed);
    here ``h`` was rebound, so ``loss``'s graph still holds the value it read and its gradient is exact."""
    x, tx = Tensor(X, requires_grad=True), torch.tensor(X, requires_grad=True)
    h, th = x.exp(), tx.exp()  # exp's rule reads its output
    loss, t_loss = (h * 2.0).sum(), (th * 2.0).sum()
    h += 1.0
    th += 1.0
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        t_loss.backward()
    loss.backward()
    np.testing.assert_allclose(x.grad, 2.0 * np.exp(X), rtol=1e-15)
    np.testing.assert_allclose(h.data, np.exp(X) + 1.0, rtol=1e-15)


@pytest.mark.parametrize(
    "dtype, other", [(np.float32, 0.5), (np.float64, 2), (np.float32, np.ones(3)), (np.int64, 2)]
)
def test_dtypes_follow_torch_where_the_result_can_be_cast(dtype, other):
    t = Tensor(np.arange(3).astype(dtype), dtype=dtype)
    tt = torch.tensor(np.arange(3).astype(dtype))
    t += other
    tt += torch.tensor(other) if isinstance(other, np.ndarray) else other
    assert t.dtype == dtype and tt.numpy().dtype == dtype
    np.testing.assert_array_equal(t.data, tt.numpy())


def test_an_int_tensor_refuses_a_float_result_as_numpy_and_torch():
    t, tt, a = Tensor(np.arange(3), dtype=np.int64), torch.arange(3), np.arange(3)
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output type Long"):
        tt += 1.5
    with pytest.raises(TypeError, match="Cannot cast ufunc 'add' output"):
        a += 1.5
    # ours is both a TypeError (numpy's) and a RuntimeError (PyTorch's), in PyTorch's words
    with pytest.raises(TypeError, match="result type float64 can't be cast to the desired output type int64"):
        t += 1.5
    with pytest.raises(RuntimeError, match="can't be cast"):
        t /= 2
    np.testing.assert_array_equal(t.data, [0, 1, 2])


def test_a_result_of_another_shape_refuses():
    t, tt = Tensor(np.ones(3)), torch.ones(3, dtype=torch.float64)
    with pytest.raises(RuntimeError, match=r"doesn't match the broadcast shape"):
        tt += torch.ones(2, 3, dtype=torch.float64)
    with pytest.raises(ValueError, match=r"result has shape \(2, 3\), the tensor \(3,\)"):
        t += Tensor(np.ones((2, 3)))
    with pytest.raises(RuntimeError, match="cannot change the tensor's shape"):
        t -= Tensor(np.ones((2, 3)))


def test_floor_division_remainder_and_logical_operators():
    t, tt = Tensor(X.copy()), torch.tensor(X)
    t //= 0.3
    tt //= 0.3
    np.testing.assert_array_equal(t.data, tt.numpy())
    t, tt = Tensor(X.copy()), torch.tensor(X)
    t %= 0.3
    tt %= 0.3
    np.testing.assert_allclose(t.data, tt.numpy(), rtol=1e-12)
    b, tb = Tensor([True, False, True], dtype=bool), torch.tensor([True, False, True])
    alias = b
    b &= Tensor([True, True, False], dtype=bool)
    tb &= torch.tensor([True, True, False])
    b |= Tensor([False, True, False], dtype=bool)
    tb |= torch.tensor([False, True, False])
    b ^= Tensor([True, False, False], dtype=bool)
    tb ^= torch.tensor([True, False, False])
    assert b is alias
    np.testing.assert_array_equal(b.data, tb.numpy())


def test_matmul_assignment_rebinds_as_in_torch():
    m, tm = Tensor(np.eye(2)), torch.eye(2, dtype=torch.float64)
    alias, t_alias = m, tm
    m @= Tensor(np.full((2, 2), 2.0))
    tm @= torch.full((2, 2), 2.0, dtype=torch.float64)
    assert m is not alias and tm is not t_alias  # neither library has an in-place @=
    np.testing.assert_array_equal(alias.data, np.eye(2))
    np.testing.assert_array_equal(m.data, tm.numpy())


def test_sgd_still_updates_parameters_in_place():
    rng = np.random.default_rng(0)
    model = nn.Linear(3, 2)
    weight = model.weight
    before = weight.data.copy()
    opt = optim.SGD(model.parameters(), lr=0.1)
    x = Tensor(rng.standard_normal((4, 3)))
    model(x).sum().backward()
    expected = before - 0.1 * weight.grad
    opt.step()
    assert model.weight is weight
    np.testing.assert_allclose(weight.data, expected)


def test_an_indexed_augmented_assignment_into_a_constant_joins_the_graph_as_torch():
    """``z[0] += x[0]`` (Python: ``t = z[0]; t += x[0]; z[0] = t``) on a constant ``z``: the view ``t``
    cannot record the write, so ``+=`` gives the new value and setitem records it; values and
    gradients are torch's."""
    xv = np.arange(6.0).reshape(2, 3) / 7

    def run(lib, x):
        z = lib.zeros((2, 3), dtype=x.dtype)
        z[0] += x[0] ** 2
        (z * x).sum().backward()
        return np.asarray(z.detach().numpy() if lib is torch else z.data), np.asarray(x.grad)

    ours = run(autobp, Tensor(xv, requires_grad=True))
    theirs = run(torch, torch.tensor(xv, requires_grad=True))
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-15, atol=0)


def test_a_write_into_a_non_leaf_an_earlier_op_used():
    """``a = y.sum(); y *= 2``: ``a`` keeps the gradient torch gives it. ``y.mul_(2)``, which writes into
    the object ``a``'s sum holds, is refused (a gradient through it would flow through the product): a
    clear error, never a wrong gradient. ``y[:, 0] += 1`` alone differentiates, as in torch (its getitem
    keeps reading the old ``y``: tests/test_inplace_self_reads.py)."""
    x, tx = (
        Tensor(np.ones((2, 3)), requires_grad=True),
        torch.ones((2, 3), dtype=torch.float64, requires_grad=True),
    )
    y, ty = x * 1.0, tx * 1.0
    a, ta = y.sum(), ty.sum()
    y *= 2.0
    ty *= 2.0
    a.backward()
    ta.backward()
    np.testing.assert_array_equal(x.grad, tx.grad.numpy())
    y = x * 1.0
    a = y.sum()
    y.mul_(2.0)
    with pytest.raises(RuntimeError, match="modified in place"):
        a.backward()
    x.grad = None
    y = x * 2.0
    y[:, 0] += 1.0
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, np.full((2, 3), 2.0))


def test_a_leaf_write_refusal_is_pytorchs_runtime_error_and_autograds_type_error():
    """``x[1] = v`` and ``x += v`` on a leaf that requires grad: torch raises a RuntimeError, HIPS
    autograd a TypeError for the item assignment; code written for either catches autobp's."""
    x = Tensor(X.copy(), requires_grad=True)
    for write in (lambda: x.__setitem__(1, 3.0), lambda: x.__iadd__(1.0)):
        for kind in (RuntimeError, TypeError):
            with pytest.raises(kind, match="leaf Variable that requires grad"):
                write()
    np.testing.assert_array_equal(x.data, X)
