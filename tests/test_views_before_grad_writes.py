"""Views (and detached tensors) of a tensor that needs no grad, taken before a recorded in-place write of
a value requiring grad into it, see the new value and get a gradient path to it, as torch's views:
``v = x[1]; x.add_(r)`` then ``v.sum().backward()`` reaches ``r``. Each view kind and write, vs torch."""

from __future__ import annotations

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")

VIEWS = {
    "select": lambda x: x.select(0, 1),
    "x[1]": lambda x: x[1],
    "x[1][0]": lambda x: x[1][0],
    "x[:, 0]": lambda x: x[:, 0],
    "T": lambda x: x.T,
    "permute": lambda x: x.permute(1, 0),
    "reshape": lambda x: x.reshape(6),
    "view": lambda x: x.view(2, 3),
    "unsqueeze": lambda x: x.unsqueeze(0),
    "narrow": lambda x: x.narrow(0, 1, 2),
    "expand": lambda x: x[:, :1].expand(3, 4),
    "T[0]": lambda x: x.T[0],
}
WRITES = {
    "add_": lambda x, r: x.add_(r),
    "mul_add_": lambda x, r: x.mul_(2).add_(r * r),
    "setitem": lambda x, r: x.__setitem__(1, r[1]),
    "copy_": lambda x, r: x.copy_(r),
}


def _run(lib, make_view, write):
    x = lib.zeros(3, 2, dtype=lib.float64)
    r = lib.tensor(np.arange(6.0).reshape(3, 2) - 2.5, dtype=lib.float64, requires_grad=True)
    v = make_view(x)
    write(x, r)
    weights = lib.tensor(np.arange(1.0, v.numel() + 1).reshape(tuple(v.shape)), dtype=lib.float64)
    (v * weights).sum().backward()
    return v.detach().numpy().copy(), v.requires_grad, v.is_leaf, r.grad.numpy().copy()


@pytest.mark.parametrize("write", list(WRITES))
@pytest.mark.parametrize("view", list(VIEWS))
def test_view_taken_before_a_grad_write_follows_it_as_torch(view, write):
    got = _run(autobp, VIEWS[view], WRITES[write])
    want = _run(torch, VIEWS[view], WRITES[write])
    np.testing.assert_array_equal(got[0], want[0])  # the new value
    assert got[1:3] == want[1:3] == (True, False)  # a node of the written base
    np.testing.assert_allclose(got[3], want[3], rtol=0, atol=0)  # the gradient path to r


@pytest.mark.parametrize("view", ["x[1]", "select", "x[:, 0]", "x[1][0]"])
def test_write_through_such_a_view_reaches_the_base_and_its_other_views_as_torch(view):
    out = []
    for lib in (autobp, torch):
        x = lib.zeros(3, 2, dtype=lib.float64)
        other, v = x[1:], VIEWS[view](x)
        r = lib.ones(tuple(v.shape), dtype=lib.float64, requires_grad=True)
        v.mul_(2).add_(r * 3)
        w = lib.tensor(np.arange(1.0, 7.0).reshape(3, 2), dtype=lib.float64)
        ((x * w).sum() + other.sum()).backward()
        seen = (x.detach().numpy().copy(), other.detach().numpy().copy(), x.requires_grad)
        out.append((*seen, r.grad.numpy()))
    for a, b in zip(out[0], out[1]):
        np.testing.assert_array_equal(a, b)


def test_detached_tensor_sees_the_new_value_and_stays_off_the_graph_as_torch():
    out = []
    for lib in (autobp, torch):
        x = lib.zeros(2, 2, dtype=lib.float64)
        d, dv = x.detach(), x.detach()[0]
        x.add_(lib.ones(2, 2, dtype=lib.float64, requires_grad=True))
        out.append((d.numpy().copy(), dv.numpy().copy(), d.requires_grad, dv.requires_grad))
    for a, b in zip(out[0], out[1]):
        np.testing.assert_array_equal(a, b)
    assert out[0][2:] == (False, False)


def test_a_graph_that_read_the_view_before_the_write_refuses_to_backward_as_torch():
    errors = []
    for lib in (autobp, torch):
        x = lib.zeros(3, dtype=lib.float64)
        a = lib.ones(3, dtype=lib.float64, requires_grad=True)
        v = x[1:]
        y = (v * a[1:]).sum()  # mul keeps v's old value for a's gradient
        x.add_(a)
        with pytest.raises(RuntimeError, match="modified by an inplace operation") as e:
            (y + v.sum()).backward()
        errors.append(e.value)
    assert len(errors) == 2
