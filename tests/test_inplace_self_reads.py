"""Recorded in-place writes whose value reads the tensor being written: ``y[0] = y[0] * 3``,
``y[:, 0] += 1``, ``y.add_(y[0])``, a recurrence into one buffer. The written value's graph must
keep reading the old tensor (it was made before the write), not become an input of itself."""

from __future__ import annotations

import numpy as np
import pytest

import autobp as ab


def setitem_self(y, lib):
    y[0] = y[0] * 3
    return y


def iadd_column(y, lib):
    y[:, 0] += 1
    return y


def imul_masked(y, lib):
    m = y > 1.5
    y[m] *= y[m]
    return y


def overlapping(y, lib):
    y[1:] = y[:-1] * 2
    return y


def copy_flipped(y, lib):
    y.copy_(y.flip(0))
    return y


def add_own_row(y, lib):  # torch refuses (overlapping memory); the out-of-place value is y + y[0]
    y.add_(y[0])
    return y


def two_writes(y, lib):  # the second write reads the node the first one made
    y[0] = y[1]
    y[1] = y[0] * y[2]
    return y


def recurrence(y, lib):  # buf[i] = f(buf[i - 1]) + buf[i]
    for i in range(1, 3):
        y[i] = y[i - 1].sin() + y[i]
    return y


def square_self(y, lib):
    y.mul_(y)
    return y


CASES = [setitem_self, iadd_column, imul_masked, overlapping, copy_flipped]
TORCH_REFUSES = {  # the same function written out of place, for torch
    add_own_row: lambda y, torch: y + y[0],
    two_writes: lambda y, torch: torch.stack([y[1], y[1] * y[2], y[2]]),
    recurrence: lambda y, torch: torch.stack([y[0], y[0].sin() + y[1], (y[0].sin() + y[1]).sin() + y[2]]),
    square_self: lambda y, torch: y * y,
}
X0 = np.arange(12.0).reshape(3, 4) / 7 + 0.3


def _run(write, x: ab.Tensor) -> ab.Tensor:
    # a non-leaf to write into (a leaf that requires grad refuses) whose rule reads its output: the
    # write is out of place on the graph, so exp's saved output stays valid (torch would refuse here)
    return write(x.exp(), ab)


@pytest.mark.parametrize("write", CASES + list(TORCH_REFUSES), ids=lambda f: f.__name__)
def test_gradient_matches_finite_differences(write):
    x = ab.tensor(X0, requires_grad=True)
    assert ab.gradcheck(lambda x: _run(write, x) ** 2, (x,))


@pytest.mark.parametrize("write", CASES + list(TORCH_REFUSES), ids=lambda f: f.__name__)
def test_values_and_gradient_match_torch(write):
    torch = pytest.importorskip("torch")
    x = ab.tensor(X0, requires_grad=True)
    y = write(x * 2.0 + 0.5, ab)  # an affine map, whose backward torch runs after the write
    (y * y).sum().backward()
    xt = torch.tensor(X0, requires_grad=True)
    yt = TORCH_REFUSES.get(write, write)(xt * 2.0 + 0.5, torch)
    (yt * yt).sum().backward()
    np.testing.assert_allclose(y.data, yt.detach().numpy(), rtol=1e-13)
    np.testing.assert_allclose(x.grad, xt.grad.numpy(), rtol=1e-13)


def test_a_graph_made_before_the_write_still_refuses():
    x = ab.tensor(X0, requires_grad=True)
    y = x * 2
    total = y.sum()  # reads y before the write, and is not part of the written value
    y[0] = y[0] * 3
    with pytest.raises(RuntimeError, match="modified in place"):
        total.backward()


def test_redirect_leaves_other_readers_of_the_old_node_alone():
    x = ab.tensor(X0, requires_grad=True)
    y = x * 2
    row = y[1]  # made before the write, not part of the value: still reads y and refuses
    y[0] = y[0] * 3
    assert row._parents[0] is y
    (y * 1.0).sum().backward()
    np.testing.assert_array_equal(x.grad, np.where(np.arange(3)[:, None] == 0, 6.0, 2.0) * np.ones((3, 4)))
