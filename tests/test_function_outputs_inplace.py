"""A custom Function with several outputs: an in-place write into one output is recorded on that output
alone, as PyTorch's separate output tensors. Hooks registered before the write get the old value's
gradient, those after it the new one's; compared with torch, and the gradients with gradcheck."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")

X = np.array([[0.5, -1.25], [2.0, 0.75]])


def double_mul(lib):
    class DoubleMul(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, g1, g2):
            return g1 * 2 + g2 * 3

    return DoubleMul.apply


def hooks_around_write(lib, shift):
    """The gradients the hooks before and after ``out1.mul_(3)`` see; the first hook adds ``shift``."""
    seen = {}

    def before(g):
        seen["before"] = np.array(g.detach().numpy() if lib is torch else g)
        return g + shift

    def after(g):
        seen["after"] = np.array(g.detach().numpy() if lib is torch else g)

    x = lib.tensor(X.copy(), requires_grad=True)
    out1, out2 = double_mul(lib)(x)
    out1.register_hook(before)
    out1.mul_(3)
    out1.register_hook(after)
    (out1 * out1 + out2 * 5).sum().backward()
    grad = x.grad.detach().numpy() if lib is torch else np.asarray(x.grad)
    return seen, grad


@pytest.mark.parametrize("shift", [0.0, 1.5])
def test_hooks_before_and_after_a_write_into_one_output(shift):
    mine, grad_mine = hooks_around_write(autobp, shift)
    theirs, grad_theirs = hooks_around_write(torch, shift)
    assert set(mine) == set(theirs) == {"before", "after"}
    for key in theirs:
        np.testing.assert_allclose(mine[key], theirs[key], rtol=1e-12)
    np.testing.assert_allclose(grad_mine, grad_theirs, rtol=1e-12)


def test_write_into_one_output_leaves_the_other_alone():
    x = autobp.tensor(X.copy(), requires_grad=True)
    out1, out2 = double_mul(autobp)(x)
    out1.add_(1.0)
    np.testing.assert_allclose(np.asarray(out2.detach()), X * 3)
    np.testing.assert_allclose(np.asarray(out1.detach()), X * 2 + 1)


def test_gradient_through_a_written_output():
    def f(x):
        out1, out2 = double_mul(autobp)(x)
        out1 = out1 * 1  # a non-leaf of its own to write into
        out1.mul_(out2)
        return out1 + out2

    autobp.gradcheck(f, (autobp.tensor(X.copy(), requires_grad=True),))
    autobp.gradgradcheck(f, (autobp.tensor(X.copy(), requires_grad=True),))
