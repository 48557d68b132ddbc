"""Custom Functions ported from PyTorch: forward bodies call PyTorch's Tensor methods on their inputs
(the tutorial's ``input.clamp(min=0)``, ``x.clone()``, ``x.size()``, ``x.mul_(2)``) and may return a
Tensor; autobp's values and gradients equal torch's."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")


def _relu(lib):
    class MyReLU(lib.autograd.Function):
        @staticmethod
        def forward(ctx, input):
            ctx.save_for_backward(input)
            return input.clamp(min=0)

        @staticmethod
        def backward(ctx, grad_output):
            (input,) = ctx.saved_tensors
            grad_input = grad_output.clone()
            grad_input[input < 0] = 0
            return grad_input

    return MyReLU


def test_the_pytorch_tutorials_relu_runs_unchanged():
    data = np.array([-1.5, 0.3, 2.0, -0.1])
    got = {}
    for lib in (autobp, torch):
        x = lib.tensor(data, requires_grad=True)
        y = _relu(lib).apply(x)
        (y * y).sum().backward()
        got[lib] = (np.array(y.detach().numpy()), np.array(x.grad))
    np.testing.assert_array_equal(got[autobp][0], got[torch][0])
    np.testing.assert_array_equal(got[autobp][1], got[torch][1])


def test_forward_may_use_clone_size_and_return_a_tensor():
    class Scale(autobp.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.n = x.size(0)
            return autobp.tanh(autobp.tensor(x.clone())) * ctx.n  # a Tensor made under no_grad

        @staticmethod
        def backward(ctx, g):
            return g * ctx.n

    x = autobp.tensor([0.2, -0.4, 0.9], requires_grad=True)
    y = Scale.apply(x)
    assert isinstance(y, autobp.Tensor) and y.requires_grad
    np.testing.assert_allclose(y.data, 3 * np.tanh([0.2, -0.4, 0.9]))
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, [3.0, 3.0, 3.0])


def test_an_in_place_write_in_forward_is_counted_as_pytorchs():
    class Double(autobp.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            x.mul_(2)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g * 2

    x = autobp.tensor([1.0, -3.0], requires_grad=True)
    c = x.clone()
    v = c._version
    out = Double.apply(c)
    assert out is c and c._version > v
    np.testing.assert_array_equal(c.data, [2.0, -6.0])
    out.sum().backward()
    np.testing.assert_array_equal(x.grad, [2.0, 2.0])


def test_an_unmarked_write_into_an_input_invalidates_graphs_that_read_it():
    class Sneaky(autobp.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            x[0] = 10.0  # no mark_dirty: the older graph's saved input changed
            return x * 1.0

        @staticmethod
        def backward(ctx, g):
            return g

    x = autobp.tensor([1.0, 2.0], requires_grad=True)
    c = x * 1.0
    y = c * c  # saves c
    Sneaky.apply(c)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()
