"""A view taken before a recorded in-place write into its base sees the new values, and its gradient
flows through the write, as a PyTorch view's does: for every op that returns a view (basic indexing,
one element included, reshape/view, transpose, broadcast_to/expand); and one element ``t[i]`` is a 0-d
view, so writes through it reach ``t`` (numpy's scalar would be a copy)."""

from __future__ import annotations

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")

VIEWS = {
    "one element": ([0.5, 1.0, 2.0], lambda y: y[0]),
    "one element of a matrix": ([[0.5, 1.0], [2.0, 3.0]], lambda y: y[1, 0]),
    "slice": ([0.5, 1.0, 2.0], lambda y: y[0:2]),
    "new axis": ([0.5, 1.0, 2.0], lambda y: y[None]),
    "view": ([0.5, 1.0, 2.0], lambda y: y.view(3, 1)),
    "transpose": ([[0.5, 1.0], [2.0, 3.0]], lambda y: y.T),
    "expand": ([0.5, 1.0, 2.0], lambda y: y[None].expand(2, 3)),
    "view of a view": ([[0.5, 1.0], [2.0, 3.0]], lambda y: y.T[0]),
}


def _run(lib, data, make_view):
    x = lib.tensor(data, requires_grad=True)
    y = x.clone()
    v = make_view(y)
    y.mul_(3.0)
    (v * v).sum().backward()
    return np.array(v.tolist()), np.array(x.grad.tolist())


@pytest.mark.parametrize("name", list(VIEWS))
def test_a_view_made_before_a_recorded_write_sees_it_as_in_torch(name):
    data, make_view = VIEWS[name]
    value, grad = _run(autobp, data, make_view)
    t_value, t_grad = _run(torch, data, make_view)
    np.testing.assert_allclose(value, t_value)
    np.testing.assert_allclose(grad, t_grad)


def test_one_element_is_a_view_outside_a_graph_too():
    y, ty = autobp.tensor([1.0, 2.0]), torch.tensor([1.0, 2.0])
    y[0].add_(5.0)
    ty[0].add_(5.0)
    np.testing.assert_array_equal(y.numpy(), ty.numpy())
    v, tv = y[1], ty[1]
    y.mul_(2.0)
    ty.mul_(2.0)
    assert v.item() == tv.item() == 4.0


def test_flip_is_numpys_view_in_and_out_of_a_graph():
    """autobp's flip is numpy's (a view; torch's copies): on a graph it follows writes as it does off one."""
    y = autobp.tensor([1.0, 2.0])
    v = autobp.flip(y, 0)
    y.mul_(2.0)
    np.testing.assert_array_equal(v.numpy(), [4.0, 2.0])
    x = autobp.tensor([1.0, 2.0], requires_grad=True)
    y = x * 1.0
    v = autobp.flip(y, 0)
    y.mul_(2.0)
    np.testing.assert_array_equal(v.numpy(), [4.0, 2.0])
    (v * autobp.tensor([1.0, 10.0])).sum().backward()
    np.testing.assert_array_equal(x.grad, [20.0, 2.0])
