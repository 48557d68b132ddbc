"""Recorded writes and views made by basic indexing, as numpy and PyTorch alias them: a write through a
view (``r = y[0]; r += 1``, ``y[0].add_(1)``, ``v[0] = 5``) changes the base, and a view made before a
write into its base (``c = y[:, 1]; y[2] += 1``) sees the new values; gradients follow."""

from __future__ import annotations

import numpy as np
import pytest

import autobp as ab


def add_through_row(y, lib):
    r = y[0]
    r += y[1]
    r *= 2
    return r


def method_on_row(y, lib):
    r = y[0]
    r.add_(1.5)
    return r * y[1]


def method_on_column(y, lib):  # torch refuses: the column is read by the op that writes it
    c = y[:, 1]
    c.mul_(y[:, 0])
    return c


def view_of_view(y, lib):
    y[0][1:].zero_()
    return y[0]


def setitem_in_view(y, lib):
    v = y[1]
    v[0] = 5.0
    return v


def view_follows_base(y, lib):
    c = y[:, 1]  # made before the writes into y
    y[2] += 1
    y[0].fill_(3.0)
    return c


def copy_into_row(y, lib):
    y[2].copy_(y[1] * 3)
    return y[2]


PROGRAMS = [add_through_row, method_on_row, method_on_column, view_of_view, setitem_in_view]
PROGRAMS += [view_follows_base, copy_into_row]
TORCH_OUT_OF_PLACE = {  # torch refuses these; the same function written out of place
    method_on_column: lambda y, torch: torch.stack([y[:, 0], y[:, 1] * y[:, 0], y[:, 2], y[:, 3]], 1),
}
X0 = np.arange(12.0).reshape(3, 4) / 7 + 0.3


def _program(write, x, lib):
    y = x * 2.0 + 0.5
    r = write(y, lib)
    return y, r


def _loss(y, r):
    return (y * y).sum() + (r * r).sum()


@pytest.mark.parametrize("write", PROGRAMS, ids=lambda f: f.__name__)
def test_forward_is_the_same_with_and_without_a_graph(write):
    x = ab.tensor(X0, requires_grad=True)
    y, r = _program(write, x, ab)
    with ab.no_grad():  # the writes go into the arrays, as numpy's do
        y0, r0 = _program(write, ab.tensor(X0), ab)
    np.testing.assert_array_equal(y.data, y0.data)
    np.testing.assert_array_equal(r.data, r0.data)


@pytest.mark.parametrize("write", PROGRAMS, ids=lambda f: f.__name__)
def test_gradient_matches_finite_differences(write):
    x = ab.tensor(X0, requires_grad=True)
    assert ab.gradcheck(lambda x: _loss(*_program(write, x, ab)), (x,))


@pytest.mark.parametrize("write", PROGRAMS, ids=lambda f: f.__name__)
def test_values_and_gradient_match_torch(write):
    torch = pytest.importorskip("torch")
    x = ab.tensor(X0, requires_grad=True)
    y, r = _program(write, x, ab)
    _loss(y, r).backward()
    xt = torch.tensor(X0, requires_grad=True)
    if write in TORCH_OUT_OF_PLACE:
        yt = TORCH_OUT_OF_PLACE[write](xt * 2.0 + 0.5, torch)
        rt = yt[:, 1]
    else:
        yt, rt = _program(write, xt, torch)
    _loss(yt, rt).backward()
    np.testing.assert_allclose(y.data, yt.detach().numpy(), rtol=1e-13)
    np.testing.assert_allclose(r.data, rt.detach().numpy(), rtol=1e-13)
    np.testing.assert_allclose(x.grad, xt.grad.numpy(), rtol=1e-13)


def test_an_op_that_read_the_view_before_the_write_refuses():
    x = ab.tensor(X0, requires_grad=True)
    r = (x * 2.0)[0]
    square = r * r
    r.add_(1.0)
    with pytest.raises(RuntimeError, match="modified in place"):
        square.sum().backward()


def test_a_reshape_view_writes_through_as_pytorch():
    y = ab.tensor(X0, requires_grad=True) * 2.0
    y.reshape(-1).add_(1.0)  # once refused; PyTorch writes into y (tests/test_view_writes_grad_torch.py)
    assert np.array_equal(y.data, X0 * 2.0 + 1.0)


def test_a_view_of_a_leaf_that_requires_grad_refuses():
    x = ab.tensor(X0, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        x[0].add_(1.0)
    with ab.no_grad():
        x[0].add_(1.0)  # under no_grad it writes, as an optimiser would
    assert np.array_equal(x.data[0], X0[0] + 1.0)
